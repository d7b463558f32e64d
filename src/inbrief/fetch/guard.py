"""The address guard (SSRF): which URLs, addresses and ports a fetch may reach.

The policy is described in :mod:`inbrief.fetch`. This module only decides; it does no I/O,
so that an async twin of :func:`~inbrief.fetch.fetch_response` can share it. It is asked three
times for every hop: about the URL before any lookup (:func:`check_url`), about each address a
name resolves to before connecting (:meth:`Guard.address_refusal`, from the transport), and
about the peer of the connected socket (:func:`check_destination`).
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterator
from dataclasses import dataclass

import httpx

from inbrief.errors import AddressRefused, FetchError, URLRefused
from inbrief.fetch.limits import FetchLimits
from inbrief.fetch.urls import (
    DECIMAL,
    HOST_NAME,
    Address,
    Network,
    default_port,
    ends_in_number,
    hop_label,
    ip_literal,
    ipv6,
    loose_ipv4,
    name_problem,
    parse_network,
    shorten,
)

ALLOW_PRIVATE_ENV = "INBRIEF_ALLOW_PRIVATE"
ALLOW_PORTS_ENV = "INBRIEF_ALLOW_PORTS"


def _table(*rows: tuple[str, str]) -> tuple[tuple[Network, str], ...]:
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


def _special(address: Address) -> str | None:
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
class Guard:
    """What one fetch may reach: the allow-listed networks and the ports.

    Built from the limits and the environment as they are now (:meth:`current`), since the
    environment's allow-lists are read at each fetch; the policy is described in
    :mod:`inbrief.fetch`.
    """

    allowed: tuple[Network, ...]
    ports: frozenset[int]

    @classmethod
    def current(cls, limits: FetchLimits) -> Guard:
        """The guard for a fetch starting now: ``limits`` plus the environment as it is."""
        networks = [parse_network(entry) for entry in limits.allow_private]
        networks += _env_networks()
        return cls(tuple(net for net in networks if net is not None), limits.ports | _env_ports())

    def allows(self, address: Address) -> bool:
        """Whether the allow-list names ``address`` (or the IPv4 address it carries)."""
        candidates = [address]
        if isinstance(address, ipaddress.IPv6Address):
            candidates += [embedded for _, embedded in _embedded(address)]
        return any(each in net for each in candidates for net in self.allowed)

    def url_refusal(self, url: httpx.URL) -> str | None:
        """Why ``url`` is refused before its host is looked up, or None to go on."""
        port = url.port if url.port is not None else default_port(url)
        if not 1 <= port <= 65535:
            return f"{port} is not a TCP port"
        # The ASCII form: an international name in its xn-- spelling, as DNS will see it.
        host = url.raw_host.decode("ascii")
        if "%" in host:
            if ipv6(host.split("%", 1)[0]) is not None:
                return f"{host} names an IPv6 zone (a local network interface)"
            return f"{shorten(host, 60)!r} is not a valid host name"
        address = ip_literal(host)
        if address is not None:
            return self.address_refusal(address, port, f"{host} is")
        if ends_in_number(host):
            return self.numeric_refusal(host, port)
        name = host.removesuffix(".")
        if not HOST_NAME.fullmatch(name):
            return f"{shorten(host, 60)!r} is not a valid host name ({name_problem(name)})"
        loopback_name = name == "localhost" or name.endswith(".localhost")
        if loopback_name and not self.allows(ipaddress.IPv4Address("127.0.0.1")):
            return f"{host} is a loopback name (set {ALLOW_PRIVATE_ENV} to allow it)"
        if port not in self.ports and not self.allowed:
            return self._port_refusal(port)  # no address could make it allowed: no lookup
        return None

    def address_refusal(self, address: Address, port: int, subject: str) -> str | None:
        """Why connecting to ``address``:``port`` is refused, or None; ``subject`` leads."""
        if self.allows(address):
            return None
        label = _special(address)
        if label is not None:
            return f"{subject} {label} (set {ALLOW_PRIVATE_ENV} to allow it)"
        if port not in self.ports:
            return self._port_refusal(port)
        return None

    def numeric_refusal(self, host: str, port: int) -> str:
        """Refuse a host written as a number other than dotted decimal (``2130706433``)."""
        try:
            address = loose_ipv4(host)
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


def check_url(guard: Guard, url: httpx.URL, origin: str, where: str, *, redirected: bool) -> None:
    """Refuse this hop's URL before any lookup or connection (see :mod:`inbrief.fetch`)."""
    if url.userinfo:
        # Named without the user name and password, which must not reach logs or a browser.
        bare = str(url.copy_with(username=None, password=None))
        shown = hop_label(bare, origin, redirected=redirected) if redirected else bare
        raise URLRefused(
            "refused: the URL holds a user name or password, which inbrief never sends "
            f"(remove them): {shown}"
        )
    refusal = guard.url_refusal(url)
    if refusal is not None:
        raise URLRefused(f"refused: {refusal}: {where}")


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
    guard = Guard.current(limits or FetchLimits())
    subject = f"{address} is" if host == address else f"{host} is at {address},"
    try:
        peer = ipaddress.ip_address(address)
    except ValueError:
        raise AddressRefused(f"{host} is at {address!r}, which is not an IP address") from None
    refusal = guard.address_refusal(peer, port, subject)
    if refusal is not None:
        raise AddressRefused(refusal)


def _env_networks() -> list[Network]:
    networks = []
    for entry in _env_list(ALLOW_PRIVATE_ENV):
        network = parse_network(entry)
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
        if not DECIMAL.fullmatch(entry) or not 1 <= int(entry) <= 65535:
            raise FetchError(
                f"{ALLOW_PORTS_ENV} holds {entry!r}, which is not a TCP port; "
                "give comma-separated numbers such as 8000,8888"
            )
        ports.add(int(entry))
    return frozenset(ports)


def _env_list(name: str) -> list[str]:
    return [entry.strip() for entry in os.environ.get(name, "").split(",") if entry.strip()]
