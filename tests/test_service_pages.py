"""What every page's head says beside its own content (pages.page_globals): the feed a list
shows is linked as its Atom feed, and no other page links one."""

from __future__ import annotations

from pathlib import Path

import httpx

from inbrief.ingest import add_article
from inbrief.models import Article
from inbrief.service import Settings, create_app
from inbrief.service.server import running
from inbrief.store import Store


def test_a_feeds_list_links_its_atom_feed_and_an_article_page_does_not(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "inbrief.db")) as store:
        feed, _ = store.add_feed("https://quay.example/feed.xml")
        article = Article(
            text="The night ferry was late again. Passengers waited two hours at the quay.",
            title="Night ferry late again",
            url="https://quay.example/night-ferry",
            language="en",
            origin="test:ferry",
        )
        stored = add_article(store, article).article
        link = f'href="/feeds/{feed.id}/summaries.atom"'
        with (
            running(create_app(store, Settings(poll=False))) as url,
            httpx.Client(base_url=url, timeout=60) as web,
        ):
            assert link in web.get("/", params={"feed": feed.id}).text
            assert link not in web.get("/").text
            page = web.get(f"/articles/{stored.id}").text
            assert "summaries.atom" not in page and 'href="/feeds/latest.atom"' in page
