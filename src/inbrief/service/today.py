"""Today in brief: the day's articles grouped into stories (issue 15.5), as a page and as Atom.

``GET /today`` shows the current day (UTC), ``?date=YYYY-MM-DD`` any other; ``/today.atom`` is
the same day as an Atom feed, one entry per story.  Stories come from :mod:`inbrief.stories`:
most sources first, then the most recent.  A story of several articles shows its summary, each
sentence linked to its place in its article (the article page's ``#s-N`` anchor), and "N
sources" with a link to each article; a lone article shows as itself, its opening and its link.
A date that is not a day (``2026-02-30``, ``yesterday``) is a 400 page saying what to write.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from inbrief.service.access import ReadAccess
from inbrief.service.article_view import UNTITLED, web_url
from inbrief.service.atom_feed import ATOM_MEDIA_TYPE, AtomEntry, AtomFeed, AtomLink, atom_document
from inbrief.service.context import StoreDep
from inbrief.service.pages import lead_of, render
from inbrief.service.problems import Problem
from inbrief.store.days import latest_day, neighbouring_days
from inbrief.stories import DayBrief, Story, day_brief

router = APIRouter(include_in_schema=False, dependencies=[ReadAccess])

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
DateParam = Annotated[
    str | None,
    Query(alias="date", max_length=40, description="The day to show, YYYY-MM-DD (UTC)."),
]


@dataclass(frozen=True)
class SourceLink:
    """One article a source contributed: the reader's page for it, and the publisher's."""

    id: int
    title: str
    original: str | None


@dataclass(frozen=True)
class SourceView:
    """One outlet covering a story."""

    name: str
    articles: tuple[SourceLink, ...]


@dataclass(frozen=True)
class SentenceView:
    """A summary sentence, its article, and where in the article it stands."""

    text: str
    article_id: int
    index: int
    start: int
    end: int
    source: str
    language: str | None


@dataclass(frozen=True)
class StoryView:
    """What the page shows of one story (``lone``: one article, shown as itself)."""

    key: int
    title: str
    lead_id: int
    lone: bool
    sources: tuple[SourceView, ...]
    summary: tuple[SentenceView, ...]
    lead: str
    site: str | None
    language: str | None
    latest: str


def parse_day(value: str | None, today: date) -> date:
    """The day ``?date=`` names; ``today`` when it is absent or blank; 400 when it is no day."""
    if value is None or not value.strip():
        return today
    text = value.strip()
    if not _DAY.fullmatch(text):
        raise Problem(400, f"{text!r} is not a date; write the day as YYYY-MM-DD, e.g. 2026-03-02.")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Problem(400, f"{text!r} is no day of the calendar; write it as YYYY-MM-DD.") from None


def today_utc() -> date:
    """The current day in UTC, the day "today" means on this page."""
    return datetime.now(UTC).date()


def story_view(story: Story) -> StoryView:
    """The page's view of a story."""
    by_id = {stored.id: stored for stored in story.articles}
    name_of = {stored.id: source.name for source in story.sources for stored in source.articles}
    lead = story.lead.article
    return StoryView(
        key=story.key,
        title=story.title or UNTITLED,
        lead_id=story.lead.id,
        lone=story.lone,
        sources=tuple(
            SourceView(
                source.name,
                tuple(
                    SourceLink(
                        s.id,
                        s.article.title or UNTITLED,
                        web_url(s.article.url) or web_url(s.source_url),
                    )
                    for s in source.articles
                ),
            )
            for source in story.sources
        ),
        summary=tuple(
            SentenceView(
                s.text,
                s.article_id,
                s.index,
                s.start,
                s.end,
                name_of[s.article_id],
                by_id[s.article_id].article.language,
            )
            for s in story.summary
        ),
        lead=lead_of(lead.text),
        site=story.sources[0].name,
        language=lead.language,
        latest=story.latest.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


def _day_link(request: Request, day: date | None) -> str | None:
    root = request.scope.get("root_path", "")
    return f"{root}/today?date={day.isoformat()}" if day else None


@router.get("/today", response_class=HTMLResponse)
def today_page(request: Request, store: StoreDep, asked: DateParam = None) -> HTMLResponse:
    """The day's stories; ``?date=YYYY-MM-DD`` for another day."""
    current = today_utc()
    day = parse_day(asked, current)
    brief = day_brief(store, day)
    earlier, later = neighbouring_days(store, day)
    latest = latest_day(store) if not brief.stories else None
    root = request.scope.get("root_path", "")
    return render(
        request,
        "today.html",
        day=day.isoformat(),
        is_today=day == current,
        heading=_heading(day, current),
        stories=tuple(story_view(story) for story in brief.stories),
        total=brief.total,
        read=brief.read,
        earlier_url=_day_link(request, earlier),
        later_url=_day_link(request, later),
        latest_url=_day_link(request, latest) if latest and latest != day else None,
        latest_day=latest.isoformat() if latest else None,
        atom_url=f"{root}/today.atom" + ("" if day == current else f"?date={day.isoformat()}"),
    )


def _heading(day: date, today: date) -> str:
    shown = f"{day.day} {day.strftime('%B')} {day.year}"
    return f"Today in brief, {shown}" if day == today else f"In brief, {shown}"


@router.get("/today.atom")
def today_atom(request: Request, store: StoreDep, asked: DateParam = None) -> Response:
    """The day's stories as Atom, one entry per story, its summary as the entry's content."""
    current = today_utc()
    day = parse_day(asked, current)
    brief = day_brief(store, day)
    base = str(request.base_url).rstrip("/")
    page = f"{base}/today?date={day.isoformat()}"
    feed = AtomFeed(
        id=f"{base}/today.atom?date={day.isoformat()}",
        title=_heading(day, current),
        subtitle="The day's articles grouped into stories, each summarized from all its sources.",
        self_url=str(request.url),
        home_url=page,
    )
    body = atom_document(feed, [_entry(story, base, page) for story in brief.stories])
    return Response(body, media_type=f"{ATOM_MEDIA_TYPE}; charset=utf-8")


def _entry(story: Story, base: str, page: str) -> AtomEntry:
    view = story_view(story)
    article_url = f"{base}/articles/{view.lead_id}"
    if view.lone:
        content = f"<p>{html.escape(view.lead)}</p>"
    else:
        content = "".join(
            f'<p>{html.escape(s.text)} <a href="{base}/articles/{s.article_id}#s-{s.index}">'
            f"({html.escape(s.source)})</a></p>"
            for s in view.summary
        )
    links = ", ".join(
        f'<a href="{base}/articles/{link.id}">{html.escape(source.name)}</a>'
        for source in view.sources
        for link in source.articles
    )
    count = len(view.sources)
    content += f"<p>{count} source{'s' if count != 1 else ''}: {links}</p>"
    return AtomEntry(
        id=f"{page}#story-{view.key}",
        title=view.title,
        updated=story.latest,
        link=article_url if view.lone else f"{page}#story-{view.key}",
        content_html=content,
        links=tuple(
            AtomLink(f"{base}/articles/{link.id}", rel="related", title=source.name)
            for source in view.sources
            for link in source.articles
        ),
    )


__all__ = ["DayBrief", "parse_day", "router", "story_view", "today_utc"]
