"""Paraphrase or invention: which of a summary's words stand in for a word of the article.

A summary sentence that copies a run of its supporting sentence but has another word in the
middle of it ("the council closed the tunnel" where the article has "the council closed the
bridge") has substituted that word.  The summary's words are aligned to the supporting
sentence's, content word by content word; a word the article never uses that sits between two
aligned neighbours, where the support has one or two words of its own, replaces them.  When none
of those shares its opening letters, the swap is no inflection of the article's word: it is a
word brought in from elsewhere, which is what a changed fact looks like.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

from inbrief.verify.reading import Reading

MAX_GAP = 1
"""At most this many support words may be replaced by one summary word (measured in
docs/verify.md: wider gaps catch more changed words, and flag more faithful ones)."""
_RELATED_LETTERS = 3


def replaced(summary: Reading, support: Sequence[Reading]) -> dict[int, tuple[str, ...]]:
    """Positions (in ``summary.words``) of words that stand where a supporting sentence has
    other, unrelated words, with those words."""
    stems = [word.stem for word in summary.words]
    last = len(stems) - 1
    found: dict[int, tuple[str, ...]] = {}
    for reading in support:
        theirs = [word.stem for word in reading.words]
        matcher = SequenceMatcher(None, stems, theirs, autojunk=False)
        aligned: dict[int, int] = {}
        for mine, their, size in matcher.get_matching_blocks():
            for offset in range(size):
                aligned[mine + offset] = their + offset
        for position, word in enumerate(summary.words):
            if position in aligned or position in found:
                continue
            left = aligned.get(position - 1, -1 if position == 0 else None)
            right = aligned.get(position + 1, len(theirs) if position == last else None)
            if left is None or right is None or (position == 0 and position == last):
                continue
            gap = reading.words[left + 1 : right]
            if not 1 <= len(gap) <= MAX_GAP:
                continue
            opening = word.text[:_RELATED_LETTERS]
            if not any(other.text.startswith(opening) for other in gap):
                found[position] = tuple(other.text for other in gap)
    return found
