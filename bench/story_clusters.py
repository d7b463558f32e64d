"""How well "Today in brief" groups articles into stories: P/R/F1 of same-story pairs.

The labelled set is ``tests/fixtures/stories/articles.json`` (ten invented events, each told by
two or three sources in their own words, three of them also republished as near-duplicate wire
copy, and eight different events on the same topics) plus the English articles of the bundled
demo corpus as further events (``tests/fixtures/stories/demo_events.json`` labels the demo
articles that report one event).  By default every article goes the way a reader's articles do:
each source becomes an RSS feed on a local HTTP server, its entries link to HTML pages there,
and :func:`inbrief.feeds.poll_all` fetches, extracts and stores them; the stories are then made
from the stored text.  ``--direct`` clusters the fixture texts as written instead (faster);
``--leads`` keeps only each article's first paragraph, as a feed that carries teasers gives them.

A pair of articles is a true positive when the labels say they are one event and the clustering
put them in one story.  Two settings are scored:

* **one day**: all articles clustered at once (about 100), the hard case: every same-topic
  distractor and demo article is in the same day;
* **small days**: each event is put on one of several days at random (seeded), with the demo
  articles spread among them, and each day is clustered alone, with the other days' articles
  as the reader's earlier ones (the IDF background); pair counts add up over days;
* **no history**: the same small days in a new reader, with no earlier articles (only the
  bundled demo corpus steadies the word weights, as it always does).

    .venv/bin/python bench/story_clusters.py [--direct] [--leads] [--days 12] [--seed 1]

Runs in about a minute through the feeds (extraction of ~100 pages), a second with ``--direct``.
"""

from __future__ import annotations

import argparse
import html
import itertools
import json
import os
import random
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from inbrief.feeds import poll_all
from inbrief.ingest import demo_articles
from inbrief.models import Article
from inbrief.store import Store
from inbrief.stories.cluster import THRESHOLD, TITLE_WEIGHT, Terms, average_link, similarities

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "stories"
THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4)
TITLE_WEIGHTS = (0.0, 0.25)
PUBLISHED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Labelled:
    """One article of the labelled set: its key, its event, the source that published it."""

    key: str
    event: str
    source: str
    article: Article


def labelled_set() -> list[Labelled]:
    """The fixture articles, then the English demo articles, each with its event."""
    rows = json.loads((FIXTURES / "articles.json").read_text(encoding="utf-8"))
    found = [
        Labelled(
            row["id"],
            row["event"],
            row["source"],
            Article(text=row["text"], title=row["title"], language="en", site=row["source"]),
        )
        for row in rows
    ]
    shared = json.loads((FIXTURES / "demo_events.json").read_text(encoding="utf-8"))["events"]
    event_of = {key: event for event, keys in shared.items() for key in keys}
    demo_ids = _demo_ids()
    for article in demo_articles():
        if article.language != "en":
            continue
        key = demo_ids[article.url or ""]
        found.append(Labelled(key, event_of.get(key, key), article.site or "demo", article))
    return found


def _demo_ids() -> dict[str, str]:
    path = ROOT / "src" / "inbrief" / "data" / "demo" / "articles.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return {row["url"]: row["id"] for row in rows}


# --- the articles as a reader gets them: feeds on a local server, polled --------------------


def _page(item: Labelled) -> str:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in item.article.paragraphs)
    title = html.escape(item.article.title or "")
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta property='og:site_name' content='{html.escape(item.source)}'></head><body>"
        f"<header><nav><a href='/'>Home</a></nav></header><main><article><h1>{title}</h1>"
        f"{paragraphs}</article></main><footer>{html.escape(item.source)}</footer></body></html>"
    )


def _feed(source: str, items: Sequence[Labelled], base: str) -> str:
    entries = "".join(
        f"<item><title>{html.escape(item.article.title or '')}</title>"
        f"<link>{base}/pages/{item.key}.html</link><guid>{item.key}</guid>"
        f"<pubDate>{format_datetime(PUBLISHED)}</pubDate></item>"
        for item in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{html.escape(source)}</title><link>{base}/</link>"
        f"<description>{html.escape(source)}</description>{entries}</channel></rss>"
    )


@contextmanager
def _serving(routes: dict[str, tuple[str, str]]) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body, kind = routes.get(self.path, ("not here", "text/plain"))
            data = body.encode("utf-8")
            self.send_response(200 if self.path in routes else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def through_feeds(items: Sequence[Labelled]) -> list[Labelled]:
    """``items`` as :func:`poll_all` stores them from feeds (one a source) on a local server."""
    by_source: dict[str, list[Labelled]] = defaultdict(list)
    for item in items:
        by_source[item.source].append(item)
    routes: dict[str, tuple[str, str]] = {}
    os.environ["INBRIEF_ALLOW_PRIVATE"] = "127.0.0.1/32"
    with _serving(routes) as base, tempfile.TemporaryDirectory() as folder:
        for item in items:
            routes[f"/pages/{item.key}.html"] = (_page(item), "text/html; charset=utf-8")
        with Store.open(str(Path(folder) / "stories.db")) as store:
            for number, (source, entries) in enumerate(sorted(by_source.items())):
                routes[f"/feeds/{number}.rss"] = (
                    _feed(source, entries, base),
                    "application/rss+xml",
                )
                store.add_feed(f"{base}/feeds/{number}.rss")
            results = poll_all(store)
            failed = [error for r in results for error in (r.error, *r.entry_errors) if error]
            if failed:
                sys.exit(f"polling failed: {failed[:3]}")
            stored = store.list_articles(0, 10_000).items
    by_page = {f"{base}/pages/{item.key}.html": item for item in items}
    found = []
    for row in stored:
        item = by_page[row.source_url or ""]
        found.append(Labelled(item.key, item.event, item.source, row.article))
    if len(found) != len(items):
        sys.exit(f"{len(items)} articles served, {len(found)} stored")
    return sorted(found, key=lambda item: item.key)


# --- scoring --------------------------------------------------------------------------------


@dataclass
class Pairs:
    """Same-story pair counts: true positives, false positives, false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, groups: Sequence[Sequence[int]], events: Sequence[str]) -> None:
        story = {i: n for n, group in enumerate(groups) for i in group}
        for i, j in itertools.combinations(range(len(events)), 2):
            same, together = events[i] == events[j], story[i] == story[j]
            self.tp += same and together
            self.fp += together and not same
            self.fn += same and not together

    def line(self) -> str:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        counts = f"(tp {self.tp} fp {self.fp} fn {self.fn})"
        return f"P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}  {counts}"


def days_of(items: Sequence[Labelled], days: int, seed: int) -> list[list[int]]:
    """Positions of ``items`` split into ``days`` days, each event's articles on one day."""
    rng = random.Random(seed)
    events = sorted({item.event for item in items})
    day_of = {event: rng.randrange(days) for event in events}
    split: list[list[int]] = [[] for _ in range(days)]
    for i, item in enumerate(items):
        split[day_of[item.event]].append(i)
    return [day for day in split if day]


def _lead(article: Article) -> Article:
    return replace(article, text=article.paragraphs[0] if article.paragraphs else article.text)


def _others(documents: Sequence[Terms], day: Sequence[int]) -> list[Terms]:
    """The articles of the other days: the reader's earlier articles, as IDF background."""
    inside = set(day)
    return [doc for i, doc in enumerate(documents) if i not in inside]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--direct", action="store_true", help="cluster the texts as written")
    parser.add_argument("--days", type=int, default=12, help="days in the small-days setting")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--leads", action="store_true", help="keep only each article's first paragraph (teasers)"
    )
    options = parser.parse_args()

    items = labelled_set()
    if options.leads:
        items = [replace(item, article=_lead(item.article)) for item in items]
    started = time.perf_counter()
    if not options.direct:
        items = through_feeds(items)
    read = time.perf_counter() - started
    events = [item.event for item in items]
    positives = sum(events[i] == events[j] for i, j in itertools.combinations(range(len(items)), 2))
    how = "as written" if options.direct else f"through local feeds, polled in {read:.0f} s"
    print(f"{len(items)} articles ({how}), {len(set(events))} events, {positives} same-story pairs")
    documents = [Terms.of(item.article) for item in items]
    days = days_of(items, options.days, options.seed)
    for weight in TITLE_WEIGHTS:
        started = time.perf_counter()
        whole = similarities(documents, weight)
        each_day = [
            (day, similarities([documents[i] for i in day], weight, _others(documents, day)))
            for day in days
        ]
        alone = [(day, similarities([documents[i] for i in day], weight)) for day in days]
        took = time.perf_counter() - started
        print(f"\ntitle weight {weight} (similarities of every setting in {took * 1000:.0f} ms)")
        for threshold in THRESHOLDS:
            one_day, small_days, fresh = Pairs(), Pairs(), Pairs()
            one_day.add(average_link(whole, threshold), events)
            for day, matrix in each_day:
                small_days.add(average_link(matrix, threshold), [events[i] for i in day])
            for day, matrix in alone:
                fresh.add(average_link(matrix, threshold), [events[i] for i in day])
            chosen = " <- shipped" if threshold == THRESHOLD and weight == TITLE_WEIGHT else ""
            print(f"  threshold {threshold:.2f}{chosen}")
            print(f"    one day    {one_day.line()}")
            print(f"    small days {small_days.line()}")
            print(f"    no history {fresh.line()}")


if __name__ == "__main__":
    main()
