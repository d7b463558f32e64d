# ruff: noqa: RUF001
# (Russian letters and curly apostrophes are meant as written.)
"""How well ``inbrief verify`` tells a changed fact from a faithful sentence.

Builds a test set from the dev data: the reference summaries' sentences are the faithful ones
(CNN/DailyMail highlights, OrangeSum's abstractive summaries), and copies of them with one fact
changed are the unfaithful ones:

- new number: a figure replaced by one the article does not state;
- swapped number: a figure replaced by another figure of the same article;
- foreign word: a content word replaced by a word of another article (one this article does
  not use), drawn from that article's running text;
- swapped name: a capitalised name replaced by another name of the same article (cased text
  only: CNN/DailyMail is lower-cased);
- negation added / dropped: "not" put after an auxiliary (French "ne ... pas" around a verb),
  or a negation taken out.

It prints, per corpus and kind, how many changed sentences there are and the share the check
flags (any problem), then the share of untouched reference sentences it flags, and the speed.
The copies are drawn with a seeded random generator, so every run builds the same set.

    .venv/bin/python bench/guard_quality.py [--articles N] [--seed 1] [--corpus cnndm|orangesum]
        [--split] [--breakdown]

``--split`` divides the articles by a hash of their id into a tuning half and a held-out half
and reports each (and all): rules are tuned on the tuning half only, so the held-out figures
say how the method generalizes.  ``--breakdown`` says, for each kind, which problem kinds
flag its sentences: for the untouched ones, where the false flags come from ("only" counts the
sentences flagged by that kind alone, which dropping the test would clear).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from inbrief.models import CheckedSentence, Sentence
from inbrief.text import split_sentences, stems, stopwords
from inbrief.verify import check_summary
from inbrief.verify.dates import calendar_words
from inbrief.verify.numbers import quantities

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
CORPORA = {"cnndm": ("cnndm-dev.jsonl.gz", "en"), "orangesum": ("orangesum-dev.jsonl.gz", "fr")}
KINDS = (
    "new number",
    "swapped number",
    "foreign word",
    "swapped name",
    "negation added",
    "negation dropped",
)

_FIGURE = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")
_WORD = re.compile(r"(?<![\w'’-])[^\W\d_]{3,}(?![\w'’-])")
_NAME = re.compile(r"(?<![\w'’-])[A-ZÀ-ÖØ-Þ][^\W\d_]{2,}(?![\w-])")
# A sentence glued to the next one in OrangeSum ("américains.Au lendemain").
_GLUED = re.compile(r"(?<=[a-zà-ÿ][.!?])(?=[A-ZÀ-Ý])")

_EN_AUXILIARIES = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "must",
        "does",
        "did",
        "do",
    ]
)
_EN_NEGATIONS = re.compile(r" (?:not|n't|never)(?= )")
_FR_VERBS = frozenset(
    [
        "est",
        "sont",
        "a",
        "ont",
        "était",
        "étaient",
        "va",
        "vont",
        "peut",
        "peuvent",
        "doit",
        "doivent",
        "sera",
        "seront",
        "avait",
        "avaient",
        "fait",
        "font",
        "veut",
        "veulent",
    ]
)
_FR_NEGATION = re.compile(r"\b(?:ne |n'|n’)(\w+) (?:pas|jamais|plus) ")


@dataclass(frozen=True)
class Case:
    """One sentence to check against its article: a reference sentence or a changed copy."""

    article: int
    kind: str  # "untouched" or one of KINDS
    text: str
    reference: str = ""  # the untouched sentence a changed copy was made from


PROBLEM_KINDS = ("number", "date", "name", "words", "quotation", "support")
HALVES = ("tuning", "held-out")


def half(identifier: str) -> str:
    """The half an article belongs to, by a hash of its id: the same in every run."""
    return HALVES[hashlib.sha256(identifier.encode()).digest()[0] % 2]


def read_corpus(name: str, limit: int | None) -> list[tuple[str, list[str], str]]:
    """(article, reference sentences, id) of the corpus's first ``limit`` articles."""
    path = DATA / CORPORA[name][0]
    language = CORPORA[name][1]
    pairs = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            sentences = [
                s.text
                for part in _GLUED.sub(" ", record["reference"]).split("\n")
                for s in split_sentences(part, language)
                if len(s.text.split()) >= 3
            ]
            pairs.append((record["article"], sentences, str(record.get("id", len(pairs)))))
            if limit is not None and len(pairs) == limit:
                break
    return pairs


def _replace(text: str, match: re.Match[str], new: str) -> str:
    return text[: match.start()] + new + text[match.end() :]


def _figure_value(figure: str) -> float:
    """The value of a figure as the builder reads it: "19,000" and "19.000" are thousands,
    "3.5" and "3,5" decimals, a figure with several separators ("105.420.80") its digits."""
    if re.fullmatch(r"\d+(?:[.,]\d{3})+", figure):
        return float(re.sub(r"[.,]", "", figure))
    if re.fullmatch(r"\d+(?:[.,]\d+)?", figure):
        return float(figure.replace(",", "."))
    return float(re.sub(r"\D", "", figure))


def new_number(text: str, article: str, rng: random.Random, **_: object) -> str | None:
    figures = list(_FIGURE.finditer(text))
    if not figures:
        return None
    match = rng.choice(figures)
    stated = {value for q in quantities(article, None) for value in q.values}
    value = int(_figure_value(match.group()))
    for _ in range(50):
        candidate = value + rng.choice((1, 2, 3, 4, 5, 7, 10, 12, 20)) * rng.choice((1, -1))
        if candidate > 0 and float(candidate) not in stated:
            written = f"{candidate:,}" if "," in match.group() else str(candidate)
            return _replace(text, match, written)
    return None


def swapped_number(text: str, article: str, rng: random.Random, **_: object) -> str | None:
    figures = list(_FIGURE.finditer(text))
    if not figures:
        return None
    match = rng.choice(figures)
    value = _figure_value(match.group())
    others = sorted(
        {f.group() for f in _FIGURE.finditer(article) if _figure_value(f.group()) != value}
    )
    return _replace(text, match, rng.choice(others)) if others else None


def _vocabulary(text: str, language: str) -> set[str]:
    return set(stems([w.lower() for w in _WORD.findall(text)], language))


def _replaceable(word: str, language: str, stop: frozenset[str]) -> bool:
    return (
        word.islower()
        and word not in stop
        and not quantities(word, language)
        and not calendar_words(word, language)
    )


def foreign_word(
    text: str, article: str, rng: random.Random, *, other: str, language: str, **_: object
) -> str | None:
    stop = stopwords(language)
    targets = [m for m in _WORD.finditer(text) if _replaceable(m.group(), language, stop)]
    present = _vocabulary(article, language)
    pool = [
        word
        for word in _WORD.findall(other)
        if _replaceable(word, language, stop) and stems([word], language)[0] not in present
    ]
    if not targets or not pool:
        return None
    return _replace(text, rng.choice(targets), rng.choice(pool))


def _names(text: str, language: str) -> list[re.Match[str]]:
    stop = stopwords(language)
    found = []
    for match in _NAME.finditer(text):
        before = text[: match.start()].rstrip()
        opening = not before or before[-1] in '.!?:"“«('
        if not opening and match.group().lower() not in stop and not calendar_words(match.group()):
            found.append(match)
    return found


def swapped_name(text: str, article: str, rng: random.Random, **options: object) -> str | None:
    language = str(options["language"])
    targets = _names(text, language)
    if not targets:
        return None
    match = rng.choice(targets)
    in_text = {m.group() for m in _NAME.finditer(text)}
    others = sorted({m.group() for m in _names(article, language)} - in_text)
    return _replace(text, match, rng.choice(others)) if others else None


def negation_added(text: str, article: str, rng: random.Random, **options: object) -> str | None:
    words = text.split(" ")
    if options["language"] == "fr":
        if _FR_NEGATION.search(text):
            return None
        verbs = [i for i, word in enumerate(words) if word in _FR_VERBS]
        if not verbs:
            return None
        at = rng.choice(verbs)
        verb = words[at]
        words[at] = f"n'{verb} pas" if verb[0] in "aeéiou" else f"ne {verb} pas"
        if at > 0 and words[at - 1].lower() in ("je", "il", "elle", "on", "ils", "elles", "ce"):
            pass
        return " ".join(words)
    if _EN_NEGATIONS.search(f" {text} "):
        return None
    auxiliaries = [i for i, word in enumerate(words) if word.lower() in _EN_AUXILIARIES]
    if not auxiliaries:
        return None
    at = rng.choice(auxiliaries)
    words[at] = f"{words[at]} not"
    return " ".join(words)


def negation_dropped(text: str, article: str, rng: random.Random, **options: object) -> str | None:
    if options["language"] == "fr":
        matches = list(_FR_NEGATION.finditer(text))
        if not matches:
            return None
        match = rng.choice(matches)
        return _replace(text, match, f"{match.group(1)} ")
    padded = f" {text} "
    matches = list(_EN_NEGATIONS.finditer(padded))
    if not matches:
        return None
    match = rng.choice(matches)
    changed = _replace(padded, match, "")
    return changed.replace(" ca ", " can ").replace(" wo ", " will ").strip()


_BUILDERS: dict[str, Callable[..., str | None]] = {
    "new number": new_number,
    "swapped number": swapped_number,
    "foreign word": foreign_word,
    "swapped name": swapped_name,
    "negation added": negation_added,
    "negation dropped": negation_dropped,
}


def build_cases(
    pairs: list[tuple[str, list[str], str]], language: str, seed: int
) -> Iterator[Case]:
    """Every reference sentence untouched, and one changed copy per kind that applies to it."""
    for number, (article, sentences, _) in enumerate(pairs):
        other = pairs[(number + 1) % len(pairs)][0]
        for position, sentence in enumerate(sentences):
            yield Case(number, "untouched", sentence)
            for kind in KINDS:
                if kind == "swapped name" and article.islower():
                    continue
                rng = random.Random(f"{seed}:{number}:{position}:{kind}")
                changed = _BUILDERS[kind](sentence, article, rng, other=other, language=language)
                if changed is not None and changed != sentence:
                    yield Case(number, kind, changed, sentence)


def check_cases(
    pairs: list[tuple[str, list[str], str]], cases: list[Case], language: str
) -> tuple[list[tuple[Case, CheckedSentence]], float, list[list[Sentence]]]:
    """Each case with its check, the seconds the checks took, and the articles' sentences."""
    splits = [split_sentences(article, language) for article, _, _ in pairs]
    by_article: dict[int, list[Case]] = {}
    for case in cases:
        by_article.setdefault(case.article, []).append(case)
    started = time.perf_counter()
    results: dict[int, CheckedSentence] = {}
    for number, group in by_article.items():
        checked = check_summary([case.text for case in group], splits[number], language)
        results.update(zip((id(case) for case in group), checked, strict=True))
    elapsed = time.perf_counter() - started
    return [(case, results[id(case)]) for case in cases], elapsed, splits


def report(
    label: str, checked: list[tuple[Case, CheckedSentence]], breakdown: bool
) -> dict[str, tuple[int, int]]:
    """Print the share of each kind flagged (with, on ``breakdown``, by which problem kinds);
    return {kind: (cases, flagged)}."""
    counts: dict[str, list[int]] = {}
    by_problem: dict[str, dict[str, list[int]]] = {}
    for case, result in checked:
        tally = counts.setdefault(case.kind, [0, 0])
        tally[0] += 1
        tally[1] += not result.supported
        found = {problem.kind for problem in result.problems}
        row = by_problem.setdefault(case.kind, {k: [0, 0] for k in PROBLEM_KINDS})
        for kind in found:
            row[kind][0] += 1
            row[kind][1] += len(found) == 1
    print(label)
    head = f"{'kind':<18} {'n':>6} {'flagged':>8}"
    if breakdown:
        head += "  " + " ".join(f"{k:>13}" for k in PROBLEM_KINDS)
    print(head + ("\n" + " " * 36 + "(any / only)" if breakdown else ""))
    for kind in (*KINDS, "untouched"):
        if kind not in counts:
            continue
        n, flagged = counts[kind]
        line = f"{kind:<18} {n:>6} {100 * flagged / n:>7.1f}%"
        if breakdown:
            cells = (by_problem[kind][k] for k in PROBLEM_KINDS)
            line += "  " + " ".join(f"{100 * a / n:>6.1f}/{100 * o / n:>5.1f}" for a, o in cells)
        print(line)
    return {kind: (n, f) for kind, (n, f) in counts.items()}


def measure(
    name: str,
    limit: int | None,
    seed: int,
    *,
    split: bool = False,
    breakdown: bool = False,
    show: int = 0,
) -> dict[str, dict[str, tuple[int, int]]]:
    """Check every case of the corpus; print and return {part: {kind: (cases, flagged)}}
    with part "all" (and, on ``split``, the two halves)."""
    language = CORPORA[name][1]
    pairs = read_corpus(name, limit)
    cases = list(build_cases(pairs, language, seed))
    checked, elapsed, splits = check_cases(pairs, cases, language)
    shown: dict[str, int] = {}
    for case, result in checked:
        flagged = not result.supported
        if show and (flagged == (case.kind == "untouched")) and shown.get(case.kind, 0) < show:
            shown[case.kind] = shown.get(case.kind, 0) + 1
            print(f"[{case.kind}] {case.text}\n   {result.problems}", file=sys.stderr)
    parts: dict[str, dict[str, tuple[int, int]]] = {}
    if split:
        halves = [half(identifier) for _, _, identifier in pairs]
        for part in HALVES:
            chosen = [(c, r) for c, r in checked if halves[c.article] == part]
            articles = halves.count(part)
            tag = "tuned on" if part == "tuning" else "not tuned on"
            label = f"\n{name} dev, {part} half ({tag}): {articles} articles, seed {seed}"
            parts[part] = report(label, chosen, breakdown)
    label = f"\n{name} dev, all (tuned on the tuning half): {len(pairs)} articles, seed {seed}"
    parts["all"] = report(label, checked, breakdown)
    print(f"speed: {len(cases) / elapsed:,.0f} sentences/s (one process, wall time)")
    print(
        f"one summary (its reference) against its article: {_summary_ms(pairs, splits, language)}"
    )
    return parts


def _summary_ms(
    pairs: list[tuple[str, list[str], str]], splits: list[list[Sentence]], language: str
) -> str:
    """Median milliseconds (CPU time, best of 3) to check a reference summary against its
    article, reading the article included; with the mean sentence counts."""
    times = []
    for (_, references, _), article in zip(pairs, splits, strict=True):
        if not references:
            continue
        best = float("inf")
        for _ in range(3):
            started = time.process_time()
            check_summary(references, article, language)
            best = min(best, time.process_time() - started)
        times.append(best * 1000)
    times.sort()
    sizes = [(len(r), len(a)) for (_, r, _), a in zip(pairs, splits, strict=True) if r]
    summary = sum(n for n, _ in sizes) / len(sizes)
    article = sum(n for _, n in sizes) / len(sizes)
    return (
        f"median {times[len(times) // 2]:.1f} ms ({summary:.1f} summary sentences, "
        f"{article:.0f} article sentences on average)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=None, help="first N articles of each")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", choices=sorted(CORPORA), action="append")
    parser.add_argument("--show", type=int, default=0, help="print N misses of each kind")
    parser.add_argument("--split", action="store_true", help="report tuning/held-out halves")
    parser.add_argument("--breakdown", action="store_true", help="flags by problem kind")
    options = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"no evaluation data at {DATA}")
    for name in options.corpus or sorted(CORPORA):
        measure(
            name,
            options.articles,
            options.seed,
            split=options.split,
            breakdown=options.breakdown,
            show=options.show,
        )


if __name__ == "__main__":
    main()
