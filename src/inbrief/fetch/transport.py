"""The guarded connection: an httpx client whose connection pool dials only what the guard allows.

The guard sits in :class:`GuardedBackend`, the network backend of httpx's connection pool, so
no connection opens without it. Names become addresses in :func:`resolve`, and connected
peers are checked with :func:`~inbrief.fetch.guard.check_destination`; the backend looks both
up in this module at each connection, which is the seam tests replace (resolving a name to
127.0.0.1 without asking DNS, or watching every destination checked).
"""

from __future__ import annotations

import functools
import socket
import ssl
import time
from collections.abc import Iterable

import httpcore
import httpx

from inbrief.errors import AddressRefused
from inbrief.fetch.guard import Guard, check_destination
from inbrief.fetch.limits import FetchLimits
from inbrief.fetch.urls import ip_literal

# Only the codings inbrief.fetch.body.Inflater undoes; a server must not send others
# (RFC 9110, 12.5.3).
_ACCEPT_ENCODING = "gzip, deflate"
_ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8"

# What httpcore's backends accept as socket options (httpcore keeps its alias private).
_SocketOption = (
    tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
)


def resolve(host: str, port: int) -> tuple[str, ...]:
    """The IP addresses ``host`` resolves to for TCP, in the system resolver's order.

    The seam where names become addresses: every address returned is checked before it is
    connected to. Raises ``OSError`` (``socket.gaierror``) when the name does not resolve.
    """
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return tuple(dict.fromkeys(str(info[4][0]) for info in found))


class GuardedBackend(httpcore.NetworkBackend):
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
        guard = Guard.current(self._limits)
        literal = ip_literal(host)
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
            address = ip_literal(text)
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
            raise AddressRefused(refusals[0] if refusals else f"{host} resolves to no address")
        return allowed

    def sleep(self, seconds: float) -> None:
        self._sockets.sleep(seconds)


def guarded_client(limits: FetchLimits) -> httpx.Client:
    """An httpx client for one fetch: guarded connections, no redirects followed by httpx."""
    transport = httpx.HTTPTransport(verify=_ssl_context(), trust_env=False)
    # httpx has no public way to give its transport a network backend, so the connection pool
    # is replaced; tests/test_fetch.py checks that check_destination really runs.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=_ssl_context(),
        network_backend=GuardedBackend(limits),
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
