"""The fetcher's guard against server-side request forgery: hostile URLs are refused, with one
clear line, before any connection.

Proof that nothing was reached, for every case:

* a trap: a real socket listening on 127.0.0.1 that records every connection it accepts; the
  loopback forms below aim at its port, so a guard that let one through would be caught in it;
* every ``socket.connect`` in this process is recorded (a spy that calls the real one), and the
  table expects none, which covers the addresses no test may send traffic to (10.0.0.1, ...):
  those are refused before connecting, never by a failed connection;
* names resolve through :func:`inbrief.fetch.transport.resolve`, replaced here by a table, so
  that ``news.example`` can resolve to 127.0.0.1 without asking DNS; the lookups are recorded
  too.

Only the guard's inputs are faked (what a name resolves to); the guard itself runs as shipped.
"""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import LocalServer

from inbrief import sources
from inbrief.errors import FetchError, URLRefused
from inbrief.feeds import fetch_feed
from inbrief.fetch import FetchLimits, check_destination, fetch_response, transport
from inbrief.service import create_app
from inbrief.service.server import running
from inbrief.sources import from_url
from inbrief.store import Store

STORY = "<html><body><article><p>The budget passed on Tuesday.</p></article></body></html>"
HINT = "(set INBRIEF_ALLOW_PRIVATE to allow it)"


@dataclass
class Network:
    """What the process did on the network during a test."""

    trap_port: int
    trapped: list[tuple[str, int]] = field(default_factory=list)
    connects: list[Any] = field(default_factory=list)
    lookups: list[str] = field(default_factory=list)
    names: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)

    def resolves(self, name: str, *answers: tuple[str, ...]) -> None:
        """Make ``name`` resolve to each answer in turn (the last one repeats)."""
        self.names[name] = list(answers)

    def assert_untouched(self) -> None:
        """No lookup, no connection attempted, nothing reached the trap."""
        assert self.lookups == []
        assert self.connects == []
        assert self.trapped == []


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> Iterator[Network]:
    """The trap, the connect spy and the resolver table (see the module's docstring)."""
    trap = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    trap.bind(("127.0.0.1", 0))
    trap.listen(16)
    trap.settimeout(0.05)
    seen = Network(trap_port=trap.getsockname()[1])
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, peer = trap.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            seen.trapped.append(peer[:2])
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()

    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def connect(sock: socket.socket, address: Any) -> None:
        seen.connects.append(address)
        real_connect(sock, address)

    def connect_ex(sock: socket.socket, address: Any) -> int:
        seen.connects.append(address)
        return real_connect_ex(sock, address)

    def resolve(host: str, port: int) -> tuple[str, ...]:
        seen.lookups.append(host)
        answers = seen.names.get(host)
        if not answers:
            # Never the real DNS: an unknown name simply does not resolve here.
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return answers.pop(0) if len(answers) > 1 else answers[0]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(transport, "resolve", resolve)
    try:
        yield seen
    finally:
        stop.set()
        trap.close()
        thread.join(timeout=5)


# --- the table ---------------------------------------------------------------------------------

LONG = "a" * 2100

# (URL, what the one-line error must say). "{trap}" is the trap's port: loopback forms aim there.
HOSTILE: list[tuple[str, str]] = [
    # loopback, in every spelling the system resolver or a browser accepts
    ("http://127.0.0.1:{trap}/", f"127.0.0.1 is a loopback address {HINT}"),
    ("http://127.0.0.1/", "127.0.0.1 is a loopback address"),
    ("http://127.0.0.5:{trap}/admin", "127.0.0.5 is a loopback address"),
    ("http://2130706433:{trap}/", "2130706433 is 127.0.0.1, a loopback address"),
    ("http://0x7f.1:{trap}/", "0x7f.1 is 127.0.0.1, a loopback address"),
    ("http://0x7f000001:{trap}/", "0x7f000001 is 127.0.0.1, a loopback address"),
    ("http://0177.0.0.1:{trap}/", "0177.0.0.1 is 127.0.0.1, a loopback address"),
    ("http://017700000001:{trap}/", "017700000001 is 127.0.0.1, a loopback address"),
    ("http://127.1:{trap}/", "127.1 is 127.0.0.1, a loopback address"),
    ("http://127.000.000.001:{trap}/", "127.000.000.001 is 127.0.0.1, a loopback address"),
    ("http://127.0.0.1.:{trap}/", "127.0.0.1. is 127.0.0.1, a loopback address"),
    ("http://127\u30020\u30020\u30021:{trap}/", "127.0.0.1 is a loopback address"),
    ("http://[::1]:{trap}/", "::1 is a loopback address"),
    ("http://[::ffff:127.0.0.1]:{trap}/", "IPv4-mapped form of 127.0.0.1, a loopback address"),
    ("http://[0:0:0:0:0:ffff:7f00:1]/", "IPv4-mapped form of 127.0.0.1, a loopback address"),
    ("http://[::ffff:7f00:1]/", "IPv4-mapped form of 127.0.0.1, a loopback address"),
    ("http://[::127.0.0.1]/", "IPv4-compatible form of 127.0.0.1, a loopback address"),
    ("http://[64:ff9b::7f00:1]/", "NAT64 form of 127.0.0.1, a loopback address"),
    ("http://[2002:7f00:1::]/", "6to4 form of 127.0.0.1, a loopback address"),
    ("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", "Teredo form of 127.0.0.1"),
    ("http://localhost:{trap}/", f"localhost is a loopback name {HINT}"),
    ("http://localhost.:{trap}/", "localhost. is a loopback name"),
    ("http://news.localhost:{trap}/", "news.localhost is a loopback name"),
    # this machine by another name
    ("http://0/", "0 is 0.0.0.0, an unspecified address"),
    ("http://0.0.0.0:{trap}/", "0.0.0.0 is an unspecified address"),
    ("http://[::]/", ":: is an unspecified address"),
    # cloud metadata, private networks and the other special ranges
    ("http://169.254.169.254/latest/meta-data", "169.254.169.254 is a link-local address"),
    ("http://[::ffff:a9fe:a9fe]/latest/meta-data", "of 169.254.169.254, a link-local address"),
    ("http://10.0.0.1/", "10.0.0.1 is a private address"),
    ("http://192.168.1.1/", "192.168.1.1 is a private address"),
    ("http://172.16.0.1/", "172.16.0.1 is a private address"),
    ("http://100.64.0.1/", "100.64.0.1 is a shared (carrier-grade NAT) address"),
    ("http://[fe80::1]/", "fe80::1 is a link-local address"),
    ("http://[fc00::1]/", "fc00::1 is a private (unique local) address"),
    ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
    ("http://[ff02::1]/", "ff02::1 is a multicast address"),
    ("http://255.255.255.255/", "255.255.255.255 is the broadcast address"),
    ("http://198.18.0.1/", "198.18.0.1 is a benchmarking address"),
    ("http://[2001:db8::1]/", "2001:db8::1 is a documentation address"),
    ("http://[fe80::1%25eth0]/", "fe80::1%25eth0 names an IPv6 zone"),
    # schemes other than the web's
    ("file:///etc/passwd", "uses the file: scheme; only http:// and https:// can be fetched"),
    ("gopher://127.0.0.1:{trap}/_INFO", "uses the gopher: scheme"),
    ("ftp://127.0.0.1:{trap}/", "uses the ftp: scheme"),
    ("javascript:alert(1)", "uses the javascript: scheme"),
    ("data:text/html,<script>alert(1)</script>", "uses the data: scheme"),
    ("dict://127.0.0.1:{trap}/info", "uses the dict: scheme"),
    # credentials, lengths, ports and hosts that are no host
    ("http://user:secret@127.0.0.1:{trap}/", "holds a user name or password"),
    ("http://user:secret@example.org/", "holds a user name or password"),
    ("http://example.org@127.0.0.1:{trap}/", "holds a user name or password"),
    ("http://example.org/" + LONG, "more than the 2048 inbrief accepts"),
    ("http://127.0.0.1:{trap}/?q=" + LONG, "more than the 2048 inbrief accepts"),
    ("http://example.org:25/", "port 25 is not one inbrief fetches from"),
    ("http://93.184.215.14:22/", "port 22 is not one inbrief fetches from"),
    ("http://127.0.0.1:99999/", "99999 is not a TCP port"),
    ("http://0x08080808/", "0x08080808 is an unusual way to write 8.8.8.8"),
    ("http://%31%32%37.0.0.1/", "is not a valid host name"),
    ("http://1.2.3.4.5/", "'1.2.3.4.5' is not a valid IPv4 address or host name"),
    # control characters: a NUL that a C resolver stops at, a line break that splits a request
    ("http://127.0.0.1\x00.example.org:{trap}/", "the URL holds a control character ('\\x00')"),
    ("http://example.org/\r\nHost: 127.0.0.1", "the URL holds a control character ('\\r')"),
]


def test_the_table_is_at_least_thirty_forms() -> None:
    assert len(HOSTILE) >= 30
    assert len({url for url, _ in HOSTILE}) == len(HOSTILE)


@pytest.mark.parametrize(("template", "reason"), HOSTILE, ids=[u[:60] for u, _ in HOSTILE])
def test_hostile_url_is_refused_without_a_connection(
    network: Network, template: str, reason: str
) -> None:
    url = template.replace("{trap}", str(network.trap_port))

    with pytest.raises(URLRefused) as raised:
        from_url(url)

    message = str(raised.value)
    assert reason in message
    assert message.startswith(("refused: ", "cannot fetch ")), message
    assert "\n" not in message
    assert "secret" not in message  # a password in a URL is never repeated
    network.assert_untouched()


# --- names: the address they resolve to is what counts -----------------------------------------


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (("127.0.0.1",), "news.example resolves to 127.0.0.1, a loopback address"),
        (("169.254.169.254",), "news.example resolves to 169.254.169.254, a link-local address"),
        (
            ("::ffff:127.0.0.1",),
            "news.example resolves to ::ffff:127.0.0.1, "
            "an IPv4-mapped form of 127.0.0.1, a loopback address",
        ),
        (("10.1.2.3", "::1"), "news.example resolves to 10.1.2.3, a private address"),
    ],
)
def test_a_name_resolving_to_a_refused_address_is_not_connected_to(
    network: Network, monkeypatch: pytest.MonkeyPatch, answer: tuple[str, ...], reason: str
) -> None:
    # The trap's port is allowed, so that only the address stands between the fetch and it.
    monkeypatch.setenv("INBRIEF_ALLOW_PORTS", str(network.trap_port))
    network.resolves("news.example", answer)
    url = f"http://news.example:{network.trap_port}/story"

    with pytest.raises(URLRefused) as raised:
        from_url(url)

    assert str(raised.value) == f"refused: {reason} {HINT}: {url}"
    assert network.lookups == ["news.example"]  # looked up once, then refused
    assert network.connects == [] and network.trapped == []


def test_the_resolver_hook_reaches_a_real_server_when_allowed(
    network: Network, http_server: LocalServer
) -> None:
    # The positive control: the same hook, with 127.0.0.1 allowed, does connect and fetch.
    network.resolves("news.example", ("127.0.0.1",))
    port = http_server.base_url.rsplit(":", 1)[1]
    http_server.route("/story", STORY)

    document = from_url(f"http://news.example:{port}/story")

    assert document.content == STORY
    assert http_server.requests[-1].header("host") == f"news.example:{port}"
    assert network.connects == [("127.0.0.1", int(port))]


def test_only_allowed_addresses_of_a_name_are_connected_to(
    network: Network, http_server: LocalServer
) -> None:
    network.resolves("mixed.example", ("10.0.0.5", "169.254.169.254", "127.0.0.1"))
    port = int(http_server.base_url.rsplit(":", 1)[1])
    http_server.route("/story", STORY)

    assert from_url(f"http://mixed.example:{port}/story").content == STORY
    assert network.connects == [("127.0.0.1", port)]  # never 10.0.0.5 nor 169.254.169.254


# --- redirects and rebinding: every hop is checked ---------------------------------------------


@pytest.fixture
def first_hop(
    network: Network,
    start_http_server: Callable[[str], LocalServer],
    monkeypatch: pytest.MonkeyPatch,
) -> LocalServer:
    """An allowed server on 127.0.0.2 (only that address is allow-listed)."""
    site = start_http_server("127.0.0.2")
    monkeypatch.setenv("INBRIEF_ALLOW_PRIVATE", "127.0.0.2/32")
    return site


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("http://127.0.0.1:{trap}/", "127.0.0.1 is a loopback address"),
        ("http://2130706433:{trap}/", "2130706433 is 127.0.0.1, a loopback address"),
        ("http://[::1]:{trap}/", "::1 is a loopback address"),
        ("http://localhost:{trap}/", "localhost is a loopback name"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://news.example:{trap}/", "news.example resolves to 127.0.0.1"),
        ("http://user:secret@example.org/", "holds a user name or password"),
        ("gopher://127.0.0.1:{trap}/", "which uses the gopher: scheme"),
    ],
)
def test_a_redirect_to_a_refused_target_is_not_followed(
    network: Network, first_hop: LocalServer, target: str, reason: str
) -> None:
    network.resolves("news.example", ("127.0.0.1",))
    location = target.replace("{trap}", str(network.trap_port))
    start = first_hop.redirect("/go", location)

    with pytest.raises(URLRefused) as raised:
        from_url(start)

    message = str(raised.value)
    assert reason in message
    assert start in message  # "(redirected from ...)" or "... redirected to ..."
    assert "secret" not in message
    assert [request.path for request in first_hop.requests] == ["/go"]
    assert network.trapped == []
    assert {address for address, _ in network.connects} == {"127.0.0.2"}


def test_a_name_rebinding_between_hops_is_caught(network: Network, first_hop: LocalServer) -> None:
    # First lookup: the allowed server. Second (the redirect opens a new connection): 127.0.0.1.
    network.resolves("rebind.example", ("127.0.0.2",), ("127.0.0.1",))
    port = first_hop.base_url.rsplit(":", 1)[1]
    first_hop.redirect("/go", "/next")
    first_hop.route("/next", STORY)
    start = f"http://rebind.example:{port}/go"

    with pytest.raises(
        URLRefused, match=re.escape("rebind.example resolves to 127.0.0.1, a loopback")
    ):
        from_url(start)

    assert network.lookups == ["rebind.example", "rebind.example"]
    assert [request.path for request in first_hop.requests] == ["/go"]
    assert {address for address, _ in network.connects} == {"127.0.0.2"}


# --- the allow-list and the ports --------------------------------------------------------------


def test_the_allow_list_opens_exactly_what_it_names(
    network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INBRIEF_ALLOW_PRIVATE", "127.0.0.1/32")

    with pytest.raises(URLRefused, match=re.escape("127.0.0.2 is a loopback address")):
        from_url(f"http://127.0.0.2:{network.trap_port}/")
    with pytest.raises(URLRefused, match=re.escape("10.0.0.1 is a private address")):
        from_url("http://10.0.0.1/")
    network.assert_untouched()


@pytest.mark.parametrize("allowed", ["127.0.0.1/8", " 10.0.0.0/8 , 127.0.0.1 "])
def test_allow_listed_loopback_is_fetched_on_any_port(
    network: Network, monkeypatch: pytest.MonkeyPatch, allowed: str
) -> None:
    monkeypatch.setenv("INBRIEF_ALLOW_PRIVATE", allowed)

    # The trap hangs up at once, so the fetch fails: but only after connecting, port and all.
    with pytest.raises(FetchError) as raised:
        from_url(f"http://127.0.0.1:{network.trap_port}/", limits=FetchLimits(read_timeout=2))
    assert not str(raised.value).startswith("refused")
    assert not isinstance(raised.value, URLRefused)  # the site's failure, not a refusal
    assert network.connects == [("127.0.0.1", network.trap_port)]
    assert len(network.trapped) == 1


def test_allow_private_in_the_limits_works_without_the_environment(
    network: Network, start_http_server: Callable[[str], LocalServer]
) -> None:
    site = start_http_server("127.0.0.1")
    url = site.route("/story", STORY)

    with pytest.raises(FetchError, match="loopback"):
        from_url(url)
    assert from_url(url, limits=FetchLimits(allow_private=("127.0.0.1/32",))).content == STORY


def test_a_bad_allow_list_is_a_clear_error(
    network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INBRIEF_ALLOW_PRIVATE", "127.0.0.1/8, intranet")

    with pytest.raises(FetchError, match=r"INBRIEF_ALLOW_PRIVATE holds 'intranet', which is not"):
        from_url("http://example.org/")
    network.assert_untouched()


def test_extra_ports_come_from_the_environment(
    network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = "http://example.org:8000/story"
    with pytest.raises(FetchError, match="port 8000 is not one inbrief fetches from"):
        from_url(url)
    assert network.lookups == []  # refused before the name was even looked up

    monkeypatch.setenv("INBRIEF_ALLOW_PORTS", "8000")
    with pytest.raises(FetchError, match=re.escape("could not resolve host example.org")):
        from_url(url)
    assert network.lookups == ["example.org"]  # past the port check; the table has no answer
    assert network.connects == []


def test_limits_can_narrow_the_ports(network: Network) -> None:
    with pytest.raises(FetchError, match=r"port 80 is not one inbrief fetches from \(443;"):
        from_url("http://example.org/", limits=FetchLimits(ports=frozenset({443})))
    network.assert_untouched()


# --- the check on the connected socket ---------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "address", "reason"),
    [
        ("news.example", "127.0.0.1", "news.example is at 127.0.0.1, a loopback address"),
        ("news.example", "::ffff:10.0.0.1", "an IPv4-mapped form of 10.0.0.1, a private"),
        ("10.0.0.1", "10.0.0.1", "10.0.0.1 is a private address"),
    ],
)
def test_check_destination_refuses_a_private_peer(host: str, address: str, reason: str) -> None:
    with pytest.raises(FetchError, match=reason):
        check_destination(host, address, 80)
    check_destination(host, address, 80, FetchLimits(allow_private=("10.0.0.0/8", "127.0.0.1")))


def test_check_destination_lets_a_public_peer_through() -> None:
    check_destination("example.org", "93.184.215.14", 443)
    check_destination("example.org", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", 443)
    with pytest.raises(FetchError, match="port 22"):
        check_destination("example.org", "93.184.215.14", 22)


# --- every way in goes through the guard -------------------------------------------------------


@pytest.mark.parametrize(
    "entry",
    [from_url, fetch_response, fetch_feed, sources.load],
    ids=["from_url", "fetch_response", "fetch_feed", "sources.load"],
)
def test_every_entry_point_is_guarded(network: Network, entry: Callable[[str], Any]) -> None:
    url = f"http://2130706433:{network.trap_port}/feed.xml"

    with pytest.raises(FetchError, match=re.escape("2130706433 is 127.0.0.1, a loopback address")):
        entry(url)
    network.assert_untouched()


def test_the_web_api_refuses_to_fetch_for_a_stranger(network: Network, tmp_path: Path) -> None:
    with (
        Store.open(str(tmp_path / "inbrief.db")) as store,
        running(create_app(store)) as reader,
        httpx.Client(base_url=reader, timeout=30) as client,
    ):
        for template in ("http://127.0.0.1:{trap}/", "http://0x7f.1:{trap}/"):
            url = template.replace("{trap}", str(network.trap_port))
            response = client.post("/api/summarize", json={"url": url})
            assert response.status_code == 422  # the caller's to change, not the site's failure
            assert "a loopback address" in response.json()["detail"]
    assert network.trapped == []
    assert all(port != network.trap_port for _, port, *_ in network.connects)
