"""What must hold for any input, checked the same way by the fuzz targets and the property tests.

    check_sentences(text, split_sentences(text, "en"))
    check_summary(article, summary, split_sentences(article.text, article.language))

Each check raises :class:`Broken` (an ``AssertionError``, but raised explicitly so that
``python -O`` keeps it) naming the first property that failed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from inbrief.models import Article, Sentence, Summary
from inbrief.text import count_words

# A blank line, as inbrief.text reads paragraph breaks: a newline, optional spaces, a newline.
BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


class Broken(AssertionError):
    """A property that must hold for every input did not."""


def require(condition: bool, message: str) -> None:
    """Raise :class:`Broken` with ``message`` unless ``condition`` holds."""
    if not condition:
        raise Broken(message)


def check_sentences(text: str, sentences: Sequence[Sentence]) -> None:
    """Sentence splitting: offsets slice ``text`` exactly, indices run 0, 1, 2 ..., sentences
    are non-empty, in order, do not overlap, start and end on non-space characters, never hold
    a blank line, and together cover every non-space character of ``text``."""
    previous_end = 0
    for position, sentence in enumerate(sentences):
        where = f"sentence {position} ({sentence.start}:{sentence.end})"
        require(sentence.index == position, f"{where} has index {sentence.index}")
        require(0 <= sentence.start < sentence.end <= len(text), f"{where} is out of range")
        require(text[sentence.start : sentence.end] == sentence.text, f"{where} is not its slice")
        require(sentence.start >= previous_end, f"{where} overlaps or precedes the one before")
        require(
            not sentence.text[0].isspace() and not sentence.text[-1].isspace(),
            f"{where} is not trimmed",
        )
        require(BLANK_LINE.search(sentence.text) is None, f"{where} crosses a blank line")
        gap = text[previous_end : sentence.start]
        require(not gap.strip(), f"text before {where} belongs to no sentence: {gap[:40]!r}")
        previous_end = sentence.end
    require(not text[previous_end:].strip(), "text after the last sentence belongs to none")
    require(bool(sentences) == bool(text.strip()), "a non-blank text gave no sentence")


def words(sentence: Sentence) -> int:
    """Words as the summary budget counts them."""
    return count_words(sentence.text)


def check_summary(article: Article, summary: Summary, split: Sequence[Sentence]) -> None:
    """Summarization: never empty for an article with sentences, sentences are the article's
    own (same index, offsets and text as ``split``), in article order, without repeats, and
    within the budget unless ``over_budget`` says why not."""
    chosen = summary.sentences
    require(bool(chosen) == bool(split), f"{len(chosen)} sentences chosen from {len(split)}")
    require(summary.article == article, "the summary is not of the article given")
    indices = [sentence.index for sentence in chosen]
    require(indices == sorted(set(indices)), f"sentences out of article order: {indices}")
    for sentence in chosen:
        require(0 <= sentence.index < len(split), f"sentence index {sentence.index} not in split")
        require(sentence == split[sentence.index], f"sentence {sentence.index} is not the split's")
        require(
            article.text[sentence.start : sentence.end] == sentence.text,
            f"sentence {sentence.index} does not slice the article text",
        )
    budget = summary.budget
    if budget.unit == "sentences":
        require(len(chosen) <= budget.value, f"{len(chosen)} sentences over {budget.describe()}")
        require(not summary.over_budget, "a sentence budget was flagged over budget")
        return
    if budget.unit == "ratio":
        size, limit = words, budget.value * sum(words(sentence) for sentence in split)
    elif budget.unit == "words":
        size, limit = words, budget.value
    else:
        size, limit = (lambda sentence: len(sentence.text)), budget.value
    used = sum(size(sentence) for sentence in chosen)
    if summary.over_budget:
        require(budget.unit != "ratio", "a ratio budget was flagged over budget")
        require(
            len(chosen) == 1 and used > limit,
            f"over_budget with {len(chosen)} sentences using {used} of {budget.describe()}",
        )
    else:
        # A ratio budget always keeps one sentence, even one longer than the share asked for.
        single = budget.unit == "ratio" and len(chosen) == 1
        require(used <= limit or single, f"{used} used of {budget.describe()}, not flagged")
