"""Metadata coverage: on how many pages inbrief, trafilatura and newspaper4k find each field.

For every page of a folder laid out like the Zyte article-extraction benchmark (``html/<id>.html``,
``urls.json``), counts the pages with an author, a date, a top image, tags, categories, a
description and video links, per tool, in one run; and the pages where a tool's author or date
is plainly junk (an address or e-mail as the author, a date before 1995 or in the future).
Coverage is not correctness: docs/metadata.md has the hand-checked precision.

    .venv/bin/python bench/metadata_coverage.py [DIR] [--dump FILE.jsonl]

``--dump`` writes what each tool found on each page, one JSON line a page, for checking by
hand.  newspaper4k is optional (``pip install -e '.[bench]'``); without it its column is left
out.  DIR defaults to ../shared/data/extraction-dev (read at run time, never copied).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import trafilatura

from inbrief.extract.metadata import read_metadata

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "extraction-dev"
FIELDS = ("author", "date", "image", "tags", "categories", "description", "videos")
# A field a tool does not offer at all: shown as "-", not as 0.
Found = dict[str, Any]
_JUNK_AUTHOR = re.compile(r"https?:|www\.|@|^[\w-]+(?:\.[\w-]+)+$", re.IGNORECASE)


@dataclass
class Column:
    """One tool's counts: pages with each field, and pages with a junk author or date."""

    name: str
    offers: frozenset[str]
    pages: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    junk_authors: int = 0
    junk_dates: int = 0
    failures: int = 0


def inbrief_fields(html: str, url: str | None) -> Found:
    """What inbrief reads from the page (the tree parsed as ``inbrief extract`` parses it)."""
    tree = trafilatura.load_html(html)
    if tree is None:
        return {}
    found = read_metadata(tree, url)
    return {
        "author": found.author,
        "date": found.date,
        "image": found.image,
        "tags": list(found.tags),
        "categories": list(found.categories),
        "description": found.description,
        "videos": list(found.videos),
    }


def trafilatura_fields(html: str, url: str | None) -> Found:
    document = trafilatura.extract_metadata(html, default_url=url)
    if document is None:
        return {}
    return {
        "author": document.author,
        "date": document.date,
        "image": document.image,
        "tags": list(document.tags or []),
        "categories": list(document.categories or []),
        "description": document.description,
    }


def newspaper_fields(html: str, url: str | None) -> Found:
    import newspaper  # the bench extra; checked in main()

    # fetch_images=False: with it on, newspaper4k downloads candidate images to size them and
    # gives no top image offline; off, it takes the page's declared one, as it does for users
    # without network access to the image host.
    article = newspaper.Article(url or "https://example.invalid/", fetch_images=False)
    article.download(input_html=html)
    article.parse()
    published = article.publish_date
    return {
        "author": "; ".join(article.authors) or None,
        "date": published.date().isoformat() if published else None,
        "image": article.top_image or None,
        "tags": sorted(
            {*(article.tags or ()), *(k for k in article.meta_keywords or () if k.strip())}
        ),
        "description": article.meta_description or None,
        "videos": list(article.movies or ()),
    }


def _has_newspaper() -> bool:
    try:
        import newspaper  # noqa: F401
    except ImportError:
        return False
    return True


def _junk_date(value: Any) -> bool:
    try:
        day = date.fromisoformat(str(value)[:10])
    except ValueError:
        return True
    return not date(1995, 1, 1) <= day <= date.today()


def count(column: Column, found: Found) -> None:
    for name in FIELDS:
        if found.get(name):
            column.pages[name] += 1
    if found.get("author") and _JUNK_AUTHOR.search(found["author"]):
        column.junk_authors += 1
    if found.get("date") and _junk_date(found["date"]):
        column.junk_dates += 1


def main(argv: list[str] | None = None) -> int:
    """Print the coverage table; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", nargs="?", type=Path, default=DEV)
    parser.add_argument("--dump", type=Path, help="write each page's findings here (JSONL)")
    args = parser.parse_args(argv)
    pages = sorted((args.directory / "html").glob("*.html"))
    if not pages:
        print(f"no pages in {args.directory / 'html'}", file=sys.stderr)
        return 2
    urls_file = args.directory / "urls.json"
    urls = json.loads(urls_file.read_text(encoding="utf-8")) if urls_file.exists() else {}
    logging.disable(logging.WARNING)  # the libraries' complaints about odd pages

    tools: list[tuple[Column, Callable[[str, str | None], Found]]] = [
        (Column("inbrief", frozenset(FIELDS)), inbrief_fields),
        (Column("trafilatura", frozenset(FIELDS) - {"videos"}), trafilatura_fields),
    ]
    if _has_newspaper():
        tools.append((Column("newspaper4k", frozenset(FIELDS) - {"categories"}), newspaper_fields))
    else:
        print("newspaper4k is not installed: its column is left out", file=sys.stderr)

    dump = args.dump.open("w", encoding="utf-8") if args.dump else None
    for path in pages:
        html = path.read_text(encoding="utf-8")
        url = urls.get(path.stem)
        record: dict[str, Any] = {"id": path.stem, "url": url}
        for column, read in tools:
            try:
                found = read(html, url)
            except Exception as error:  # a tool failing on a page counts as finding nothing
                column.failures += 1
                found = {"error": repr(error)}
            count(column, found)
            record[column.name] = found
        if dump:
            dump.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
    if dump:
        dump.close()

    print(f"{len(pages)} pages: pages with each field (junk: an address as author, a bad date)")
    names = [column.name for column, _ in tools]
    print(f"| field | {' | '.join(names)} |")
    print(f"|---|{'---:|' * len(names)}")
    for name in FIELDS:
        cells = [str(c.pages[name]) if name in c.offers else "-" for c, _ in tools]
        print(f"| {name} | {' | '.join(cells)} |")
    print(f"| junk authors | {' | '.join(str(c.junk_authors) for c, _ in tools)} |")
    print(f"| junk dates | {' | '.join(str(c.junk_dates) for c, _ in tools)} |")
    print(f"| failures | {' | '.join(str(c.failures) for c, _ in tools)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
