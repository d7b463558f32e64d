"""Sentence-splitting speed: inbrief's splitter against razdel and syntok.

Prints milliseconds per article on the first 500 CNN/DailyMail dev articles (the batch target,
1,000 articles/s for the whole summarizer on one core, leaves about 0.25 ms for splitting), and
on the demo corpus (cased news in en/fr/de/ru).  Each figure is the best of several runs of
CPU time (process time), so other work on the machine inflates it less than wall time.

    .venv/bin/python bench/split_speed.py [--articles 500] [--repeat 5]

syntok is optional (``pip install syntok``); the data sets are read from ../shared and skipped
when absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections.abc import Callable
from pathlib import Path

from inbrief.text import split_sentences

SHARED = Path(__file__).resolve().parents[2] / "shared"
CNNDM = SHARED / "data" / "cnndm-dev.jsonl.gz"
DEMO = SHARED / "demo" / "articles.jsonl"

Splitter = Callable[[str], int]  # returns the number of sentences


def _splitters(language: str) -> dict[str, Splitter]:
    splitters: dict[str, Splitter] = {
        "inbrief": lambda text: len(split_sentences(text, language)),
    }
    try:
        import razdel

        splitters["razdel"] = lambda text: sum(1 for _ in razdel.sentenize(text))
    except ImportError:
        pass
    try:
        from syntok import segmenter

        splitters["syntok"] = lambda text: sum(
            1 for paragraph in segmenter.analyze(text) for _ in paragraph
        )
    except ImportError:
        pass
    return splitters


def _measure(split: Splitter, texts: list[str], repeat: int) -> tuple[float, float]:
    """(best ms per article, mean sentences per article)."""
    best = float("inf")
    sentences = 0
    for _ in range(repeat):
        started = time.process_time()
        sentences = sum(split(text) for text in texts)
        best = min(best, time.process_time() - started)
    return best / len(texts) * 1000, sentences / len(texts)


def _report(title: str, texts: list[str], language: str, repeat: int) -> None:
    words = sum(len(text.split()) for text in texts) / len(texts)
    print(f"{title}: {len(texts)} articles, {words:.0f} words each")
    baseline = None
    for name, split in _splitters(language).items():
        split(texts[0])  # warm caches and lazy imports outside the timing
        ms, sentences = _measure(split, texts, repeat if name != "syntok" else 1)
        baseline = baseline or ms
        print(
            f"  {name:8} {ms:7.3f} ms/article  {1000 / ms:8.0f} articles/s  "
            f"x{ms / baseline:5.1f}  {sentences:5.1f} sentences/article"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    if CNNDM.exists():
        with gzip.open(CNNDM, "rt", encoding="utf-8") as lines:
            texts = [
                json.loads(line)["article"]
                for _, line in zip(range(options.articles), lines, strict=False)
            ]
        _report("CNN/DailyMail dev (PTB form)", texts, "en", options.repeat)
    else:
        print(f"skipped CNN/DailyMail: {CNNDM} not found")
    if DEMO.exists():
        records = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines()]
        for language in sorted({record["language"] for record in records}):
            texts = [record["body"] for record in records if record["language"] == language]
            _report(f"demo corpus ({language})", texts, language, options.repeat)
    else:
        print(f"skipped demo corpus: {DEMO} not found")


if __name__ == "__main__":
    main()
