"""Document -> Article: the article body and its metadata, without the page around it.

An HTML page (:mod:`~inbrief.extract.html`) gets two opinions on where its body is, reconciled
(:mod:`~inbrief.extract.body`), the tweets the story embeds put back
(:mod:`~inbrief.extract.embeds`) and its declared metadata (:mod:`~inbrief.extract.metadata`);
plain text (:mod:`~inbrief.extract.plain`) is split into paragraphs at blank lines.  Both
paths then drop the news furniture that extractors let through
(:mod:`~inbrief.extract.boilerplate`, with one phrase table per language in
:mod:`~inbrief.extract.phrases`), and the completeness gate (:mod:`~inbrief.extract.gate`)
says whether the text is likely the whole article: ``Article.complete`` and
``Article.incomplete_reason``.
"""

from __future__ import annotations

from dataclasses import replace

from inbrief.extract.boilerplate import MAX_BOILERPLATE_WORDS, clean_paragraphs
from inbrief.extract.phrases import BOILERPLATE
from inbrief.models import Article, Document
from inbrief.text import dateline_date, detect_language

__all__ = ["BOILERPLATE", "MAX_BOILERPLATE_WORDS", "clean_paragraphs", "extract"]


def extract(document: Document) -> Article:
    """The article in ``document``: clean paragraphs joined by blank lines, with metadata.

    Its ``language`` is the page's declared language unless the text is surely in another
    (``extract/language.py``), else a guess from the text; it is None only when the text is too
    short to tell.  Its ``date`` is the page's declared date, else
    the date of a dateline the text opens with (``30 octobre 2012. - Un nouveau ...``).  Raises
    :class:`ExtractError` when the document holds no article text.
    """
    # Imported here, not above: importing inbrief (for `inbrief --help`, say) must not load the
    # HTML stack (trafilatura, lxml), which costs more than most commands.
    if document.kind == "html":
        from inbrief.extract.html import extract_html

        article = extract_html(document)
    else:
        from inbrief.extract.plain import extract_text

        article = extract_text(document)
    if article.language is None:
        # The guess from the page's paragraphs may fail where the clean article text still tells.
        article = replace(article, language=detect_language(article.text))
    if article.date is None:
        article = replace(article, date=dateline_date(article.text, article.language))
    return article
