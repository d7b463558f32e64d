"""Feeds that update themselves: the schedule, the lease, and the reader's background poller
against feeds served by a real HTTP server on 127.0.0.1 and real databases.

Intervals here are a fraction of a second (``Settings(poll_interval=0.2)``), so a test watches
several polls in a second or two; ``eventually`` waits for what the poller does in its threads.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import LocalServer
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from inbrief.feeds import poll_feed
from inbrief.feeds.schedule import (
    MAX_SERVER_WAIT,
    Schedule,
    format_duration,
    jitter_fraction,
    parse_duration,
    parse_max_age,
    parse_retry_after,
)
from inbrief.models import Article
from inbrief.service import create_app
from inbrief.service.poller import LEASE, Poller
from inbrief.service.server import running
from inbrief.service.settings import Settings
from inbrief.store import Store, StoredFeed

RSS_TYPE = "application/rss+xml"
FAST = Settings(poll_interval=0.2, poll_lease_seconds=1.0, access_log=False)
"""A reader that polls every 0.2 s and hands polling over within a second of dying."""
SRC = Path(__file__).resolve().parents[1] / "src"
SERVE = (sys.executable, "-m", "inbrief", "serve")

# --- feeds the local server serves ------------------------------------------------------------

TOWNS = ("Arlen", "Brisk", "Calder", "Dunmore", "Elsby", "Fenwick", "Garth", "Hollin")


def story(n: int, town: str = "Arlen") -> tuple[str, str]:
    """A look-alike local news story, different words for every ``n``: title and HTML body."""
    title = f"{town} council approves ferry plan number {n}"
    sentences = [
        f"The {town} town council voted on Tuesday to approve ferry plan number {n}.",
        f"Councillors said the plan would add {n + 2} crossings a day to the harbour timetable.",
        f"Residents of the north shore had asked for plan {n} for more than {n + 3} years.",
        f"The harbour master told the meeting that work on the {town} pier starts in spring.",
        f"Opponents argued that the cost of plan {n} would fall on small businesses.",
        f"The vote passed by {n + 5} votes to {n % 4}, after a debate of two hours.",
    ]
    return title, "".join(f"<p>{sentence}</p>" for sentence in sentences)


def rss(name: str, numbers: range | list[int], town: str = "Arlen") -> str:
    """An RSS 2.0 feed holding stories ``numbers`` (newest first), the text in the feed itself."""
    items = []
    for n in reversed(list(numbers)):
        title, body = story(n, town)
        items.append(
            f"<item><title>{title}</title><guid isPermaLink='false'>{town}-{n}</guid>"
            f"<pubDate>Tue, 02 Jun 2009 10:{n % 60:02d}:00 +0000</pubDate>"
            f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{name}</title><link>http://127.0.0.1/</link>"
        f"<description>Local news</description>{''.join(items)}</channel></rss>"
    )


def serve_feed(
    server: LocalServer,
    path: str,
    numbers: range | list[int],
    *,
    town: str = "Arlen",
    headers: dict[str, str] | None = None,
    delay: float = 0.0,
) -> str:
    document = rss(f"{town} News", numbers, town)
    return server.route(path, document, content_type=RSS_TYPE, headers=headers, delay=delay)


def requests_for(server: LocalServer, path: str) -> int:
    with server.lock:
        return sum(1 for request in server.requests if request.path == path)


def eventually(check: Callable[[], Any], timeout: float = 15.0, what: str = "") -> Any:
    """Wait until ``check()`` is true; its value, or a failure naming ``what``."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting {timeout:g} s for {what or check}")
        time.sleep(0.05)


def titles(store: Store, feed: StoredFeed) -> set[str]:
    page = store.list_articles(0, 100, feed_id=feed.id)
    return {item.article.title or "" for item in page.items}


def feed_row(store: Store, feed: StoredFeed) -> StoredFeed:
    found = store.get_feed(feed.id)
    assert found is not None
    return found


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(str(tmp_path / "inbrief.db")) as opened:
        yield opened


# --- the schedule -----------------------------------------------------------------------------

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30s", 30), ("15m", 900), ("2h", 7200), ("0.2s", 0.2), ("5", 300), (" 1H ", 3600)],
)
def test_a_duration_reads_as_every_takes_it(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "soon", "0s", "-5m", "nans", "infm", "1d"])
def test_a_duration_that_is_none_is_refused_in_words(text: str) -> None:
    with pytest.raises(ValueError, match="30s, 15m or 2h"):
        parse_duration(text)


def test_a_duration_is_shown_as_it_is_typed() -> None:
    assert [format_duration(s) for s in (900, 7200, 0.2, 90)] == ["15m", "2h", "0.2s", "90s"]


def test_jitter_is_fixed_by_its_inputs_and_spreads_feeds_apart() -> None:
    first = jitter_fraction("https://a.example/feed", NOON)
    assert first == jitter_fraction("https://a.example/feed", NOON)
    spread = {jitter_fraction(f"https://{n}.example/feed", NOON) for n in range(50)}
    assert all(0 <= value < 1 for value in spread)
    assert max(spread) - min(spread) > 0.5  # fifty feeds added together do not stay together


def test_a_feed_waits_its_interval_stretched_by_at_most_the_jitter() -> None:
    schedule = Schedule(interval=600)
    waits = [schedule.wait(f"https://{n}.example/", NOON) for n in range(30)]
    assert all(600 <= wait < 660 for wait in waits)
    assert schedule.wait("https://x.example/", NOON, interval=60) < 66  # a feed's own interval


def test_each_failure_doubles_the_wait_up_to_a_day() -> None:
    schedule = Schedule(interval=600, jitter=0)
    waits = [schedule.wait("https://x.example/", NOON, failures=n) for n in range(10)]
    assert waits[:4] == [600, 1200, 2400, 4800]
    assert waits[-1] == 24 * 3600
    assert schedule.wait("https://x.example/", NOON, failures=10_000) == 24 * 3600


def test_the_servers_wait_is_a_floor_and_a_week_at_most() -> None:
    schedule = Schedule(interval=60, jitter=0)
    url = "https://x.example/"
    assert schedule.wait(url, NOON, retry_after=3600) == 3600
    assert schedule.wait(url, NOON, max_age=30) == 60  # sooner than the interval: no effect
    assert schedule.wait(url, NOON, max_age=10**9) == MAX_SERVER_WAIT
    assert schedule.next_poll(url, NOON, max_age=600) == NOON + timedelta(seconds=600)


def test_retry_after_is_seconds_or_an_http_date() -> None:
    assert parse_retry_after("120", NOON) == 120
    assert parse_retry_after("Mon, 02 Mar 2026 12:05:00 GMT", NOON) == 300
    assert parse_retry_after("Mon, 02 Mar 2026 11:00:00 GMT", NOON) == 0  # already past
    assert parse_retry_after("whenever", NOON) is None
    assert parse_retry_after(None, NOON) is None


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("max-age=300", 300),
        ("public, max-age=3600, must-revalidate", 3600),
        ('max-age="60"', 60),
        ("s-maxage=100", None),
        ("no-cache", None),
        (None, None),
    ],
)
def test_max_age_is_read_from_cache_control(header: str | None, seconds: float | None) -> None:
    assert parse_max_age(header) == seconds


# --- polls record their schedule --------------------------------------------------------------


def test_a_poll_records_when_the_feed_is_next_due(store: Store, http_server: LocalServer) -> None:
    feed, _ = store.add_feed(serve_feed(http_server, "/feed.xml", range(1, 3)))
    schedule = Schedule(interval=600)
    result = poll_feed(store, feed, schedule=schedule)
    assert len(result.added) == 2 and result.feed.failures == 0
    polled, due = result.feed.last_polled_at, result.feed.next_poll_at
    assert polled is not None and due is not None
    assert 600 <= (due - polled).total_seconds() < 660


def test_a_feed_of_its_own_interval_keeps_it(store: Store, http_server: LocalServer) -> None:
    feed, _ = store.add_feed(serve_feed(http_server, "/feed.xml", range(1, 2)))
    feed = store.update_feed(feed.id, poll_interval=30.0) or feed
    result = poll_feed(store, feed, schedule=Schedule(interval=600))
    assert result.feed.poll_interval == 30.0
    assert result.feed.next_poll_at is not None and result.feed.last_polled_at is not None
    assert (result.feed.next_poll_at - result.feed.last_polled_at).total_seconds() < 33


def test_a_failing_feed_backs_off_and_a_good_poll_resets_it(
    store: Store, http_server: LocalServer
) -> None:
    url = http_server.route("/feed.xml", "down for repairs", status=500)
    feed, _ = store.add_feed(url)
    schedule = Schedule(interval=60, jitter=0)
    waits = []
    for _ in range(3):
        feed = poll_feed(store, feed, schedule=schedule).feed
        assert feed.next_poll_at is not None and feed.last_polled_at is not None
        waits.append((feed.next_poll_at - feed.last_polled_at).total_seconds())
    assert feed.failures == 3 and waits == [120, 240, 480]
    assert feed.last_error is not None and "HTTP 500" in feed.last_error
    serve_feed(http_server, "/feed.xml", range(1, 2))
    feed = poll_feed(store, feed, schedule=schedule).feed
    assert feed.failures == 0 and feed.last_error is None


# --- the lease --------------------------------------------------------------------------------


def _postgres_url() -> str:
    url = os.environ.get("INBRIEF_TEST_POSTGRES_URL")
    if url:
        return url
    if os.environ.get("CI") == "true":
        pytest.fail("INBRIEF_TEST_POSTGRES_URL is not set under CI; run .ci/postgres.sh first")
    pytest.skip("INBRIEF_TEST_POSTGRES_URL is not set (run .ci/postgres.sh to test PostgreSQL)")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty database of each backend (PostgreSQL: a schema of its own, dropped after)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'shared.db'}"
        return
    base = make_url(_postgres_url()).set(drivername="postgresql+psycopg")
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base, poolclass=NullPool)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        url = base.update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def test_a_lease_is_held_by_one_until_it_expires(database_url: str) -> None:
    with Store.open(database_url) as store:
        taken = store.take_lease("job", "first", 10, now=NOON)
        assert taken is not None and taken.holder == "first"
        assert store.take_lease("job", "second", 10, now=NOON + timedelta(seconds=9)) is None
        renewed = store.take_lease("job", "first", 10, now=NOON + timedelta(seconds=9))
        assert renewed is not None and renewed.expires_at == NOON + timedelta(seconds=19)
        assert store.take_lease("job", "second", 10, now=NOON + timedelta(seconds=18)) is None
        later = store.take_lease("job", "second", 10, now=NOON + timedelta(seconds=19))
        assert later is not None and later.holder == "second"  # the first stopped renewing
        assert not store.release_lease("job", "first")
        assert store.release_lease("job", "second")
        assert store.get_lease("job") is None


def test_of_many_taking_a_lease_at_once_exactly_one_gets_it(database_url: str) -> None:
    stores = [Store.open(database_url) for _ in range(6)]
    start = threading.Barrier(len(stores))
    won: list[str] = []

    def take(index: int) -> None:
        start.wait()
        if stores[index].take_lease("job", f"holder-{index}", 30) is not None:
            won.append(f"holder-{index}")

    threads = [threading.Thread(target=take, args=(i,)) for i in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lease = stores[0].get_lease("job")
    for opened in stores:
        opened.close()
    assert len(won) == 1 and lease is not None and lease.holder == won[0]


def test_claiming_a_due_feed_succeeds_once(store: Store) -> None:
    feed, _ = store.add_feed("https://news.example/feed.xml")
    until = NOON + timedelta(minutes=1)
    assert store.due_feeds(NOON) == (feed,)
    assert store.claim_feed(feed.id, NOON, until) is not None
    assert store.claim_feed(feed.id, NOON, until) is None  # the other poller lost the race
    assert store.due_feeds(NOON) == ()
    assert store.next_poll_due() == until


# --- the reader polls by itself ---------------------------------------------------------------


def test_a_running_reader_brings_in_new_entries_by_itself(
    store: Store, http_server: LocalServer
) -> None:
    feed, _ = store.add_feed(serve_feed(http_server, "/feed.xml", range(1, 3)))
    with running(create_app(store, FAST), lifespan=True) as url:
        eventually(lambda: len(titles(store, feed)) == 2, what="the first two entries")
        serve_feed(http_server, "/feed.xml", range(1, 4))  # the feed gains an entry
        eventually(lambda: len(titles(store, feed)) == 3, what="the new entry")
        listing = httpx.get(f"{url}/", timeout=10).text
    assert "Arlen council approves ferry plan number 3" in listing


def test_an_unchanged_feed_is_asked_with_its_etag_and_its_304_kept(
    store: Store, http_server: LocalServer
) -> None:
    url = serve_feed(http_server, "/feed.xml", range(1, 2), headers={"ETag": '"v1"'})
    feed, _ = store.add_feed(url)
    with running(create_app(store, FAST), lifespan=True):
        eventually(lambda: feed_row(store, feed).etag == '"v1"', what="the first poll")
        http_server.route("/feed.xml", b"", status=304, content_type=None, headers={"ETag": '"v1"'})
        before = requests_for(http_server, "/feed.xml")
        eventually(lambda: requests_for(http_server, "/feed.xml") >= before + 2, what="304s")
    with http_server.lock:
        conditional = http_server.requests[-1].header("if-none-match")
    recorded = feed_row(store, feed)
    assert conditional == '"v1"'
    assert recorded.last_error is None and recorded.failures == 0
    assert len(titles(store, feed)) == 1


def test_a_failing_feed_is_polled_less_and_less_often(
    store: Store, http_server: LocalServer
) -> None:
    feed, _ = store.add_feed(http_server.route("/feed.xml", "overloaded", status=503))
    waits: dict[int, float] = {}

    def three_failures() -> bool:
        row = feed_row(store, feed)
        if row.failures and row.next_poll_at and row.last_polled_at:
            waits[row.failures] = (row.next_poll_at - row.last_polled_at).total_seconds()
        return row.failures >= 3

    with running(create_app(store, FAST), lifespan=True) as url:
        eventually(three_failures, what="three failed polls")
        page = httpx.get(f"{url}/feeds", timeout=10).text
    assert waits[1] == pytest.approx(0.4, rel=0.11) and waits[3] == pytest.approx(1.6, rel=0.11)
    assert requests_for(http_server, "/feed.xml") in (3, 4)  # not one every 0.2 s
    assert "The site has trouble on its side (3 polls in a row failed" in page
    assert "HTTP 503 Service Unavailable" in page


def test_a_slow_feed_does_not_slow_the_pages(store: Store, http_server: LocalServer) -> None:
    for n in range(1, 4):  # the list has something to show
        title, body = story(n, "Brisk")
        store.add_article(Article(text=body.replace("</p><p>", " ").strip("<p/>"), title=title))
    store.add_feed(serve_feed(http_server, "/slow.xml", range(1, 2), delay=3.0))
    with running(create_app(store, FAST), lifespan=True) as url, httpx.Client() as client:
        eventually(lambda: requests_for(http_server, "/slow.xml") == 1, what="the slow poll")
        client.get(f"{url}/", timeout=10)  # the first answer loads templates: not timed
        started = time.monotonic()
        times = []
        while time.monotonic() - started < 1.5:  # all inside the 3 s the feed takes
            before = time.perf_counter()
            assert client.get(f"{url}/", timeout=10).status_code == 200
            times.append(time.perf_counter() - before)
    # A page held up by the poll would wait for the feed's answer: over 1.5 s from any request
    # inside the window. Answering in well under that is not blocked, even on a loaded machine.
    assert len(times) >= 5 and max(times) < 1.2, times


def test_a_feed_that_asks_for_max_age_is_not_asked_sooner(
    store: Store, http_server: LocalServer
) -> None:
    url = serve_feed(http_server, "/feed.xml", range(1, 2), headers={"Cache-Control": "max-age=4"})
    feed, _ = store.add_feed(url)
    with running(create_app(store, FAST), lifespan=True):
        eventually(lambda: feed_row(store, feed).last_polled_at, what="the first poll")
        time.sleep(1.0)  # five intervals of 0.2 s
        asked = requests_for(http_server, "/feed.xml")
    row = feed_row(store, feed)
    assert row.next_poll_at is not None and row.last_polled_at is not None
    assert (row.next_poll_at - row.last_polled_at).total_seconds() == pytest.approx(4)
    assert asked == 1


@pytest.mark.parametrize("status", [429, 503])
def test_a_feed_that_says_retry_after_is_not_asked_sooner(
    store: Store, http_server: LocalServer, status: int
) -> None:
    url = http_server.route("/feed.xml", "busy", status=status, headers={"Retry-After": "4"})
    feed, _ = store.add_feed(url)
    with running(create_app(store, FAST), lifespan=True):
        eventually(lambda: feed_row(store, feed).failures, what="the first poll")
        time.sleep(1.0)
    row = feed_row(store, feed)
    assert row.next_poll_at is not None and row.last_polled_at is not None
    assert (row.next_poll_at - row.last_polled_at).total_seconds() >= 4
    assert requests_for(http_server, "/feed.xml") == 1


def test_no_poll_polls_nothing(store: Store, http_server: LocalServer) -> None:
    store.add_feed(serve_feed(http_server, "/feed.xml", range(1, 2)))
    app = create_app(store, Settings(poll=False, poll_interval=0.2, access_log=False))
    with running(app, lifespan=True) as url:
        time.sleep(1.0)
        page = httpx.get(f"{url}/feeds", timeout=10).text
    assert app.state.poller is None
    assert requests_for(http_server, "/feed.xml") == 0
    assert "only when asked" in page


# --- two readers, one database ----------------------------------------------------------------


def test_two_readers_on_one_database_poll_each_feed_once_per_due_time(
    database_url: str, http_server: LocalServer
) -> None:
    paths = [f"/{town.lower()}.xml" for town in TOWNS[:3]]
    with Store.open(database_url) as first, Store.open(database_url) as second:
        for path, town in zip(paths, TOWNS, strict=False):
            first.add_feed(serve_feed(http_server, path, range(1, 2), town=town))
        settings = Settings(poll_interval=0.3, poll_lease_seconds=1.0, access_log=False)
        one, two = create_app(first, settings), create_app(second, settings)
        with running(one, lifespan=True), running(two, lifespan=True):
            started = time.monotonic()
            eventually(lambda: all(requests_for(http_server, p) for p in paths), what="polls")
            time.sleep(2.4)
            elapsed = time.monotonic() - started
            holders = [app.state.poller.holding for app in (one, two)]
            counts = [requests_for(http_server, path) for path in paths]
    assert sorted(holders) == [False, True]
    # One poller: a poll per 0.3-0.33 s due time.  Two would make twice as many.
    most = elapsed / 0.3 + 1
    assert all(most * 0.6 <= count <= most for count in counts), (counts, elapsed)


CHILD = textwrap.dedent(
    """
    import sys, time
    from inbrief.feeds.schedule import Schedule
    from inbrief.service.poller import Poller
    from inbrief.store import Store

    store = Store.open(sys.argv[1])
    poller = Poller(store, Schedule(interval=0.2), lease_seconds=1.0, holder="child")
    poller.start()
    print("started", flush=True)
    time.sleep(120)
    """
)


def test_when_the_lease_holder_dies_another_reader_takes_over(
    store: Store, http_server: LocalServer, tmp_path: Path
) -> None:
    store.add_feed(serve_feed(http_server, "/feed.xml", range(1, 2)))
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_path / "inbrief.db")],
        env=env,
        stdout=subprocess.PIPE,
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == b"started\n"
        eventually(lambda: requests_for(http_server, "/feed.xml") >= 2, what="the child's polls")
        here = Poller(store, Schedule(interval=0.2), lease_seconds=1.0, holder="here")
        here.start()
        try:
            time.sleep(1.5)  # longer than the lease: the living child keeps renewing it
            assert not here.holding
            lease = store.get_lease(LEASE)
            assert lease is not None and lease.holder == "child"
            child.send_signal(signal.SIGKILL)  # dies holding the lease: no release
            child.wait(10)
            died = time.monotonic()
            eventually(lambda: here.holding, timeout=5, what="the takeover")
            taken_after = time.monotonic() - died
            polled = requests_for(http_server, "/feed.xml")
            eventually(lambda: requests_for(http_server, "/feed.xml") > polled, what="a poll")
        finally:
            here.stop()
    finally:
        child.kill()
        child.wait(10)
    assert taken_after < 1.0 + 1.0  # the lease's length and the keeper's third of it
    assert store.get_lease(LEASE) is None  # released on a clean stop


# --- `inbrief serve` --------------------------------------------------------------------------


def _serve(database: Path, *args: str, interval: str = "0.3s") -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "INBRIEF_POLL_INTERVAL": interval}
    child = subprocess.Popen(
        [*SERVE, "--port", "0", "--no-demo", "--no-access-log", "--database", str(database), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    if not line.startswith("inbrief reader: "):
        child.kill()
        pytest.fail(f"inbrief serve did not start: {line}{child.communicate()[1]}")
    return child, line.split()[2].rstrip("/")


def _stop(child: subprocess.Popen[str]) -> str:
    child.send_signal(signal.SIGINT)
    try:
        return child.communicate(timeout=15)[1]
    except subprocess.TimeoutExpired:
        child.kill()
        return child.communicate()[1]


def test_inbrief_serve_shows_new_entries_of_two_feeds_without_another_command(
    http_server: LocalServer, tmp_path: Path
) -> None:
    database = tmp_path / "served.db"
    with Store.open(str(database)) as store:
        store.add_feed(serve_feed(http_server, "/arlen.xml", range(1, 2), town="Arlen"))
        store.add_feed(serve_feed(http_server, "/brisk.xml", range(1, 2), town="Brisk"))
    child, url = _serve(database)
    try:

        def listing() -> str:
            return httpx.get(f"{url}/", timeout=10).text

        eventually(lambda: "Brisk council approves ferry plan number 1" in listing())
        serve_feed(http_server, "/arlen.xml", range(1, 3), town="Arlen")
        serve_feed(http_server, "/brisk.xml", range(1, 3), town="Brisk")
        new = (
            "Arlen council approves ferry plan number 2",
            "Brisk council approves ferry plan number 2",
        )
        eventually(lambda: all(t in listing() for t in new), what="both new entries on the list")
        page = listing()
    finally:
        stderr = _stop(child)
    assert "Brisk council approves ferry plan number 1" in page
    assert "Polling feeds every 0.3s" in stderr and "Traceback" not in stderr
    with Store.open(str(database)) as store:
        assert store.get_lease(LEASE) is None  # Ctrl+C stopped the poller and released it


def test_inbrief_serve_no_poll_fetches_no_feed(http_server: LocalServer, tmp_path: Path) -> None:
    database = tmp_path / "served.db"
    with Store.open(str(database)) as store:
        store.add_feed(serve_feed(http_server, "/feed.xml", range(1, 2)))
    child, url = _serve(database, "--no-poll")
    try:
        time.sleep(1.5)  # five intervals
        page = httpx.get(f"{url}/feeds", timeout=10).text
    finally:
        stderr = _stop(child)
    assert requests_for(http_server, "/feed.xml") == 0
    assert "only when asked" in page and "Polling feeds" not in stderr


def test_inbrief_serve_refuses_a_poll_interval_that_is_no_duration(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [*SERVE, "--poll-interval", "often", "--database", str(tmp_path / "x.db")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--poll-interval takes a duration such as 30s, 15m or 2h, not 'often'" in done.stderr
    assert not (tmp_path / "x.db").exists()


def test_a_feed_added_with_every_keeps_its_own_interval(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {**os.environ, "PYTHONPATH": str(SRC)}

    def inbrief(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "inbrief", *args, "--database", database]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)

    added = inbrief("feeds", "add", "https://news.example/feed.xml", "--every", "2h")
    assert added.returncode == 0, added.stderr
    assert added.stdout == "subscribed: #1 https://news.example/feed.xml (every 2h)\n"
    listed = inbrief("feeds", "list")
    assert "next poll now, every 2h" in listed.stdout
    refused = inbrief("feeds", "add", "https://news.example/other.xml", "--every", "0m")
    assert refused.returncode == 2 and "--every takes a duration" in refused.stderr
