"""Key phrases: the words and names a reader scans for, as written in the article.

Real articles come from the demo corpus shipped with inbrief (Wikinews, CC BY 2.5; Global
Voices, CC BY 3.0); the short texts are written for these tests.
"""

from __future__ import annotations

import gzip
import json
from importlib import resources
from pathlib import Path

import pytest

from inbrief.keyphrases import keyphrases
from inbrief.text import stems, stopwords, tokenize

SHARED = Path(__file__).resolve().parents[2] / "shared"
CNNDM = SHARED / "data" / "cnndm-dev.jsonl.gz"


def demo_articles() -> list[dict[str, str]]:
    packaged = Path(str(resources.files("inbrief").joinpath("data", "demo", "articles.jsonl")))
    path = packaged if packaged.is_file() else SHARED / "demo" / "articles.jsonl"
    if not path.is_file():
        pytest.skip("no demo corpus (src/inbrief/data/demo or ../shared/demo)")
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def demo_article(prefix: str) -> dict[str, str]:
    return next(a for a in demo_articles() if a["id"].startswith(prefix))


def test_the_most_repeated_content_words_come_first() -> None:
    text = "The storm hit Florida. Storm damage in Florida was severe."
    # Both occur twice; "Florida" is a name (capitalised inside a sentence) and wins.
    assert keyphrases(text, "en", 2) == ("Florida", "storm")


def test_a_repeated_name_is_kept_whole() -> None:
    article = demo_article("en-wikinews-012")  # Hong Kong protests, 2019
    phrases = keyphrases(article["body"], "en")
    assert phrases[0] == "Hong Kong"
    assert "Victoria Park" in phrases


def test_count_limits_the_phrases() -> None:
    body = demo_article("en-wikinews-025")["body"]
    assert len(keyphrases(body, "en", 3)) == 3
    assert keyphrases(body, "en", 8)[:3] == keyphrases(body, "en", 3)


def test_nothing_to_find_gives_no_phrases() -> None:
    assert keyphrases("", "en") == ()
    assert keyphrases("   \n ", "en") == ()
    assert keyphrases("It is what it is, and so it was.", "en") == ()
    assert keyphrases("A real sentence about elections.", "en", 0) == ()


@pytest.mark.parametrize("language", ["en", "fr", "de", "ru"])
def test_phrases_are_written_as_in_the_text_and_hold_content_words(language: str) -> None:
    for article in (a for a in demo_articles() if a["language"] == language):
        phrases = keyphrases(article["body"], language)
        assert phrases, article["id"]
        stop = stopwords(language)
        for phrase in phrases:
            assert phrase in article["body"], (article["id"], phrase)
            words = tokenize(phrase)
            assert 1 <= len(words) <= 3
            assert not any(word in stop for word in words), (article["id"], phrase)
            assert not phrase.replace(".", "").isdigit()


def test_phrases_do_not_repeat_a_word_stem() -> None:
    text = (
        "The minister resigned on Friday. Ministers met later. Two ministers said the minister "
        "had lost the vote. The vote was close."
    )
    phrases = keyphrases(text, "en")
    all_stems = [stem for phrase in phrases for stem in stems(tokenize(phrase), "en")]
    assert len(all_stems) == len(set(all_stems))
    assert "minister" in phrases and "vote" in phrases


def test_possessives_and_elisions_are_dropped() -> None:
    english = "Obama's plan was new. The plan followed Obama's speech. Critics of the plan spoke."
    assert keyphrases(english, "en", 2) == ("Obama", "plan")
    french = "L'ACTA a été rejeté. Le Parlement européen a rejeté l'ACTA hier."
    assert keyphrases(french, "fr", 1) == ("ACTA",)
    assert "accorder asile" not in keyphrases("Il faut accorder l'asile. Accorder l'asile.", "fr")


def test_dotted_acronyms_keep_their_final_dot() -> None:
    text = "Officials in the U.S. were told. The U.S. economy grew. Firms in the U.S. hired."
    assert keyphrases(text, "en", 1) == ("U.S.",)


def test_language_is_detected_when_not_given() -> None:
    body = demo_article("en-wikinews-012")["body"]
    assert keyphrases(body, None) == keyphrases(body, "en")


def test_a_language_without_stop_words_falls_back_to_frequent_lower_case_words() -> None:
    body = demo_article("en-wikinews-012")["body"]
    phrases = keyphrases(body, "xx", 8)  # no stop-word list: words in most sentences stand in
    assert "Hong Kong" in phrases
    assert not {"the", "of", "and", "in"} & {w for p in phrases for w in tokenize(p)}


def test_output_is_deterministic() -> None:
    bodies = [a["body"] for a in demo_articles()[:20]]
    assert [keyphrases(b, None) for b in bodies] == [keyphrases(b, None) for b in bodies]


@pytest.mark.skipif(not CNNDM.is_file(), reason="needs ../shared/data/cnndm-dev.jsonl.gz")
def test_lower_cased_ptb_text_gives_lower_case_phrases() -> None:
    with gzip.open(CNNDM, "rt", encoding="utf-8") as lines:
        article = json.loads(next(lines))["article"]  # Obama on the Iran deal, 2015
    phrases = keyphrases(article, "en")
    assert phrases[:2] == ("iran", "obama")
    assert all(phrase == phrase.lower() and phrase in article for phrase in phrases)
