"""py3langid's model, decompressed once into a cache folder and mapped from there afterwards.

py3langid ships its model xz-compressed and decompresses all 68 MB of it in every process that
names a language.  Here the first process writes the model's arrays, uncompressed, as ``.npy``
files into ``<cache>/langid-<sha256 of the shipped model>/`` (:mod:`inbrief.unpacked`); every
later process maps them.  The arrays and the code that scores with them are py3langid's own
(its :class:`LanguageIdentifier`), so the answers are py3langid's, bit for bit.  When the cache
cannot be written or read, the model is loaded as py3langid loads it, slower and with the same
answers.  A new py3langid release ships another model, hence another digest and another folder.
"""

from __future__ import annotations

import json
from functools import cache, partial
from pathlib import Path
from typing import Any

from inbrief.unpacked import CACHE_ENV, unpacked

__all__ = ["CACHE_ENV", "classify", "identifier", "rank"]

# The arrays py3langid's loader returns, in its order (modelio.load_model), and how each is
# held here: a numpy array for the scores, a buffer of machine integers for the DFA, which
# py3langid indexes one byte of text at a time from Python.
_ARRAYS = ("ptc", "pc", "nextmove", "nextmove_row", "out_feat")
_CLASSES = "classes.json"


def classify(sample: str) -> str:
    """py3langid's ``classify(sample)[0]``: the code of the likeliest language."""
    code, _ = identifier().classify(sample)
    return str(code)


def rank(sample: str) -> list[tuple[str, float]]:
    """py3langid's ``rank(sample)``: every language with its score, likeliest first."""
    return [(str(code), float(score)) for code, score in identifier().rank(sample)]


@cache
def identifier() -> Any:
    """py3langid's identifier over the cached model; py3langid itself (its module-level
    ``classify`` and ``rank``, loading the model its own way) when that cannot be had."""
    try:
        from py3langid import langid

        source = Path(langid.MODEL_DIR) / langid.MODEL_FILE
        folder = unpacked("langid", source, partial(_write, source))
        return _mapped(folder, langid.LanguageIdentifier)
    # An unwritable or damaged cache, or a py3langid whose internals differ from 0.4's (older
    # ones pickled their model): the same answers, only slower to start.
    except (OSError, ValueError, KeyError, ImportError, AttributeError, TypeError):
        import py3langid

        return py3langid


def _write(source: Path, folder: Path) -> None:
    """Decompress ``source`` into ``folder``."""
    import numpy as np
    from py3langid.modelio import load_model

    ptc, pc, classes, nextmove, row, output = load_model(source)
    arrays = {
        "ptc": np.asarray(ptc),
        "pc": np.asarray(pc),
        "nextmove": np.frombuffer(nextmove, dtype=f"={nextmove.typecode}"),
        "nextmove_row": np.frombuffer(row, dtype=f"={row.typecode}"),
        "out_feat": np.asarray(output, dtype=np.int32),
    }
    for name, array in arrays.items():
        np.save(folder / f"{name}.npy", array, allow_pickle=False)
    (folder / _CLASSES).write_text(json.dumps(list(classes)), encoding="utf-8")


def _mapped(folder: Path, identifier_class: type) -> Any:
    import numpy as np

    arrays = {
        name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in _ARRAYS
    }
    classes = json.loads((folder / _CLASSES).read_text(encoding="utf-8"))
    if len(classes) != len(arrays["pc"]) or arrays["ptc"].shape[1] != len(classes):
        raise ValueError(f"{folder}: the cached language model does not fit together")
    return identifier_class(
        np.asarray(arrays["ptc"]),
        np.asarray(arrays["pc"]),
        classes,
        memoryview(arrays["nextmove"]),
        memoryview(arrays["out_feat"]),
        tk_row=memoryview(arrays["nextmove_row"]),
    )
