"""Fetch one web page safely: a guard against reaching private networks (SSRF), time limits,
a size cap that counts decompressed bytes, redirects followed hop by hop, and only web-page
content types.

    document = fetch("https://example.org/news/story.html")
    document.url      # the final URL after redirects
    document.origin   # the URL as given

    # The same path for callers that need the status, the headers or the raw bytes (feeds):
    response = fetch_response(url, headers={"If-None-Match": etag}, accept_not_modified=True)
    response.status, response.header("etag"), response.body

Every failure is a :class:`~inbrief.errors.FetchError` with one line naming the URL (or a
:class:`~inbrief.errors.DecodeError` when the page's bytes are not text). Bytes become text
through :func:`inbrief.sources.decode`, the same as files and stdin.

What inbrief refuses to fetch
-----------------------------
A stranger may name the URL (the web API summarizes any page), so every hop of every fetch,
redirects included, passes these checks; a refusal is a one-line ``FetchError`` starting
``refused:`` (or ``cannot fetch`` for a URL that is not one).

1. **The URL**: only ``http`` and ``https``; at most :data:`MAX_URL_LENGTH` characters; no user
   name or password in it; a valid host name, or an IP address (IPv4 only in dotted-decimal
   form: ``2130706433``, ``0x7f.1``, ``0177.0.0.1`` and ``127.1`` are refused, as they mean
   127.0.0.1 to the system resolver); no IPv6 zone (``[fe80::1%25eth0]``); not ``localhost``
   or a name under ``.localhost``.
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

The guard sits in :class:`_GuardedBackend`, the network backend of httpx's connection pool,
so no connection opens without it; :func:`check_destination` checks the connected peer and
:func:`resolve` is the seam where names become addresses (tests replace it to resolve a name
to 127.0.0.1 without asking DNS). The web service will want an async twin of
:func:`fetch_response`: the per-hop checks, :class:`_Guard` and :class:`_Inflater` hold no I/O
so that it can share them.
"""

from __future__ import annotations

import functools
import ipaddress
import os
import re
import socket
import ssl
import time
import urllib.parse
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from importlib.metadata import PackageNotFoundError, version

import httpcore
import httpx

from inbrief.errors import FetchError
from inbrief.models import ContentKind, Document
from inbrief.sources import MAX_SOURCE_BYTES, decode, format_size, sniff_binary, sniff_kind

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
WEB_PORTS = frozenset({80, 443, 8080, 8443})
"""Ports fetched from by default: HTTP, HTTPS and their two common alternates."""
MAX_URL_LENGTH = 2048
"""Longer URLs are refused; 2048 is what sitemaps and search engines accept, and no news
article needs more."""
ALLOW_PRIVATE_ENV = "INBRIEF_ALLOW_PRIVATE"
ALLOW_PORTS_ENV = "INBRIEF_ALLOW_PORTS"

_KIND_OF_TYPE: dict[str, ContentKind] = {
    **dict.fromkeys(HTML_TYPES, "html"),
    **dict.fromkeys(TEXT_TYPES, "text"),
}
_GZIP_WBITS = 16 + zlib.MAX_WBITS  # zlib's way of saying "expect a gzip header"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Only the codings _Inflater undoes; a server must not send others (RFC 9110, 12.5.3).
_ACCEPT_ENCODING = "gzip, deflate"
_ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8"


def _user_agent() -> str:
    try:
        release = version("inbrief")
    except PackageNotFoundError:  # a source tree that was never installed
        release = "dev"
    return f"inbrief/{release} (self-hosted news summarizer)"


USER_AGENT = _user_agent()


@dataclass(frozen=True)
class FetchLimits:
    """How far :func:`fetch` will go for one page. Times are seconds, sizes bytes.

    ``total_timeout`` bounds the whole fetch, redirects included; it is checked between
    reads, so a trickling server can overrun it by at most one ``read_timeout``.
    ``max_bytes`` counts the body after decompression, so a small gzip bomb is refused too.
    ``ports`` are the ports fetched from (``$INBRIEF_ALLOW_PORTS`` adds more);
    ``allow_private`` names networks (``"127.0.0.1/8"``) the address guard lets through,
    on any port, besides those in ``$INBRIEF_ALLOW_PRIVATE`` (see the module's docstring).
    """

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = MAX_SOURCE_BYTES
    max_redirects: int = 10
    content_types: frozenset[str] = HTML_TYPES | TEXT_TYPES
    user_agent: str = USER_AGENT
    ports: frozenset[int] = WEB_PORTS
    allow_private: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("connect_timeout", "read_timeout", "total_timeout", "max_bytes"):
            if getattr(self, name) <= 0:
                raise ValueError(f"FetchLimits.{name} must be positive")
        if self.max_redirects < 0:
            raise ValueError("FetchLimits.max_redirects must be 0 or more")
        if not all(1 <= port <= 65535 for port in self.ports):
            raise ValueError("FetchLimits.ports must be TCP ports (1 to 65535)")
        for entry in self.allow_private:
            if _network(entry) is None:
                raise ValueError(f"FetchLimits.allow_private: {entry!r} is not a network")


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


def fetch(url: str, *, limits: FetchLimits | None = None) -> Document:
    """Fetch the web page at ``url`` and return it decoded, following redirects hop by hop.

    The Document's ``kind`` is ``"text"`` for text/plain and ``"html"`` for HTML types,
    ``origin`` is ``url`` as given and ``url`` the final address. Raises FetchError (bad URL,
    refused, timed out, HTTP error status, too many redirects or a loop, too large, not a web
    page, empty) or DecodeError (bytes in no encoding we can trust).
    """
    response = fetch_response(url, limits=limits)
    where = _where(response.url, url, redirected=bool(response.redirected_from))
    return _page_from_body(response, url, where)


def fetch_response(
    url: str,
    *,
    limits: FetchLimits | None = None,
    headers: Mapping[str, str] | None = None,
    accept_not_modified: bool = False,
) -> FetchedResponse:
    """GET ``url`` through every check and limit of this module, following redirects.

    ``headers`` are sent with each request, over the defaults (User-Agent, Accept,
    Accept-Encoding). A 304 answer is returned when ``accept_not_modified`` (a conditional
    GET), and is an error otherwise, as is any status but 2xx and the redirects followed.
    Raises :class:`FetchError`.
    """
    limits = limits or FetchLimits()
    guard = _Guard.current(limits)
    current = _parse_url(url, guard)
    deadline = time.monotonic() + limits.total_timeout
    chain = [_without_fragment(current)]
    with _client(limits) as client:
        while True:
            redirected = len(chain) > 1
            where = _where(current, url, redirected=redirected)
            _check_url(guard, current, url, where, redirected=redirected)
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
            target = _without_fragment(outcome)
            if target in chain:
                loop = " -> ".join([*chain[chain.index(target) :], target])
                raise FetchError(f"redirect loop fetching {url}: {loop}")
            if len(chain) > limits.max_redirects:
                raise FetchError(
                    f"too many redirects fetching {url} (more than {limits.max_redirects})"
                )
            chain.append(target)
            current = outcome


def _check_url(guard: _Guard, url: httpx.URL, origin: str, where: str, *, redirected: bool) -> None:
    """Refuse this hop's URL before any lookup or connection (see the module's docstring)."""
    if url.userinfo:
        # Named without the user name and password, which must not reach logs or a browser.
        bare = str(url.copy_with(username=None, password=None))
        shown = _where(bare, origin, redirected=redirected) if redirected else bare
        raise FetchError(
            "refused: the URL holds a user name or password, which inbrief never sends "
            f"(remove them): {shown}"
        )
    refusal = guard.url_refusal(url)
    if refusal is not None:
        raise FetchError(f"refused: {refusal}: {where}")


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
        raise _deadline_error(origin, limits)
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
                _check_headers(response, where, limits)
                body = _read_body(response, where, origin, limits, deadline)
        finally:
            response.close()
    except _Refused as exc:
        raise FetchError(f"refused: {exc}: {where}") from None
    except httpx.TimeoutException as exc:
        connecting = isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout)
        allowed = limits.connect_timeout if connecting else limits.read_timeout
        if remaining < allowed:
            # The wait was cut short to keep the total deadline, so that is what ran out.
            raise _deadline_error(origin, limits) from None
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
        content_type=_mime_type(response),
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
                f"{where} redirected to an invalid URL {_shorten(location)!r}: {exc}"
            ) from None
        problem = _url_problem(target)
        if problem is not None:
            raise FetchError(f"{where} redirected to {_shorten(str(target))}, which {problem}")
        return target
    if not 200 <= status < 300:
        phrase = httpx.codes.get_reason_phrase(status) or response.reason_phrase
        raise FetchError(f"HTTP {f'{status} {phrase}'.strip()} from {where}", status=status)
    return None


def _check_headers(response: httpx.Response, where: str, limits: FetchLimits) -> None:
    """Refuse before reading the body: a type that is not a web page, a declared size too big."""
    mime = _mime_type(response)
    if mime is not None and mime not in limits.content_types:
        raise FetchError(f"not a web page (content type {mime}): {where}")
    length = response.headers.get("content-length", "").strip()
    if length.isdigit() and int(length) > limits.max_bytes:
        raise _too_large(where, limits)


def _read_body(
    response: httpx.Response,
    where: str,
    origin: str,
    limits: FetchLimits,
    deadline: float,
) -> bytes:
    """Stream the body, decompressing as it comes, and stop as soon as it passes the cap."""
    coding = response.headers.get("content-encoding", "").strip().lower()
    inflater = _Inflater.for_coding(coding, where)
    body = bytearray()
    for chunk in response.iter_raw():
        if time.monotonic() > deadline:
            raise _deadline_error(origin, limits)
        room = limits.max_bytes - len(body)
        # One byte past the room is enough to know the cap is broken, and bounds the memory a
        # compressed chunk can expand into.
        body += inflater.feed(chunk, room + 1) if inflater is not None else chunk
        if len(body) > limits.max_bytes:
            raise _too_large(where, limits)
    return bytes(body)


def _page_from_body(response: FetchedResponse, origin: str, where: str) -> Document:
    binary = sniff_binary(response.body)
    if binary is not None:
        raise FetchError(f"not a web page ({binary}): {where}")
    text = decode(response.body, declared_charset=response.charset, origin=where)
    if not text.strip():
        raise FetchError(f"{where} returned an empty page")
    path = httpx.URL(response.url).path
    kind = _KIND_OF_TYPE.get(response.content_type or "") or sniff_kind(text, path)
    return Document(content=text, kind=kind, origin=origin, url=response.url)


class _Inflater:
    """Undo a gzip or deflate Content-Encoding without ever producing more than asked for.

    httpx's own decoders inflate a whole network chunk at once (one 64 KB chunk of a gzip
    bomb becomes ~64 MB); here every call is bounded by ``max_out``.
    """

    def __init__(self, coding: str, where: str) -> None:
        self._gzip = coding in ("gzip", "x-gzip")
        self._coding = coding
        self._where = where
        # deflate waits for its first two bytes to tell zlib-wrapped from raw (see _start).
        self._zlib = zlib.decompressobj(_GZIP_WBITS) if self._gzip else None
        self._head = b""
        self._members_done = 0

    @classmethod
    def for_coding(cls, coding: str, where: str) -> _Inflater | None:
        """The inflater for a Content-Encoding value; None for an unencoded body."""
        if coding in ("", "identity"):
            return None
        if coding in ("gzip", "x-gzip", "deflate"):
            return cls(coding, where)
        raise FetchError(f"{where} sent an unsupported content encoding ({coding})")

    def feed(self, data: bytes, max_out: int) -> bytes:
        """Inflate ``data``, returning at most ``max_out`` bytes (more input is then dropped)."""
        if self._zlib is None:
            self._head += data
            if len(self._head) < 2:
                return b""
            data, self._head = self._head, b""
            self._zlib = self._start(data)
        out = bytearray()
        while data and len(out) < max_out:
            try:
                out += self._zlib.decompress(data, max_out - len(out))
            except zlib.error:
                if self._members_done:
                    break  # padding after a complete gzip member, as some servers send
                raise FetchError(f"{self._where} sent a corrupt {self._coding} body") from None
            if not self._zlib.eof:
                data = self._zlib.unconsumed_tail
                continue
            data = self._zlib.unused_data
            if not self._gzip:
                break  # bytes after a deflate stream are junk
            # A gzip body may hold several members one after another.
            self._members_done += 1
            self._zlib = zlib.decompressobj(_GZIP_WBITS)
        return bytes(out)

    @staticmethod
    def _start(head: bytes) -> zlib._Decompress:
        # RFC 9110 says deflate is zlib-wrapped, but some servers send raw deflate; a zlib
        # header is a CMF byte naming method 8 whose 16 bits with FLG are a multiple of 31.
        wrapped = head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)


# --- the address guard (SSRF) ------------------------------------------------------------------

_Address = ipaddress.IPv4Address | ipaddress.IPv6Address
_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _table(*rows: tuple[str, str]) -> tuple[tuple[_Network, str], ...]:
    return tuple((ipaddress.ip_network(cidr), label) for cidr, label in rows)


# IANA's IPv4 and IPv6 special-purpose address registries (RFC 6890 and updates), first match
# wins. Spelled out rather than left to ipaddress's is_global, whose answers differ between
# Python releases and whose names make poor messages.
_IPV4_SPECIAL = _table(
    ("0.0.0.0/32", "an unspecified address"),
    ("0.0.0.0/8", "a 'this network' address"),
    ("127.0.0.0/8", "a loopback address"),
    ("10.0.0.0/8", "a private address"),
    ("172.16.0.0/12", "a private address"),
    ("192.168.0.0/16", "a private address"),
    ("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
    ("169.254.0.0/16", "a link-local address"),
    ("192.0.0.0/24", "a reserved (IETF protocol) address"),
    ("192.0.2.0/24", "a documentation address"),
    ("198.51.100.0/24", "a documentation address"),
    ("203.0.113.0/24", "a documentation address"),
    ("198.18.0.0/15", "a benchmarking address"),
    ("192.88.99.0/24", "a reserved (6to4 relay) address"),
    ("224.0.0.0/4", "a multicast address"),
    ("255.255.255.255/32", "the broadcast address"),
    ("240.0.0.0/4", "a reserved address"),
)
_IPV6_SPECIAL = _table(
    ("::/128", "an unspecified address"),
    ("::1/128", "a loopback address"),
    ("64:ff9b:1::/48", "a local-use NAT64 address"),
    ("100::/64", "a discard-only address"),
    ("2001:db8::/32", "a documentation address"),
    ("3fff::/20", "a documentation address"),
    ("2001::/23", "a reserved (IETF protocol) address"),
    ("fc00::/7", "a private (unique local) address"),
    ("fe80::/10", "a link-local address"),
    ("fec0::/10", "a site-local address"),
    ("ff00::/8", "a multicast address"),
)
# IPv6 forms that carry an IPv4 address in their last 32 bits; they are judged by it, since a
# dual-stack socket or a translator delivers them there.
_IPV6_EMBEDDING = _table(
    ("::ffff:0:0/96", "an IPv4-mapped form"),
    ("::ffff:0:0:0/96", "an IPv4-translated form"),
    ("64:ff9b::/96", "a NAT64 form"),
    ("::/96", "an IPv4-compatible form"),
)
_GLOBAL_UNICAST = ipaddress.ip_network("2000::/3")
_6TO4 = ipaddress.ip_network("2002::/16")
_TEREDO = ipaddress.ip_network("2001::/32")


def _special(address: _Address) -> str | None:
    """What kind of non-public address ``address`` is ("a loopback address"), or None."""
    if isinstance(address, ipaddress.IPv4Address):
        label = next((label for net, label in _IPV4_SPECIAL if address in net), None)
        if label is None and not address.is_global:
            label = "a special-purpose address"  # a range registered after this table
        return label
    exact = next((label for net, label in _IPV6_SPECIAL[:2] if address in net), None)
    if exact is not None:
        return exact
    for form, embedded in _embedded(address):
        label = _special(embedded)
        if label is not None:
            return f"{form} of {embedded}, {label}"
    if any(address in net for net, _ in _IPV6_EMBEDDING) or address in _6TO4 or address in _TEREDO:
        return None  # it carries a public IPv4 address, judged above
    label = next((label for net, label in _IPV6_SPECIAL if address in net), None)
    if label is None and address not in _GLOBAL_UNICAST:
        label = "a reserved address"
    return label


def _embedded(address: ipaddress.IPv6Address) -> Iterator[tuple[str, ipaddress.IPv4Address]]:
    """The IPv4 addresses an IPv6 address carries, each with the name of its form."""
    for net, form in _IPV6_EMBEDDING:
        if address in net:
            yield form, ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
            return
    if address.sixtofour is not None:
        yield "a 6to4 form", address.sixtofour
    if address.teredo is not None:
        server, client = address.teredo
        yield "a Teredo form", server
        yield "a Teredo form", client


@dataclass(frozen=True)
class _Guard:
    """What one fetch may reach: the allow-listed networks and the ports (see the docstring)."""

    allowed: tuple[_Network, ...]
    ports: frozenset[int]

    @classmethod
    def current(cls, limits: FetchLimits) -> _Guard:
        """The guard for a fetch starting now: ``limits`` plus the environment as it is."""
        networks = [_network(entry) for entry in limits.allow_private]
        networks += _env_networks()
        return cls(tuple(net for net in networks if net is not None), limits.ports | _env_ports())

    def allows(self, address: _Address) -> bool:
        """Whether the allow-list names ``address`` (or the IPv4 address it carries)."""
        candidates = [address]
        if isinstance(address, ipaddress.IPv6Address):
            candidates += [embedded for _, embedded in _embedded(address)]
        return any(each in net for each in candidates for net in self.allowed)

    def url_refusal(self, url: httpx.URL) -> str | None:
        """Why ``url`` is refused before its host is looked up, or None to go on."""
        port = url.port if url.port is not None else _port(url)
        if not 1 <= port <= 65535:
            return f"{port} is not a TCP port"
        # The ASCII form: an international name in its xn-- spelling, as DNS will see it.
        host = url.raw_host.decode("ascii")
        if "%" in host:
            if _ipv6(host.split("%", 1)[0]) is not None:
                return f"{host} names an IPv6 zone (a local network interface)"
            return f"{_shorten(host, 60)!r} is not a valid host name"
        address = _ip_literal(host)
        if address is not None:
            return self.address_refusal(address, port, f"{host} is")
        if _ends_in_number(host):
            return self._numeric_refusal(host, port)
        name = host.removesuffix(".")
        if not _HOST_NAME.fullmatch(name):
            return f"{_shorten(host, 60)!r} is not a valid host name ({_name_problem(name)})"
        loopback_name = name == "localhost" or name.endswith(".localhost")
        if loopback_name and not self.allows(ipaddress.IPv4Address("127.0.0.1")):
            return f"{host} is a loopback name (set {ALLOW_PRIVATE_ENV} to allow it)"
        if port not in self.ports and not self.allowed:
            return self._port_refusal(port)  # no address could make it allowed: no lookup
        return None

    def address_refusal(self, address: _Address, port: int, subject: str) -> str | None:
        """Why connecting to ``address``:``port`` is refused, or None; ``subject`` leads."""
        if self.allows(address):
            return None
        label = _special(address)
        if label is not None:
            return f"{subject} {label} (set {ALLOW_PRIVATE_ENV} to allow it)"
        if port not in self.ports:
            return self._port_refusal(port)
        return None

    def _numeric_refusal(self, host: str, port: int) -> str:
        """Refuse a host written as a number other than dotted decimal (``2130706433``)."""
        try:
            address = _loose_ipv4(host)
        except ValueError:
            return f"{host!r} is not a valid IPv4 address or host name"
        # The system resolver reads these as addresses; other parsers may not, which is how
        # guards get fooled, so they are refused even when the address itself is fine.
        refusal = self.address_refusal(address, port, f"{host} is {address},")
        return refusal or f"{host} is an unusual way to write {address} (write it as {address})"

    def _port_refusal(self, port: int) -> str:
        listed = ", ".join(str(each) for each in sorted(self.ports))
        return (
            f"port {port} is not one inbrief fetches from "
            f"({listed}; set {ALLOW_PORTS_ENV} to add it)"
        )


# Letters, digits, hyphens and underscores (found in real host names though RFC 952 forbids
# them), 1 to 63 per label, 253 in all.
_HOST_NAME = re.compile(
    r"(?=.{1,253}\Z)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*"
    r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?",
    re.ASCII,
)
_LABEL = re.compile(r"[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?", re.ASCII)


def _name_problem(name: str) -> str:
    """What breaks the host name rules in ``name`` (which :data:`_HOST_NAME` refused)."""
    if len(name) > 253:
        return f"{len(name)} characters, more than 253"
    for label in name.split("."):
        if not label:
            return "an empty label"
        if len(label) > 63:
            return f"a label of {len(label)} characters, more than 63"
        if not _LABEL.fullmatch(label):
            return f"{_shorten(label, 30)!r} is not letters, digits and inner hyphens"
    return "not a host name"


_DECIMAL = re.compile(r"[0-9]+", re.ASCII)
_HEX = re.compile(r"0[xX][0-9a-fA-F]*", re.ASCII)
_OCTAL = re.compile(r"0[0-7]+", re.ASCII)


def _ip_literal(host: str) -> _Address | None:
    """The address ``host`` is, written the standard way (dotted decimal, or IPv6), or None."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _ipv6(text: str) -> ipaddress.IPv6Address | None:
    try:
        return ipaddress.IPv6Address(text)
    except ValueError:
        return None


def _ends_in_number(host: str) -> bool:
    """Whether the URL standard (WHATWG) takes ``host`` for an IPv4 address."""
    labels = host.split(".")
    if len(labels) > 1 and labels[-1] == "":
        labels.pop()
    return bool(_DECIMAL.fullmatch(labels[-1]) or _HEX.fullmatch(labels[-1]))


def _loose_ipv4(host: str) -> ipaddress.IPv4Address:
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
        elif _DECIMAL.fullmatch(part):
            numbers.append(int(part))
        else:
            raise ValueError(host)
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        raise ValueError(host)
    value = numbers[-1] + sum(n << (8 * (3 - i)) for i, n in enumerate(numbers[:-1]))
    return ipaddress.IPv4Address(value)


def _network(entry: str) -> _Network | None:
    try:
        return ipaddress.ip_network(entry.strip(), strict=False)
    except ValueError:
        return None


def _env_networks() -> list[_Network]:
    networks = []
    for entry in _env_list(ALLOW_PRIVATE_ENV):
        network = _network(entry)
        if network is None:
            raise FetchError(
                f"{ALLOW_PRIVATE_ENV} holds {entry!r}, which is not an address or a network; "
                "give comma-separated CIDRs such as 127.0.0.1/8,10.0.0.0/8"
            )
        networks.append(network)
    return networks


def _env_ports() -> frozenset[int]:
    ports = set()
    for entry in _env_list(ALLOW_PORTS_ENV):
        if not _DECIMAL.fullmatch(entry) or not 1 <= int(entry) <= 65535:
            raise FetchError(
                f"{ALLOW_PORTS_ENV} holds {entry!r}, which is not a TCP port; "
                "give comma-separated numbers such as 8000,8888"
            )
        ports.add(int(entry))
    return frozenset(ports)


def _env_list(name: str) -> list[str]:
    return [entry.strip() for entry in os.environ.get(name, "").split(",") if entry.strip()]


class _Refused(FetchError):
    """The guard's refusal, raised in the backend; :func:`_hop` names the URL in the message."""


def resolve(host: str, port: int) -> tuple[str, ...]:
    """The IP addresses ``host`` resolves to for TCP, in the system resolver's order.

    The seam where names become addresses: every address returned is checked before it is
    connected to. Raises ``OSError`` (``socket.gaierror``) when the name does not resolve.
    """
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return tuple(dict.fromkeys(str(info[4][0]) for info in found))


def check_destination(
    host: str, address: str, port: int, limits: FetchLimits | None = None
) -> None:
    """Decide whether inbrief may talk to ``address``:``port``, reached for ``host``.

    Called for every connection (the first request and each redirect hop) after the TCP
    connection opens and before any byte of the request is sent, with the peer address of
    the socket itself. The address was already checked before connecting; this checks what
    the socket really reached. Raises :class:`FetchError` to refuse; the connection is then
    closed and the fetch fails with that message.
    """
    guard = _Guard.current(limits or FetchLimits())
    subject = f"{address} is" if host == address else f"{host} is at {address},"
    try:
        peer = ipaddress.ip_address(address)
    except ValueError:
        raise _Refused(f"{host} is at {address!r}, which is not an IP address") from None
    refusal = guard.address_refusal(peer, port, subject)
    if refusal is not None:
        raise _Refused(refusal)


# What httpcore's backends accept as socket options (httpcore keeps its alias private).
_SocketOption = (
    tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
)


class _GuardedBackend(httpcore.NetworkBackend):
    """The standard socket backend, connecting only to addresses the guard allows.

    The name is resolved here (through :func:`resolve`) and each address checked before it is
    connected to; the socket then connects to that very address, so a second lookup cannot
    return another (DNS rebinding). TLS still verifies the certificate against the host name,
    which httpcore passes to ``start_tls`` itself.
    """

    def __init__(self, limits: FetchLimits) -> None:
        self._limits = limits
        self._sockets = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[_SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        allowed = self._allowed_addresses(host, port)
        deadline = None if timeout is None else time.monotonic() + timeout
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in allowed:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                break
            try:
                stream = self._sockets.connect_tcp(
                    address,
                    port,
                    timeout=left,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc  # the next address may answer
                continue
            try:
                peer = stream.get_extra_info("socket").getpeername()
                check_destination(host, str(peer[0]), int(peer[1]), self._limits)
            except BaseException:
                stream.close()
                raise
            return stream
        raise failure or httpcore.ConnectTimeout(f"timed out connecting to {host}")

    def _allowed_addresses(self, host: str, port: int) -> list[str]:
        """The addresses of ``host`` the guard allows, in order; refuses when there is none."""
        guard = _Guard.current(self._limits)
        literal = _ip_literal(host)
        if literal is not None:
            found: tuple[str, ...] = (host,)  # an address already: no lookup
        else:
            try:
                found = resolve(host, port)
            except (OSError, UnicodeError) as exc:
                raise httpcore.ConnectError(f"could not resolve {host}: {exc}") from exc
        allowed, refusals = [], []
        for text in found:
            subject = f"{host} is" if literal is not None else f"{host} resolves to {text},"
            address = _ip_literal(text)
            refusal = (
                f"{host} resolves to {text!r}, which is not an IP address"
                if address is None
                else guard.address_refusal(address, port, subject)
            )
            if refusal is None:
                allowed.append(text)
            else:
                refusals.append(refusal)
        if not allowed:
            raise _Refused(refusals[0] if refusals else f"{host} resolves to no address")
        return allowed

    def sleep(self, seconds: float) -> None:
        self._sockets.sleep(seconds)


def _client(limits: FetchLimits) -> httpx.Client:
    transport = httpx.HTTPTransport(verify=_ssl_context(), trust_env=False)
    # httpx has no public way to give its transport a network backend, so the connection pool
    # is replaced; tests/test_fetch.py checks that check_destination really runs.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=_ssl_context(),
        network_backend=_GuardedBackend(limits),
    )
    # trust_env=False: no proxies from the environment (the guard must see the real
    # destination) and no .netrc credentials sent to whatever site a user names.
    return httpx.Client(
        transport=transport,
        follow_redirects=False,
        trust_env=False,
        headers={
            "User-Agent": limits.user_agent,
            "Accept": _ACCEPT,
            "Accept-Encoding": _ACCEPT_ENCODING,
        },
    )


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle takes ~0.1 s; one context serves every fetch (it is thread-safe).
    return httpx.create_ssl_context()


def _parse_url(url: str, guard: _Guard) -> httpx.URL:
    if len(url) > MAX_URL_LENGTH:
        raise FetchError(
            f"cannot fetch {_shorten(url)!r}: the URL is {len(url)} characters long, "
            f"more than the {MAX_URL_LENGTH} inbrief accepts"
        )
    try:
        parsed = httpx.URL(url.strip())
    except httpx.InvalidURL as exc:
        raise _invalid_url_error(url, exc, guard) from None
    problem = _url_problem(parsed)
    if problem is not None:
        raise FetchError(f"cannot fetch {url!r}: it {problem}")
    return parsed


def _invalid_url_error(url: str, exc: httpx.InvalidURL, guard: _Guard) -> FetchError:
    """Why httpx rejected ``url``; a host such as ``0177.0.0.1`` is named for what it means."""
    try:
        host = urllib.parse.urlsplit(url.strip()).hostname
    except ValueError:
        host = None
    if host and _ends_in_number(host):
        return FetchError(f"refused: {guard._numeric_refusal(host, 80)}: {url}")
    return FetchError(f"invalid URL {url!r}: {exc}")


def _url_problem(url: httpx.URL) -> str | None:
    """Why inbrief cannot fetch ``url``, or None if it can try."""
    if not url.scheme:
        return "is not a full URL (start it with http:// or https://)"
    if url.scheme not in ("http", "https"):
        return f"uses the {url.scheme}: scheme; only http:// and https:// can be fetched"
    if not url.host:
        return "names no host"
    length = len(str(url))
    if length > MAX_URL_LENGTH:
        return f"is {length} characters long, more than the {MAX_URL_LENGTH} inbrief accepts"
    return None


def _shorten(text: str, size: int = 100) -> str:
    return text if len(text) <= size else text[:size] + "..."


def _mime_type(response: httpx.Response) -> str | None:
    value = response.headers.get("content-type")
    if value is None:
        return None
    return value.split(";", 1)[0].strip().lower() or None


def _without_fragment(url: httpx.URL) -> str:
    return str(url.copy_with(fragment=None))


def _where(url: httpx.URL | str, origin: str, *, redirected: bool) -> str:
    return f"{url} (redirected from {origin})" if redirected else origin


def _too_large(where: str, limits: FetchLimits) -> FetchError:
    return FetchError(f"{where} is larger than the {format_size(limits.max_bytes)} limit")


def _deadline_error(origin: str, limits: FetchLimits) -> FetchError:
    return FetchError(f"fetching {origin} took longer than {limits.total_timeout:g} s; gave up")


def _transport_error(exc: httpx.HTTPError, url: httpx.URL, where: str) -> FetchError:
    causes = list(_causes(exc))
    if any(isinstance(cause, socket.gaierror | UnicodeError) for cause in causes):
        return FetchError(f"could not resolve host {url.host} ({where}); check the address")
    if any(isinstance(cause, ConnectionRefusedError) for cause in causes):
        return FetchError(f"connection refused by {url.host}:{url.port or _port(url)} ({where})")
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


def _port(url: httpx.URL) -> int:
    return 443 if url.scheme == "https" else 80
