"""Article-extraction quality, scored the way the Zyte article-extraction benchmark scores it.

The metric follows the benchmark's own ``evaluate.py`` (scrapinghub/article-extraction-benchmark)
so our figures compare with its published table:

* tokens are ``\\w+`` runs, case kept;
* each text becomes its overlapping 4-token shingles (a text shorter than 4 tokens is one
  shingle), counted as a multiset as the benchmark does, so text extracted twice is not free;
* per page, tp/fp/fn are the shingles shared with the truth, only in the output, only in the
  truth;
* precision is the mean of tp/(tp+fp) over pages with non-empty output, recall the mean of
  tp/(tp+fn) over pages with a non-empty truth, and F1 the harmonic mean of those two means;
* accuracy is the share of pages whose token sequence equals the truth's exactly.

A benchmark folder holds ``html/<id>.html`` and ``ground_truth.json`` (``{id: article body}``).
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from inbrief.errors import ExtractError, SourceError
from inbrief.extract import extract
from inbrief.models import Document

SHINGLE_SIZE = 4
_TOKEN = re.compile(r"\w+")

Extractor = Callable[[str, str | None], str]
"""Turns one page's HTML (and its URL, when known) into article text."""


@dataclass(frozen=True)
class PageScore:
    """Shingle counts of one page: shared with the truth, only in the output, only in the truth."""

    page_id: str
    tp: int
    fp: int
    fn: int
    exact: bool

    @property
    def precision(self) -> float | None:
        """tp/(tp+fp); None when the output is empty (the page then does not count)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """tp/(tp+fn); None when the truth is empty (the page then does not count)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass(frozen=True)
class ExtractionScore:
    """Benchmark figures over a set of pages, each page weighing the same."""

    precision: float
    recall: float
    f1: float
    accuracy: float
    pages: int
    empty_outputs: int
    page_scores: tuple[PageScore, ...]


@dataclass(frozen=True)
class ExtractionReport:
    """The score of one extractor on one benchmark folder, with its speed.

    ``seconds`` is wall time, ``cpu_seconds`` the process's CPU time over the same span: on a
    shared machine the second is the steadier measure of the extractor's own cost.
    """

    score: ExtractionScore
    seconds: float
    cpu_seconds: float

    @property
    def pages_per_second(self) -> float:
        """Pages extracted per second of wall time (extraction only, not scoring)."""
        return self.score.pages / self.seconds if self.seconds > 0 else float("inf")

    @property
    def pages_per_cpu_second(self) -> float:
        """Pages extracted per second of CPU time."""
        return self.score.pages / self.cpu_seconds if self.cpu_seconds > 0 else float("inf")


def tokens(text: str) -> list[str]:
    """The benchmark's tokens: ``\\w+`` runs, case kept."""
    return _TOKEN.findall(text)


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Overlapping ``size``-token shingles of ``text`` with their counts."""
    words = tokens(text)
    if not words:
        return Counter()
    if len(words) < size:
        return Counter([tuple(words)])
    return Counter(tuple(words[i : i + size]) for i in range(len(words) - size + 1))


def score_page(page_id: str, prediction: str, truth: str) -> PageScore:
    """Shingle tp/fp/fn of one extracted text against its ground truth."""
    predicted, expected = shingles(prediction), shingles(truth)
    tp = sum((predicted & expected).values())
    fp = sum((predicted - expected).values())
    fn = sum((expected - predicted).values())
    return PageScore(page_id, tp, fp, fn, exact=tokens(prediction) == tokens(truth))


def score_extraction(predictions: Mapping[str, str], truth: Mapping[str, str]) -> ExtractionScore:
    """Score extracted texts against the truth, page by page; a missing prediction is empty.

    Predictions for pages absent from ``truth`` are ignored: the truth defines the page set.
    """
    if not truth:
        raise ValueError("no ground-truth pages to score against")
    pages = tuple(score_page(pid, predictions.get(pid) or "", truth[pid]) for pid in sorted(truth))
    precisions = [p.precision for p in pages if p.precision is not None]
    recalls = [p.recall for p in pages if p.recall is not None]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return ExtractionScore(
        precision=precision,
        recall=recall,
        f1=f1,
        accuracy=sum(p.exact for p in pages) / len(pages),
        pages=len(pages),
        empty_outputs=len(pages) - len(precisions),
        page_scores=pages,
    )


def load_benchmark(directory: Path) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Read a benchmark folder: (html by id, truth by id, url by id; urls may be absent)."""
    truth_file = directory / "ground_truth.json"
    if not truth_file.is_file():
        raise SourceError(f"{truth_file} not found: a benchmark folder needs ground_truth.json")
    try:
        truth: dict[str, str] = json.loads(truth_file.read_text(encoding="utf-8"))
    except ValueError as error:
        raise SourceError(f"{truth_file} is not valid JSON: {error}") from None
    if not isinstance(truth, dict) or not truth:
        raise SourceError(f"{truth_file} must map page ids to article texts; it names no page")
    urls_file = directory / "urls.json"
    urls: dict[str, str] = (
        json.loads(urls_file.read_text(encoding="utf-8")) if urls_file.is_file() else {}
    )
    pages = {}
    for page_id in sorted(truth):
        page = directory / "html" / f"{page_id}.html"
        if not page.is_file():
            raise SourceError(f"{page} not found: ground_truth.json names a page the folder lacks")
        pages[page_id] = page.read_text(encoding="utf-8")
    return pages, truth, urls


def inbrief_extractor(html: str, url: str | None) -> str:
    """inbrief's own extraction, as article text; empty when it finds no article."""
    try:
        return extract(Document(html, "html", url or "<benchmark page>", url)).text
    except ExtractError:
        return ""


def trafilatura_extractor(*, favor_precision: bool = False) -> Extractor:
    """Plain trafilatura as the benchmark runs it (``include_comments=False``), the baseline
    inbrief is compared with; ``favor_precision`` is its other published configuration."""

    def run(html: str, url: str | None) -> str:
        return (
            trafilatura.extract(html, include_comments=False, favor_precision=favor_precision) or ""
        )

    return run


def evaluate_extraction(
    directory: Path, extractor: Extractor = inbrief_extractor
) -> ExtractionReport:
    """Run ``extractor`` on every page of a benchmark folder and score it.

    Timing covers extraction only, in steady state: pages are read from disk first and the
    extractor warms up on one page before the clock starts.
    """
    pages, truth, urls = load_benchmark(directory)
    # One untimed page first: loading models and word lists once is not a per-page cost.
    first = next(iter(pages))
    extractor(pages[first], urls.get(first))
    predictions = {}
    start, cpu_start = time.perf_counter(), time.process_time()
    for page_id, html in pages.items():
        predictions[page_id] = extractor(html, urls.get(page_id))
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    return ExtractionReport(score_extraction(predictions, truth), seconds, cpu_seconds)
