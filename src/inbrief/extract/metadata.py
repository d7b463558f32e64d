"""What an HTML page declares about its article: title, author, date, site, URL, language,
description, the publisher's tags and categories, its top image and videos.

They are read from the page's own declarations (meta tags, JSON-LD, ``<link rel=canonical>``,
``<html lang>``) plus htmldate for the date: cheaper than trafilatura's full metadata pass.  The
author falls back on the page's markup and printed byline (:mod:`~inbrief.extract.byline`);
pictures and videos are :mod:`~inbrief.extract.media`'s.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import htmldate
from htmldate.settings import CLEANING_LIST
from lxml.html import HtmlElement

from inbrief.extract.byline import clean_author, markup_author, printed_byline
from inbrief.extract.media import top_image, videos, web_address
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
    image: str | None = None
    image_alt: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    videos: tuple[str, ...] = ()


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
# Types named like these are articles too (schema.org has dozens: TechArticle, MedicalWebPage).
_ARTICLE_TYPE_ENDINGS = ("article", "posting", "webpage")
_EARLIEST = date(1995, 1, 1)  # before the web had news sites: a placeholder (0001-01-01)
_AUTHOR_META = (
    "author",
    "article:author",
    "byl",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "citation_author",
    "dcsext.author",
)
_MAX_DESCRIPTION = 1000
_MAX_LABEL = 60
_MAX_LABELS = 30
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
    every_meta = _meta_values(tree)
    meta = {key: values[0] for key, values in every_meta.items()}
    blocks = _json_ld_blocks(tree)
    ld = _json_ld_article(blocks)
    objects = [item for block in blocks for item in _objects(block)]
    publisher = _name_of(ld.get("publisher"))
    site = _first(
        meta.get("og:site_name"),
        publisher,
        meta.get("application-name"),
    ) or _host(url)
    declared_url = _declared_url(tree, meta, url)
    base = _base(tree, url or declared_url)
    image, image_alt = top_image(tree, every_meta, ld, base)
    site_names = {name.casefold() for name in (site, publisher, _host(url)) if name}
    return Metadata(
        title=_title(tree, meta, ld, site),
        author=_author(tree, meta, ld, objects, site_names),
        date=_date(tree, url),
        site=site,
        url=declared_url,
        language=_declared_language(tree, meta, ld),
        image=image,
        image_alt=image_alt,
        description=_description(meta, ld),
        tags=_tags(every_meta, ld),
        categories=_categories(tree, every_meta, ld),
        videos=videos(tree, every_meta, objects, base),
    )


def _meta_values(tree: HtmlElement) -> dict[str, list[str]]:
    """``<meta>`` contents by lower-cased name, property or http-equiv, in page order."""
    tags: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        content = normalize(element.get("content") or "")
        if not content:
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = (element.get(attribute) or "").strip().lower()
            if key:
                tags.setdefault(key, []).append(content)
    return tags


def _json_ld_blocks(tree: HtmlElement) -> list[Any]:
    """The parsed JSON-LD blocks of the page; broken ones are left out."""
    blocks = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            # strict=False: CMSs leave raw line breaks inside strings, which browsers accept.
            blocks.append(json.loads(script.text, strict=False))
        except ValueError:
            continue  # a broken JSON-LD block is common and no reason to fail the page
    return blocks


def _objects(data: Any) -> list[dict[str, Any]]:
    """Every JSON-LD object in ``data``, nested ones too, in document order."""
    found: list[dict[str, Any]] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            found.append(item)
            stack.extend(reversed(list(item.values())))
    return found


def _is_article_type(name: Any) -> bool:
    if not isinstance(name, str):
        return False
    name = name.lower()
    return name in _ARTICLE_TYPES or name.endswith(_ARTICLE_TYPE_ENDINGS)


def _json_ld_article(blocks: list[Any]) -> dict[str, Any]:
    """The page's JSON-LD article object (NewsArticle, BlogPosting, ...), or an empty dict."""
    found: list[dict[str, Any]] = []
    for data in blocks:
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                types = item.get("@type")
                names = types if isinstance(types, list) else [types]
                if any(map(_is_article_type, names)):
                    found.append(item)
                stack.extend(v for k, v in item.items() if k in ("@graph", "mainEntity"))
    # A WebPage wrapper is the weakest evidence; prefer a real article type when there is one.
    found.sort(key=lambda item: str(item.get("@type")).lower().endswith("webpage"))
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


def _author(
    tree: HtmlElement,
    meta: dict[str, str],
    ld: dict[str, Any],
    objects: list[dict[str, Any]],
    site_names: set[str],
) -> str | None:
    """The people the page credits: declared (JSON-LD, ``<meta>``), else marked up, else
    printed ("By ..."); an organisation or the site itself only when no person is named."""
    people, organisations = _ld_authors(ld.get("author"), objects)
    declared = [clean_author(name, site_names) for name in people]
    names = [name for name in declared if name]
    if names:
        return "; ".join(dict.fromkeys(names))
    metas = [meta.get(key) for key in _AUTHOR_META]
    for candidate in (
        *(clean_author(value, site_names) for value in metas),
        markup_author(tree, site_names),
        printed_byline(tree, site_names),
        *(clean_author(name) for name in organisations),
        *(clean_author(value) for value in metas),
    ):
        if candidate:
            return candidate
    return None


def _ld_authors(value: Any, objects: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """The names of a JSON-LD ``author``, people and organisations apart: a plain string (a
    person), a Person or Organization, a reference to one by ``@id``, or a list of these."""
    people: list[str] = []
    organisations: list[str] = []
    items = value if isinstance(value, list) else [value]
    by_id = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str) and len(o) > 1}
    for item in items:
        if isinstance(item, str):
            people.append(item)
            continue
        if not isinstance(item, dict):
            continue
        if "name" not in item and isinstance(item.get("@id"), str):
            item = by_id.get(item["@id"], item)
        name = item.get("name")
        if isinstance(name, str):
            kind = str(item.get("@type") or item.get("type") or "person").lower()
            (people if "person" in kind else organisations).append(name)
    return people, organisations


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
    if not found:
        return None
    # htmldate keeps to these bounds itself; a placeholder or a typo must never get through.
    day = date.fromisoformat(found)
    return found if _EARLIEST <= day <= date.today() + timedelta(days=1) else None


def _base(tree: HtmlElement, url: str | None) -> str | None:
    """What the page's relative addresses are relative to: ``<base href>``, else its URL."""
    for element in tree.iter("base"):
        declared = web_address(element.get("href"), url)
        if declared:
            return declared
    return url


def _description(meta: dict[str, str], ld: dict[str, Any]) -> str | None:
    described = ld.get("description")
    text = _first(
        meta.get("og:description"),
        meta.get("description"),
        meta.get("twitter:description"),
        meta.get("dc.description"),
        described if isinstance(described, str) else None,
    )
    return text[:_MAX_DESCRIPTION] if text else None


def _labels(values: list[Any], split: bool) -> tuple[str, ...]:
    """Tags or categories: each once (case aside), in order, no addresses or long phrases."""
    kept: dict[str, str] = {}
    for value in values:
        if not isinstance(value, str):
            continue
        for part in re.split(r"[,;]", value) if split else [value]:
            label = normalize(part)
            if (
                0 < len(label) <= _MAX_LABEL
                and not _URL.match(label)
                and any(c.isalpha() for c in label)
            ):
                kept.setdefault(label.casefold(), label)
    return tuple(kept.values())[:_MAX_LABELS]


def _tags(meta: dict[str, list[str]], ld: dict[str, Any]) -> tuple[str, ...]:
    """The publisher's tags: ``article:tag``, the keywords ``<meta>`` and JSON-LD give."""
    keywords = ld.get("keywords")
    values: list[Any] = [
        *meta.get("article:tag", ()),
        *meta.get("news_keywords", ()),
        *meta.get("keywords", ()),
        *(keywords if isinstance(keywords, list) else [keywords]),
    ]
    return _labels(values, split=True)


def _categories(
    tree: HtmlElement, meta: dict[str, list[str]], ld: dict[str, Any]
) -> tuple[str, ...]:
    """The publisher's sections: ``article:section``, JSON-LD ``articleSection``, and the
    ``rel=category`` links a blog's post carries."""
    section = ld.get("articleSection")
    linked = [
        _text_of(a) for a in tree.iter("a") if "category" in (a.get("rel") or "").lower().split()
    ]
    values: list[Any] = [
        *meta.get("article:section", ()),
        *(section if isinstance(section, list) else [section]),
        *linked,
    ]
    return _labels(values, split=False)


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
