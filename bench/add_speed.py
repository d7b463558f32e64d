"""How fast an archive goes into the reader: ``inbrief add --jsonl`` against one add per article.

    python bench/add_speed.py                  # 1,000 CNN/DM dev articles
    python bench/add_speed.py --articles 300   # fewer, for a quick look

Builds a JSONL archive of the first ``--articles`` articles of
``../shared/data/cnndm-dev.jsonl.gz`` in a temporary folder (``{"id", "text"}`` rows), then, in
one run, each on a new SQLite file:

* **one by one** (the baseline): the library path ``inbrief add`` takes per article,
  :func:`inbrief.ingest.add_article`: its own transaction and fsync, then a transaction and an
  fsync per default summary;
* **archive**: :func:`inbrief.ingest.add_archive` on the file, 256 rows a transaction with
  their summaries in it;
* **archive again**: the same call on the filled database, the cost of resuming;

and, to tell the store's part apart from the summarizer's, the same articles with their
summaries made beforehand, stored one by one (``add_article`` + ``put_summary``) and in
chunks of 256 (``add_articles``); then the CPU time of each step of the archive path alone:
reading the rows, extracting, summarizing, keys and look-ups.

Figures are CPU seconds of this process (``time.process_time``: the machine is shared, and
other work barely moves it) and wall seconds; articles/s per core is articles per CPU second.
The goal is 500 articles/s per core.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from inbrief.batch.inputs import Columns, expand_inputs
from inbrief.batch.work import read_chunks
from inbrief.ingest import DEFAULT_BUDGETS, add_archive, add_article, default_summary_rows
from inbrief.models import Article
from inbrief.sources.records import article_from_record
from inbrief.store import Store
from inbrief.store.articles import stored_form
from inbrief.store.bulk import CachedSummary, NewArticle, Probe
from inbrief.store.identity import content_hash, text_key

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "cnndm-dev.jsonl.gz"
GOAL_PER_CORE = 500.0
CHUNK = 256


@dataclass(frozen=True)
class Timing:
    """CPU and wall seconds of one step over ``articles`` articles."""

    name: str
    articles: int
    cpu: float
    wall: float

    def line(self, baseline: Timing | None = None) -> str:
        per_core = self.articles / self.cpu if self.cpu > 0 else float("inf")
        rate = self.articles / self.wall if self.wall > 0 else float("inf")
        ratio = ""
        if baseline is not None and self.cpu > 0:
            ratio = f"  {baseline.cpu / self.cpu:5.1f}x CPU, {baseline.wall / self.wall:5.1f}x wall"
        return (
            f"{self.name:<34} {self.cpu:7.2f} {self.wall:7.2f} "
            f"{1000 * self.cpu / self.articles:9.2f} {per_core:9.0f} {rate:9.0f}{ratio}"
        )


def timed(name: str, articles: int, work: Callable[[], object]) -> Timing:
    cpu, wall = time.process_time(), time.perf_counter()
    work()
    return Timing(name, articles, time.process_time() - cpu, time.perf_counter() - wall)


def build_archive(folder: Path, count: int) -> Path:
    path = folder / "archive.jsonl"
    with gzip.open(DATA, "rt", encoding="utf-8") as source, path.open("w") as out:
        for line in itertools.islice(source, count):
            row = json.loads(line)
            out.write(json.dumps({"id": row["id"], "text": row["article"]}) + "\n")
    return path


def fresh_store(folder: Path, name: str) -> Store:
    return Store.open(f"sqlite:///{folder / name}.db")


def one_by_one(store: Store, records: list[dict[str, object]]) -> None:
    for record in records:
        add_article(store, article_from_record(record))


def store_one_by_one(
    store: Store, prepared: list[tuple[Article, tuple[CachedSummary, ...]]]
) -> None:
    for article, summaries in prepared:
        stored, _ = store.add_article(article)
        for summary in summaries:
            store.put_summary(
                summary.cache_key,
                stored.id,
                summary.method,
                summary.method_version,
                summary.budget,
                summary.language,
                summary.payload,
            )


def store_in_chunks(
    store: Store, prepared: list[tuple[Article, tuple[CachedSummary, ...]]]
) -> None:
    for start in range(0, len(prepared), CHUNK):
        part = prepared[start : start + CHUNK]
        store.match_stored([Probe(None, text_key(a.text), content_hash(a.text)) for a, _ in part])
        store.add_articles(
            [NewArticle(article, summaries=summaries) for article, summaries in part]
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    if not DATA.exists():
        print(f"needs {DATA} (the project's evaluation data)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="inbrief-add-speed-") as tmp:
        folder = Path(tmp)
        archive = build_archive(folder, args.articles)
        records = [
            {"id": row["id"], "text": row["text"]}
            for row in map(json.loads, archive.read_text().splitlines())
        ]
        n = len(records)
        # Warm-up: the summarizer's model and the extractor's tables load once per process.
        default_summary_rows(article_from_record(records[0]))
        print(f"{n:,} CNN/DM dev articles; load average {os.getloadavg()[0]:.1f}")
        print(
            f"{'':<34} {'CPU s':>7} {'wall s':>7} {'CPU ms/art':>9} "
            f"{'art/s/core':>9} {'art/s wall':>9}"
        )

        with fresh_store(folder, "one") as store:
            baseline = timed("one by one (add_article)", n, lambda: one_by_one(store, records))
        print(baseline.line())
        with fresh_store(folder, "archive") as store:
            archive_run = timed("archive (add_archive)", n, lambda: add_archive(store, [archive]))
            print(archive_run.line(baseline))
            again = timed(
                "archive again (resume, all stored)", n, lambda: add_archive(store, [archive])
            )
            print(again.line(baseline))

        # The store's part alone: the same articles, their summaries made beforehand.
        articles = [article_from_record(record) for record in records]
        prepared = [(a, default_summary_rows(stored_form(a))) for a in articles]
        print("the store's part (summaries made beforehand):")
        with fresh_store(folder, "store-one") as store:
            store_base = timed(
                "  one by one (1 + 2 commits each)", n, lambda: store_one_by_one(store, prepared)
            )
        print(store_base.line())
        with fresh_store(folder, "store-chunks") as store:
            store_bulk = timed(
                f"  chunks of {CHUNK} (1 commit each)", n, lambda: store_in_chunks(store, prepared)
            )
        print(store_bulk.line(store_base))

        # Where the archive path's CPU goes, step by step (the same work, done apart).
        file = expand_inputs([archive])[0]
        print("the archive path, step by step:")
        steps = [
            timed(
                "  read and parse rows",
                n,
                lambda: list(read_chunks(file, Columns(), CHUNK, frozenset())),
            ),
            timed(
                "  extract (article_from_record)",
                n,
                lambda: [article_from_record(r) for r in records],
            ),
            timed(
                f"  {len(DEFAULT_BUDGETS)} default summaries each",
                n,
                lambda: [default_summary_rows(a) for a in articles],
            ),
            timed(
                "  keys (text key, hash)",
                n,
                lambda: [
                    (text_key(a.text), content_hash(a.text), text_key(r["text"]))
                    for a, r in zip(articles, records, strict=True)
                ],
            ),
        ]
        for step in steps:
            print(step.line())
        print(
            f"goal {GOAL_PER_CORE:.0f} articles/s per core: archive "
            f"{n / archive_run.cpu:.0f}, store part {n / store_bulk.cpu:.0f}, "
            f"one by one {n / baseline.cpu:.0f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
