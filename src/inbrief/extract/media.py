"""The pictures and videos a page gives its article: the top image and the video links.

Every address is made absolute against the page's base and kept only when it is a plain
``http``/``https`` URL: no ``data:``, ``javascript:`` or credentials, nothing a browser would read
as anything but a picture or a player to fetch.  The reader shows the image from its original
address (never proxied), so decoration and tracking pixels are refused here too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from inbrief.extract.paragraphs import normalize


@dataclass(frozen=True)
class Media:
    """The top image (with its alternative text, when the page gives one) and video links."""

    image: str | None
    image_alt: str | None
    videos: tuple[str, ...]


_MAX_URL = 2048
_MAX_VIDEOS = 10
_MAX_ALT = 300
# Pictures that are no story's picture: site logos and defaults, avatars, icons, spacers;
# matched as whole words of the file name ("givewell_fb_logo.jpg", not "silicon-valley.jpg").
_DECORATION = frozenset(
    {"logo", "logos", "sprite", "sprites", "spacer", "blank", "placeholder", "default"}
    | {"gravatar", "avatar", "icon", "icons", "favicon", "1x1", "transparent", "badge"}
    | {"button", "tracking", "beacon", "loader", "loading", "lazyload", "dummy", "svg", "ico"}
)
_TRACKERS = re.compile(
    r"(?:^|\.)(?:pixel|beacon|gravatar\.com|doubleclick\.net|scorecardresearch\.com|"
    r"google-analytics\.com|facebook\.com|quantserve\.com|chartbeat\.net|addthis\.com)$",
    re.IGNORECASE,
)
_IMAGE_META = (
    "og:image:secure_url",
    "og:image:url",
    "og:image",
    "twitter:image",
    "twitter:image:src",
    "thumbnail",
)
_VIDEO_META = ("og:video:secure_url", "og:video:url", "og:video")
_PLAYERS = re.compile(
    r"^(?:www\.)?(?:youtube\.com|youtube-nocookie\.com|youtu\.be|player\.vimeo\.com|vimeo\.com|"
    r"dailymotion\.com|geo\.dailymotion\.com)$",
    re.IGNORECASE,
)
# A picture this wide (its width attribute) is a story's, not an icon's.
_LARGE = 300
_SMALL = 100
_OUTSIDE_STORY = frozenset({"header", "nav", "footer", "aside", "noscript", "form"})
# Matched as words of a class or id, and never on <html>/<body> (whose classes name layouts).
_OUTSIDE_MARKS = re.compile(
    r"(?:^|[-_\s])(?:logo|avatar|author|related|recommended|sidebar|widgets?|promo|teaser|"
    r"comments?|share|social|newsletter|sponsor|advert|ad|ads|taboola|outbrain)(?:$|[-_\s])",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x20\x7f<>\"'`\\]")


def web_address(value: Any, base: str | None) -> str | None:
    """``value`` as an absolute http(s) URL resolved against ``base``; None when it is not one."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > _MAX_URL or _CONTROL.search(value):
        return None
    if value.startswith("//") and not base:
        value = "https:" + value
    try:
        absolute = urljoin(base or "", value)
        parts = urlsplit(absolute)
        host = parts.hostname
    except ValueError:  # an unbalanced "[" in the host, a bad port
        return None
    if parts.scheme.lower() not in ("http", "https") or not host or "@" in parts.netloc:
        return None
    return absolute


def _decoration(url: str) -> bool:
    parts = urlsplit(url)
    name = parts.path.rsplit("/", 1)[-1].lower()
    words = set(re.split(r"[^a-z0-9]+", name))
    return bool(_TRACKERS.search(parts.hostname or "") or words & _DECORATION)


def _ld_images(value: Any) -> Iterator[tuple[Any, Any]]:
    """(URL, caption) of a JSON-LD ``image``: a URL, an ImageObject, or a list of them."""
    if isinstance(value, list):
        for item in value:
            yield from _ld_images(item)
    elif isinstance(value, dict):
        yield value.get("url") or value.get("contentUrl"), value.get("caption")
    else:
        yield value, None


def top_image(
    tree: HtmlElement,
    meta: Mapping[str, Sequence[str]],
    article_ld: Mapping[str, Any],
    base: str | None,
) -> tuple[str | None, str | None]:
    """The article's picture and its alternative text: declared (Open Graph, Twitter card,
    JSON-LD, ``<link rel=image_src>``), else the first large picture in the story."""
    alt = next((v for k in ("og:image:alt", "twitter:image:alt") for v in meta.get(k, ())), None)
    declared: list[tuple[Any, Any]] = [(v, alt) for k in _IMAGE_META for v in meta.get(k, ())]
    declared.extend(_ld_images(article_ld.get("image")))
    declared.extend((url, None) for url in _ld_images_of(article_ld.get("thumbnailUrl")))
    declared.extend(
        (link.get("href"), None)
        for link in tree.iter("link")
        if "image_src" in (link.get("rel") or "").lower().split()
    )
    for value, caption in declared:
        url = web_address(value, base)
        if url and not _decoration(url):
            return url, _alt(caption)
    for img in _story_pictures(tree):
        url = web_address(_picture_source(img), base)
        if url and not _decoration(url):
            return url, _alt(img.get("alt"))
    return None, None


def _ld_images_of(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _alt(value: Any) -> str | None:
    text = normalize(value) if isinstance(value, str) else ""
    return text[:_MAX_ALT] or None


def _picture_source(img: HtmlElement) -> str | None:
    """The picture's address, lazy-loading attributes first (``src`` is then a placeholder)."""
    for attribute in ("data-src", "data-lazy-src", "data-original", "src"):
        value = img.get(attribute)
        if value and not value.strip().lower().startswith("data:"):
            return value
    return None


def _number(value: str | None) -> int | None:
    match = re.match(r"\s*(\d+)", value or "")
    return int(match.group(1)) if match else None


def _story_pictures(tree: HtmlElement) -> Iterator[HtmlElement]:
    """Pictures in the story, in page order: wide ones, or ones inside ``<article>``/``<figure>``
    that say nothing of their size; never in the page's header, menus, sidebars or footer."""
    for img in tree.iter("img"):
        width, height = _number(img.get("width")), _number(img.get("height"))
        if (width is not None and width < _LARGE) or (height is not None and height < _SMALL):
            continue
        ancestors = [a for a in img.iterancestors() if a.tag not in ("html", "body")]
        if any(
            a.tag in _OUTSIDE_STORY
            or _OUTSIDE_MARKS.search(f"{a.get('class') or ''} {a.get('id') or ''}")
            for a in [img, *ancestors]
        ):
            continue
        if any(_links_elsewhere(a) for a in ancestors):
            continue
        if width is not None or any(a.tag in ("article", "figure", "main") for a in ancestors):
            yield img


_PICTURE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)$", re.IGNORECASE)


def _links_elsewhere(element: HtmlElement) -> bool:
    """A link to another page: a picture inside one is a teaser for another story (a link to
    the picture's own file, to show it large, is no teaser)."""
    href = (element.get("href") or "").strip() if element.tag == "a" else ""
    if not href:
        return False
    try:
        path = urlsplit(href).path
    except ValueError:  # an unbalanced "[": no address a reader could follow either
        return True
    return not _PICTURE_FILE.search(path)


def videos(
    tree: HtmlElement,
    meta: Mapping[str, Sequence[str]],
    ld_objects: Iterable[Mapping[str, Any]],
    base: str | None,
) -> tuple[str, ...]:
    """Links to the article's videos: Open Graph, JSON-LD VideoObjects, ``<video>`` and
    ``<source>`` files, YouTube, Vimeo and Dailymotion players; in that order, each once."""
    found: list[Any] = [v for key in _VIDEO_META for v in meta.get(key, ())]
    for item in ld_objects:
        types = item.get("@type")
        names = types if isinstance(types, list) else [types]
        if any(isinstance(t, str) and t.lower() == "videoobject" for t in names):
            found.extend((item.get("contentUrl"), item.get("embedUrl")))
    for element in tree.iter("video", "source", "iframe"):
        if any(a.tag in _OUTSIDE_STORY for a in element.iterancestors()):
            continue
        source = element.get("src") or element.get("data-src")
        parent = element.getparent()
        if element.tag == "source" and (parent is None or parent.tag != "video"):
            continue  # a <picture>'s or an <audio>'s source
        if element.tag == "iframe":
            url = web_address(source, base)
            host = urlsplit(url).hostname if url else None
            if not (host and _PLAYERS.match(host)):
                continue
        found.append(source)
    urls = [url for url in (web_address(v, base) for v in found) if url]
    return tuple(dict.fromkeys(urls))[:_MAX_VIDEOS]
