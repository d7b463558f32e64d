"""Where the article's body is on an HTML page: two opinions, reconciled.

trafilatura's main extractor (precision mode, without its fallbacks) gives the first opinion,
readability (trafilatura's bundled port) the second.  Where they agree on the body, the
paragraphs only one of them keeps at the body's edges are page furniture: related headlines,
newsletter boxes, press-release boilerplate; where trafilatura caught only a teaser or another
block, readability's text replaces it.  Running the fallback ourselves is also cheaper than
trafilatura's cascade, which runs readability and often justext on every page.
"""

from __future__ import annotations

from collections.abc import Sequence

import trafilatura
from lxml.etree import _Element
from lxml.html import HtmlElement

from inbrief.extract.overlap import shared_flags, token_share
from inbrief.extract.paragraphs import normalize

try:  # trafilatura's bundled readability port: public functions, if not its documented API
    from trafilatura.external import sanitize_tree, try_readability
    from trafilatura.settings import Extractor

    _READABILITY_OPTIONS: Extractor | None = Extractor(precision=True, comments=False, tables=True)
except ImportError:  # pragma: no cover - a trafilatura that moved them: its own cascade only
    _READABILITY_OPTIONS = None

HAS_SECOND_OPINION = _READABILITY_OPTIONS is not None
"""Whether readability is there to give the second opinion; without it, trafilatura's own
fallbacks are the next best thing."""

_MIN_BODY_CHARS = 250  # trafilatura's own minimum extraction size (min_extracted_size)
_LONGER = 2  # trafilatura prefers readability's text when it is twice as long as its own
_SAME_BLOCK = 0.5  # share of the main text readability must hold to be the same block
_AGREEMENT = 0.65  # share of the main text readability must hold before its edges are trusted


def trafilatura_paragraphs(tree: HtmlElement, url: str | None, *, fast: bool = False) -> list[str]:
    """The article body as trafilatura finds it in precision mode, one string per paragraph.

    ``fast`` skips trafilatura's fallbacks (readability, justext, baseline); bare_extraction
    works on a copy, so ``tree`` is left as it was.
    """
    result = trafilatura.bare_extraction(
        tree,
        url=url,
        fast=fast,
        favor_precision=True,
        include_comments=False,
        include_tables=True,
        # Not "python": that format also renders the body as text, which render() does here.
        output_format="txt",
    )
    body = getattr(result, "body", None)
    return render(body) if body is not None else []


def readability_paragraphs(tree: HtmlElement) -> list[str]:
    """The article body as readability (trafilatura's bundled port) finds it; edits ``tree``."""
    if _READABILITY_OPTIONS is None:
        return []
    try:
        body, _ = sanitize_tree(try_readability(tree), _READABILITY_OPTIONS)
    except Exception:  # a second opinion that fails is no opinion, not an error
        return []
    return render(body)


SHORT_MAIN_RULE = "short-main"
"""Readability's text replaces a main text shorter than trafilatura's minimum."""
TEASER_RULE = "teaser-block"
"""Readability's text replaces a main text it does not hold and is under half as long."""
EDGE_RULE = "edge-trim"
"""The paragraphs only the main text has at its edges go, when the two agree on the rest."""
RULES = (SHORT_MAIN_RULE, TEASER_RULE, EDGE_RULE)


def reconcile(
    main: list[str], second: list[str], *, off: frozenset[str] = frozenset()
) -> list[str]:
    """One body from the two opinions (both already cleaned of news furniture); ``off`` names
    rules of :data:`RULES` not to apply."""
    main_chars, second_chars = _chars(main), _chars(second)
    if SHORT_MAIN_RULE not in off and main_chars < _MIN_BODY_CHARS and second_chars > main_chars:
        return second
    if not main or not second:
        return main
    shared = shared_flags(main, second)
    agreement = token_share(main, shared)
    if TEASER_RULE not in off and second_chars > _LONGER * main_chars and agreement < _SAME_BLOCK:
        # Two different blocks, and the main one much shorter: trafilatura caught a teaser.
        return second
    # When readability holds the main text and much more around it, the "more" was, on the dev
    # pages, the listing around a short post (teasers of other posts): the main text stays.
    if EDGE_RULE in off or agreement < _AGREEMENT:
        return main
    return _trim_edges(main, shared)


def _trim_edges(main: list[str], shared: Sequence[bool]) -> list[str]:
    """``main`` without the leading and trailing paragraphs the other opinion lacks: when the
    two agree on most of the text, what only one of them has at its edges is furniture."""
    start, end = 0, len(main)
    while start < end and not shared[start]:
        start += 1
    while end > start and not shared[end - 1]:
        end -= 1
    return main[start:end]


def _chars(paragraphs: Sequence[str]) -> int:
    return sum(len(p) for p in paragraphs)


# trafilatura's output tree: block elements become paragraphs, <lb/> a paragraph break,
# table cells of one row share a paragraph ("cell | cell"), everything else is inline.
_BLOCKS = frozenset({"p", "head", "item", "quote", "code", "list", "table", "row", "div"})


def render(body: _Element) -> list[str]:
    """An extractor's output tree as the article's paragraphs, each on one line."""
    paragraphs: list[str] = []
    line: list[str] = []

    def flush() -> None:
        text = normalize("".join(line))
        if text:
            paragraphs.append(text)
        line.clear()

    def walk(element: _Element, in_cell: bool) -> None:
        tag = element.tag
        if in_cell:
            if tag in _BLOCKS or tag == "lb":
                line.append(" ")
        elif tag in _BLOCKS or tag == "lb":
            flush()
        if tag == "cell":
            if element.getprevious() is not None:
                line.append(" | ")
            in_cell = True
        if element.text and tag != "lb":
            line.append(element.text)
        for child in element:
            walk(child, in_cell)
        if tag in _BLOCKS:
            if in_cell:
                line.append(" ")
            else:
                flush()
        if element.tail:
            line.append(element.tail)

    walk(body, False)
    flush()
    return paragraphs
