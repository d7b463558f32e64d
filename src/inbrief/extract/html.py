"""An HTML page -> Article: its metadata, the body both opinions agree on, cleaned of news
furniture, with the embedded posts it quotes, and the gate's verdict on it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from lxml.html import HtmlElement

from inbrief.errors import ExtractError
from inbrief.extract.body import (
    HAS_SECOND_OPINION,
    readability_paragraphs,
    reconcile,
    trafilatura_paragraphs,
)
from inbrief.extract.boilerplate import clean_paragraphs
from inbrief.extract.embeds import EmbeddedPost, embedded_posts, with_embedded_posts
from inbrief.extract.gate import CUT_SHARE, assess, declared_length, needs_javascript
from inbrief.extract.language import checked_language
from inbrief.extract.metadata import Metadata, read_metadata
from inbrief.extract.overlap import shared_flags
from inbrief.extract.paragraphs import join, normalize
from inbrief.extract.signals import PageSignals, page_signals
from inbrief.extract.tree import parse_html
from inbrief.models import Article, Document
from inbrief.text.punctuation import ends_sentence, has_sentence_end
from inbrief.text.tokens import count_words

HOVER_RULE = "hover-cards"
"""Person cards that pop up over a linked name go before extraction."""
TITLE_RULE = "title-line"
"""A first paragraph that repeats the title goes."""
EMBED_RULE = "embedded-posts"
"""Tweets the story embeds are put back where the page has them."""
RECOVER_RULE = "markup-length"
"""Readability's longer text replaces a main text the page's own markup says is cut."""
RULES = (HOVER_RULE, TITLE_RULE, EMBED_RULE, RECOVER_RULE)

RECOVER_OVER = 1.15
"""Readability's text replaces a cut main text only when it is no longer than this share of the
article's length as the page's markup gives it: more than that is the page around it."""

KEEP_SHARE = 0.25
"""A clean-up that keeps less than this share of the words the extractors agreed on threw
the article away with the furniture (a calendar of fixtures, a list of results): the
extractors' text is kept instead, and the gate judges it."""

LISTING_WORDS = 30
"""Text without a single sentence is still the article when the extractors agree on this
many words of it in lines of several words each: a table of dates or results, a live blog's
short entries, a list.  A menu is one or two words a line."""

LISTING_LINE_WORDS = 3  # mean words a line of a listing; a menu's links have one or two


@dataclass(frozen=True)
class Page:
    """What an HTML page holds before clean-up: its metadata, the two opinions on its body,
    the posts it embeds, its access signals and the language of its text."""

    metadata: Metadata
    main: list[str]
    second: list[str]
    posts: list[EmbeddedPost]
    signals: PageSignals
    language: str | None


def extract_html(document: Document, *, off: frozenset[str] = frozenset()) -> Article:
    """The article in an HTML ``document``; raises :class:`ExtractError` when none.

    ``off`` names clean-up rules not to apply (bench/extract_rules.py measures each one).
    """
    return article_from(document, read_page(document, off=off), off=off)


def read_page(document: Document, *, off: frozenset[str] = frozenset()) -> Page:
    """Parse ``document`` and run both extractors on it (the costly half of extraction)."""
    # A lone fragment ("<p>...</p>") is not quite HTML to trafilatura; a page it is not.
    tree = parse_html(document.content)
    if tree is None:
        tree = parse_html(f"<html><body>{document.content}</body></html>")
    if tree is None:
        raise ExtractError(f"no article text found in {document.origin}")
    metadata = read_metadata(tree, document.url)
    if HOVER_RULE not in off:
        _drop_hover_cards(tree)
    # Without a second opinion of our own, trafilatura's fallbacks are the next best thing.
    main = trafilatura_paragraphs(tree, document.url, fast=HAS_SECOND_OPINION)
    posts = embedded_posts(tree)
    signals = page_signals(tree)
    # Readability comes last: it edits the tree it reads.
    second = readability_paragraphs(tree)
    language = checked_language(metadata.language, " ".join(main or second))
    return Page(metadata, main, second, posts, signals, language)


def article_from(document: Document, page: Page, *, off: frozenset[str] = frozenset()) -> Article:
    """The clean article of a page both extractors have read; raises :class:`ExtractError`."""
    metadata, language = page.metadata, page.language
    main = clean_paragraphs(page.main, language, off=off)
    second = clean_paragraphs(page.second, language, off=off)
    paragraphs = reconcile(main, second, off=off)
    if RECOVER_RULE not in off:
        paragraphs = _recovered(paragraphs, second, page.signals)
    if EMBED_RULE not in off:
        # A post closing the story is inside it even when the text after it was cleaned away.
        paragraphs = with_embedded_posts(paragraphs, page.posts, [*page.main, *page.second])
    paragraphs = _kept(paragraphs, page, off)
    if not any(map(_is_prose, paragraphs)) and not _is_listing(paragraphs):
        # Neither opinion holds a sentence: trafilatura's full cascade (its own fallbacks,
        # justext and a whole-page baseline) is the last resort.
        fresh = parse_html(document.content)
        if fresh is not None:
            paragraphs = clean_paragraphs(
                trafilatura_paragraphs(fresh, document.url), language, off=off
            )
    if (
        TITLE_RULE not in off
        and paragraphs
        and metadata.title
        and _same_text(paragraphs[0], metadata.title)
    ):
        paragraphs = paragraphs[1:]
    # trafilatura falls back to whatever text a page has, menus included ("Home About").
    if not any(map(_is_prose, paragraphs)) and not _is_listing(paragraphs):
        script_only = needs_javascript(page.signals, language)
        hint = f": {script_only}" if script_only else ""
        raise ExtractError(f"no article text found in {document.origin}{hint}")
    verdict = assess(paragraphs, language, page.signals)
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
        image=metadata.image,
        image_alt=metadata.image_alt,
        description=metadata.description,
        tags=metadata.tags,
        categories=metadata.categories,
        videos=metadata.videos,
    )


def _recovered(paragraphs: list[str], second: list[str], signals: PageSignals) -> list[str]:
    """``second`` (readability's body) instead of ``paragraphs`` when the page's own article
    markup says ``paragraphs`` stop early and ``second`` holds them and about the rest.

    trafilatura takes the first element of an article-body class it finds; a page that splits
    its body into two such elements around a newsletter box or an ad slot loses the second
    one, while readability, which scores paragraphs by their parent, keeps both.
    """
    declared = declared_length(signals, paragraphs)
    found, longer = _words(paragraphs), _words(second)
    if declared is None or found >= CUT_SHARE * declared[0]:
        return paragraphs
    if found < longer <= RECOVER_OVER * declared[0] and all(shared_flags(paragraphs, second)):
        return second
    return paragraphs


def _kept(paragraphs: list[str], page: Page, off: frozenset[str]) -> list[str]:
    """``paragraphs``, or the body the two opinions agree on before any clean-up when the
    clean-up kept less than :data:`KEEP_SHARE` of its words: it would leave (nearly) nothing."""
    main = [text for text in map(normalize, page.main) if text]
    second = [text for text in map(normalize, page.second) if text]
    found = _words(paragraphs)
    # The agreed body is one opinion or a part of it: when even the longer opinion says
    # nothing is lost, the costly reconciling is not needed.
    if found >= KEEP_SHARE * max(_words(main), _words(second)):
        return paragraphs
    agreed = reconcile(main, second, off=off)
    return agreed if found < KEEP_SHARE * _words(agreed) else paragraphs


def _is_listing(paragraphs: Sequence[str]) -> bool:
    """Lines without sentences that are still an article: enough words, several a line."""
    words = _words(paragraphs)
    return words >= LISTING_WORDS and words >= LISTING_LINE_WORDS * len(paragraphs)


def _words(paragraphs: Sequence[str]) -> int:
    return sum(count_words(paragraph) for paragraph in paragraphs)


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
