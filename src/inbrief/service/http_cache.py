"""HTTP validators and caching headers: ``ETag``, ``Last-Modified``, 304 and ``Cache-Control``.

An answer the reader may let others keep (a page, a summary, ``widget.js``) carries an entity
tag made from everything that decides its bytes (:func:`entity_tag`), a ``Last-Modified`` date
and ``Cache-Control: public, no-cache``: a browser or a CDN in front of the reader may keep it,
and asks again with ``If-None-Match`` / ``If-Modified-Since`` before each use, which costs the
reader one small query and a 304 when nothing changed. ``no-cache`` rather than a lifetime:
a changed article is then never shown stale, by us or by a cache we told to keep it.

Answers that need a key to read (reading not public, or a request that sent a key) are
:data:`PRIVATE`: no shared cache may keep them, and no browser either.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from email.utils import formatdate, parsedate_to_datetime
from functools import lru_cache
from pathlib import Path

from inbrief import __version__

PUBLIC = "public, no-cache"
PRIVATE = "private, no-store"
SERVICE = Path(__file__).parent
_TAG_BYTES = 12


def code_fingerprint(*settings: object) -> bytes:
    """A digest of what decides a page's bytes besides the data: the inbrief version, every
    template and static file, and the ``settings`` given (site name, model, page size...)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(__version__.encode())
    for folder in ("templates", "static"):
        for path in sorted((SERVICE / folder).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(SERVICE).as_posix().encode())
                digest.update(path.read_bytes())
    digest.update(repr(settings).encode())
    return digest.digest()


def entity_tag(parts: Iterable[bytes]) -> str:
    """A strong entity tag (quoted) naming one set of inputs: equal inputs, equal bytes."""
    digest = hashlib.blake2b(digest_size=_TAG_BYTES)
    for part in parts:
        digest.update(len(part).to_bytes(4, "big"))
        digest.update(part)
    return f'"{digest.hexdigest()}"'


def last_modified(changed_at: float, now: float) -> int | None:
    """The ``Last-Modified`` second of data last changed at ``changed_at`` (seconds since
    1970), or None while that second is still running.

    HTTP dates count whole seconds, so the date is the *first second after* the change: a
    client that holds it was answered once the change was done, and a later change, even in
    the same second, gets a later date. Until that second has come the date would lie in the
    future, which HTTP forbids, so none is sent (the entity tag still validates).
    """
    second = math.floor(changed_at) + 1
    return second if second <= now else None


@lru_cache(maxsize=64)  # the same few seconds, over and over: the last changes' dates
def http_date(second: int) -> str:
    """``second`` (since 1970) as an HTTP date: ``Sun, 06 Nov 1994 08:49:37 GMT``."""
    return formatdate(second, usegmt=True)


def not_modified(
    if_none_match: str | None, if_modified_since: str | None, etag: str, modified: int | None
) -> bool:
    """Whether a conditional GET may be answered 304 (RFC 9110 13.1): ``If-None-Match`` when
    sent, else ``If-Modified-Since``; a date that cannot be read validates nothing."""
    if if_none_match is not None:
        return _matches(if_none_match, etag)
    if if_modified_since is None or modified is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return False
    return since >= modified


def _matches(if_none_match: str, etag: str) -> bool:
    """Weak comparison, as If-None-Match uses: ``W/"x"`` matches ``"x"``; ``*`` any."""
    given = if_none_match.strip()
    if given == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in given.split(","))
