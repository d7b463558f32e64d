"""``inbrief add --jsonl``: archives into the reader, a chunk of rows per transaction.

Every test runs on a real database: a SQLite file and, when ``INBRIEF_TEST_POSTGRES_URL`` is set,
a PostgreSQL schema (the ``new_database`` fixture of ``test_store.py``).  The command runs as a
real process; the archives are look-alike news written here.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_store import new_database  # noqa: F401  (the fixture: a SQLite file or a PG schema)

from inbrief.batch.inputs import Columns
from inbrief.cache import summary_key
from inbrief.ingest import DEFAULT_BUDGETS, ArchiveRow, add_archive
from inbrief.models import Article
from inbrief.pipeline import summarize_article
from inbrief.render import summary_to_dict
from inbrief.store import Store, StoredArticle

PLACES = ["Harbourton", "Millbrook", "Eastcliff", "Northvale", "Redwater", "Stonebridge"]
BODIES = ["council", "school board", "water authority", "transport office", "port trust"]
THINGS = ["budget", "bridge repair", "bus route", "flood barrier", "library plan", "tax rate"]


def story(n: int) -> str:
    """A short news story, different for every ``n``."""
    place, body = PLACES[n % len(PLACES)], BODIES[n % len(BODIES)]
    thing = THINGS[(n // 3) % len(THINGS)]
    return (
        f"The {body} of {place} approved the {thing} on Monday after a vote of {n + 3} to 2. "
        f"Officials said the work would begin in {2030 + n % 7} and cost {n + 11} million. "
        f"Residents of {place} had asked for the {thing} for {n % 9 + 2} years. "
        f"The mayor called it a fair result for ward {n}. "
        f"Opponents said the {body} moved too fast and promised to appeal."
    )


def write_jsonl(path: Path, rows: list[dict[str, Any] | str]) -> Path:
    lines = [row if isinstance(row, str) else json.dumps(row) for row in rows]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def inbrief_add(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "inbrief", "add", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def stored_with_summaries(store: Store, stored: StoredArticle) -> bool:
    return all(
        store.get_summary(summary_key(stored, budget)) is not None for budget in DEFAULT_BUDGETS
    )


@pytest.fixture
def database(new_database: Callable[[], str]) -> str:  # noqa: F811
    return new_database()


def test_each_row_is_stored_with_the_summaries_a_reader_would_be_served(
    database: str, tmp_path: Path
) -> None:
    archive = write_jsonl(tmp_path / "a.jsonl", [{"id": n, "text": story(n)} for n in range(5)])
    with Store.open(database) as store:
        report = add_archive(store, [archive], chunk_size=2)
        assert (report.read, report.added, report.failed) == (5, 5, 0)
        for item in store.list_articles(limit=10).items:
            for budget in DEFAULT_BUDGETS:
                payload = store.get_summary(summary_key(item, budget))
                assert payload is not None
                fresh = summary_to_dict(summarize_article(item.article, budget))
                assert json.loads(payload) == fresh


def test_a_bad_row_fails_alone_and_its_line_names_it(database: str, tmp_path: Path) -> None:
    archive = write_jsonl(
        tmp_path / "mixed.jsonl",
        [
            {"id": "good-1", "text": story(1)},
            '{"id": "broken", "text": ',
            {"id": "empty", "text": "   "},
            {"id": "no-text", "html": "<html><body><nav>Home</nav></body></html>"},
            {"id": "good-2", "text": story(2)},
        ],
    )
    done = inbrief_add("--jsonl", str(archive), "--database", database)
    assert done.returncode == 1
    assert done.stdout.splitlines() == ["added: #1 id good-1", "added: #2 id good-2"]
    failures = [line for line in done.stderr.splitlines() if " line " in line]
    assert len(failures) == 3
    for line, number in zip(failures, (2, 3, 4), strict=True):
        assert line.startswith(f"inbrief: {archive} line {number}")
    assert "no-text" in failures[2]
    assert done.stderr.splitlines()[-1].startswith("inbrief: 5 read: 2 added, 3 failed")
    with Store.open(database) as store:
        assert store.list_articles(limit=10).total == 2


def test_a_second_run_skips_stored_rows_and_adds_only_the_new_ones(
    database: str, tmp_path: Path
) -> None:
    first = write_jsonl(tmp_path / "a.jsonl", [{"id": n, "text": story(n)} for n in range(3)])
    longer = write_jsonl(tmp_path / "b.jsonl", [{"id": n, "text": story(n)} for n in range(4)])
    with Store.open(database) as store:
        before = {row.id: row.stored for row in _rows(store, first)}
        again = _rows(store, longer)
    assert [(row.id, row.created) for row in again] == [
        (0, False),
        (1, False),
        (2, False),
        (3, True),
    ]
    assert [row.stored for row in again[:3]] == [before[0], before[1], before[2]]


def test_a_stored_article_without_summaries_gets_them(database: str, tmp_path: Path) -> None:
    archive = write_jsonl(tmp_path / "a.jsonl", [{"id": 1, "text": story(1)}])
    with Store.open(database) as store:
        lacking, _ = store.add_article(Article(text=story(1)))
        assert not stored_with_summaries(store, lacking)
        (row,) = _rows(store, archive)
        assert row.stored == lacking and not row.created
        assert stored_with_summaries(store, lacking)


def test_the_same_story_twice_in_one_chunk_is_stored_once(database: str, tmp_path: Path) -> None:
    rows: list[dict[str, Any] | str] = [
        {"id": "a", "text": story(4)},
        {"id": "b", "text": story(4).upper()},  # the same words: the same article
    ]
    archive = write_jsonl(tmp_path / "twice.jsonl", rows)
    with Store.open(database) as store:
        first, second = _rows(store, archive)
        assert first.created and not second.created
        assert second.stored is not None and first.stored is not None
        assert second.stored.id == first.stored.id
        assert store.list_articles(limit=10).total == 1


def test_progress_is_reported_after_each_committed_chunk(database: str, tmp_path: Path) -> None:
    archive = write_jsonl(tmp_path / "a.jsonl", [{"id": n, "text": story(n)} for n in range(5)])
    seen: list[tuple[int, int]] = []
    with Store.open(database) as store:
        add_archive(
            store,
            [archive],
            chunk_size=2,
            on_progress=lambda consumed, totals: seen.append((consumed, totals.read)),
        )
    assert [read for _, read in seen] == [2, 4, 5]
    assert seen[-1][0] == archive.stat().st_size


def test_parquet_and_csv_archives_read_their_columns(database: str, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    parquet = tmp_path / "news.parquet"
    table = pa.table({"guid": ["p1", "p2"], "body": [story(10), story(11)], "title": ["A", "B"]})
    pq.write_table(table, parquet)
    spreadsheet = tmp_path / "news.csv"
    with spreadsheet.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["guid", "body"])
        writer.writerows([["c1", story(12)], ["c2", story(10)]])  # c2 repeats p1
    columns = ("--id-column", "guid", "--text-column", "body")
    done = inbrief_add(
        "--jsonl", str(parquet), "--jsonl", str(spreadsheet), "-d", database, *columns
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "added: #1 id p1",
        "added: #2 id p2",
        "added: #3 id c1",
        "already stored: #1 id c2",
    ]
    with Store.open(database) as store:
        titles = sorted(item.article.title or "" for item in store.list_articles(limit=9).items)
        assert titles[-2:] == ["A", "B"]


def test_a_missing_archive_is_one_line(tmp_path: Path) -> None:
    done = inbrief_add("--jsonl", str(tmp_path / "nowhere.jsonl"), "-d", str(tmp_path / "x.db"))
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == f"inbrief: {tmp_path / 'nowhere.jsonl'}: no such file"
    assert "Traceback" not in done.stderr


def test_kill_9_keeps_every_acknowledged_row_and_a_rerun_adds_the_rest(
    database: str, tmp_path: Path
) -> None:
    total = 600
    archive = write_jsonl(
        tmp_path / "big.jsonl", [{"id": f"s{n}", "text": story(n)} for n in range(total)]
    )
    command = [sys.executable, "-m", "inbrief", "add", "--jsonl", str(archive)]
    command += ["--database", database, "--chunk-size", "40"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    acknowledged: list[int] = []
    deadline = time.monotonic() + 240
    # Kill it in the middle of a chunk: after two chunks are acknowledged, a few rows into
    # the third one's work.
    while len(acknowledged) < 80 and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        acknowledged.append(int(line.split("#")[1].split(" ")[0]))
    time.sleep(0.3)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert 80 <= len(acknowledged) < total, "the run ended before it could be killed"
    with Store.open(database) as store:
        for article_id in acknowledged:
            stored = store.get_article(article_id)
            assert stored is not None and stored_with_summaries(store, stored)
    again = inbrief_add("--jsonl", str(archive), "--database", database)
    assert again.returncode == 0, again.stderr
    lines = again.stdout.splitlines()
    assert len(lines) == total
    assert sum(line.startswith("already stored: ") for line in lines) >= len(acknowledged)
    with Store.open(database) as store:
        page = store.list_articles(limit=total + 10)
        assert page.total == total
        assert all(stored_with_summaries(store, item) for item in page.items)


def _rows(store: Store, archive: Path) -> list[ArchiveRow]:
    rows: list[ArchiveRow] = []
    add_archive(store, [archive], columns=Columns(), on_row=rows.append)
    return rows
