"""The reader's and the evaluator's commands: ``add``, ``feeds``, ``eval``, as a user runs them."""

from __future__ import annotations

import gzip
import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_cli import DEMO, DEMO_PAGE, assert_one_line_error, demo_text, run

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


def test_add_from_stdin_says_where_the_article_came_from(database: str) -> None:
    result = run("add", "-", "--database", database, stdin=demo_text().encode())
    assert result.returncode == 0, result.stderr
    assert result.stdout == "added: #1 from standard input\n"


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port on 127.0.0.1 that a socket of this test listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield int(holder.getsockname()[1])


def test_serve_on_a_taken_port_says_so_and_creates_no_database(
    tmp_path: Path, taken_port: int
) -> None:
    database = tmp_path / "new" / "reader.db"
    result = run("serve", "--port", str(taken_port), "--database", f"sqlite:///{database}")
    assert result.returncode == 1
    assert_one_line_error(result, f"cannot listen on 127.0.0.1:{taken_port}", "--port")
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("port", ["99999", "65536", "-1"])
def test_serve_on_a_port_out_of_range_is_a_usage_error(tmp_path: Path, port: str) -> None:
    database = tmp_path / "reader.db"
    result = run("serve", "--port", port, "--database", f"sqlite:///{database}")
    assert result.returncode == 2
    assert_one_line_error(result, "--port must be a number from 0 to 65535", port)
    assert not database.exists()


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
    assert again.returncode == 1  # the broken line is tried again, and fails again
    assert "4 skipped" in again.stderr and "retried 1 failed row " in again.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5


def test_batch_retries_a_row_that_failed_and_keeps_one_row_per_id(
    tmp_path: Path,
    http_server,  # type: ignore[no-untyped-def]
) -> None:
    url = http_server.route("/story.html", "busy", status=503)
    source = tmp_path / "in.jsonl"
    rows = [{"id": "page", "url": url}, {"id": "text", "text": demo_text()}]
    source.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    first = run("batch", str(source), "--out", str(out), "--jobs", "1")
    assert first.returncode == 1
    http_server.route("/story.html", DEMO_PAGE.read_bytes())  # the site is back

    again = run("batch", str(source), "--out", str(out), "--jobs", "1")

    assert again.returncode == 0, again.stderr
    assert "1 summarized, 0 failed, 1 skipped" in again.stderr
    assert "retried 1 failed row " in again.stderr
    written = {row["id"]: row for row in map(json.loads, out.read_text().splitlines())}
    assert sorted(written) == ["page", "text"]  # one row per id: the error row is gone
    assert "error" not in written["page"] and written["page"]["summary"]


def test_batch_reports_each_failed_row_on_stderr(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    rows = [{"id": "good", "text": demo_text()}, {"id": 7, "text": " "}]
    source.write_text("".join(json.dumps(row) + "\n" for row in rows) + "{broken\n")
    out = tmp_path / "out.jsonl"

    result = run("batch", str(source), "--out", str(out), "--jobs", "1")

    errors = {row["id"]: row["error"] for row in map(json.loads, out.read_text().splitlines()[1:])}
    assert result.stderr.splitlines()[:2] == [
        f"inbrief: id 7: {errors[7]}",
        f"inbrief: {errors[f'{source}:3']}",  # a line that cannot be read names file and line
    ]
    assert errors[f"{source}:3"].startswith(f"{source} line 3: not valid JSON")
    assert result.stderr.splitlines()[2].startswith("inbrief: 3 read: 1 summarized, 2 failed")


def test_batch_shows_the_first_20_failed_rows_then_counts_the_rest(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("{broken\n" * 25)
    out = tmp_path / "out.jsonl"

    result = run("batch", str(source), "--out", str(out), "--jobs", "1")

    lines = result.stderr.splitlines()
    assert lines[:20] == [
        f"inbrief: {source} line {n}: not valid JSON (Expecting property name enclosed in "
        "double quotes)"
        for n in range(1, 21)
    ]
    assert lines[20] == f"inbrief: only the first 20 failed rows are shown here; see {out}"
    assert lines[21] == f"inbrief: 5 more failed rows not shown: each has its error in {out}"
    assert lines[22].startswith("inbrief: 25 read: 0 summarized, 25 failed")
    assert len(lines) == 23


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--out", "y.txt"], "--out must end in .jsonl or .parquet"),
        (["--out", "o.jsonl", "--jobs", "0"], "--jobs must be at least 1"),
        (["--out", "o.jsonl", "--address", "auto"], "use it with --engine ray"),
        (["--out", "in.jsonl"], "is also an input"),
        (
            [
                "--out",
                "o.jsonl",
                "--text-column",
                "none",
                "--html-column",
                "none",
                "--url-column",
                "none",
            ],
            "give at least one of the text, html or url columns",
        ),
        (["notes.txt", "--out", "o.jsonl"], "unknown input format"),
    ],
)
def test_batch_options_that_cannot_work_are_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.jsonl").write_text(json.dumps({"id": "a", "text": demo_text()}) + "\n")
    (tmp_path / "notes.txt").write_text("notes")
    inputs = [] if options[0] == "notes.txt" else ["in.jsonl"]

    result = run("batch", *inputs, *options)

    assert result.returncode == 2
    assert_one_line_error(result, message)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "notes.txt"]


def test_batch_on_a_missing_input_fails_with_exit_1(tmp_path: Path) -> None:
    result = run("batch", str(tmp_path / "gone.jsonl"), "--out", str(tmp_path / "o.jsonl"))
    assert result.returncode == 1
    assert_one_line_error(result, "gone.jsonl: no such file")


def test_batch_rejects_an_unknown_engine(tmp_path: Path) -> None:
    result = run("batch", "x.jsonl", "--out", str(tmp_path / "o.jsonl"), "--engine", "spark")
    assert result.returncode == 2
    assert "--engine" in result.stderr
