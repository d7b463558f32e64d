# ruff: noqa: RUF001
# (Real sentences in many scripts, with their own quotes and punctuation.)
"""Text primitives: sentence splitting, tokens, stems, stop words, terms, language id.

Most cased examples are real sentences from the demo corpus (Wikinews, CC BY 2.5; Global
Voices, CC BY 3.0; see /work/shared/demo/SOURCE.md).  The lower-cased, PTB-tokenised examples
are look-alikes written for these tests in the form of CNN/DailyMail: evaluation text stays out
of the repository.  The property tests run over the demo corpus and the CNN/DailyMail dev set
when ../shared is present and skip otherwise.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from inbrief.models import Sentence
from inbrief.text import (
    count_words,
    dateline_date,
    detect_language,
    normalize_language,
    split_sentences,
    stems,
    stopwords,
    terms,
    tokenize,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEMO = SHARED / "demo" / "articles.jsonl"
CNNDM = SHARED / "data" / "cnndm-dev.jsonl.gz"
SEED = SHARED / "seed" / "page.txt"


def texts(text: str, language: str | None = None) -> list[str]:
    return [sentence.text for sentence in split_sentences(text, language)]


def demo_articles() -> list[dict[str, str]]:
    if not DEMO.exists():
        pytest.skip(f"demo corpus not found at {DEMO}")
    return [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines()]


def cnndm_articles(count: int) -> list[str]:
    if not CNNDM.exists():
        pytest.skip(f"CNN/DailyMail dev set not found at {CNNDM}")
    with gzip.open(CNNDM, "rt", encoding="utf-8") as lines:
        return [json.loads(line)["article"] for _, line in zip(range(count), lines, strict=False)]


# --- the Sentence contract ----------------------------------------------------------------------


def test_sentences_point_back_into_the_text() -> None:
    text = "  The fire started at dawn.   Crews arrived an hour later.\n"
    sentences = split_sentences(text, "en")
    assert sentences == [
        Sentence(0, 2, 27, "The fire started at dawn."),
        Sentence(1, 30, 58, "Crews arrived an hour later."),
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_empty_and_blank_text_have_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n \t ") == []


def test_text_without_final_punctuation_is_one_sentence() -> None:
    assert texts("Armenia and CSTO: Kazakhstan Highlights Ongoing Security Role", "en") == [
        "Armenia and CSTO: Kazakhstan Highlights Ongoing Security Role"
    ]


def test_a_sentence_never_crosses_a_blank_line() -> None:
    text = "Hurricane Humberto strengthened\n\nIt moved west of Bermuda.\n   \nMore later"
    assert texts(text, "en") == [
        "Hurricane Humberto strengthened",
        "It moved west of Bermuda.",
        "More later",
    ]


def test_offsets_are_exact_on_every_demo_article() -> None:
    for article in demo_articles():
        body, language = article["body"], article["language"]
        sentences = split_sentences(body, language)
        assert sentences, article["id"]
        assert [s.index for s in sentences] == list(range(len(sentences)))
        previous_end = 0
        for sentence in sentences:
            assert body[sentence.start : sentence.end] == sentence.text
            assert sentence.text.strip() == sentence.text != ""
            assert "\n\n" not in sentence.text
            assert sentence.start >= previous_end
            previous_end = sentence.end


# --- English ------------------------------------------------------------------------------------


def test_english_titles_do_not_end_sentences() -> None:
    text = (
        "According to Dr. Tom Frieden, formerly the director of the United States' Centers for "
        'Disease Control and Prevention, the pandemic is "unprecedented." He said, in remarks '
        "published by CNN in February, that no other respiratory virus had spread so far."
    )
    assert texts(text, "en") == [
        "According to Dr. Tom Frieden, formerly the director of the United States' Centers for "
        'Disease Control and Prevention, the pandemic is "unprecedented."',
        "He said, in remarks published by CNN in February, that no other respiratory virus had "
        "spread so far.",
    ]


def test_us_inside_a_sentence_is_an_abbreviation() -> None:
    text = (
        "Mendez spent most of his 25-year career at posts outside the U.S., many in Asia. "
        "In 1979, revolutionaries took control of Iran and captured the U.S. embassy."
    )
    assert texts(text, "en") == [
        "Mendez spent most of his 25-year career at posts outside the U.S., many in Asia.",
        "In 1979, revolutionaries took control of Iran and captured the U.S. embassy.",
    ]


def test_abbreviation_that_ends_a_sentence_splits_before_a_sentence_opener() -> None:
    text = (
        "The talks were held in Washington, D.C. The next round is in the U.K. According to "
        "officials, Acme Inc. They declined to comment."
    )
    assert texts(text, "en") == [
        "The talks were held in Washington, D.C.",
        "The next round is in the U.K.",
        "According to officials, Acme Inc.",
        "They declined to comment.",
    ]


def test_initials_do_not_end_sentences() -> None:
    text = (
        "Trump granted Edward J. DeBartolo Jr. a full and unconditional pardon. J. K. Rowling "
        "met George W. Bush. They talked."
    )
    assert texts(text, "en") == [
        "Trump granted Edward J. DeBartolo Jr. a full and unconditional pardon.",
        "J. K. Rowling met George W. Bush.",
        "They talked.",
    ]


def test_decimals_and_thousands_do_not_end_sentences() -> None:
    text = "The index rose 3.5 percent to 1,000.50 points. A magnitude 5.2 earthquake hit."
    assert texts(text, "en") == [
        "The index rose 3.5 percent to 1,000.50 points.",
        "A magnitude 5.2 earthquake hit.",
    ]


def test_times_and_months_do_not_end_sentences() -> None:
    text = (
        "The fire started some time after 3 a.m. local time Monday. It began on Dec. 28, when "
        "we had a 4.7-magnitude [earthquake] there."
    )
    assert texts(text, "en") == [
        "The fire started some time after 3 a.m. local time Monday.",
        "It began on Dec. 28, when we had a 4.7-magnitude [earthquake] there.",
    ]


def test_latin_and_company_abbreviations_inside_a_sentence() -> None:
    text = (
        "Big firms, e.g. Acme Corp. and Initech Inc. of Austin, i.e. the two largest, met vs. "
        "Mr. Smith and Mrs. Jones on No. 10 Downing St. in London. Nothing was agreed."
    )
    assert texts(text, "en") == [
        "Big firms, e.g. Acme Corp. and Initech Inc. of Austin, i.e. the two largest, met vs. "
        "Mr. Smith and Mrs. Jones on No. 10 Downing St. in London.",
        "Nothing was agreed.",
    ]


def test_question_inside_quotes_followed_by_attribution_is_one_sentence() -> None:
    text = "“What if I met Obama?” wonders Mohamed Malouk. Blogging on Elmafjoue, he says so."
    assert texts(text, "en") == [
        "“What if I met Obama?” wonders Mohamed Malouk.",
        "Blogging on Elmafjoue, he says so.",
    ]


def test_sentence_ending_inside_quotes_keeps_the_closing_quote() -> None:
    text = (
        'He specialized in a process called "exfiltration." He studied Hollywood makeup. '
        "She said: 'It is over.' Then she left."
    )
    assert texts(text, "en") == [
        'He specialized in a process called "exfiltration."',
        "He studied Hollywood makeup.",
        "She said: 'It is over.'",
        "Then she left.",
    ]


def test_ellipsis_ends_a_sentence_only_before_a_capital() -> None:
    text = "We waited... and waited. Then nothing… The end."
    assert texts(text, "en") == ["We waited... and waited.", "Then nothing…", "The end."]


def test_question_and_exclamation_marks_end_sentences() -> None:
    assert texts("No time to read?\nGet a summary! It is free.", "en") == [
        "No time to read?",
        "Get a summary!",
        "It is free.",
    ]


def test_list_numbers_do_not_make_sentences() -> None:
    assert texts("So that is emotional harm.\n3. Spiritual harm. You tamper with faith.", "en") == [
        "So that is emotional harm.",
        "3. Spiritual harm.",
        "You tamper with faith.",
    ]


def test_seed_page_splits_into_its_sentences() -> None:
    if not SEED.exists():
        pytest.skip(f"seed page not found at {SEED}")
    sentences = texts(SEED.read_text(encoding="utf-8"), "en")
    assert "The comments were reported by NUR.KZ." in sentences
    assert "No time to read?" in sentences
    assert sentences[1:3] == ["No time to read?", "Get a summary"]


# --- French, German, Russian, Spanish -----------------------------------------------------------


def test_french_monsieur_is_an_abbreviation() -> None:
    text = (
        "Le crucial poste de ministre des Finances a été confié au banquier Vassilis Rapanos qui "
        "sera assisté par l'ex-conseiller économique de M. Samaras, Christos Staïkouras, nommé "
        "vice-ministre. Le ministère des Affaires étrangères revient à Dimitris Avramopoulos."
    )
    assert len(texts(text, "fr")) == 2
    assert texts(text, "fr")[0].endswith("nommé vice-ministre.")


def test_french_guillemets_stay_with_their_sentence() -> None:
    text = (
        "Pour Jérémie Zimmermann, « Ce vote est une immense victoire ! » Le porte-parole du "
        "collectif se félicite du débat. « Pourquoi ? » demanda-t-il."
    )
    assert texts(text, "fr") == [
        "Pour Jérémie Zimmermann, « Ce vote est une immense victoire ! »",
        "Le porte-parole du collectif se félicite du débat.",
        "« Pourquoi ? » demanda-t-il.",
    ]


def test_french_abbreviations() -> None:
    text = "Mme Martin et Mlle Roux, p. ex. les voisines, sont venues. Elles sont reparties."
    assert texts(text, "fr") == [
        "Mme Martin et Mlle Roux, p. ex. les voisines, sont venues.",
        "Elles sont reparties.",
    ]


def test_german_ordinals_and_titles_do_not_end_sentences() -> None:
    text = (
        "In Bremen veranstaltete die Partei dazu am 2. Oktober ein Fachforum in der "
        "Stadtbibliothek, an dem Prof. Ulrich Bonk teilnahm. Wählbar sind Personen, die am "
        "Wahltag das 18. Lebensjahr, aber noch nicht das 65. vollendet haben. Somit findet am 5. "
        "Juli eine Stichwahl statt."
    )
    assert texts(text, "de") == [
        "In Bremen veranstaltete die Partei dazu am 2. Oktober ein Fachforum in der "
        "Stadtbibliothek, an dem Prof. Ulrich Bonk teilnahm.",
        "Wählbar sind Personen, die am Wahltag das 18. Lebensjahr, aber noch nicht das 65. "
        "vollendet haben.",
        "Somit findet am 5. Juli eine Stichwahl statt.",
    ]


def test_german_quote_closes_its_sentence() -> None:
    text = (
        "Christina Jantz erklärte dazu: „Wir möchten, dass eine möglichst breite Debatte geführt "
        "wird.“ Es herrschte Einmütigkeit darüber."
    )
    assert texts(text, "de") == [
        "Christina Jantz erklärte dazu: „Wir möchten, dass eine möglichst breite Debatte geführt "
        "wird.“",
        "Es herrschte Einmütigkeit darüber.",
    ]


def test_german_two_part_abbreviations_and_numbers() -> None:
    text = "Es gibt z. B. Feste, d. h. Märkte, in Nr. 5 der Straße. Die Leute kommen."
    assert texts(text, "de") == [
        "Es gibt z. B. Feste, d. h. Märkte, in Nr. 5 der Straße.",
        "Die Leute kommen.",
    ]


def test_russian_initials_and_abbreviations() -> None:
    text = (
        "А. С. Пушкин родился в 1799 г. в Москве. Он поэт, т. е. писатель. Улица им. Пушкина "
        "длинная. Там есть кафе, магазины и т. д. Он любил гулять."
    )
    assert texts(text, "ru") == [
        "А. С. Пушкин родился в 1799 г. в Москве.",
        "Он поэт, т. е. писатель.",
        "Улица им. Пушкина длинная.",
        "Там есть кафе, магазины и т. д.",
        "Он любил гулять.",
    ]


def test_russian_quote_keeps_its_closing_guillemet() -> None:
    text = (
        "Глава Минздрава Мэтт Хэнкок поздравил пару через Twitter: «Очень рад за Бориса и "
        "Кэрри. Прекрасный и беззаботно-радостный момент!» Борис Джонсон накануне переболел."
    )
    assert texts(text, "ru")[1:] == [
        "Прекрасный и беззаботно-радостный момент!»",
        "Борис Джонсон накануне переболел.",
    ]


def test_spanish_titles_and_inverted_marks() -> None:
    text = "El Sr. García viajó a EE. UU. ayer. ¿Qué pasa? La Sra. López no sabe. ¡Qué pena!"
    assert texts(text, "es") == [
        "El Sr. García viajó a EE. UU. ayer.",
        "¿Qué pasa?",
        "La Sra. López no sabe.",
        "¡Qué pena!",
    ]


def test_cjk_full_stops_need_no_space() -> None:
    assert texts("我们走吧。他说：「好！」然后离开了", "zh") == [
        "我们走吧。",
        "他说：「好！」",
        "然后离开了",
    ]


# --- datelines ----------------------------------------------------------------------------------


def test_a_dateline_dash_ends_the_dateline_not_opens_the_story() -> None:
    text = "12 mars 2021. - Le conseil municipal a voté le budget. Il entre en vigueur lundi."
    assert texts(text, "fr") == [
        "12 mars 2021. -",
        "Le conseil municipal a voté le budget.",
        "Il entre en vigueur lundi.",
    ]


def test_a_dateline_without_a_full_stop_is_a_sentence_of_its_own() -> None:
    assert texts("Lundi 12 avril 2021 – Le pont a rouvert après six mois de travaux.", "fr") == [
        "Lundi 12 avril 2021 –",
        "Le pont a rouvert après six mois de travaux.",
    ]
    assert texts("WASHINGTON, March 3, 2021 — The Senate passed the bill on Tuesday.", "en") == [
        "WASHINGTON, March 3, 2021 —",
        "The Senate passed the bill on Tuesday.",
    ]


def test_a_dateline_may_follow_a_lede() -> None:
    text = "Le maire de Lyon quitte ses fonctions.\n\n3 mai 2021. – Le maire a démissionné."
    assert texts(text, "fr") == [
        "Le maire de Lyon quitte ses fonctions.",
        "3 mai 2021. –",
        "Le maire a démissionné.",
    ]


def test_a_dash_opening_a_quotation_or_an_aside_stays_in_its_sentence() -> None:
    assert texts("— Мы не знаем, — сказал он. — Но мы узнаем.", "ru") == [
        "— Мы не знаем, — сказал он.",
        "— Но мы узнаем.",
    ]
    assert texts("In 2021 - a year of floods - the river rose twice.", "en") == [
        "In 2021 - a year of floods - the river rose twice."
    ]
    assert texts("Le 12 mars 2021 - jour du vote - la salle était pleine.", "fr") == [
        "Le 12 mars 2021 - jour du vote - la salle était pleine."
    ]


@pytest.mark.parametrize(
    ("text", "language", "date"),
    [
        ("12 mars 2021. - Le conseil municipal a voté le budget.", "fr", "2021-03-12"),
        ("Vendredi 1er octobre 2021. – Le pont a rouvert.", "fr", "2021-10-01"),
        ("March 3, 2021 — The Senate passed the bill.", "en", "2021-03-03"),
        ("WASHINGTON, March 3, 2021 — The Senate passed the bill.", "en", "2021-03-03"),
        ("Freitag, 5. März 2021 – Der Stadtrat hat den Haushalt beschlossen.", "de", "2021-03-05"),
        ("5 de marzo de 2021. - El ayuntamiento aprobó el presupuesto.", "es", "2021-03-05"),
        ("5 марта 2021 года. — Городской совет утвердил бюджет.", "ru", "2021-03-05"),
        ("17 февраля 2021 г. — Городской совет утвердил бюджет.", "ru", "2021-02-17"),
        ("12 mars 2021.\n\nLe conseil municipal a voté le budget.", "fr", "2021-03-12"),
        ("Le maire quitte Lyon.\n\n3 mai 2021. – Le maire a démissionné.", "fr", "2021-05-03"),
    ],
)
def test_a_dateline_gives_the_date_in_the_language_of_the_text(
    text: str, language: str, date: str
) -> None:
    assert dateline_date(text, language) == date


def test_a_date_inside_the_first_sentence_is_no_dateline() -> None:
    assert dateline_date("Le 12 mars 2021, le conseil municipal a voté le budget.", "fr") is None
    assert dateline_date("On March 3, 2021 the Senate passed the bill.", "en") is None
    assert dateline_date("The council met. 12 mars 2021. - Later news.", "fr") is None


def test_a_dateline_needs_a_real_date() -> None:
    assert dateline_date("12 sujets 2021. - Le conseil municipal a voté.", "fr") is None
    assert dateline_date("31 février 2021. - Le conseil municipal a voté.", "fr") is None
    assert dateline_date("12 mars 2021. - Le conseil municipal a voté.", None) is None


# --- CNN/DailyMail (lower-cased, PTB-tokenised) -------------------------------------------------


def test_ptb_text_splits_at_period_tokens_and_keeps_abbreviations() -> None:
    text = (
        "denver ( cnn ) governor maria lopez says she is `` fully prepared to keep the road "
        "open '' while the storm moves east over kansas . another u.s. forecaster had warned "
        "on monday that `` heavy snow could bury the pass . '' the drivers did not hear that "
        "mr. novak had shut the gate . '' a plow can be spotted near the tunnel ."
    )
    assert texts(text, "en") == [
        "denver ( cnn ) governor maria lopez says she is `` fully prepared to keep the road "
        "open '' while the storm moves east over kansas .",
        "another u.s. forecaster had warned on monday that `` heavy snow could bury the pass . ''",
        "the drivers did not hear that mr. novak had shut the gate . ''",
        "a plow can be spotted near the tunnel .",
    ]


def test_ptb_question_with_attribution_is_one_sentence() -> None:
    text = "`` hear the bell ? '' she asked . `` who 's late ? '' they wave at the door ."
    assert texts(text, "en") == [
        "`` hear the bell ? '' she asked .",
        "`` who 's late ? ''",
        "they wave at the door .",
    ]


def test_ptb_list_numbers_and_ellipses_stay_inside_sentences() -> None:
    text = "at no . 7 on the list . 2 . in a close race , he loses . so slow . . . and loud !"
    assert texts(text, "en") == [
        "at no . 7 on the list .",
        "2 . in a close race , he loses .",
        "so slow . . . and loud !",
    ]


def test_cnndm_articles_split_at_every_period_token() -> None:
    for article in cnndm_articles(300):
        sentences = split_sentences(article, "en")
        assert all(article[s.start : s.end] == s.text for s in sentences)
        # Every sentence but the article's last ends on a terminal or closing-quote token.
        for sentence in sentences[:-1]:
            last = sentence.text.split()[-1]
            assert last[-1] in ".?!'’”", sentence.text
        # And no sentence holds a period token followed by a new sentence (" . the "), list
        # numbers aside ("2 . the obama factor").
        for sentence in sentences:
            assert " . the " not in re.sub(r"^\d+ \. ", "", sentence.text), sentence.text


# --- words --------------------------------------------------------------------------------------


def test_words_are_separated_by_white_space_in_spaced_scripts() -> None:
    assert count_words("The bridge reopened on Monday — after six months.") == 9
    assert count_words("Le pont a rouvert lundi, « enfin » !") == 9
    assert count_words("Мост открыли в понедельник.") == 4
    assert count_words("다리가 월요일에 다시 열렸다.") == 4
    assert count_words("") == 0


def test_each_han_or_kana_character_is_a_word() -> None:
    assert count_words("我们走吧。") == 4
    assert count_words("他说：「好！」然后离开了") == 8
    assert count_words("東京でニュースを読む") == 10


def test_latin_words_and_numbers_among_han_characters_count_once_each() -> None:
    # 绿坝 2, 软件 2, 2009 1, 年 1; "Green Dam" 2; brackets and the comma count nothing.
    assert count_words("Green Dam（绿坝）软件，2009年") == 8


def test_a_run_of_thai_counts_one_word_per_four_characters() -> None:
    # 17 characters, about 4 words: Thai writes no spaces between words.
    assert count_words("ฝนตกหนักในกรุงเทพ") == 4
    assert count_words("ฝนตกหนักในกรุงเทพ เมื่อวาน") == 6
    assert count_words("ฝน") == 1


def test_word_counts_add_up_over_the_sentences_of_chinese_text() -> None:
    text = "我们走吧。他说：「好！」然后离开了"
    assert sum(count_words(s.text) for s in split_sentences(text, "zh")) == count_words(text)


def test_words_of_cnndm_articles_are_their_white_space_separated_runs() -> None:
    for article in cnndm_articles(2000):
        assert count_words(article) == len(article.split())


# --- tokens, stems, stop words, terms -----------------------------------------------------------


def test_tokenize_lowercases_and_keeps_inner_apostrophes() -> None:
    assert tokenize("Don’t stop: L'Homme and Obama's U.S. plan cost $19,000.50!") == [
        "don't",
        "stop",
        "l'homme",
        "and",
        "obama's",
        "u.s",
        "plan",
        "cost",
        "19,000.50",
    ]


def test_tokenize_drops_ptb_punctuation_and_clitics() -> None:
    text = "obama 's plan does n't -lrb- really -rrb- work , `` he '' said ."
    assert tokenize(text) == ["obama", "plan", "does", "really", "work", "he", "said"]


def test_tokenize_keeps_quoted_words() -> None:
    assert tokenize("Trump says he 'can' and 'may'") == ["trump", "says", "he", "can", "and", "may"]


def test_stems_use_the_snowball_stemmer_of_the_language() -> None:
    assert stems(["ministers", "meeting", "agreed"], "en") == ["minist", "meet", "agre"]
    assert stems(["gouvernements", "nationale"], "fr") == ["gouvern", "national"]
    assert stems(["Regierungen"], "de-DE") == ["Regier"]
    assert stems(["правительства"], "ru") == ["правительств"]


def test_stems_leave_tokens_alone_without_a_stemmer() -> None:
    assert stems(["words", "here"], "xx") == ["words", "here"]
    assert stems(["words"], None) == ["words"]


@pytest.mark.parametrize(
    ("language", "common"),
    [
        ("en", {"the", "and", "said", "ca", "wo"}),
        ("fr", {"le", "la", "et", "est"}),
        ("de", {"der", "und", "dass"}),
        ("es", {"el", "los", "que"}),
        ("ru", {"и", "в", "не", "её"}),
        ("it", {"il", "che"}),
        ("pt", {"não", "que"}),
        ("nl", {"het", "een"}),
    ],
)
def test_stopwords_cover_the_commonest_words(language: str, common: set[str]) -> None:
    words = stopwords(language)
    assert common <= words
    assert all(word == word.lower() for word in words)


def test_stopwords_keep_news_content_words() -> None:
    assert not {"world", "new", "state", "may", "president"} & stopwords("en")


def test_stopwords_of_an_unknown_language_are_empty() -> None:
    assert stopwords("xx") == frozenset()
    assert stopwords(None) == frozenset()


def test_terms_are_stems_of_content_words() -> None:
    assert terms("The ministers were meeting in Paris.", "en") == ["minist", "meet", "pari"]


def test_terms_match_across_cased_and_ptb_forms() -> None:
    cased = terms("Iran's leaders didn't sign the U.S. deal.", "en")
    ptb = terms("iran 's leaders did n't sign the u.s. deal .", "en")
    assert cased == ptb == ["iran", "leader", "sign", "u.s", "deal"]


def test_terms_split_french_elisions() -> None:
    assert terms("L'accord d'Obama qu'il a signé", "fr") == ["accord", "obam", "sign"]


def test_terms_are_the_same_on_every_call() -> None:
    sentence = "The council agreed to close the city's oldest bridge."
    assert terms(sentence, "en") == terms(sentence, "en") == terms(sentence, "en-GB")


# --- language -----------------------------------------------------------------------------------


def test_normalize_language_reduces_tags_to_two_letters() -> None:
    assert normalize_language("en-US") == "en"
    assert normalize_language("fr_FR") == "fr"
    assert normalize_language(" DE ") == "de"
    assert normalize_language("deu") == "de"
    assert normalize_language("English") == "en"
    assert normalize_language("") is None
    assert normalize_language(None) is None


def test_detect_language_of_real_news() -> None:
    assert detect_language("Le ministère des Affaires étrangères revient au conservateur.") == "fr"
    assert detect_language("Somit findet am 5. Juli eine Stichwahl in Dresden statt.") == "de"
    assert detect_language("Андрей Варичев возглавляет «Металлоинвест» с 2013 года.") == "ru"
    assert detect_language("The fire started some time after 3 a.m. local time Monday.") == "en"


def test_detect_language_needs_enough_text() -> None:
    assert detect_language("Hola") is None


def test_detect_language_names_every_demo_article() -> None:
    for article in demo_articles():
        assert detect_language(article["body"]) == article["language"], article["id"]


# --- furniture on a line of its own: captions glued to the story, "Yahoo! News." -------------


def test_a_caption_line_without_punctuation_is_a_sentence_of_its_own() -> None:
    text = "Мэр города на открытии моста\nВ понедельник в Самаре открыли новый мост. Он длинный."
    assert texts(text, "ru") == [
        "Мэр города на открытии моста",
        "В понедельник в Самаре открыли новый мост.",
        "Он длинный.",
    ]


def test_a_caption_before_a_line_opening_with_a_quote_or_a_date_is_its_own_sentence() -> None:
    assert texts("Логотип «Стройбанка»\n«Стройбанк» закрыл отделения.", "ru")[0] == (
        "Логотип «Стройбанка»"
    )
    assert texts("Вид на набережную\n12 мая 2021 года мост открыли.", "ru")[0] == (
        "Вид на набережную"
    )


def test_a_sentence_wrapped_over_lines_stays_one_sentence() -> None:
    text = "The council voted on Monday\nto close the bridge, and Mayor\nLopez agreed."
    assert texts(text, "en") == [text]


def test_a_line_ending_on_a_stop_word_runs_on_into_the_next() -> None:
    text = "The council voted on\nMonday to close the bridge."
    assert texts(text, "en") == [text]


def test_a_line_ending_with_a_colon_runs_on_into_its_quotation() -> None:
    assert texts("The mayor said:\nThe bridge will reopen in May.", "en") == [
        "The mayor said:\nThe bridge will reopen in May."
    ]


def test_the_caption_rule_finds_every_demo_caption_and_nothing_else() -> None:
    # Single line breaks are rare in the demo corpus (100, in 22 of 83 articles); those after
    # a line with no punctuation are the Russian Wikinews captions, and one GlobalVoices line.
    split = []
    for article in demo_articles():
        body = article["body"].strip()
        for sentence in split_sentences(body, article["language"]):
            following = body[sentence.end : sentence.end + 2]
            unpunctuated = not sentence.text.rstrip("\"'”’»)]").endswith(tuple(".!?…:"))
            if unpunctuated and following[:1] == "\n" and following != "\n\n":
                split.append(article["id"][:15])
    assert split.count("ru-wikinews-001") == 2
    assert set(split) <= {f"ru-wikinews-{n:03}" for n in range(1, 13)} | {"en-globalvoices"}


def test_a_brand_name_ending_in_an_exclamation_mark_ends_no_sentence() -> None:
    assert texts("The mayor told Yahoo! News. She left.", "en") == [
        "The mayor told Yahoo! News.",
        "She left.",
    ]


@pytest.mark.parametrize(
    ("text", "language"),
    [("Stop! Now.", "en"), ("Она любит готовить еду! Любую.", "ru")],
)
def test_an_exclamation_before_a_one_word_sentence_still_ends_it(text: str, language: str) -> None:
    assert len(texts(text, language)) == 2


def test_an_exclamation_before_a_longer_sentence_still_ends_it() -> None:
    assert texts("Stop! The bridge is closed. Turn back.", "en") == [
        "Stop!",
        "The bridge is closed.",
        "Turn back.",
    ]
