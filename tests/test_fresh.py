"""Cached reads are never stale: a real server on 127.0.0.1 over SQLite and PostgreSQL, and
every change made the way another writer would make it (another Store, or plain SQL)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool
from test_store import new_database  # noqa: F401  (the fixture: a SQLite file, a PG schema)

from inbrief.ingest import add_article
from inbrief.models import Article
from inbrief.service import Settings, create_app, http_cache
from inbrief.service.server import running
from inbrief.store import Store, StoredArticle

KEY = "a-reading-key-long-enough-0123456789"


def story(n: int, day: str, words: str = "harbour") -> Article:
    return Article(
        text=(
            f"The {words} of town {n} reopened on Monday after a long repair. "
            f"Officials said the {words} would take larger ships from next month. "
            f"Fishermen welcomed the news but asked for lower fees at the {words}. "
            "The council will vote on the fees in the spring."
        ),
        title=f"Town {n} reopens its {words}",
        url=f"https://news.example.org/town-{n}",
        date=day,
        language="en",
        origin=f"test:{n}",
    )


@dataclass(frozen=True)
class Reader:
    url: str
    database: str
    sql: Engine
    articles: tuple[StoredArticle, ...]

    def execute(self, statement: str, **values: object) -> None:
        """A plain SQL statement by a writer that is not inbrief."""
        with self.sql.begin() as conn:
            conn.execute(text(statement), values)


@pytest.fixture
def reader(new_database: Callable[[], str]) -> Iterator[Reader]:  # noqa: F811
    url = new_database()
    with Store.open(url) as store:
        stored = tuple(add_article(store, story(n, f"2026-03-0{n}")).article for n in (1, 2, 3))
        sql = create_engine(url, poolclass=NullPool)
        with running(create_app(store, Settings(poll=False))) as base:
            yield Reader(base, url, sql, stored)
        sql.dispose()


@pytest.fixture
def web(reader: Reader) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=reader.url, timeout=60) as client:
        yield client


def revalidate(web: httpx.Client, path: str, etag: str) -> httpx.Response:
    return web.get(path, headers={"If-None-Match": etag})


def test_an_unchanged_page_is_304_and_a_kept_page_is_the_same_bytes(
    reader: Reader, web: httpx.Client
) -> None:
    path = f"/articles/{reader.articles[1].id}"
    first, second = web.get(path), web.get(path)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]
    assert first.headers["cache-control"] == "public, no-cache"
    again = revalidate(web, path, first.headers["etag"])
    assert again.status_code == 304
    assert again.content == b""
    assert "content-security-policy" not in again.headers  # the kept page's policy stands


def test_a_page_deleted_by_plain_sql_is_404_not_its_kept_render(
    reader: Reader, web: httpx.Client
) -> None:
    gone = reader.articles[0].id
    page, summary = f"/articles/{gone}", f"/api/articles/{gone}/summary"
    for _ in range(2):  # made, then kept
        assert web.get(page).status_code == 200
        assert web.get(summary).status_code == 200
    etag = web.get(page).headers["etag"]
    reader.execute("DELETE FROM articles WHERE id = :id", id=gone)
    assert web.get(page).status_code == 404
    assert revalidate(web, page, etag).status_code == 404
    assert web.get(summary).status_code == 404


def test_a_title_and_text_changed_by_plain_sql_show_at_once_with_a_new_etag(
    reader: Reader, web: httpx.Client
) -> None:
    changed = reader.articles[1].id
    page, summary = f"/articles/{changed}", f"/api/articles/{changed}/summary"
    before = web.get(page)
    old_summary = web.get(summary)
    assert "Town 2 reopens" in before.text
    new_text = story(2, "2026-03-02", words="ferry port").text
    reader.execute(
        "UPDATE articles SET title = :title, text = :text WHERE id = :id",
        title="Town 2 closes its ferry port",
        text=new_text,
        id=changed,
    )
    after = revalidate(web, page, before.headers["etag"])
    assert after.status_code == 200
    assert "Town 2 closes its ferry port" in after.text
    shown = after.text.split('class="story-text"')[1].split("</article>")[0]
    assert "ferry port" in shown and "harbour" not in shown
    assert after.headers["etag"] != before.headers["etag"]
    fresh = revalidate(web, summary, old_summary.headers["etag"])
    assert fresh.status_code == 200
    assert all(
        "ferry port" in s["text"] or "council" in s["text"] for s in fresh.json()["sentences"]
    )


def test_a_new_article_changes_the_neighbours_and_the_front_page(
    reader: Reader, web: httpx.Client
) -> None:
    newest = f"/articles/{reader.articles[2].id}"
    before_page, before_home = web.get(newest), web.get("/")
    assert "Previous Article" not in before_page.text
    with Store.open(reader.database) as other:  # another process's store on the same database
        other.add_article(story(4, "2026-03-04"))
    page = revalidate(web, newest, before_page.headers["etag"])
    assert page.status_code == 200
    assert "Previous Article" in page.text and "Town 4 reopens" in page.text
    home = revalidate(web, "/", before_home.headers["etag"])
    assert home.status_code == 200 and "Town 4 reopens" in home.text


def test_the_plain_page_the_cache_layer_renders_is_the_apps_page_byte_for_byte(
    reader: Reader, web: httpx.Client
) -> None:
    path = f"/articles/{reader.articles[1].id}"
    layer = web.get(path)
    # A request that sends a key passes the layer: the route renders it.
    app = web.get(path, headers={"Authorization": f"Bearer {KEY}"})
    assert layer.status_code == app.status_code == 200
    assert layer.content == app.content
    assert layer.headers["content-type"] == app.headers["content-type"]
    assert "Previous Article" in layer.text and "Next Article" in layer.text


def test_a_neighbour_renamed_or_deleted_by_plain_sql_changes_the_links(
    reader: Reader, web: httpx.Client
) -> None:
    oldest, middle, newest = (article.id for article in reader.articles)
    before = web.get(f"/articles/{middle}")
    assert (
        f'href="/articles/{newest}"' in before.text and f'href="/articles/{oldest}"' in before.text
    )
    reader.execute(
        "UPDATE articles SET title = 'Town 3 renames its harbour' WHERE id = :id", id=newest
    )
    renamed = revalidate(web, f"/articles/{middle}", before.headers["etag"])
    assert renamed.status_code == 200 and "Town 3 renames its harbour" in renamed.text
    reader.execute("DELETE FROM articles WHERE id = :id", id=oldest)
    alone = revalidate(web, f"/articles/{middle}", renamed.headers["etag"])
    assert alone.status_code == 200
    assert "Next Article" not in alone.text and "Previous Article" in alone.text


def test_a_missing_article_is_the_apps_404_and_an_impossible_id_its_422(
    reader: Reader, web: httpx.Client
) -> None:
    missing = web.get("/articles/999999")
    assert missing.status_code == 404 and "There is no article 999999" in missing.text
    assert "etag" not in missing.headers
    assert web.get("/articles/0").status_code == 422
    assert web.get("/articles/4294967296").status_code == 422


def test_a_summary_changed_in_the_store_is_served_as_stored(
    reader: Reader, web: httpx.Client
) -> None:
    path = f"/api/articles/{reader.articles[2].id}/summary"
    first = web.get(path)
    assert web.get(path).content == first.content  # kept in memory now
    reader.execute(
        "UPDATE summaries SET payload = :p WHERE article_id = :id", p="{}", id=reader.articles[2].id
    )
    again = revalidate(web, path, first.headers["etag"])
    assert again.status_code == 200 and again.json() == {}


def test_another_budget_is_another_summary_with_its_own_etag(
    reader: Reader, web: httpx.Client
) -> None:
    path = f"/api/articles/{reader.articles[0].id}/summary"
    one, two = web.get(path, params={"sentences": 1}), web.get(path, params={"sentences": 2})
    assert len(one.json()["sentences"]) == 1 and len(two.json()["sentences"]) == 2
    assert one.headers["etag"] != two.headers["etag"]
    stale = web.get(path, params={"sentences": 2}, headers={"If-None-Match": one.headers["etag"]})
    assert stale.status_code == 200


def test_if_modified_since_is_304_until_the_article_changes(
    reader: Reader, web: httpx.Client
) -> None:
    import time

    path = f"/articles/{reader.articles[0].id}"
    time.sleep(1.1)  # a Last-Modified date is sent once its second has passed
    modified = web.get(path).headers["last-modified"]
    assert web.get(path, headers={"If-Modified-Since": modified}).status_code == 304
    reader.execute("UPDATE articles SET title = 'Renamed' WHERE id = :id", id=reader.articles[0].id)
    changed = web.get(path, headers={"If-Modified-Since": modified})
    assert changed.status_code == 200 and "Renamed" in changed.text


def test_a_template_or_static_change_changes_the_fingerprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "service"
    for folder in ("templates", "static"):
        shutil.copytree(http_cache.SERVICE / folder, copy / folder)
    monkeypatch.setattr(http_cache, "SERVICE", copy)
    shipped = http_cache.code_fingerprint("inbrief")
    assert http_cache.code_fingerprint("inbrief") == shipped
    assert http_cache.code_fingerprint("another site name") != shipped
    (copy / "static" / "reader.css").write_text("body { color: red }", encoding="utf-8")
    assert http_cache.code_fingerprint("inbrief") != shipped


def test_the_widget_script_is_revalidated_with_a_304(web: httpx.Client) -> None:
    first = web.get("/widget.js")
    assert first.status_code == 200 and first.headers["etag"]
    assert first.headers["cache-control"].startswith("public")
    assert revalidate(web, "/widget.js", first.headers["etag"]).status_code == 304
    modified = first.headers.get("last-modified")
    if modified:
        assert web.get("/widget.js", headers={"If-Modified-Since": modified}).status_code == 304
    assert revalidate(web, "/widget.js", '"another"').status_code == 200


def test_a_request_with_a_key_is_never_publicly_cached(reader: Reader, web: httpx.Client) -> None:
    path = f"/articles/{reader.articles[0].id}"
    keyed = web.get(path, headers={"Authorization": f"Bearer {KEY}"})
    assert keyed.status_code == 200
    assert keyed.headers["cache-control"] == "private, no-store"
    assert "etag" not in keyed.headers


def test_private_reading_is_private_no_store_everywhere(tmp_path: Path) -> None:
    settings = Settings(api_keys=(KEY,), public_read=False, poll=False)
    with Store.open(str(tmp_path / "inbrief.db")) as store:
        stored = add_article(store, story(1, "2026-03-01")).article
        with (
            running(create_app(store, settings)) as url,
            httpx.Client(base_url=url, timeout=60) as web,
        ):
            auth = {"Authorization": f"Bearer {KEY}"}
            for path in ("/", f"/articles/{stored.id}", f"/api/articles/{stored.id}/summary"):
                answer = web.get(path, headers=auth)
                assert answer.status_code == 200
                assert answer.headers["cache-control"] == "private, no-store"
                assert "etag" not in answer.headers
                assert web.get(path).status_code == 401
