"""Plain text -> Article: wiki link markup unwrapped, paragraphs at blank lines, furniture
dropped line by line, and a first line that reads as a headline taken as the title."""

from __future__ import annotations

import re

from inbrief.errors import ExtractError
from inbrief.extract.boilerplate import boilerplate_mask, is_headline
from inbrief.extract.gate import assess
from inbrief.extract.markup import unwrap_wiki_markup
from inbrief.extract.paragraphs import join, normalize
from inbrief.models import Article, Document
from inbrief.text import detect_language, normalize_language
from inbrief.text.sentences import caption_line_breaks

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_TITLE_MAX_CHARS = 200


def extract_text(document: Document) -> Article:
    """The article in a plain-text ``document``; raises :class:`ExtractError` when none."""
    text = unwrap_wiki_markup(document.content.replace("\r\n", "\n").replace("\r", "\n"))
    blocks = [block.split("\n") for block in _BLANK_LINE.split(text.strip())]
    # Lines, not blocks, are cleaned: a widget often shares a block with the article's end
    # ("No time to read?\nGet a summary\nPrevious Article" in the seed page).
    lines = [(b, normalize(line)) for b, block in enumerate(blocks) for line in block]
    language = detect_language(" ".join(line for _, line in lines))
    mask = boilerplate_mask([line for _, line in lines], language)
    paragraphs: dict[int, list[str]] = {}
    for (b, line), drop in zip(lines, mask, strict=True):
        if line and not drop:
            paragraphs.setdefault(b, []).append(line)
    kept = list(paragraphs.values())

    title = None
    if len(kept) > 1 and len(kept[0]) == 1:
        first = kept[0][0]
        if len(first) <= _TITLE_MAX_CHARS and is_headline(first):
            title = first
            kept = kept[1:]
    body = [paragraph for lines_ in kept for paragraph in _paragraphs(lines_, language)]
    if not body:
        raise ExtractError(f"no article text found in {document.origin}")
    verdict = assess(body, language)
    return Article(
        text=join(body),
        title=title,
        language=normalize_language(language),
        url=document.url,
        origin=document.origin,
        complete=verdict.complete,
        incomplete_reason=verdict.reason,
    )


def _paragraphs(lines: list[str], language: str | None) -> list[str]:
    """A block's lines as paragraphs: one, but for a caption or heading line glued to the
    story ("The mayor at the opening\nThe bridge opened ..."), which is a paragraph of its own."""
    block = "\n".join(lines)
    paragraphs = []
    start = 0
    for line_break in caption_line_breaks(block, 0, len(block), language):
        paragraphs.append(block[start:line_break].replace("\n", " "))
        start = line_break + 1
    paragraphs.append(block[start:].replace("\n", " "))
    return paragraphs
