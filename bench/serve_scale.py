"""The reader over a 10,000-article store, random articles, beside a bare endpoint (issue 16.3).

    .venv/bin/python bench/serve_scale.py [--requests 6000] [--connections 64] [--routes a,b]

The store is built once and kept in /tmp, named by the store's schema version: the 5,189
CNN/DailyMail articles of ``../shared/data``, the French, Russian and Spanish sets, and as many
variants of the English ones as make 10,000 (the same text with a closing line of its own, so
each is a new article with summaries of its own), spread over 100 days, their default
summaries cached as ingest caches them. ``inbrief add --jsonl`` builds it when the CLI has it;
otherwise :func:`inbrief.ingest.add_article` does, one article at a time.

Every route is measured in its own run at ``--connections`` keep-alive connections, on the
articles in a random order (seeded), each beside the bare endpoint measured in the same run:

* ``article``: ``/articles/{id}``; ``summary``: ``/api/articles/{id}/summary``, with the
  in-memory summary layer off (``summary_memo_size=0``) and on (``summary+memo``);
* ``home`` (``/?page=N``), ``search`` (``/search?q=WORD``), ``today`` (``/today?date=DAY``);
* ``304``: article pages asked again with the ``ETag`` each answered before.

Goals: article pages >= 5% of the bare endpoint's requests/s with p99 <= 50 ms, summaries
without their memory layer >= 20% with p99 <= 20 ms. The server's CPU time per request is read
from its process (``/proc``), so the figure does not depend on what else runs on the machine.
Prints one table and exits 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import gzip
import json
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from loadgen import LoadResult, cpu_seconds, run_load, serve_bare

from inbrief.store import SCHEMA_VERSION

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
STORE_SIZE = 10_000
DAYS = 100
LAST_DAY = date(2026, 3, 31)
# Bump when the articles the builder writes change, so an old cached store is not reused.
BUILD_VERSION = 1
SEED = 16
GOAL_ARTICLE_RATIO = 0.05
GOAL_ARTICLE_P99_MS = 50.0
GOAL_SUMMARY_RATIO = 0.20
GOAL_SUMMARY_P99_MS = 20.0


# --- the store --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One article to store, as the bulk ingest's JSONL row carries it."""

    text: str
    title: str
    url: str
    language: str
    site: str
    date: str


def _read(name: str) -> Iterator[dict[str, Any]]:
    with gzip.open(DATA / name, "rt", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def _title(text: str) -> str:
    words = text.split()[:9]
    return " ".join(words).capitalize()


def _rows() -> list[Row]:
    """10,000 distinct articles: the data sets, then variants of the English ones."""
    sets = (
        ("cnndm-dev.jsonl.gz", "en", "cnn.example"),
        ("orangesum-dev.jsonl.gz", "fr", "orange.example"),
        ("gazeta-ru-dev.jsonl.gz", "ru", "gazeta.example"),
        ("ter-es-dev.jsonl.gz", "es", "ter.example"),
    )
    rows: list[Row] = []
    english: list[dict[str, Any]] = []
    for name, language, site in sets:
        for record in _read(name):
            if language == "en":
                english.append(record)
            rows.append(_row(record["article"], record["id"], language, site, len(rows)))
    copy = 0
    while len(rows) < STORE_SIZE:
        record = english[copy % len(english)]
        copy += 1
        text = f"{record['article']}\n\nFiled again by the bench desk as copy {copy}."
        row = _row(text, f"{record['id']}-copy-{copy}", "en", "wire.example", len(rows))
        rows.append(replace(row, title=f"{row.title} (copy {copy})"))
    return rows[:STORE_SIZE]


def _row(text: str, key: str, language: str, site: str, number: int) -> Row:
    day = LAST_DAY - timedelta(days=number % DAYS)
    return Row(text, _title(text), f"https://{site}/news/{key}", language, site, day.isoformat())


def store_path() -> Path:
    """Where the built store is kept: one file per schema version, builder version and default
    summarizer version (another version's cached summaries are never read: each summary
    request would then be summarized live)."""
    from inbrief import summarizers
    from inbrief.pipeline import DEFAULT_METHOD

    method = summarizers.get(DEFAULT_METHOD)
    named = f"s{SCHEMA_VERSION}-b{BUILD_VERSION}-{method.name}{method.version}"
    return Path(f"/tmp/inbrief-serve-scale-{named}.db")


def _bulk_ingest_available() -> bool:
    cli = Path(sys.executable).with_name("inbrief")
    shown = subprocess.run([str(cli), "add", "--help"], capture_output=True, text=True)
    return "--jsonl" in shown.stdout


def _build_with_cli(rows: list[Row], database: Path) -> None:
    listing = database.with_suffix(".jsonl")
    with listing.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row.__dict__, ensure_ascii=False) + "\n")
    cli = Path(sys.executable).with_name("inbrief")
    # Each row's address names it: the id the ingest resumes by.
    named = ["--id-column", "url", "--database", f"sqlite:///{database}"]
    subprocess.run([str(cli), "add", "--jsonl", str(listing), *named], check=True)
    listing.unlink()


def _build_with_library(rows: list[Row], database: Path) -> None:
    # Until `inbrief add --jsonl` exists: the library's ingest, one article at a time.
    from inbrief.ingest import add_article
    from inbrief.models import Article
    from inbrief.store import Store

    started = time.perf_counter()
    with Store.open(str(database)) as store:
        for number, row in enumerate(rows, 1):
            article = Article(
                text=row.text,
                title=row.title,
                url=row.url,
                language=row.language,
                site=row.site,
                date=row.date,
                origin=row.url,
            )
            add_article(store, article)
            if number % 1000 == 0:
                rate = number / (time.perf_counter() - started)
                print(f"  stored {number} articles ({rate:.0f}/s)", file=sys.stderr)


def build_store() -> Path:
    """The 10,000-article store, built on first use (a few minutes) and then reused."""
    path = store_path()
    if path.exists():
        return path
    if not DATA.is_dir():
        raise SystemExit(f"bench: {DATA} is missing; this benchmark reads its articles there")
    print(f"building {path} ({STORE_SIZE} articles, once)", file=sys.stderr)
    partial = path.with_name(path.name + ".partial")
    for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        stale.unlink(missing_ok=True)
    rows = _rows()
    if _bulk_ingest_available():
        _build_with_cli(rows, partial)
    else:
        _build_with_library(rows, partial)
    _checkpoint(partial)
    shutil.move(partial, path)
    return path


def _checkpoint(database: Path) -> None:
    """Fold the write-ahead log into the file, so the file alone is the whole store."""
    import sqlite3

    with sqlite3.connect(database) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


# --- servers (each in its own process) --------------------------------------------------------


def _serve_reader(database: str, memo_size: int, ports: Any) -> None:
    import uvicorn

    from inbrief.service import Settings
    from inbrief.service.app import create_app
    from inbrief.service.server import bind
    from inbrief.store import Store

    store = Store.open(database)
    sock = bind("127.0.0.1", 0)
    ports.put(sock.getsockname()[1])
    settings = Settings(summary_memo_size=memo_size, poll=False)
    app = create_app(store, settings)
    uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False)).run(sockets=[sock])


# The bare endpoint answers with the article page's media type.
_serve_html = functools.partial(serve_bare, content_type=b"text/html")


@dataclass(frozen=True)
class Measured:
    """One route's load run and the server's CPU time per answer during it."""

    route: str
    result: LoadResult
    cpu_ms: float


@dataclass(frozen=True)
class Route:
    """A route to measure: its requests (and header lines, for conditional requests)."""

    name: str
    paths: list[str]
    headers: list[str] | None = None
    memo_size: int = 0


def _measure(
    target: Any, args: tuple[Any, ...], routes: list[Route], options: Any
) -> list[Measured]:
    """Start one server, warm it up, and run each route against it in turn."""
    context = multiprocessing.get_context("spawn")
    ports = context.Queue()
    server = context.Process(target=target, args=(*args, ports), daemon=True)
    server.start()
    measured = []
    try:
        port = ports.get(timeout=120)
        for route in routes:
            # Warm-up on other requests than the measured ones: templates, model, connections.
            warm = route.paths[-200:]
            asyncio.run(run_load(port, warm, len(warm), options.connections))
            before = cpu_seconds(server.pid or 0)
            result = asyncio.run(
                run_load(
                    port,
                    route.paths[: options.requests],
                    options.requests,
                    options.connections,
                    route.name,
                    route.headers[: options.requests] if route.headers else None,
                )
            )
            cpu = (cpu_seconds(server.pid or 0) - before) * 1000 / result.requests
            measured.append(Measured(route.name, result, cpu))
    finally:
        server.terminate()
        server.join(timeout=10)
    return measured


# --- the requests -----------------------------------------------------------------------------

SEARCH_WORDS = (
    "government", "police", "president", "football", "market", "hospital", "election",
    "weather", "school", "court", "minister", "company", "festival", "climate", "museum",
)  # fmt: skip


def _article_ids(database: Path) -> list[int]:
    import sqlite3

    with sqlite3.connect(database) as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM articles ORDER BY id")]
    conn.close()
    random.Random(SEED).shuffle(ids)
    return ids


def _etags(database: Path, paths: list[str]) -> list[str]:
    """Each page's ETag as the reader gives it now, asked in-process (no server)."""
    import httpx

    from inbrief.service import Settings
    from inbrief.service.app import create_app
    from inbrief.store import Store

    async def ask() -> list[str]:
        store = Store.open(str(database))
        app = create_app(store, Settings(poll=False))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            tags = [(await client.get(path)).headers["etag"] for path in paths]
        store.close()
        return tags

    return asyncio.run(ask())


def _routes(database: Path, count: int) -> list[Route]:
    shuffled = random.Random(SEED)
    ids = _article_ids(database)
    pages = [f"/articles/{n}" for n in ids]
    summaries = [f"/api/articles/{n}/summary" for n in ids]
    home = [f"/?page={shuffled.randint(1, STORE_SIZE // 20)}" for _ in range(count + 200)]
    search = [
        f"/search?q={shuffled.choice(SEARCH_WORDS)}&page={shuffled.randint(1, 5)}"
        for _ in range(count + 200)
    ]
    days = [LAST_DAY - timedelta(days=shuffled.randrange(DAYS)) for _ in range(count + 200)]
    today = [f"/today?date={day.isoformat()}" for day in days]
    revalidated = pages[:count]
    tags = _etags(database, revalidated)
    return [
        Route("article", pages),
        Route("304", revalidated, [f"If-None-Match: {tag}\r\n" for tag in tags]),
        Route("summary", summaries),
        Route("home", home),
        Route("search", search),
        Route("today", today),
    ]


# --- report -----------------------------------------------------------------------------------


def _line(measured: Measured, bare: LoadResult) -> str:
    result = measured.result
    return (
        f"{measured.route:<14} {result.per_second:>8.0f} "
        f"{result.per_second / bare.per_second:>7.1%} "
        f"{result.percentile(0.5):>8.2f} {result.percentile(0.99):>8.2f} "
        f"{measured.cpu_ms:>8.3f} {result.failures:>6}"
    )


def _goal(name: str, measured: Measured, bare: LoadResult, ratio: float, p99: float) -> bool:
    got = measured.result.per_second / bare.per_second
    late = measured.result.percentile(0.99)
    met = got >= ratio and late <= p99 and measured.result.failures == 0
    print(
        f"goal {name}: {got:.1%} of bare (>= {ratio:.0%}), p99 {late:.1f} ms (<= {p99:g} ms)"
        f": {'met' if met else 'MISSED'}"
    )
    return met


def main(argv: list[str] | None = None) -> int:
    """Build (or reuse) the store, measure every route beside the bare endpoint, report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=6000)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument(
        "--routes",
        default="article,304,summary,home,search,today,summary+memo",
        help="the routes to measure, comma-separated (the goals need article and summary)",
    )
    options = parser.parse_args(argv)
    chosen = set(options.routes.split(","))
    database = build_store()
    routes = [route for route in _routes(database, options.requests) if route.name in chosen]
    memo_routes = [replace(r, name="summary+memo") for r in routes if r.name == "summary"]
    payload = b"<!doctype html><p>" + b"x" * 20_000 + b"</p>"
    bare_route = Route("bare", ["/"] * (options.requests + 200))
    started = time.process_time()
    bare = _measure(_serve_html, (payload, "auto"), [bare_route], options)
    memo_off = _measure(_serve_reader, (str(database), 0), routes, options)
    memo_on = []
    if "summary+memo" in chosen and memo_routes:
        memo_on = _measure(_serve_reader, (str(database), 4096), memo_routes, options)
    bare_after = _measure(_serve_html, (payload, "auto"), [bare_route], options)
    # The better of the two bare runs: the ratios are then the least flattering.
    best = max((bare[0], bare_after[0]), key=lambda m: m.result.per_second).result
    print(
        f"{STORE_SIZE} articles, random order, {options.connections} connections, "
        f"{options.requests} requests a route, Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} cores shared with the load generator"
    )
    print(
        f"{'route':<14} {'req/s':>8} {'of bare':>7} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'cpu ms':>8} failed"
    )
    for measured in (bare[0], bare_after[0]):
        print(_line(measured, best))
    for measured in (*memo_off, *memo_on):
        print(_line(measured, best))
    print(f"(load generator CPU {time.process_time() - started:.1f} s in all)")
    by_name = {m.route: m for m in (*memo_off, *memo_on)}
    goals = (
        ("article page", "article", GOAL_ARTICLE_RATIO, GOAL_ARTICLE_P99_MS),
        ("summary, memory off", "summary", GOAL_SUMMARY_RATIO, GOAL_SUMMARY_P99_MS),
    )
    met = [
        _goal(name, by_name[route], best, ratio, p99)
        for name, route, ratio, p99 in goals
        if route in by_name
    ]
    return 0 if met and all(met) else 1


if __name__ == "__main__":
    if sys.argv[1:] == ["--build-only"]:
        print(build_store())
        raise SystemExit(0)
    raise SystemExit(main())
