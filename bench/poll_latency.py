"""Page latency of the reader with and without a feed poll running, in one run.

    .venv/bin/python bench/poll_latency.py [--requests 300] [--feeds 8] [--entries 10]

Two readers in turn, each in its own process on 127.0.0.1 over its own copy of a SQLite store
holding the demo corpus and ``--feeds`` subscribed feeds:

* **idle**: polling off (``Settings(poll=False)``).
* **polling**: polling on, every 0.5 s, against feeds that hold ``--entries`` new entries at
  every fetch, so the poller never rests: each round parses the feeds, extracts every new
  entry and caches its summaries, the heaviest work a poll does.

The feeds are served by a local HTTP server in this process; the pages are asked one after
the other by one client (``/``, an article page, ``/feeds``, in turn), ``--requests`` in all
after a warm-up.  Prints p50 / p99 / max per reader, and the polls and articles the poller did
while the pages were measured (a "polling" row with no articles added measured nothing).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

ROUND_SECONDS = 0.5


def _story(feed: int, n: int) -> tuple[str, str]:
    """A look-alike local news story, different words for every feed and number."""
    town = f"Town{feed}"
    title = f"{town} council approves ferry plan number {n}"
    sentences = [
        f"The {town} council voted on Tuesday to approve ferry plan number {n}.",
        f"Councillors said plan {n} would add {n % 7 + 2} crossings a day to the timetable.",
        f"Residents of the north shore of {town} had asked for plan {n} for {n % 9 + 3} years.",
        f"The harbour master said that work on pier {n} starts in the spring.",
        f"Opponents argued that the cost of plan {n} would fall on small businesses in {town}.",
        f"The vote passed by {n % 11 + 5} votes to {n % 4} after a debate of two hours.",
    ]
    return title, "".join(f"<p>{sentence}</p>" for sentence in sentences)


class _Feeds(BaseHTTPRequestHandler):
    """``/feed/N.xml``: an RSS feed whose entries are all new at every request."""

    counter = 0
    lock = threading.Lock()
    entries = 10
    fetched = 0

    def do_GET(self) -> None:
        with _Feeds.lock:
            start = _Feeds.counter
            _Feeds.counter += _Feeds.entries
            _Feeds.fetched += 1
        feed = int(self.path.rsplit("/", 1)[-1].split(".")[0])
        items = []
        for n in range(start, start + _Feeds.entries):
            title, body = _story(feed, n)
            items.append(
                f"<item><title>{title}</title><guid isPermaLink='false'>{feed}-{n}</guid>"
                f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
            )
        payload = (
            '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>Town{feed} News</title><link>http://127.0.0.1/</link>"
            f"<description>Local news</description>{''.join(items)}</channel></rss>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _reader(database: str, poll: bool, ready: Any, stop: Any) -> None:
    """The reader process: serve until ``stop``; send the base URL through ``ready``."""
    from inbrief.service import create_app
    from inbrief.service.server import running
    from inbrief.service.settings import Settings
    from inbrief.store import Store

    settings = Settings(poll=poll, poll_interval=ROUND_SECONDS, access_log=False)
    with Store.open(database) as store, running(create_app(store, settings), lifespan=True) as url:
        ready.send(url)
        stop.wait()


def _prepare(folder: Path, feeds_url: str, feeds: int) -> str:
    from inbrief.ingest import load_demo_corpus
    from inbrief.store import Store

    database = str(folder / "bench.db")
    with Store.open(database) as store:
        load_demo_corpus(store)
        for feed in range(feeds):
            store.add_feed(f"{feeds_url}/feed/{feed}.xml")
    return database


def _copy(database: str, name: str) -> str:
    target = str(Path(database).with_name(f"{name}.db"))
    Path(target).write_bytes(Path(database).read_bytes())
    return target


def _measure(database: str, poll: bool, requests: int) -> tuple[list[float], int, int]:
    """Latencies in ms, and the feed fetches and articles the poller made meanwhile."""
    from inbrief.store import Store

    context = multiprocessing.get_context("spawn")
    ready, sent = context.Pipe(duplex=False)
    stop = context.Event()
    process = context.Process(target=_reader, args=(database, poll, sent, stop))
    process.start()
    try:
        url = ready.recv()
        with Store.open(database) as store:
            article = store.list_articles(0, 1).items[0].id
        paths = ["/", f"/articles/{article}", "/feeds"]
        with httpx.Client(timeout=30) as client:
            for n in range(30):  # warm-up: templates compiled, the first rounds of polls begun
                client.get(url + paths[n % 3])
            with Store.open(database) as store:
                articles_before, fetched_before = store.list_articles(0, 1).total, _Feeds.fetched
            latencies = []
            for n in range(requests):
                started = time.perf_counter()
                answer = client.get(url + paths[n % 3])
                latencies.append((time.perf_counter() - started) * 1000)
                answer.raise_for_status()
        with Store.open(database) as store:
            added = store.list_articles(0, 1).total - articles_before
        return latencies, _Feeds.fetched - fetched_before, added
    finally:
        stop.set()
        process.join(30)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--feeds", type=int, default=8)
    parser.add_argument("--entries", type=int, default=10)
    args = parser.parse_args(argv)
    _Feeds.entries = args.entries
    os.environ["INBRIEF_ALLOW_PRIVATE"] = "127.0.0.1/32"  # the feeds are on this machine
    feeds = ThreadingHTTPServer(("127.0.0.1", 0), _Feeds)
    threading.Thread(target=feeds.serve_forever, daemon=True).start()
    feeds_url = f"http://127.0.0.1:{feeds.server_address[1]}"
    print(f"{args.requests} pages per reader; {args.feeds} feeds of {args.entries} new entries")
    print(
        f"{'reader':<8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'feed polls':>11} {'added':>6}"
    )
    with tempfile.TemporaryDirectory() as folder:
        base = _prepare(Path(folder), feeds_url, args.feeds)
        for name, poll in (("idle", False), ("polling", True)):
            latencies, fetched, added = _measure(_copy(base, name), poll, args.requests)
            print(
                f"{name:<8} {statistics.median(latencies):>8.1f} "
                f"{_percentile(latencies, 0.99):>8.1f} {max(latencies):>8.1f} "
                f"{fetched:>11} {added:>6}"
            )
            sys.stdout.flush()
    feeds.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
