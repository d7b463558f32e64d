"""A reader's metrics of the default summary, beside Lead-3 and the previous release, in one run.

On real cased pages: the 83 extraction dev pages (../shared/data/extraction-dev, read at run
time; the extraction rules were written from these) and the 83 demo articles shipped with the
package (text, language and title as the reader loads them).  For each corpus it prints the
share of 3-sentence summaries that cover the main news, dangle, carry page furniture (by kind)
or are in another language, and the key phrases against the pages' own tags; the rules are in
``inbrief.evaluate.reader``.

The previous release is commit ``--previous`` (default 0e31692, the last commit before issue
12's work) unpacked with ``git archive`` into a temporary folder and run in a subprocess with
PYTHONPATH pointing at it; ``--previous ''`` leaves it out.

    .venv/bin/python bench/reader_metrics.py [--previous COMMIT]

Only ``inbrief.pipeline``, ``inbrief.models``, ``inbrief.text`` and ``inbrief.errors`` are used
to summarize, as both releases have them; the metrics are imported where they are computed, in
this release only.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from inbrief.errors import InbriefError
from inbrief.models import Article, Budget, Document
from inbrief.pipeline import extract, summarize_article
from inbrief.text import detect_language, split_sentences

try:  # how the reader loads the demo articles; 0.1 had no such step
    from inbrief.extract.markup import unwrap_wiki_markup
except ImportError:

    def unwrap_wiki_markup(text: str) -> str:
        return text


ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "extraction-dev"
DEMO = ROOT / "src" / "inbrief" / "data" / "demo" / "articles.jsonl"
PREVIOUS = "0e31692"
METHODS = ("news", "lead")
SENTENCES = 3

Record = dict[str, Any]
LEGEND = f"""\
{SENTENCES}-sentence summaries.  news: this tree's default; lead-3: its first {SENTENCES} sentences
of the same split; news <commit>: the previous release's whole pipeline (its own extraction and
splitting).  Key phrases do not depend on the method: scored once per release.  Main news: the
opening sentence (the first that is not furniture) or >= 50% of the title's content words
(stems).  Dangling: a chosen sentence opens with a pronoun, demonstrative, connective or "the
company"-style reference and the sentence before it is not chosen (an upper bound).  Other
language: py3langid on chosen sentences of 8+ words, confirmed by few of the article language's
stop words; the article's language is the demo record's, or py3langid on a page's text.  Tag
precision/recall: mean per tagged page of shared content-word stems.  Rules and word lists:
src/inbrief/evaluate/reader.py."""


def _articles(dev: Path) -> Iterator[tuple[str, str, Article | Document]]:
    """(corpus, id, what to summarize): dev pages as HTML documents, demo articles as text."""
    if dev.is_dir():
        urls = json.loads((dev / "urls.json").read_text("utf-8"))
        for page in sorted((dev / "html").glob("*.html")):
            url = urls.get(page.stem)
            html = page.read_text("utf-8")
            yield "dev", page.stem, Document(html, "html", url or page.stem, url)
    for line in DEMO.read_text("utf-8").splitlines():
        item = json.loads(line)
        text = unwrap_wiki_markup(item["body"]).strip()
        article = Article(text=text, title=item["title"], language=item["language"])
        yield "demo", item["id"], article


def summarize_corpora(dev: Path) -> list[Record]:
    """Every article's sentences, the sentences each method chose, and the key phrases."""
    records = []
    budget = Budget("sentences", SENTENCES)
    for corpus, name, source in _articles(dev):
        try:
            article = source if isinstance(source, Article) else extract(source)
            summaries = {m: summarize_article(article, budget, method=m) for m in METHODS}
        except InbriefError:
            continue
        sentences = [s.text for s in split_sentences(article.text, article.language)]
        records.append(
            {
                "corpus": corpus,
                "id": name,
                "title": article.title,
                # The article's language: as given for demo articles, py3langid on the text for
                # pages (whose declared language is one of the things measured).
                "language": article.language if corpus == "demo" else detect_language(article.text),
                "sentences": sentences,
                "chosen": {
                    m: [s.index for s in summary.sentences] for m, summary in summaries.items()
                },
                "keyphrases": list(summaries["news"].keyphrases),
            }
        )
    return records


def _previous_release(commit: str, dev: Path) -> subprocess.Popen[str] | None:
    """Start the previous release's summaries in a subprocess (None when git cannot give it)."""
    resolved = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--verify", f"{commit}^{{commit}}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if resolved.returncode != 0:
        print(f"previous release {commit}: {resolved.stderr.strip()}", file=sys.stderr)
        return None
    # Unpacked once per commit (a branch name moves; its hash does not).
    folder = Path(tempfile.gettempdir()) / f"inbrief-{resolved.stdout.strip()[:12]}"
    if not (folder / "src" / "inbrief").is_dir():
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", resolved.stdout.strip(), "src"],
            capture_output=True,
            check=True,
        )
        tar = folder.with_suffix(".tar")
        tar.write_bytes(archive.stdout)
        with tarfile.open(tar) as unpacked:
            unpacked.extractall(folder, filter="data")
        tar.unlink()
    env = {**os.environ, "PYTHONPATH": str(folder / "src")}
    command = [sys.executable, str(Path(__file__).resolve()), "--emit", "--dev", str(dev)]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, env=env, cwd=tempfile.gettempdir()
    )


def main(argv: list[str] | None = None) -> int:
    """Print one table per corpus; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev", type=Path, default=DEV, help="extraction dev pages folder")
    parser.add_argument("--previous", default=PREVIOUS, help="commit of the previous release")
    parser.add_argument("--emit", action="store_true", help="print this release's summaries")
    options = parser.parse_args(argv)
    if options.emit:
        json.dump(summarize_corpora(options.dev), sys.stdout)
        return 0

    from inbrief.evaluate.reader import render_table  # this release only

    previous = _previous_release(options.previous, options.dev) if options.previous else None
    current = summarize_corpora(options.dev)
    runs = {"news": (current, "news"), "lead-3": (current, "lead")}
    if previous is not None:
        output, _ = previous.communicate()
        if previous.returncode == 0:
            runs[f"news {options.previous}"] = (json.loads(output), "news")
        else:
            print(f"previous release {options.previous}: failed, left out", file=sys.stderr)
    tags = _dev_tags(options.dev)
    for corpus, caption in (
        ("dev", "extraction dev pages (the extraction rules were written from these)"),
        ("demo", "demo articles (text, language and title as the reader loads them)"),
    ):
        print(render_table(caption, _columns(runs, corpus, tags)))
        print()
    print(LEGEND)
    return 0


def _columns(
    runs: dict[str, tuple[list[Record], str]], corpus: str, tags: dict[str, tuple[str, ...]]
) -> dict[str, list[Any]]:
    """Each run's figures on one corpus; key phrases are the same for every method of a
    release, so they are scored in its ``news`` column only."""
    from inbrief.evaluate.reader import ReadSummary, keyphrase_figures, summary_figures

    columns = {}
    for name, (records, method) in runs.items():
        reads = [
            ReadSummary(
                sentences=tuple(record["sentences"]),
                chosen=tuple(record["chosen"][method]),
                title=record["title"],
                language=record["language"],
                keyphrases=tuple(record["keyphrases"]) if method == "news" else (),
                tags=tags.get(record["id"], ()),
            )
            for record in records
            if record["corpus"] == corpus
        ]
        columns[name] = summary_figures(reads) + keyphrase_figures(reads)
    return columns


def _dev_tags(dev: Path) -> dict[str, tuple[str, ...]]:
    from inbrief.evaluate.reader import page_tags

    if not dev.is_dir():
        return {}
    return {page.stem: page_tags(page.read_text("utf-8")) for page in (dev / "html").glob("*.html")}


if __name__ == "__main__":
    sys.exit(main())
