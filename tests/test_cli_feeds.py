"""``inbrief feeds`` and ``--database`` as a new user meets them, run as a user runs them."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import lxml.html
import pytest
from conftest import LocalServer
from pydantic import ValidationError
from test_cli import DEMO, demo_text, run

from inbrief.service.app import create_app
from inbrief.service.schemas import FeedRequest
from inbrief.service.server import running
from inbrief.store import Store

RSS_TYPE = "application/rss+xml"
GLOBAL_VOICES = DEMO / "feeds" / "globalvoices-feature-2009-06-11.rss"
LOCAL_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d ")


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'reader.db'}"


def rss(items: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Local</title>'
        f"<link>http://127.0.0.1/</link><description>Test feed</description>{items}"
        "</channel></rss>"
    )


def teaser_item(title: str, link: str) -> str:
    """An entry whose feed text is a one-line teaser, as most feeds give."""
    return (
        f"<item><title>{title}</title><link>{link}</link>"
        "<description>Read more.</description></item>"
    )


def subscribe_to_gone_pages(server: LocalServer, database: str) -> None:
    items = teaser_item("Gone", server.url("/news/gone.html")) + teaser_item(
        "Also gone", server.url("/news/also-gone.html")
    )
    url = server.route("/f.rss", rss(items), content_type=RSS_TYPE)
    assert run("feeds", "add", url, "--database", database).returncode == 0


def stored_feeds(database: str) -> list[str]:
    with Store.open(database) as store:
        return [feed.url for feed in store.list_feeds()]


# --- feeds add --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("not-a-url", "is not a full URL"),
        ("ftp://example.org/feed.xml", "uses the ftp: scheme"),
        ("https://", "names no host"),
    ],
)
def test_feeds_add_refuses_what_is_not_a_web_address(
    database: str, address: str, reason: str
) -> None:
    result = run("feeds", "add", address, "--database", database)
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"inbrief: {address!r} {reason}")
    assert stored_feeds(database) == []


@pytest.mark.parametrize("address", ["not-a-url", "ftp://example.org/feed.xml", "https://"])
def test_the_api_refuses_the_same_addresses_as_feeds_add(address: str) -> None:
    with pytest.raises(ValidationError, match="the address"):
        FeedRequest(url=address)


def test_the_readers_feeds_form_refuses_the_same_addresses(tmp_path: Path) -> None:
    with (
        Store.open(str(tmp_path / "reader.db")) as store,
        running(create_app(store)) as reader,
        httpx.Client(base_url=reader, timeout=60) as web,
    ):
        answer = lxml.html.fromstring(web.post("/feeds", data={"url": "https://"}).text)
        (notice,) = answer.find_class("notice")
        assert notice.text_content() == "The feed address 'https://' names no host."
        assert store.list_feeds() == ()


# --- feeds list and remove --------------------------------------------------------------------


def test_feeds_list_on_an_empty_database_says_how_to_add_one(database: str) -> None:
    result = run("feeds", "list", "--database", database)
    assert result.returncode == 0
    assert "no feeds yet; add one with inbrief feeds add URL" in result.stderr
    assert result.stdout == ""


def test_feeds_remove_by_id_keeps_the_feeds_articles(
    database: str, http_server: LocalServer
) -> None:
    url = http_server.route("/gv.rss", GLOBAL_VOICES.read_bytes(), content_type=RSS_TYPE)
    run("feeds", "add", url, "--database", database)
    assert run("feeds", "poll", "--database", database).returncode == 0

    result = run("feeds", "remove", "1", "--database", database)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"removed: #1 Global Voices Online » Feature ({url});")
    assert "its 15 articles stay" in result.stdout
    assert stored_feeds(database) == []
    with Store.open(database) as store:
        assert store.list_articles().total == 15


def test_feeds_remove_by_url(database: str) -> None:
    run("feeds", "add", "https://news.example/feed.xml", "--database", database)
    result = run("feeds", "remove", "HTTPS://News.Example/feed.xml", "--database", database)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("removed: #1 https://news.example/feed.xml")
    assert stored_feeds(database) == []


@pytest.mark.parametrize("name", ["7", "https://news.example/other.xml"])
def test_feeds_remove_of_an_unknown_feed_is_one_line_and_exit_1(database: str, name: str) -> None:
    run("feeds", "add", "https://news.example/feed.xml", "--database", database)
    result = run("feeds", "remove", name, "--database", database)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"inbrief: no feed {name} is subscribed (inbrief feeds list shows them)"
    ]
    assert stored_feeds(database) == ["https://news.example/feed.xml"]


def test_feeds_remove_says_the_articles_stay_in_its_help() -> None:
    result = run("feeds", "remove", "--help")
    assert result.returncode == 0
    assert "articles it brought stay" in " ".join(result.stdout.split())


# --- feeds poll -------------------------------------------------------------------------------


def test_a_poll_where_every_entry_failed_exits_1_and_is_recorded_on_the_feed(
    database: str, http_server: LocalServer
) -> None:
    subscribe_to_gone_pages(http_server, database)

    result = run("feeds", "poll", "--database", database)

    assert result.returncode == 1
    assert "Local: 0 new, 0 already stored, 2 failed" in result.stdout
    listed = run("feeds", "list", "--database", database)
    assert "error: 2 of 2 entries failed" in listed.stdout


def test_an_entry_whose_page_answers_404_is_reported_with_the_status(
    database: str, http_server: LocalServer
) -> None:
    subscribe_to_gone_pages(http_server, database)

    result = run("feeds", "poll", "--database", database)

    gone = http_server.url("/news/gone.html")
    assert f'inbrief: Local: entry "Gone": HTTP 404 Not Found from {gone}' in result.stderr
    assert "no article text found" not in result.stderr


def test_a_poll_where_some_entries_failed_stores_the_others_and_exits_1(
    database: str, http_server: LocalServer
) -> None:
    story = "".join(f"<p>{p}</p>" for p in demo_text(0).split("\n\n"))
    items = teaser_item("Gone", http_server.url("/news/gone.html")) + (
        f"<item><title>Whole</title><link>{http_server.url('/news/whole.html')}</link>"
        f"<description><![CDATA[{story}]]></description></item>"
    )
    url = http_server.route("/f.rss", rss(items), content_type=RSS_TYPE)
    run("feeds", "add", url, "--database", database)

    result = run("feeds", "poll", "--database", database)

    assert result.returncode == 1
    assert "Local: 1 new, 0 already stored, 1 failed" in result.stdout
    assert "error: 1 of 2 entries failed" in run("feeds", "list", "--database", database).stdout


def test_poll_every_starts_each_line_with_the_local_time(
    database: str, http_server: LocalServer
) -> None:
    subscribe_to_gone_pages(http_server, database)
    process = subprocess.Popen(
        [sys.executable, "-m", "inbrief", "feeds", "poll", "--every", "1h", "--database", database],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "INBRIEF_ALLOW_PRIVATE": "127.0.0.1/32"},
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        summary = process.stdout.readline()
        entry_lines: list[str] = []  # the round's two failures, after its summary
        while len(entry_lines) < 2 and (line := process.stderr.readline()):
            entry_lines += [line] if "Local: " in line else []
        process.send_signal(signal.SIGINT)  # during the hour's wait: a clean stop
        assert process.wait(timeout=60) == 0
    finally:
        process.kill()
    assert LOCAL_TIME.match(summary), summary
    assert summary.endswith("Local: 0 new, 0 already stored, 2 failed\n")
    assert len(entry_lines) == 2
    assert all(LOCAL_TIME.match(line.removeprefix("inbrief: ")) for line in entry_lines)


# --- --database -------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["sqlite:///{}", "{}"])
def test_a_database_in_a_folder_that_does_not_exist_is_refused(tmp_path: Path, form: str) -> None:
    path = tmp_path / "mistyped" / "reader.db"
    result = run("feeds", "list", "--database", form.format(path))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"inbrief: the folder {path.parent} does not exist, so it cannot hold the database "
        f"{path}; create it first, or check the path"
    ]
    assert not path.parent.exists()


def test_a_new_database_is_announced_the_first_time_only(database: str, tmp_path: Path) -> None:
    first = run("feeds", "list", "--database", database)
    assert f"inbrief: created a new database at {tmp_path / 'reader.db'}" in first.stderr
    again = run("feeds", "list", "--database", database)
    assert "created" not in again.stderr


def test_add_refuses_a_database_in_a_missing_folder_too(tmp_path: Path) -> None:
    path = tmp_path / "nope" / "reader.db"
    result = run("add", "-", "--database", str(path), stdin=b"Some text to store. " * 20)
    assert result.returncode == 1
    assert "does not exist" in result.stderr
    assert not path.parent.exists()


def test_serve_refuses_a_database_in_a_missing_folder_too(tmp_path: Path) -> None:
    path = tmp_path / "nope" / "reader.db"
    result = run("serve", "--port", "0", "--no-demo", "--database", f"sqlite:///{path}")
    assert result.returncode == 1
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr
    assert not path.parent.exists()


def test_serve_announces_a_new_database_too(database: str, tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "inbrief", "serve", "--port", "0", "--no-demo", "-d", database],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("inbrief reader: http://127.0.0.1:")
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=60)
    finally:
        process.kill()
    assert errors.startswith(f"inbrief: created a new database at {tmp_path / 'reader.db'}\n")
