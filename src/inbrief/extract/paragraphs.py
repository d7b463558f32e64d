"""A paragraph's text as every step of extraction sees it: on one line, and as words."""

from __future__ import annotations

import re
from collections.abc import Sequence

# Zero-width characters CMSs leave between words; they are not whitespace to str.split().
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff"), None)
_WORD = re.compile(r"\w+")


def normalize(text: str) -> str:
    """One paragraph on one line: whitespace runs become single spaces, ends trimmed."""
    # Three scans in C cost less than one translate(), which looks up every character.
    if "\u200b" in text or "\u2060" in text or "\ufeff" in text:
        text = text.translate(_INVISIBLE)
    return " ".join(text.split())


def join(paragraphs: Sequence[str]) -> str:
    """The article's text: its paragraphs separated by blank lines."""
    return "\n\n".join(paragraphs)


def words(text: str) -> list[str]:
    """The paragraph's words, case-folded, by which two texts are compared."""
    return _WORD.findall(text.casefold())
