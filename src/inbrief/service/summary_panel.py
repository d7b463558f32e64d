"""The summary panel of an article page: the length menu, and a summary as the page shows it.

A summary is either extractive (sentences of the article, each a link to where it stands) or
written by the operator's language model: then each sentence links to the article sentences
the check found it rests on, the page names the model, and the sentences the check removed are
listed on request.  A written summary that fell back to the extractive one says why.  The views
are built from the summary's JSON (:func:`inbrief.render.summary_to_dict`), the very dict the
API returns, so the page and ``reader.js`` show the same summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from inbrief.cache import cached_summary
from inbrief.ingest import DEFAULT_BUDGETS, WRITTEN_METHOD
from inbrief.models import Budget
from inbrief.pipeline import DEFAULT_METHOD
from inbrief.service.written import told_to_readers
from inbrief.store import Store, StoredArticle


@dataclass(frozen=True)
class BudgetOption:
    """One choice of the summary length menu: ``?summary=KEY`` on the article page."""

    key: str
    label: str
    budget: Budget
    bullets: bool = False

    @cached_property
    def query(self) -> str:
        """The budget as the API's query string (``sentences=3``)."""
        value = self.budget.value if self.budget.unit == "ratio" else int(self.budget.value)
        return urlencode({str(self.budget.unit): value})


def _options(budgets: Sequence[Budget]) -> tuple[BudgetOption, ...]:
    # The lengths ingest precomputes, so every choice is answered from the cache; "bullets"
    # is the first of them shown as a list, not another summary.
    lengths = tuple(BudgetOption(f"{b.unit}-{b.value:g}", b.describe(), b) for b in budgets)
    return (*lengths, BudgetOption("bullets", "bullets", budgets[0], bullets=True))


BUDGET_OPTIONS = _options(DEFAULT_BUDGETS)


@dataclass(frozen=True)
class SummarySentence:
    """A summary sentence and the article sentences a click on it shows: its own ``index``
    for an extractive sentence, the ones supporting it (``support``) for a written one."""

    index: int
    text: str
    support: tuple[int, ...] = ()


@dataclass(frozen=True)
class RemovedSentence:
    """A sentence the model wrote and the check removed, with what the check found."""

    text: str
    problems: tuple[str, ...]


@dataclass(frozen=True)
class WrittenView:
    """Who wrote a summary and what the check kept out of it.

    The model saw ``seen`` of the article's ``total`` sentences (fewer for a long article).
    """

    model: str
    removed: tuple[RemovedSentence, ...]
    seen: int
    total: int

    @property
    def saw_selection(self) -> bool:
        """The model was shown a selection of the article, not all of it."""
        return self.seen < self.total


@dataclass(frozen=True)
class SummaryView:
    """A summary as the page shows it (the no-JavaScript path).

    ``written_asked``: the reader asked for the written summary.  ``written`` is set when the
    model answered; ``fallback`` says why the sentences shown are the extractive ones instead.
    """

    option: BudgetOption
    sentences: tuple[SummarySentence, ...]
    minutes_saved: float | None
    over_budget: bool
    written_asked: bool = False
    written: WrittenView | None = None
    fallback: str | None = None

    @property
    def opening(self) -> bool:
        """Whether the summary is the article's first sentences, the very text the page shows
        right below it: the page then says so rather than present it as news of its own."""
        if self.shows_written:
            return False
        indexes = [s.index for s in self.sentences]
        return bool(indexes) and indexes == list(range(len(indexes)))

    @property
    def shows_written(self) -> bool:
        """The sentences shown are the model's, checked (not a fallback)."""
        return self.written is not None and self.fallback is None

    @property
    def kind(self) -> str:
        """``written`` or ``extract``: which button of the control asked for it."""
        return "written" if self.written_asked else "extract"


def problem_text(problem: dict[str, Any]) -> str:
    """One problem the check found, for a reader: ``number “21”: not in the cited sentences``."""
    return f"{problem['kind']} “{problem['text']}”: {problem['note']}"


def written_view(written: dict[str, Any]) -> WrittenView:
    """The ``written`` part of a summary's JSON as the page shows it."""
    removed = tuple(
        RemovedSentence(s["text"], tuple(problem_text(p) for p in s["problems"]))
        for s in written["removed_sentences"]
    )
    return WrittenView(
        model=written["model"],
        removed=removed,
        seen=written["sentences_seen"],
        total=written["sentences_total"],
    )


def _sentence(sentence: dict[str, Any]) -> SummarySentence:
    if "support" not in sentence:  # an article sentence
        return SummarySentence(sentence["index"], sentence["text"])
    support = tuple(s["index"] for s in sentence["support"])
    return SummarySentence(support[0] if support else -1, sentence["text"], support)


def summary_view(
    store: Store, stored: StoredArticle, option: BudgetOption, *, written: bool = False
) -> SummaryView:
    """The cached summary of ``stored`` for ``option`` (the same dict the API returns); with
    ``written``, the one the language model writes (made now on a miss: this waits for it)."""
    method = WRITTEN_METHOD if written else DEFAULT_METHOD
    summary = told_to_readers(cached_summary(store, stored, option.budget, method))
    made = summary.get("written")
    return SummaryView(
        option=option,
        sentences=tuple(_sentence(s) for s in summary["sentences"]),
        minutes_saved=summary["stats"]["minutes_saved"],
        over_budget=summary["over_budget"],
        written_asked=written,
        written=written_view(made) if made else None,
        fallback=summary.get("fallback"),
    )
