"""OPML 2.0 in and out: the list of subscriptions every feed reader imports and exports.

    listing = read_opml(data)            # OPMLError when the file cannot be read at all
    listing.subscriptions, listing.refused
    report = subscribe(store, listing)   # report.added, report.already, report.refused
    report = import_opml(store, data)    # the two at once
    data = write_opml(store.list_feeds())

Reading takes a file another reader wrote, so it is read as hostile:

* at most :data:`MAX_OPML_BYTES`, parsed by defusedxml, which refuses any entity declaration
  (the "billion laughs" that expand to gigabytes, and external entities that would read a local
  file or a URL) instead of expanding it; malformed XML, a root that is not ``<opml>`` and more
  than :data:`MAX_OPML_FEEDS` feeds or :data:`MAX_FOLDER_DEPTH` folders deep are errors for the
  whole file, of which nothing is imported;
* each feed's address is checked as the fetcher would check it before any lookup
  (:mod:`inbrief.fetch`): only http(s), no user name or password, no control character, a
  valid host, not loopback, private or otherwise special, a port inbrief fetches from.  A
  refused feed is reported with its reason and the others are still imported.  A name that only
  *resolves* to a private address is refused by the fetcher at the first poll, as for
  ``inbrief feeds add``: reading a file makes no DNS lookup.

Folders (outlines without ``xmlUrl`` holding other outlines) become the feed's category, outer
folders first and joined by ``/``: a feed in *Tech* > *Linux* is filed under ``Tech/Linux``.
A feed in no folder takes the first entry of its ``category`` attribute, if any (OPML 2.0's
``/Tech/Linux,/News`` form).  Writing turns each ``/`` back into a folder level, so export
and import give back the same categories.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import defusedxml
import defusedxml.ElementTree
import httpx

from inbrief.errors import OPMLError, OPMLTooLarge
from inbrief.feeds.fetcher import FEED_LIMITS
from inbrief.fetch.guard import Guard
from inbrief.fetch.urls import MAX_URL_LENGTH, control_character, shorten, web_address_problem
from inbrief.sizes import format_size
from inbrief.store import Store, StoredFeed, url_key

MAX_OPML_BYTES = 1024 * 1024
"""Larger files are refused; an export of 5000 feeds with long titles stays under it."""
MAX_OPML_FEEDS = 5000
"""More feed outlines than this in one file are refused (each one is a subscription to poll)."""
MAX_FOLDER_DEPTH = 16
"""Folders nested deeper are refused: readers nest one or two levels."""
# Titles and folder names are cut here; a longer one is no name anyone reads.
_MAX_TEXT_CHARS = 1000
# Shown in messages instead of a whole overlong address.
_SHOWN_URL_CHARS = 200
# Characters XML 1.0 cannot hold, even as references: a title carrying one would make the
# export a file no reader (this one included) can parse.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MEDIA_TYPE = "text/x-opml"
"""The media type OPML files are served as (what readers send and expect)."""


@dataclass(frozen=True)
class Subscription:
    """A feed an OPML file lists: its address, title and category (``Tech/Linux``)."""

    url: str
    title: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class Refusal:
    """A feed of the file that is not subscribed to, and why."""

    url: str
    reason: str
    title: str | None = None


@dataclass(frozen=True)
class OPMLListing:
    """What a file lists: the feeds to subscribe to (each address once, in document order) and
    those refused; ``repeated`` counts feeds the file lists a second time."""

    subscriptions: tuple[Subscription, ...]
    refused: tuple[Refusal, ...] = ()
    repeated: int = 0


@dataclass(frozen=True)
class ImportReport:
    """What an import did: feeds ``added``, feeds ``already`` subscribed (they keep their title
    and category, and gain the file's where they had none), feeds ``refused``, and how many
    the file listed a second time (``repeated``, subscribed once)."""

    added: tuple[StoredFeed, ...] = ()
    already: tuple[StoredFeed, ...] = ()
    refused: tuple[Refusal, ...] = ()
    repeated: int = 0

    def summary(self) -> str:
        """One line: ``3 added, 1 already subscribed, 2 refused`` (``, 1 listed twice``)."""
        line = (
            f"{len(self.added)} added, {len(self.already)} already subscribed, "
            f"{len(self.refused)} refused"
        )
        return line + (f", {self.repeated} listed twice" if self.repeated else "")


# --- reading ----------------------------------------------------------------------------------


def read_opml(data: bytes | str) -> OPMLListing:
    """The feeds an OPML file lists, each address checked; raises :class:`OPMLError`."""
    size = len(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
    if size > MAX_OPML_BYTES:
        raise OPMLTooLarge(
            f"the file is larger than the {format_size(MAX_OPML_BYTES)} inbrief reads as OPML "
            "(an export of thousands of feeds is smaller)"
        )
    if not data.strip():
        raise OPMLError("the file is empty, not OPML")
    body = _body(_parse(data))
    guard = Guard.current(FEED_LIMITS)
    subscriptions: list[Subscription] = []
    refused: list[Refusal] = []
    seen: set[str] = set()
    repeated = 0
    for attrs, folders in _outlines(body):
        if "xmlurl" not in attrs:
            if attrs.get("type", "").lower() == "include":
                url = attrs.get("url", "").strip()
                refused.append(Refusal(_shown(url), "an include of another OPML file, not read"))
            continue
        url = attrs["xmlurl"].strip()
        title = _text(attrs.get("title") or attrs.get("text"))
        if title == url:  # exporters fill the required text with the address of untitled feeds
            title = None
        problem = subscription_problem(url, guard)
        if problem is not None:
            refused.append(Refusal(_shown(url), problem, title))
            continue
        key = url_key(url)
        if key in seen:
            repeated += 1
            continue
        seen.add(key)
        category = _category(folders) or _category(_first_category(attrs.get("category")))
        subscriptions.append(Subscription(url, title, category))
    return OPMLListing(tuple(subscriptions), tuple(refused), repeated)


def _parse(data: bytes | str) -> ET.Element:
    try:
        return defusedxml.ElementTree.fromstring(data)
    except defusedxml.EntitiesForbidden as exc:
        raise OPMLError(
            f"the file declares an XML entity ({exc.name}), which inbrief refuses rather than "
            "expands: OPML needs none, and entities can blow up to gigabytes or read local files"
        ) from None
    except defusedxml.DefusedXmlException as exc:
        raise OPMLError(
            f"the file uses an XML feature inbrief refuses in OPML ({type(exc).__name__})"
        ) from None
    except ET.ParseError as exc:
        raise OPMLError(f"the file is not well-formed XML ({exc})") from None


def _body(root: ET.Element) -> ET.Element:
    name = _local(root.tag)
    if name != "opml":
        feed = " (it looks like a feed: subscribe to its address instead)"
        hint = feed if name in ("rss", "feed", "RDF") else ""
        raise OPMLError(f"the file is not OPML: its root element is <{name}>, not <opml>{hint}")
    body = next((child for child in root if _local(child.tag) == "body"), None)
    if body is None:
        raise OPMLError("the file is OPML without a <body>, so it lists no feeds")
    return body


def _outlines(body: ET.Element) -> Iterator[tuple[dict[str, str], tuple[str, ...]]]:
    """Every outline in document order, its attributes (names in lower case: old exporters
    write ``xmlurl``) and the folders it sits in; walked with a stack, never recursion, so
    no nesting can exhaust Python's stack."""
    stack: list[tuple[ET.Element, tuple[str, ...]]] = [(c, ()) for c in reversed(body)]
    feeds = 0
    while stack:
        element, folders = stack.pop()
        if _local(element.tag) != "outline":
            continue
        attrs = {name.lower(): value for name, value in element.attrib.items()}
        if attrs.get("xmlurl", "").strip():
            feeds += 1
            if feeds > MAX_OPML_FEEDS:
                raise OPMLError(
                    f"the file lists more than {MAX_OPML_FEEDS} feeds; split it into smaller files"
                )
            attrs["xmlurl"] = attrs["xmlurl"].strip()
        else:
            attrs.pop("xmlurl", None)
        yield attrs, folders
        inner = folders
        if "xmlurl" not in attrs:
            name = _text(attrs.get("text") or attrs.get("title"))
            inner = (*folders, name) if name else folders
            if len(inner) > MAX_FOLDER_DEPTH:
                raise OPMLError(
                    f"the file nests folders more than {MAX_FOLDER_DEPTH} deep, "
                    "which no reader writes"
                )
        stack.extend((child, inner) for child in reversed(element))


def subscription_problem(url: str, guard: Guard | None = None) -> str | None:
    """Why inbrief will not subscribe to ``url``, decided before any lookup, or None.

    The fetcher's own checks of a URL (:mod:`inbrief.fetch`), under ``guard`` (by default the
    feed fetcher's, with the environment's allow-list as it is now).
    """
    if len(url) > MAX_URL_LENGTH:
        return f"the address is {len(url)} characters long, more than the {MAX_URL_LENGTH} allowed"
    control = control_character(url)
    if control is not None:
        return f"the address holds a control character ({control!r})"
    problem = web_address_problem(url)
    if problem is not None:
        return f"the address {problem}"
    try:
        parsed = httpx.URL(url)
        if parsed.userinfo:
            return "the address holds a user name or password, which inbrief never sends"
        return (guard or Guard.current(FEED_LIMITS)).url_refusal(parsed)
    except (httpx.InvalidURL, ValueError) as exc:  # UnicodeError (a bad IDN) is a ValueError
        return f"the address is not a valid URL ({exc})"


def _text(value: str | None) -> str | None:
    """A title or folder name as one line, without control characters; None when empty."""
    if value is None:
        return None
    cleaned = " ".join("".join(" " if control_character(c) else c for c in value).split())
    return cleaned[:_MAX_TEXT_CHARS] or None


def _category(folders: Iterable[str]) -> str | None:
    """Folder names as one category, outer first: ``Tech/Linux`` (a ``/`` in a name splits it,
    as writing will)."""
    parts = [part.strip() for name in folders for part in name.split("/")]
    joined = "/".join(part for part in parts if part)
    return joined[:_MAX_TEXT_CHARS] or None


def _first_category(value: str | None) -> tuple[str, ...]:
    """The first of OPML 2.0's comma-separated categories (``/Tech/Linux,/News``)."""
    first = (value or "").split(",", 1)[0]
    return (text,) if (text := _text(first)) else ()


def _local(tag: object) -> str:
    """An element's name without its namespace (some exporters declare one)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _shown(url: str) -> str:
    return shorten(url, _SHOWN_URL_CHARS)


# --- importing --------------------------------------------------------------------------------


def import_opml(store: Store, data: bytes | str) -> ImportReport:
    """Subscribe to every feed the file lists that passes the checks; raises :class:`OPMLError`.

    Importing a file twice adds nothing the second time: its feeds are all ``already``.
    """
    return subscribe(store, read_opml(data))


def subscribe(store: Store, listing: OPMLListing) -> ImportReport:
    """Subscribe to the feeds of a file :func:`read_opml` read, in one transaction."""
    wanted = [(each.url, each.title, each.category) for each in listing.subscriptions]
    added: list[StoredFeed] = []
    already: list[StoredFeed] = []
    for feed, created in store.add_feeds(wanted):
        (added if created else already).append(feed)
    return ImportReport(tuple(added), tuple(already), listing.refused, listing.repeated)


# --- writing ----------------------------------------------------------------------------------


@dataclass
class _Folder:
    feeds: list[StoredFeed] = field(default_factory=list)
    folders: dict[str, _Folder] = field(default_factory=dict)


def write_opml(feeds: Iterable[StoredFeed], title: str = "inbrief subscriptions") -> bytes:
    """The feeds as an OPML 2.0 file (UTF-8), each category a folder.

    Deterministic: feeds in the order given (subscription order, from the store), then each
    folder's, folders by name; no date in the head, so the same subscriptions give the same
    bytes.
    """
    top = _Folder()
    for feed in feeds:
        folder = top
        path = _category([feed.category]) if feed.category else None
        for name in path.split("/") if path else ():
            folder = folder.folders.setdefault(name, _Folder())
        folder.feeds.append(feed)
    root = ET.Element("opml", version="2.0")
    ET.SubElement(ET.SubElement(root, "head"), "title").text = _xml(title)
    _write_folder(ET.SubElement(root, "body"), top)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _write_folder(parent: ET.Element, folder: _Folder) -> None:
    for feed in folder.feeds:
        attrs = {"type": "rss", "text": _xml(feed.title or feed.url)}
        if feed.title:
            attrs["title"] = _xml(feed.title)
        attrs["xmlUrl"] = _xml(feed.url)
        ET.SubElement(parent, "outline", attrs)
    for name in sorted(folder.folders, key=lambda each: (each.casefold(), each)):
        outline = ET.SubElement(parent, "outline", {"text": _xml(name), "title": _xml(name)})
        _write_folder(outline, folder.folders[name])


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)
