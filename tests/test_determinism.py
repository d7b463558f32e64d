"""The same article and options give the same summary in every process: no hash seed, warm
cache or dictionary order may change which sentences are chosen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

DEMO = Path(str(resources.files("inbrief") / "data" / "demo"))
METHODS = ("news", "lead", "textrank", "lexrank", "centrality")


def _batch_of_demo_articles(path: Path) -> Path:
    """Every demo article's text (several languages) as a JSONL batch, plus one demo page."""
    with (DEMO / "articles.jsonl").open(encoding="utf-8") as lines, path.open("w") as out:
        for line in lines:
            record = json.loads(line)
            row = {"id": record["id"], "text": record["body"], "language": record["language"]}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        page = next(iter(sorted((DEMO / "html").glob("*.html"))))
        row = {"id": page.stem, "html": page.read_text(encoding="utf-8")}
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def _summaries(batch: Path, method: str, hash_seed: str) -> str:
    # A fresh interpreter each time: cold caches, and another seed for str hashes.
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    command = [sys.executable, "-m", "inbrief", "summarize", "--jsonl", str(batch)]
    result = subprocess.run(
        [*command, "--method", method, "--words", "60"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return result.stdout


def test_two_processes_with_different_hash_seeds_choose_the_same_sentences(
    tmp_path: Path,
) -> None:
    batch = _batch_of_demo_articles(tmp_path / "demo.jsonl")
    for method in METHODS:
        first = _summaries(batch, method, "1")
        second = _summaries(batch, method, "4242")
        lines = first.splitlines()
        assert len(lines) == 84
        assert all("summary" in json.loads(line) for line in lines)
        assert first == second, method
