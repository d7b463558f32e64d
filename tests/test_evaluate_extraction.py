"""The Zyte article-extraction benchmark metric, on cases small enough to check by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from seed import seed_article, seed_layout_html

from inbrief.errors import SourceError
from inbrief.evaluate.extraction import (
    evaluate_extraction,
    score_extraction,
    score_page,
    shingles,
    trafilatura_extractor,
)

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "extraction-dev"


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
    seed_html = seed_layout_html()
    body = "\n\n".join(seed_article()[1])
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


def test_inbrief_extracts_at_least_as_well_as_plain_trafilatura():
    if not DEV.is_dir():
        pytest.skip("extraction benchmark absent (../shared/data)")
    ours = evaluate_extraction(DEV).score
    assert ours.f1 >= evaluate_extraction(DEV, trafilatura_extractor()).score.f1
    assert ours.f1 >= evaluate_extraction(DEV, trafilatura_extractor(favor_precision=True)).score.f1
    assert ours.empty_outputs == 0
