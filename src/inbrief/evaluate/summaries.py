"""Summary quality: ROUGE of a summarizer against reference summaries, and its speed.

The scoring follows the convention papers use for CNN/DailyMail, so our figures compare with
published tables: ``rouge-score`` ROUGE-1, ROUGE-2 and ROUGE-Lsum F-measure x 100, with the
Porter stemmer; for Lsum the summary's sentences and the reference's highlights are joined by
``\\n``.  ``rouge-score``'s tokenizer keeps only ``[a-z0-9]``, which would drop every accented
letter of a French text, so for another language (``lang="fr"``) tokens are Unicode ``\\w+``
runs, lower-cased, stemmed with that language's Snowball stemmer.

Summaries are made exactly as users get them: :func:`inbrief.text.split_sentences` on the
article text, then ``inbrief.summarizers.get(method).summarize(sentences, language, budget)``.

A dataset is JSON Lines, optionally gzip-compressed: ``{"id", "article", "reference"}`` per
line, the reference's sentences separated by ``\\n``.

A figure measured on articles a method's weights were fitted on is labelled "in-sample"
(:func:`in_sample`, recorded in :attr:`SummaryReport.in_sample`): it says how well the model
remembers, not how well it summarizes unseen news.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from inbrief import summarizers
from inbrief.errors import InbriefError, SourceError
from inbrief.models import Budget
from inbrief.text import normalize_language, split_sentences, stems

_UNICODE_WORD = re.compile(r"\w+", re.UNICODE)
ROUGE_TYPES = ("rouge1", "rouge2", "rougeLsum")


@dataclass(frozen=True)
class ReferenceArticle:
    """One dataset record: an article and its human-written reference summary."""

    id: str
    article: str
    reference: str


@dataclass(frozen=True)
class SummaryReport:
    """ROUGE F x 100 of one method over a dataset, and how fast it summarized.

    ``articles_per_second`` counts sentence splitting and summarizing, not scoring, in CPU
    time of this process, so other work on the machine does not distort it.
    ``baseline`` is the report of the baseline measured in the same run, if one was asked for.
    ``in_sample`` counts the articles that were training data of the method's weights.
    """

    dataset: str
    method: str
    method_version: str
    budget: Budget
    language: str | None
    articles: int
    rouge1: float
    rouge2: float
    rougeLsum: float
    articles_per_second: float
    baseline: SummaryReport | None = None
    in_sample: int = 0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (the budget as its label, e.g. ``3 sentences``)."""
        data = asdict(self)
        data["budget"] = self.budget.describe()
        data["baseline"] = self.baseline.to_dict() if self.baseline else None
        return data


class _Tokenizer(Protocol):
    def tokenize(self, text: str) -> list[str]: ...


class UnicodeStemTokenizer:
    """``rouge-score`` tokenizer for languages beyond English.

    Lower-cased Unicode ``\\w+`` tokens stemmed with the language's Snowball stemmer, so
    ``été`` and ``développement`` are kept and matched as French words.
    """

    def __init__(self, language: str) -> None:
        self.language = language
        self._cache: dict[str, str] = {}

    def tokenize(self, text: str) -> list[str]:
        """Stemmed tokens of ``text``."""
        tokens = _UNICODE_WORD.findall(text.lower())
        cache = self._cache
        unseen = [t for t in dict.fromkeys(tokens) if t not in cache]
        if unseen:
            cache.update(zip(unseen, stems(unseen, self.language), strict=True))
        return [cache[t] for t in tokens]


class PorterTokenizer:
    """rouge-score's default tokenizer with ``use_stemmer=True``, its stems cached.

    Same tokens as ``rouge_score.tokenize.tokenize`` (lower-case, ``[a-z0-9]`` runs, Porter
    stems of words over 3 letters); remembering each word's stem makes scoring a dataset
    several times faster without changing a figure.
    """

    def __init__(self) -> None:
        from nltk.stem import porter
        from rouge_score import tokenize

        self._stemmer = porter.PorterStemmer()
        self._non_alphanumeric = tokenize.NON_ALPHANUM_RE
        self._valid = tokenize.VALID_TOKEN_RE
        self._cache: dict[str, str] = {}

    def tokenize(self, text: str) -> list[str]:
        """Stemmed tokens of ``text``, exactly as rouge-score makes them."""
        cache = self._cache
        tokens = []
        for word in self._non_alphanumeric.sub(" ", text.lower()).split():
            stem = cache.get(word)
            if stem is None:
                stem = cache[word] = self._stemmer.stem(word) if len(word) > 3 else word
            if self._valid.match(stem):
                tokens.append(stem)
        return tokens


def rouge_tokenizer(language: str | None = None) -> _Tokenizer:
    """The tokenizer scores use: rouge-score's own for English (or None), else Unicode+Snowball."""
    code = normalize_language(language)
    if code in (None, "en"):
        return PorterTokenizer()
    return UnicodeStemTokenizer(code)


class RougeScorer:
    """ROUGE-1/2/Lsum F x 100 of a summary (a list of sentences) against a reference."""

    def __init__(self, language: str | None = None) -> None:
        try:
            from rouge_score import rouge_scorer
        except ImportError as error:  # pragma: no cover - depends on the install
            raise InbriefError(
                "summary evaluation needs rouge-score: pip install 'inbrief[eval]'"
            ) from error
        self._scorer = rouge_scorer.RougeScorer(
            list(ROUGE_TYPES), use_stemmer=True, tokenizer=rouge_tokenizer(language)
        )

    def score(self, summary: Sequence[str], reference: str) -> tuple[float, float, float]:
        """(R1, R2, RLsum) F-measures x 100; sentences and highlights joined by newlines."""
        # One sentence per line: a line break inside a sentence would split it for Lsum.
        prediction = "\n".join(" ".join(s.split()) for s in summary)
        scores = self._scorer.score(reference.strip(), prediction)
        r1, r2, rlsum = (scores[name].fmeasure * 100 for name in ROUGE_TYPES)
        return r1, r2, rlsum


def read_dataset(path: str | Path, limit: int | None = None) -> list[ReferenceArticle]:
    """The first ``limit`` records (all when None) of a JSON Lines dataset, gzip or plain."""
    return list(_records(Path(path), limit))


def _records(path: Path, limit: int | None) -> Iterator[ReferenceArticle]:
    if not path.is_file():
        raise SourceError(f"{path}: no such dataset file (expected JSON Lines, .jsonl or .gz)")
    count = 0
    try:
        with path.open("rb") as probe:
            compressed = probe.read(2) == b"\x1f\x8b"
        opener = gzip.open if compressed else open
        with opener(path, "rt", encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if limit is not None and count >= limit:
                    return
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                    item = ReferenceArticle(
                        str(record.get("id", number)),
                        str(record["article"]),
                        str(record["reference"]),
                    )
                except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as error:
                    raise SourceError(
                        f"{path}, line {number}: expected a JSON object with 'article' and "
                        f"'reference' ({error})"
                    ) from error
                count += 1
                yield item
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise SourceError(f"{path}: cannot read the dataset ({error})") from error


def in_sample(method: str, articles: Sequence[ReferenceArticle]) -> int:
    """How many of ``articles`` the weights of ``method`` were fitted on (0 without weights)."""
    training = summarizers.get(method).training
    return training.count(item.id for item in articles) if training is not None else 0


def in_sample_note(count: int, total: int) -> str:
    """The label printed beside a figure measured on training articles; empty when none was."""
    if not count:
        return ""
    return f"(in-sample: {count} of {total} articles were training data)"


@dataclass(frozen=True)
class _Run:
    summaries: list[list[str]]
    seconds: float
    version: str


def _summarize_all(
    articles: Sequence[ReferenceArticle], method: str, language: str, budget: Budget
) -> _Run:
    summarizer = summarizers.get(method)
    summaries = []
    seconds = 0.0
    for item in articles:
        started = time.process_time()
        sentences = split_sentences(item.article, language)
        selection = summarizer.summarize(sentences, language, budget) if sentences else None
        seconds += time.process_time() - started
        summaries.append([s.text for s in selection.sentences] if selection else [])
    return _Run(summaries, seconds, str(summarizer.version))


def evaluate_summaries(
    path: str | Path,
    method: str = "news",
    budget: Budget | None = None,
    limit: int | None = None,
    baseline: str | None = None,
    lang: str | None = None,
    save: str | Path | None = None,
) -> SummaryReport:
    """Summarize every article of a dataset with ``method`` and score it with ROUGE.

    ``baseline="lead"`` also measures Lead-N (the same budget) in the same run.  ``lang``
    sets the language given to the splitter and summarizer and, when not English, switches
    scoring to Unicode tokens with that language's stemmer; it defaults to English.
    ``save`` writes one JSON line per article (id, summary sentences, scores) to that file.

    >>> report = evaluate_summaries("cnndm-dev.jsonl.gz", limit=100, baseline="lead")
    >>> print(format_report(report))  # doctest: +SKIP
    """
    budget = budget or Budget()
    language = normalize_language(lang) or "en"
    articles = read_dataset(path, limit)
    if not articles:
        raise SourceError(f"{path}: the dataset holds no articles")
    scorer = RougeScorer(language)
    baseline_report = None
    if baseline:
        baseline_report = _report(path, articles, baseline, budget, language, scorer, None)
    return _report(path, articles, method, budget, language, scorer, save, baseline_report)


def _report(
    path: str | Path,
    articles: Sequence[ReferenceArticle],
    method: str,
    budget: Budget,
    language: str,
    scorer: RougeScorer,
    save: str | Path | None,
    baseline: SummaryReport | None = None,
) -> SummaryReport:
    run = _summarize_all(articles, method, language, budget)
    scores = [
        scorer.score(summary, item.reference)
        for summary, item in zip(run.summaries, articles, strict=True)
    ]
    if save is not None:
        _save(Path(save), articles, run.summaries, scores)
    count = len(articles)
    means = [sum(s[k] for s in scores) / count for k in range(3)]
    return SummaryReport(
        dataset=str(path),
        method=method,
        method_version=run.version,
        budget=budget,
        language=language,
        articles=count,
        rouge1=means[0],
        rouge2=means[1],
        rougeLsum=means[2],
        articles_per_second=count / run.seconds if run.seconds > 0 else float("inf"),
        baseline=baseline,
        in_sample=in_sample(method, articles),
    )


def _save(
    path: Path,
    articles: Sequence[ReferenceArticle],
    summaries: Sequence[Sequence[str]],
    scores: Sequence[tuple[float, float, float]],
) -> None:
    try:
        with path.open("w", encoding="utf-8") as out:
            for item, summary, score in zip(articles, summaries, scores, strict=True):
                record: dict[str, object] = {"id": item.id, "summary": list(summary)}
                record.update(
                    {name: round(v, 4) for name, v in zip(ROUGE_TYPES, score, strict=True)}
                )
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    except OSError as error:
        raise SourceError(f"{path}: cannot write the summaries ({error})") from error


def format_report(report: SummaryReport) -> str:
    """A small table: one row per method (baseline first), then the gain over the baseline.

    A row measured on training articles ends with :func:`in_sample_note`.
    """
    rows = [r for r in (report.baseline, report) if r is not None]
    width = max(len(f"{r.method} v{r.method_version}") for r in rows)
    lines = [
        f"{report.dataset}: {report.articles} articles, {report.budget.describe()}, "
        f"language {report.language}",
        f"{'method':<{width}}  {'R1':>6}  {'R2':>6}  {'RLsum':>6}  {'articles/s':>10}",
    ]
    for r in rows:
        label = f"{r.method} v{r.method_version}"
        row = (
            f"{label:<{width}}  {r.rouge1:6.2f}  {r.rouge2:6.2f}  {r.rougeLsum:6.2f}  "
            f"{r.articles_per_second:10.0f}"
        )
        note = in_sample_note(r.in_sample, r.articles)
        lines.append(f"{row}  {note}" if note else row)
    if report.baseline:
        b = report.baseline
        lines.append(
            f"{'gain':<{width}}  {report.rouge1 - b.rouge1:+6.2f}  {report.rouge2 - b.rouge2:+6.2f}"
            f"  {report.rougeLsum - b.rougeLsum:+6.2f}"
        )
    return "\n".join(lines)
