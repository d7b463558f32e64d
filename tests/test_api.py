"""The REST API as a client uses it: a real uvicorn server on 127.0.0.1 over a real SQLite store."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import httpx
import pytest
from conftest import LocalServer

from inbrief.errors import SettingsError
from inbrief.ingest import add_article, demo_articles
from inbrief.models import Budget
from inbrief.pipeline import summarize_article
from inbrief.render import render_summary, summary_to_dict
from inbrief.service import Settings, create_app
from inbrief.service.memo import AnswerMemo, Kept
from inbrief.service.server import running
from inbrief.service.settings import Rate
from inbrief.store import Store, StoredArticle

DEMO = Path(__file__).parents[1] / "src" / "inbrief" / "data" / "demo"
FIXTURES = Path(__file__).parent / "fixtures"
DAM_PAGE = DEMO / "html" / "en-globalvoices-004-china-a-leaking-dam.html"
FEED_PAGES = sorted((DEMO / "html").glob("*.html"))
PUBLISHER = "http://publisher.test"
BODY_CAP = 64 * 1024
STORY = (
    "The city council met on Monday evening to debate the old river bridge. "
    "Engineers told members that the bridge could fail within two years. "
    "After three hours the council voted to close it to cars from March. "
    "Buses will use the ferry crossing until a new bridge opens. "
    "Shop owners near the bridge said they fear losing customers."
)


@dataclass(frozen=True)
class Reader:
    """A running reader: its base URL, its store and the articles stored before it started."""

    url: str
    store: Store
    articles: tuple[StoredArticle, ...]

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60)


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reader]:
    database = tmp_path_factory.mktemp("api") / "inbrief.db"
    with Store.open(str(database)) as store:
        stored = tuple(add_article(store, a).article for a in islice(demo_articles(), 6))
        # More summaries than the default rate allows per client (tests/test_auth.py tests it).
        settings = Settings(
            cors_origins=(PUBLISHER,), max_body_bytes=BODY_CAP, summarize_rate=Rate(1000, 60)
        )
        with running(create_app(store, settings)) as url:
            yield Reader(url, store, stored)


@pytest.fixture
def api(reader: Reader) -> Iterator[httpx.Client]:
    with reader.client() as client:
        yield client


def assert_problem(response: httpx.Response, status: int, *needles: str) -> dict[str, object]:
    """The response is a problem document with ``status`` whose detail names each needle."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert set(problem) >= {"type", "title", "status", "detail"}
    assert problem["status"] == status
    for needle in needles:
        assert needle in problem["detail"]
    return dict(problem)


def local_feed(http_server: LocalServer, path: str = "/feed.rss") -> str:
    """An RSS feed on the local server whose entries link to demo pages on that server."""
    items = []
    for number, page in enumerate(FEED_PAGES):
        link = http_server.route(f"/news/{number}.html", page.read_bytes())
        items.append(f"<item><title>Story {number}</title><link>{link}</link></item>")
    rss = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Local news</title><link>{http_server.url('/')}</link>"
        f"<description>Demo pages</description>{''.join(items)}</channel></rss>"
    )
    return http_server.route(path, rss, content_type="application/rss+xml")


def run_cli(*args: str, stdin: bytes) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "inbrief", *args], input=stdin, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode("utf-8")


# --- POST /api/summarize ----------------------------------------------------------------------


def test_summarize_text_gives_sentences_with_offsets_into_the_text(api: httpx.Client) -> None:
    response = api.post("/api/summarize", json={"text": STORY, "sentences": 2})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    summary = response.json()
    assert len(summary["sentences"]) == 2
    for sentence in summary["sentences"]:
        assert summary["text"][sentence["start"] : sentence["end"]] == sentence["text"]
    assert summary["summary"] == [s["text"] for s in summary["sentences"]]
    assert summary["budget"] == {"unit": "sentences", "value": 2}
    assert summary["stats"]["method"]


def test_summarize_gives_the_cli_json_for_the_same_text(api: httpx.Client) -> None:
    cli = run_cli("summarize", "-", "--words", "40", "--format", "json", stdin=STORY.encode())
    response = api.post("/api/summarize", json={"text": STORY, "words": 40})
    from_cli, from_api = json.loads(cli), response.json()
    # Only where the text came from differs: "<stdin>" there, "<text>" here.
    assert (from_cli.pop("source"), from_api.pop("source")) == ("<stdin>", "<text>")
    assert from_api == from_cli


def test_summarize_text_formats_print_what_the_cli_prints(api: httpx.Client) -> None:
    for fmt in ("text", "markdown", "bullets"):
        cli = run_cli("summarize", "-", "--format", fmt, stdin=STORY.encode())
        response = api.post("/api/summarize", json={"text": STORY, "format": fmt})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/")
        assert response.text == cli.rstrip("\n")


def test_summarize_fetches_a_url(api: httpx.Client, http_server: LocalServer) -> None:
    url = http_server.route("/world/dam.html", DAM_PAGE.read_bytes())
    response = api.post("/api/summarize", json={"url": url, "sentences": 1})
    assert response.status_code == 200, response.text
    summary = response.json()
    assert "dam" in summary["title"].lower()
    assert len(summary["summary"]) == 1
    assert summary["summary"][0] in summary["text"]


def test_many_clicks_on_one_story_fetch_the_publisher_page_once(
    api: httpx.Client, http_server: LocalServer
) -> None:
    # The widget sends the page's URL on every reader's click.
    url = http_server.route("/world/dam-clicks.html", DAM_PAGE.read_bytes())
    answers = [api.post("/api/summarize", json={"url": url, "sentences": s}) for s in (1, 2, 1)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[0].json() == answers[2].json()
    assert len(answers[1].json()["summary"]) == 2
    fetched = [r for r in http_server.requests if r.path == "/world/dam-clicks.html"]
    assert len(fetched) == 1


def test_a_page_that_failed_is_fetched_again(api: httpx.Client, http_server: LocalServer) -> None:
    url = http_server.route("/world/flaky.html", b"gone", status=503)
    for _ in range(2):
        assert_problem(api.post("/api/summarize", json={"url": url}), 502, "503")
    assert len([r for r in http_server.requests if r.path == "/world/flaky.html"]) == 2


def test_without_the_page_memo_every_click_fetches(
    tmp_path: Path, http_server: LocalServer
) -> None:
    url = http_server.route("/world/dam-nomemo.html", DAM_PAGE.read_bytes())
    with Store.open(str(tmp_path / "inbrief.db")) as store:
        settings = Settings(page_memo_size=0)
        with running(create_app(store, settings)) as base, httpx.Client(base_url=base) as client:
            for _ in range(2):
                assert client.post("/api/summarize", json={"url": url}).status_code == 200
    assert len([r for r in http_server.requests if r.path == "/world/dam-nomemo.html"]) == 2


def test_summarize_html(api: httpx.Client) -> None:
    html = f"<html><head><title>Bridge to close</title></head><body><article><p>{STORY}</p>"
    response = api.post("/api/summarize", json={"html": html + "</article></body></html>"})
    assert response.status_code == 200, response.text
    assert response.json()["summary"][0] in STORY


def test_summarize_does_not_store_unless_asked(reader: Reader, api: httpx.Client) -> None:
    before = reader.store.list_articles(0, 1).total
    assert api.post("/api/summarize", json={"text": STORY}).status_code == 200
    assert reader.store.list_articles(0, 1).total == before


def test_summarize_with_store_keeps_the_article_and_its_summary(
    reader: Reader, api: httpx.Client
) -> None:
    text = STORY.replace("Monday", "Tuesday")
    response = api.post("/api/summarize", json={"text": text, "store": True})
    assert response.status_code == 201
    location = response.headers["location"]
    assert api.get(location).json()["text"] == text
    assert api.get(location + "/summary").content == response.content
    again = api.post("/api/summarize", json={"text": text, "store": True})
    assert again.status_code == 200
    assert again.headers["location"] == location
    assert api.delete(location).status_code == 204


def test_a_url_that_fails_is_502_with_the_reason(api: httpx.Client, refused_url: str) -> None:
    response = api.post("/api/summarize", json={"url": refused_url})
    assert_problem(response, 502, "refused", refused_url)


def test_a_page_answering_404_is_502_naming_the_status(
    api: httpx.Client, http_server: LocalServer
) -> None:
    response = api.post("/api/summarize", json={"url": http_server.url("/gone")})
    assert_problem(response, 502, "404")


def test_only_web_addresses_are_fetched(api: httpx.Client) -> None:
    response = api.post("/api/summarize", json={"url": "file:///etc/passwd"})
    assert_problem(response, 422, "http://")


# A URL inbrief will not fetch is the caller's to change: 422 with the reason, where a site that
# fails (unreachable, an error status) is 502.
@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://10.0.0.1/story", "refused: 10.0.0.1 is a private address"),
        ("http://169.254.169.254/latest/meta-data", "169.254.169.254 is a link-local address"),
        ("http://example.org:25/story", "port 25 is not one inbrief fetches from"),
        ("http://example.org/" + "a" * 2100, "more than the 2048 inbrief accepts"),
        ("http://-news-.example/story", "'-news-.example' is not a valid host name"),
        ("http://news.example/\x00story", "refused: the URL holds a control character ('\\x00')"),
    ],
    ids=["private", "link-local", "port", "too-long", "invalid-host", "nul-byte"],
)
def test_a_url_inbrief_refuses_is_422_with_the_reason(
    api: httpx.Client, url: str, reason: str
) -> None:
    assert_problem(api.post("/api/summarize", json={"url": url}), 422, reason)


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("ftp://example.org/story", "which uses the ftp: scheme"),
        ("http://10.0.0.1/story", "10.0.0.1 is a private address"),
    ],
    ids=["ftp", "private"],
)
def test_a_redirect_to_a_url_inbrief_refuses_is_422_with_the_reason(
    api: httpx.Client, http_server: LocalServer, target: str, reason: str
) -> None:
    start = http_server.redirect("/moved", target)
    assert_problem(api.post("/api/summarize", json={"url": start}), 422, reason, start)


def test_storing_a_url_inbrief_refuses_is_422(api: httpx.Client) -> None:
    response = api.post("/api/articles", json={"url": "http://192.168.1.1/story"})
    assert_problem(response, 422, "192.168.1.1 is a private address")


# --- bad input --------------------------------------------------------------------------------


def test_malformed_json_is_422(api: httpx.Client) -> None:
    response = api.post(
        "/api/summarize",
        content=b'{"text": "unterminated',
        headers={"content-type": "application/json"},
    )
    assert_problem(response, 422, "not valid JSON")


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({}, "exactly one of url, html or text"),
        ({"text": STORY, "url": "https://example.org/"}, "not url and text"),
        ({"text": STORY, "sentences": 2, "words": 30}, "one budget at a time"),
        ({"text": STORY, "sentences": 0}, "sentences"),
        ({"text": STORY, "ratio": 1.5}, "ratio"),
        ({"text": STORY, "format": "pdf"}, "format"),
        ({"text": STORY, "colour": "blue"}, "colour"),
        ({"text": 42}, "text"),
    ],
)
def test_invalid_requests_are_422_naming_the_problem(
    api: httpx.Client, body: dict[str, object], needle: str
) -> None:
    assert_problem(api.post("/api/summarize", json=body), 422, needle)


def test_unknown_method_is_400(api: httpx.Client) -> None:
    response = api.post("/api/summarize", json={"text": STORY, "method": "magic"})
    assert_problem(response, 400, "magic")


def test_empty_text_is_400(api: httpx.Client) -> None:
    assert_problem(api.post("/api/summarize", json={"text": "   "}), 400, "empty")


def test_a_page_without_article_text_is_422(api: httpx.Client) -> None:
    html = "<html><body><nav><a href='/'>Home</a></nav></body></html>"
    assert_problem(api.post("/api/summarize", json={"html": html}), 422, "no article text")


@pytest.mark.parametrize("name", ["svg_only.html", "mathml_only.html"])
def test_a_page_of_only_svg_or_mathml_is_422_not_a_crash(api: httpx.Client, name: str) -> None:
    html = (FIXTURES / name).read_text(encoding="utf-8")
    assert_problem(api.post("/api/summarize", json={"html": html}), 422, "no article text")


# The schema says integer and boolean: JSON of another type is refused, not converted.
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sentences", "3", 'sentences: Input should be a valid integer, not "3"'),
        ("sentences", True, "sentences: Input should be a valid integer, not true"),
        ("words", 60.5, "words: Input should be a valid integer, not 60.5"),
        ("ratio", "0.2", 'ratio: Input should be a valid number, not "0.2"'),
        ("store", "yes", 'store: Input should be a valid boolean, not "yes"'),
        ("store", 1, "store: Input should be a valid boolean, not 1"),
    ],
)
def test_a_value_of_the_wrong_type_is_422_not_converted(
    api: httpx.Client, field: str, value: object, message: str
) -> None:
    response = api.post("/api/summarize", json={"text": STORY, field: value})
    assert_problem(response, 422, message)


@pytest.mark.parametrize("ratio", [0.2, 1])
def test_a_ratio_may_be_a_fraction_or_a_whole_number(api: httpx.Client, ratio: float) -> None:
    response = api.post("/api/summarize", json={"text": STORY, "ratio": ratio})
    assert response.status_code == 200, response.text
    assert response.json()["budget"] == {"unit": "ratio", "value": ratio}


def test_a_body_that_is_not_json_is_415(api: httpx.Client) -> None:
    response = api.post(
        "/api/summarize", content=b"text=hello", headers={"content-type": "text/plain"}
    )
    assert_problem(response, 415, "application/json", "text/plain")


def test_an_oversized_body_is_413(api: httpx.Client) -> None:
    response = api.post("/api/summarize", json={"text": "word " * BODY_CAP})
    assert_problem(response, 413, "64 KB")


def test_an_oversized_body_without_content_length_is_413(api: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(BODY_CAP // 1024 + 1):
            yield b"word " * 205
        yield b'"}'

    response = api.post(
        "/api/summarize", content=chunks(), headers={"content-type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert_problem(response, 413)


def test_a_body_that_stops_arriving_is_408_and_the_connection_closed(tmp_path: Path) -> None:
    head = (
        b"POST /api/summarize HTTP/1.1\r\nHost: reader.test\r\n"
        b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
    )
    settings = Settings(body_timeout_seconds=1)
    with (
        Store.open(str(tmp_path / "inbrief.db")) as store,
        running(create_app(store, settings)) as url,
    ):
        host, port = url.removeprefix("http://").rsplit(":", 1)
        with socket.create_connection((host, int(port)), timeout=10) as client:
            client.sendall(head + b'{"text": "')  # 10 of the 100 bytes, then nothing
            started = time.monotonic()
            answer = b""
            while chunk := client.recv(65536):  # until the reader closes the connection
                answer += chunk
            waited = time.monotonic() - started

    assert answer.startswith(b"HTTP/1.1 408 ")
    assert b"the request body did not arrive within 1 s" in answer
    assert 0.9 <= waited < 5


@pytest.mark.parametrize(("text", "seconds"), [("30", 30.0), ("2.5", 2.5), ("10s", 10.0)])
def test_the_body_deadline_is_read_from_the_environment(text: str, seconds: float) -> None:
    assert Settings.from_env({"INBRIEF_BODY_TIMEOUT": text}).body_timeout_seconds == seconds


@pytest.mark.parametrize("text", ["soon", "0", "-5"])
def test_a_body_deadline_that_is_no_time_is_refused(text: str) -> None:
    with pytest.raises(SettingsError, match="seconds"):
        Settings.from_env({"INBRIEF_BODY_TIMEOUT": text})


# --- articles ---------------------------------------------------------------------------------


def test_articles_are_listed_newest_first_without_their_text(
    reader: Reader, api: httpx.Client
) -> None:
    listing = api.get("/api/articles", params={"limit": 3}).json()
    expected = reader.store.list_articles(0, 3)
    assert [item["id"] for item in listing["items"]] == [s.id for s in expected.items]
    assert listing["total"] == expected.total
    assert all("text" not in item and item["lead"] for item in listing["items"])
    following = api.get("/api/articles", params={"limit": 3, "offset": 3}).json()
    assert not {i["id"] for i in listing["items"]} & {i["id"] for i in following["items"]}


def test_articles_filter_by_language_and_search(reader: Reader, api: httpx.Client) -> None:
    language = reader.articles[0].article.language
    listing = api.get("/api/articles", params={"language": language}).json()
    assert listing["items"]
    assert {item["language"] for item in listing["items"]} == {language}
    word = (reader.articles[0].article.title or "").split()[0]
    found = api.get("/api/articles", params={"q": word}).json()
    assert reader.articles[0].id in [item["id"] for item in found["items"]]
    assert api.get("/api/articles", params={"q": "zzqxjv"}).json()["items"] == []


def test_paging_parameters_are_validated(api: httpx.Client) -> None:
    assert_problem(api.get("/api/articles", params={"limit": 0}), 422, "limit")
    assert_problem(api.get("/api/articles", params={"offset": -1}), 422, "offset")


def test_an_article_with_its_text_and_links(reader: Reader, api: httpx.Client) -> None:
    stored = reader.articles[1]
    article = api.get(f"/api/articles/{stored.id}").json()
    assert article["text"] == stored.article.text
    assert article["title"] == stored.article.title
    assert article["links"]["page"] == f"/articles/{stored.id}"


def test_a_database_outage_is_503_not_the_clients_fault(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    store = Store.open(str(folder / "inbrief.db"))
    with running(create_app(store)) as url, httpx.Client(base_url=url, timeout=60) as client:
        assert client.get("/api/articles").status_code == 200
        shutil.rmtree(folder)  # the database file is gone, as on a lost volume...
        store.close()  # ...and the pooled connections with it: the next request reconnects
        assert_problem(client.get("/api/articles"), 503, "unable to open database file")
        stored = client.post("/api/summarize", json={"text": STORY, "store": True})
        assert_problem(stored, 503, "inbrief.db")
        # Summaries that need no database still work.
        assert client.post("/api/summarize", json={"text": STORY}).status_code == 200


def test_an_unknown_article_is_404(api: httpx.Client) -> None:
    assert_problem(api.get("/api/articles/999999"), 404, "999999")
    assert_problem(api.get("/api/articles/999999/summary"), 404, "999999")
    assert_problem(api.delete("/api/articles/999999"), 404)


def test_an_id_that_is_not_a_number_is_422(api: httpx.Client) -> None:
    assert_problem(api.get("/api/articles/first"), 422, "article_id")


def test_an_id_too_large_for_the_database_is_422(api: httpx.Client) -> None:
    huge = "9" * 20
    assert_problem(api.get(f"/api/articles/{huge}/summary"), 422, "article_id")
    assert_problem(api.delete(f"/api/feeds/{huge}"), 422, "feed_id")
    assert_problem(api.get("/api/articles", params={"feed": huge}), 422, "feed")
    assert_problem(api.get("/api/articles", params={"offset": huge}), 422, "offset")
    assert api.get(f"/articles/{huge}").status_code == 422


def test_a_stored_summary_is_the_fresh_computation_byte_for_byte(
    reader: Reader, api: httpx.Client
) -> None:
    stored = reader.articles[2]
    cases: tuple[tuple[dict[str, str | int], Budget], ...] = (
        ({}, Budget("sentences", 3)),
        ({"words": 60}, Budget("words", 60)),
        ({"sentences": 1, "method": "lead"}, Budget("sentences", 1)),
    )
    for params, budget in cases:
        response = api.get(f"/api/articles/{stored.id}/summary", params=params)
        assert response.status_code == 200
        method = str(params.get("method", "news"))
        fresh = summary_to_dict(summarize_article(stored.article, budget, method=method))
        assert response.content == json.dumps(fresh, ensure_ascii=False).encode("utf-8")


def test_a_repeated_summary_request_gets_the_same_bytes(reader: Reader, api: httpx.Client) -> None:
    path = f"/api/articles/{reader.articles[4].id}/summary"
    first = api.get(path, params={"words": 60})
    assert first.status_code == 200
    for _ in range(3):  # answered from memory now
        again = api.get(path, params={"words": 60})
        assert again.content == first.content
        assert again.headers["content-type"] == "application/json"


def test_a_remembered_summary_never_excuses_an_invalid_query(
    reader: Reader, api: httpx.Client
) -> None:
    path = f"/api/articles/{reader.articles[4].id}/summary"
    assert api.get(path + "?sentences=2").status_code == 200
    assert api.get(path + "?sentences=2").status_code == 200
    assert_problem(api.get(path + "?sentences=2&words=5"), 422)
    assert_problem(api.get(path + "?sentences=2&colour=red"), 422, "colour")
    assert api.get(path + "?words=5&sentences=2").status_code == 422


def test_a_deleted_article_has_no_summary_at_once(api: httpx.Client) -> None:
    text = STORY.replace("river", "canal")
    location = api.post("/api/articles", json={"text": text}).headers["location"]
    assert api.get(location + "/summary").status_code == 200
    assert api.get(location + "/summary").status_code == 200
    assert api.delete(location).status_code == 204
    assert_problem(api.get(location + "/summary"), 404)


def test_the_answer_memo_forgets_by_age_and_by_size() -> None:
    now = [0.0]
    memo = AnswerMemo(size=2, max_age=10, clock=lambda: now[0])
    one, two, three = (Kept(f'"{n}"', n.encode(), b"text/plain") for n in ("1", "2", "3"))
    memo.put(("/a", b"sentences=3"), one)
    memo.put(("/b", b""), two)
    assert memo.get(("/a", b"sentences=3")) == one
    memo.put(("/c", b""), three)  # full: drops the least recently used, /b
    assert memo.get(("/b", b"")) is None
    assert memo.get(("/a", b"sentences=3")) == one
    now[0] = 10.5
    assert memo.get(("/c", b"")) is None  # too old
    nothing = AnswerMemo(size=0, max_age=10)
    nothing.put(("/a", b""), one)
    assert nothing.get(("/a", b"")) is None


def test_a_stored_summary_as_text(reader: Reader, api: httpx.Client) -> None:
    stored = reader.articles[3]
    response = api.get(f"/api/articles/{stored.id}/summary", params={"format": "bullets"})
    expected = render_summary(summarize_article(stored.article, Budget()), "bullets")
    assert response.text == expected


def test_summary_query_validation(reader: Reader, api: httpx.Client) -> None:
    path = f"/api/articles/{reader.articles[0].id}/summary"
    assert_problem(api.get(path, params={"sentences": 2, "words": 9}), 422, "one budget")
    assert_problem(api.get(path, params={"sentences": "two"}), 422, "sentences")
    assert_problem(api.get(path, params={"method": "magic"}), 400, "magic")


def test_add_an_article_then_find_it_again_then_delete_it(api: httpx.Client) -> None:
    text = STORY.replace("council", "assembly")
    created = api.post("/api/articles", json={"text": text, "title": "Bridge vote"})
    assert created.status_code == 201, created.text
    article = created.json()
    assert article["title"] == "Bridge vote"
    assert created.headers["location"] == article["links"]["self"]
    # Cached at ingest: the summary is already there.
    assert api.get(article["links"]["summary"]).json()["text"] == text
    again = api.post("/api/articles", json={"text": text})
    assert again.status_code == 200
    assert again.json()["id"] == article["id"]
    assert api.delete(article["links"]["self"]).status_code == 204
    assert api.get(article["links"]["self"]).status_code == 404


def test_add_an_article_from_a_url(api: httpx.Client, http_server: LocalServer) -> None:
    url = http_server.route("/world/dam.html", DAM_PAGE.read_bytes())
    created = api.post("/api/articles", json={"url": url})
    assert created.status_code in (200, 201), created.text
    article = created.json()
    assert article["source_url"] == url
    assert api.delete(article["links"]["self"]).status_code == 204


# --- feeds ------------------------------------------------------------------------------------


def test_feeds_can_be_added_polled_listed_and_removed(
    reader: Reader, api: httpx.Client, http_server: LocalServer
) -> None:
    url = local_feed(http_server)
    created = api.post("/api/feeds", json={"url": url})
    assert created.status_code == 201, created.text
    feed = created.json()
    assert api.post("/api/feeds", json={"url": url}).status_code == 200
    assert feed["id"] in [f["id"] for f in api.get("/api/feeds").json()["items"]]

    polled = api.post(f"/api/feeds/{feed['id']}/poll")
    assert polled.status_code == 200, polled.text
    result = polled.json()
    assert result["error"] is None
    assert len(result["added"]) == len(FEED_PAGES)
    assert result["duplicates"] == 0
    again = api.post(f"/api/feeds/{feed['id']}/poll").json()
    assert (again["added"], again["duplicates"]) == ([], len(FEED_PAGES))
    assert api.get(f"/api/feeds/{feed['id']}").json()["last_polled_at"]
    by_feed = api.get("/api/articles", params={"feed": feed["id"], "limit": 100}).json()
    assert {a["id"] for a in by_feed["items"]} == {a["id"] for a in result["added"]}

    assert api.delete(f"/api/feeds/{feed['id']}").status_code == 204
    assert_problem(api.get(f"/api/feeds/{feed['id']}"), 404)
    for article in result["added"]:
        api.delete(f"/api/articles/{article['id']}")


def test_a_feed_that_is_not_a_feed_fails_alone(api: httpx.Client, http_server: LocalServer) -> None:
    good = local_feed(http_server)
    bad = http_server.route("/page.html", DAM_PAGE.read_bytes())
    good_id = api.post("/api/feeds", json={"url": good}).json()["id"]
    bad_id = api.post("/api/feeds", json={"url": bad}).json()["id"]
    try:
        problem = assert_problem(api.post(f"/api/feeds/{bad_id}/poll"), 502)
        assert "feed" in str(problem["detail"]).lower()
        results = {r["feed"]["id"]: r for r in api.post("/api/feeds/poll").json()["results"]}
        assert results[bad_id]["error"]
        assert results[good_id]["error"] is None
        assert api.get(f"/api/feeds/{bad_id}").json()["last_error"]
    finally:
        for feed_id in (good_id, bad_id):
            api.delete(f"/api/feeds/{feed_id}")


def test_a_feed_entry_that_is_only_svg_fails_alone_with_a_reason(
    api: httpx.Client, http_server: LocalServer
) -> None:
    svg = (FIXTURES / "svg_only.html").read_text(encoding="utf-8").strip()
    rss = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Charts</title>'
        f"<link>{http_server.url('/')}</link><description>Charts</description>"
        f'<item><title>A chart</title><guid isPermaLink="false">chart-1</guid>'
        f"<description><![CDATA[{svg}]]>"
        "</description></item></channel></rss>"
    )
    url = http_server.route("/charts.rss", rss, content_type="application/rss+xml")
    feed_id = api.post("/api/feeds", json={"url": url}).json()["id"]
    try:
        result = api.post(f"/api/feeds/{feed_id}/poll").json()
        assert result["added"] == []
        [failure] = result["entry_errors"]
        assert "no article" in failure["message"]
        assert "internal error" not in failure["message"]
    finally:
        api.delete(f"/api/feeds/{feed_id}")


def test_a_feed_address_must_be_a_web_address(api: httpx.Client) -> None:
    assert_problem(api.post("/api/feeds", json={"url": "ftp://example.org/feed"}), 422, "http")
    assert_problem(api.post("/api/feeds/999999/poll"), 404)


# --- CORS, docs, widget -----------------------------------------------------------------------


def test_cors_allows_the_configured_origin_without_credentials(api: httpx.Client) -> None:
    preflight = api.options(
        "/api/summarize",
        headers={
            "Origin": PUBLISHER,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == PUBLISHER
    assert "access-control-allow-credentials" not in preflight.headers
    response = api.post("/api/summarize", json={"text": STORY}, headers={"Origin": PUBLISHER})
    assert response.headers["access-control-allow-origin"] == PUBLISHER
    summary = api.get("/api/articles?limit=1").json()["items"][0]["links"]["summary"]
    for _ in range(2):  # computed, then answered from memory: both with CORS
        answer = api.get(summary, headers={"Origin": PUBLISHER})
        assert answer.headers["access-control-allow-origin"] == PUBLISHER


def test_cors_refuses_other_origins(api: httpx.Client) -> None:
    response = api.post(
        "/api/summarize", json={"text": STORY}, headers={"Origin": "http://elsewhere.test"}
    )
    assert "access-control-allow-origin" not in response.headers
    preflight = api.options(
        "/api/summarize",
        headers={"Origin": "http://elsewhere.test", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 400


def test_openapi_docs_are_served_from_the_reader_itself(api: httpx.Client) -> None:
    schema = api.get("/openapi.json").json()
    assert {"/api/summarize", "/api/articles", "/api/articles/{article_id}/summary"} <= set(
        schema["paths"]
    )
    docs = api.get("/docs")
    assert docs.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert all(a.startswith("/") for a in assets), assets  # nothing from a CDN
    asset = api.get("/docs-assets/swagger-ui-bundle.js")
    assert asset.status_code == 200


def test_the_widget_script_is_served_as_javascript(api: httpx.Client) -> None:
    response = api.get("/widget.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cross-origin-resource-policy"] == "cross-origin"
    assert "api/summarize" in response.text
