"""The word test of ``inbrief.verify``: a word brought in is flagged, the writer's own is not.

The articles are written for these tests; none comes from the evaluation data.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from inbrief.text import split_sentences
from inbrief.verify import check_sentence, vectors
from inbrief.verify.novelty import candidates, score
from inbrief.verify.reading import read
from inbrief.verify.support import ArticleIndex, align

ORCHARD = (
    "Growers in the Tamsin valley began picking apples on Tuesday, two weeks later than usual. "
    "A cold spring delayed the blossom, and hail in June bruised part of the crop. "
    "The growers' cooperative expects a harvest of about 40,000 tonnes, it said. "
    "Pickers from the coast will work the orchards until the end of October."
)


def orchard() -> list:
    return split_sentences(ORCHARD, "en")


def words_flagged(text: str) -> list[str]:
    checked = check_sentence(text, orchard(), "en")
    return [p.text for p in checked.problems if p.kind == "words"]


def test_a_word_from_another_story_in_a_copied_phrase_is_flagged() -> None:
    assert words_flagged(
        "A cold spring delayed the blossom, and hail in June bruised part of the parliament."
    ) == ["parliament"]


def test_a_sentence_the_writer_rewords_passes_with_its_new_words() -> None:
    text = "Bad weather held back this year's apple picking in the valley by a fortnight."
    assert words_flagged(text) == []


def test_a_word_unrelated_to_the_article_scores_above_one_on_its_topic() -> None:
    pytest.importorskip("wordllama")
    index = ArticleIndex.build(orchard(), "en")

    def scored(text: str, word: str) -> float:
        reading = read(text, "en")
        support = [index.readings[p] for p in align(reading, index)]
        found = candidates(reading, support, index, frozenset())
        (candidate,) = [c for c in found if c.word.text == word]
        return score(candidate, "en")

    pears = scored("Growers in the Tamsin valley began picking pears on Tuesday.", "pears")
    missiles = scored("Growers in the Tamsin valley began picking missiles on Tuesday.", "missiles")
    assert vectors.available()
    assert pears < missiles


def test_the_vectors_load_from_the_installed_wheel_without_the_network() -> None:
    pytest.importorskip("wordllama")
    code = (
        "import sys\n"
        "from inbrief.verify import vectors\n"
        "print(vectors.available(), vectors.vectors(['apple']).shape)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('huggingface', 'wordllama'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "https_proxy": "http://127.0.0.1:9"},
    )
    assert result.stdout.split("\n")[:2] == ["True (1, 256)", "[]"], result.stderr


def test_without_the_vectors_the_check_still_runs_on_its_other_signals() -> None:
    code = (
        "import sys\n"
        "sys.modules['wordllama'] = None  # as in an install without the vectors\n"
        "from inbrief.text import split_sentences\n"
        "from inbrief.verify import check_sentence, vectors\n"
        f"article = split_sentences({ORCHARD!r}, 'en')\n"
        "text = 'A cold spring delayed the referendum, and hail in June bruised the crop.'\n"
        "checked = check_sentence(text, article, 'en')\n"
        "print(vectors.available(), [p.text for p in checked.problems])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.stdout.strip() == "False ['referendum']", result.stderr
