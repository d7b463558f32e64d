"""The pipeline in one place: source -> Document -> Article -> sentences -> Summary.

The CLI, the web service and batch jobs all call these functions, so the same article and
options give the same summary on every interface.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from inbrief import sources
from inbrief.extract import extract as extract_document
from inbrief.keyphrases import keyphrases_of
from inbrief.models import Article, Budget, Document, Summary, SummaryStats
from inbrief.text import count_words
from inbrief.text.analysis import analyse

if TYPE_CHECKING:
    from inbrief.summarizers.base import Selection, Summarizer

DEFAULT_METHOD = "news"
DEFAULT_KEYWORDS = 5
# Average silent reading speed of adults for non-fiction (Brysbaert 2019, 238 words/minute);
# words as text.count_words counts them, a character each in Chinese and Japanese.
READING_WORDS_PER_MINUTE = 238
MAX_SUMMARIZED_SENTENCES = 1000
"""Summaries are drawn from an article's first this-many sentences.

The graph methods' time and memory grow with the square of the sentence count or faster, so a
huge text (well within the API's body limit) could hold a worker for minutes; news articles
have tens of sentences and long reads a few hundred.
"""

Source = str | Path | Document


def load(source: Source) -> Document:
    """Turn a library source into a Document.

    A :class:`~pathlib.Path` is read as a file; a ``str`` is fetched when it is an
    ``http(s)://`` URL, parsed as HTML when it starts with ``<``, and otherwise taken as the
    article's plain text. (Strings are never guessed to be file names: pass a ``Path``.)
    """
    if isinstance(source, Document):
        return source
    if isinstance(source, Path):
        return sources.load(str(source))
    stripped = source.lstrip()
    if stripped.startswith(("http://", "https://")) and not any(c.isspace() for c in stripped):
        return sources.load(stripped)
    if stripped.startswith("<"):
        return sources.from_html(source)
    return sources.from_text(source)


def extract(source: Source) -> Article:
    """Fetch or read ``source`` and return its clean article with metadata."""
    return extract_document(load(source))


def summarize(
    source: Source,
    *,
    sentences: int | None = None,
    words: int | None = None,
    chars: int | None = None,
    ratio: float | None = None,
    method: str = DEFAULT_METHOD,
    keywords: int = DEFAULT_KEYWORDS,
) -> Summary:
    """Summarize ``source`` within one budget (default: 3 sentences).

    >>> summary = summarize("The council met on Monday. It voted to close the bridge. ...")
    >>> [s.text for s in summary.sentences]  # doctest: +SKIP
    """
    budget = Budget.from_options(sentences=sentences, words=words, chars=chars, ratio=ratio)
    return summarize_article(extract(source), budget, method=method, keywords=keywords)


def summarize_article(
    article: Article,
    budget: Budget | None = None,
    *,
    method: str = DEFAULT_METHOD,
    keywords: int = DEFAULT_KEYWORDS,
) -> Summary:
    """Summarize an already extracted article; the step every interface shares.

    The summary is drawn from the first :data:`MAX_SUMMARIZED_SENTENCES` sentences (a ``ratio``
    is then a share of their words).
    """
    return summarize_budgets(article, (budget or Budget(),), method=method, keywords=keywords)[0]


def summarize_budgets(
    article: Article,
    budgets: Sequence[Budget],
    *,
    method: str = DEFAULT_METHOD,
    keywords: int = DEFAULT_KEYWORDS,
) -> tuple[Summary, ...]:
    """:func:`summarize_article` for each of ``budgets``, in their order: the same summaries,
    with one split of the article, one ranking (where the method's does not depend on the
    budget) and one set of key phrases shared by all."""
    # Imported here, not with the module: the summarizers bring numpy, and `import inbrief` must
    # not start it before the command line has set up the process (inbrief.__main__).
    from inbrief import summarizers

    summarizer = summarizers.get(method)
    # One split of the article serves the summarizer and the key phrases.
    analysis = analyse(article.text, article.language)
    selections = summarizer.summarize_each(
        analysis.sentences[:MAX_SUMMARIZED_SENTENCES],
        article.language,
        budgets,
        title=article.title,
    )
    phrases = keyphrases_of(analysis, keywords, title=article.title) if keywords else ()
    return tuple(
        _summary(article, analysis.words, budget, selection, summarizer, phrases)
        for budget, selection in zip(budgets, selections, strict=True)
    )


def _summary(
    article: Article,
    article_words: int,
    budget: Budget,
    selection: Selection,
    summarizer: Summarizer,
    keyphrases: tuple[str, ...],
) -> Summary:
    from inbrief import summarizers

    written = selection.written if selection.fallback is None else None
    shown = written.sentences if written else selection.sentences
    summary_words = sum(count_words(s.text) for s in shown)
    # A method that gave way (a written summary whose model was down) names the one that ran.
    made_by = summarizers.get(selection.method) if selection.method else summarizer
    stats = SummaryStats(
        article_words=article_words,
        summary_words=summary_words,
        minutes_saved=round(max(article_words - summary_words, 0) / READING_WORDS_PER_MINUTE, 1),
    )
    return Summary(
        article=article,
        sentences=selection.sentences,
        method=made_by.name,
        method_version=made_by.version,
        budget=budget,
        keyphrases=keyphrases,
        over_budget=selection.over_budget,
        stats=stats,
        written=selection.written,
        fallback=selection.fallback,
    )
