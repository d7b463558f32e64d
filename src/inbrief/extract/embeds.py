"""Embedded posts (tweets) the story quotes, put back into its body.

A tweet quoted in a story is part of the story (the benchmark's annotators keep every one),
but trafilatura drops those its embed wrapper hides (a "social-media-embed" ``<div>``).  The
page's own ``<blockquote class="twitter-tweet">`` carries the text even without its script.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml.etree import XPath
from lxml.html import HtmlElement

from inbrief.extract.overlap import GRAM, shared_flags
from inbrief.extract.paragraphs import normalize, words

_POST_CLASSES = ("twitter-tweet",)
_ANCHOR_WORDS = 8  # a paragraph is found again on the page by its first words
# Compiled once, not for every page.
_POST_QUOTES = XPath(
    "//blockquote[{}]".format(
        " or ".join(
            f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"
            for name in _POST_CLASSES
        )
    )
)


@dataclass(frozen=True)
class EmbeddedPost:
    """An embedded post's paragraphs, and the page text right before and after it."""

    paragraphs: tuple[str, ...]
    before: tuple[str, ...]
    after: tuple[str, ...]


def embedded_posts(tree: HtmlElement) -> list[EmbeddedPost]:
    """The embedded posts of the page, each with the block texts around it (document order)."""
    quotes = _POST_QUOTES(tree)
    if not quotes:
        return []
    # lxml hands out one proxy per node while a reference to it lives: keep them in sets.
    number = {quote: n for n, quote in enumerate(quotes)}
    inside = {element for quote in quotes for element in quote.iter()}
    blocks: list[str | int] = []  # block texts, and the number of each post among them
    for element in tree.iter("p", "h2", "h3", "h4", "li", "blockquote"):
        if element in number:
            blocks.append(number[element])
        elif element not in inside:
            text = normalize(element.text_content())
            if text:
                blocks.append(text)
    posts = []
    for position, block in enumerate(blocks):
        if isinstance(block, int):
            before = tuple(b for b in blocks[:position] if isinstance(b, str))
            after = tuple(b for b in blocks[position + 1 :] if isinstance(b, str))
            paragraphs = tuple(_render_quote(quotes[block]))
            if paragraphs:
                posts.append(EmbeddedPost(paragraphs, before, after))
    return posts


def _render_quote(quote: HtmlElement) -> list[str]:
    """A tweet's lines as paragraphs: its text (<br> and <p> break lines), then its byline."""
    lines: list[str] = []
    line: list[str] = []

    def walk(element: HtmlElement) -> None:
        if element.tag in ("p", "br"):
            lines.append("".join(line))
            line.clear()
        if element.text and element.tag != "br":
            line.append(element.text)
        for child in element:
            if isinstance(child.tag, str):
                walk(child)
            elif child.tail:
                line.append(child.tail)
        if element.tag == "p":
            lines.append("".join(line))
            line.clear()
        if element.tail and element is not quote:
            line.append(element.tail)

    walk(quote)
    lines.append("".join(line))
    return [text for text in map(normalize, lines) if text]


def _anchor(text: str) -> tuple[str, ...]:
    """A paragraph's first words, by which it is found again on the page; empty for a
    paragraph too short to be told apart from a label ("Advertisement", "Photo")."""
    found = words(text)
    return tuple(found[:_ANCHOR_WORDS]) if len(found) >= GRAM else ()


def with_embedded_posts(
    paragraphs: list[str], posts: Sequence[EmbeddedPost], extracted: Sequence[str]
) -> list[str]:
    """``paragraphs`` with each embedded post they lack put back where the page has it: after
    the last paragraph before it.  A post is inside the article when a paragraph of the body
    comes before it on the page and a paragraph an extractor took (``extracted``, before
    clean-up) comes after it; any other post is in a sidebar or a feed and stays out."""
    if not posts or not paragraphs:
        return paragraphs
    index: dict[tuple[str, ...], int] = {}
    for i, paragraph in enumerate(paragraphs):
        index.setdefault(_anchor(paragraph), i)
    taken = {_anchor(paragraph) for paragraph in extracted} | set(index)
    index.pop((), None)
    taken.discard(())
    inserts: dict[int, list[str]] = {}
    for post in posts:
        if _anchor(post.paragraphs[0]) in index or all(shared_flags(post.paragraphs, paragraphs)):
            continue  # already extracted
        before = [index[a] for a in map(_anchor, post.before) if a in index]
        if before and any(a in taken for a in map(_anchor, post.after)):
            inserts.setdefault(max(before), []).extend(post.paragraphs)
    if not inserts:
        return paragraphs
    merged: list[str] = []
    for i, paragraph in enumerate(paragraphs):
        merged.append(paragraph)
        merged.extend(inserts.get(i, ()))
    return merged
