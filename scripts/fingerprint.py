"""Print digests of what inbrief produces, to prove that a refactoring changed no behaviour.

    python scripts/fingerprint.py            # needs ../shared/data beside the project

One sha256 for each of:
- ``summaries``: the default summary (3 sentences) of every article in cnndm-dev: its id, each
  sentence's index and offsets, the keyphrases, ``over_budget`` and the word counts;
- ``extractions``: every field of the article extracted from each extraction-dev page;
- ``demo``: the same summary fields for the 83 bundled demo articles (cased news in several
  languages, summarized from their text with their language) and the bundled demo pages.

Run it before a change and after it: equal digests mean equal output. It uses only the public
API (``inbrief.summarize``, ``inbrief.extract``), so it runs on any layout of the package.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import inbrief

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
DEMO = ROOT / "src" / "inbrief" / "data" / "demo"


def _summary_fields(summary: inbrief.Summary) -> list[object]:
    stats = summary.stats
    return [
        [[s.index, s.start, s.end] for s in summary.sentences],
        list(summary.keyphrases),
        summary.over_budget,
        [stats.article_words, stats.summary_words] if stats else None,
        summary.article.language,
    ]


def _cnndm(limit: int | None) -> Iterator[list[object]]:
    with gzip.open(DATA / "cnndm-dev.jsonl.gz", "rt", encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if limit is not None and n >= limit:
                return
            record = json.loads(line)
            yield [record["id"], _summary_fields(inbrief.summarize(record["article"]))]


def _extractions() -> Iterator[list[object]]:
    for page in sorted((DATA / "extraction-dev" / "html").glob("*.html")):
        try:
            article = inbrief.extract(page)
        except inbrief.InbriefError as exc:
            yield [page.stem, type(exc).__name__, str(exc)]
            continue
        fields = dataclasses.asdict(article)
        fields["origin"] = Path(fields["origin"]).name  # the checkout's path is not behaviour
        yield [page.stem, fields]


def _demo() -> Iterator[list[object]]:
    with (DEMO / "articles.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            article = inbrief.Article(text=record["body"].strip(), language=record["language"])
            yield [record["id"], _summary_fields(inbrief.summarize_article(article))]
    for page in sorted((DEMO / "html").glob("*.html")):
        yield [page.stem, _summary_fields(inbrief.summarize(page))]


def _digest(rows: Iterator[list[object]]) -> tuple[str, int]:
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        digest.update(json.dumps(row, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        digest.update(b"\n")
        count += 1
    return digest.hexdigest(), count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, help="only the first N cnndm-dev articles")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"fingerprint: no evaluation data at {DATA}", file=sys.stderr)
        return 1
    for name, rows in (
        ("summaries", _cnndm(args.limit)),
        ("extractions", _extractions()),
        ("demo", _demo()),
    ):
        digest, count = _digest(rows)
        print(f"{name:12} {count:5} {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
