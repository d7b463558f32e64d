"""Who may read and change the reader, and how often a client may summarize.

Real servers on 127.0.0.1 over real SQLite stores: one with API keys, one with private reading,
one with no key at all (the default), and one whose rate limiter runs on a clock the test
moves. A client elsewhere on the network is a request relayed by a proxy on this machine
(``X-Forwarded-For``, which uvicorn trusts from 127.0.0.1), exactly how a remote reader's
request arrives behind a reverse proxy.
"""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

import lxml.html
import pytest
from conftest import LocalServer
from test_api import Reader, assert_problem
from test_browser import browser  # noqa: F401  (shared fixture)

from inbrief.errors import SettingsError
from inbrief.ingest import add_article, demo_articles
from inbrief.service import Settings, create_app
from inbrief.service import access as access_module
from inbrief.service.access import KeyRing, basic_password, is_loopback_host
from inbrief.service.limits import RateLimiter, client_key
from inbrief.service.server import running
from inbrief.service.settings import Rate
from inbrief.store import Store

if TYPE_CHECKING:
    from playwright.sync_api import Browser

KEY = "reader-key-7f3a9c2e41b84d06a5e1"
OTHER_KEY = "second-key-0b6d2f8e93c14a7752aa"
WRONG_KEY = "reader-key-7f3a9c2e41b84d06a5e2"  # one character off
REMOTE = {"X-Forwarded-For": "203.0.113.9"}
STORY = (
    "The harbour authority approved a new ferry timetable on Friday. "
    "Crossings will run every twenty minutes at peak hours. "
    "The change follows complaints about crowded morning boats. "
    "Fares stay the same until the end of the year."
)


@pytest.fixture
def records(keyed: Reader) -> Iterator[list[logging.LogRecord]]:
    """Every log record of the keyed server: the app's loggers and uvicorn's access log.

    Listening starts once the server runs: uvicorn (re)configures its loggers when it starts.
    """
    captured: list[logging.LogRecord] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = captured.append  # type: ignore[method-assign]
    # uvicorn's loggers do not propagate to the root logger: listen to each, at the levels
    # that show everything (the servers of this process share these loggers' settings).
    loggers = [logging.getLogger(name) for name in ("", "uvicorn", "uvicorn.access")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield captured
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def _reader(
    tmp_path_factory: pytest.TempPathFactory,
    settings: Settings,
    *,
    clock: Callable[[], float] = time.monotonic,
    access_log: bool = False,
) -> Iterator[Reader]:
    database = tmp_path_factory.mktemp("auth") / "inbrief.db"
    with Store.open(str(database)) as store:
        stored = tuple(add_article(store, a).article for a in islice(demo_articles(), 3))
        app = create_app(store, settings, clock=clock)
        with running(app, access_log=access_log) as url:
            yield Reader(url, store, stored)


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reader]:
    settings = Settings(api_keys=(OTHER_KEY, KEY))
    yield from _reader(tmp_path_factory, settings, access_log=True)


@pytest.fixture(scope="module")
def private(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reader]:
    yield from _reader(tmp_path_factory, Settings(api_keys=(KEY,), public_read=False))


@pytest.fixture(scope="module")
def keyless(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reader]:
    yield from _reader(tmp_path_factory, Settings())


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


# The API's changes: method, path (``{article}``/``{feed}`` filled in) and JSON body.
CHANGES = [
    ("POST", "/api/articles", {"text": STORY}),
    ("DELETE", "/api/articles/{article}", None),
    ("POST", "/api/feeds", {"url": "http://feeds.example/news.rss"}),
    ("DELETE", "/api/feeds/{feed}", None),
    ("POST", "/api/feeds/poll", None),
    ("POST", "/api/feeds/{feed}/poll", None),
    ("POST", "/api/summarize", {"text": STORY, "store": True}),
]


# --- with API keys ----------------------------------------------------------------------------


def test_reading_and_summarizing_stay_public(keyed: Reader) -> None:
    article = keyed.articles[0].id
    with keyed.client() as web:
        for path in ("/", f"/articles/{article}", "/search?q=the", "/feeds", "/api/articles"):
            assert web.get(path).status_code == 200, path
        assert web.get(f"/api/articles/{article}/summary").status_code == 200
        assert web.post("/api/summarize", json={"text": STORY}).status_code == 200


@pytest.mark.parametrize(("method", "path", "body"), CHANGES)
def test_every_change_needs_a_key(
    keyed: Reader, method: str, path: str, body: dict[str, object] | None
) -> None:
    feed, _ = keyed.store.add_feed("http://feeds.example/kept.rss")
    article = keyed.articles[1].id
    before = (keyed.store.list_articles(0, 1).total, len(keyed.store.list_feeds()))
    with keyed.client() as web:
        target = path.format(article=article, feed=feed.id)
        for headers in ({}, REMOTE):
            response = web.request(method, target, json=body, headers=headers)
            assert_problem(response, 401, "API key", "Authorization: Bearer")
            assert response.headers["www-authenticate"] == 'Bearer realm="inbrief"'
    assert (keyed.store.list_articles(0, 1).total, len(keyed.store.list_feeds())) == before
    assert keyed.store.get_article(article) is not None


def test_a_wrong_key_is_refused_in_every_form(keyed: Reader) -> None:
    forms = [
        bearer(WRONG_KEY),
        {"X-API-Key": WRONG_KEY},
        {"Authorization": "Bearer"},
        {"Authorization": f"Token {KEY}"},  # an unknown scheme counts as no key
    ]
    with keyed.client() as web:
        for headers in forms:
            response = web.post("/api/feeds", json={"url": "http://x.example/f"}, headers=headers)
            assert response.status_code == 401, headers
        wrong_basic = web.post("/api/feeds", json={"url": "http://x.example/f"}, auth=("u", "no"))
        assert_problem(wrong_basic, 401, "not valid")
    assert all(f.url != "http://x.example/f" for f in keyed.store.list_feeds())


def test_either_key_works_in_either_header_from_anywhere(keyed: Reader) -> None:
    with keyed.client() as web:
        created = web.post("/api/articles", json={"text": STORY}, headers={**bearer(KEY), **REMOTE})
        assert created.status_code == 201, created.text
        location = created.headers["location"]
        assert web.delete(location, headers={"X-API-Key": OTHER_KEY}).status_code == 204
        assert web.get(location).status_code == 404


def test_summarize_stores_only_with_a_key(keyed: Reader) -> None:
    text = STORY.replace("Friday", "Monday")
    before = keyed.store.list_articles(0, 1).total
    with keyed.client() as web:
        refused = web.post("/api/summarize", json={"text": text, "store": True})
        assert_problem(refused, 401)
        assert keyed.store.list_articles(0, 1).total == before
        stored = web.post("/api/summarize", json={"text": text, "store": True}, headers=bearer(KEY))
        assert stored.status_code == 201
        assert web.delete(stored.headers["location"], headers=bearer(KEY)).status_code == 204


def test_the_feed_forms_ask_a_browser_for_the_key(keyed: Reader) -> None:
    url = "http://feeds.example/form.rss"
    with keyed.client() as web:
        asked = web.post("/feeds", data={"url": url})
        assert asked.status_code == 401
        assert asked.headers["content-type"].startswith("text/html")
        # Basic: the browser asks the person for the key once (any user name) and remembers it.
        assert asked.headers["www-authenticate"] == 'Basic realm="inbrief"'
        added = web.post("/feeds", data={"url": url}, auth=("me", KEY))
        assert added.status_code == 200
        assert f"Added {url}." in lxml.html.fromstring(added.text).text_content()
        feed = next(f for f in keyed.store.list_feeds() if f.url == url)
        # A remembered password is sent by the browser on its own: not for another site.
        forged = web.post(
            f"/feeds/{feed.id}/delete", auth=("me", KEY), headers={"Sec-Fetch-Site": "cross-site"}
        )
        assert forged.status_code == 403
        assert keyed.store.get_feed(feed.id) is not None
        removed = web.post(
            f"/feeds/{feed.id}/delete", auth=("me", KEY), headers={"Sec-Fetch-Site": "same-origin"}
        )
        assert removed.status_code == 200
    assert keyed.store.get_feed(feed.id) is None


# --- private reading --------------------------------------------------------------------------


def test_a_private_reader_needs_a_key_to_read(private: Reader) -> None:
    article = private.articles[0].id
    with private.client() as web:
        page = web.get(f"/articles/{article}")
        assert page.status_code == 401
        assert page.headers["www-authenticate"] == 'Basic realm="inbrief"'
        assert_problem(web.get("/api/articles"), 401, "API key")
        assert_problem(web.post("/api/summarize", json={"text": STORY}), 401)
        assert web.get(f"/articles/{article}", auth=("reader", KEY)).status_code == 200
        assert web.get("/api/articles", headers={"X-API-Key": KEY}).status_code == 200
        # What every visitor needs to load the pages and the widget stays public.
        for path in (
            "/static/reader.css",
            "/static/reader.js",
            "/widget.js",
            "/docs",
            "/openapi.json",
        ):
            assert web.get(path).status_code == 200, path


def test_a_private_summary_is_never_served_from_memory_without_a_key(private: Reader) -> None:
    path = f"/api/articles/{private.articles[1].id}/summary"
    with private.client() as web:
        for _ in range(3):  # a public reader would answer the repeats from memory
            assert web.get(path, headers=bearer(KEY)).status_code == 200
        assert_problem(web.get(path), 401)


# --- without any key: this machine only ---------------------------------------------------------


def test_without_keys_this_machine_may_change_the_reader(keyless: Reader) -> None:
    with keyless.client() as web:
        created = web.post("/api/feeds", json={"url": "http://feeds.example/local.rss"})
        assert created.status_code == 201
        host = f"localhost:{keyless.url.rsplit(':', 1)[1]}"
        assert web.delete(created.headers["location"], headers={"Host": host}).status_code == 204


@pytest.mark.parametrize("method,path,body", CHANGES)
def test_without_keys_a_client_elsewhere_may_not(
    keyless: Reader, method: str, path: str, body: dict[str, object] | None
) -> None:
    feed, _ = keyless.store.add_feed("http://feeds.example/kept.rss")
    target = path.format(article=keyless.articles[0].id, feed=feed.id)
    with keyless.client() as web:
        response = web.request(method, target, json=body, headers=REMOTE)
        assert_problem(response, 403, "only from this machine", "INBRIEF_API_KEY")
    assert keyless.store.get_article(keyless.articles[0].id) is not None


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Real-IP": "203.0.113.9"},  # a proxy that does not send X-Forwarded-For
        {"Forwarded": "for=203.0.113.9"},
        {"Via": "1.1 proxy.example"},
        {"Host": "rebound.example"},  # DNS rebinding: another site's name pointing here
        {"Host": "127.0.0.1.nip.io"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # another port of this host is another origin
        {"Origin": "http://attacker.example"},
        {"Origin": "null"},
    ],
)
def test_without_keys_relayed_rebound_and_cross_site_changes_are_refused(
    keyless: Reader, headers: dict[str, str]
) -> None:
    feed, _ = keyless.store.add_feed("http://feeds.example/target.rss")
    with keyless.client() as web:
        assert_problem(web.delete(f"/api/feeds/{feed.id}", headers=headers), 403)
        page = web.post(f"/feeds/{feed.id}/delete", headers=headers)
        assert page.status_code == 403
        assert page.headers["content-type"].startswith("text/html")
    assert keyless.store.get_feed(feed.id) is not None


def test_a_same_origin_browser_request_is_a_local_change(keyless: Reader) -> None:
    feed, _ = keyless.store.add_feed("http://feeds.example/same-origin.rss")
    host = keyless.url.split("//", 1)[1]
    with keyless.client() as web:
        headers = {"Origin": keyless.url, "Sec-Fetch-Site": "same-origin", "Host": host}
        assert web.post(f"/feeds/{feed.id}/delete", headers=headers).status_code == 200


def test_a_page_on_another_site_cannot_make_the_browser_change_the_reader(
    browser: Browser,  # noqa: F811
    keyless: Reader,
    http_server: LocalServer,
) -> None:
    """CSRF in a real browser: a page on another origin posts the reader's own feed form."""
    feed, _ = keyless.store.add_feed("http://feeds.example/csrf.rss")
    attack = http_server.route(
        "/win-a-prize.html",
        f"""<!doctype html><title>Prize</title>
        <form method="post" action="{keyless.url}/feeds/{feed.id}/delete">
        <button>Claim</button></form>""",
    )
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(attack)
        with page.expect_response(f"{keyless.url}/feeds/{feed.id}/delete") as answer:
            page.get_by_role("button", name="Claim").click()
        assert answer.value.status == 403
        assert keyless.store.get_feed(feed.id) is not None
        # The reader's own form, in the same browser, works.
        page.goto(f"{keyless.url}/feeds")
        row = page.locator("tr", has_text="csrf.rss")
        row.get_by_role("button", name="Remove").click()
        page.wait_for_url(f"{keyless.url}/feeds/{feed.id}/delete")
        assert "Removed" in page.locator(".notice").inner_text()
        assert keyless.store.get_feed(feed.id) is None
    finally:
        context.close()


# --- keys never leak ----------------------------------------------------------------------------


def test_keys_are_never_logged(keyed: Reader, records: list[logging.LogRecord]) -> None:
    basic = base64.b64encode(f"me:{KEY}".encode()).decode()
    records.clear()
    with keyed.client() as web:
        refused = web.post(
            "/api/feeds", json={"url": "http://l.example/f"}, headers=bearer(WRONG_KEY)
        )
        accepted = web.post("/api/feeds", json={"url": "http://l.example/f"}, headers=bearer(KEY))
        web.post(
            "/feeds",
            data={"url": "http://l.example/g"},
            headers={"Authorization": f"Basic {basic}"},
        )
        web.post("/feeds/poll", headers={"X-API-Key": WRONG_KEY})
    assert (refused.status_code, accepted.status_code) == (401, 201)
    lines = [r.getMessage() + (r.exc_text or "") for r in records]
    # The log does say what happened, naming the key by its position only.
    assert any("refused" in line and "not valid" in line for line in lines), lines
    assert any("change by API key 2 from 127.0.0.1" in line for line in lines), lines
    assert any("POST /api/feeds" in line for line in lines), lines  # the access log ran
    for secret in (KEY, WRONG_KEY, basic, KEY[:12], WRONG_KEY[-12:]):
        assert not [line for line in lines if secret in line], secret
    for response in (refused, accepted):
        assert KEY not in response.text and WRONG_KEY not in response.text


def test_every_key_is_compared_every_time(monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[tuple[int, int]] = []
    real = access_module.hmac.compare_digest

    def counting(a: bytes, b: bytes) -> bool:
        compared.append((len(a), len(b)))
        return real(a, b)

    monkeypatch.setattr(access_module.hmac, "compare_digest", counting)
    ring = KeyRing([KEY, OTHER_KEY, "third-key-5c2e0d7a91f64b3b88"])
    for given, expected in ((KEY, 1), (OTHER_KEY, 2), (WRONG_KEY, None), ("x", None)):
        compared.clear()
        assert ring.match(given) == expected
        # All three keys, as digests of one length whatever was sent.
        assert compared == [(32, 32)] * 3


def test_the_settings_never_show_a_key(tmp_path: Path) -> None:
    keys_file = tmp_path / "keys"
    keys_file.write_text(f"# reader keys\n{OTHER_KEY}  # laptop\n\n{KEY}\n", encoding="utf-8")
    env = {"INBRIEF_API_KEY": f"{KEY}, {KEY}", "INBRIEF_API_KEYS_FILE": str(keys_file)}
    settings = Settings.from_env(env)
    assert settings.api_keys == (KEY, OTHER_KEY)
    assert KEY not in repr(settings) and OTHER_KEY not in repr(settings)
    with pytest.raises(SettingsError) as short:
        Settings.from_env({"INBRIEF_API_KEY": "hunter2"})
    assert "hunter2" not in str(short.value) and "at least 16" in str(short.value)
    with pytest.raises(SettingsError, match="cannot read INBRIEF_API_KEYS_FILE"):
        Settings.from_env({"INBRIEF_API_KEYS_FILE": str(tmp_path / "missing")})


def test_private_reading_needs_a_key_configured() -> None:
    with pytest.raises(SettingsError, match="INBRIEF_API_KEY"):
        Settings.from_env({"INBRIEF_PUBLIC_READ": "false"})
    private = Settings.from_env({"INBRIEF_PUBLIC_READ": "no", "INBRIEF_API_KEY": KEY})
    assert private.public_read is False
    with pytest.raises(SettingsError, match="true or false"):
        Settings.from_env({"INBRIEF_PUBLIC_READ": "maybe"})


def test_credentials_helpers() -> None:
    assert basic_password("Basic " + base64.b64encode(b"me:secret").decode()) == "secret"
    assert basic_password("Basic " + base64.b64encode(b"secret:").decode()) == "secret"
    assert basic_password("Basic !!notbase64") is None
    assert basic_password("Bearer abc") is None
    assert is_loopback_host("127.0.0.1:8000") and is_loopback_host("[::1]:8000")
    assert is_loopback_host("localhost") and not is_loopback_host("localhost.evil.example")


# --- rate limits --------------------------------------------------------------------------------


@dataclass
class Clock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory, clock: Clock) -> Iterator[Reader]:
    settings = Settings(summarize_rate=Rate(3, 60))
    yield from _reader(tmp_path_factory, settings, clock=clock)


def test_summaries_past_the_rate_are_429_with_retry_after(limited: Reader, clock: Clock) -> None:
    with limited.client() as web:
        for _ in range(3):  # the whole burst at once
            assert web.post("/api/summarize", json={"text": STORY}).status_code == 200
        refused = web.post("/api/summarize", json={"text": STORY})
        detail = str(assert_problem(refused, 429, "3/minute")["detail"])
        assert refused.json()["type"] == "urn:inbrief:problem:too-many-requests"
        assert refused.headers["retry-after"] == "20"  # one request every 60/3 seconds
        assert "20 s" in detail
        clock.now += 19.5
        assert web.post("/api/summarize", json={"text": STORY}).headers["retry-after"] == "1"
        # Someone else is not held back by this client.
        other = web.post("/api/summarize", json={"text": STORY}, headers=REMOTE)
        assert other.status_code == 200
        # Stored summaries are reads: never limited.
        summary = f"/api/articles/{limited.articles[0].id}/summary"
        assert all(web.get(summary).status_code == 200 for _ in range(10))
        clock.now += 0.5
        assert web.post("/api/summarize", json={"text": STORY}).status_code == 200
        assert web.post("/api/summarize", json={"text": STORY}).status_code == 429


def test_the_bucket_refills_at_the_rate_up_to_the_burst() -> None:
    clock = Clock(0.0)
    limiter = RateLimiter(Rate(2, 10), clock=clock)
    assert [limiter.take("a") for _ in range(3)] == [0.0, 0.0, 5.0]
    clock.now = 2.5
    assert limiter.take("a") == 2.5
    clock.now = 1000.0  # a long pause refills to the burst, not beyond
    assert [limiter.take("a") for _ in range(3)] == [0.0, 0.0, 5.0]


def test_the_limiter_forgets_the_oldest_client_past_its_size() -> None:
    limiter = RateLimiter(Rate(1, 60), clock=Clock(), max_clients=2)
    for client in ("a", "b", "c"):
        limiter.take(client)
    assert len(limiter) == 2
    assert limiter.take("c") > 0 and limiter.take("a") == 0.0


def test_an_ipv6_client_is_its_64_network() -> None:
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:bbbb::2")
    assert client_key("2001:db8:1:2::1") != client_key("2001:db8:1:3::1")
    assert client_key("::ffff:192.0.2.7") == "192.0.2.7"
    assert client_key("192.0.2.7") == "192.0.2.7"


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("30/minute", Rate(30, 60)),
        ("5 / second", Rate(5, 1)),
        ("1000/hours", Rate(1000, 3600)),
        ("off", None),
    ],
)
def test_rates_are_read_from_the_environment(text: str, rate: Rate | None) -> None:
    assert Settings.from_env({"INBRIEF_SUMMARIZE_RATE": text}).summarize_rate == rate


def test_a_rate_that_cannot_be_read_is_refused() -> None:
    for text in ("30", "thirty/minute", "0/minute", "30/fortnight"):
        with pytest.raises(SettingsError):
            Settings.from_env({"INBRIEF_SUMMARIZE_RATE": text})
