"""Summarizer speed (and optionally ROUGE): inbrief's methods against sumy's LexRank.

End to end from raw article text, as the batch engine runs: split the text into sentences, then
summarize to 3 sentences.  Methods: ``news`` (the default), ``lead``, ``textrank``, ``lexrank``
and sumy's ``LexRankSummarizer`` (the baseline most open-source tools ship), all measured in the
same run, round-robin, each figure the best of ``--repeat`` passes of CPU time (process time),
so other work on the machine inflates it less than wall time.  Those passes run with inbrief's
stem cache warm, as in a running service; ``news, cold`` is a first pass in a fresh process,
which stems every new word.  BLAS is held to one thread: the figures are for one core.

sumy gets inbrief's sentence splitter (NLTK's punkt model is not installed, and ours is faster,
so its figure is if anything flattering) and, as in sumy, NLTK's word tokenizer, its English
stemmer and stop words.

    .venv/bin/python bench/summarize_speed.py [-n 1000] [--repeat 3] [--rouge]

Goals: ``news`` >= 1,000 articles/s and >= 35 x sumy LexRank.  ``--rouge`` adds ROUGE-1/2/Lsum
F x 100 (rouge-score, Porter stemmer, Lsum over newline-joined sentences) of each method against
the reference highlights, with "in-sample" beside the figures of a method whose weights were
fitted on some of these articles (``news`` was fitted on the whole dev file).  The file lists
CNN stories (about 500) before Daily Mail ones, and CNN's ROUGE is lower: ``-n 5189`` scores the
whole set.  Needs the ``bench`` extra (sumy, rouge-score) and ../shared/data/cnndm-dev.jsonl.gz.
"""

from __future__ import annotations

import os

# One core: a threaded BLAS would spread (and, on a busy machine, stall) the tiny products.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402 - after the thread limits, which must precede numpy's import
import importlib.util  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

from inbrief import summarizers  # noqa: E402
from inbrief.evaluate.summaries import (  # noqa: E402
    ReferenceArticle,
    RougeScorer,
    in_sample,
    in_sample_note,
    read_dataset,
)
from inbrief.models import Budget  # noqa: E402
from inbrief.text import split_sentences  # noqa: E402

CNNDM = Path(__file__).resolve().parents[2] / "shared" / "data" / "cnndm-dev.jsonl.gz"
LANGUAGE = "en"
SENTENCES = 3
INBRIEF_METHODS = ("news", "centrality", "lead", "textrank", "lexrank")
BASELINE = "sumy-lexrank"
COLD = "news, cold"
GOAL_SPEED = 1000.0
GOAL_RATIO = 35.0

Method = Callable[[str], list[str]]  # article text -> summary sentences


def inbrief_method(name: str) -> Method:
    """Split and summarize with inbrief's method ``name``."""
    summarizer = summarizers.get(name)
    budget = Budget(unit="sentences", value=SENTENCES)

    def run(article: str) -> list[str]:
        sentences = split_sentences(article, LANGUAGE)
        return [s.text for s in summarizer.summarize(sentences, LANGUAGE, budget).sentences]

    return run


def sumy_lexrank() -> Method:
    """sumy's LexRank over a document built from the same sentences."""
    from nltk.tokenize import NLTKWordTokenizer
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.nlp.tokenizers import Tokenizer as SumyTokenizer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    class Tokenizer:
        """sumy's Tokenizer without NLTK's downloadable punkt model: sentences from inbrief,
        words as sumy makes them (nltk.word_tokenize's word step, then sumy's word filter)."""

        language = "english"
        _words = NLTKWordTokenizer()

        def to_sentences(self, paragraph: str) -> list[str]:
            return [s.text for s in split_sentences(paragraph, LANGUAGE)]

        def to_words(self, sentence: str) -> tuple[str, ...]:
            return tuple(filter(SumyTokenizer._is_word, self._words.tokenize(sentence)))

    tokenizer = Tokenizer()
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")

    def run(article: str) -> list[str]:
        sentences = [Sentence(s, tokenizer) for s in tokenizer.to_sentences(article)]
        document = ObjectDocumentModel([Paragraph(sentences)])
        return [str(s) for s in summarizer(document, SENTENCES)]

    return run


@dataclass
class Result:
    """Best CPU seconds over the passes, and the summaries of the last pass."""

    seconds: float = float("inf")
    summaries: Sequence[list[str]] = ()


def measure(
    methods: dict[str, Method], articles: Sequence[ReferenceArticle], repeat: int
) -> dict[str, Result]:
    """Time ``news`` once from a cold start (row ``news, cold``: every word's stem computed the
    first time it is seen), then every method ``repeat`` times, round-robin, warm; keep each
    method's best pass."""
    texts = [item.article for item in articles]
    results = {COLD: Result(), **{name: Result() for name in methods}}
    passes = [(COLD, methods["news"])] + [item for _ in range(repeat) for item in methods.items()]
    for name, run in passes:
        started = time.process_time()
        summaries = [run(text) for text in texts]
        elapsed = time.process_time() - started
        results[name].summaries = summaries
        results[name].seconds = min(results[name].seconds, elapsed)
    return results


def rouge(summaries: Sequence[list[str]], articles: Sequence[ReferenceArticle]) -> list[float]:
    """Mean ROUGE-1, ROUGE-2, ROUGE-Lsum F x 100."""
    scorer = RougeScorer(LANGUAGE)
    totals = [0.0, 0.0, 0.0]
    for summary, item in zip(summaries, articles, strict=True):
        for k, value in enumerate(scorer.score(summary, item.reference)):
            totals[k] += value
    return [total / len(articles) for total in totals]


def main(argv: list[str] | None = None) -> int:
    """Print the speed table (and ROUGE with ``--rouge``); exit 1 without the data or sumy."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--articles", type=int, default=1000, help="first N articles")
    parser.add_argument("--repeat", type=int, default=3, help="passes; the best one counts")
    parser.add_argument("--rouge", action="store_true", help="also score ROUGE (slow)")
    parser.add_argument("--data", type=Path, default=CNNDM, help="JSON Lines dataset")
    options = parser.parse_args(argv)
    if not options.data.is_file():
        print(f"{options.data}: not found (the CNN/DailyMail dev set lives in ../shared/data)")
        return 1

    if importlib.util.find_spec("sumy") is None:
        print("sumy is not installed: pip install -e '.[bench]'")
        return 1
    score = options.rouge and importlib.util.find_spec("rouge_score") is not None
    if options.rouge and not score:
        print("rouge-score is not installed (pip install -e '.[bench]'): speed only")

    articles = read_dataset(options.data, options.articles)
    methods = {name: inbrief_method(name) for name in INBRIEF_METHODS}
    methods[BASELINE] = sumy_lexrank()
    results = measure(methods, articles, options.repeat)

    speed = {name: len(articles) / max(r.seconds, 1e-9) for name, r in results.items()}
    print(
        f"{options.data.name}: first {len(articles)} articles, {SENTENCES} sentences, "
        f"split + summarize, CPU time on one core, best of {options.repeat}"
    )
    header = f"{'method':<14} {'articles/s':>10} {'ms/article':>10} {'x sumy':>7}"
    if score:
        header += f" {'R1':>6} {'R2':>6} {'RLsum':>6}"
    print(header)
    for name, result in results.items():
        row = (
            f"{name:<14} {speed[name]:10.0f} {1000 / speed[name]:10.3f} "
            f"{speed[name] / speed[BASELINE]:7.1f}"
        )
        if score and name != COLD:  # the same summaries as the warm row
            row += " {:6.2f} {:6.2f} {:6.2f}".format(*rouge(result.summaries, articles))
            if name in INBRIEF_METHODS:
                note = in_sample_note(in_sample(name, articles), len(articles))
                row += f" {note}" if note else ""
        print(row)

    news, ratio = speed["news"], speed["news"] / speed[BASELINE]
    print(
        f"news: {news:.0f} articles/s (goal {GOAL_SPEED:.0f}: "
        f"{'met' if news >= GOAL_SPEED else 'NOT met'}), {ratio:.1f}x sumy LexRank "
        f"(goal {GOAL_RATIO:.0f}x: {'met' if ratio >= GOAL_RATIO else 'NOT met'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
