"""Evaluation data stays in ../shared/data: no test may carry an 8-word run of its articles.

Tests write look-alikes instead.  Skips in a clone without ../shared (nothing to compare with).
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
DATA = TESTS.parent.parent / "shared" / "data"
RUN = 8
_WORD = re.compile(r"\w+")

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason="no ../shared/data beside the project")


def _runs(text: str) -> Iterator[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    for i in range(len(words) - RUN + 1):
        yield tuple(words[i : i + RUN])


def _evaluation_texts() -> Iterator[tuple[str, str]]:
    for dataset in sorted(DATA.glob("*.jsonl.gz")):
        with gzip.open(dataset, "rt", encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                yield f"{dataset.name} {record.get('id')}", record.get("article") or ""
    truth = json.loads((DATA / "extraction-dev" / "ground_truth.json").read_text("utf-8"))
    for page, text in sorted(truth.items()):
        yield f"extraction-dev {page}", text


def _test_runs() -> dict[tuple[str, ...], str]:
    runs: dict[tuple[str, ...], str] = {}
    for path in sorted(TESTS.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".html", ".txt", ".json", ".jsonl"}:
            for run in _runs(path.read_text(encoding="utf-8", errors="replace")):
                runs.setdefault(run, path.name)
    return runs


def test_no_test_file_quotes_eight_words_of_an_evaluation_article() -> None:
    in_tests = _test_runs()
    quoted = set()
    for where, text in _evaluation_texts():
        for run in _runs(text):
            if run in in_tests:
                quoted.add(f"{in_tests[run]}: {' '.join(run)!r} (from {where})")
    assert sorted(quoted) == []
