"""How much of one text another holds, by word 4-grams: the measure by which the two opinions
on the body are compared and an embedded post is recognised as already extracted."""

from __future__ import annotations

from collections.abc import Sequence

from inbrief.extract.paragraphs import words

GRAM = 4
_PARAGRAPH_SHARED = 0.5  # share of a paragraph's 4-grams the other text must hold


def shared_flags(paragraphs: Sequence[str], other: Sequence[str]) -> list[bool]:
    """For each paragraph, whether most of it (its word 4-grams) is in ``other`` too."""
    other_words = [words(p) for p in other]
    grams = {tuple(w[i : i + GRAM]) for w in other_words for i in range(len(w) - GRAM + 1)}
    joined = " " + " ".join(" ".join(w) for w in other_words) + " "
    flags = []
    for paragraph in paragraphs:
        own_words = words(paragraph)
        if len(own_words) < GRAM:
            flags.append(f" {' '.join(own_words)} " in joined)
            continue
        own = [tuple(own_words[i : i + GRAM]) for i in range(len(own_words) - GRAM + 1)]
        flags.append(sum(g in grams for g in own) >= _PARAGRAPH_SHARED * len(own))
    return flags


def token_share(paragraphs: Sequence[str], flags: Sequence[bool]) -> float:
    """The share of the words of ``paragraphs`` that stand in the flagged ones."""
    sizes = [len(words(p)) for p in paragraphs]
    total = sum(sizes)
    return sum(s for s, f in zip(sizes, flags, strict=True) if f) / total if total else 0.0
