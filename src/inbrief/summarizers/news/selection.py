"""News-aware selection: what the ``news`` model scores, fitted to a budget with the news rules.

* a summary of a few sentences is the set of candidates most likely to belong in it (the sum
  of their probabilities, :func:`best_set`); longer or word-counted ones are filled by score,
  ties to the earlier sentence; trigram blocking against repetition in both;
* never a byline, time stamp, photo caption or credit, scraped code or subheading;
* a quotation split over several sentences is taken whole or not at all, so a quote is never
  shown without the sentence that says who spoke;
* a sentence that points at the one before ("This ...", "The company ...") comes with it or
  is not chosen; one that continues it ("He ...", "However, ...") may follow another chosen
  sentence but never opens the summary without it
  (:mod:`~inbrief.summarizers.news.references`); a one-sentence summary has no room for a
  pair, so these rules start at two;
* in cased text of a known language, a sentence confidently in another language (a quoted
  original beside its translation) is not chosen.

Beyond a few sentences, and for word, character and ratio budgets, the budget step is the one
every summarizer shares, :func:`inbrief.summarizers.base.select_groups`; this module says which
candidates there are (single sentences, whole quotations, sentences with what they refer back
to) and in what order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import reduce
from itertools import chain, islice
from operator import or_

import numpy as np

from inbrief.models import Budget, Sentence
from inbrief.summarizers.base import Selection, TrigramBlocking, select_groups
from inbrief.summarizers.news.features import ArticleFeatures
from inbrief.summarizers.news.lines import ArticleLines
from inbrief.summarizers.news.references import continuing, pointing
from inbrief.summarizers.news.rules import headings, unfit
from inbrief.text.language import detect_language, normalize_language, stopwords
from inbrief.text.tokens import terms

MAX_QUOTE_SENTENCES = 3
"""A quotation running over more sentences than this is left out of summaries entirely."""

MAX_GROUP_SENTENCES = 3
"""A sentence that needs more sentences than this before it to be understood is not chosen."""

MAX_OPENING_ROUNDS = 3
"""Selections tried again for a summary that opens with a sentence leaning on a skipped one."""

OWN_STOPWORD_SHARE = 0.2
"""A sentence with at least this share of the article language's stop words is in it."""

FOREIGN_MIN_WORDS = 8
"""Sentences shorter than this are too short for a confident language guess: never refused."""

SET_CANDIDATES = 10
"""How many of the best-ranked candidates :func:`best_set` chooses a summary's set among."""

MAX_SET_SENTENCES = 5
"""Sentence budgets up to this are chosen as a set (:func:`best_set`); longer ones by score."""

OPENING_TITLE_SHARE = 0.0
"""An opening sentence holding at least this share of the headline's content words (stems)
carries the news the headline announces: it is always chosen."""


def candidates(
    features: ArticleFeatures,
    scores: np.ndarray,
    excluded: np.ndarray,
    leaning: np.ndarray | None = None,
) -> list[tuple[int, ...]]:
    """Sentences and whole quotations that may be chosen, best first (ties to the earlier).

    A quotation scores the mean of its sentences.  A sentence inside a quotation is no
    candidate of its own, except the opening one when it names the speaker before the quote
    opens; ``excluded`` sentences are never candidates, nor any quotation holding one.
    A candidate whose first sentence is ``leaning`` (points back to the one before) brings the
    sentences before it it needs, and keeps its own score; it is dropped when those hold an
    excluded sentence or make it longer than :data:`MAX_GROUP_SENTENCES`.
    """
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
    ranked: list[tuple[tuple[int, ...], float]] = [
        ((i,), float(scores[i])) for i in range(features.size) if alone[i]
    ]
    ranked += [(members, float(scores[list(members)].mean())) for members in groups]
    if leaning is not None and leaning.any():
        ranked = [
            (whole, score)
            for members, score in ranked
            if (whole := _with_antecedents(members, features, leaning, excluded)) is not None
        ]
    ranked.sort(key=lambda unit: (-unit[1], unit[0][0], len(unit[0])))
    return [members for members, _ in ranked]


def _with_antecedents(
    members: tuple[int, ...],
    features: ArticleFeatures,
    leaning: np.ndarray,
    excluded: np.ndarray,
) -> tuple[int, ...] | None:
    """``members`` extended back over what its first sentence refers to; None if it cannot be."""
    first = members[0]
    while first > 0 and leaning[first]:
        first -= 1
        # The antecedent closes a quotation: take the quotation whole.
        for span in features.quotes:
            if span.first < first <= span.last:
                first = span.first
    if first == members[0]:
        return members
    whole = tuple(range(first, members[-1] + 1))
    if len(whole) > MAX_GROUP_SENTENCES or excluded[first : members[-1] + 1].any():
        return None
    return whole


def foreign(tokens: Sequence[str], text: str, language: str) -> bool:
    """True when ``text`` is confidently in another language than ``language``.

    A sentence with a news sentence's share of the article language's stop words is in that
    language; only the others are given to the language guess (0.4 ms a sentence), which must
    then agree with the stop words: more of the guessed language's than of the article's (or,
    for a guess inbrief has no list for, almost none of the article's).
    """
    if not tokens:
        return False
    own = stopwords(language)
    own_share = sum(word in own for word in tokens) / len(tokens)
    if own_share >= OWN_STOPWORD_SHARE:
        return False
    found = detect_language(text)
    if found is None or found == language:
        return False
    other = stopwords(found)
    if not other:
        return own_share < 0.05
    return sum(word in other for word in tokens) / len(tokens) > own_share


def _in_language(
    ranked: Sequence[tuple[int, ...]],
    texts: Sequence[str],
    features: ArticleFeatures,
    language: str,
) -> Iterator[tuple[int, ...]]:
    """The candidates holding no sentence in another language, checked as they are consumed."""
    verdicts: dict[int, bool] = {}
    for members in ranked:
        for i in members:
            if i not in verdicts:
                long_enough = features.token_counts[i] >= FOREIGN_MIN_WORDS
                verdicts[i] = bool(long_enough and foreign(features.tokens(i), texts[i], language))
        if not any(verdicts[i] for i in members):
            yield members


def choose(
    sentences: Sequence[Sentence],
    scores: np.ndarray,
    features: ArticleFeatures,
    budget: Budget,
    language: str | None = None,
    *,
    title: str | None = None,
) -> Selection:
    """The best sentences within ``budget``, in article order, news rules applied.

    ``language`` (the article's) enables the rules that depend on it: sentences that lean on
    the one before, and sentences in another language.  With a ``title``, an opening sentence
    that carries the headline's news is chosen first (:func:`headline_opening`).
    """
    return choose_each(sentences, scores, features, (budget,), language, title=title)[0]


def choose_each(
    sentences: Sequence[Sentence],
    scores: np.ndarray,
    features: ArticleFeatures,
    budgets: Sequence[Budget],
    language: str | None = None,
    *,
    title: str | None = None,
) -> tuple[Selection, ...]:
    """:func:`choose` for each of ``budgets``: the rules' verdicts on the article's sentences
    and the candidates' order do not depend on the budget, so they are worked out once."""
    plan = _Plan(sentences, scores, features, normalize_language(language), title)
    return tuple(plan.choose(budget) for budget in budgets)


class _Plan:
    """What :func:`choose` knows of one article before it looks at a budget."""

    def __init__(
        self,
        sentences: Sequence[Sentence],
        scores: np.ndarray,
        features: ArticleFeatures,
        language: str | None,
        title: str | None,
    ) -> None:
        self.sentences, self.scores, self.features, self.language, self.title = (
            sentences, scores, features, language, title,
        )  # fmt: skip
        self.texts = [s.text for s in sentences]
        self.lines = ArticleLines(self.texts)
        self.excluded = features.boilerplate | headings(self.texts, features.token_counts)
        # Fragments, metadata strips and list items only fill what nothing else can.
        self.poor = unfit(self.lines, features.token_counts)
        self.opening = headline_opening(self.texts, self.excluded | self.poor, title, language)
        # Lower-cased text (CNN/DailyMail's PTB form) gives the language guess too little.
        cased = language is not None and not "".join(self.texts).islower()
        self.cased_language = language if cased else None
        self._ranked: dict[bool, tuple[list[tuple[int, ...]], np.ndarray | None]] = {}

    def ranked(self, pairs: bool) -> tuple[list[tuple[int, ...]], np.ndarray | None]:
        """The candidates best first, and the sentences pointing back (None without the
        rules on pairs)."""
        if pairs not in self._ranked:
            points = pointing(self.lines, self.language) if pairs else None
            scores = self.scores
            ranked = candidates(self.features, scores, self.excluded, points)
            if not ranked:
                # Nothing but furniture: still never return nothing for a non-empty article.
                ranked = [(int(np.lexsort((np.arange(len(scores)), -scores))[0]),)]
            poor = self.poor
            if poor.any():
                ranked = [m for m in ranked if not poor[list(m)].any()] + [
                    m for m in ranked if poor[list(m)].any()
                ]
            if self.opening is not None:
                ranked = _first(ranked, self.opening)
            self._ranked[pairs] = (ranked, points)
        return self._ranked[pairs]

    def choose(self, budget: Budget) -> Selection:
        language = self.language
        # A one-sentence budget has no room for a sentence and its antecedent: no rule then.
        pairs = language is not None and not (budget.unit == "sentences" and budget.value < 2)
        ranked, points = self.ranked(pairs)
        required = ranked[0] if self.opening is not None else None
        choice = _Choice(
            self.sentences, self.features, self.scores, self.poor, budget, self.cased_language
        )
        selection = choice.select(ranked, required)
        if points is None or language is None:
            return selection
        lines, features, excluded = self.lines, self.features, self.excluded
        leaning = points | continuing(lines, language)
        position = {id(sentence): i for i, sentence in enumerate(self.sentences)}
        # "He ..." or "But ..." may follow a chosen sentence, never open the summary alone:
        # each round gives the opening sentence its antecedents (or drops it) and selects again.
        for _ in range(MAX_OPENING_ROUNDS):
            first = position[id(selection.sentences[0])] if selection.sentences else 0
            if not leaning[first]:
                break
            ranked = [
                whole
                for members in ranked
                if (
                    whole := _with_antecedents(members, features, leaning, excluded)
                    if members[0] == first
                    else members
                )
                is not None
            ]
            if not ranked:
                break
            selection = choice.select(ranked, required)
        return selection


def headline_opening(
    texts: Sequence[str], excluded: np.ndarray, title: str | None, language: str | None
) -> int | None:
    """The article's opening sentence (its first that is no furniture) when it carries the
    news of the headline: it holds at least :data:`OPENING_TITLE_SHARE` of the title's content
    words.  None without a title, or when the opening sentence is about something else (a
    scene-setting first line, a question to the reader)."""
    if not title:
        return None
    headline = set(terms(title, language))
    opening = next((i for i in range(len(texts)) if not excluded[i]), None)
    if not headline or opening is None:
        return None
    shared = headline & set(terms(texts[opening], language))
    return opening if len(shared) >= max(1.0, OPENING_TITLE_SHARE * len(headline)) else None


def _first(ranked: list[tuple[int, ...]], sentence: int) -> list[tuple[int, ...]]:
    """``ranked`` with the first candidate holding ``sentence`` moved to the front."""
    for k, members in enumerate(ranked):
        if sentence in members:
            return [members, *ranked[:k], *ranked[k + 1 :]]
    return ranked


def best_set(
    ranked: Iterable[tuple[int, ...]],
    chances: np.ndarray,
    limit: int,
    trigrams: TrigramBlocking,
    required: tuple[int, ...] | None = None,
) -> tuple[int, ...]:
    """The sentences of the set of candidates, among the first :data:`SET_CANDIDATES` of
    ``ranked``, with the highest sum of ``chances`` (each sentence's probability of belonging
    in the summary) in at most ``limit`` sentences: the summary expected to hold the most
    sentences that belong in it.  Holds ``required`` when given.

    Filling by score takes a high-scoring pointing sentence with its weaker antecedent, or a
    whole quotation, where two better single sentences would fit; the set weighs them.  A
    candidate adds only its sentences not chosen yet, and none of them may share a word
    trigram with a sentence another candidate brought (the blocking of ``select_groups``).
    Ties go to the set met first, taking candidates in rank order.
    """
    top = list(islice(ranked, SET_CANDIDATES))
    start = required or ()
    # Bit k of a mask is the k-th sentence these candidates hold; ``clash[k]`` the sentences
    # sharing a trigram with it.
    members = sorted({i for candidate in (*top, start) for i in candidate})
    bit = {i: 1 << k for k, i in enumerate(members)}
    grams = [trigrams.trigrams(i) for i in members]
    clash = [
        sum(1 << m for m in range(len(members)) if m != k and not grams[k].isdisjoint(grams[m]))
        for k in range(len(members))
    ]
    worth = [float(chances[i]) for i in members]
    place = {i: k for k, i in enumerate(members)}
    groups = [[place[i] for i in candidate] for candidate in top]
    masks = [sum(1 << m for m in group) for group in groups]
    clashes = [reduce(or_, (clash[m] for m in group), 0) for group in groups]
    values = [sum(worth[m] for m in group) for group in groups]
    # The best worth of a sentence in the candidates from the k-th on (they come best first).
    most = [max((worth[m] for g in groups[k:] for m in g), default=0.0) for k in range(len(groups))]
    best_value, best_mask = -1.0, 0

    def extend(first: int, chosen: int, count: int, value: float) -> None:
        nonlocal best_value, best_mask
        if value > best_value:
            best_value, best_mask = value, chosen
        for k in range(first, len(groups)):
            # No set from here on can beat the best: every place left at the best worth.
            if value + (limit - count) * most[k] <= best_value:
                return
            if not masks[k] & chosen:
                added, gained, blocked = len(groups[k]), values[k], clashes[k] & chosen
            else:  # the group shares sentences with the set: only the rest is added
                rest = [m for m in groups[k] if not chosen >> m & 1]
                added, gained = len(rest), sum(worth[m] for m in rest)
                blocked = reduce(or_, (clash[m] for m in rest), 0) & chosen
            if added and count + added <= limit and not blocked:
                extend(k + 1, chosen | masks[k], count + added, value + gained)

    extend(0, sum(bit[i] for i in start), len(start), 0.0)
    return tuple(i for i in members if bit[i] & best_mask)


class _Choice:
    """The budget step of one article, run again for each opening round."""

    def __init__(
        self,
        sentences: Sequence[Sentence],
        features: ArticleFeatures,
        scores: np.ndarray,
        poor: np.ndarray,
        budget: Budget,
        language: str | None,
    ) -> None:
        self.sentences, self.features, self.budget, self.language = (
            sentences, features, budget, language,
        )  # fmt: skip
        self.as_set = budget.unit == "sentences" and 1 < budget.value <= MAX_SET_SENTENCES
        # Log-odds to probabilities: a set's value is how many of its sentences should be in.
        # A sentence that is no fragment is worth more than any set of fragments can add, so
        # fragments still only fill what nothing else can.
        chances = 1.0 / (1.0 + np.exp(-np.asarray(scores, dtype=np.float64)))
        self.chances = chances + (~poor) * (budget.value + 1)
        self.texts = [s.text for s in sentences]

    def select(
        self, ranked: Sequence[tuple[int, ...]], required: tuple[int, ...] | None
    ) -> Selection:
        """The summary from ``ranked``, refusing sentences not in the language if it is known."""
        if self.language is not None:
            in_language = _in_language(ranked, self.texts, self.features, self.language)
            selection = self._within(in_language, required)
            if selection.sentences:
                return selection
        return self._within(ranked, required)

    def _within(
        self, ranked: Iterable[tuple[int, ...]], required: tuple[int, ...] | None
    ) -> Selection:
        blocking = TrigramBlocking(self.features.tokens)
        if self.as_set:
            later = iter(ranked)
            top = list(islice(later, SET_CANDIDATES))
            limit = int(self.budget.value)
            if required not in top or len(required or ()) > limit:
                required = None
            chosen = best_set(top, self.chances, limit, blocking, required)
            # The set goes first, whole; when blocking left it short, lower-ranked candidates
            # fill the rest by score.
            ranked = chain([chosen] if chosen else [], top, later)
        # A group whose antecedent was chosen already adds only the rest of it (``partial``).
        return select_groups(self.sentences, ranked, self.budget, blocking, partial=True)
