# ruff: noqa: RUF001
# (The Russian example is meant as written.)
"""``inbrief.verify`` as a caller uses it: look-alike articles, summaries with one fact changed.

Every article here is written for these tests; none comes from the evaluation data.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from inbrief.errors import VerifyError
from inbrief.models import Article, CheckedSentence
from inbrief.text import split_sentences
from inbrief.verify import check_article, check_sentence, check_summary

HARBOUR = (
    "The harbour council of Kestrel Bay met on Monday evening to decide the fate of the old "
    "swing bridge. Councillors voted 7 to 2 to close the bridge for repairs from next spring. "
    'Mayor Ann Lee said the work was "long overdue and cannot wait another winter". '
    "The repairs will cost 1.5 million dollars and take fifteen weeks, the council said. "
    "Ferry operator Tom Okafor welcomed the decision, saying his boats would carry cyclists "
    "across the harbour while the bridge is shut. The bridge did not open to traffic last "
    "August because its motor failed. About 3,400 people cross it on a weekday, a count found."
)
CONSEIL = (
    "Le conseil municipal de Brévanne a voté jeudi la fermeture de la piscine Jean-Moulin. "
    "Selon la maire, Claire Dufresne, la rénovation coûtera 2,4 millions d'euros. "
    "La fréquentation a baissé de 3,5 % l'an dernier, d'après un rapport de la mairie. "
    "Les nageurs du club local s'entraîneront à Vernay pendant les travaux."
)
STADTRAT = (
    "Der Stadtrat von Haldenau hat am Dienstag den Neubau der Bibliothek beschlossen. "
    "Das Projekt kostet 2,5 Millionen Euro und soll im Herbst beginnen. "
    "Bürgermeisterin Petra Vogt sprach von einem wichtigen Tag für die Stadt."
)
KREMLIN = (
    "Президент Путин встретился в среду с губернатором Орловской области. "
    "Они обсудили строительство двух новых мостов через реку."
)


def harbour() -> list:
    return split_sentences(HARBOUR, "en")


def kinds(checked: CheckedSentence) -> list[str]:
    return [problem.kind for problem in checked.problems]


def test_a_sentence_the_article_states_is_supported_by_that_sentence() -> None:
    checked = check_sentence("Councillors voted 7 to 2 to close the bridge.", harbour(), "en")
    assert checked.supported
    assert checked.problems == ()
    assert [s.index for s in checked.support] == [1]


def test_support_offsets_slice_the_article_text() -> None:
    (checked,) = check_article(Article(text=HARBOUR, language="en"), "The bridge will close.")
    for sentence in checked.support:
        assert HARBOUR[sentence.start : sentence.end] == sentence.text


def test_a_number_the_article_does_not_state_is_a_number_problem() -> None:
    checked = check_sentence("Councillors voted 7 to 3 to close the bridge.", harbour(), "en")
    assert not checked.supported
    assert [(p.kind, p.text, p.note) for p in checked.problems] == [
        ("number", "3", "not in the article")
    ]


def test_a_number_from_another_sentence_of_the_article_is_not_in_the_support() -> None:
    checked = check_sentence("Councillors voted 7 to 15 to close the bridge.", harbour(), "en")
    assert [(p.kind, p.text, p.note) for p in checked.problems] == [
        ("number", "15", "not in the supporting sentences")
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The repairs will take 15 weeks and cost $1,500,000.",
        "The repairs will take fifteen weeks and cost 1.5m dollars.",
    ],
)
def test_numbers_are_compared_as_values(sentence: str) -> None:
    checked = check_sentence(sentence, harbour(), "en")
    assert checked.supported, checked.problems


def test_five_million_is_five_million_written_out() -> None:
    article = split_sentences("The city paid 5,000,000 dollars for the land in May.", "en")
    assert check_sentence("The city paid 5 million dollars for the land.", article, "en").supported
    wrong = check_sentence("The city paid 6 million dollars for the land.", article, "en")
    assert kinds(wrong) == ["number"]


def test_a_french_percentage_matches_the_same_value_written_the_english_way() -> None:
    article = split_sentences(CONSEIL, "fr")
    same = check_sentence("La fréquentation a baissé de 3.5% l'an dernier.", article, "fr")
    assert same.supported, same.problems
    other = check_sentence("La fréquentation a baissé de 4,5 % l'an dernier.", article, "fr")
    assert [(p.kind, p.text) for p in other.problems] == [("number", "4,5")]


def test_a_year_the_article_does_not_give_is_a_date_problem() -> None:
    checked = check_sentence("The bridge did not open in August 2019.", harbour(), "en")
    assert ("date", "2019") in [(p.kind, p.text) for p in checked.problems]


def test_a_weekday_other_than_the_supports_is_a_date_problem() -> None:
    checked = check_sentence("The harbour council met on Tuesday evening.", harbour(), "en")
    assert [(p.kind, p.text) for p in checked.problems] == [("date", "Tuesday")]


def test_a_quotation_must_stand_word_for_word_in_the_article() -> None:
    faithful = check_sentence('The mayor called the work "long overdue".', harbour(), "en")
    assert faithful.supported, faithful.problems
    made_up = check_sentence(
        'The mayor called the work "a scandal for the whole town".', harbour(), "en"
    )
    assert "quotation" in kinds(made_up)


def test_a_name_swapped_for_another_of_the_article_is_a_name_problem() -> None:
    checked = check_sentence("Mayor Ann Okafor said the work was long overdue.", harbour(), "en")
    assert [(p.kind, p.text, p.note) for p in checked.problems] == [
        ("name", "okafor", "not in the supporting sentences")
    ]


def test_a_name_is_found_in_its_inflections() -> None:
    article = split_sentences(KREMLIN, "ru")
    checked = check_sentence("Путина встречали в среду в Орловской области.", article, "ru")
    assert "name" not in kinds(checked)


def test_a_word_put_in_place_of_the_articles_is_a_words_problem() -> None:
    checked = check_sentence(
        "Councillors voted 7 to 2 to close the tunnel for repairs.", harbour(), "en"
    )
    assert [(p.kind, p.text) for p in checked.problems] == [("words", "tunnel")]
    assert "'bridge'" in checked.problems[0].note


def test_a_negation_the_article_does_not_make_is_a_words_problem() -> None:
    checked = check_sentence("Councillors did not vote to close the bridge.", harbour(), "en")
    assert ("words", "not") in [(p.kind, p.text) for p in checked.problems]


def test_a_negation_taken_out_is_a_words_problem() -> None:
    checked = check_sentence("The bridge did open to traffic last August.", harbour(), "en")
    assert [p.kind for p in checked.problems] == ["words"]
    assert checked.problems[0].note == "the supporting sentence negates what this one states"


def test_a_paraphrase_in_common_words_is_supported() -> None:
    checked = check_sentence(
        "Kestrel Bay's council decided on Monday to shut the old bridge for repairs.",
        harbour(),
        "en",
    )
    assert checked.supported, checked.problems


def test_a_sentence_may_rest_on_several_article_sentences() -> None:
    checked = check_sentence(
        "The council voted 7 to 2 to close the bridge, and the repairs will cost "
        "1.5 million dollars.",
        harbour(),
        "en",
    )
    assert checked.supported, checked.problems
    assert [s.index for s in checked.support] == [1, 3]


def test_cited_sentences_that_hold_the_sentence_up_are_its_support() -> None:
    checked = check_sentence("The repairs will take fifteen weeks.", harbour(), "en", cited=[3])
    assert checked.supported
    assert checked.cited == (3,)
    assert [s.index for s in checked.support] == [3]


def test_wrong_citations_fall_back_to_alignment_and_say_so() -> None:
    checked = check_sentence(
        "The repairs will cost 1.5 million dollars.", harbour(), "en", cited=[5]
    )
    assert not checked.supported
    assert [(p.kind, p.text) for p in checked.problems] == [("support", "3")]
    assert [s.index for s in checked.support] == [3, 5]


def test_a_cited_sentence_that_does_not_exist_is_a_support_problem() -> None:
    checked = check_sentence("The repairs will take fifteen weeks.", harbour(), "en", cited=[3, 99])
    assert [(p.kind, p.text) for p in checked.problems] == [("support", "99")]
    assert [s.index for s in checked.support] == [3]


def test_a_sentence_about_something_else_has_no_support() -> None:
    checked = check_sentence("Volcanoes erupt underwater.", harbour(), "en")
    assert not checked.supported
    assert checked.support == ()
    assert kinds(checked)[0] == "support"


def test_a_german_amount_in_millions_matches_it_written_in_full() -> None:
    article = split_sentences(STADTRAT, "de")
    checked = check_sentence("Die neue Bibliothek kostet 2.500.000 Euro.", article, "de")
    assert checked.supported, checked.problems


def test_a_german_noun_is_no_name_but_a_rare_capitalised_word_is() -> None:
    article = split_sentences(STADTRAT, "de")
    noun = check_sentence("Die Bibliothek wird neu gebaut, beschloss der Stadtrat.", article, "de")
    assert "name" not in kinds(noun)
    swapped = check_sentence(
        "Bürgermeisterin Petra Haldenau sprach von einem wichtigen Tag.", article, "de"
    )
    assert [(p.kind, p.text) for p in swapped.problems] == [("name", "haldenau")]


def test_check_summary_answers_each_sentence_in_order() -> None:
    summary = ["The bridge did not open last August.", "Councillors voted 7 to 3."]
    checked = check_summary(summary, harbour(), "en", cited=[[5], [1]])
    assert [c.text for c in checked] == summary
    assert [c.supported for c in checked] == [True, False]


def test_check_article_splits_a_summary_given_as_text() -> None:
    article = Article(text=CONSEIL, language="fr")
    checked = check_article(
        article, "Le conseil a voté jeudi la fermeture de la piscine. Elle rouvrira en 2031."
    )
    assert [c.supported for c in checked] == [True, False]


def test_bad_summaries_are_verify_errors() -> None:
    with pytest.raises(VerifyError, match="no sentences"):
        check_summary([], harbour(), "en")
    with pytest.raises(VerifyError, match="list of sentences"):
        check_summary("One sentence.", harbour(), "en")  # type: ignore[arg-type]
    with pytest.raises(VerifyError, match="the summary has 2"):
        check_summary(["One.", "Two."], harbour(), "en", cited=[[1]])


def _in_a_fresh_process(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )


def test_the_result_is_the_same_in_any_process() -> None:
    code = (
        "import json, sys\n"
        "from inbrief.render import checked_to_dict\n"
        "from inbrief.text import split_sentences\n"
        "from inbrief.verify import check_summary\n"
        "article = split_sentences(sys.stdin.read(), 'en')\n"
        "summary = ['Councillors voted 7 to 3 to close the tunnel.', 'Tom Lee did not cross.']\n"
        "print(json.dumps([checked_to_dict(c) for c in check_summary(summary, article, 'en')]))\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            input=HARBOUR,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1
    assert json.loads(outputs.pop())[0]["problems"]


def test_without_wordfreq_the_check_says_which_extra_to_install() -> None:
    result = _in_a_fresh_process(
        "import sys\n"
        "sys.modules['wordfreq'] = None  # as in an install without the llm extra\n"
        "from inbrief.errors import VerifyError\n"
        "from inbrief.text import split_sentences\n"
        "from inbrief.verify import check_summary\n"
        "try:\n"
        "    check_summary(['A town met.'], split_sentences('A town met on Monday.'), 'en')\n"
        "except VerifyError as exc:\n"
        "    print(exc)\n"
    )
    assert result.stdout.strip() == (
        "checking summaries needs the llm extra: pip install 'inbrief[llm]'"
    )


# --- the command --------------------------------------------------------------------------


def inbrief(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "inbrief", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "story.txt"
    path.write_text(HARBOUR, encoding="utf-8")
    return path


def test_verify_a_summary_file_against_an_article_file(story: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.txt"
    summary.write_text(
        "- Councillors voted 7 to 2 to close the bridge.\n- The repairs will take 16 weeks\n",
        encoding="utf-8",
    )
    result = inbrief("verify", str(story), "--summary", str(summary))
    assert result.returncode == 0, result.stderr
    sentences = json.loads(result.stdout)["sentences"]
    assert [s["text"] for s in sentences] == [
        "Councillors voted 7 to 2 to close the bridge.",
        "The repairs will take 16 weeks",
    ]
    assert [s["supported"] for s in sentences] == [True, False]
    assert sentences[1]["problems"] == [
        {"kind": "number", "text": "16", "note": "not in the article"}
    ]
    support = sentences[0]["support"][0]
    assert HARBOUR[support["start"] : support["end"]] == support["text"]


def test_verify_reads_the_summary_from_stdin(story: Path) -> None:
    result = inbrief("verify", str(story), "--summary", "-", stdin="Tom Okafor runs a ferry.\n")
    assert result.returncode == 0, result.stderr
    (sentence,) = json.loads(result.stdout)["sentences"]
    assert sentence["supported"] is True


def test_verify_jsonl_answers_every_line_in_order_and_reports_bad_ones() -> None:
    lines = [
        {
            "id": "a",
            "article": HARBOUR,
            "summary": ["The council met on Monday.", "It met in 1999."],
        },
        "this line is not JSON",
        {"id": "c", "text": CONSEIL, "language": "fr", "summary": "La piscine ferme."},
        {"id": "d", "text": HARBOUR},
    ]
    stdin = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    result = inbrief("verify", "--jsonl", "-", stdin=stdin + "\n")
    assert result.returncode == 1
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [answer["id"] for answer in answers] == ["a", None, "c", "d"]
    assert [s["supported"] for s in answers[0]["sentences"]] == [True, False]
    assert "not valid JSON" in answers[1]["error"]
    assert answers[2]["sentences"][0]["supported"] is True
    assert "summary" in answers[3]["error"]
    errors = result.stderr.strip().splitlines()
    assert errors[0].startswith("inbrief: line 2: ")
    assert errors[1].startswith("inbrief: line 4: ")
    assert "Traceback" not in result.stderr


def test_verify_without_a_summary_is_a_usage_error(story: Path) -> None:
    result = inbrief("verify", str(story))
    assert result.returncode == 2
    assert result.stderr.startswith("inbrief: ")
    assert "Traceback" not in result.stderr


def test_verify_of_a_missing_article_is_one_line_on_stderr(tmp_path: Path) -> None:
    result = inbrief("verify", str(tmp_path / "gone.txt"), "--summary", "-", stdin="A line.")
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
