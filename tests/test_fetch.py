"""fetch_response() and from_url() against a real server on 127.0.0.1 (conftest.http_server)."""

from __future__ import annotations

import gzip
import socket
import time
import tracemalloc
import zlib

import pytest

from inbrief.errors import DecodeError, FetchError
from inbrief.fetch import FetchLimits, fetch_response, transport
from inbrief.fetch.body import Inflater
from inbrief.sources import from_url

STORY = (
    "<!DOCTYPE html><html><head><title>Budget passed</title></head>"
    "<body><article><p>Parliament passed the budget on Tuesday.</p></article></body></html>"
)
RUSSIAN = "Парламент принял бюджет во вторник. Оппозиция голосовала против."
FRENCH = "Le Parlement a adopté le budget mardi. L\u2019opposition a voté contre."
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(32)


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>t</title></head><body><p>{body}</p></body></html>"


# --- pages that work ----------------------------------------------------------------------


def test_fetches_an_html_page(http_server):
    url = http_server.route("/news/story.html", STORY)

    document = from_url(url)

    assert document.content == STORY
    assert document.kind == "html"
    assert document.origin == url
    assert document.url == url


def test_text_plain_is_text(http_server):
    url = http_server.route("/notes", "Just a plain note.\n", content_type="text/plain")

    document = from_url(url)

    assert (document.kind, document.content) == ("text", "Just a plain note.\n")


def test_sends_a_user_agent_naming_inbrief(http_server):
    from_url(http_server.route("/story", STORY))

    agent = http_server.requests[-1].header("user-agent")
    assert agent is not None and agent.startswith("inbrief/")


def test_charset_from_the_http_header(http_server):
    body = page(RUSSIAN).encode("windows-1251")
    url = http_server.route("/ru", body, content_type="text/html; charset=windows-1251")

    assert RUSSIAN in from_url(url).content


def test_charset_from_meta_when_the_header_has_none(http_server):
    body = page(RUSSIAN, head='<meta charset="windows-1251">').encode("windows-1251")
    url = http_server.route("/ru", body, content_type="text/html")

    assert RUSSIAN in from_url(url).content


def test_latin1_label_decodes_as_browsers_do(http_server):
    # Pages labelled ISO-8859-1 use windows-1252's 0x92 for the curly apostrophe.
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
    body = page(FRENCH, head=meta).encode("cp1252")
    assert b"\x92" in body
    url = http_server.route("/fr", body, content_type="text/html")

    assert FRENCH in from_url(url).content


def test_header_charset_iso_8859_1(http_server):
    body = page(FRENCH).encode("cp1252")
    url = http_server.route("/fr", body, content_type="text/html; charset=ISO-8859-1")

    assert FRENCH in from_url(url).content


def test_undecodable_page_is_a_decode_error_naming_the_url(http_server):
    # Not UTF-8, no declared charset, and nothing charset detection can trust.
    body = b"<html><body><p>" + bytes(range(0x80, 0x100)) * 4 + b"</p></body></html>"
    url = http_server.route("/garbled", body, content_type="text/html")

    with pytest.raises(DecodeError, match="could not be recognised") as raised:
        from_url(url)
    assert url in str(raised.value)


def test_gzip_encoded_page_is_decompressed(http_server):
    url = http_server.route(
        "/gz", gzip.compress(STORY.encode()), headers={"Content-Encoding": "gzip"}
    )

    assert from_url(url).content == STORY


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
def test_deflate_encoded_page_is_decompressed(http_server, wbits):
    squeezer = zlib.compressobj(wbits=wbits)
    body = squeezer.compress(STORY.encode()) + squeezer.flush()
    url = http_server.route("/deflate", body, headers={"Content-Encoding": "deflate"})

    assert from_url(url).content == STORY


def test_chunked_response_is_read_whole(http_server):
    url = http_server.route("/chunked", STORY, transfer="chunked", chunk_size=7)

    assert from_url(url).content == STORY


def test_missing_content_type_is_sniffed(http_server):
    url = http_server.route("/bare", STORY, content_type=None)

    assert from_url(url).kind == "html"


# --- redirects ----------------------------------------------------------------------------


def test_redirect_reports_the_final_url(http_server):
    final = http_server.route("/2024/story.html", STORY)
    start = http_server.redirect("/s/abc", "/2024/story.html", status=301)

    document = from_url(start)

    assert document.url == final
    assert document.origin == start
    assert document.content == STORY


def test_redirect_chain_up_to_the_limit_is_followed(http_server):
    final = http_server.route("/end", STORY)
    for hop in range(3):
        http_server.redirect(f"/r{hop}", f"/r{hop + 1}" if hop < 2 else "/end")

    assert from_url(http_server.url("/r0"), limits=FetchLimits(max_redirects=3)).url == final


def test_too_many_redirects(http_server):
    http_server.route("/end", STORY)
    for hop in range(3):
        http_server.redirect(f"/r{hop}", f"/r{hop + 1}" if hop < 2 else "/end")
    start = http_server.url("/r0")

    with pytest.raises(FetchError, match=r"too many redirects .*\(more than 2\)") as raised:
        from_url(start, limits=FetchLimits(max_redirects=2))
    assert start in str(raised.value)


def test_redirect_loop(http_server):
    start = http_server.redirect("/a", "/b")
    http_server.redirect("/b", "/a")

    with pytest.raises(FetchError, match="redirect loop") as raised:
        from_url(start)
    assert start in str(raised.value)
    assert len(http_server.requests) == 2  # found on the second hop, not after max_redirects


def test_redirect_to_another_scheme_is_refused(http_server):
    start = http_server.redirect("/download", "ftp://files.example.org/story.txt")

    with pytest.raises(FetchError, match="only http:// and https://") as raised:
        from_url(start)
    assert start in str(raised.value)


def test_error_after_a_redirect_names_both_urls(http_server):
    start = http_server.redirect("/old", "/gone")

    with pytest.raises(FetchError) as raised:
        from_url(start)
    assert raised.value.status == 404
    assert str(raised.value) == (
        f"HTTP 404 Not Found from {http_server.url('/gone')} (redirected from {start})"
    )


# --- HTTP errors and network failures ------------------------------------------------------


def test_404_names_status_and_url(http_server):
    url = http_server.route("/missing", "<p>nope</p>", status=404)

    with pytest.raises(FetchError) as raised:
        from_url(url)
    assert str(raised.value) == f"HTTP 404 Not Found from {url}"
    assert raised.value.status == 404


def test_500_names_status_and_url(http_server):
    url = http_server.route("/broken", "<p>oops</p>", status=500)

    with pytest.raises(FetchError) as raised:
        from_url(url)
    assert str(raised.value) == f"HTTP 500 Internal Server Error from {url}"
    assert raised.value.status == 500


def test_slow_server_times_out(http_server):
    url = http_server.route("/slow", STORY, delay=3.0)
    started = time.monotonic()

    with pytest.raises(FetchError, match=r"no response .* within 0.3 s") as raised:
        from_url(url, limits=FetchLimits(read_timeout=0.3))
    assert url in str(raised.value)
    assert time.monotonic() - started < 2.0


def test_trickling_body_hits_the_total_deadline(http_server):
    # Each piece arrives well within the read timeout; only the overall deadline stops it.
    url = http_server.route("/drip", STORY * 20, chunk_size=64, chunk_delay=0.1)
    started = time.monotonic()

    with pytest.raises(FetchError, match=r"took longer than 0.5 s") as raised:
        from_url(url, limits=FetchLimits(read_timeout=1.0, total_timeout=0.5))
    assert url in str(raised.value)
    assert time.monotonic() - started < 1.5


def test_connection_refused(refused_url):
    with pytest.raises(FetchError, match=r"connection refused by 127\.0\.0\.1") as raised:
        from_url(refused_url)
    assert refused_url in str(raised.value)
    assert raised.value.status is None


def test_unresolvable_host(monkeypatch):
    asked = []

    def no_such_name(host, port):
        asked.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    # The resolver seam, so that no DNS query leaves the machine.
    monkeypatch.setattr(transport, "resolve", no_such_name)
    url = "http://no-such-host.example/story"

    with pytest.raises(FetchError, match=r"could not resolve host no-such-host\.example") as raised:
        from_url(url)
    assert url in str(raised.value)
    assert asked == ["no-such-host.example"]


def test_overlong_host_name_is_refused_without_a_lookup():
    # 304 characters: longer than any DNS name may be.
    url = "http://" + ".".join(["a" * 60] * 5) + "/story"

    with pytest.raises(FetchError, match=r"not a valid host name \(304 characters") as raised:
        from_url(url)
    assert str(raised.value).endswith(url)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("example.org/story", "not a full URL"),
        ("ftp://example.org/story.txt", "ftp: scheme"),
        ("file:///etc/passwd", "file: scheme"),
        ("http:///story", "names no host"),
    ],
)
def test_unfetchable_urls(url, reason):
    with pytest.raises(FetchError, match=reason) as raised:
        from_url(url)
    assert url in str(raised.value)


# --- what comes back is not a page ---------------------------------------------------------


def test_image_content_type_is_not_a_web_page(http_server):
    url = http_server.route("/photo.png", PNG, content_type="image/png")

    with pytest.raises(FetchError) as raised:
        from_url(url)
    assert str(raised.value) == f"not a web page (content type image/png): {url}"


def test_binary_body_labelled_html_is_not_a_web_page(http_server):
    url = http_server.route("/photo", PNG, content_type="text/html")

    with pytest.raises(FetchError, match=r"not a web page \(PNG image\)") as raised:
        from_url(url)
    assert url in str(raised.value)


def test_empty_page(http_server):
    url = http_server.route("/blank", "  \n ")

    with pytest.raises(FetchError, match="empty page") as raised:
        from_url(url)
    assert url in str(raised.value)


def test_unsupported_content_encoding(http_server):
    url = http_server.route("/br", b"\x1b\x00\x00", headers={"Content-Encoding": "br"})

    with pytest.raises(FetchError, match=r"unsupported content encoding \(br\)") as raised:
        from_url(url)
    assert url in str(raised.value)


def test_corrupt_gzip_body(http_server):
    url = http_server.route("/gz", b"this is not gzip", headers={"Content-Encoding": "gzip"})

    with pytest.raises(FetchError, match="corrupt gzip body") as raised:
        from_url(url)
    assert url in str(raised.value)


# --- size cap ------------------------------------------------------------------------------

CAP = FetchLimits(max_bytes=1000)


def test_body_at_the_cap_is_accepted(http_server):
    body = page("x" * (1000 - len(page(""))))
    assert len(body) == 1000
    url = http_server.route("/exact", body)

    assert from_url(url, limits=CAP).content == body


@pytest.mark.parametrize("transfer", ["length", "close", "chunked"])
def test_body_over_the_cap_is_refused(http_server, transfer):
    url = http_server.route("/big", page("x" * 5000), transfer=transfer, chunk_size=512)

    with pytest.raises(FetchError) as raised:
        from_url(url, limits=CAP)
    assert str(raised.value) == f"{url} is larger than the 1000 bytes limit"


def test_gzip_bomb_is_refused_by_its_decompressed_size(http_server):
    # 40 MB of markup squeezes into ~40 KB: small on the wire, huge once inflated.
    bomb = gzip.compress(page(" " * 40_000_000).encode(), compresslevel=9)
    limits = FetchLimits(max_bytes=1024 * 1024)
    assert len(bomb) < limits.max_bytes
    url = http_server.route("/bomb", bomb, headers={"Content-Encoding": "gzip"})

    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match=r"larger than the 1 MB limit") as raised:
            from_url(url, limits=limits)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert url in str(raised.value)
    # Inflating is bounded by the cap: memory stays near 1 MB, far from the bomb's 40 MB.
    assert peak < 8 * 1024 * 1024


# --- fetch_response: status, headers and raw bytes ------------------------------------------


def test_fetch_response_sends_headers_and_returns_the_answer(http_server):
    body = "Ü".encode()
    final = http_server.route(
        "/n",
        body,
        content_type="text/plain; charset=UTF-8",
        headers={"ETag": '"v2"', "Last-Modified": "Tue, 01 Oct 2024 10:00:00 GMT"},
    )
    start = http_server.redirect("/old", "/n", status=301)

    response = fetch_response(start, headers={"Accept": "text/plain", "If-None-Match": '"v1"'})

    assert (response.status, response.url, response.body) == (200, final, body)
    assert (response.content_type, response.charset) == ("text/plain", "utf-8")
    assert response.header("ETag") == '"v2"'
    assert response.header("last-modified") == "Tue, 01 Oct 2024 10:00:00 GMT"
    assert response.redirected_from == (start,)
    sent = http_server.requests[-1]
    assert (sent.header("accept"), sent.header("if-none-match")) == ("text/plain", '"v1"')
    assert sent.header("user-agent").startswith("inbrief/")  # the defaults stay


def test_304_is_an_answer_only_to_a_conditional_get(http_server):
    url = http_server.route("/feed", "", status=304, content_type=None, headers={"ETag": '"v1"'})

    response = fetch_response(url, headers={"If-None-Match": '"v1"'}, accept_not_modified=True)
    assert response.not_modified and response.body == b""
    assert response.header("etag") == '"v1"'

    with pytest.raises(FetchError, match=r"HTTP 304 Not Modified from") as raised:
        fetch_response(url)
    assert raised.value.status == 304


def test_fetch_response_keeps_the_checks_of_fetch(http_server):
    url = http_server.route("/photo.png", PNG, content_type="image/png")

    with pytest.raises(FetchError, match=r"not a web page \(content type image/png\)"):
        fetch_response(url)


# --- the address-guard seam ----------------------------------------------------------------


def test_every_connection_passes_check_destination(http_server, monkeypatch):
    seen = []
    monkeypatch.setattr(transport, "check_destination", lambda *args: seen.append(args[:2]))
    http_server.route("/story", STORY)
    start = http_server.redirect("/short", "/story")

    from_url(start)

    # The test server closes every connection, so each hop connects (and is checked) anew.
    assert seen == [("127.0.0.1", "127.0.0.1"), ("127.0.0.1", "127.0.0.1")]


def test_a_refused_destination_sends_no_request(http_server, monkeypatch):
    def refuse(host, address, port, limits=None):
        raise FetchError(f"refusing to fetch from {address}")

    monkeypatch.setattr(transport, "check_destination", refuse)
    url = http_server.route("/story", STORY)

    with pytest.raises(FetchError, match=r"refusing to fetch from 127\.0\.0\.1"):
        from_url(url)
    assert http_server.requests == []


@pytest.mark.parametrize(
    ("nonsense", "field"),
    [
        ({"max_bytes": 0}, "max_bytes"),
        ({"ports": frozenset({0})}, "ports"),
        ({"allow_private": ("not a network",)}, "allow_private"),
    ],
)
def test_limits_reject_nonsense(nonsense, field):
    with pytest.raises(ValueError, match=field):
        FetchLimits(**nonsense)


def test_slow_first_byte_is_cut_off_by_the_total_deadline(http_server):
    url = http_server.route("/slow", STORY, delay=3.0)

    with pytest.raises(FetchError, match=r"took longer than 0.4 s") as raised:
        from_url(url, limits=FetchLimits(read_timeout=10.0, total_timeout=0.4))
    assert url in str(raised.value)


def test_gzip_body_of_several_members(http_server):
    half = len(STORY) // 2
    body = gzip.compress(STORY[:half].encode()) + gzip.compress(STORY[half:].encode())
    url = http_server.route("/gz", body, headers={"Content-Encoding": "gzip"})

    assert from_url(url).content == STORY


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
def test_inflater_copes_with_one_byte_at_a_time(wbits):
    # The network may split a body anywhere, even inside the two bytes that tell zlib from raw.
    squeezer = zlib.compressobj(wbits=wbits)
    body = squeezer.compress(STORY.encode()) + squeezer.flush()
    inflater = Inflater("deflate", "test")

    inflated = b"".join(inflater.feed(body[i : i + 1], 10_000) for i in range(len(body)))

    assert inflated.decode() == STORY
