"""Summary evaluation: ROUGE scored the way papers score CNN/DailyMail, and French kept whole.

Datasets here are small JSON Lines files the tests write from the demo corpus shipped with
inbrief (Wikinews, Global Voices): the reference of each is its own first two sentences, so
Lead-2 scores exactly 100 and every figure below can be checked by hand.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import pytest
from rouge_score import rouge_scorer

from inbrief.errors import SourceError
from inbrief.evaluate.summaries import (
    PorterTokenizer,
    RougeScorer,
    UnicodeStemTokenizer,
    evaluate_summaries,
    format_report,
    read_dataset,
)
from inbrief.models import Budget
from inbrief.text import split_sentences

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
CNNDM = SHARED / "cnndm-dev.jsonl.gz"


def demo(language: str) -> list[dict[str, str]]:
    listing = resources.files("inbrief").joinpath("data", "demo", "articles.jsonl")
    rows = [json.loads(line) for line in listing.read_text(encoding="utf-8").splitlines()]
    return [row for row in rows if row["language"] == language]


def write_dataset(path: Path, language: str, count: int, ids: Sequence[str] | None = None) -> Path:
    """A dataset whose references are each article's first two sentences, one per line.

    Records carry their demo article's id, or the given ``ids`` in order.
    """
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as out:
        for number, row in enumerate(demo(language)[:count]):
            lead = [s.text for s in split_sentences(row["body"], language)[:2]]
            record_id = ids[number] if ids is not None and number < len(ids) else row["id"]
            record = {"id": record_id, "article": row["body"], "reference": "\n".join(lead)}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


# --- tokenization and scoring --------------------------------------------------------------


def test_french_tokens_keep_accented_letters() -> None:
    tokens = UnicodeStemTokenizer("fr").tokenize("L'été à Orléans : déjà élu, Hélène Müller.")
    assert "été" in tokens and "orléan" in tokens and "hélen" in tokens and "müller" in tokens
    assert all(token == token.lower() for token in tokens)


def test_french_scoring_matches_accented_words_that_rouge_score_drops() -> None:
    reference = "Élections régionales : la préfète été réélue."
    summary = ["Élections régionales : la préfète été réélue."]
    # rouge-score's own tokenizer keeps only [a-z0-9]: "réélue" becomes "r", "lue" ...
    default = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    default_tokens = default._tokenizer.tokenize(reference)
    assert "r" in default_tokens and "lue" in default_tokens
    assert RougeScorer("fr").score(summary, reference) == (100.0, 100.0, 100.0)
    partial = RougeScorer("fr").score(["La préfète a été réélue."], reference)
    assert 0 < partial[0] < 100


def test_french_stemmer_conflates_inflections() -> None:
    tokens = UnicodeStemTokenizer("fr").tokenize("élections élection")
    assert tokens[0] == tokens[1]


def test_english_tokens_are_exactly_rouge_scores() -> None:
    default = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)._tokenizer
    ours = PorterTokenizer()
    for row in demo("en")[:20]:
        assert ours.tokenize(row["body"]) == default.tokenize(row["body"])


@pytest.mark.skipif(not CNNDM.exists(), reason="needs ../shared/data/cnndm-dev.jsonl.gz")
def test_english_scores_are_exactly_rouge_scores_on_cnndm() -> None:
    reference_scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], True)
    ours = RougeScorer("en")
    for item in read_dataset(CNNDM, limit=30):
        summary = [s.text for s in split_sentences(item.article, "en")[:3]]
        expected = reference_scorer.score(item.reference, "\n".join(summary))
        got = ours.score(summary, item.reference)
        for value, name in zip(got, ("rouge1", "rouge2", "rougeLsum"), strict=True):
            assert value == pytest.approx(expected[name].fmeasure * 100)


def test_lsum_uses_sentence_lines() -> None:
    reference = "the cat sat on the mat\nthe dog ran"
    joined = RougeScorer("en").score(["the dog ran", "the cat sat on the mat"], reference)
    assert joined[2] == pytest.approx(100.0)


# --- evaluate_summaries --------------------------------------------------------------------


def test_lead_two_scores_100_against_its_own_sentences(tmp_path: Path) -> None:
    path = write_dataset(tmp_path / "en.jsonl.gz", "en", 5)
    report = evaluate_summaries(path, "lead", Budget("sentences", 2))
    assert report.articles == 5
    assert (report.rouge1, report.rouge2, report.rougeLsum) == pytest.approx((100, 100, 100))
    assert report.articles_per_second > 0
    assert report.language == "en"


def test_baseline_is_measured_in_the_same_run(tmp_path: Path) -> None:
    path = write_dataset(tmp_path / "en.jsonl.gz", "en", 8)
    report = evaluate_summaries(path, "news", Budget(), baseline="lead")
    assert report.baseline is not None
    assert report.baseline.method == "lead" and report.baseline.articles == 8
    assert report.method == "news"
    text = format_report(report)
    assert "lead" in text and "news" in text and "gain" in text
    assert json.loads(json.dumps(report.to_dict()))["baseline"]["method"] == "lead"


# Ids of CNN/DailyMail dev articles the shipped news model was fitted on.  The look-alike
# datasets below pair them with demo articles: the label depends on the id, as a dataset file
# holding the training articles themselves would.
TRAINING_IDS = ("cnndm-test-pg-000004", "cnndm-test-pg-001109")


def test_figures_on_training_articles_are_labelled_in_sample(tmp_path: Path) -> None:
    path = write_dataset(tmp_path / "look-alike.jsonl", "en", 3, ids=TRAINING_IDS)
    report = evaluate_summaries(path, "news", Budget(), baseline="lead")
    assert report.in_sample == 2
    assert report.baseline is not None and report.baseline.in_sample == 0
    rows = format_report(report).splitlines()
    news_row = next(row for row in rows if row.startswith("news"))
    lead_row = next(row for row in rows if row.startswith("lead"))
    assert news_row.endswith("(in-sample: 2 of 3 articles were training data)")
    assert "in-sample" not in lead_row
    assert report.to_dict()["in_sample"] == 2


def test_figures_on_unseen_articles_carry_no_label(tmp_path: Path) -> None:
    path = write_dataset(tmp_path / "unseen.jsonl", "en", 3)
    report = evaluate_summaries(path, "news", Budget(), baseline="lead")
    assert report.in_sample == 0
    assert "in-sample" not in format_report(report)


def test_french_dataset_is_scored_with_french_tokens(tmp_path: Path) -> None:
    path = write_dataset(tmp_path / "fr.jsonl.gz", "fr", 4)
    report = evaluate_summaries(path, "lead", Budget("sentences", 2), lang="fr")
    assert report.language == "fr"
    assert report.rouge1 == pytest.approx(100.0)
    one = evaluate_summaries(path, "lead", Budget("sentences", 1), lang="fr-FR")
    assert 0 < one.rouge1 < 100


def test_limit_and_save(tmp_path: Path) -> None:
    path = write_dataset(tmp_path / "en.jsonl", "en", 6)
    saved = tmp_path / "summaries.jsonl"
    report = evaluate_summaries(path, "lead", Budget("sentences", 1), limit=3, save=saved)
    assert report.articles == 3
    records = [json.loads(line) for line in saved.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == [row["id"] for row in demo("en")[:3]]
    assert all(len(r["summary"]) == 1 and 0 < r["rouge1"] <= 100 for r in records)


def test_word_budget(tmp_path: Path) -> None:
    path = write_dataset(tmp_path / "en.jsonl.gz", "en", 4)
    saved = tmp_path / "out.jsonl"
    evaluate_summaries(path, "news", Budget("words", 40), save=saved)
    for line in saved.read_text(encoding="utf-8").splitlines():
        summary = json.loads(line)["summary"]
        assert summary
        assert sum(len(s.split()) for s in summary) <= 40 or len(summary) == 1


def test_gzip_is_recognised_by_its_content(tmp_path: Path) -> None:
    packed = write_dataset(tmp_path / "en.jsonl.gz", "en", 2)
    renamed = packed.rename(tmp_path / "en.jsonl")
    assert [item.id for item in read_dataset(renamed)] == [row["id"] for row in demo("en")[:2]]


def test_missing_dataset_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such dataset"):
        evaluate_summaries(tmp_path / "absent.jsonl.gz")


def test_malformed_line_names_its_number(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "article": "One. Two.", "reference": "One."}\n{"id": 2}\n')
    with pytest.raises(SourceError, match="line 2"):
        evaluate_summaries(path, "lead")


def test_empty_dataset_is_a_source_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n")
    with pytest.raises(SourceError, match="no articles"):
        evaluate_summaries(path, "lead")
