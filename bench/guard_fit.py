"""Fit the word model of ``inbrief verify`` (:mod:`inbrief.verify.novelty`) on the tuning half.

The faithful and changed sentences are those of ``bench/guard_quality.py``; only the articles
of its tuning half (a hash of their id) are read, so that the held-out half measures the model.
The positives are the foreign words of the "foreign word" copies, the negatives the new words
(ones the article does not use) of the untouched reference sentences.  A logistic regression
weighs the features; its threshold lets the tuning half's untouched sentences be flagged at most
``BUDGET`` more often than by the other tests alone.  It writes ``src/inbrief/data/novelty.json``.

    .venv/bin/python bench/guard_fit.py [--budget 0.02] [--articles N] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from guard_quality import CORPORA, build_cases, half, read_corpus

from inbrief.text import split_sentences
from inbrief.verify import check, novelty
from inbrief.verify.reading import read
from inbrief.verify.support import ArticleIndex, align
from inbrief.verify.words import content_words

MODEL = Path(__file__).resolve().parents[1] / "src" / "inbrief" / "data" / "novelty.json"
# The word model's features without the vectors (for an install without wordllama).
_PLAIN = ("zipf", "substitute", "copied_neighbours", "own_wording", "slot")


def _word_rows(
    pairs: list[tuple[str, list[str], str]], language: str, seed: int
) -> list[tuple[str, str, bool, list[tuple[bool, tuple[float, ...]]]]]:
    """For the word model: per untouched or foreign-word sentence, (half, kind, whether a test
    other than the word test flags it, [(is the foreign word, features)] of its new words)."""
    rows = []
    index: ArticleIndex | None = None
    current = -1
    for case in build_cases(pairs, language, seed):
        if case.kind not in ("untouched", "foreign word"):
            continue
        if case.article != current:
            current = case.article
            index = ArticleIndex.build(split_sentences(pairs[current][0], language), language)
        assert index is not None
        reading = read(case.text, language)
        support = align(reading, index)
        part = half(pairs[case.article][2])
        if not support:
            rows.append((part, case.kind, True, []))
            continue
        held = check._Support(index, reading, support)
        other = check._numbers(held) + check._dates(held) + check._quotations(held)
        other += check._names(held)
        names = frozenset(p for name in reading.names for p in name)
        found = novelty.candidates(reading, held.readings, index, names)
        other += check._negation(held)
        unknown = any(c.features[0] < check.UNKNOWN_ZIPF for c in found)
        brought = set()
        if case.kind == "foreign word":
            brought = {w.text for w in content_words(case.text, language)}
            brought -= {w.text for w in content_words(case.reference, language)}
        words = [(c.word.text in brought, c.features) for c in found]
        rows.append((part, case.kind, bool(other) or unknown, words))
    return rows


def _logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> np.ndarray:
    """Logistic regression by Newton's method: the bias, then one weight a column."""
    x = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(x.shape[1])
    ridge = l2 * np.eye(len(w))
    ridge[0, 0] = 0.0
    for _ in range(30):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + ridge @ w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + ridge
        w -= np.linalg.solve(hessian, gradient)
    return w


def fit(name: str, limit: int | None, seed: int, budget: float) -> dict[str, dict[str, float]]:
    """Fit the word model on the corpus's tuning half: the weights with the vectors' features
    and without, each with the threshold at which the tuning half's untouched sentences are
    flagged ``budget`` more often than by the other tests alone."""
    language = CORPORA[name][1]
    pairs = [p for p in read_corpus(name, limit) if half(p[2]) == "tuning"]
    rows = _word_rows(pairs, language, seed)
    tuning = [row for row in rows if row[0] == "tuning"]
    fitted = {}
    for key, used in (("with_vectors", novelty.FEATURES), ("without_vectors", _PLAIN)):
        columns = [novelty.FEATURES.index(f) for f in used]
        x, y = [], []
        for _, kind, _, words in tuning:
            for foreign, features in words:
                if kind == "untouched" or foreign:
                    x.append([features[c] for c in columns])
                    y.append(float(foreign))
        w = _logistic(np.array(x), np.array(y))
        clear = sorted(
            max((float(w[0] + w[1:] @ [f[c] for c in columns]) for _, f in words), default=-99)
            for _, kind, other, words in tuning
            if kind == "untouched" and not other
        )
        untouched = sum(1 for row in tuning if row[1] == "untouched")
        allowed = int(budget * untouched)
        threshold = clear[-allowed - 1] if allowed < len(clear) else -99.0
        model = {"bias": round(float(w[0]), 4), "threshold": round(threshold, 4)}
        model.update({f: round(float(v), 4) for f, v in zip(used, w[1:], strict=True)})
        fitted[key] = model
    return fitted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--budget", type=float, default=0.02)
    parser.add_argument("--articles", type=int, default=None, help="first N articles of each")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    models = {
        CORPORA[name][1]: fit(name, options.articles, options.seed, options.budget)
        for name in sorted(CORPORA)
    }
    models["default"] = models["en"]
    MODEL.write_text(json.dumps(models, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(models, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
