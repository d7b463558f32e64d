"""When two articles are one: the key of a web URL, and the key of a text.

An article is stored once under each: adding one whose URL key or text key is already stored
returns the stored row.  The key is a normalised form of the URL, not the page's own
``<link rel=canonical>`` (extraction reads that one into ``Article.url``, which is then keyed
like any other URL).
"""

from __future__ import annotations

import hashlib
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only say how a reader arrived; they never change the article.
_TRACKING_PARAMETERS = frozenset({"fbclid", "gclid", "mc_cid", "mc_eid", "ocid"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def url_key(url: str) -> str:
    """The form of a web URL under which an article is stored once.

    Lower-cases the scheme and host, drops the default port, the ``#fragment`` and tracking
    parameters (``utm_*``, ``fbclid``, ``gclid``, ...), and writes an empty path as ``/``.  The
    path and the other parameters are kept as they are: they may well name another article.
    Anything that is not an ``http(s)`` URL is returned stripped of surrounding whitespace.
    """
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return url
    host = parts.hostname
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: not ours to repair
        return url
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    if parts.username is not None:
        credentials = parts.username
        if parts.password is not None:
            credentials += f":{parts.password}"
        host = f"{credentials}@{host}"
    kept = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not name.lower().startswith("utm_") and name.lower() not in _TRACKING_PARAMETERS
    ]
    return urlunsplit((scheme, host, parts.path or "/", urlencode(kept), ""))


def content_hash(text: str) -> str:
    """The SHA-256 of an article's text exactly as stored (UTF-8), hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def text_key(text: str) -> str:
    """The key under which one story is stored once, whatever its layout: a SHA-256, hex.

    The text is read as its words: NFKC-normalised, case-folded, every run of whitespace
    (blank lines, line breaks, tabs, no-break spaces) one space.  A feed's copy of a story
    differs from the page's own in such ways (6 of the 15 entries of the bundled Global Voices feed
    repeat demo articles, with blank lines where the corpus has single line breaks).
    """
    words = unicodedata.normalize("NFKC", text).casefold().split()
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def web_url_key(*candidates: str | None) -> str | None:
    """The :func:`url_key` of the first candidate that is an http(s) URL."""
    for candidate in candidates:
        if candidate and urlsplit(candidate.strip()).scheme.lower() in _DEFAULT_PORTS:
            return url_key(candidate)
    return None
