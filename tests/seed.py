"""The seed page (../shared/seed/page.txt) and a news page built in its site's layout.

The seed text is read from ``../shared`` at test time rather than copied into the repository,
since its licence is not ours to grant; tests that need it skip when it is absent.
"""

from __future__ import annotations

import html
from pathlib import Path
from string import Template

import pytest

SEED_PAGE = Path(__file__).resolve().parents[2] / "shared" / "seed" / "page.txt"
TEMPLATE = Path(__file__).parent / "fixtures" / "seed_layout.template.html"


def seed_text() -> str:
    """The seed page as published, site furniture included (skips the test when absent)."""
    if not SEED_PAGE.is_file():
        pytest.skip("../shared/seed/page.txt is not beside this checkout")
    return SEED_PAGE.read_text(encoding="utf-8")


def seed_blocks() -> list[str]:
    """The blank-line separated blocks of the seed page: title, widget, 6 paragraphs, nav..."""
    return [block.strip() for block in seed_text().split("\n\n")]


def seed_article() -> tuple[str, list[str]]:
    """The seed article's title and its paragraphs."""
    blocks = seed_blocks()
    return blocks[0], blocks[2:8]


def seed_layout_html() -> str:
    """The seed article in its site's layout: header, menu, the button above and below the
    article, Previous/Next Article links with their titles, footer."""
    blocks = seed_blocks()
    title, paragraphs = seed_article()
    previous = blocks[blocks.index("Next Article") - 1]
    following = blocks[blocks.index("Next Article") + 1]
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        title=html.escape(title),
        paragraphs="\n".join(f"          <p>{html.escape(p)}</p>" for p in paragraphs),
        previous=html.escape(previous),
        next=html.escape(following),
    )
