"""The check of a summary against its article: deterministic, offline, fast.

    >>> article = split_sentences("The council met on Monday. It voted 7 to 2 to close the bridge.")
    >>> [c.supported for c in check_summary(["The council voted 7 to 3."], article, "en")]
    [False]

Each summary sentence is aligned to the article sentences that support it (the ones it cites,
once verified, or those alignment finds: :mod:`~inbrief.verify.support`), then read for what
those do not say (:mod:`~inbrief.verify.check`): numbers compared as values
(:mod:`~inbrief.verify.numbers`), weekdays and months (:mod:`~inbrief.verify.dates`),
quotations, names, content words and negations.  Any summary can be checked, from any tool;
``inbrief verify`` is the command.
"""

from __future__ import annotations

from collections.abc import Sequence

from inbrief.errors import VerifyError
from inbrief.models import Article, CheckedSentence, Sentence
from inbrief.text import normalize_language, split_sentences
from inbrief.verify.check import checked
from inbrief.verify.reading import read
from inbrief.verify.support import ArticleIndex
from inbrief.verify.words import require_wordfreq

__all__ = ["check_article", "check_sentence", "check_summary"]


def check_sentence(
    text: str,
    article: Sequence[Sentence],
    language: str | None,
    *,
    cited: Sequence[int] = (),
) -> CheckedSentence:
    """Check one summary sentence against the article's sentences (``split_sentences`` of
    its text); ``cited`` are the :attr:`~inbrief.models.Sentence.index` values its writer
    named, verified before they are trusted."""
    return check_summary([text], article, language, cited=[cited])[0]


def check_summary(
    summary: Sequence[str],
    article: Sequence[Sentence],
    language: str | None,
    *,
    cited: Sequence[Sequence[int]] | None = None,
) -> tuple[CheckedSentence, ...]:
    """Check each summary sentence, in order; ``cited[i]`` names the sentences sentence ``i``
    cites (None: no citations, alignment finds the support)."""
    if isinstance(summary, str):
        raise VerifyError("give the summary as a list of sentences (or use check_article)")
    if not summary:
        raise VerifyError("the summary has no sentences to check")
    if cited is not None and len(cited) != len(summary):
        raise VerifyError(
            f"cited names sentences for {len(cited)} summary sentences, the summary has "
            f"{len(summary)}"
        )
    require_wordfreq()
    code = normalize_language(language)
    index = ArticleIndex.build(article, code)
    return tuple(
        checked(text, read(text, code), index, cited[number] if cited is not None else ())
        for number, text in enumerate(summary)
    )


def check_article(
    article: Article,
    summary: Sequence[str] | str,
    *,
    cited: Sequence[Sequence[int]] | None = None,
) -> tuple[CheckedSentence, ...]:
    """Check a summary of ``article``: its text is split with
    :func:`~inbrief.text.split_sentences` in the article's language, and so is a summary
    given as one string."""
    sentences = split_sentences(article.text, article.language)
    if isinstance(summary, str):
        summary = [s.text for s in split_sentences(summary, article.language)]
    return check_summary(summary, sentences, article.language, cited=cited)
