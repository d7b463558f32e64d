"""An HTML page -> Article: its metadata, the body both opinions agree on, cleaned of news
furniture, with the embedded posts it quotes, and the gate's verdict on it."""

from __future__ import annotations

import re

import trafilatura
from lxml.html import HtmlElement

from inbrief.errors import ExtractError
from inbrief.extract.body import (
    HAS_SECOND_OPINION,
    readability_paragraphs,
    reconcile,
    trafilatura_paragraphs,
)
from inbrief.extract.boilerplate import clean_paragraphs
from inbrief.extract.embeds import embedded_posts, with_embedded_posts
from inbrief.extract.gate import assess, needs_javascript
from inbrief.extract.language import checked_language
from inbrief.extract.metadata import read_metadata
from inbrief.extract.paragraphs import join, normalize
from inbrief.extract.signals import page_signals
from inbrief.models import Article, Document
from inbrief.text.punctuation import ends_sentence, has_sentence_end


def extract_html(document: Document) -> Article:
    """The article in an HTML ``document``; raises :class:`ExtractError` when none."""
    # trafilatura rejects a lone fragment ("<p>...</p>") as not quite HTML; a page it is not.
    tree = trafilatura.load_html(document.content)
    if tree is None:
        tree = trafilatura.load_html(f"<html><body>{document.content}</body></html>")
    if tree is None:
        raise ExtractError(f"no article text found in {document.origin}")
    metadata = read_metadata(tree, document.url)
    _drop_hover_cards(tree)
    # Without a second opinion of our own, trafilatura's fallbacks are the next best thing.
    main = trafilatura_paragraphs(tree, document.url, fast=HAS_SECOND_OPINION)
    posts = embedded_posts(tree)
    signals = page_signals(tree)
    # Readability comes last: it edits the tree it reads.
    second = readability_paragraphs(tree)
    language = checked_language(metadata.language, " ".join(main or second))
    paragraphs = reconcile(clean_paragraphs(main, language), clean_paragraphs(second, language))
    # A post closing the story is inside it even when the text after it was cleaned away.
    paragraphs = with_embedded_posts(paragraphs, posts, [*main, *second])
    if not any(map(_is_prose, paragraphs)):
        # Neither opinion holds a sentence: trafilatura's full cascade (its own fallbacks,
        # justext and a whole-page baseline) is the last resort.
        fresh = trafilatura.load_html(document.content)
        if fresh is not None:
            paragraphs = clean_paragraphs(trafilatura_paragraphs(fresh, document.url), language)
    if paragraphs and metadata.title and _same_text(paragraphs[0], metadata.title):
        paragraphs = paragraphs[1:]
    # trafilatura falls back to whatever text a page has, menus included ("Home About").
    if not any(map(_is_prose, paragraphs)):
        script_only = needs_javascript(signals, language)
        hint = f": {script_only}" if script_only else ""
        raise ExtractError(f"no article text found in {document.origin}{hint}")
    verdict = assess(paragraphs, language, signals)
    return Article(
        text=join(paragraphs),
        title=metadata.title,
        author=metadata.author,
        date=metadata.date,
        language=language,
        site=metadata.site,
        url=metadata.url or document.url,
        origin=document.origin,
        complete=verdict.complete,
        incomplete_reason=verdict.reason,
    )


# A person's card that pops up over a linked name: their name again, their latest headlines,
# "MORE".  It sits inside the paragraph, so both extractors read it as part of the sentence.
# A glossary tooltip around a word holds no link or picture, and is left alone.
_HOVER_CARD = re.compile(r"rollover|hover-?card|popover", re.IGNORECASE)


def _drop_hover_cards(tree: HtmlElement) -> None:
    """Remove hover cards (linking to more) found inside paragraphs; the text after each stays.

    Only the innermost matching element goes: the outer one often wraps the linked name too
    (``<span class="rollover-people"><a>Name</a><span class="rollover-people-block">``)."""
    matching = [
        element
        for element in tree.iterfind(".//p//*[@class]")
        if element.tag != "a" and _HOVER_CARD.search(element.get("class", ""))
    ]
    inner = []
    for element in matching:
        if element.find(".//a") is not None and not any(
            _HOVER_CARD.search(child.get("class", "")) for child in element.iterfind(".//*[@class]")
        ):
            inner.append(element)
    for card in inner:
        card.drop_tree()


def _is_prose(paragraph: str) -> bool:
    """A sentence at least: it ends like one and has five words (or, for scripts written
    without spaces, 25 characters); or, since a closing sentence may lack its full stop, it
    runs to fifteen words (75 characters) with a sentence end inside."""
    if (len(paragraph.split()) >= 5 or len(paragraph) >= 25) and ends_sentence(paragraph):
        return True
    if len(paragraph.split()) >= 15 or len(paragraph) >= 75:
        return has_sentence_end(paragraph)
    return False


def _same_text(a: str, b: str) -> bool:
    return normalize(a).casefold() == normalize(b).casefold()
