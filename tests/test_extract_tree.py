"""The one tree a page is parsed into, which every reader of the page shares.

``parse_html`` must read every page exactly as ``trafilatura.load_html`` does (the extractors
were measured on its trees), only with lxml choosing each element's class in C.  The pages
are small look-alikes written for the test.
"""

from __future__ import annotations

import lxml.etree
import pytest
import trafilatura
from lxml.html import HtmlElement

from inbrief.extract import extract
from inbrief.extract.paragraphs import normalize
from inbrief.extract.tree import parse_html
from inbrief.models import Document

STORY = (
    "<p>The harbour of Portmere reopened on Monday after three weeks of repairs to the sea "
    "wall, the town council said in a statement that thanked the workers who rebuilt it.</p>"
    "<p>Fishing boats returned to their moorings before noon, and the ferry to the islands "
    "ran on its usual timetable for the first time since the storm in April.</p>"
)
PAGE = (
    "<html lang='en'><head><title>Harbour reopens</title><script>var a = 1;</script></head>"
    f"<body><!-- nav --><article><h1>Harbour reopens</h1>{STORY}</article>"
    "<form action='/search'><label for='q'>Search</label><input id='q' name='q'>"
    "<select name='s'><option>All</option></select><textarea>x</textarea></form></body></html>"
)

PAGES = {
    "a page": PAGE,
    "a doctype": f"<!DOCTYPE html>\n{PAGE}",
    "a faulty doctype": f"<!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0//EN' />\n{PAGE}",
    "a self-closing html tag": f"<html lang='en'/>\n<body>{STORY}</body></html>",
    "an XML declaration": f"<?xml version='1.0' encoding='utf-8'?>\n{PAGE}",
    "control characters": PAGE.replace("Monday", "Mon\x0bday\x00"),
    "no html element but a head and a body": f"<head><title>T</title></head><body>{STORY}</body>",
    "a lone fragment": "<p>The harbour reopened.</p>",
    "plain text": "The harbour reopened on Monday.",
}


@pytest.mark.parametrize("html", PAGES.values(), ids=PAGES.keys())
def test_a_page_parses_as_trafilatura_parses_it(html: str) -> None:
    ours, theirs = parse_html(html), trafilatura.load_html(html)
    if theirs is None:
        assert ours is None
    else:
        assert ours is not None
        assert lxml.etree.tostring(ours) == lxml.etree.tostring(theirs)


def test_every_element_of_the_tree_is_an_html_element_form_controls_too() -> None:
    tree = parse_html(PAGE)
    assert tree is not None
    elements = [element for element in tree.iter() if isinstance(element.tag, str)]
    assert {"form", "input", "label", "select", "textarea"} <= {e.tag for e in elements}
    assert all(type(element) is HtmlElement for element in elements)
    assert tree.find(".//label").text_content() == "Search"


def test_a_page_with_a_form_is_extracted_from_that_tree() -> None:
    article = extract(Document(PAGE, "html", "page.html"))
    assert article.title == "Harbour reopens"
    assert article.text.startswith("The harbour of Portmere reopened on Monday")
    assert "Search" not in article.text


def test_a_paragraph_loses_the_invisible_characters_cms_leave_between_words() -> None:
    assert normalize("sea\u200b wall\u2060 and\ufeff  ferry\n") == "sea wall and ferry"
    assert normalize("  sea \t wall ") == "sea wall"
