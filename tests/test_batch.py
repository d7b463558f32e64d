"""Batch summarization on the local engine: real files in every input format, real processes.

The oracle is the library itself: a batch row must be what ``summarize_article`` gives for the
same record, in the JSON shape of ``summary_to_dict`` (the shape ``summarize --jsonl`` streams).
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import inbrief
import inbrief.batch
import inbrief.batch.progress
from inbrief.batch import BatchError, output_format, parquet_schema, run_batch
from inbrief.errors import MethodError
from inbrief.models import Budget
from inbrief.pipeline import summarize_article
from inbrief.render import summary_to_dict
from inbrief.sources.records import article_from_record

# Parquet and .zst need the batch extra; CI installs it, so there a missing one fails the run.
if os.environ.get("CI"):
    import pyarrow as pa
    import pyarrow.parquet as pq
    import zstandard
else:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    zstandard = pytest.importorskip("zstandard")

DEMO = Path(inbrief.__file__).parent / "data" / "demo" / "articles.jsonl"


def demo_rows(count: int, *, start: int = 0) -> list[dict[str, Any]]:
    """``count`` demo articles as archive rows (text in ``body``), cycling with unique ids."""
    articles = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines()]
    rows = []
    for number in range(start, start + count):
        article = articles[number % len(articles)]
        rows.append(
            {
                "id": f"{article['id']}#{number}",
                "title": article["title"],
                "language": article["language"],
                "date": article["date"],
                "url": article["url"],
                "body": article["body"],
            }
        )
    return rows


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def expected_row(row: dict[str, Any], budget: Budget | None = None) -> dict[str, Any]:
    """What a batch must write for ``row``: the library's summary of the same record."""
    record = {
        "id": row["id"],
        "text": row["body"],
        "title": row["title"],
        "language": row["language"],
        "date": row["date"],
        "source_url": row["url"],
    }
    summary = summarize_article(article_from_record(record), budget or Budget())
    return {"id": row["id"], **summary_to_dict(summary)}


def test_rows_are_the_librarys_summaries_in_input_order(tmp_path: Path) -> None:
    rows = demo_rows(7)
    source = write_jsonl(tmp_path / "archive.jsonl", rows)

    report = run_batch([source], tmp_path / "out.jsonl", text_column="body", jobs=2, chunk_size=3)

    assert read_jsonl(tmp_path / "out.jsonl") == [expected_row(row) for row in rows]
    assert (report.read, report.summarized, report.failed, report.skipped) == (7, 7, 0, 0)
    assert report.exit_code == 0
    assert report.workers == 2


def test_budget_and_method_reach_every_row(tmp_path: Path) -> None:
    rows = demo_rows(3)
    source = write_jsonl(tmp_path / "archive.jsonl", rows)
    budget = Budget.from_options(words=40)

    run_batch([source], tmp_path / "out.jsonl", text_column="body", jobs=1, budget=budget)

    written = read_jsonl(tmp_path / "out.jsonl")
    assert [row["budget"] for row in written] == [{"unit": "words", "value": 40}] * 3
    assert written == [expected_row(row, budget) for row in rows]


def test_every_input_format_gives_the_same_rows(tmp_path: Path) -> None:
    rows = demo_rows(4)
    plain = write_jsonl(tmp_path / "a.jsonl", rows)
    with gzip.open(tmp_path / "b.jsonl.gz", "wb") as packed:
        packed.write(plain.read_bytes())
    with (tmp_path / "c.jsonl.zst").open("wb") as packed:
        packed.write(zstandard.ZstdCompressor().compress(plain.read_bytes()))
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "d.parquet", row_group_size=3)
    with (tmp_path / "e.csv").open("w", encoding="utf-8", newline="") as table:
        writer = csv.DictWriter(table, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    inputs = ["a.jsonl", "b.jsonl.gz", "c.jsonl.zst", "d.parquet", "e.csv"]
    report = run_batch(
        [tmp_path / name for name in inputs], tmp_path / "out.jsonl", text_column="body", jobs=2
    )

    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert report.summarized == 20
    blocks = [lines[i : i + 4] for i in range(0, 20, 4)]
    assert all(block == blocks[0] for block in blocks)
    assert [json.loads(line) for line in blocks[0]] == [expected_row(row) for row in rows]


def test_globs_expand_in_sorted_order(tmp_path: Path) -> None:
    rows = demo_rows(4)
    (tmp_path / "in").mkdir()
    write_jsonl(tmp_path / "in" / "2.jsonl", rows[2:])
    write_jsonl(tmp_path / "in" / "1.jsonl", rows[:2])

    run_batch([str(tmp_path / "in" / "*.jsonl")], tmp_path / "out.jsonl", text_column="body")

    assert [row["id"] for row in read_jsonl(tmp_path / "out.jsonl")] == [r["id"] for r in rows]


def test_parquet_output_holds_the_jsonl_rows_as_columns(tmp_path: Path) -> None:
    rows = demo_rows(5)
    source = write_jsonl(tmp_path / "archive.jsonl", [*rows, {"id": "bad"}])
    run_batch([source], tmp_path / "out.jsonl", text_column="body", chunk_size=2)

    report = run_batch([source], tmp_path / "out.parquet", text_column="body", chunk_size=2)

    parts = sorted(p.name for p in (tmp_path / "out.parquet").iterdir())
    assert parts == [f"part-00000-{row:012d}.parquet" for row in (1, 3, 5)]
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.schema.names == parquet_schema().names
    columns = dict.fromkeys(table.schema.names)
    # A sentence struct has room for a written sentence's check too: null for extractive ones.
    fields = dict.fromkeys(parquet_schema().field("sentences").type.value_type.names)
    expected = [
        {
            **columns,
            **row,
            "id": str(row["id"]),
            **(
                {"sentences": [{**fields, **s} for s in row["sentences"]]}
                if "sentences" in row
                else {}
            ),
        }
        for row in read_jsonl(tmp_path / "out.jsonl")
    ]
    assert table.to_pylist() == expected
    assert (report.summarized, report.failed) == (5, 1)


def test_parquet_columns_are_exactly_the_json_fields(tmp_path: Path) -> None:
    json_fields = ["id", "error", *expected_row(demo_rows(1)[0]).keys() - {"id"}]

    assert sorted(parquet_schema().names) == sorted(json_fields)


def test_bad_rows_become_error_rows_and_the_batch_goes_on(tmp_path: Path, refused_url: str) -> None:
    good = demo_rows(2)
    source = tmp_path / "archive.jsonl"
    lines = [
        json.dumps(good[0]).encode(),
        b'{"id": "broken", "body": ',
        json.dumps({"id": "no-text", "title": "Headline only"}).encode(),
        b'{"id": "latin-1", "body": "caf\xe9 au lait"}',
        json.dumps({"body": "An article without an id."}).encode(),
        json.dumps({"id": "page", "url": refused_url}).encode(),
        json.dumps({"id": "local-file", "url": "/etc/hostname"}).encode(),
        b"[1, 2, 3]",
        json.dumps({"id": "blank", "body": "   "}).encode(),
        b"",
        json.dumps(good[1]).encode(),
    ]
    source.write_bytes(b"\n".join(lines) + b"\n")

    report = run_batch([source], tmp_path / "out.jsonl", text_column="body", jobs=2, chunk_size=4)

    written = read_jsonl(tmp_path / "out.jsonl")
    errors = {row["id"]: row["error"] for row in written if "error" in row}
    assert [row["id"] for row in written if "error" not in row] == [good[0]["id"], good[1]["id"]]
    assert errors[f"{source}:2"] == f"{source} line 2: not valid JSON (Expecting value)"
    assert "no article in column 'body' or 'html' or 'url'" in errors["no-text"]
    assert "not valid UTF-8" in errors[f"{source}:4"]
    assert "no id in column 'id'" in errors[f"{source}:5"]
    assert "127.0.0.1" in errors["page"]
    assert "holds no http(s) URL" in errors["local-file"]
    assert errors[f"{source}:8"] == f"{source} line 8: expected a JSON object"
    assert "blank" in errors
    assert len(written) == 10  # the empty line is not a row
    assert (report.summarized, report.failed, report.exit_code) == (2, 8, 1)


def test_a_file_missing_a_column_fails_its_rows_only(tmp_path: Path) -> None:
    rows = demo_rows(2)
    pq.write_table(pa.Table.from_pylist([{"id": "p1", "content": "Text."}]), tmp_path / "a.parquet")
    (tmp_path / "b.csv").write_text("key,body\nk1,Some text here.\n", encoding="utf-8")
    good = write_jsonl(tmp_path / "c.jsonl", rows)

    report = run_batch(
        [tmp_path / "a.parquet", tmp_path / "b.csv", good],
        tmp_path / "out.jsonl",
        text_column="body",
    )

    written = read_jsonl(tmp_path / "out.jsonl")
    assert written[0]["id"] == "p1"
    assert "no column 'body' or 'html' or 'url' for the article" in written[0]["error"]
    assert "(columns: id, content)" in written[0]["error"]
    assert written[1]["id"] == f"{tmp_path / 'b.csv'}:1"
    assert "no column 'id' for the id" in written[1]["error"]
    assert [row["id"] for row in written[2:]] == [row["id"] for row in rows]
    assert (report.summarized, report.failed) == (2, 2)


def test_csv_rows_that_cannot_be_read_are_error_rows(tmp_path: Path) -> None:
    good = demo_rows(1)[0]
    source = tmp_path / "archive.csv"
    source.write_bytes(
        b"id,body\n"
        + b'c1,"'
        + good["body"].replace('"', '""').encode()
        + b'"\n'
        + b"c2,caf\xe9\n"
        + b"c3,one,two\n"
    )

    report = run_batch([source], tmp_path / "out.jsonl", text_column="body")

    written = read_jsonl(tmp_path / "out.jsonl")
    assert [row["id"] for row in written] == ["c1", "c2", "c3"]
    assert "error" not in written[0]
    assert "column 'body' is not valid UTF-8" in written[1]["error"]
    assert "3 fields where the header has 2" in written[2]["error"]
    assert (report.summarized, report.failed) == (1, 2)


def test_a_damaged_file_ends_in_an_error_row_and_the_next_file_is_read(tmp_path: Path) -> None:
    rows = demo_rows(4)
    packed = gzip.compress(write_jsonl(tmp_path / "a.jsonl", rows[:3]).read_bytes())
    (tmp_path / "a.jsonl.gz").write_bytes(packed[: len(packed) // 2])  # a cut download
    good = write_jsonl(tmp_path / "b.jsonl", rows[3:])

    report = run_batch([tmp_path / "a.jsonl.gz", good], tmp_path / "out.jsonl", text_column="body")

    written = read_jsonl(tmp_path / "out.jsonl")
    damaged = [row for row in written if "error" in row]
    assert len(damaged) == 1
    assert damaged[0]["id"].startswith(f"{tmp_path / 'a.jsonl.gz'}:")
    assert "and on: unreadable (EOFError" in damaged[0]["error"]
    assert written[-1]["id"] == rows[3]["id"]
    assert report.failed == 1
    assert report.exit_code == 1


def test_a_rerun_skips_done_ids_and_writes_what_one_run_writes(tmp_path: Path) -> None:
    rows = demo_rows(9)
    whole = write_jsonl(tmp_path / "whole.jsonl", rows)
    run_batch([whole], tmp_path / "fresh.jsonl", text_column="body", chunk_size=4)

    first = write_jsonl(tmp_path / "first.jsonl", rows[:5])
    run_batch([first], tmp_path / "resumed.jsonl", text_column="body", chunk_size=4)
    report = run_batch([whole], tmp_path / "resumed.jsonl", text_column="body", chunk_size=4)

    assert (report.read, report.skipped, report.summarized) == (9, 5, 4)
    assert (tmp_path / "resumed.jsonl").read_bytes() == (tmp_path / "fresh.jsonl").read_bytes()


def test_a_torn_last_line_is_cut_and_only_its_row_redone(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "archive.jsonl", demo_rows(5))
    out = tmp_path / "out.jsonl"
    run_batch([source], out, text_column="body")
    complete = out.read_bytes()
    out.write_bytes(complete[: len(complete) - 100])  # died in the middle of the last append

    report = run_batch([source], out, text_column="body")

    assert (report.skipped, report.summarized) == (4, 1)
    assert out.read_bytes() == complete


def test_a_parquet_rerun_redoes_only_missing_parts(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "archive.jsonl", demo_rows(6))
    out = tmp_path / "out.parquet"
    run_batch([source], out, text_column="body", chunk_size=2)
    before = {part.name: part.read_bytes() for part in out.iterdir()}
    (out / "part-00000-000000000003.parquet").unlink()
    (out / ".part-00000-000000000005.parquet.tmp123").write_bytes(b"half a part")

    report = run_batch([source], out, text_column="body", chunk_size=2)

    assert (report.skipped, report.summarized) == (4, 2)
    assert {part.name: part.read_bytes() for part in out.iterdir()} == before


def test_a_rerun_retries_failed_rows_and_keeps_one_row_per_id(tmp_path: Path) -> None:
    rows = demo_rows(5)
    broken = [*rows[:2], {"id": rows[2]["id"], "body": ""}, *rows[3:]]  # row 3 has no text
    out = tmp_path / "out.jsonl"
    run_batch([write_jsonl(tmp_path / "a.jsonl", broken)], out, text_column="body", chunk_size=2)

    fixed = write_jsonl(tmp_path / "b.jsonl", rows)  # the same ids, row 3 now with its text
    report = run_batch([fixed], out, text_column="body", chunk_size=2)

    assert (report.skipped, report.retried, report.summarized, report.failed) == (4, 1, 1, 0)
    assert "retried 1 failed row in" in report.describe()
    written = read_jsonl(out)
    assert sorted(row["id"] for row in written) == sorted(row["id"] for row in rows)
    assert sorted(written, key=lambda row: row["id"]) == sorted(
        (expected_row(row) for row in rows), key=lambda row: row["id"]
    )


def test_a_row_that_fails_again_is_still_one_error_row(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "archive.jsonl", [*demo_rows(2), {"id": "x"}])
    out = tmp_path / "out.jsonl"
    run_batch([source], out, text_column="body")

    again = run_batch([source], out, text_column="body")

    assert (again.skipped, again.retried, again.failed) == (2, 1, 1)
    assert [row["id"] for row in read_jsonl(out)].count("x") == 1


def test_a_parquet_rerun_retries_failed_rows_and_keeps_the_others(tmp_path: Path) -> None:
    rows = demo_rows(6)
    broken = [row if n not in (1, 4) else {"id": row["id"]} for n, row in enumerate(rows)]
    out = tmp_path / "out.parquet"
    run_batch([write_jsonl(tmp_path / "a.jsonl", broken)], out, text_column="body", chunk_size=3)
    before = {part.name: part.read_bytes() for part in out.iterdir()}

    fixed = write_jsonl(tmp_path / "b.jsonl", rows)
    report = run_batch([fixed], out, text_column="body", chunk_size=3)

    assert (report.skipped, report.retried, report.summarized, report.failed) == (4, 2, 2, 0)
    table = pq.read_table(out).to_pylist()
    assert sorted(row["id"] for row in table) == sorted(row["id"] for row in rows)
    assert all(row["error"] is None for row in table)
    assert not set(before) & {part.name for part in out.iterdir()}  # both parts had a failure


def test_a_failed_run_removes_the_output_it_created_and_only_that(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def engine_that_breaks(*args: Any) -> Any:
        raise BatchError("the engine broke")
        yield

    monkeypatch.setattr(inbrief.batch, "run_local", engine_that_breaks)
    source = write_jsonl(tmp_path / "archive.jsonl", demo_rows(1))
    (tmp_path / "kept").mkdir()

    for out in (tmp_path / "new" / "out.parquet", tmp_path / "kept" / "new" / "out.jsonl"):
        with pytest.raises(BatchError, match="the engine broke"):
            run_batch([source], out, text_column="body")

    assert sorted(path.name for path in tmp_path.iterdir()) == ["archive.jsonl", "kept"]
    assert list((tmp_path / "kept").iterdir()) == []


def test_a_failed_rerun_leaves_the_output_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_jsonl(tmp_path / "archive.jsonl", demo_rows(2))
    out = tmp_path / "out.jsonl"
    run_batch([write_jsonl(tmp_path / "first.jsonl", demo_rows(1))], out, text_column="body")
    written = out.read_bytes()

    def engine_that_breaks(*args: Any) -> Any:
        raise BatchError("the engine broke")
        yield

    monkeypatch.setattr(inbrief.batch, "run_local", engine_that_breaks)
    with pytest.raises(BatchError):
        run_batch([source], out, text_column="body")

    assert out.read_bytes() == written


def test_without_a_terminal_progress_is_a_line_now_and_then(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(inbrief.batch.progress, "PROGRESS_LINE_SECONDS", 0.0)  # every chunk
    source = write_jsonl(tmp_path / "archive.jsonl", [*demo_rows(2), {"id": "x"}])

    run_batch([source], tmp_path / "out.jsonl", text_column="body", jobs=1, chunk_size=1)

    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 3
    assert lines[-1].startswith("inbrief: 3 rows (2 summarized, 1 failed, 0 skipped), ")
    assert "articles/s, " in lines[-1] and "% of the input" in lines[-1]


def test_without_a_terminal_no_progress_line_comes_before_its_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(inbrief.batch.progress, "PROGRESS_LINE_SECONDS", 3600.0)
    source = write_jsonl(tmp_path / "archive.jsonl", demo_rows(2))

    run_batch([source], tmp_path / "out.jsonl", text_column="body", jobs=1, chunk_size=1)

    assert capsys.readouterr().err == ""


def test_failed_rows_are_reported_in_input_order(tmp_path: Path) -> None:
    rows = [{"id": "a"}, *demo_rows(1), {"id": "b", "body": "  "}]
    source = write_jsonl(tmp_path / "archive.jsonl", rows)
    reported: list[str] = []

    run_batch([source], tmp_path / "out.jsonl", text_column="body", on_failure=reported.append)

    errors = {row["id"]: row["error"] for row in read_jsonl(tmp_path / "out.jsonl")[::2]}
    assert reported == [errors["a"], f"id b: {errors['b']}"]


_RUN_IN_CHILD = """
import sys
from inbrief.batch import BatchInterrupted, run_batch
try:
    run_batch([sys.argv[1]], sys.argv[2], text_column="body", jobs=1, chunk_size=4)
except BatchInterrupted as exc:
    print(exc, file=sys.stderr)
    sys.exit(130)
"""


def _start_child(source: Path, out: Path) -> subprocess.Popen[bytes]:
    # Its own session: the test can tell which processes are the batch's (and clean them up).
    return subprocess.Popen(
        [sys.executable, "-c", _RUN_IN_CHILD, str(source), str(out)],
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _wait_for_lines(out: Path, count: int, child: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= count:
            return
        time.sleep(0.02)
    pytest.fail("the batch wrote nothing in time (or ended first)")


def _processes_of_session(session: int, wait: float) -> list[int]:
    """Processes still in ``session`` after up to ``wait`` seconds; any left are then killed."""
    deadline = time.monotonic() + wait
    while True:
        left = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[3]) == session and fields[0] != "Z":
                    left.append(int(stat.parent.name))
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(session, signal.SIGKILL)
    return left


def test_a_killed_run_resumes_without_redoing_or_losing_rows(tmp_path: Path) -> None:
    rows = demo_rows(120)
    source = write_jsonl(tmp_path / "archive.jsonl", rows)
    out = tmp_path / "out.jsonl"
    child = _start_child(source, out)
    _wait_for_lines(out, 8, child)

    child.kill()  # SIGKILL to the main process alone, as `kill -9 <pid>` would
    child.wait()
    left = _processes_of_session(child.pid, wait=15)
    kept = out.read_bytes().count(b"\n")
    report = run_batch([source], out, text_column="body", jobs=2, chunk_size=4)

    assert left == []  # the workers, the fork server and the tracker went with it
    assert 8 <= kept < 120
    assert (report.skipped, report.summarized) == (kept, 120 - kept)
    run_batch([source], tmp_path / "fresh.jsonl", text_column="body", jobs=2)
    assert out.read_bytes() == (tmp_path / "fresh.jsonl").read_bytes()


def test_ctrl_c_stops_cleanly_and_says_how_to_resume(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "archive.jsonl", demo_rows(120))
    out = tmp_path / "out.jsonl"
    child = _start_child(source, out)
    _wait_for_lines(out, 4, child)

    child.send_signal(signal.SIGINT)
    _, stderr = child.communicate(timeout=60)

    assert child.returncode == 130
    assert b"run the same command again to resume" in stderr
    assert b"Traceback" not in stderr
    report = run_batch([source], out, text_column="body", jobs=2)
    assert report.skipped + report.summarized == 120
    assert [row["id"] for row in read_jsonl(out)] == [row["id"] for row in demo_rows(120)]


def test_progress_bar_shows_articles_per_second(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_jsonl(tmp_path / "archive.jsonl", demo_rows(3))

    run_batch([source], tmp_path / "out.jsonl", text_column="body", progress=True)

    assert "articles/s" in capsys.readouterr().err


def test_report_describes_the_run(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "archive.jsonl", [*demo_rows(2), {"id": "x"}])

    report = run_batch([source], tmp_path / "out.jsonl", text_column="body", jobs=1)

    line = report.describe()
    assert line.startswith("3 read: 2 summarized, 1 failed, 0 skipped")
    assert "articles/s on 1 local worker" in line


@pytest.mark.parametrize(
    ("inputs", "out", "message"),
    [
        (["nothing-*.jsonl"], "out.jsonl", "no file matches"),
        (["missing.jsonl"], "out.jsonl", "missing.jsonl: no such file"),
        (["archive.txt"], "out.jsonl", "unknown input format"),
        (["archive.jsonl"], "out.csv", "--out must end in .jsonl or .parquet"),
        (["archive.jsonl"], "archive.jsonl", "is also an input"),
        ([], "out.jsonl", "name at least one input"),
    ],
)
def test_a_batch_that_cannot_start_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, inputs: list[str], out: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write_jsonl(tmp_path / "archive.jsonl", demo_rows(1))
    (tmp_path / "archive.txt").write_text("text", encoding="utf-8")

    with pytest.raises(BatchError, match=message):
        run_batch(inputs, out)


def test_an_unknown_method_fails_before_any_work(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "archive.jsonl", demo_rows(1))

    with pytest.raises(MethodError):
        run_batch([source], tmp_path / "out.jsonl", method="no-such-method")
    assert not (tmp_path / "out.jsonl").exists()


def test_an_output_that_is_not_a_batch_output_is_left_alone(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "archive.jsonl", demo_rows(1))
    notes = tmp_path / "notes.jsonl"
    notes.write_text('{"name": "my own file"}\n', encoding="utf-8")

    with pytest.raises(BatchError, match="not a batch output row"):
        run_batch([source], notes, text_column="body")
    assert notes.read_text(encoding="utf-8") == '{"name": "my own file"}\n'


def test_output_format_follows_the_suffix() -> None:
    assert output_format("a/summaries.jsonl") == "jsonl"
    assert output_format("summaries.parquet") == "parquet"
