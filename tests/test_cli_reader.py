"""The reader's and the evaluator's commands: ``add``, ``feeds``, ``eval``, as a user runs them."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from test_cli import DEMO, DEMO_PAGE, demo_text, run

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'reader.db'}"


def test_add_stores_an_article_once(database: str) -> None:
    first = run("add", str(DEMO_PAGE), "--database", database)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("added: #1 ")
    again = run("add", str(DEMO_PAGE), "--database", database)
    assert again.stdout.startswith("already stored: #1 ")


def test_add_reports_a_bad_source_and_keeps_the_good_one(database: str, tmp_path: Path) -> None:
    result = run("add", str(tmp_path / "gone.html"), str(DEMO_PAGE), "--database", database)
    assert result.returncode == 1
    assert "gone.html" in result.stderr and "Traceback" not in result.stderr
    assert "added: #1" in result.stdout


def test_feeds_add_and_poll_bring_in_the_entries(database: str, http_server) -> None:  # type: ignore[no-untyped-def]
    rss = (DEMO / "feeds" / "globalvoices-feature-2009-06-11.rss").read_bytes()
    url = http_server.route("/feed.rss", rss, content_type="application/rss+xml")
    subscribed = run("feeds", "add", url, "--database", database)
    assert subscribed.returncode == 0, subscribed.stderr
    polled = run("feeds", "poll", "--database", database)
    assert polled.returncode == 0, polled.stderr
    assert "15 new" in polled.stdout
    again = run("feeds", "poll", "--database", database)
    assert "0 new" in again.stdout or "not modified" in again.stdout


def test_feeds_poll_reports_a_feed_that_is_not_a_feed(database: str, http_server) -> None:  # type: ignore[no-untyped-def]
    url = http_server.route("/page.html", DEMO_PAGE.read_bytes())
    run("feeds", "add", url, "--database", database)
    result = run("feeds", "poll", "--database", database)
    assert result.returncode == 1
    assert "not an RSS or Atom feed" in result.stderr
    assert "Traceback" not in result.stderr


def test_feeds_poll_rejects_a_bad_interval(database: str) -> None:
    result = run("feeds", "poll", "--every", "soon", "--database", database)
    assert result.returncode == 2
    assert "--every" in result.stderr


def test_eval_summaries_scores_a_small_dataset(tmp_path: Path) -> None:
    dataset = tmp_path / "tiny.jsonl.gz"
    with gzip.open(dataset, "wt", encoding="utf-8") as sink:
        for index in range(3):
            text = demo_text(index)
            reference = "\n".join(text.split(". ")[:2])
            sink.write(json.dumps({"id": str(index), "article": text, "reference": reference}))
            sink.write("\n")
    result = run("eval", "summaries", str(dataset), "--baseline", "lead", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["articles"] == 3
    assert 0 < report["rouge1"] <= 100
    assert report["baseline"]["method"] == "lead"


@pytest.mark.skipif(not (DATA / "extraction-dev").is_dir(), reason="../shared/data absent")
def test_eval_extraction_prints_inbrief_beside_trafilatura() -> None:
    result = run("eval", "extraction", str(DATA / "extraction-dev"), "--json")
    assert result.returncode == 0, result.stderr
    rows = {row["extractor"]: row for row in json.loads(result.stdout)}
    assert rows["inbrief"]["pages"] == 83
    assert rows["inbrief"]["f1"] >= rows["trafilatura"]["f1"]


def test_batch_summarizes_a_jsonl_file_and_resumes(tmp_path: Path) -> None:
    rows = [{"id": f"a{i}", "text": demo_text(i)} for i in range(4)]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in rows) + "\n{broken\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    first = run("batch", str(source), "--out", str(out), "--jobs", "1", "--sentences", "2")
    assert first.returncode == 1  # the broken line is an error row
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines][:4] == ["a0", "a1", "a2", "a3"]
    assert all(len(line["summary"]) == 2 for line in lines[:4])
    assert "error" in lines[4]
    again = run("batch", str(source), "--out", str(out), "--jobs", "1", "--sentences", "2")
    assert again.returncode == 0
    assert "5 skipped" in again.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5


def test_batch_rejects_an_unknown_engine(tmp_path: Path) -> None:
    result = run("batch", "x.jsonl", "--out", str(tmp_path / "o.jsonl"), "--engine", "spark")
    assert result.returncode == 2
    assert "--engine" in result.stderr
