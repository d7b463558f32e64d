"""An HTML page's text -> the one lxml tree that every reader of the page shares.

The page is parsed the way ``trafilatura.load_html`` parses it (its repairs of faulty
markup, its parser options, its retry from bytes, its refusal of what is not HTML), with one
difference: lxml gives each element its Python class in C, not by calling
``lxml.html``'s Python lookup for every element it hands out (trafilatura, readability,
htmldate and inbrief's own readers walk the tree dozens of times).  Every element is still an
``HtmlElement``; only the form classes (``FormElement``, ``InputElement``...) are not used,
and nothing here reads forms.
"""

from __future__ import annotations

from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HTMLParser,
    HtmlProcessingInstruction,
    fromstring,
)
from trafilatura.utils import is_dubious_html, repair_faulty_html

# trafilatura's own parser options (trafilatura.utils.HTML_PARSER).  The Python lookup was a
# fifth of extraction's function calls on the dev pages.
_PARSER = HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
)
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=HtmlElement,
        comment=HtmlComment,
        pi=HtmlProcessingInstruction,
        entity=HtmlEntity,
    )
)


def parse_html(content: str) -> HtmlElement | None:
    """The page's tree, or None when ``content`` is not an HTML page (a lone fragment such
    as ``<p>...</p>`` is not: wrap it in ``<html><body>`` first)."""
    beginning = content[:50].lower()
    content = repair_faulty_html(content, beginning)
    tree: HtmlElement | None = None
    from_bytes = False
    try:
        tree = fromstring(content, parser=_PARSER)
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        tree, from_bytes = _parse_bytes(content), True
    except Exception:  # lxml's own failures: no tree, as trafilatura has it
        tree = None
    if (tree is None or len(tree) < 1) and not from_bytes:
        tree = _parse_bytes(content)
    if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
        return None
    return tree


def _parse_bytes(content: str) -> HtmlElement | None:
    try:
        tree: HtmlElement = fromstring(content.encode("utf8", "surrogatepass"), parser=_PARSER)
    except Exception:  # as trafilatura: a page lxml cannot parse has no tree
        return None
    return tree
