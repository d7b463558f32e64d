"""Compressed data that ships with inbrief (or a dependency), unpacked once into a cache folder
and mapped from there by every later process.

Decompressing a model at every start was most of the start-up of ``inbrief summarize FILE``:
py3langid's 68 MB language model, then the ``news`` model's word weights.  The first process
writes the arrays uncompressed into ``<cache>/<name>-<sha256 of the source file>/``; later ones
map them (``mmap``), so only the pages a text touches are read.  A new source file has another
digest, hence another folder: a cache never answers for a model it was not made from.

The cache folder is ``$INBRIEF_CACHE_DIR``, else ``$XDG_CACHE_HOME/inbrief``, else
``~/.cache/inbrief``.  Callers fall back to reading the source itself when the folder cannot be
written (a read-only home, a full disk) or what is in it cannot be read: slower, same answers.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

CACHE_ENV = "INBRIEF_CACHE_DIR"


def cache_folder() -> Path:
    """Where inbrief keeps what it can rebuild from the files it ships with."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "inbrief"


def unpacked(name: str, source: Path, write: Callable[[Path], None]) -> Path:
    """The folder holding ``source`` unpacked, made by ``write(folder)`` the first time.

    ``write`` fills a temporary folder beside the final one, which is then renamed into place,
    so a process that dies half-way (or one racing another) never leaves a partial folder.
    Raises :class:`OSError` when the folder can be neither found nor made.
    """
    folder = cache_folder() / f"{name}-{_digest(source)}"
    if folder.is_dir():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        write(partial)
        try:
            partial.rename(folder)
        except OSError:
            if not folder.is_dir():  # not a race lost to another process: a real failure
                raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return folder


def _digest(source: Path) -> str:
    with source.open("rb") as data:
        return hashlib.file_digest(data, "sha256").hexdigest()[:32]
