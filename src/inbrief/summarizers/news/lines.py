"""An article's sentences as one lower-cased string, one sentence per line.

Each pattern of the news rules then runs once over the article and its matches map back to
sentences by offset; patterns that only concern a few sentences run on those lines alone.
Letter case is dropped because cased news and the lower-cased CNN/DailyMail training text must
look alike to every rule and feature.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np


class ArticleLines:
    """The lower-cased sentences of one article, joined by ``\\n`` (so ``^``/``$`` are edges)."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.lines = [t.replace("\n", " ").lower() for t in texts]
        self.text = "\n".join(self.lines)
        self.size = len(self.lines)
        self.starts = np.cumsum([0] + [len(line) + 1 for line in self.lines[:-1]])

    def sentence_of(self, positions: Sequence[int]) -> np.ndarray:
        """Sentence number of each character position of :attr:`text`."""
        return np.searchsorted(self.starts, np.asarray(positions, dtype=np.int64), "right") - 1

    def flags(self, pattern: re.Pattern[str], only: np.ndarray | None = None) -> np.ndarray:
        """True for sentences where ``pattern`` matches (searching only ``only`` if given)."""
        found = np.zeros(self.size, dtype=bool)
        if only is not None:
            for i in np.flatnonzero(only).tolist():
                found[i] = pattern.search(self.lines[i]) is not None
            return found
        positions = [m.start() for m in pattern.finditer(self.text)]
        if positions:
            found[self.sentence_of(positions)] = True
        return found

    def opening(self, pattern: re.Pattern[str]) -> np.ndarray:
        """:meth:`flags` for a pattern that can only match at the start of a line (``^`` in
        ``re.MULTILINE`` mode, before any alternative).

        Tried at each line start instead of at every character (scanning the whole text for
        such a pattern was a tenth of the summarizer's time), and as ``finditer`` meets them:
        a line start inside a match that spans lines is passed over."""
        if not pattern.flags & re.MULTILINE or not pattern.pattern.lstrip().startswith("^"):
            raise ValueError(f"not a line-start pattern: {pattern.pattern[:40]!r}")
        found = np.zeros(self.size, dtype=bool)
        match, text = pattern.match, self.text
        resume = 0
        for line, start in enumerate(self.starts.tolist()):
            if start >= resume and (matched := match(text, start)) is not None:
                found[line] = True
                resume = matched.end()
        return found

    def containing(self, needle: str) -> np.ndarray:
        """True for sentences containing ``needle`` (a plain substring test)."""
        if needle not in self.text:
            return np.zeros(self.size, dtype=bool)
        return np.array([needle in line for line in self.lines], dtype=bool)
