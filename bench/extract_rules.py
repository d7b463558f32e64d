"""Does each clean-up rule of extraction help on sites it was not written from?

Every rule of ``inbrief extract``'s clean-up (each phrase of the furniture tables in
``extract/phrases.py``, the share-word lists, a label taking the headline after it, the
reconciling of the two extractors' opinions in ``extract/body.py``, the hover cards, title
line and embedded posts of ``extract/html.py``) is switched off alone, and the benchmark F1
(``inbrief.evaluate.extraction``) measured with it on and off.  A rule that gains on the dev
pages may have been written from one of them: its *gain elsewhere* is its gain on the pages of
every site but the one it helps most (sites by the URL's host name).  A rule whose gain
elsewhere is not above zero helps one site only.

    .venv/bin/python bench/extract_rules.py [DIR] [--all] [--off RULE ...]

DIR defaults to ../shared/data/extraction-dev (read at run time, never copied).  Rules that
change no page are counted, not listed, unless ``--all``.  ``--off`` measures the F1 with
those rules switched off together (before/after a removal).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from inbrief.errors import ExtractError
from inbrief.evaluate.extraction import PageScore, load_benchmark, score_page
from inbrief.extract import body, html
from inbrief.extract.boilerplate import HEADLINE_RULE, clean_paragraphs, phrase_rules
from inbrief.models import Document

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "extraction-dev"


@dataclass(frozen=True)
class RuleScore:
    """One rule's effect: F1 with it on and off, over all pages and away from its best site."""

    name: str
    pattern: str
    changed: int  # pages whose text changes when the rule is off
    f1_on: float
    f1_off: float
    best_site: str | None
    gain_elsewhere: float

    @property
    def gain(self) -> float:
        return self.f1_on - self.f1_off

    @property
    def verdict(self) -> str:
        if not self.changed:
            return "unused"
        if self.gain < 0:
            return "harmful"
        return "general" if self.gain_elsewhere > 0 else "one site"


def f1(scores: Iterable[PageScore]) -> float:
    """The benchmark's F1 (of the mean precision and mean recall) over some pages."""
    pages = list(scores)
    precisions = [p.precision for p in pages if p.precision is not None]
    recalls = [p.recall for p in pages if p.recall is not None]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


class Bench:
    """The dev pages read once by both extractors; the clean-up re-run per rule switched off."""

    def __init__(self, directory: Path) -> None:
        sources, self.truth, urls = load_benchmark(directory)
        self.documents = {
            pid: Document(text, "html", urls.get(pid) or pid, urls.get(pid))
            for pid, text in sources.items()
        }
        self.sites = {pid: _site(urls.get(pid) or pid) for pid in sources}
        self.pages = {pid: _read(doc, frozenset()) for pid, doc in self.documents.items()}
        self._cleaned = {pid: self._clean(pid, frozenset()) for pid in self.documents}
        self._base: dict[str, str] = {}

    def _clean(self, pid: str, off: frozenset[str]) -> tuple[list[str], list[str]] | None:
        page = self.pages[pid]
        if page is None:
            return None
        return (
            clean_paragraphs(page.main, page.language, off=off),
            clean_paragraphs(page.second, page.language, off=off),
        )

    def texts(self, off: frozenset[str]) -> dict[str, str]:
        """Each page's article text with the rules in ``off`` switched off."""
        texts: dict[str, str] = {}
        phrases_only = not off & _STRUCTURAL
        for pid, document in self.documents.items():
            # A phrase rule changes a page only through the cleaned opinions: where they stay,
            # the text stays (the cascade of a page without sentences runs on no dev page).
            if phrases_only and pid in self._base and self._clean(pid, off) == self._cleaned[pid]:
                texts[pid] = self._base[pid]
                continue
            # Hover cards go before the extractors run: that rule needs the page read again.
            page = _read(document, off) if html.HOVER_RULE in off else self.pages[pid]
            try:
                texts[pid] = "" if page is None else html.article_from(document, page, off=off).text
            except ExtractError:
                texts[pid] = ""
        if not off:
            self._base = dict(texts)
        return texts

    def scores(self, texts: Mapping[str, str]) -> dict[str, PageScore]:
        return {pid: score_page(pid, texts[pid], self.truth[pid]) for pid in self.documents}

    def measure(
        self, name: str, pattern: str, base: Mapping[str, str], on: Mapping[str, PageScore]
    ) -> RuleScore:
        texts = self.texts(frozenset({name}))
        changed = [pid for pid in base if texts[pid] != base[pid]]
        if not changed:
            value = f1(on.values())
            return RuleScore(name, pattern, 0, value, value, None, 0.0)
        off = self.scores(texts)
        by_site: dict[str, float] = {}
        for site in {self.sites[pid] for pid in changed}:
            pids = [pid for pid in base if self.sites[pid] == site]
            by_site[site] = f1(on[p] for p in pids) - f1(off[p] for p in pids)
        best = max(sorted(by_site), key=lambda site: by_site[site])
        rest = [pid for pid in base if self.sites[pid] != best]
        return RuleScore(
            name,
            pattern,
            len(changed),
            f1(on.values()),
            f1(off.values()),
            best,
            f1(on[p] for p in rest) - f1(off[p] for p in rest),
        )


# Rules acting outside clean_paragraphs (the headline rule acts inside it).
_STRUCTURAL = frozenset({*body.RULES, *html.RULES})


def _read(document: Document, off: frozenset[str]) -> html.Page | None:
    try:
        return html.read_page(document, off=off)
    except ExtractError:
        return None


def _site(url: str) -> str:
    host = urlparse(url).hostname or url
    return host.removeprefix("www.")


def all_rules() -> list[tuple[str, str]]:
    """(name, what it matches or does) of every clean-up rule that can be switched off."""
    structural = [
        (HEADLINE_RULE, "a label alone takes the headline after it"),
        (body.SHORT_MAIN_RULE, "readability replaces a main text under 250 characters"),
        (body.TEASER_RULE, "readability replaces a main text it lacks, under half as long"),
        (body.EDGE_RULE, "edge paragraphs only the main text has go, when both agree"),
        (html.HOVER_RULE, "person cards inside paragraphs go"),
        (html.TITLE_RULE, "a first paragraph repeating the title goes"),
        (html.EMBED_RULE, "embedded tweets are put back"),
    ]
    return [*structural, *phrase_rules()]


def main(argv: list[str] | None = None) -> int:
    """Print the table of rules; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", nargs="?", type=Path, default=DEV)
    parser.add_argument("--all", action="store_true", help="list the unused rules too")
    parser.add_argument("--off", nargs="+", metavar="RULE", help="F1 with these rules off")
    options = parser.parse_args(argv)
    if not (options.directory / "ground_truth.json").is_file():
        print(f"{options.directory}: no benchmark folder (ground_truth.json)", file=sys.stderr)
        return 2
    known = {name for name, _ in all_rules()}
    unknown = sorted(set(options.off or ()) - known)
    if unknown:
        print(f"unknown rules: {', '.join(unknown)}", file=sys.stderr)
        return 2
    bench = Bench(options.directory)
    base = bench.texts(frozenset())
    on = bench.scores(base)
    sites = len(set(bench.sites.values()))
    print(f"{options.directory}: {len(base)} pages, {sites} sites")
    print(f"F1 with every rule on: {f1(on.values()):.4f}")
    if options.off:
        off = bench.scores(bench.texts(frozenset(options.off)))
        print(f"F1 with {', '.join(options.off)} off: {f1(off.values()):.4f}")
        return 0
    results = [bench.measure(name, pattern, base, on) for name, pattern in all_rules()]
    print("\ngain = F1 on - F1 off (x 1000); elsewhere = gain without the site it helps most\n")
    header = f"{'rule':<22} {'pages':>5} {'F1 off':>7} {'gain':>6} {'elsewhere':>9}  {'verdict':<8}"
    print(f"{header}  best site, rule")
    unused = 0
    for result in results:
        if not result.changed and not options.all:
            unused += 1
            continue
        print(
            f"{result.name:<22} {result.changed:>5} {result.f1_off:7.4f} {1000 * result.gain:6.2f} "
            f"{1000 * result.gain_elsewhere:9.2f}  {result.verdict:<8}  "
            f"{result.best_site or '-'}  {result.pattern[:50]}"
        )
    if unused:
        print(f"\n{unused} rules change no dev page (--all lists them)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
