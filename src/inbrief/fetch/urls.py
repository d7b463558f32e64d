"""Reading URLs, hosts and networks as the system resolver and browsers read them.

Pure parsing, no policy: :mod:`inbrief.fetch.guard` decides what to refuse, from what these
functions say a host is. A guard that parses a host differently from the resolver that later
looks it up can be fooled (``0177.0.0.1`` is 127.0.0.1 to the resolver), hence the care here.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
import urllib.parse

import httpx

MAX_URL_LENGTH = 2048
"""Longer URLs are refused; 2048 is what sitemaps and search engines accept, and no news
article needs more."""

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Letters, digits, hyphens and underscores (found in real host names though RFC 952 forbids
# them), 1 to 63 per label, 253 in all.
HOST_NAME = re.compile(
    r"(?=.{1,253}\Z)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*"
    r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?",
    re.ASCII,
)
_LABEL = re.compile(r"[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?", re.ASCII)

DECIMAL = re.compile(r"[0-9]+", re.ASCII)
_HEX = re.compile(r"0[xX][0-9a-fA-F]*", re.ASCII)
_OCTAL = re.compile(r"0[0-7]+", re.ASCII)


def url_problem(url: httpx.URL) -> str | None:
    """Why inbrief cannot fetch ``url``, or None if it can try."""
    problem = _form_problem(url.scheme, url.host)
    if problem is not None:
        return problem
    length = len(str(url))
    if length > MAX_URL_LENGTH:
        return f"is {length} characters long, more than the {MAX_URL_LENGTH} inbrief accepts"
    return None


def web_address_problem(text: str) -> str | None:
    """Why ``text`` is not an http(s) URL with a host, or None.

    The one check wherever a URL is taken now to be fetched later (``inbrief feeds add``, the
    API's request bodies), so that a typo is refused as it is typed rather than at the first
    poll.  Whether the URL may be fetched (its address, port and length) the fetcher says then.
    """
    try:
        parts = urllib.parse.urlsplit(text.strip())
        host = parts.hostname
    except ValueError as exc:  # an unclosed IPv6 bracket
        return f"is not a URL ({exc})"
    return _form_problem(parts.scheme, host or "")


def _form_problem(scheme: str, host: str) -> str | None:
    if not scheme:
        return "is not a full URL (start it with http:// or https://)"
    if scheme not in ("http", "https"):
        return f"uses the {scheme}: scheme; only http:// and https:// can be fetched"
    if not host:
        return "names no host"
    return None


def hop_label(url: httpx.URL | str, origin: str, *, redirected: bool) -> str:
    """How messages name a hop: the URL as given, or where a redirect led and from what."""
    return f"{url} (redirected from {origin})" if redirected else origin


def without_fragment(url: httpx.URL) -> str:
    return str(url.copy_with(fragment=None))


def default_port(url: httpx.URL) -> int:
    return 443 if url.scheme == "https" else 80


def shorten(text: str, size: int = 100) -> str:
    return text if len(text) <= size else text[:size] + "..."


def control_character(text: str) -> str | None:
    """The first control character in ``text`` (NUL, a tab, a line break, DEL, C1), or None."""
    return next((char for char in text if unicodedata.category(char) == "Cc"), None)


def name_problem(name: str) -> str:
    """What breaks the host name rules in ``name`` (which :data:`HOST_NAME` refused)."""
    if len(name) > 253:
        return f"{len(name)} characters, more than 253"
    for label in name.split("."):
        if not label:
            return "an empty label"
        if len(label) > 63:
            return f"a label of {len(label)} characters, more than 63"
        if not _LABEL.fullmatch(label):
            return f"{shorten(label, 30)!r} is not letters, digits and inner hyphens"
    return "not a host name"


def ip_literal(host: str) -> Address | None:
    """The address ``host`` is, written the standard way (dotted decimal, or IPv6), or None."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def ipv6(text: str) -> ipaddress.IPv6Address | None:
    try:
        return ipaddress.IPv6Address(text)
    except ValueError:
        return None


def ends_in_number(host: str) -> bool:
    """Whether the URL standard (WHATWG) takes ``host`` for an IPv4 address."""
    labels = host.split(".")
    if len(labels) > 1 and labels[-1] == "":
        labels.pop()
    return bool(DECIMAL.fullmatch(labels[-1]) or _HEX.fullmatch(labels[-1]))


def loose_ipv4(host: str) -> ipaddress.IPv4Address:
    """Read ``host`` as the system resolver and browsers do: 1 to 4 parts, each decimal, octal
    (leading 0) or hex (0x), the last filling the remaining bytes (WHATWG URL, IPv4 parser)."""
    parts = host.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()
    if len(parts) > 4:
        raise ValueError(host)
    numbers = []
    for part in parts:
        if _HEX.fullmatch(part):
            numbers.append(int(part[2:] or "0", 16))
        elif _OCTAL.fullmatch(part):
            numbers.append(int(part, 8))
        elif DECIMAL.fullmatch(part):
            numbers.append(int(part))
        else:
            raise ValueError(host)
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        raise ValueError(host)
    value = numbers[-1] + sum(n << (8 * (3 - i)) for i, n in enumerate(numbers[:-1]))
    return ipaddress.IPv4Address(value)


def parse_network(entry: str) -> Network | None:
    """The network an allow-list entry names (``"127.0.0.1/8"``, ``"::1"``), or None."""
    try:
        return ipaddress.ip_network(entry.strip(), strict=False)
    except ValueError:
        return None
