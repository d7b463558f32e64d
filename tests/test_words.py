"""Words in scripts written without spaces, through the pipeline: budgets, stats, the gate.

Each Chinese or Japanese character counts as a word (``inbrief.text.count_words``), so a word
budget, the summary's stats and its reading time mean the same for a Chinese story as for an
English one.  The Chinese sentences are written for these tests; the Global Voices page is the
demo corpus the package ships (CC BY 3.0).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import inbrief
from inbrief.models import Article, Budget
from inbrief.text import count_words

# 10 + 8 + 9 characters and their full stops: 27 words.
CHINESE = "市议会周一通过新预算。学校周三继续停课。河水六小时上涨两米。"


def test_summary_stats_count_chinese_words_by_character() -> None:
    summary = inbrief.summarize_article(
        Article(text=CHINESE, language="zh"), Budget("sentences", 1)
    )
    assert summary.stats is not None
    assert summary.stats.article_words == 27
    assert summary.stats.summary_words == count_words(summary.sentences[0].text)


def test_reading_time_saved_counts_chinese_characters() -> None:
    text = "\n\n".join([CHINESE] * 20)  # 540 words
    summary = inbrief.summarize_article(Article(text=text, language="zh"), Budget("sentences", 1))
    assert summary.stats is not None
    assert summary.stats.minutes_saved >= 2.0  # 530 words or so at 238 a minute


def test_a_word_budget_holds_on_the_demo_page_mixing_english_and_chinese() -> None:
    page = resources.files("inbrief").joinpath(
        "data", "demo", "html", "en-globalvoices-004-china-a-leaking-dam.html"
    )
    summary = inbrief.summarize(Path(str(page)), words=60)
    assert sum(count_words(s.text) for s in summary.sentences) <= 60
    assert not summary.over_budget


def test_a_chinese_article_is_not_taken_for_a_teaser() -> None:
    text = "\n\n".join([CHINESE * 3] * 4)  # 324 words in four paragraphs
    article = inbrief.extract(text)
    assert article.complete, article.incomplete_reason
