"""Static word vectors: how close in meaning a summary's new word is to the article's words.

A writer's own word for something the article says ("talks" for "negotiations") sits near some
word of the article; a word brought in from another story usually sits near none.  The vectors
are wordllama's 256-dimension token embeddings (``l2_supercat_256``, MIT), which ship inside
its wheel with their tokenizer: they are read straight from the installed package's files with
``tokenizers`` and numpy, once per process, and nothing is ever downloaded (wordllama's own
loader would try the Hugging Face hub for the tokenizer).  A word of several tokens points the
way the sum of their vectors does.  Without wordllama installed :func:`available` is false,
and the check goes on without this signal.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np

_WEIGHTS = Path("weights") / "l2_supercat_256.safetensors"
_TOKENIZER = Path("tokenizers") / "l2_supercat_tokenizer_config.json"
_CACHE_SIZE = 200_000


@cache
def _package() -> Path | None:
    spec = find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    return root if (root / _WEIGHTS).is_file() and (root / _TOKENIZER).is_file() else None


def available() -> bool:
    """Whether the vectors can be read (the ``llm`` extra brings them)."""
    return _package() is not None and find_spec("tokenizers") is not None


def _ids(tokenizer: Any, vocabulary: dict[str, int], word: str, size: int) -> list[int]:
    # Most words are one token of the vocabulary (word-initial, "▁word"): a look-up is
    # much faster than the tokenizer, and gives the same id.
    single = vocabulary.get("\u2581" + word)
    if single is not None and single < size:
        return [single]
    return [i for i in tokenizer.encode(word, add_special_tokens=False).ids if i < size] or [0]


@cache
def _model() -> tuple[Any, np.ndarray, dict[str, int]]:
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    root = _package()
    if root is None:
        raise RuntimeError("wordllama is not installed")
    table = next(iter(load_file(str(root / _WEIGHTS)).values())).astype(np.float32)
    tokenizer = Tokenizer.from_file(str(root / _TOKENIZER))
    return tokenizer, table, tokenizer.get_vocab()


_known: dict[str, np.ndarray] = {}


def vectors(words: Iterable[str]) -> np.ndarray:
    """One unit vector a word, in order (rows of a float32 matrix)."""
    words = list(words)
    missing = sorted({word for word in words if word not in _known})
    if missing:
        tokenizer, table, vocabulary = _model()
        if len(_known) + len(missing) > _CACHE_SIZE:
            _known.clear()
        ids = [_ids(tokenizer, vocabulary, word, len(table)) for word in missing]
        starts = np.cumsum([0, *(len(i) for i in ids[:-1])])
        sums = np.add.reduceat(table[np.concatenate(ids)], starts, axis=0)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        unit = sums / np.where(norms > 0, norms, 1.0)
        _known.update(zip(missing, unit, strict=True))
    if not words:
        return np.zeros((0, 256), np.float32)
    return np.stack([_known[word] for word in words])


def closest(word: str, others: np.ndarray) -> float:
    """The highest cosine between ``word`` and the rows of ``others`` (0 when there are none)."""
    if not len(others):
        return 0.0
    return float(np.max(others @ vectors([word])[0]))
