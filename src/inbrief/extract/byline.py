"""Who wrote the article: the names a page credits, cleaned of what surrounds them on the page.

A page declares its author in JSON-LD or ``<meta>`` (read by :mod:`~inbrief.extract.metadata`),
marks it up (``<span class="author">``, ``rel=author``, ``itemprop=author``), or only prints a
byline ("By Jane Doe and John Roe, Reuters").  Every candidate goes through :func:`clean_author`,
which keeps the names and refuses what is no name: addresses, e-mails, handles, "Staff".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from lxml.html import HtmlElement

from inbrief.extract.paragraphs import normalize

# A byline's lead-in word, in the languages the dev pages show ("Text:" is Russian "Текст:").
_LEAD_IN = re.compile(
    r"^(?:(?:written|posted|reported|published|words|text)\s+by|by|von|par|por|door|"
    r"autor(?:a|in)?|author|auteur|texto?|текст|автор)\b\s*[:\-\u2013\u2014]?\s*",
    re.IGNORECASE,
)
_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
# Where a byline's names end: the date, time or role printed after them, glued on or not
# ("By Carrie ArnoldNovember 15, 2019", "Jeff Foust (jeff@...)", "Posted on ...").
_GLUED_DATE = re.compile(
    r"(?<=[a-z])(?=(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)"
)
_TAIL = re.compile(
    rf"(?:\b(?:{_DAYS})\b|\b(?:{_MONTHS})\.?\s+\d|"
    r"\d{1,4}\s*[./-]\s*\d{1,2}|\d{1,2}:\d{2}|\b(?:published|updated|posted|last\s+updated|on)"
    r"\b|\s[|•·]\s|[|•·(@]|\bis\s+an?\b|\bfollow\b|\bmore\s+from\b|\bcontact\b|\bemail\b)",
    re.IGNORECASE,
)
_CAPITALS_GLUED = re.compile(r"(?<=[A-Z]{2})(?=[A-Z][a-z])")  # "ERIC TUCKERAssociated Press"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ADDRESS = re.compile(r"^(?:https?:|www\.)|^[\w-]+(?:\.[\w-]+)+(?:/\S*)?$", re.IGNORECASE)
_NO_NAMES = frozenset(
    {
        "staff",
        "staff writer",
        "staff reporter",
        "staff reports",
        "admin",
        "administrator",
        "editor",
        "guest",
        "anonymous",
        "unknown",
        "none",
        "null",
        "n/a",
        "author",
        "by",
        "gast",
        "гость",
        "redaction",
        "rédaction",
    }
)
# Words a name list may hold in lower case ("Tom and Jerry", "Ludwig van Beethoven").
_CONNECTORS = frozenset(
    {"and", "und", "et", "e", "y", "i", "og", "och", "en", "&", "de", "da", "das", "do", "dos"}
    | {"del", "della", "di", "du", "der", "den", "van", "von", "la", "le", "of", "for", "the"}
    | {"al", "el", "bin", "ibn", "zu"}
)
_MAX_CHARS = 100
_MAX_LINE = 200  # a byline with its date and role; longer, it is a paragraph, no byline
_MAX_WORDS = 14


def clean_author(raw: str | None, site_names: Iterable[str] = ()) -> str | None:
    """The names in ``raw`` ("By JANE DOE, AP" -> "JANE DOE, AP"), or None when it holds none.

    ``site_names`` (folded) are refused as well: a publisher crediting itself is no byline.
    """
    if not raw or len(raw) > 4 * _MAX_LINE:
        return None
    text = normalize(_EMAIL.sub(" ", raw))
    if len(text) > _MAX_LINE:
        return None
    if _ADDRESS.match(text):
        return None
    text = _LEAD_IN.sub("", text)
    text = _GLUED_DATE.sub(" ", _CAPITALS_GLUED.sub(" ", text))
    tail = _TAIL.search(text)
    if tail:
        text = text[: tail.start()]
    text = text.strip(" ,;:-/|\u2013\u2014")
    folded = text.casefold()
    if not text or folded in _NO_NAMES or folded in set(site_names):
        return None
    if len(text) > _MAX_CHARS or _ADDRESS.match(text) or not any(c.isalpha() for c in text):
        return None
    words = text.replace(",", " ").split()
    if len(words) > _MAX_WORDS:
        return None
    # A sentence is no name: names are capitalised, all but a few joining words.
    lowered = [w for w in words if w[0].isalpha() and w[0].islower() and w not in _CONNECTORS]
    if len(lowered) > 1 or (lowered and len(words) <= 2):
        return None
    return text


# --- markup -----------------------------------------------------------------------------------

# Classes that mark an author: a class token "author", "byline", "author-name", "byline__author".
# Not "author-jane-doe", a WordPress post's mark of who wrote it, on the whole post.
_AUTHOR_CLASS = re.compile(
    r"(?:^|[-_])(?:authors?|byline|byl|writer|creator|journalist)"
    r"(?:[-_]+(?:name|names|link|wrap|wrapper|info|meta|block|container|box|details?|text))?$",
    re.IGNORECASE,
)
# Parts of an author block that are not the name: a picture, a biography, a role, a date.
_NOT_A_NAME = re.compile(
    r"bio|avatar|image|img|photo|pic|desc|excerpt|role|job|title|position|social|follow|"
    r"twitter|mail|date|time|label|prefix|comment|count|link-list|more|gear|about|ad(?:s|vert)?\b",
    re.IGNORECASE,
)
# Places that credit other people than the story's writer: comments, lists of other stories.
# Matched as words of a class or id ("comment-list", not "one-sidebar" on <body>: layout).
_ELSEWHERE = re.compile(
    r"(?:^|[-_\s])(?:comments?|respond|reply|sidebar|widgets?|related|recommended|popular|"
    r"trending|more|newsletter|promo|teaser|list-of|follow|bio|card-list|most-read|taboola|"
    r"outbrain)(?:$|[-_\s])",
    re.IGNORECASE,
)
_ELSEWHERE_TAGS = frozenset({"aside", "nav", "form", "noscript", "template", "select"})
_LAYOUT_TAGS = frozenset({"html", "body"})


# A word every author class holds: one search of an element's class and id for it is cheaper
# than matching each of their tokens, and most elements hold none.
_AUTHOR_WORD = re.compile(r"author|byl|writer|creator|journalist", re.IGNORECASE)


def _marks(element: HtmlElement) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def _is_author_mark(element: HtmlElement) -> bool:
    if not isinstance(element.tag, str):
        return False
    if "author" in (element.get("itemprop") or "").lower():
        return True
    if element.tag == "a" and "author" in (element.get("rel") or "").lower().split():
        return True
    marks = _marks(element)
    if not _AUTHOR_WORD.search(marks):
        return False
    return any(_AUTHOR_CLASS.search(t) and not _NOT_A_NAME.search(t) for t in marks.split())


def _elsewhere(element: HtmlElement) -> bool:
    """Inside comments, a sidebar, a list of other stories: someone else's name."""
    for ancestor in element.iterancestors():
        if ancestor.tag in _LAYOUT_TAGS:
            continue
        if ancestor.tag in _ELSEWHERE_TAGS or _ELSEWHERE.search(_marks(ancestor)):
            return True
    return False


def _own_name(element: HtmlElement) -> HtmlElement:
    """The ``itemprop=name`` inside a schema.org Person, else the element itself."""
    named = element.find(".//*[@itemprop='name']")
    return named if named is not None else element


def markup_author(tree: HtmlElement, site_names: Iterable[str] = ()) -> str | None:
    """The names the first author block of the page marks up, joined by "; "."""
    site = {name.casefold() for name in site_names}
    marked = [e for e in tree.iter() if _is_author_mark(e) and not _elsewhere(e)]
    marked_set = set(marked)
    # Innermost marks only: an outer block also holds the role, the date, the picture.
    leaves = [e for e in marked if not any(d in marked_set for d in e.iterdescendants())]
    names: list[str] = []
    block: HtmlElement | None = None
    for leaf in leaves:
        name = clean_author(_own_name(leaf).text_content(), site)
        if name is None:
            continue
        if block is None:
            block = _outermost_mark(leaf, marked_set)
        elif block is not leaf and leaf not in block.iterdescendants():
            break  # a second block is another story's, or the same names again
        names.append(name)
    if not names:
        return None
    return "; ".join(dict.fromkeys(names))


def _outermost_mark(leaf: HtmlElement, marked: set[HtmlElement]) -> HtmlElement:
    outer = leaf
    for ancestor in leaf.iterancestors():
        if ancestor in marked:
            outer = ancestor
    return outer


# --- printed bylines --------------------------------------------------------------------------

_BY_LINE = re.compile(r"^(?:by|von|par|por)\s+\S", re.IGNORECASE)
_LINE_TAGS = ("p", "div", "span", "h2", "h3", "h4", "h5", "h6", "address", "li", "em", "strong")
# Two paragraphs of this many words are the story under way (one may be the standfirst above
# the byline): a byline printed after them is another story's.
_BODY_WORDS = 20
_BODY_PARAGRAPHS = 2


def _lines_before_body(tree: HtmlElement) -> Iterator[HtmlElement]:
    body = tree.find(".//body")
    seen = 0
    for element in (body if body is not None else tree).iter(*_LINE_TAGS):
        if element.tag == "p" and len(element.text_content().split()) >= _BODY_WORDS:
            seen += 1
            if seen == _BODY_PARAGRAPHS:
                return
        yield element


_OPENING_CHARS = 16  # more than a match of _BY_LINE can read


def _opening(element: HtmlElement) -> str:
    """The first characters of the element's text, normalised: enough to tell a byline from
    any other line without joining the text of a whole page section (a ``<div>`` around the
    story)."""
    # Joining each candidate's whole text made this search a tenth of extraction's time.
    pieces: list[str] = []
    for piece in element.itertext():
        pieces.append(piece)
        opening = normalize("".join(pieces))
        if len(opening) >= _OPENING_CHARS:
            return opening
    return normalize("".join(pieces))


def printed_byline(tree: HtmlElement, site_names: Iterable[str] = ()) -> str | None:
    """The names of a "By NAME, AGENCY" line printed above the story's first paragraph."""
    site = {name.casefold() for name in site_names}
    for element in _lines_before_body(tree):
        if not _BY_LINE.match(_opening(element)):
            continue
        text = normalize(element.text_content())
        if len(text) > _MAX_LINE or _elsewhere(element):
            continue
        name = clean_author(text, site)
        if name:
            return name
    return None
