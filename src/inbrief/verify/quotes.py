"""Quotations: what a summary puts in quotation marks, and whether the article says it so.

>>> quotations('He called it "a once-in-a-lifetime chance".')
['a once-in-a-lifetime chance']

Quotation marks of English, French (« »), German („ “) and the PTB form (`` '') are read; a
quotation cut with an ellipsis (... or […]) is looked for piece by piece.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from inbrief.text import tokenize

_QUOTED = re.compile(
    r'"([^"]{2,}?)"|“([^”“]{2,}?)”|«\s?([^»«]{2,}?)\s?»|„([^“”„]{2,}?)[“”]|``\s?(.{2,}?)\s?\'\''
)
_ELLIPSIS = re.compile(r"\s*(?:\[\s?(?:\.\.\.|…)\s?\]|\(\s?(?:\.\.\.|…)\s?\)|\.\.\.|…)\s*")


def quotations(text: str) -> list[str]:
    """The quoted passages of ``text``, in order, without their marks."""
    return [next(group for group in match.groups() if group) for match in _QUOTED.finditer(text)]


def quoted_in(quotation: str, passages: Sequence[str]) -> bool:
    """Whether every piece of ``quotation`` (split at ellipses) stands word for word, as a run
    of tokens, in one of ``passages``."""
    streams = [tokenize(passage) for passage in passages]
    for piece in _ELLIPSIS.split(quotation):
        words = tokenize(piece)
        if words and not any(_has_run(stream, words) for stream in streams):
            return False
    return True


def _has_run(stream: list[str], words: list[str]) -> bool:
    size = len(words)
    first = words[0]
    return any(
        token == first and stream[at : at + size] == words for at, token in enumerate(stream)
    )
