# ruff: noqa: RUF001
# (Kazakh text is meant as written.)
"""Kazakh (Cyrillic) news: told from Russian, split into sentences, stop words and stems,
key phrases, and summarized by the ``news`` summarizer's language-neutral model.  Every text
here is written for these tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from inbrief.keyphrases import keyphrases
from inbrief.pipeline import summarize
from inbrief.text import detect_language, split_sentences, stems, stopwords, terms
from inbrief.text.tokens import kazakh_stem

BRIDGE = (
    "Павлодар облысында жаңа көпір ашылды\n\n"
    "Павлодар облысының әкімі Ерлан Сапаров (оң жақта) көпірдің ашылу салтанатында\n"
    "Сурет: Павлодар облысы әкімдігі\n"
    "Павлодар облысында Ертіс өзені арқылы салынған жаңа көпір 12 қыркүйек 2023 ж. көлік "
    "қозғалысы үшін ашылды. Көпірдің ұзындығы 800 метр, оның құрылысына 15 млрд теңге "
    "жұмсалды.\n\n"
    "Облыс әкімі Ерлан Сапаровтың айтуынша, жаңа көпір Павлодар мен Ақсу қалалары арасындағы "
    "жолды екі сағатқа қысқартады. Бұрын жүргізушілер ескі көпірді пайдаланып, кезекте ұзақ "
    "тұратын.\n\n"
    "Көпір құрылысы 2020 жылы басталған. Жұмысқа 600-ден астам құрылысшы қатысты. "
    "Құрылысшылар көпірді белгіленген мерзімнен бір ай бұрын аяқтады.\n\n"
    "Сапаров жаңа көпір өңірдің экономикасына жақсы әсер ететінін атап өтті. Оның сөзінше, "
    "келесі жылы Ертіс өзені арқылы тағы бір көпір салу жоспарланып отыр. Павлодар тұрғындары "
    "жаңа көпірдің ашылуын қуанышпен қарсы алды."
)


@pytest.mark.parametrize(
    "text",
    [
        BRIDGE,
        "Астанада бүгін жаңа мектеп ашылды.",  # one short sentence
        "Үкімет отырысында министрлер жаңа бағдарламаны талқылады және оны бірауыздан "
        "мақұлдады. Бағдарлама бойынша келесі жылы елде жүз мектеп салынады.",
    ],
)
def test_kazakh_is_told_from_russian(text: str) -> None:
    assert detect_language(text) == "kk"


def test_russian_stays_russian() -> None:
    text = "Правительство одобрило новую программу строительства школ в регионах страны."
    assert detect_language(text) == "ru"


def test_kazakh_sentences_split_at_their_ends_and_not_after_abbreviations() -> None:
    texts = [s.text for s in split_sentences(BRIDGE, "kk")]
    assert texts[0] == "Павлодар облысында жаңа көпір ашылды"
    # The caption, its credit and the story are sentences of their own.
    assert texts[1].endswith("салтанатында")
    assert texts[2] == "Сурет: Павлодар облысы әкімдігі"
    # "2023 ж." (жыл, year) and "15 млрд" do not end a sentence.
    assert texts[3].startswith("Павлодар облысында Ертіс") and texts[3].endswith("ашылды.")
    assert texts[4].startswith("Көпірдің ұзындығы") and texts[4].endswith("жұмсалды.")
    assert "Жұмысқа 600-ден астам құрылысшы қатысты." in texts


def test_kazakh_stop_words_and_stems() -> None:
    assert {"және", "үшін", "бұл", "деп", "бірақ"} <= stopwords("kk")
    assert stopwords("kk-KZ") == stopwords("kazakh") == stopwords("kk")
    # Forms of one word share a stem: Kazakh stacks its endings after an unchanging stem.
    assert len(set(stems(["президент", "президенті", "президенттің"], "kk"))) == 1
    assert kazakh_stem("астанада") == kazakh_stem("астанаға") == kazakh_stem("астана")
    assert "және" not in terms("Үкімет және парламент", "kk")


def test_kazakh_keyphrases_have_no_stop_words_or_calendar_words() -> None:
    phrases = keyphrases(BRIDGE, "kk", title="Павлодар облысында жаңа көпір ашылды")
    assert "Ерлан Сапаров" in phrases
    assert "Павлодар" in phrases or "Павлодар облысы" in phrases
    words = {word.lower() for phrase in phrases for word in phrase.split()}
    assert not words & stopwords("kk")
    assert not words & {"қыркүйек", "жылы", "жыл", "ай", "сағатқа"}


def test_kazakh_months_and_weekdays_in_any_form_are_no_phrases() -> None:
    text = (
        "Қарағандыда зауыт дүйсенбіде жабылды. Зауыт жұмысшылары наурызда жиналды. "
        "Наурыздың соңында Қарағандыда зауыт қайта ашылды. Зауыт дүйсенбіден бастап жұмыс "
        "істейді."
    )
    phrases = keyphrases(text, "kk")
    assert "зауыт" in {phrase.lower() for phrase in phrases}
    words = {word.lower() for phrase in phrases for word in phrase.split()}
    assert not words & {"дүйсенбіде", "наурызда", "наурыздың", "дүйсенбіден"}


def test_a_kazakh_article_is_summarized_without_its_caption(tmp_path: Path) -> None:
    story = tmp_path / "kopir.txt"
    story.write_text(BRIDGE, encoding="utf-8")
    summary = summarize(story, sentences=3)
    assert summary.article.language == "kk"
    assert summary.article.title == "Павлодар облысында жаңа көпір ашылды"
    chosen = [s.text for s in summary.sentences]
    assert len(chosen) == 3
    assert not any("Сурет:" in text or "(оң жақта)" in text for text in chosen)
    assert all(summary.article.text[s.start : s.end] == s.text for s in summary.sentences)
    assert summary.keyphrases


def test_the_cli_summarizes_a_kazakh_article_as_json(tmp_path: Path) -> None:
    story = tmp_path / "kopir.txt"
    story.write_text(BRIDGE, encoding="utf-8")
    command = [sys.executable, "-m", "inbrief", "summarize", str(story), "--format", "json"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["language"] == "kk"
    assert len(data["summary"]) == 3
    assert data["keyphrases"]
