"""What an HTML page declares about its article: title, author, date, site, URL and language.

They are read from the page's own declarations (meta tags, JSON-LD, ``<link rel=canonical>``,
``<html lang>``) plus htmldate for the date: cheaper than trafilatura's full metadata pass.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import htmldate
from htmldate.settings import CLEANING_LIST
from lxml.html import HtmlElement

from inbrief.extract.paragraphs import normalize
from inbrief.text import normalize_language


@dataclass(frozen=True)
class Metadata:
    """The article's metadata as the page declares it; None where it does not."""

    title: str | None
    author: str | None
    date: str | None
    site: str | None
    url: str | None
    language: str | None


_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "blogposting",
    "liveblogposting",
    "report",
    "webpage",
}
# Between a headline and the site name in <title>: a bar, dash, dot, bullet, guillemet,
# slash or double colon between spaces.
# Not a colon: "Iran: To Vote or not to Vote" is one headline.
_SEPARATOR = r"\s+(?:[|\u2013\u2014\u00b7\u2022\u00bb\u00ab\u203a/-]|::)\s+"
_TITLE_SEPARATORS = re.compile(_SEPARATOR)
_TITLE_SEPARATORS_KEPT = re.compile(f"({_SEPARATOR})")
# Headings that name the site (the logo <h1> of many themes) or that CMSs mark as the title.
_SITE_HEADING = re.compile(r"site[-_]?(?:title|name|logo)|logo|brand|masthead", re.IGNORECASE)
_STORY_HEADING = re.compile(r"(?:entry|post|article|story)[-_]?(?:title|headline)|headline", re.I)
_URL = re.compile(r"https?://", re.IGNORECASE)
_DROPPED_BY_HTMLDATE = frozenset(CLEANING_LIST)


def read_metadata(tree: HtmlElement, url: str | None) -> Metadata:
    meta = _meta_tags(tree)
    ld = _json_ld_article(tree)
    site = _first(
        meta.get("og:site_name"),
        _name_of(ld.get("publisher")),
        meta.get("application-name"),
    ) or _host(url)
    return Metadata(
        title=_title(tree, meta, ld, site),
        author=_author(meta, ld),
        date=_date(tree, url),
        site=site,
        url=_declared_url(tree, meta, url),
        language=_declared_language(tree, meta, ld),
    )


def _meta_tags(tree: HtmlElement) -> dict[str, str]:
    """``<meta>`` contents by lower-cased name, property or http-equiv; the first one wins."""
    tags: dict[str, str] = {}
    for element in tree.iter("meta"):
        content = normalize(element.get("content") or "")
        if not content:
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = (element.get(attribute) or "").strip().lower()
            if key:
                tags.setdefault(key, content)
    return tags


def _json_ld_article(tree: HtmlElement) -> dict[str, Any]:
    """The page's JSON-LD article object (NewsArticle, BlogPosting, ...), or an empty dict."""
    found: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue  # a broken JSON-LD block is common and no reason to fail the page
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                types = item.get("@type")
                names = types if isinstance(types, list) else [types]
                if any(isinstance(t, str) and t.lower() in _ARTICLE_TYPES for t in names):
                    found.append(item)
                stack.extend(v for k, v in item.items() if k in ("@graph", "mainEntity"))
    # A WebPage wrapper is the weakest evidence; prefer a real article type when there is one.
    found.sort(key=lambda item: str(item.get("@type")).lower() == "webpage")
    return found[0] if found else {}


def _first(*values: str | None) -> str | None:
    for value in values:
        if value:
            text = normalize(value)
            if text:
                return text
    return None


def _name_of(value: Any) -> str | None:
    """A schema.org Person/Organization name, or the value itself when it is a plain string."""
    if isinstance(value, list):
        names = [n for n in map(_name_of, value) if n]
        return "; ".join(dict.fromkeys(names)) if names else None
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, str) and not _URL.match(value.strip()):
        return normalize(value) or None
    return None


def _host(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def _text_of(element: HtmlElement) -> str:
    return normalize(element.text_content())


def _title(
    tree: HtmlElement, meta: dict[str, str], ld: dict[str, Any], site: str | None
) -> str | None:
    """The headline as the page shows it: the story heading the declared titles agree with,
    else the declared headline, else ``<title>``, without the site's name around it."""
    headline = ld.get("headline")
    declared = [
        t
        for t in (
            _first(headline if isinstance(headline, str) else None),
            _first(meta.get("og:title")),
            _first(meta.get("twitter:title")),
        )
        if t
    ]
    page_title = next((_text_of(t) for t in tree.iter("title")), "")
    story_headings, site_headings = _headings(tree)
    site_names = {name.casefold() for name in (site, *site_headings) if name}
    for heading in story_headings:
        folded = heading.casefold()
        if folded in site_names:
            continue
        for candidate in (*declared, page_title):
            parts = _TITLE_SEPARATORS.split(candidate.casefold())
            if folded == candidate.casefold() or folded in parts:
                return heading
    for candidate in (*declared, page_title):
        if candidate:
            return _without_site_name(candidate, site_names)
    return story_headings[0] if story_headings else None


def _headings(tree: HtmlElement) -> tuple[list[str], list[str]]:
    """Texts of the headings that may be the story's title (every <h1>, and <h2>/<h3> a CMS
    marks as the title), and of the headings that name the site (a logo in an <h1>)."""
    story: list[str] = []
    site: list[str] = []
    for heading in tree.iter("h1", "h2", "h3"):
        text = _text_of(heading)
        if not 0 < len(text) <= 300:
            continue
        marks = f"{heading.get('class') or ''} {heading.get('id') or ''}"
        if _SITE_HEADING.search(marks):
            site.append(text)
        elif heading.tag == "h1" or _STORY_HEADING.search(marks):
            story.append(text)
    return story, site


def _without_site_name(title: str, site_names: set[str]) -> str:
    """``Headline | Site`` or ``Site » Headline`` -> ``Headline``; the headline's own
    separators stay (``Brexit - what next | Site`` -> ``Brexit - what next``)."""
    pieces = _TITLE_SEPARATORS_KEPT.split(title)  # part, separator, part, ...

    def names_site(part: str) -> bool:
        part = part.casefold()
        return any(
            part == name or (len(name) >= 4 and len(part) >= 4 and (part in name or name in part))
            for name in site_names
        )

    while len(pieces) > 2 and names_site(pieces[-1]):
        pieces = pieces[:-2]
    while len(pieces) > 2 and names_site(pieces[0]):
        pieces = pieces[2:]
    return "".join(pieces).strip()


def _author(meta: dict[str, str], ld: dict[str, Any]) -> str | None:
    candidates = [
        _name_of(ld.get("author")),
        meta.get("author"),
        meta.get("article:author"),
        meta.get("byl"),
        meta.get("parsely-author"),
        meta.get("sailthru.author"),
        meta.get("dc.creator"),
    ]
    for candidate in candidates:
        if candidate and not _URL.match(candidate):
            author = re.sub(r"^by\s+", "", normalize(candidate), flags=re.IGNORECASE)
            if author:
                return author
    return None


def _date(tree: HtmlElement, url: str | None) -> str | None:
    """The publication date as yyyy-mm-dd; htmldate reads meta tags, JSON-LD, <time> and URL."""
    if tree.tag in _DROPPED_BY_HTMLDATE:
        # A page that is only foreign markup (<svg>, <math>) parses to a tree rooted in it.
        # htmldate's clean-up drops such elements with lxml's drop_tree(), which fails with an
        # AssertionError on the root; and dropped, nothing would be left to read a date from.
        return None
    try:
        found = htmldate.find_date(
            tree, extensive_search=False, original_date=True, url=url, outputformat="%Y-%m-%d"
        )
    except ValueError:  # htmldate rejects some malformed trees; a missing date is fine
        return None
    return found or None


def _declared_url(tree: HtmlElement, meta: dict[str, str], url: str | None) -> str | None:
    """The URL the page gives as its own (``<link rel=canonical>``, else ``og:url``), made
    absolute against ``url``; None when it declares no web address."""
    candidates = [
        link.get("href")
        for link in tree.iter("link")
        if "canonical" in (link.get("rel") or "").lower().split()
    ]
    for candidate in [*candidates, meta.get("og:url")]:
        if candidate and candidate.strip():
            absolute = urljoin(url or "", candidate.strip())
            if urlsplit(absolute).scheme in ("http", "https") and urlsplit(absolute).hostname:
                return absolute
    return None


def _declared_language(tree: HtmlElement, meta: dict[str, str], ld: dict[str, Any]) -> str | None:
    in_language = ld.get("inLanguage")
    for candidate in (
        tree.get("lang"),
        tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
        meta.get("og:locale"),
        meta.get("content-language"),
        meta.get("language"),
        meta.get("dc.language"),
        in_language if isinstance(in_language, str) else None,
    ):
        code = normalize_language(candidate)
        if code and re.fullmatch(r"[a-z]{2,3}", code):
            return code
    return None
