"""What an HTML page says about access to its article, read before extraction: the page's
half of the completeness gate's evidence (:mod:`inbrief.extract.gate` weighs it).

A paywall or consent prompt or a paywall box (a ``paywall`` class) where the article's text
stops, the page's own ``isAccessibleForFree: false`` (JSON-LD or microdata), a JavaScript-only
shell (little visible text, many scripts, a "please enable JavaScript" notice), how much
text the page shows at all, and how long the page itself says its article is: the text of its
``articleBody`` (JSON-LD or microdata), its JSON-LD ``wordCount``, the paragraphs of its
``<article>`` elements.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lxml.html import HtmlElement


@dataclass(frozen=True)
class DeclaredBody:
    """An article text the page's own markup holds, and where: ``source`` is one of
    "JSON-LD articleBody", "articleBody markup", "<article> element"."""

    source: str
    text: str


@dataclass(frozen=True)
class PageSignals:
    """What an HTML page says about access to its article, read before extraction.

    ``visible_text`` is the text a reader sees (no ``<head>``, scripts, styles, templates or
    ``<noscript>``), whitespace collapsed; ``noscript_text`` is what the page shows readers
    without JavaScript instead; ``scripts`` counts executable scripts; ``paywall_markup`` is
    the first class or id fragment of a paywall box, and ``paywall_offsets`` where such boxes
    start in ``visible_text``; ``not_free`` is the page's own ``isAccessibleForFree: false``;
    ``bodies`` are the article texts the page's markup holds and ``word_counts`` the distinct
    JSON-LD ``wordCount`` values, by which the gate sees a body cut short.
    """

    visible_text: str
    noscript_text: str
    scripts: int
    paywall_markup: str | None
    paywall_offsets: tuple[int, ...]
    not_free: bool
    bodies: tuple[DeclaredBody, ...] = ()
    word_counts: tuple[int, ...] = ()

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
        _NOT_FREE.search(script.text or "") for script in scripts if _is_json_ld(script)
    ) or any(
        (meta.get("content") or "").strip().lower() == "false"
        for meta in tree.iter("meta")
        if (meta.get("itemprop") or "").lower() == "isaccessibleforfree"
    )
    visible_text, marks = _read_tree(tree)
    markup, offsets = _paywall_markup(marks)
    json_ld = [_json(script.text) for script in scripts if _is_json_ld(script)]
    bodies = [
        DeclaredBody("JSON-LD articleBody", text) for text in _strings(json_ld, "articleBody")
    ]
    bodies += [
        DeclaredBody("articleBody markup", _paragraph_text(element))
        for element in tree.iterfind(".//*[@itemprop='articleBody']")
    ]
    bodies += [DeclaredBody("<article> element", _paragraph_text(e)) for e in tree.iter("article")]
    counts = {int(n) for n in _strings(json_ld, "wordCount") if n.isdigit()}
    return PageSignals(
        visible_text=visible_text,
        noscript_text=_collapse_whitespace(
            " ".join(n.text_content() for n in tree.iter("noscript"))
        ),
        scripts=sum((s.get("type") or "").strip().lower() in _EXECUTABLE for s in scripts),
        paywall_markup=markup,
        paywall_offsets=offsets,
        not_free=not_free,
        bodies=tuple(body for body in bodies if body.text),
        word_counts=tuple(sorted(counts)),
    )


def _is_json_ld(script: HtmlElement) -> bool:
    return (script.get("type") or "").strip().lower() == "application/ld+json"


def _json(text: str | None) -> object:
    try:
        return json.loads(text or "")
    except ValueError:  # a page's broken JSON-LD says nothing
        return None


def _strings(documents: Iterable[object], key: str) -> list[str]:
    """Every value of ``key`` in JSON documents, at any depth, as a string."""
    found: list[str] = []
    stack = list(documents)
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            for name, item in value.items():
                if name == key and isinstance(item, (str, int)) and not isinstance(item, bool):
                    found.append(str(item).strip())
                else:
                    stack.append(item)
        elif isinstance(value, list):
            stack.extend(value)
    return found


# Inside an article element, these hold furniture rather than the article's paragraphs.
_NOT_BODY = ("aside", "nav", "footer", "figure", "figcaption", "form", "header", "li")


def _paragraph_text(element: HtmlElement) -> str:
    """The words of an element's paragraphs (``<p>``), leaving out those in its asides,
    captions, lists and forms; the element's own text when it has no paragraph."""
    paragraphs = [p.text_content() for p in element.iter("p") if _in_body(p, element)]
    return _collapse_whitespace(" ".join(paragraphs) if paragraphs else element.text_content())


def _in_body(paragraph: HtmlElement, element: HtmlElement) -> bool:
    for ancestor in paragraph.iterancestors():
        if ancestor is element:
            return True
        if ancestor.tag in _NOT_BODY:
            return False
    return True


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
    # lxml hands out one proxy per node while a reference to it lives: the set keeps them.
    inner = {node for outer in tree.iter(*_HIDDEN) for node in outer.iterdescendants()}
    parts: list[str] = []  # runs of text, whitespace collapsed, each followed by one space
    marks: list[tuple[int, str]] = []
    length = 0
    for element in tree.iter():
        if element in inner:
            continue
        # An element's own text, then its tail, when it is visited (a hidden element, outside
        # every other, gives its tail alone): the order the gate's figures were measured with.
        texts: tuple[str | None, ...] = (element.tail,)
        if isinstance(element.tag, str) and element.tag not in _HIDDEN:
            mark = f"{element.get('class') or ''} {element.get('id') or ''}"
            if mark != " ":
                marks.append((length, mark.strip()))
            texts = (element.text, element.tail)
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
