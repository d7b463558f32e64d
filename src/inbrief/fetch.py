"""Fetch one web page safely: time limits, a size cap that counts decompressed bytes, redirects
followed hop by hop, and only web-page content types.

    document = fetch("https://example.org/news/story.html")
    document.url      # the final URL after redirects
    document.origin   # the URL as given

Every failure is a :class:`~inbrief.errors.FetchError` with one line naming the URL (or a
:class:`~inbrief.errors.DecodeError` when the page's bytes are not text). Bytes become text
through :func:`inbrief.sources.decode`, the same as files and stdin.

Each connection passes :func:`check_destination` with the address it actually reached; that
is where the private-address (SSRF) guard goes. The web service will want an async twin of
:func:`fetch`: the per-hop checks, :func:`_page_from_body` and :class:`_Inflater` hold no I/O so
that it can share them.
"""

from __future__ import annotations

import functools
import socket
import ssl
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

import httpcore
import httpx

from inbrief.errors import FetchError
from inbrief.models import ContentKind, Document
from inbrief.sources import MAX_SOURCE_BYTES, decode, format_size, sniff_binary, sniff_kind

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
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
    """

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = MAX_SOURCE_BYTES
    max_redirects: int = 10
    content_types: frozenset[str] = HTML_TYPES | TEXT_TYPES
    user_agent: str = USER_AGENT

    def __post_init__(self) -> None:
        for name in ("connect_timeout", "read_timeout", "total_timeout", "max_bytes"):
            if getattr(self, name) <= 0:
                raise ValueError(f"FetchLimits.{name} must be positive")
        if self.max_redirects < 0:
            raise ValueError("FetchLimits.max_redirects must be 0 or more")


def check_destination(host: str, address: str, port: int) -> None:
    """Decide whether inbrief may talk to ``address``:``port``, reached for ``host``.

    Called for every connection (the first request and each redirect hop) after the TCP
    connection opens and before any byte of the request is sent, with the peer address of
    the socket itself, so DNS rebinding cannot slip past it. Raise :class:`FetchError` to
    refuse; the connection is closed and the fetch fails with that message.
    """
    # SSRF guard goes here (follow-up issue): refuse loopback, private, link-local, multicast
    # and unspecified addresses unless an allow-list names them. Not enforced yet because the
    # tests serve pages from 127.0.0.1.


def fetch(url: str, *, limits: FetchLimits | None = None) -> Document:
    """Fetch the web page at ``url`` and return it decoded, following redirects hop by hop.

    The Document's ``kind`` is ``"text"`` for text/plain and ``"html"`` for HTML types,
    ``origin`` is ``url`` as given and ``url`` the final address. Raises FetchError (bad URL,
    refused, timed out, HTTP error status, too many redirects or a loop, too large, not a web
    page, empty) or DecodeError (bytes in no encoding we can trust).
    """
    limits = limits or FetchLimits()
    current = _parse_url(url)
    deadline = time.monotonic() + limits.total_timeout
    chain = [_without_fragment(current)]
    with _client(limits) as client:
        while True:
            where = _where(current, url, redirected=len(chain) > 1)
            outcome = _hop(client, current, url, where, limits, deadline)
            if isinstance(outcome, Document):
                return outcome
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


def _hop(
    client: httpx.Client,
    url: httpx.URL,
    origin: str,
    where: str,
    limits: FetchLimits,
    deadline: float,
) -> httpx.URL | Document:
    """Request ``url`` once: the redirect target, or the page it serves."""
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
        response = client.send(client.build_request("GET", url, timeout=timeout), stream=True)
        try:
            target = _redirect_target(response, url, where)
            if target is not None:
                return target
            _check_headers(response, where, limits)
            body = _read_body(response, where, origin, limits, deadline)
        finally:
            response.close()
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
    return _page_from_body(body, response, url, origin, where)


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
            raise FetchError(f"{where} redirected to an invalid URL {location!r}: {exc}") from None
        problem = _url_problem(target)
        if problem is not None:
            raise FetchError(f"{where} redirected to {target}, which {problem}")
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


def _page_from_body(
    body: bytes, response: httpx.Response, url: httpx.URL, origin: str, where: str
) -> Document:
    binary = sniff_binary(body)
    if binary is not None:
        raise FetchError(f"not a web page ({binary}): {where}")
    text = decode(body, declared_charset=response.charset_encoding, origin=where)
    if not text.strip():
        raise FetchError(f"{where} returned an empty page")
    mime = _mime_type(response)
    kind = _KIND_OF_TYPE.get(mime or "") or sniff_kind(text, url.path)
    return Document(content=text, kind=kind, origin=origin, url=str(url))


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


# What httpcore's backends accept as socket options (httpcore keeps its alias private).
_SocketOption = (
    tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
)


class _CheckedBackend(httpcore.NetworkBackend):
    """The standard socket backend, with :func:`check_destination` on every new connection."""

    def __init__(self) -> None:
        self._sockets = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[_SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._sockets.connect_tcp(
            host,
            port,
            timeout=timeout,
            local_address=local_address,
            socket_options=socket_options,
        )
        try:
            peer = stream.get_extra_info("socket").getpeername()
            check_destination(host, str(peer[0]), int(peer[1]))
        except BaseException:
            stream.close()
            raise
        return stream

    def sleep(self, seconds: float) -> None:
        self._sockets.sleep(seconds)


def _client(limits: FetchLimits) -> httpx.Client:
    transport = httpx.HTTPTransport(verify=_ssl_context(), trust_env=False)
    # httpx has no public way to give its transport a network backend, so the connection pool
    # is replaced; tests/test_fetch.py checks that check_destination really runs.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=_ssl_context(),
        network_backend=_CheckedBackend(),
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


def _parse_url(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url.strip())
    except httpx.InvalidURL as exc:
        raise FetchError(f"invalid URL {url!r}: {exc}") from None
    problem = _url_problem(parsed)
    if problem is not None:
        raise FetchError(f"cannot fetch {url!r}: it {problem}")
    return parsed


def _url_problem(url: httpx.URL) -> str | None:
    """Why inbrief cannot fetch ``url``, or None if it can try."""
    if not url.scheme:
        return "is not a full URL (start it with http:// or https://)"
    if url.scheme not in ("http", "https"):
        return f"uses the {url.scheme}: scheme; only http:// and https:// can be fetched"
    if not url.host:
        return "names no host"
    return None


def _mime_type(response: httpx.Response) -> str | None:
    value = response.headers.get("content-type")
    if value is None:
        return None
    return value.split(";", 1)[0].strip().lower() or None


def _without_fragment(url: httpx.URL) -> str:
    return str(url.copy_with(fragment=None))


def _where(url: httpx.URL, origin: str, *, redirected: bool) -> str:
    return f"{url} (redirected from {origin})" if redirected else origin


def _too_large(where: str, limits: FetchLimits) -> FetchError:
    return FetchError(f"{where} is larger than the {format_size(limits.max_bytes)} limit")


def _deadline_error(origin: str, limits: FetchLimits) -> FetchError:
    return FetchError(f"fetching {origin} took longer than {limits.total_timeout:g} s; gave up")


def _transport_error(exc: httpx.HTTPError, url: httpx.URL, where: str) -> FetchError:
    causes = list(_causes(exc))
    if any(isinstance(cause, socket.gaierror) for cause in causes):
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
