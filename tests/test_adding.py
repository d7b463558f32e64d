"""Adding an article from the reader's own page: by address, by pasted text or HTML, and the
bookmarklet's help page. Real servers on 127.0.0.1 over real SQLite stores; pages to add are
served by the local HTTP server, as a publisher's would be."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote

import httpx
import lxml.html
import pytest
from conftest import LocalServer
from lxml.html import HtmlElement

from inbrief.service import Settings, create_app
from inbrief.service.adding import bookmarklet
from inbrief.service.server import running
from inbrief.store import Store

KEY = "adding-key-5c1e7b9d20a34f68b3d2"
PARAGRAPHS = (
    "The river ferry between Alder Quay and the north bank will run every fifteen minutes from "
    "Monday, the harbour board said on Thursday.",
    "Board chair Mira Okafor told reporters that the new timetable follows a year of complaints "
    "about crowded morning crossings and long queues at the quay.",
    "Two boats that had been kept in reserve will return to service, and a third is being "
    "refitted at the Tollan yard for use from the spring.",
    "Fares will stay at their current level until the end of the year, when the board will "
    "review them alongside the cost of fuel and crew.",
    "Commuter groups welcomed the change but said the late evening service, which ends at nine, "
    "should also be extended to serve shift workers.",
)
STORY_TEXT = "\n\n".join(PARAGRAPHS)


def story_page(title: str, paragraphs: tuple[str, ...] = PARAGRAPHS, extra: str = "") -> str:
    """A publisher's article page: navigation, the story in <article>, a footer."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{title} | Alder Gazette</title></head><body>"
        f"<header><nav><a href='/'>Home</a> <a href='/sport'>Sport</a></nav></header>"
        f"<article><h1>{title}</h1>{body}</article>{extra}"
        f"<footer>Alder Gazette, 3 Quay Street</footer></body></html>"
    )


def other_story(n: int) -> tuple[str, ...]:
    """A story of its own (the store keeps one copy of a text), numbered ``n``."""
    return tuple(f"{p[:-1]} in district {n}." for p in PARAGRAPHS)


@contextmanager
def _reader(tmp_path: Path, settings: Settings) -> Iterator[tuple[str, Store]]:
    with (
        Store.open(str(tmp_path / "inbrief.db")) as store,
        running(create_app(store, settings)) as url,
    ):
        yield url, store


@pytest.fixture
def keyless(tmp_path: Path) -> Iterator[tuple[str, Store]]:
    """The default reader: no key, changes from this machine only."""
    with _reader(tmp_path, Settings()) as reader:
        yield reader


@pytest.fixture
def keyed(tmp_path: Path) -> Iterator[tuple[str, Store]]:
    with _reader(tmp_path, Settings(api_keys=(KEY,))) as reader:
        yield reader


@pytest.fixture
def web(keyless: tuple[str, Store]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=keyless[0], timeout=60) as client:
        yield client


def html_of(response: httpx.Response) -> HtmlElement:
    assert response.headers["content-type"].startswith("text/html")
    return lxml.html.fromstring(response.text)


def error_of(response: httpx.Response) -> str:
    """The error line the add page shows (there is exactly one)."""
    errors = html_of(response).xpath("//*[@role='alert']")
    assert len(errors) == 1, response.text
    return " ".join(errors[0].text_content().split())


def paste(text: str, title: str = "") -> dict[str, tuple[None, str]]:
    """The paste form's fields as the browser sends them (multipart/form-data)."""
    return {"title": (None, title), "pasted": (None, text)}


def added_id(response: httpx.Response) -> int:
    """The id of the article a successful add went to."""
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/articles/(\d+)", response.headers["location"])
    assert match, response.headers["location"]
    return int(match[1])


# --- the form ---------------------------------------------------------------------------------


def test_the_bookmarklet_s_link_fills_in_the_form_and_adds_nothing(
    web: httpx.Client, keyless: tuple[str, Store]
) -> None:
    address = "https://news.example/2026/03/ferries.html?utm=x&id=7"
    page = web.get("/add", params={"url": address})
    assert page.status_code == 200
    form = html_of(page).get_element_by_id("add-url")
    assert form.get("value") == address
    assert keyless[1].list_articles().total == 0
    # The pages' navigation leads here.
    assert html_of(web.get("/")).xpath("//nav//a[@href='/add']")


def test_adding_a_page_by_its_address(web: httpx.Client, http_server: LocalServer) -> None:
    url = http_server.route("/news/ferries.html", story_page("Ferries every fifteen minutes"))
    answer = web.post("/add", data={"url": url})
    article_id = added_id(answer)
    shown = html_of(web.get(answer.headers["location"]))
    assert shown.xpath("//h1")[0].text_content().strip() == "Ferries every fifteen minutes"
    stored = web.get(f"/api/articles/{article_id}").json()
    assert stored["source_url"] == url
    assert PARAGRAPHS[2] in stored["text"]
    # Its summaries were made as it was added, as for the API's articles.
    summary = web.get(f"/api/articles/{article_id}/summary").json()
    assert summary["summary"]
    # Added again: the same article, not a second copy.
    assert added_id(web.post("/add", data={"url": url})) == article_id
    assert web.get("/api/articles").json()["total"] == 1


def test_adding_pasted_text_with_a_title(web: httpx.Client) -> None:
    article_id = added_id(web.post("/add", files=paste(STORY_TEXT, "Ferry timetable")))
    stored = web.get(f"/api/articles/{article_id}").json()
    assert stored["title"] == "Ferry timetable"
    assert stored["text"] == STORY_TEXT
    assert stored["source_url"] is None
    # The same text pasted with another layout is the article already stored.
    relaid = " ".join(PARAGRAPHS)
    assert added_id(web.post("/add", files=paste(relaid))) == article_id


def test_adding_pasted_html_reads_it_as_a_page(web: httpx.Client) -> None:
    article_id = added_id(web.post("/add", files=paste(story_page("Quay queues to shrink"))))
    stored = web.get(f"/api/articles/{article_id}").json()
    assert stored["title"] == "Quay queues to shrink"
    # The page's navigation and footer are not the article.
    assert "Sport" not in stored["text"] and "Quay Street" not in stored["text"]
    assert stored["text"].startswith(PARAGRAPHS[0])


def test_a_plain_urlencoded_paste_is_read_too(web: httpx.Client) -> None:
    # What a browser sends for a form without enctype, or curl -d.
    article_id = added_id(web.post("/add", data={"pasted": STORY_TEXT, "title": "By curl"}))
    assert web.get(f"/api/articles/{article_id}").json()["title"] == "By curl"


def test_a_paste_larger_than_one_form_part_usually_may_be_is_taken(web: httpx.Client) -> None:
    # 1.2 MB: over Starlette's 1 MiB default for one part of a form, under the 2 MiB body cap.
    script = "<script>var filler = '" + "x" * 1_200_000 + "';</script>"
    page = story_page("A heavy page", other_story(1), extra=script)
    article_id = added_id(web.post("/add", files=paste(page)))
    assert web.get(f"/api/articles/{article_id}").json()["title"] == "A heavy page"


# --- failures, in plain words, with what was typed kept ---------------------------------------


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        (
            "news.example/story",
            "The address is not a full URL (start it with http:// or https://).",
        ),
        ("ftp://news.example/story", "The address uses the ftp: scheme"),
        ("   ", "Give the address of a web page"),
    ],
)
def test_an_address_that_is_not_one_is_refused_on_the_form(
    web: httpx.Client, keyless: tuple[str, Store], typed: str, said: str
) -> None:
    answer = web.post("/add", data={"url": typed})
    assert answer.status_code == 422
    assert error_of(answer).startswith(said)
    assert html_of(answer).get_element_by_id("add-url").get("value") == typed.strip()
    assert keyless[1].list_articles().total == 0


@pytest.mark.parametrize(
    ("address", "said"),
    [
        # The reader itself is on 127.0.0.1: fetched, this would read its own pages or
        # anything else listening on this machine.
        ("{reader}/api/articles", "127.0.0.1 is a loopback address"),
        ("http://10.20.30.40/intranet/story.html", "10.20.30.40 is a private address"),
    ],
)
def test_a_private_address_is_refused_when_loopback_is_not_allowed(
    web: httpx.Client, keyless: tuple[str, Store], address: str, said: str
) -> None:
    # No allow_loopback here: the fetch guard as it ships.
    address = address.format(reader=keyless[0])
    answer = web.post("/add", data={"url": address})
    assert answer.status_code == 422
    assert error_of(answer).startswith(f"It could not be added: Refused: {said}")
    assert html_of(answer).get_element_by_id("add-url").get("value") == address
    assert keyless[1].list_articles().total == 0


def test_a_page_too_large_is_refused_on_the_form(
    web: httpx.Client, http_server: LocalServer
) -> None:
    url = http_server.route(
        "/huge.html", story_page("Huge"), headers={"Content-Length": str(50 * 1024 * 1024)}
    )
    answer = web.post("/add", data={"url": url})
    assert answer.status_code == 502
    assert "larger than the 10 MB limit" in error_of(answer)
    assert html_of(answer).get_element_by_id("add-url").get("value") == url


def test_a_site_that_fails_is_said_so(web: httpx.Client, http_server: LocalServer) -> None:
    url = http_server.route("/gone.html", "<p>gone</p>", status=404)
    answer = web.post("/add", data={"url": url})
    assert answer.status_code == 502
    assert "404" in error_of(answer)


def test_a_paste_with_no_article_text_keeps_what_was_pasted(
    web: httpx.Client, keyless: tuple[str, Store]
) -> None:
    pasted = "<html><body><nav><a href='/'>Home</a> <a href='/x'>Menu</a></nav></body></html>"
    answer = web.post("/add", files=paste(pasted, "My title"))
    assert answer.status_code == 422
    assert error_of(answer) == "It could not be added: No article text found in the pasted HTML."
    page = html_of(answer)
    assert page.get_element_by_id("add-pasted").text_content() == pasted
    assert page.get_element_by_id("add-title").get("value") == "My title"
    assert page.get_element_by_id("add-pasted").get("aria-invalid") == "true"
    assert keyless[1].list_articles().total == 0


def test_an_empty_paste_is_asked_for(web: httpx.Client) -> None:
    answer = web.post("/add", files=paste("  \n "))
    assert answer.status_code == 422
    assert error_of(answer).startswith("Paste the article's text")


def test_what_was_typed_is_shown_as_text_never_as_markup(web: httpx.Client) -> None:
    typed = '"><script>alert(1)</script>'
    answer = web.post("/add", data={"url": typed})
    assert answer.status_code == 422
    assert "<script>alert(1)" not in answer.text
    assert html_of(answer).get_element_by_id("add-url").get("value") == typed


# --- who may add ------------------------------------------------------------------------------


def test_with_a_key_configured_adding_asks_the_browser_for_it(
    keyed: tuple[str, Store],
) -> None:
    url, store = keyed
    with httpx.Client(base_url=url, timeout=60) as web:
        # Showing the form is reading: public.
        assert web.get("/add").status_code == 200
        asked = web.post("/add", files=paste(STORY_TEXT))
        assert asked.status_code == 401
        assert asked.headers["www-authenticate"] == 'Basic realm="inbrief"'
        wrong = web.post("/add", files=paste(STORY_TEXT), auth=("me", "not-the-key"))
        assert wrong.status_code == 401
        assert store.list_articles().total == 0
        # A key the browser remembers is not used for a form on another site (CSRF).
        forged = web.post(
            "/add",
            files=paste(STORY_TEXT),
            auth=("me", KEY),
            headers={"Sec-Fetch-Site": "cross-site"},
        )
        assert forged.status_code == 403
        assert store.list_articles().total == 0
        added = web.post("/add", files=paste(STORY_TEXT), auth=("me", KEY))
        assert added_id(added) == store.list_articles().items[0].id


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Forwarded-For": "203.0.113.9"},  # a client elsewhere, through a proxy here
        {"Sec-Fetch-Site": "cross-site"},  # a page on another site submitting the form
        {"Origin": "https://attacker.example"},  # the same, from a browser without Fetch Metadata
    ],
)
def test_without_a_key_only_this_machine_s_own_pages_may_add(
    web: httpx.Client, keyless: tuple[str, Store], headers: dict[str, str]
) -> None:
    answer = web.post("/add", files=paste(STORY_TEXT), headers=headers)
    assert answer.status_code == 403
    assert keyless[1].list_articles().total == 0


def test_a_body_over_the_cap_is_refused_as_the_api_s_are(tmp_path: Path) -> None:
    with (
        _reader(tmp_path, Settings(max_body_bytes=64 * 1024)) as (url, store),
        httpx.Client(base_url=url, timeout=60) as web,
    ):
        answer = web.post("/add", files=paste("x" * 100_000))
        assert answer.status_code == 413
        assert store.list_articles().total == 0
        # The form says the cap.
        assert "Up to 64 KB in all." in html_of(web.get("/add")).text_content()


# --- the bookmarklet --------------------------------------------------------------------------


def code_of(href: str) -> str:
    """The script a ``javascript:`` link runs: the browser percent-decodes it once."""
    assert href.startswith("javascript:")
    return unquote(href.removeprefix("javascript:"))


def test_the_help_page_offers_the_bookmarklet_for_this_reader(
    web: httpx.Client, keyless: tuple[str, Store]
) -> None:
    answer = web.get("/bookmarklet")
    assert answer.status_code == 200
    # The page's own policy: no inline script runs on the reader, the link is only shown.
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    page = html_of(answer)
    link = page.get_element_by_id("bookmarklet")
    assert link.text_content() == "Summarize in inbrief"
    assert link.get("draggable") == "true"
    code = code_of(link.get("href"))
    target = f"{keyless[0]}/add?url="
    assert code == f"location.href={json.dumps(target)}+encodeURIComponent(location.href)"
    # The same bookmark, to copy by hand.
    assert page.get_element_by_id("bookmarklet-code").get("value") == link.get("href")
    # And the add page links to it.
    assert html_of(web.get("/add")).xpath("//a[@href='/bookmarklet']")


@pytest.mark.parametrize(
    "address",
    [
        "http://127.0.0.1:8000/add",
        "https://reader.example/news%20desk/add",  # a % the browser must not decode away
        'https://reader.example/it\'s/"quoted"/add',  # quotes cannot end the string
    ],
)
def test_the_bookmarklet_s_script_is_its_address_as_a_string(address: str) -> None:
    code = code_of(bookmarklet(address))
    prefix, rest = code.removeprefix("location.href=").split("+encodeURIComponent(", 1)
    assert json.loads(prefix) == address + "?url="
    assert rest == "location.href)"
