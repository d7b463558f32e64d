"""What an HTML page says about access to its article, read before extraction: the page's
half of the completeness gate's evidence (:mod:`inbrief.extract.gate` weighs it).

A paywall or consent prompt or a paywall box (a ``paywall`` class) where the article's text
stops, the page's own ``isAccessibleForFree: false`` (JSON-LD or microdata), a JavaScript-only
shell (little visible text, many scripts, a "please enable JavaScript" notice), and how much
text the page shows at all.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from lxml.html import HtmlElement


@dataclass(frozen=True)
class PageSignals:
    """What an HTML page says about access to its article, read before extraction.

    ``visible_text`` is the text a reader sees (no ``<head>``, scripts, styles, templates or
    ``<noscript>``), whitespace collapsed; ``noscript_text`` is what the page shows readers
    without JavaScript instead; ``scripts`` counts executable scripts; ``paywall_markup`` is
    the first class or id fragment of a paywall box, and ``paywall_offsets`` where such boxes
    start in ``visible_text``; ``not_free`` is the page's own ``isAccessibleForFree: false``.
    """

    visible_text: str
    noscript_text: str
    scripts: int
    paywall_markup: str | None
    paywall_offsets: tuple[int, ...]
    not_free: bool

    @property
    def visible_words(self) -> int:
        """How many words a reader sees on the page."""
        return len(self.visible_text.split())


_HIDDEN = ("head", "script", "style", "template", "noscript")
_EXECUTABLE = frozenset({"", "text/javascript", "module", "application/javascript"})
# Class and id fragments that paywall vendors and CMSs give the box that replaces the story.
_PAYWALL_MARKUP = re.compile(
    r"pay-?wall|regwall|reg-wall|premium-?(?:content|article|only|wall)|subscriber-?only"
    r"|subscribers-?only|(?:article|content)-?locked|locked-?(?:content|article)"
    r"|metered-?content|tp-modal|piano-?(?:paywall|offer|inline)"
)
_PAYWALL_HINTS = ("wall", "premium", "subscriber", "locked", "metered", "tp-modal", "piano")
_NOT_FREE = re.compile(r'"isAccessibleForFree"\s*:\s*(?:false|"false")', re.IGNORECASE)


def page_signals(tree: HtmlElement) -> PageSignals:
    """Read the access signals of a parsed page; ``tree`` is left as it was."""
    scripts = list(tree.iter("script"))
    not_free = any(
        _NOT_FREE.search(script.text or "")
        for script in scripts
        if (script.get("type") or "").strip().lower() == "application/ld+json"
    ) or any(
        (meta.get("content") or "").strip().lower() == "false"
        for meta in tree.iter("meta")
        if (meta.get("itemprop") or "").lower() == "isaccessibleforfree"
    )
    visible_text, marks = _read_tree(tree)
    markup, offsets = _paywall_markup(marks)
    return PageSignals(
        visible_text=visible_text,
        noscript_text=_collapse_whitespace(
            " ".join(n.text_content() for n in tree.iter("noscript"))
        ),
        scripts=sum((s.get("type") or "").strip().lower() in _EXECUTABLE for s in scripts),
        paywall_markup=markup,
        paywall_offsets=offsets,
        not_free=not_free,
    )


def _paywall_markup(marks: Sequence[tuple[int, str]]) -> tuple[str | None, tuple[int, ...]]:
    """The first paywall fragment among the class and id values, and the visible-text offsets
    of the elements that carry one."""
    # One search over all values at once, after a substring test in C that most pages fail:
    # a regular expression per element cost 2 ms a page, one over the joined values 2.5 ms.
    joined = " ".join(mark for _, mark in marks).lower()
    if not any(hint in joined for hint in _PAYWALL_HINTS):
        return None, ()
    starts, position = [], 0
    for _, mark in marks:
        starts.append(position)
        position += len(mark) + 1
    found = list(_PAYWALL_MARKUP.finditer(joined))
    offsets = {marks[bisect_right(starts, match.start()) - 1][0] for match in found}
    return (found[0].group(0) if found else None), tuple(sorted(offsets))


def _read_tree(tree: HtmlElement) -> tuple[str, list[tuple[int, str]]]:
    """The text a reader sees, and each element's class and id with the offset in that text
    where the element starts (elements without either are left out)."""
    # lxml hands out one proxy per node while a reference to it lives: the sets keep them.
    inner = {node for outer in tree.iter(*_HIDDEN) for node in outer.iterdescendants()}
    roots = {outer for outer in tree.iter(*_HIDDEN) if outer not in inner}
    parts: list[str] = []  # runs of text, whitespace collapsed, each followed by one space
    marks: list[tuple[int, str]] = []
    length = 0
    for element in tree.iter():
        if element in inner:
            continue
        texts = [element.tail]
        if element not in roots and isinstance(element.tag, str):
            mark = f"{element.get('class') or ''} {element.get('id') or ''}"
            if mark != " ":
                marks.append((length, mark.strip()))
            texts.insert(0, element.text)
        for text in texts:
            if text and not text.isspace():
                words = " ".join(text.split())
                parts.append(words)
                length += len(words) + 1
    return " ".join(parts), marks


def _collapse_whitespace(text: str) -> str:
    """Whitespace runs as single spaces, as in ``visible_text`` (zero-width characters stay,
    unlike in :func:`inbrief.extract.paragraphs.normalize`)."""
    return " ".join(text.split())
