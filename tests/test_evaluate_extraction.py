"""The Zyte article-extraction benchmark metric, on cases small enough to check by hand."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from inbrief.errors import SourceError
from inbrief.evaluate.extraction import (
    ExtractionReport,
    evaluate_extraction,
    score_extraction,
    score_page,
    shingles,
    trafilatura_extractor,
)

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "extraction-dev"
FIXTURES = Path(__file__).parent / "fixtures"


def test_shingles_are_overlapping_four_token_runs_of_word_characters():
    assert list(shingles("The CSTO, said Mr. Vasilenko!")) == [
        ("The", "CSTO", "said", "Mr"),
        ("CSTO", "said", "Mr", "Vasilenko"),
    ]


def test_a_text_shorter_than_four_tokens_is_one_shingle():
    assert list(shingles("Breaking news")) == [("Breaking", "news")]
    assert list(shingles(" -- ")) == []


def test_perfect_output_scores_one_everywhere():
    truth = {"a": "Kazakhstan backs the CSTO, its deputy minister said."}

    score = score_extraction(dict(truth), truth)

    assert (score.precision, score.recall, score.f1, score.accuracy) == (1.0, 1.0, 1.0, 1.0)


def test_punctuation_and_spacing_do_not_count_but_case_does():
    truth = {"a": "Kazakhstan backs the CSTO."}

    same = score_extraction({"a": "Kazakhstan  backs\nthe CSTO"}, truth)
    lower = score_extraction({"a": "kazakhstan backs the CSTO"}, truth)

    assert same.accuracy == 1.0
    assert lower.accuracy == 0.0 and lower.f1 == 0.0


def test_partial_output():
    # truth: a b c d e f -> abcd bcde cdef; output: a b c d e x y -> abcd bcde cdex dexy
    score = score_page("p", "a b c d e x y", "a b c d e f")

    assert (score.tp, score.fp, score.fn) == (2, 2, 1)
    assert score.precision == pytest.approx(2 / 4)
    assert score.recall == pytest.approx(2 / 3)
    assert not score.exact


def test_empty_output_counts_for_recall_only():
    truth = {"a": "a b c d e f", "b": "g h i j k l"}

    score = score_extraction({"a": "a b c d e f", "b": ""}, truth)

    assert score.precision == 1.0  # only page a has output
    assert score.recall == pytest.approx((1 + 0) / 2)
    assert score.f1 == pytest.approx(2 * 1.0 * 0.5 / 1.5)
    assert score.accuracy == 0.5
    assert score.empty_outputs == 1


def test_missing_prediction_is_an_empty_output_and_extra_pages_are_ignored():
    truth = {"a": "a b c d e f", "b": "g h i j k l"}

    score = score_extraction({"a": "a b c d e f", "zzz": "g h i j k l"}, truth)

    assert score.pages == 2
    assert score.empty_outputs == 1
    assert score.recall == pytest.approx(0.5)


def test_f1_is_the_harmonic_mean_of_mean_precision_and_mean_recall():
    truth = {"perfect": "a b c d e f", "partial": "a b c d e f"}

    score = score_extraction({"perfect": "a b c d e f", "partial": "a b c d e x y"}, truth)

    precision, recall = (1 + 2 / 4) / 2, (1 + 2 / 3) / 2
    assert score.precision == pytest.approx(precision)
    assert score.recall == pytest.approx(recall)
    assert score.f1 == pytest.approx(2 * precision * recall / (precision + recall))
    mean_of_page_f1s = (1 + 2 * (1 / 2) * (2 / 3) / (1 / 2 + 2 / 3)) / 2
    assert score.f1 != pytest.approx(mean_of_page_f1s)


def test_text_extracted_twice_is_not_free():
    # The benchmark counts shingles with their multiplicity: a repeated body is penalised.
    score = score_page("p", "a b c d a b c d", "a b c d")

    assert (score.tp, score.fp, score.fn) == (1, 4, 0)


def write_benchmark(folder: Path, pages: dict[str, tuple[str, str]]) -> Path:
    """A benchmark folder laid out like extraction-dev: html/<id>.html and ground_truth.json."""
    (folder / "html").mkdir(parents=True)
    for page_id, (html, _) in pages.items():
        (folder / "html" / f"{page_id}.html").write_text(html, encoding="utf-8")
    truth = {page_id: text for page_id, (_, text) in pages.items()}
    (folder / "ground_truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return folder


def test_evaluate_extraction_runs_an_extractor_over_a_folder(tmp_path):
    seed_html = (FIXTURES / "seed_layout.html").read_text(encoding="utf-8")
    seed_text = (FIXTURES / "seed_page.txt").read_text(encoding="utf-8")
    body = "\n\n".join(block for block in seed_text.split("\n\n") if len(block.split()) > 40)
    folder = write_benchmark(tmp_path / "bench", {"seed": (seed_html, body)})

    report = evaluate_extraction(folder)

    assert report.score.pages == 1
    assert report.score.accuracy == 1.0
    assert report.pages_per_second > 0 and report.pages_per_cpu_second > 0


def test_evaluate_extraction_scores_an_empty_output_as_zero_recall(tmp_path):
    folder = write_benchmark(tmp_path / "bench", {"menu": ("<html><nav>Home</nav></html>", "x")})

    report = evaluate_extraction(folder, extractor=lambda html, url: "")

    assert report.score.recall == 0.0
    assert report.score.empty_outputs == 1


def test_folder_without_ground_truth_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match=r"ground_truth\.json"):
        evaluate_extraction(tmp_path)


def test_ground_truth_naming_a_missing_page_is_a_source_error(tmp_path):
    (tmp_path / "ground_truth.json").write_text('{"gone": "text"}', encoding="utf-8")

    with pytest.raises(SourceError, match=r"gone\.html not found"):
        evaluate_extraction(tmp_path)


@dataclass(frozen=True)
class DevRuns:
    """Reports on the dev pages; speed is the best of two runs, as timeit does."""

    ours: ExtractionReport
    default: ExtractionReport
    precise: ExtractionReport
    ours_rate: float
    precise_rate: float


@pytest.fixture(scope="module")
def dev_runs() -> DevRuns:
    if not DEV.is_dir():
        pytest.skip("extraction benchmark absent (../shared/data)")
    ours = [evaluate_extraction(DEV) for _ in range(2)]
    precise = [evaluate_extraction(DEV, trafilatura_extractor(favor_precision=True)) for _ in "ab"]
    return DevRuns(
        ours=ours[0],
        default=evaluate_extraction(DEV, trafilatura_extractor()),
        precise=precise[0],
        # CPU time, not wall time: other jobs on a shared machine slow the clock, not the code.
        ours_rate=max(report.pages_per_cpu_second for report in ours),
        precise_rate=max(report.pages_per_cpu_second for report in precise),
    )


def test_inbrief_extracts_at_least_as_well_as_plain_trafilatura(dev_runs):
    assert dev_runs.ours.score.f1 >= dev_runs.default.score.f1
    assert dev_runs.ours.score.f1 >= dev_runs.precise.score.f1
    assert dev_runs.ours.score.empty_outputs == 0


def test_inbrief_costs_little_more_than_trafilatura_alone(dev_runs):
    # Parse, metadata, language and clean-up add about 20% to trafilatura's own work
    # (20 ms against 16.5 ms a page on an idle machine); 40% would be a regression.
    assert dev_runs.ours_rate >= dev_runs.precise_rate / 1.4


def test_inbrief_extracts_at_least_40_pages_per_second(dev_runs):
    if os.getloadavg()[0] >= (os.cpu_count() or 1):
        # Even CPU time inflates when every core is shared; the figure means nothing then.
        pytest.skip("machine busy (load average above its core count): absolute speed unmeasurable")
    assert dev_runs.ours_rate >= 40
