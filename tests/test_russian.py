# ruff: noqa: RUF001
# (Russian text is meant as written.)
"""Russian news as Russian sites print it: photo captions and credits beside the story, case
forms of one name, dates in the genitive.  Every text here is written for these tests.
"""

from __future__ import annotations

import numpy as np
import pytest

from inbrief.keyphrases import keyphrases
from inbrief.models import Budget
from inbrief.pipeline import summarize
from inbrief.summarizers.news.features import featurize
from inbrief.summarizers.news.lines import ArticleLines
from inbrief.summarizers.news.rules import captions, is_boilerplate
from inbrief.summarizers.news.selection import choose
from inbrief.text import split_sentences

# A caption line without a full stop and a credit line glued to the story by single line
# breaks, as plain text copied from a Russian news page has them.
BRIDGE = (
    "Мэр Самары Елена Лапина (слева) на открытии моста через реку Самару 3 сентября\n"
    "Фото: ТАСС\n"
    "Новый мост через реку Самару открыли для движения в воскресенье. Строительство моста "
    "заняло четыре года и обошлось городу в девять миллиардов рублей.\n\n"
    "По словам мэра, мост сократит путь из центра в южные районы на сорок минут. Раньше "
    "водители стояли в пробках на старом мосту по два часа.\n\n"
    "Спасатели проверили опоры моста перед открытием © РИА Новости / Иван Петров\n"
    "Движение по мосту будет круглосуточным. Общественный транспорт пойдёт по нему с "
    "понедельника."
)


def test_captions_and_credits_are_sentences_of_their_own_whose_offsets_slice_the_text() -> None:
    sentences = split_sentences(BRIDGE, "ru")
    texts = [s.text for s in sentences]
    assert all(BRIDGE[s.start : s.end] == s.text for s in sentences)
    assert texts[0].endswith("3 сентября")  # the caption, cut before its credit
    assert texts[1] == "Фото: ТАСС"
    assert texts[2].startswith("Новый мост")
    # A credit on the caption's own line is cut off it too.
    assert "Спасатели проверили опоры моста перед открытием" in texts
    assert "© РИА Новости / Иван Петров" in texts


@pytest.mark.parametrize(
    "sentence",
    [
        "Фото: ТАСС",
        "Фото: Reuters",
        "© РИА Новости",
        "© РИА Новости / Иван Петров",
        "Фото: пресс-служба мэрии Самары.",
        "Источник: Интерфакс",
        "Спасатели у завала Фото: Reuters",
        "Фото автора",
    ],
)
def test_russian_credits_are_furniture(sentence: str) -> None:
    assert is_boilerplate(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Фотограф Иван Петров снял открытие моста.",
        "Источник в мэрии сообщил, что мост откроют в воскресенье.",
        "Агентство ТАСС опубликовало фото с открытия.",
    ],
)
def test_russian_sentences_about_photos_are_not_furniture(sentence: str) -> None:
    assert not is_boilerplate(sentence)


def test_a_caption_line_and_a_credit_are_never_in_the_summary() -> None:
    summary = summarize(BRIDGE, sentences=3)
    chosen = [s.text for s in summary.sentences]
    assert len(chosen) == 3
    assert not any("Фото" in text or "©" in text or "(слева)" in text for text in chosen)
    assert chosen[0].startswith("Новый мост")


def test_a_caption_is_chosen_only_when_the_model_prefers_it_and_nothing_else_is_left() -> None:
    sentences = split_sentences(BRIDGE, "ru")
    texts = [s.text for s in sentences]
    flagged = captions(ArticleLines(texts))
    assert flagged[0] and not flagged[2]
    # The model's scores fall with position: the caption would come first.
    scores = -np.arange(len(sentences), dtype=np.float64)
    features = featurize(texts, "ru")
    selection = choose(sentences, scores, features, Budget("sentences", 2), "ru")
    assert [s.index for s in selection.sentences] == [2, 3]
    # An article of one caption and one credit still gets its caption.
    alone = split_sentences("Мэр Самары Елена Лапина на открытии моста\nФото: ТАСС", "ru")
    only = choose(
        alone,
        np.zeros(len(alone)),
        featurize([s.text for s in alone], "ru"),
        Budget("sentences", 1),
        "ru",
    )
    assert [s.text for s in only.sentences] == ["Мэр Самары Елена Лапина на открытии моста"]


def test_a_position_in_the_photo_marks_a_punctuated_caption() -> None:
    lines = ArticleLines(
        [
            "Губернатор области Пётр Смирнов (в центре) на встрече с врачами.",
            "Губернатор осмотрел новую больницу.",
            "В ней разместятся четыре отделения.",
        ]
    )
    assert captions(lines).tolist() == [True, False, False]


def test_a_name_in_several_cases_shows_its_base_form() -> None:
    text = (
        "Указ подписал президент Иван Громов. Решение Громова поддержали депутаты. "
        "Депутаты направили Громову письмо. Позже Громова поблагодарили губернаторы."
    )
    phrases = keyphrases(text, "ru")
    assert "Иван Громов" in phrases
    assert not {"Громова", "Громову"} & set(phrases)


def test_a_genitive_before_a_name_is_cut_off_it() -> None:
    text = (
        "Президент Аргентины Хорхе Санчес прилетел в Москву. В Москве Хорхе Санчес провёл "
        "переговоры. Хорхе Санчес остался доволен визитом в Москву."
    )
    phrases = keyphrases(text, "ru")
    assert "Хорхе Санчес" in phrases
    assert not any(phrase.startswith("Аргентины") for phrase in phrases)


@pytest.mark.parametrize("form", ["года", "году", "годом", "понедельника", "января", "неделе"])
def test_calendar_words_in_any_case_are_no_phrases(form: str) -> None:
    text = (
        f"Завод в Туле закрыли на ремонт {form}. Завод в Туле снова заработал {form}. "
        f"Рабочие завода в Туле ждали этого {form}."
    )
    phrases = keyphrases(text, "ru")
    assert "Туле" in phrases or "Тула" in phrases
    assert form not in {word for phrase in phrases for word in phrase.lower().split()}
