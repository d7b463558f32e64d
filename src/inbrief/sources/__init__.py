"""Turn what a user names — a path, ``-`` for stdin, a URL, a string — into a :class:`Document`.

Bytes from files, stdin and the web all go through one :func:`decode` and one
:func:`sniff_kind` (:mod:`inbrief.sources.decode`), so a page reads the same however it
reached inbrief. JSONL records become documents in :mod:`inbrief.sources.records`.

    load("article.html")            # a local file
    load("-")                       # standard input
    load("https://example.org/a")   # fetched with inbrief.fetch
    from_url("https://example.org/a", limits=FetchLimits(total_timeout=10))
    from_text("Plain article text.")
    from_html("<html>...</html>", url="https://example.org/a")
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from inbrief.errors import SourceError
from inbrief.models import Document
from inbrief.sizes import MAX_SOURCE_BYTES, format_size
from inbrief.sources.decode import decode, sniff_binary, sniff_kind

if TYPE_CHECKING:
    from inbrief.fetch import FetchLimits

__all__ = [
    "MAX_SOURCE_BYTES",
    "decode",
    "from_html",
    "from_text",
    "from_url",
    "load",
    "sniff_binary",
    "sniff_kind",
    "storable_text",
]

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")

# Characters no UTF-8 file, database or HTTP response can carry (lone surrogates, which a
# JSON body's "\ud800" gives), and NUL, which PostgreSQL refuses in text.
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def load(source: str) -> Document:
    """Read what the user named on the command line: ``-``, a URL, or a path.

    ``-`` is standard input; anything shaped ``scheme://`` is a URL, handed to
    :func:`from_url` (which refuses schemes other than http and https rather than
    reporting a missing file); everything else is a local path.

    Files and stdin may hold at most :data:`MAX_SOURCE_BYTES`. Raises :class:`SourceError`
    (missing file, directory, unreadable, too large, binary, empty), :class:`DecodeError`
    (text in no encoding we can trust, see :func:`decode`) or, for URLs,
    :class:`~inbrief.errors.FetchError`.
    """
    if source == "-":
        return _load_stdin()
    if _SCHEME.match(source):
        return from_url(source)
    return _load_file(source)


def from_url(url: str, *, limits: FetchLimits | None = None) -> Document:
    """Fetch the web page at ``url`` and return it decoded, following redirects hop by hop.

    The Document's ``kind`` is ``"text"`` for text/plain and ``"html"`` for HTML types,
    ``origin`` is ``url`` as given and ``url`` the final address. Raises FetchError (bad URL,
    refused, timed out, HTTP error status, too many redirects or a loop, too large, not a web
    page, empty) or DecodeError (bytes in no encoding we can trust).
    """
    # Imported here so that reading a file or stdin never pays for importing httpx.
    from inbrief.fetch import fetch_response
    from inbrief.sources.web import document_from_response

    return document_from_response(fetch_response(url, limits=limits), url)


def from_text(text: str, origin: str = "<text>") -> Document:
    """Wrap plain article text given by a library caller. Raises SourceError when blank.

    Lone surrogates and NUL characters become U+FFFD, as undecodable bytes do in
    :func:`decode`, so the text can always be stored and sent as UTF-8.
    """
    text = storable_text(text)
    _require_content(text, origin)
    return Document(content=text, kind="text", origin=origin)


def from_html(html: str, origin: str = "<html>", url: str | None = None) -> Document:
    """Wrap an HTML page given by a library caller; ``url`` is where it was published, if known.

    Raises SourceError when blank.  Characters are cleaned as in :func:`from_text`.
    """
    html = storable_text(html)
    _require_content(html, origin)
    return Document(content=html, kind="html", origin=origin, url=url)


def storable_text(text: str) -> str:
    """``text`` with lone surrogates and NUL characters replaced by U+FFFD."""
    return _UNSTORABLE.sub("\ufffd", text)


def _load_stdin() -> Document:
    origin = "<stdin>"
    stream = sys.stdin
    if stream is None or stream.closed:
        raise SourceError("standard input is closed; pipe an article into inbrief or name a file")
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        data = buffer.read(MAX_SOURCE_BYTES + 1)
    else:
        # A stdin replaced by a text stream (as some embedding hosts do) has no bytes to decode.
        data = stream.read(MAX_SOURCE_BYTES + 1).encode("utf-8")
    return _document_from_bytes(data, origin=origin, name=None)


def _load_file(source: str) -> Document:
    path = Path(source)
    try:
        if path.is_dir():
            raise SourceError(f"{source} is a directory; name a file inside it")
        size = path.stat().st_size
    except FileNotFoundError:
        raise SourceError(f"no such file: {source}") from None
    except PermissionError:
        raise SourceError(f"cannot read {source}: permission denied") from None
    except OSError as exc:
        raise SourceError(f"cannot read {source}: {exc.strerror or exc}") from None
    if size > MAX_SOURCE_BYTES:
        raise _too_large(source)
    try:
        # Bounded read: the size can grow after stat(), and devices or FIFOs report 0.
        with path.open("rb") as handle:
            data = handle.read(MAX_SOURCE_BYTES + 1)
    except PermissionError:
        raise SourceError(f"cannot read {source}: permission denied") from None
    except OSError as exc:
        raise SourceError(f"cannot read {source}: {exc.strerror or exc}") from None
    return _document_from_bytes(data, origin=source, name=source)


def _document_from_bytes(data: bytes, *, origin: str, name: str | None) -> Document:
    """Check and decode the bytes of a file or stdin (the web has its own errors, in web.py)."""
    if len(data) > MAX_SOURCE_BYTES:
        raise _too_large(origin)
    binary = sniff_binary(data)
    if binary is not None:
        raise SourceError(f"{origin} looks like a binary file ({binary}), not HTML or text")
    text = decode(data, origin=origin)
    _require_content(text, origin)
    return Document(content=text, kind=sniff_kind(text, name), origin=origin)


def _require_content(text: str, origin: str) -> None:
    if not text.strip():
        raise SourceError(f"{origin} is empty")


def _too_large(origin: str) -> SourceError:
    return SourceError(
        f"{origin} is larger than the {format_size(MAX_SOURCE_BYTES)} limit; "
        "give the article alone, not a whole archive"
    )
