"""Fetch one web page safely: a guard against reaching private networks (SSRF), time limits,
a size cap that counts decompressed bytes, redirects followed hop by hop, and only web-page
content types. Bytes out: turning them into a :class:`~inbrief.models.Document` is
:func:`inbrief.sources.from_url`'s job, the same decoding as for files and stdin.

    response = fetch_response("https://example.org/news/story.html")
    response.url, response.status, response.header("etag"), response.body

    # A conditional GET (feeds):
    response = fetch_response(url, headers={"If-None-Match": etag}, accept_not_modified=True)

Every failure is a :class:`~inbrief.errors.FetchError` with one line naming the URL.

What inbrief refuses to fetch
-----------------------------
A stranger may name the URL (the web API summarizes any page), so every hop of every fetch,
redirects included, passes these checks; a refusal is a one-line
:class:`~inbrief.errors.URLRefused` (a ``FetchError``) starting ``refused:`` (or ``cannot
fetch`` for a URL that is not one), where the remote site's failures are plain ``FetchError``.

1. **The URL**: only ``http`` and ``https``; at most :data:`MAX_URL_LENGTH` characters; no
   control character (NUL, a line break, ...) and no user name or password in it; a valid
   host name, or an IP address (IPv4 only in dotted-decimal form: ``2130706433``,
   ``0x7f.1``, ``0177.0.0.1`` and ``127.1`` are refused, as they mean 127.0.0.1 to the
   system resolver); no IPv6 zone (``[fe80::1%25eth0]``); not ``localhost`` or a name under
   ``.localhost``.
2. **The port**: one of :data:`WEB_PORTS` (80, 443, 8080, 8443: the ports news sites are
   served on), plus those in ``FetchLimits.ports`` and ``$INBRIEF_ALLOW_PORTS``.
3. **The address**, checked on every address a name resolves to *before* connecting (the
   connection goes to the checked address, never to a second lookup) and again on the peer
   address of the connected socket: loopback, private, shared (100.64.0.0/10), link-local,
   multicast, broadcast, unspecified, documentation, benchmarking and reserved ranges of IPv4
   and IPv6 are refused, and so are IPv6 addresses that embed such an IPv4 address
   (IPv4-mapped, -compatible and -translated, NAT64, 6to4, Teredo). IPv6 outside 2000::/3
   (global unicast) is refused. A literal IP address in the URL is refused before any lookup
   or connection; a DNS name that resolves (or rebinds) to such an address is refused before
   connecting; a redirect to one is refused before its hop.

The allow-list
--------------
``$INBRIEF_ALLOW_PRIVATE`` (read at each fetch) and ``FetchLimits.allow_private`` name networks
inbrief may reach all the same, as comma-separated addresses or CIDRs
(``INBRIEF_ALLOW_PRIVATE=127.0.0.1/8,10.1.0.0/16``), for tests and intranet use; both lists
count. An address on the allow-list may be reached **on any port**: a network trusted enough to
allow-list runs its services where it likes (tests serve pages from 127.0.0.1 on random ports).
An IPv6 address that embeds an allow-listed IPv4 address is allowed too. ``localhost`` is
refused unless 127.0.0.1 is allow-listed (its addresses are then checked as any name's).

Where it lives
--------------
:mod:`~inbrief.fetch.guard` decides (the policy above, no I/O); :mod:`~inbrief.fetch.transport`
enforces it in the network backend of httpx's connection pool, so no connection opens without
it; :mod:`~inbrief.fetch.body` reads and inflates the body under the cap;
:mod:`~inbrief.fetch.urls` parses hosts as the resolver does. The web service will want an
async twin of :func:`fetch_response`: the per-hop checks, the guard and the inflater hold no
I/O so that it can share them.
"""

from __future__ import annotations

import socket
import ssl
import time
import urllib.parse
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

import httpx

from inbrief.errors import AddressRefused, FetchError, URLRefused
from inbrief.fetch.body import check_headers, mime_type, read_body
from inbrief.fetch.guard import (
    ALLOW_PORTS_ENV,
    ALLOW_PRIVATE_ENV,
    Guard,
    check_destination,
    check_url,
)
from inbrief.fetch.limits import (
    HTML_TYPES,
    TEXT_TYPES,
    USER_AGENT,
    WEB_PORTS,
    FetchLimits,
    deadline_error,
)
from inbrief.fetch.transport import guarded_client, resolve
from inbrief.fetch.urls import (
    MAX_URL_LENGTH,
    control_character,
    default_port,
    ends_in_number,
    hop_label,
    shorten,
    url_problem,
    without_fragment,
)

__all__ = [
    "ALLOW_PORTS_ENV",
    "ALLOW_PRIVATE_ENV",
    "HTML_TYPES",
    "MAX_URL_LENGTH",
    "TEXT_TYPES",
    "USER_AGENT",
    "WEB_PORTS",
    "FetchLimits",
    "FetchedResponse",
    "check_destination",
    "fetch_response",
    "resolve",
]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class FetchedResponse:
    """The final answer of a fetch, after redirects, with its body read and decompressed.

    ``status`` is 2xx, or 304 when the caller accepted it (then ``body`` is empty). ``url`` is
    the final URL; ``redirected_from`` the URLs that led to it, the one given first.
    ``headers`` keeps the response's header lines in order, names in lower case.
    ``content_type`` is the media type alone (``"text/html"``), ``charset`` the one the
    Content-Type header declares; both ``None`` when absent.
    """

    url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    content_type: str | None
    charset: str | None
    redirected_from: tuple[str, ...] = ()

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or None."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key == wanted), None)

    @property
    def not_modified(self) -> bool:
        """Whether the server answered 304: nothing changed since the validators were issued."""
        return self.status == 304


def fetch_response(
    url: str,
    *,
    limits: FetchLimits | None = None,
    headers: Mapping[str, str] | None = None,
    accept_not_modified: bool = False,
) -> FetchedResponse:
    """GET ``url`` through every check and limit of this package, following redirects.

    ``headers`` are sent with each request, over the defaults (User-Agent, Accept,
    Accept-Encoding). A 304 answer is returned when ``accept_not_modified`` (a conditional
    GET), and is an error otherwise, as is any status but 2xx and the redirects followed.
    Raises :class:`FetchError`.
    """
    limits = limits or FetchLimits()
    guard = Guard.current(limits)
    current = _parse_url(url, guard)
    deadline = time.monotonic() + limits.total_timeout
    chain = [without_fragment(current)]
    with guarded_client(limits) as client:
        while True:
            redirected = len(chain) > 1
            where = hop_label(current, url, redirected=redirected)
            check_url(guard, current, url, where, redirected=redirected)
            outcome = _hop(
                client,
                current,
                url,
                where,
                limits,
                deadline,
                headers=headers,
                accept_not_modified=accept_not_modified,
            )
            if isinstance(outcome, FetchedResponse):
                return replace(outcome, redirected_from=tuple(chain[:-1]))
            target = without_fragment(outcome)
            if target in chain:
                loop = " -> ".join([*chain[chain.index(target) :], target])
                raise FetchError(f"redirect loop fetching {url}: {loop}")
            if len(chain) > limits.max_redirects:
                raise FetchError(
                    f"too many redirects fetching {url} (more than {limits.max_redirects})"
                )
            chain.append(target)
            current = outcome


def _hop(
    client: httpx.Client,
    url: httpx.URL,
    origin: str,
    where: str,
    limits: FetchLimits,
    deadline: float,
    *,
    headers: Mapping[str, str] | None,
    accept_not_modified: bool,
) -> httpx.URL | FetchedResponse:
    """Request ``url`` once: the redirect target, or the final answer."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise deadline_error(origin, limits)
    timeout = httpx.Timeout(
        connect=min(limits.connect_timeout, remaining),
        read=min(limits.read_timeout, remaining),
        write=min(limits.read_timeout, remaining),
        pool=min(limits.connect_timeout, remaining),
    )
    try:
        request = client.build_request("GET", url, headers=headers, timeout=timeout)
        response = client.send(request, stream=True)
        try:
            body = b""
            # A 304 is an answer only to a conditional GET, which is what the flag says this is.
            if not (accept_not_modified and response.status_code == 304):
                target = _redirect_target(response, url, where)
                if target is not None:
                    return target
                check_headers(response, where, limits)
                body = read_body(response, where, origin, limits, deadline)
        finally:
            response.close()
    except AddressRefused as exc:
        raise URLRefused(f"refused: {exc}: {where}") from None
    except httpx.TimeoutException as exc:
        connecting = isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout)
        allowed = limits.connect_timeout if connecting else limits.read_timeout
        if remaining < allowed:
            # The wait was cut short to keep the total deadline, so that is what ran out.
            raise deadline_error(origin, limits) from None
        if connecting:
            raise FetchError(
                f"timed out connecting to {url.host} after {allowed:g} s ({where})"
            ) from None
        raise FetchError(f"no response from {where} within {allowed:g} s") from None
    except httpx.HTTPError as exc:
        raise _transport_error(exc, url, where) from None
    return FetchedResponse(
        url=str(url),
        status=response.status_code,
        headers=tuple((name.lower(), value) for name, value in response.headers.multi_items()),
        body=body,
        content_type=mime_type(response),
        charset=response.charset_encoding,
    )


def _redirect_target(response: httpx.Response, url: httpx.URL, where: str) -> httpx.URL | None:
    """Where a redirect points (checked like a URL the user gave), or None for a final answer."""
    status = response.status_code
    if status in _REDIRECTS:
        location = response.headers.get("location")
        if not location:
            raise FetchError(
                f"HTTP {status} redirect without a Location from {where}", status=status
            )
        try:
            target = url.join(location.strip())
        except httpx.InvalidURL as exc:
            raise FetchError(
                f"{where} redirected to an invalid URL {shorten(location)!r}: {exc}"
            ) from None
        problem = url_problem(target)
        if problem is not None:
            raise URLRefused(f"{where} redirected to {shorten(str(target))}, which {problem}")
        return target
    if not 200 <= status < 300:
        phrase = httpx.codes.get_reason_phrase(status) or response.reason_phrase
        raise FetchError(
            f"HTTP {f'{status} {phrase}'.strip()} from {where}",
            status=status,
            retry_after=response.headers.get("retry-after"),
        )
    return None


def _parse_url(url: str, guard: Guard) -> httpx.URL:
    if len(url) > MAX_URL_LENGTH:
        raise URLRefused(
            f"cannot fetch {shorten(url)!r}: the URL is {len(url)} characters long, "
            f"more than the {MAX_URL_LENGTH} inbrief accepts"
        )
    control = control_character(url.strip())
    if control is not None:
        raise URLRefused(
            f"refused: the URL holds a control character ({control!r}), which no web address "
            f"has: {shorten(url)!r}"
        )
    try:
        parsed = httpx.URL(url.strip())
    except httpx.InvalidURL as exc:
        raise _invalid_url_error(url, exc, guard) from None
    problem = url_problem(parsed)
    if problem is not None:
        raise URLRefused(f"cannot fetch {url!r}: it {problem}")
    return parsed


def _invalid_url_error(url: str, exc: httpx.InvalidURL, guard: Guard) -> URLRefused:
    """Why httpx rejected ``url``; a host such as ``0177.0.0.1`` is named for what it means."""
    try:
        host = urllib.parse.urlsplit(url.strip()).hostname
    except ValueError:
        host = None
    if host and ends_in_number(host):
        return URLRefused(f"refused: {guard.numeric_refusal(host, 80)}: {url}")
    return URLRefused(f"cannot fetch {url!r}: it is not a valid URL ({exc})")


def _transport_error(exc: httpx.HTTPError, url: httpx.URL, where: str) -> FetchError:
    causes = list(_causes(exc))
    if any(isinstance(cause, socket.gaierror | UnicodeError) for cause in causes):
        return FetchError(f"could not resolve host {url.host} ({where}); check the address")
    if any(isinstance(cause, ConnectionRefusedError) for cause in causes):
        return FetchError(
            f"connection refused by {url.host}:{url.port or default_port(url)} ({where})"
        )
    tls = next((cause for cause in causes if isinstance(cause, ssl.SSLError)), None)
    if tls is not None:
        reason = getattr(tls, "verify_message", None) or tls.reason or tls
        return FetchError(f"secure connection to {url.host} failed ({where}): {reason}")
    if isinstance(exc, httpx.RemoteProtocolError):
        return FetchError(f"{where} broke off the response: {exc}")
    if isinstance(exc, httpx.ConnectError):
        return FetchError(f"could not connect to {url.host} ({where}): {exc}")
    return FetchError(f"could not fetch {where}: {exc}")


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__
