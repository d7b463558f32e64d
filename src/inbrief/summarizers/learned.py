"""The learned ``news`` summarizer: a logistic regression over cheap sentence features.

Each sentence is scored by a linear model over :mod:`inbrief.summarizers.features`: dense
cues (position, length, centrality, lead similarity, redundancy, ...) plus hashed word
unigrams, bigrams and position-bucket x word pairs.  The weights were fitted on CNN/DailyMail
with greedy-oracle labels by ``bench/train_news.py`` and ship in ``inbrief/data/news_model.npz``;
inference is numpy only, no download, no GPU.

Selection is news-aware (:func:`choose`):

* by score, ties to the earlier sentence, with trigram blocking against repetition;
* never a byline, time stamp, photo caption or credit, or scraped code;
* a quotation split over several sentences is taken whole or not at all, so a quote is never
  shown without the sentence that says who spoke.

The weights file holds one model per language it was trained for -- English (CNN/DailyMail)
and French (OrangeSum) -- and a ``default`` model for every other language, which uses only
the language-independent dense features: English word weights would be noise on German.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from inbrief.errors import InbriefError
from inbrief.models import Budget, Sentence
from inbrief.summarizers.base import Selection, Summarizer, char_count, word_count
from inbrief.summarizers.features import (
    DENSE_NAMES,
    HASH_BITS,
    ArticleFeatures,
    featurize,
    headings,
)
from inbrief.summarizers.registry import register
from inbrief.text import normalize_language

MODEL_FILE = "news_model.npz"
DEFAULT_KEY = "default"
MAX_QUOTE_SENTENCES = 3
"""A quotation running over more sentences than this is left out of summaries entirely."""


class ModelError(InbriefError):
    """The shipped weights file is missing or does not match this version of inbrief."""


@dataclass(frozen=True)
class LinearModel:
    """Weights of one logistic regression: dense features (already standardised), hashed ids."""

    dense: np.ndarray
    hashed: np.ndarray
    intercept: float

    def scores(self, features: ArticleFeatures) -> np.ndarray:
        """Log-odds that each sentence belongs in the summary."""
        linear = features.dense @ self.dense + self.intercept
        if self.hashed.size and features.hashed_ids.size:
            contributions = self.hashed[features.hashed_ids] * features.hashed_values
            linear = linear + np.bincount(
                features.hashed_rows, weights=contributions, minlength=features.size
            )
        return np.asarray(linear, dtype=np.float64)


@dataclass(frozen=True)
class NewsModel:
    """The weights file: one linear model per language code, and ``default`` for the rest."""

    models: Mapping[str, LinearModel]
    version: str

    def for_language(self, language: str | None) -> LinearModel:
        """The model trained for ``language``, else the default (language-independent) one."""
        code = normalize_language(language) or ""
        return self.models.get(code) or self.models[DEFAULT_KEY]


def save_model(model: NewsModel, path: str | Path) -> None:
    """Write ``model`` as a compressed ``.npz`` (hashed weights as float16 to stay small)."""
    arrays: dict[str, np.ndarray] = {
        "version": np.array(model.version),
        "dense_names": np.array(DENSE_NAMES),
        "hash_bits": np.array(HASH_BITS),
    }
    for key, linear in sorted(model.models.items()):
        arrays[f"{key}.dense"] = linear.dense.astype(np.float64)
        arrays[f"{key}.hashed"] = linear.hashed.astype(np.float16)
        arrays[f"{key}.intercept"] = np.array(linear.intercept, dtype=np.float64)
    with open(path, "wb") as out:
        np.savez_compressed(out, **arrays)  # type: ignore[arg-type]


def read_model(path: str | Path) -> NewsModel:
    """Load a weights file written by :func:`save_model`, checking it fits these features."""
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except (OSError, ValueError) as error:
        raise ModelError(f"cannot read the news model {path}: {error}") from error
    names = tuple(str(n) for n in arrays.get("dense_names", np.array([])))
    if names != DENSE_NAMES or int(arrays.get("hash_bits", -1)) != HASH_BITS:
        raise ModelError(
            f"the news model {path} was trained for other features; retrain it with "
            "'python bench/train_news.py' or reinstall inbrief"
        )
    keys = sorted({name.split(".", 1)[0] for name in arrays if name.endswith(".dense")})
    models = {
        key: LinearModel(
            dense=arrays[f"{key}.dense"].astype(np.float64),
            hashed=arrays[f"{key}.hashed"].astype(np.float32),
            intercept=float(arrays[f"{key}.intercept"]),
        )
        for key in keys
    }
    if DEFAULT_KEY not in models:
        raise ModelError(f"the news model {path} has no default model; retrain it")
    return NewsModel(models, str(arrays["version"]))


@lru_cache(maxsize=1)
def shipped_model() -> NewsModel:
    """The model that ships with inbrief, loaded once."""
    resource = resources.files("inbrief") / "data" / MODEL_FILE
    with resources.as_file(resource) as path:
        if not path.is_file():
            raise ModelError(
                f"the news model is missing ({path}); reinstall inbrief or run "
                "'python bench/train_news.py' in a source checkout"
            )
        return read_model(path)


# --- selection ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Unit:
    """Sentences that may only be chosen together (one sentence, or a whole quotation)."""

    members: tuple[int, ...]
    score: float


def _units(features: ArticleFeatures, scores: np.ndarray, excluded: np.ndarray) -> list[_Unit]:
    """Candidate units, best first (ties to the earlier sentence)."""
    n = features.size
    alone = ~excluded
    groups: list[tuple[int, ...]] = []
    for span in features.quotes:
        # Sentences after the opening one continue someone's words: never alone.
        alone[span.first : span.last + 1] = False
        # The opener may stand alone only when it names the speaker before the quote opens.
        alone[span.first] = span.attributed_first and not excluded[span.first]
        size = span.last - span.first + 1
        members = tuple(range(span.first, span.last + 1))
        if size <= MAX_QUOTE_SENTENCES and not excluded[list(members)].any():
            groups.append(members)
    units = [_Unit((i,), float(scores[i])) for i in range(n) if alone[i]]
    units += [_Unit(m, float(scores[list(m)].mean())) for m in groups]
    units.sort(key=lambda unit: (-unit.score, unit.members[0], len(unit.members)))
    return units


def _trigrams(tokens: Sequence[str]) -> set[tuple[str, str, str]]:
    return set(zip(tokens, tokens[1:], tokens[2:], strict=False))


def choose(
    sentences: Sequence[Sentence],
    scores: np.ndarray,
    features: ArticleFeatures,
    budget: Budget,
) -> Selection:
    """Best-scoring sentences within ``budget``, in article order, news rules applied.

    Budgets follow :func:`inbrief.summarizers.base.select`: a sentence count, or words or
    characters filled greedily by rank (the best candidate is always taken and flagged
    ``over_budget`` when it alone is too long), or a ratio of the article's words.
    """
    texts = [s.text for s in sentences]
    excluded = features.boilerplate | headings(texts, features.token_counts)
    units = _units(features, scores, excluded)
    if not units:
        # Nothing but furniture: still never return nothing for a non-empty article.
        best = int(np.lexsort((np.arange(len(scores)), -scores))[0])
        units = [_Unit((best,), float(scores[best]))]
    if budget.unit == "sentences":
        limit: float = int(budget.value)
        sizes = [1] * len(sentences)
    elif budget.unit == "chars":
        limit = int(budget.value)
        sizes = [char_count(s) for s in sentences]
    else:
        sizes = [word_count(s) for s in sentences]
        limit = int(budget.value) if budget.unit == "words" else budget.value * sum(sizes)

    chosen: list[int] = []
    seen: set[tuple[str, str, str]] = set()
    used = 0
    for unit in units:
        if any(i in chosen for i in unit.members):
            continue
        grams: set[tuple[str, str, str]] = set()
        for i in unit.members:
            grams |= _trigrams(features.tokens(i))
        cost = sum(sizes[i] for i in unit.members)
        if chosen and not seen.isdisjoint(grams):
            continue
        if used + cost > limit and (chosen or len(unit.members) > 1 or budget.unit == "sentences"):
            continue
        chosen.extend(unit.members)
        seen |= grams
        used += cost
        if budget.unit == "sentences" and used >= limit:
            break
    over_budget = False
    if not chosen:
        # Nothing fits.  Take the best unit anyway -- a whole quotation rather than half of
        # one -- and say so when the budget was in words or characters.
        chosen = list(units[0].members)
        over_budget = budget.unit in ("words", "chars")
    elif len(chosen) == 1 and budget.unit in ("words", "chars"):
        over_budget = sizes[chosen[0]] > limit
    return Selection(tuple(sentences[i] for i in sorted(chosen)), over_budget=over_budget)


@register
class Learned(Summarizer):
    """Logistic regression over position, centrality and word features; news-aware selection."""

    name = "learned"
    # Part of the summary cache key: bump it with every change of the shipped weights, the
    # features or the selection rules.
    version = "2"

    def __init__(self, model: NewsModel | None = None) -> None:
        self._model = model

    @property
    def model(self) -> NewsModel:
        """The weights in use: the ones given, else the shipped model (loaded on first use)."""
        if self._model is None:
            self._model = shipped_model()
        return self._model

    def scores(self, sentences: Sequence[Sentence], language: str | None) -> list[float]:
        """Log-odds of each sentence being in a good summary."""
        if not sentences:
            return []
        features = featurize([s.text for s in sentences], language)
        return self.model.for_language(language).scores(features).tolist()

    def summarize(
        self, sentences: Sequence[Sentence], language: str | None, budget: Budget
    ) -> Selection:
        """Choose the best sentences within ``budget`` with the news rules, in article order."""
        if not sentences:
            return Selection(())
        features = featurize([s.text for s in sentences], language)
        scores = self.model.for_language(language).scores(features)
        return choose(sentences, scores, features, budget)
