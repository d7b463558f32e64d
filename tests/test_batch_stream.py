"""A JSONL stream answered in this process (``summarize --jsonl``), on the batch's own code.

The oracle is ``run_batch``: for the same records, a stream must print exactly the lines a batch
writes, since both read, work and encode with the same functions.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

import inbrief.batch.work
from inbrief.batch import run_batch
from inbrief.batch.stream import stream_jsonl
from inbrief.errors import MethodError
from inbrief.models import Budget
from inbrief.render import article_to_dict
from inbrief.sources.records import article_from_record

DEMO = Path(inbrief.batch.work.__file__).parents[1] / "data" / "demo" / "articles.jsonl"


def records(count: int) -> str:
    """``count`` demo articles as ``{"id", "text"}`` JSONL, the shape both engines read alike."""
    lines = DEMO.read_text(encoding="utf-8").splitlines()[:count]
    rows = [json.loads(line) for line in lines]
    return "".join(json.dumps({"id": row["id"], "text": row["body"]}) + "\n" for row in rows)


def test_a_stream_prints_the_lines_a_batch_writes(tmp_path: Path) -> None:
    text = records(3)
    source = tmp_path / "in.jsonl"
    source.write_text(text, encoding="utf-8")
    budget = Budget.from_options(words=50)
    run_batch([source], tmp_path / "out.jsonl", budget=budget, keywords=2, jobs=1)
    sink = io.StringIO()

    totals = stream_jsonl(io.StringIO(text), sink, budget=budget, keywords=2)

    assert sink.getvalue() == (tmp_path / "out.jsonl").read_text(encoding="utf-8")
    assert (totals.read, totals.summarized, totals.failed) == (3, 3, 0)


def test_extract_streams_each_records_article() -> None:
    text = records(2)
    sink = io.StringIO()

    stream_jsonl(io.StringIO(text), sink, task="extract")

    expected = []
    for line in text.splitlines():
        record = json.loads(line)
        expected.append({"id": record["id"], **article_to_dict(article_from_record(record))})
    assert [json.loads(line) for line in sink.getvalue().splitlines()] == expected


def test_a_bug_on_one_record_is_an_error_line_and_the_stream_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = inbrief.batch.work.summarize_article
    calls = []

    def summarize_article(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        if len(calls) == 1:
            raise RuntimeError("boom")
        return real(*args, **kwargs)

    monkeypatch.setattr(inbrief.batch.work, "summarize_article", summarize_article)
    sink = io.StringIO()

    totals = stream_jsonl(io.StringIO(records(2)), sink)

    first, second = (json.loads(line) for line in sink.getvalue().splitlines())
    assert first["error"] == "internal error (RuntimeError: boom); please report it"
    assert second["summary"]
    assert (totals.summarized, totals.failed) == (1, 1)


def test_an_unknown_method_fails_before_any_line_is_read() -> None:
    lines = io.StringIO(records(1))

    with pytest.raises(MethodError):
        stream_jsonl(lines, io.StringIO(), method="no-such-method")
    assert lines.tell() == 0


def test_each_failed_record_is_reported_with_its_line() -> None:
    text = records(1) + '{"id": "empty", "text": ""}\n' + "{broken\n"
    reported: list[str] = []
    sink = io.StringIO()

    stream_jsonl(io.StringIO(text), sink, on_failure=reported.append)

    errors = [json.loads(line)["error"] for line in sink.getvalue().splitlines()[1:]]
    assert reported == [f"line 2: {errors[0]}", errors[1]]
    assert errors[1].startswith("line 3: not valid JSON")  # a line that is not JSON names itself
