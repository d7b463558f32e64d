"""A summary's new words, and what tells a writer's own wording from a word brought in.

A content word the article never uses (by stem or first letters) is either the writer's
wording or an invention.  What tells them apart is measured per word (:func:`candidates`):

- how common it is in the language (wordfreq's Zipf scale);
- whether it takes the place of one support word between two copied ones ("the council
  closed the tunnel" where the support says "the bridge"), how many of its neighbours are
  copied, and how long a copied phrase it fills a slot of (raw tokens, stop words included);
- how much of the rest of the sentence is the writer's own wording;
- how close it is in meaning to the article's words and to the support word it replaces
  (:mod:`~inbrief.verify.vectors`, when installed).

A logistic regression fitted on the tuning half of the dev sets (``bench/guard_fit.py``)
weighs them; its weights and threshold are the few numbers in ``inbrief/data/novelty.json``,
one model a language it was fitted for (English's for the others).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from importlib.resources import files

import numpy as np

from inbrief.text import tokenize
from inbrief.verify import vectors
from inbrief.verify.reading import Reading
from inbrief.verify.support import ArticleIndex
from inbrief.verify.words import Word, zipf

FEATURES = (
    "zipf",
    "substitute",
    "copied_neighbours",
    "own_wording",
    "near_article",
    "near_replaced",
    "near_support",
    "slot",
)
SLOT_RUN = 3
"""Tokens on each side of a word that count towards its slot (see :func:`_slot`)."""
# A replaced word opening with the same letters is the word's inflection or derivation, no swap.
_RELATED_LETTERS = 3


@dataclass(frozen=True)
class Candidate:
    """A summary word the article does not use, with what the model weighs."""

    position: int
    word: Word
    replaces: tuple[str, ...]
    features: tuple[float, ...]


def _alignments(summary: Reading, support: Sequence[Reading]) -> list[dict[int, int]]:
    stems = [word.stem for word in summary.words]
    found = []
    for reading in support:
        matcher = SequenceMatcher(None, stems, [w.stem for w in reading.words], autojunk=False)
        aligned: dict[int, int] = {}
        for mine, theirs, size in matcher.get_matching_blocks():
            for offset in range(size):
                aligned[mine + offset] = theirs + offset
        found.append(aligned)
    return found


def _gap(position: int, last: int, aligned: dict[int, int], size: int) -> tuple[int, int] | None:
    """The support words between the aligned neighbours of ``position`` (as a slice)."""
    left = aligned.get(position - 1, -1 if position == 0 else None)
    right = aligned.get(position + 1, size if position == last else None)
    if left is None or right is None or (position == 0 and position == last):
        return None
    return (left + 1, right) if 1 <= right - left - 1 <= 2 else None


def _tokens(index: ArticleIndex, position: int) -> list[str]:
    table = index.cache.setdefault("tokens", {})
    if position not in table:
        table[position] = tokenize(index.sentences[position].text)
    found: list[str] = table[position]
    return found


def _slot(mine: list[str], at: int, theirs: list[str]) -> int:
    """How many tokens around ``mine[at]`` stand the same around one other token of
    ``theirs`` (up to :data:`SLOT_RUN` each side): a word put in place of one in an otherwise
    copied phrase ("closed the tunnel for repairs" for "closed the bridge for repairs") fills
    a slot of the support; a writer rewording a phrase changes its other tokens too."""
    best = 0
    for j, token in enumerate(theirs):
        if token == mine[at]:
            continue
        left = 0
        while left < SLOT_RUN and at - left > 0 and j - left > 0:
            if mine[at - left - 1] != theirs[j - left - 1]:
                break
            left += 1
        right = 0
        while right < SLOT_RUN and at + right + 1 < len(mine) and j + right + 1 < len(theirs):
            if mine[at + right + 1] != theirs[j + right + 1]:
                break
            right += 1
        best = max(best, left + right if left and right else 0)
    return best


def _where(word: Word, tokens: list[str]) -> int | None:
    for at, token in enumerate(tokens):
        if (
            token == word.text
            or token.startswith(word.text + "'")
            or token.endswith("'" + word.text)
        ):
            return at
    return None


def _article_vectors(index: ArticleIndex) -> np.ndarray:
    cached = index.cache.get("vectors")
    if cached is None:
        words = sorted({w.text for reading in index.readings for w in reading.words})
        cached = index.cache["vectors"] = vectors.vectors(words)
    return cached


def candidates(
    summary: Reading, support: Sequence[Reading], index: ArticleIndex, skip: frozenset[str]
) -> list[Candidate]:
    """The summary's content words the article does not use (``skip``: names, left to the
    name test), once each, with their features in :data:`FEATURES` order."""
    new = [
        not index.holding_word(word.stem, word.prefix) and word.text not in skip
        for word in summary.words
    ]
    if not any(new):
        return []
    with_vectors = vectors.available()
    article_vectors = _article_vectors(index) if with_vectors else None
    if article_vectors is not None:
        support_vectors = vectors.vectors(sorted({w.text for r in support for w in r.words}))
    alignments = _alignments(summary, support)
    mine = tokenize(summary.text)
    positions = [p for p, r in enumerate(index.readings) if any(r is s for s in support)]
    last = len(summary.words) - 1
    seen: set[str] = set()
    found = []
    for position, word in enumerate(summary.words):
        if not new[position] or word.stem in seen:
            continue
        seen.add(word.stem)
        copied = 0.0
        replaces: tuple[str, ...] = ()
        for reading, aligned in zip(support, alignments, strict=True):
            around = sum(
                1.0 if neighbour in aligned else 0.5 if neighbour in (-1, last + 1) else 0.0
                for neighbour in (position - 1, position + 1)
            )
            copied = max(copied, around)
            gap = _gap(position, last, aligned, len(reading.words))
            if gap and not replaces:
                others = tuple(w.text for w in reading.words[gap[0] : gap[1]])
                if len(others) == 1 and not others[0].startswith(word.text[:_RELATED_LETTERS]):
                    replaces = others
        others_new = sum(new) - 1
        own = others_new / last if last else 0.0
        near_article = near_replaced = near_support = 0.0
        if article_vectors is not None:
            near_article = vectors.closest(word.text, article_vectors)
            if replaces:
                near_replaced = vectors.closest(word.text, vectors.vectors(replaces))
            near_support = vectors.closest(word.text, support_vectors)
        at = _where(word, mine)
        slot = 0
        if at is not None:
            slot = max((_slot(mine, at, _tokens(index, p)) for p in positions), default=0)
        features = (
            zipf(word.text, index.language),
            1.0 if replaces else 0.0,
            copied,
            own,
            near_article,
            near_replaced,
            near_support,
            float(slot),
        )
        found.append(Candidate(position, word, replaces, tuple(round(f, 4) for f in features)))
    return found


@cache
def _model() -> dict[str, object]:
    text = files("inbrief").joinpath("data/novelty.json").read_text(encoding="utf-8")
    loaded: dict[str, object] = json.loads(text)
    return loaded


def _weights(language: str | None) -> dict[str, float]:
    models = _model()
    model: dict[str, dict[str, float]] = models.get(language or "", models["default"])  # type: ignore[assignment]
    return model["with_vectors" if vectors.available() else "without_vectors"]


def score(candidate: Candidate, language: str | None) -> float:
    """The model's log-odds that the word was brought in rather than the writer's wording."""
    weights = _weights(language)
    total = weights["bias"]
    for name, value in zip(FEATURES, candidate.features, strict=True):
        total += weights.get(name, 0.0) * value
    return round(total, 6)


def brought_in(candidate: Candidate, language: str | None) -> bool:
    """Whether the model takes the word for one brought in (its log-odds above the threshold
    fitted with the weights, for the language or, for another, English's)."""
    return score(candidate, language) > _weights(language)["threshold"]
