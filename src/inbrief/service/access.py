"""Who may read and who may change the reader: API keys, the loopback rule, no cross-site writes.

A *change* is adding or deleting an article, subscribing, unsubscribing or polling (every
``POST``/``DELETE`` of the API and the feed forms, and ``POST /api/summarize`` with
``"store": true``). It needs write access:

* **with API keys configured** (:attr:`Settings.api_keys`): one of them, sent as
  ``Authorization: Bearer KEY`` or ``X-API-Key: KEY``, or, for the HTML feed forms where a
  browser cannot add a header, HTTP Basic authentication with the key as the password (the
  browser asks for it once);
* **with none**: the client must be on this machine (a loopback address) and address the
  server by a loopback name or address. A remote client is refused, and so is a page whose
  DNS name was re-pointed at 127.0.0.1 (DNS rebinding): its ``Host`` is its own name. So is
  any request that came through a proxy (it carries ``Forwarded``, ``X-Forwarded-*``,
  ``X-Real-IP`` or ``Via``): behind a reverse proxy on this machine every client would
  otherwise look local.

Credentials a browser attaches by itself (Basic authentication it remembers, or simply being
on this machine) only count for requests from the reader's own pages: a request another site
makes the browser send (``Sec-Fetch-Site: cross-site``, or a foreign ``Origin``) is refused, so
a web page cannot make a reader's browser change the reader (CSRF). A key in a header cannot
be sent that way: browsers add such headers only after a CORS preflight, which the reader
grants to no one for them.

Reading (pages, ``GET`` in the API, ``POST /api/summarize``) is public unless
:attr:`Settings.public_read` is false; then it needs a key the same way.

Keys are compared as SHA-256 digests with :func:`hmac.compare_digest` against *every*
configured key, so the time taken says nothing about how much of a key was right, nor which
key matched. A key never appears in a log line, a message or the settings' ``repr``: log
lines name a key by its position in the configuration ("key 2").
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import ipaddress
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from inbrief.service.problems import Problem, wants_json
from inbrief.service.settings import Settings

log = logging.getLogger(__name__)

REALM = "inbrief"
NEEDS_KEY = "send an API key as 'Authorization: Bearer KEY' or 'X-API-Key: KEY'"
NEEDS_KEY_ON_A_PAGE = "give the reader's API key as the password when the browser asks"
LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost", "ip6-loopback"})
# Headers only proxies add: a request carrying one was relayed for some other client.
PROXY_HEADERS = (
    "forwarded",
    "x-forwarded-for",
    "x-forwarded-host",
    "x-forwarded-proto",
    "x-real-ip",
    "via",
)

# Declared through FastAPI's security classes so that /docs shows an "Authorize" button.
_bearer = HTTPBearer(auto_error=False, description="An API key (INBRIEF_API_KEY).")
_api_key = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="An API key (INBRIEF_API_KEY)."
)


@dataclass(frozen=True)
class Credentials:
    """The key a request presented (None: none) and whether the browser sent it by itself
    (HTTP Basic authentication it remembers)."""

    key: str | None
    ambient: bool = False


@dataclass(frozen=True)
class Caller:
    """Who a request came from: its address and the position of the key it gave (None when
    it gave none, or reading is public)."""

    client: str
    key_number: int | None


class KeyRing:
    """The configured keys, kept as SHA-256 digests and compared in constant time."""

    def __init__(self, keys: Sequence[str]) -> None:
        self._digests = tuple(hashlib.sha256(key.encode("utf-8")).digest() for key in keys)

    def __bool__(self) -> bool:
        return bool(self._digests)

    def match(self, given: str) -> int | None:
        """The position (from 1) of the key equal to ``given``, or None."""
        # Digests have one length whatever was sent, and every key is compared: no early
        # exit tells an attacker how close a guess came or how many keys there are.
        digest = hashlib.sha256(given.encode("utf-8", "surrogateescape")).digest()
        found = None
        for number, known in enumerate(self._digests, 1):
            if hmac.compare_digest(digest, known) and found is None:
                found = number
        return found


class AccessPolicy:
    """Decides whether a request may read or change the reader (see the module docstring)."""

    def __init__(self, settings: Settings) -> None:
        self.keys = KeyRing(settings.api_keys)
        self.public_read = settings.public_read

    def read(self, request: Request, credentials: Credentials) -> Caller:
        """The caller if it may read, else :class:`Problem` 401."""
        client = client_address(request)
        if self.public_read:
            return Caller(client, None)
        return Caller(client, self._known_key(request, credentials, client, "read"))

    def write(self, request: Request, credentials: Credentials) -> Caller:
        """The caller if it may change the reader, else :class:`Problem` 401 or 403."""
        client = client_address(request)
        if self.keys:
            number = self._known_key(request, credentials, client, "change")
            if credentials.ambient:
                self._same_site_only(request, client)
            log.info("change by API key %d from %s", number, client)
            return Caller(client, number)
        relayed = any(name in request.headers for name in PROXY_HEADERS)
        if relayed or not is_loopback(client):
            self._refuse(
                request,
                client,
                "no API key is configured, so changes are accepted only from this machine "
                "(not through a proxy); set INBRIEF_API_KEY on the server to allow them "
                "from elsewhere",
            )
        host = (request.headers.get("host") or "").strip()
        if host and not is_loopback_host(host):
            self._refuse(
                request,
                client,
                f"without an API key, changes must address the reader as 127.0.0.1 or "
                f"localhost, not {host[:100]!r}",
            )
        self._same_site_only(request, client)
        return Caller(client, None)

    def _known_key(
        self, request: Request, credentials: Credentials, client: str, action: str
    ) -> int:
        if credentials.key is None:
            log.warning("refused to %s for %s: no API key", action, client)
            how = NEEDS_KEY if wants_json(request) else NEEDS_KEY_ON_A_PAGE
            raise _unauthorized(request, f"this needs an API key: {how}")
        number = self.keys.match(credentials.key)
        if number is None:
            log.warning("refused to %s for %s: an API key that is not valid", action, client)
            raise _unauthorized(request, "that API key is not valid")
        return number

    def _same_site_only(self, request: Request, client: str) -> None:
        if is_cross_site(request):
            self._refuse(
                request,
                client,
                "a page on another site cannot change this reader; use the reader's own pages",
            )

    @staticmethod
    def _refuse(request: Request, client: str, detail: str) -> None:
        log.warning(
            "refused a change (%s %s) from %s: %s", request.method, request.url.path, client, detail
        )
        raise Problem(403, detail)


def _unauthorized(request: Request, detail: str) -> Problem:
    # API clients are told to send a Bearer key; a browser on a page gets Basic, which makes
    # it ask the person for the key (any user name) and remember it for the site.
    challenge = f'Bearer realm="{REALM}"' if wants_json(request) else f'Basic realm="{REALM}"'
    return Problem(401, detail, headers={"WWW-Authenticate": challenge})


def client_address(request: Request) -> str:
    """The client's address as the server saw it (uvicorn applies trusted proxy headers)."""
    return request.client.host if request.client else "unknown"


def is_loopback(address: str) -> bool:
    """Whether ``address`` is a loopback IP address (IPv4, IPv6, or IPv4 mapped in IPv6)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or bool(mapped and mapped.is_loopback)


def is_loopback_host(host: str) -> bool:
    """Whether a ``Host`` header (``name[:port]``) names this machine's loopback interface."""
    name = urlsplit(f"//{host}").hostname or ""
    return name.lower() in LOOPBACK_NAMES or is_loopback(name)


def is_cross_site(request: Request) -> bool:
    """Whether a browser sent this request for a page of another site (or origin)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site not in ("same-origin", "none")
    # Browsers without Fetch Metadata: compare the Origin they send with the Host asked for.
    origin = request.headers.get("origin")
    if origin is None:
        return False  # not a browser's cross-origin request (curl, scripts, the CLI)
    host = (request.headers.get("host") or "").lower()
    return origin == "null" or urlsplit(origin).netloc.lower() != host


def basic_password(authorization: str | None) -> str | None:
    """The password of an ``Authorization: Basic`` header (the user name if the password is
    empty, for ``curl -u KEY:``), or None."""
    if not authorization or authorization[:6].lower() != "basic ":
        return None
    try:
        decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, _, password = decoded.partition(":")
    return password or user or None


# --- FastAPI dependencies ---------------------------------------------------------------------


async def credentials_of(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    header_key: Annotated[str | None, Security(_api_key)],
) -> Credentials:
    """The key the request presents, from ``Authorization`` (Bearer or Basic) or
    ``X-API-Key``."""
    if bearer is not None:
        return Credentials(bearer.credentials)
    if header_key:
        return Credentials(header_key)
    password = basic_password(request.headers.get("authorization"))
    return Credentials(password, ambient=password is not None)


CredentialsDep = Annotated[Credentials, Depends(credentials_of)]


def policy_of(request: Request) -> AccessPolicy:
    """The app's access policy."""
    policy: AccessPolicy = request.app.state.access
    return policy


async def read_access(request: Request, credentials: CredentialsDep) -> Caller:
    """Dependency: the request may read (401 otherwise)."""
    return policy_of(request).read(request, credentials)


async def write_access(request: Request, credentials: CredentialsDep) -> Caller:
    """Dependency: the request may change the reader (401 or 403 otherwise)."""
    return policy_of(request).write(request, credentials)


ReadAccess = Depends(read_access)
WriteAccess = Depends(write_access)
