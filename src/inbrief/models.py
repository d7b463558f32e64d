"""The small typed dataclasses that flow through the pipeline.

source -> :class:`Document` (fetched bytes, decoded) -> :class:`Article` (clean text and metadata)
-> :class:`Sentence` list -> :class:`Summary`; a summary a language model wrote carries its
:class:`Written` sentences, each a :class:`CheckedSentence` with the article sentences that
support it and the :class:`Problem` the check found.  All are frozen: a stage never edits what an
earlier stage produced, which keeps every interface deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ContentKind = Literal["html", "text"]
BudgetUnit = Literal["sentences", "words", "chars", "ratio"]


@dataclass(frozen=True)
class Document:
    """Raw content of one source, decoded to text, before extraction.

    ``origin`` names the source for messages (a path, a URL, ``<stdin>``, ``<text>``);
    ``url`` is set when the content came from the web (the final URL after redirects).
    """

    content: str
    kind: ContentKind
    origin: str
    url: str | None = None


@dataclass(frozen=True)
class Article:
    """A clean news article: its paragraphs joined by blank lines, plus metadata.

    ``text`` is the canonical article text; every offset inbrief reports points into it.
    ``image`` is the address of its top picture (absolute http/https, on the publisher's
    server) and ``image_alt`` the page's words for it; ``description`` the page's own summary
    line; ``tags`` and ``categories`` the publisher's; ``videos`` links to its videos.
    """

    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    language: str | None = None
    site: str | None = None
    url: str | None = None
    origin: str = "<text>"
    complete: bool = True
    incomplete_reason: str | None = None
    image: str | None = None
    image_alt: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    videos: tuple[str, ...] = ()

    @property
    def paragraphs(self) -> list[str]:
        """The article's paragraphs, in order."""
        return [p for p in self.text.split("\n\n") if p]


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article, with where it stands: ``article.text[start:end] == text``."""

    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Budget:
    """How long a summary may be: a count of sentences, words or characters, or a ratio of words.

    Exactly one unit is set; :meth:`from_options` builds it from the CLI/library keywords.
    """

    unit: BudgetUnit = "sentences"
    value: float = 3

    @classmethod
    def from_options(
        cls,
        *,
        sentences: int | None = None,
        words: int | None = None,
        chars: int | None = None,
        ratio: float | None = None,
    ) -> Budget:
        """Build a budget from at most one of the keywords; none gives the default, 3 sentences."""
        from inbrief.errors import BudgetError

        given = {
            unit: value
            for unit, value in (
                ("sentences", sentences),
                ("words", words),
                ("chars", chars),
                ("ratio", ratio),
            )
            if value is not None
        }
        # The messages name the keywords; the CLI words them as its flags (BudgetError.naming).
        if len(given) > 1:
            names = ", ".join("{}" for _ in given)
            raise BudgetError(f"give one budget at a time, not {names}", *given)
        if not given:
            return cls()
        unit, value = next(iter(given.items()))
        if unit == "ratio":
            if not 0 < value <= 1:
                raise BudgetError(f"{{}} must be in (0, 1], got {value}", unit)
        elif value != int(value) or value < 1:
            raise BudgetError(f"{{}} must be a whole number of at least 1, got {value}", unit)
        return cls(unit=unit, value=value)  # type: ignore[arg-type]

    def describe(self) -> str:
        """A short label such as ``3 sentences`` or ``ratio 0.2``."""
        if self.unit == "ratio":
            return f"ratio {self.value:g}"
        return f"{int(self.value)} {self.unit}"


@dataclass(frozen=True)
class SummaryStats:
    """Figures about a summary, for readers and for the JSON output."""

    article_words: int
    summary_words: int
    minutes_saved: float


ProblemKind = Literal["number", "date", "quotation", "name", "words", "support"]


@dataclass(frozen=True)
class Problem:
    """One thing a summary sentence says that the article sentences supporting it do not:
    ``{"kind": "number", "text": "21", "note": "not in the cited sentences"}``."""

    kind: ProblemKind
    text: str
    note: str


@dataclass(frozen=True)
class CheckedSentence:
    """A summary sentence as the check (:mod:`inbrief.verify`) read it against the article.

    ``support`` holds the article sentences it rests on (with their offsets into the article's
    text), ``cited`` the sentence indexes the writer named for it (empty when it named none),
    ``problems`` what the support does not say.  ``supported`` is true only without problems.
    """

    text: str
    supported: bool
    support: tuple[Sentence, ...]
    problems: tuple[Problem, ...] = ()
    cited: tuple[int, ...] = ()


@dataclass(frozen=True)
class Written:
    """What a language model wrote for a summary, after the check.

    ``sentences`` are the checked sentences kept, ``removed`` those the check refused (shown on
    request, never as checked).  The model saw ``seen`` of the article's ``total`` sentences:
    fewer when the article was longer than its context.
    """

    model: str
    prompt_version: str
    sentences: tuple[CheckedSentence, ...]
    removed: tuple[CheckedSentence, ...] = ()
    seen: int = 0
    total: int = 0

    @property
    def saw_selection(self) -> bool:
        """The model was shown a selection of the article, not all of it."""
        return self.seen < self.total


@dataclass(frozen=True)
class Summary:
    """A summary: chosen sentences in article order, each pointing back into ``article.text``.

    ``over_budget`` is true only when the first chosen sentence alone exceeds a word or
    character budget (inbrief never cuts a sentence).  A written summary (``written``) shows
    the model's checked sentences; ``sentences`` are then the article sentences supporting
    them.  ``fallback`` says why the method asked for was replaced by this one (a model
    server that is down, too few sentences surviving the check), or is None.
    """

    article: Article
    sentences: tuple[Sentence, ...]
    method: str
    method_version: str
    budget: Budget
    keyphrases: tuple[str, ...] = field(default=())
    over_budget: bool = False
    stats: SummaryStats | None = None
    written: Written | None = None
    fallback: str | None = None

    @property
    def shown(self) -> tuple[Sentence | CheckedSentence, ...]:
        """What a reader is shown: the written sentences of a written summary, else the chosen
        article sentences (a fallback shows the extractive summary it fell back to)."""
        if self.written is not None and self.fallback is None:
            return self.written.sentences
        return self.sentences
