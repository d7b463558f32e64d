"""An article's text as the page shows it: paragraphs, subheadings and lists of sentence pieces.

The stored text is plain: blocks between blank lines, as extraction wrote them, with a list item
as a block starting ``"- "`` and a subheading as a short block of its own.  The structure is
read back from that text here, at render time, so the text and the offsets summaries point into
never change: every sentence stays one ``<span class="sentence" data-index="N">`` (or several,
when a block ends inside it), wherever it is shown.

    >>> from inbrief.text import split_sentences
    >>> text = "Lead.\\n\\nWhat changed\\n\\nBody.\\n\\n- One.\\n\\n- Two."
    >>> [b.kind for b in article_blocks(text, split_sentences(text, "en"))]
    ['paragraph', 'heading', 'paragraph', 'list']
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from markupsafe import Markup, escape

from inbrief.models import Sentence
from inbrief.text.punctuation import is_heading

LIST_MARKER = "- "
"""How extraction writes a list item: a block, or a line of a block of them, starting so."""
_NEXT_ITEM = re.compile(r"\n(?=- )")


@dataclass(frozen=True)
class TextPiece:
    """A run of article text; ``index`` is its sentence (None between sentences).

    A sentence broken by a paragraph end becomes several pieces; ``anchor`` marks its first,
    which carries the ``id="s-N"`` that summary links jump to.
    """

    text: str
    index: int | None = None
    anchor: bool = False


Pieces = tuple[TextPiece, ...]


@dataclass(frozen=True)
class Block:
    """A paragraph, a subheading, or a list: ``items`` holds one run of pieces for the first
    two and one per list item (shown without its ``"- "`` marker)."""

    kind: Literal["paragraph", "heading", "list"]
    items: tuple[Pieces, ...]


def sentence_paragraphs(text: str, sentences: Sequence[Sentence]) -> tuple[Pieces, ...]:
    """``text`` as paragraphs (split at blank lines) of pieces, each sentence marked.

    Joining every piece's text, with ``"\\n\\n"`` between paragraphs, gives back ``text``
    without its blank paragraphs.
    """
    paragraphs: list[list[TextPiece]] = [[]]

    def add(run: str, index: int | None, anchor: bool) -> None:
        if "\n\n" not in run:  # most runs: a sentence, or the space after one
            if run:
                paragraphs[-1].append(TextPiece(run, index, anchor))
            return
        for number, part in enumerate(run.split("\n\n")):
            if number:
                paragraphs.append([])
            if part:
                paragraphs[-1].append(TextPiece(part, index, anchor))
                anchor = False  # a sentence's first piece carries its anchor

    position = 0
    for sentence in sentences:
        if sentence.start > position:
            add(text[position : sentence.start], None, False)
        add(text[sentence.start : sentence.end], sentence.index, True)
        position = sentence.end
    if position < len(text):
        add(text[position:], None, False)
    return tuple(tuple(pieces) for pieces in paragraphs if any(p.text.strip() for p in pieces))


def _heading_like(block: str) -> bool:
    # A subheading is one short line that does not end like a sentence (the summarizer's own
    # test, text.punctuation.is_heading) and starts with a letter: not a map legend ("██ ..."),
    # an attribution (a dash, then "CNN") or a quotation's ellipsis.
    line = block.strip()
    return bool(line) and "\n" not in line and line[0].isalpha() and is_heading(line)


def _slice(pieces: Pieces, begin: int, end: int, anchored: set[int | None]) -> Pieces:
    """The pieces of characters ``begin:end`` of the run ``pieces`` makes.  A sentence's
    anchor goes to the first of its pieces kept, unless ``anchored`` (updated) says it has one."""
    kept: list[TextPiece] = []
    position = 0
    for piece in pieces:
        start, stop = max(begin, position), min(end, position + len(piece.text))
        if start < stop:
            anchor = piece.anchor and piece.index not in anchored
            if anchor:
                anchored.add(piece.index)
            kept.append(
                TextPiece(piece.text[start - position : stop - position], piece.index, anchor)
            )
        position += len(piece.text)
    return tuple(kept)


def _list_items(pieces: Pieces) -> tuple[Pieces, ...]:
    """A block of ``"- "`` lines as its items' pieces, each less its marker and line break."""
    block = "".join(piece.text for piece in pieces)
    first = len(block) - len(block.lstrip())
    starts = [first, *(m.end() for m in _NEXT_ITEM.finditer(block))]
    ends = [start - 1 for start in starts[1:]] + [len(block)]  # the line break before an item
    anchored: set[int | None] = set()
    return tuple(
        _slice(pieces, start + len(LIST_MARKER), end, anchored)
        for start, end in zip(starts, ends, strict=True)
    )


def article_blocks(text: str, sentences: Sequence[Sentence]) -> tuple[Block, ...]:
    """``text`` as blocks of sentence pieces: runs of ``"- "`` blocks become one list, a
    heading-like block that a section follows a subheading, everything else a paragraph.

    A heading-like block that opens the article, is followed by another one, or by less than
    two blocks stays a paragraph: those are captions, credits and legends far more often than
    headings (this finds 19 in the demo corpus: 17 subheadings, a caption, a "read more" line).
    """
    paragraphs = sentence_paragraphs(text, sentences)
    raw = ["".join(piece.text for piece in pieces).lstrip() for pieces in paragraphs]
    blocks: list[Block] = []
    for number, (pieces, block) in enumerate(zip(paragraphs, raw, strict=True)):
        if block.startswith(LIST_MARKER):
            items = _list_items(pieces)
            if blocks and blocks[-1].kind == "list":
                blocks[-1] = Block("list", (*blocks[-1].items, *items))
            else:
                blocks.append(Block("list", items))
        elif (
            0 < number < len(raw) - 2
            and _heading_like(block)
            and not _heading_like(raw[number + 1])
        ):
            blocks.append(Block("heading", (pieces,)))
        else:
            blocks.append(Block("paragraph", (pieces,)))
    return tuple(blocks)


_SEPARATOR = "\x00"  # escape() keeps it; a text holding one is escaped piece by piece


def _escaped(texts: list[str]) -> list[str]:
    """Each text HTML-escaped, in one escape() call for the whole article: an article page
    has a few hundred pieces, and a call each cost a tenth of the page's render."""
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) != len(texts) - 1:
        return [str(escape(text)) for text in texts]
    return str(escape(joined)).split(_SEPARATOR)


def _pieces_html(pieces: Pieces, escaped: Iterator[str]) -> str:
    parts: list[str] = []
    for piece in pieces:
        text = next(escaped)
        if piece.index is None:
            parts.append(text)
        elif piece.anchor:
            number = piece.index
            parts.append(
                f'<span class="sentence" data-index="{number}" id="s-{number}">{text}</span>'
            )
        else:
            parts.append(f'<span class="sentence" data-index="{piece.index}">{text}</span>')
    return "".join(parts)


def story_html(blocks: Sequence[Block]) -> Markup:
    """The blocks as the page's HTML, every piece of text escaped: ``<p>``, ``<h2>`` and
    ``<ul>`` of sentence spans, each block on its own line.

    Built here rather than by a template macro: a macro call per paragraph and an escape per
    piece made Jinja the larger part of an article page's render.
    """
    texts = [piece.text for block in blocks for item in block.items for piece in item]
    escaped = iter(_escaped(texts))
    out = []
    for block in blocks:
        if block.kind == "heading":
            out.append(
                f'\n    <h2 class="story-heading">{_pieces_html(block.items[0], escaped)}</h2>'
            )
        elif block.kind == "list":
            items = "".join(
                f"\n      <li>{_pieces_html(item, escaped)}</li>" for item in block.items
            )
            out.append(f'\n    <ul class="story-list">{items}\n    </ul>')
        else:
            out.append(f"\n    <p>{_pieces_html(block.items[0], escaped)}</p>")
    # Every character of the text went through escape() above.
    return Markup("".join(out))
