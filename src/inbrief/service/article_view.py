"""What an article page shows: the article's view and the page's template context.

Shared by the page route (:mod:`.pages`) and the read cache's plain page
(:func:`.pages.plain_article_page`), so both render the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from inbrief.errors import LLMBusy
from inbrief.service.story import Block, article_blocks, story_html
from inbrief.service.summary_panel import BUDGET_OPTIONS, BudgetOption, SummaryView
from inbrief.store import ArticleLink, ArticleWithNeighbours, StoredArticle
from inbrief.text import split_sentences

UNTITLED = "Untitled article"


@dataclass(frozen=True)
class ArticleView:
    """What the article page shows."""

    id: int
    title: str
    author: str | None
    date: str | None
    site: str | None
    url: str | None
    language: str | None
    complete: bool
    incomplete_reason: str | None
    blocks: tuple[Block, ...]
    html: Markup  # the blocks as the page shows them (story_html)
    image: str | None = None
    image_alt: str = ""


@dataclass(frozen=True)
class Neighbour:
    """A Previous/Next Article link."""

    id: int
    title: str


def web_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) address, else None: stored URLs never become script links."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


def picture_url(url: str | None) -> str | None:
    """``url`` if it is an https address: the reader's browser fetches the top image from the
    publisher itself (never through the reader), and the page's policy allows only https."""
    if url and url.lower().startswith("https://"):
        return url
    return None


def article_view(stored: StoredArticle) -> ArticleView:
    """The article page's view of a stored article."""
    article = stored.article
    # The same split the summarizer made (pipeline.summarize_article), so indexes agree.
    sentences = split_sentences(article.text, article.language)
    blocks = article_blocks(article.text, sentences)
    return ArticleView(
        id=stored.id,
        title=article.title or UNTITLED,
        author=article.author,
        date=article.date,
        site=article.site,
        url=web_url(article.url) or web_url(stored.source_url),
        language=article.language,
        complete=article.complete,
        incomplete_reason=article.incomplete_reason,
        blocks=blocks,
        image=picture_url(article.image),
        image_alt=article.image_alt or article.title or "",
        html=story_html(blocks),
    )


def article_context(
    found: ArticleWithNeighbours,
    option: BudgetOption | None,
    shown: SummaryView | None,
    busy: LLMBusy | None,
    at: str,
) -> dict[str, Any]:
    """The article page's template context: the article, its summary controls (``option``
    chosen, ``shown`` open at ``at``, or ``busy`` saying why not) and its neighbours."""
    return {
        "article": article_view(found.stored),
        "budget_options": BUDGET_OPTIONS,
        "selected_budget": option.key if option else BUDGET_OPTIONS[0].key,
        "summary": shown,
        "summary_busy": f"No written summary right now: {busy}." if busy else None,
        "summary_at": at,
        "previous": _neighbour(found.previous),
        "next": _neighbour(found.next),
    }


def _neighbour(link: ArticleLink | None) -> Neighbour | None:
    return Neighbour(link.id, link.title or UNTITLED) if link else None
