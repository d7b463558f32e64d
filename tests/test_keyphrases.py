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
from inbrief.keyphrases.words import sentence_tokens
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
    text = "The storm reached Florida. Damage from the storm in Florida was severe."
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
            assert 1 <= len(words) <= 5  # a name may be long: "New York State Attorney General"
            assert not any(word in stop for word in words), (article["id"], phrase)
            assert not phrase.replace(".", "").isdigit()


def test_phrases_do_not_repeat_a_word_stem() -> None:
    text = (
        "The council closed on Friday. Councils met later. Two councils said the council "
        "had lost the vote. The vote was close."
    )
    phrases = keyphrases(text, "en")
    all_stems = [stem for phrase in phrases for stem in stems(tokenize(phrase), "en")]
    assert len(all_stems) == len(set(all_stems))
    assert "council" in phrases and "vote" in phrases


def test_possessives_and_elisions_are_dropped() -> None:
    english = "Obama's plan was new. The plan followed Obama's speech. Critics of the plan spoke."
    assert keyphrases(english, "en", 2) == ("Obama", "plan")
    french = "L'ACTA a été rejeté. Le Parlement européen a rejeté l'ACTA hier."
    assert keyphrases(french, "fr", 1) == ("ACTA",)
    assert "accorder asile" not in keyphrases("Il faut accorder l'asile. Accorder l'asile.", "fr")


def test_dotted_acronyms_keep_their_final_dot() -> None:
    text = "Officials in the U.S. were told. The U.S. economy grew. Firms in the U.S. hired."
    assert keyphrases(text, "en", 1) == ("U.S.",)


def test_words_and_marks_are_read_whatever_the_white_space_around_them() -> None:
    spaced = "  The U.S.  economy -lrb- GDP -rrb- grew ,\tdon't  worry .  \n "
    assert sentence_tokens(spaced) == [
        "The", "U.S.", "economy", "", "GDP", "", "grew", "", "don't", "worry", "",
    ]  # fmt: skip
    assert sentence_tokens(" \t\n ") == []
    # White space at the end is stripped first: matched from each of its positions in turn,
    # 200,000 spaces would take minutes.
    assert sentence_tokens("Flood hits town." + " " * 200_000) == ["Flood", "hits", "town", ""]


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


def test_a_whole_name_is_one_phrase_and_its_surname_counts_for_it() -> None:
    text = (
        "Senator Adam Schiff spoke to reporters in the capital. Schiff said the inquiry would "
        "go on. Critics of Schiff called the hearing unfair. The hearing ends soon."
    )
    phrases = keyphrases(text, "en")
    assert phrases[0] == "Adam Schiff"
    assert not {"Adam", "Schiff", "Senator"} & set(phrases)


def test_a_title_is_cut_off_the_name_it_stands_before() -> None:
    text = (
        "The visit of President Donald Trump to Ohio drew crowds. Supporters of Donald Trump "
        "waited for hours. Trump arrived late."
    )
    assert keyphrases(text, "en", 1) == ("Donald Trump",)


def test_a_capital_that_opens_a_sentence_is_no_name() -> None:
    text = (
        "Citing safety, the mayor closed the bridge over the Rhine. Engineers inspected the "
        "bridge near the Rhine again."
    )
    phrases = keyphrases(text, "en")
    assert "Rhine" in phrases and "bridge" in phrases
    assert not any("Citing" in phrase for phrase in phrases)


@pytest.mark.parametrize(
    ("language", "text", "banned"),
    [
        (
            "en",
            "On Monday the company said the harbour would reopen in January. People in the "
            "harbour town waited all year. By Monday the harbour was busy, per cent by per cent.",
            {"Monday", "January", "company", "people", "year", "per cent"},
        ),
        (
            "ru",
            "Утром в понедельник в порту Мурманска открыли новый причал. Теперь в порту "
            "Мурманска в этом году ждут рост. Прежде в январе года порт Мурманска закрывали.",
            {"понедельник", "году", "года", "январе"},
        ),
        (
            "fr",
            "Lundi, le port de Brest a rouvert. Le port de Brest attend une année record en "
            "janvier. Le port de Brest est prêt depuis lundi.",
            {"Lundi", "lundi", "année", "janvier"},
        ),
        (
            "de",
            "Am Montag öffnete der Hafen von Kiel wieder. Der Hafen von Kiel erwartet im Januar "
            "ein gutes Jahr. Im Jahr davor war der Hafen von Kiel leer.",
            {"Montag", "Januar", "Jahr"},
        ),
    ],
)
def test_dates_and_generic_news_words_are_no_phrases(
    language: str, text: str, banned: set[str]
) -> None:
    phrases = keyphrases(text, language)
    assert phrases
    assert not banned & {word for phrase in phrases for word in [phrase, *phrase.split()]}


def test_a_verb_is_no_phrase_unless_used_as_a_noun() -> None:
    text = (
        "Divers recovered the wreck. The wreck was recovered near the reef. Divers reportedly "
        "recovered coins from the wreck. The building of the museum began; the building opens."
    )
    phrases = keyphrases(text, "en")
    assert "wreck" in phrases and "building" in phrases
    assert not {"recovered", "reportedly"} & set(phrases)


def test_a_phrase_needs_two_mentions_or_a_name_in_the_title_or_lead() -> None:
    text = "Floods hit Valencia after a storm. Roads closed and trains stopped for a day."
    assert keyphrases(text, "en") == ("Valencia",)  # a name in the opening sentence
    later = "Roads closed after a storm. Floods hit Valencia and trains stopped for a day."
    assert keyphrases(later, "en") == ()
    assert keyphrases(later, "en", title="Valencia under water") == ("Valencia",)


def test_a_short_article_gets_fewer_phrases() -> None:
    text = (
        "Ferries to Capri stopped. Ferries to Capri may resume. Ischia waits; Ischia is calm. "
        "Naples port is shut. Naples port may open."
    )
    assert len(keyphrases(text, "en", 8)) == 2  # 22 words: 2 + 22 // 40


def test_an_inflected_name_shows_its_base_form_over_its_commonest() -> None:
    text = (
        "Мэр Казани открыл парк. Жители Казани довольны. Теперь в Казани парк работает до ночи. "
        "Летом в Казань приехали туристы."
    )
    assert keyphrases(text, "ru")[0] == "Казань"


def test_stop_words_of_a_quoted_language_are_dropped() -> None:
    quote = "dijo que el pueblo de la sierra no tiene agua y que los niños de la escuela esperan"
    text = f"Villagers in Peru spoke to reporters. A farmer {quote}. Peru promised water. {quote}."
    phrases = keyphrases(text, "en")
    assert "Peru" in phrases
    assert not {"que", "el", "de", "la", "los"} & {w for p in phrases for w in p.split()}


def test_japanese_particles_are_boundaries() -> None:
    text = "東京都は新しい計画を発表した。東京都の計画は来年始まる。"
    phrases = keyphrases(text, "ja")
    assert "東京都" in phrases and "計画" in phrases


def test_an_adjective_after_a_name_belongs_to_it_where_adjectives_follow_nouns() -> None:
    text = (
        "Le texte a été rejeté par le Parlement européen mardi. Les députés du Parlement "
        "européen ont voté contre. Le Parlement européen siège à Strasbourg."
    )
    phrases = keyphrases(text, "fr")
    assert phrases[0] == "Parlement européen"
    assert not {"Parlement", "européen", "rejeté", "mardi"} & set(phrases)


def test_a_genitive_before_a_name_is_a_name_of_its_own() -> None:
    text = (
        "Премьер-министр Норвегии Ола Нордман посетил завод. Жители Норвегии ждали визита. "
        "Ола Нордман обещал новые рабочие места."
    )
    phrases = keyphrases(text, "ru")
    assert "Ола Нордман" in phrases
    assert not any(phrase.startswith("Норвегии ") for phrase in phrases)


def test_a_german_compound_title_is_cut_off_the_name() -> None:
    text = (
        "Die Umweltministerin Petra Beispiel besuchte den Hafen. Petra Beispiel sprach mit "
        "Fischern am Hafen. Der Hafen soll wachsen."
    )
    phrases = keyphrases(text, "de")
    assert "Petra Beispiel" in phrases and "Hafen" in phrases
    assert not any("Umweltministerin" in phrase for phrase in phrases)


@pytest.mark.parametrize(
    ("language", "text", "expected", "banned"),
    [
        (
            "es",
            "El lunes el puerto de Vigo cerró por la tormenta. En enero el puerto de Vigo "
            "había sido ampliado. Cada año el puerto de Vigo recibe barcos.",
            "Vigo",
            {"lunes", "enero", "año", "ampliado"},
        ),
        (
            "it",
            "Lunedì il porto di Genova è stato chiuso. A gennaio il porto di Genova era stato "
            "ampliato. Ogni anno il porto di Genova accoglie navi.",
            "Genova",
            {"Lunedì", "gennaio", "anno", "ampliato"},
        ),
        (
            "pt",
            "Na segunda-feira o porto de Santos foi fechado. Em janeiro o porto de Santos tinha "
            "sido ampliado. Todo ano o porto de Santos recebe navios.",
            "Santos",
            {"janeiro", "ano", "ampliado", "fechado"},
        ),
        (
            "nl",
            "Op maandag ging de haven van Delfzijl dicht. In januari werd de haven van Delfzijl "
            "groter. Elk jaar ontvangt de haven van Delfzijl schepen.",
            "Delfzijl",
            {"maandag", "januari", "jaar"},
        ),
    ],
)
def test_each_language_gets_its_names_without_dates_or_participles(
    language: str, text: str, expected: str, banned: set[str]
) -> None:
    phrases = keyphrases(text, language)
    assert expected in phrases
    assert not banned & {word for phrase in phrases for word in phrase.split()}
