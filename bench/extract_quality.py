"""Article-extraction quality: trafilatura alone against ``inbrief extract``, in one run.

Scores each extractor on a folder laid out like the Zyte article-extraction benchmark
(``html/<id>.html``, ``ground_truth.json``) with the benchmark's own metric (shingle precision,
recall, F1 of the means, exact-match accuracy; see ``inbrief.evaluate.extraction``), and its
speed in pages per second of CPU time (the best of ``--repeat`` runs, so other work on the
machine inflates it less than wall time).  It also counts the pages inbrief's quality gate
calls incomplete and lists them with the reason: on whole articles there should be none.

    .venv/bin/python bench/extract_quality.py [DIR] [--repeat 3]

DIR defaults to ../shared/data/extraction-dev (read at run time, never copied).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from inbrief.errors import ExtractError
from inbrief.evaluate.extraction import (
    ExtractionReport,
    Extractor,
    evaluate_extraction,
    inbrief_extractor,
    load_benchmark,
    trafilatura_extractor,
)
from inbrief.extract import extract
from inbrief.models import Document

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "extraction-dev"


def _best_of(directory: Path, extractor: Extractor, repeat: int) -> ExtractionReport:
    """The run with the least CPU time (scores are the same every run: extraction is
    deterministic)."""
    reports = [evaluate_extraction(directory, extractor) for _ in range(repeat)]
    return min(reports, key=lambda report: report.cpu_seconds)


def _gate(directory: Path) -> list[tuple[str, str]]:
    """(page id, reason) of every page inbrief extracts but calls incomplete."""
    pages, _, urls = load_benchmark(directory)
    flagged = []
    for page_id, html in pages.items():
        url = urls.get(page_id)
        try:
            article = extract(Document(html, "html", url or page_id, url))
        except ExtractError:
            continue
        if not article.complete:
            flagged.append((page_id, article.incomplete_reason or ""))
    return flagged


def main(argv: list[str] | None = None) -> int:
    """Print the comparison table; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", nargs="?", type=Path, default=DEV)
    parser.add_argument("--repeat", type=int, default=3, help="runs per extractor (best kept)")
    options = parser.parse_args(argv)
    if not (options.directory / "ground_truth.json").is_file():
        print(
            f"{options.directory}: no benchmark folder (ground_truth.json) there", file=sys.stderr
        )
        return 2

    extractors: dict[str, Extractor] = {
        "trafilatura (default)": trafilatura_extractor(),
        "trafilatura (favor_precision)": trafilatura_extractor(favor_precision=True),
        "inbrief extract": inbrief_extractor,
    }
    print(f"{options.directory} ({options.repeat} runs each, best CPU time kept)\n")
    print(f"{'extractor':<30} {'F1':>6} {'P':>6} {'R':>6} {'acc':>6} {'pages/s':>8}")
    for name, extractor in extractors.items():
        report = _best_of(options.directory, extractor, max(1, options.repeat))
        score = report.score
        print(
            f"{name:<30} {score.f1:6.4f} {score.precision:6.4f} {score.recall:6.4f} "
            f"{score.accuracy:6.3f} {report.pages_per_cpu_second:8.1f}"
        )

    flagged = _gate(options.directory)
    pages = len(load_benchmark(options.directory)[1])
    print(f"\nquality gate: {len(flagged)} of {pages} pages called incomplete")
    for page_id, reason in flagged:
        print(f"  {page_id[:12]}  {reason}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
