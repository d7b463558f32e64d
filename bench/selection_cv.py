"""Judge a change of the ``news`` selection held out, in minutes rather than the half hour of a
full cross-validation: the out-of-fold scores are computed once and kept, then every run scores
the selection as it stands on them.

    python bench/selection_cv.py                  # English; the first run fits the 5 folds
    python bench/selection_cv.py --corpus ru      # Russian, at 3 and 1 sentences
    python bench/selection_cv.py --limit 1000     # the first 1,000 articles, a quick look

Each article's scores are the ones ``bench/train_news.py``'s cross-validation gives it (the same
folds, the same fits), and selection is :func:`inbrief.summarizers.news.selection.choose` as
users get it, so the ``news`` row is the figure ``train_news.py`` prints for the language's own
model.  Printed beside it: Lead-N, and the same scores chosen without the rules that depend on
the language (pointing and continuing sentences, other languages), which is how the rules'
held-out cost is read.  The kept scores (``build/selection-cv/``) are refitted when the
features, the training script or the data change (a digest of them is stored with the scores).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path

import numpy as np
import train_news as training

from inbrief.evaluate.summaries import read_dataset
from inbrief.models import Budget, Sentence
from inbrief.summarizers.news import features as news_features
from inbrief.summarizers.news.selection import choose

KEPT = training.REPOSITORY / "build" / "selection-cv"


def inputs_digest(corpus: training.Corpus, data: Path, limit: int | None) -> str:
    """What the out-of-fold scores depend on: the features' and the training's code, the data."""
    digest = hashlib.sha256()
    for path in (Path(news_features.__file__), Path(training.__file__)):
        digest.update(path.read_bytes())
    file = data / corpus.file
    digest.update(f"{file.name} {file.stat().st_size} {limit}".encode())
    return digest.hexdigest()


def out_of_fold(
    corpus: training.Corpus, articles: Sequence[training.Prepared]
) -> dict[str, np.ndarray]:
    """Each article's scores from the model fitted on the other folds (as ``cross_validate``)."""
    started = time.perf_counter()

    def fitted(fold: int) -> None:
        print(f"  fold {fold}: fitted at {time.perf_counter() - started:.0f}s", flush=True)

    make = partial(training.own_model, corpus=corpus)
    scores = training.out_of_fold_scores(articles, make, fitted)
    return {a.item.id: s for a, s in zip(articles, scores, strict=True)}


def kept_scores(
    corpus: training.Corpus, articles: Sequence[training.Prepared], digest: str, path: Path
) -> dict[str, np.ndarray]:
    """The kept out-of-fold scores when they were made from the same inputs, else new ones."""
    ids = [a.item.id for a in articles]
    if path.exists():
        with np.load(path, allow_pickle=False) as kept:
            if str(kept["digest"]) == digest and kept["ids"].tolist() == ids:
                offsets = kept["offsets"]
                flat = kept["scores"]
                return {i: flat[offsets[k] : offsets[k + 1]] for k, i in enumerate(ids)}
        print(f"{path}: made from other inputs, fitted again")
    scores = out_of_fold(corpus, articles)
    offsets = np.cumsum([0] + [scores[i].size for i in ids])
    path.parent.mkdir(parents=True, exist_ok=True)
    flat = np.concatenate([scores[i] for i in ids])
    np.savez(path, digest=digest, ids=np.array(ids), offsets=offsets, scores=flat)
    return scores


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="en", choices=sorted(training.CORPORA))
    parser.add_argument("--data", type=Path, default=training.DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="use the first N articles")
    args = parser.parse_args(argv)
    corpus = training.CORPORA[args.corpus]
    if not corpus.own:
        parser.error(f"{corpus.key} has no model of its own: judge it with train_news.py")
    file = args.data / corpus.file
    if not file.exists():
        parser.error(f"no {file}")

    started = time.perf_counter()
    articles = training.prepare(corpus, read_dataset(file, args.limit))
    print(f"{corpus.file}: {len(articles)} articles, {time.perf_counter() - started:.0f}s")
    digest = inputs_digest(corpus, args.data, args.limit)
    limit = "all" if args.limit is None else str(args.limit)
    scores = kept_scores(corpus, articles, digest, KEPT / f"{corpus.key}-{limit}.npz")

    judged = training.judged(corpus, articles, lambda a: scores[a.item.id])
    for n, (lead, news) in judged.items():
        budget = Budget("sentences", n)
        print(f"  {n} sentence(s), {f'Lead-{n}':16s} {lead}", flush=True)
        print(f"  {n} sentence(s), {'news':16s} {news}", flush=True)

        def rules_off(a: training.Prepared, b: Budget = budget) -> Sequence[Sentence]:
            return choose(a.sentences, scores[a.item.id], a.features, b, None).sentences

        off = training.score(corpus, articles, rules_off)
        print(f"  {n} sentence(s), {'news, rules off':16s} {off}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
