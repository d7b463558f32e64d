"""HTML to summary speed: inbrief against trafilatura alone, in one run.

On a folder of HTML pages laid out like the Zyte article-extraction benchmark (``html/<id>.html``,
``urls.json``), three contenders run over every page, round-robin, ``--repeat`` passes each,
and each figure is the best pass of CPU time (process time: the machine is shared, and other
work inflates wall time far more):

* ``trafilatura`` -- ``trafilatura.extract`` on the raw HTML as the benchmark runs it
  (``include_comments=False``), the baseline: what a user would run instead;
* ``inbrief extract`` -- ``inbrief.extract`` alone (HTML -> Article with metadata and gate);
* ``inbrief HTML -> summary`` -- extract then ``inbrief.pipeline.summarize_article`` with its
  default options (the news model, three sentences, five keyphrases).

Goal: ``inbrief HTML -> summary`` at 0.8x trafilatura's pages per second or more.  Every
contender first reads every page once, untimed: loading models and word lists is no per-page
cost, and each pass then costs the same.  BLAS is held to one thread: the figures are for
one core.

    .venv/bin/python bench/html_speed.py [DIR] [--repeat 5] [--profile N]

``--profile N`` prints, instead, cProfile's top ``N`` functions (by cumulative time) of one
pass of ``inbrief extract``.  DIR defaults to ../shared/data/extraction-dev (read at run
time, never copied).
"""

from __future__ import annotations

import os

# One core: a threaded BLAS would spread (and, on a busy machine, stall) the tiny products.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402 - after the thread limits, which must precede numpy's import
import cProfile  # noqa: E402
import json  # noqa: E402
import pstats  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

from inbrief.errors import ExtractError  # noqa: E402
from inbrief.evaluate.extraction import trafilatura_extractor  # noqa: E402
from inbrief.extract import extract  # noqa: E402
from inbrief.models import Document  # noqa: E402
from inbrief.pipeline import summarize_article  # noqa: E402

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "extraction-dev"
GOAL_RATIO = 0.8
BASELINE = "trafilatura"


@dataclass(frozen=True)
class Page:
    """One page of the folder: its HTML and the address it was published at, if known."""

    html: str
    url: str | None


Contender = Callable[[Page], object]


def read_pages(directory: Path) -> list[Page]:
    """Every ``html/*.html`` of ``directory`` in name order, with its URL from ``urls.json``."""
    urls_file = directory / "urls.json"
    urls = json.loads(urls_file.read_text(encoding="utf-8")) if urls_file.is_file() else {}
    return [
        Page(path.read_text(encoding="utf-8"), urls.get(path.stem))
        for path in sorted((directory / "html").glob("*.html"))
    ]


def _extract(page: Page) -> object:
    try:
        return extract(Document(page.html, "html", page.url or "<page>", page.url))
    except ExtractError:
        return None  # a page without an article costs what it costs, and is counted


def _summarize(page: Page) -> object:
    article = _extract(page)
    return summarize_article(article) if article is not None else None


def contenders() -> dict[str, Contender]:
    """The three contenders, the baseline first."""
    trafilatura = trafilatura_extractor()
    return {
        BASELINE: lambda page: trafilatura(page.html, page.url),
        "inbrief extract": _extract,
        "inbrief HTML -> summary": _summarize,
    }


def one_pass(contender: Contender, pages: Sequence[Page]) -> float:
    """CPU seconds ``contender`` takes over ``pages``."""
    start = time.process_time()
    for page in pages:
        contender(page)
    return time.process_time() - start


def best_passes(
    runners: dict[str, Contender], pages: Sequence[Page], repeat: int
) -> dict[str, float]:
    """Each contender's least CPU time over ``repeat`` round-robin passes, after a warm-up."""
    for contender in runners.values():
        one_pass(contender, pages)
    best = dict.fromkeys(runners, float("inf"))
    for _ in range(repeat):
        for name, contender in runners.items():
            best[name] = min(best[name], one_pass(contender, pages))
    return best


def profile(pages: Sequence[Page], top: int) -> None:
    """cProfile's top functions of one warm pass of ``inbrief extract``."""
    one_pass(_extract, pages)
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    one_pass(_extract, pages)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    """Print the speed table; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", nargs="?", type=Path, default=DEV)
    parser.add_argument("--repeat", type=int, default=5, help="passes per contender (best kept)")
    parser.add_argument("--profile", type=int, metavar="N", help="profile inbrief extract")
    options = parser.parse_args(argv)
    pages = read_pages(options.directory) if (options.directory / "html").is_dir() else []
    if not pages:
        print(f"{options.directory}: no html/*.html pages there", file=sys.stderr)
        return 2
    if options.profile:
        profile(pages, options.profile)
        return 0

    best = best_passes(contenders(), pages, max(1, options.repeat))
    print(
        f"{options.directory}: {len(pages)} pages, best of {options.repeat} round-robin passes "
        "of CPU time\n"
    )
    print(f"{'contender':<26} {'pages/s':>8} {'ms/page':>8} {'x ' + BASELINE:>14}")
    for name, seconds in best.items():
        print(
            f"{name:<26} {len(pages) / seconds:8.1f} {1000 * seconds / len(pages):8.2f} "
            f"{best[BASELINE] / seconds:14.2f}"
        )
    ratio = best[BASELINE] / best["inbrief HTML -> summary"]
    verdict = "met" if ratio >= GOAL_RATIO else "NOT met"
    print(f"\ngoal: HTML -> summary >= {GOAL_RATIO}x {BASELINE}: {ratio:.2f}x, {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
