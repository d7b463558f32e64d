"""The reader's HTML as a browser without JavaScript gets it, from a real server on 127.0.0.1."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import lxml.etree
import lxml.html
import pytest
from conftest import LocalServer
from lxml.html import HtmlElement
from test_api import local_feed

from inbrief import __version__
from inbrief.ingest import add_article, demo_articles
from inbrief.models import Article, Sentence
from inbrief.service import Settings, create_app
from inbrief.service.pages import lead_of
from inbrief.service.server import running
from inbrief.service.story import article_blocks, sentence_paragraphs
from inbrief.store import Store, StoredArticle
from inbrief.text import split_sentences

DEMO = Path(__file__).parents[1] / "src" / "inbrief" / "data" / "demo"
DAM_PAGE = DEMO / "html" / "en-globalvoices-004-china-a-leaking-dam.html"
PAGE_SIZE = 3
HOSTILE = Article(
    text=(
        "Officials said <script>alert('text')</script> was found in the page. "
        'The second sentence holds <img src=x onerror="alert(1)"> and more. '
        "A third sentence closes the first paragraph.\n\n"
        "The last paragraph is short. It ends here."
    ),
    title="<script>alert('title')</script> & friends",
    author="<b>Ann</b>",
    site="Hostile & Co",
    language="en",
    url="javascript:alert('url')",
    origin="test",
    complete=False,
    incomplete_reason="the page cut off after two paragraphs",
)


@dataclass(frozen=True)
class Reader:
    url: str
    store: Store
    demo: tuple[StoredArticle, ...]
    hostile: StoredArticle


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reader]:
    database = tmp_path_factory.mktemp("pages") / "inbrief.db"
    with Store.open(str(database)) as store:
        # The newest demo articles: dated, with authors, in more than one language.
        demo = tuple(add_article(store, a).article for a in list(demo_articles())[-7:])
        hostile = add_article(store, HOSTILE).article
        settings = Settings(page_size=PAGE_SIZE)
        with running(create_app(store, settings)) as url:
            yield Reader(url, store, demo, hostile)


@pytest.fixture
def web(reader: Reader) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=reader.url, timeout=60) as client:
        yield client


def page(web: httpx.Client, path: str, status: int = 200) -> HtmlElement:
    response = web.get(path)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    return lxml.html.fromstring(response.text)


def texts(root: HtmlElement, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in root.xpath(xpath)]


def flat(text: str) -> str:
    return " ".join(text.split())


def by_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def sentence_spans(root: HtmlElement) -> dict[int, str]:
    """Each sentence's text as the page shows it, its spans joined."""
    spans: dict[int, str] = {}
    for span in root.xpath("//span[@class='sentence']"):
        index = int(span.get("data-index"))
        spans[index] = (spans.get(index, "") + " " + span.text_content()).strip()
    return spans


# --- the list ---------------------------------------------------------------------------------


def test_front_page_lists_the_newest_first(reader: Reader, web: httpx.Client) -> None:
    root = page(web, "/")
    expected = reader.store.list_articles(0, PAGE_SIZE).items
    assert texts(root, "//ol[@class='article-list']/li/h2") == [s.article.title for s in expected]
    for item, stored in zip(root.xpath("//ol[@class='article-list']/li"), expected, strict=True):
        meta = flat(item.xpath(".//p[@class='meta']")[0].text_content())
        day = stored.article.date or f"added {stored.added_at.date().isoformat()}"
        shown = [stored.article.site, day, stored.article.language]
        assert meta == " ".join(v for v in shown if v)
        lead = item.xpath(".//p[@class='lead']")[0].text_content()
        assert flat(stored.article.text).startswith(lead.removesuffix("…"))


def test_front_page_says_how_it_is_ordered(web: httpx.Client) -> None:
    said = texts(page(web, "/"), "//p[contains(@class, 'listing-order')]")
    assert said == ["Newest first, by publication date."]


def test_front_page_lists_by_publication_date_not_by_when_articles_were_added(
    reader: Reader, web: httpx.Client
) -> None:
    # The demo articles were added oldest first; this one, added last, is from 2009.
    archived = Article(
        text="An archived story was found again. It is old news by now.",
        title="From the archive",
        date="2009-06-11",
        language="en",
    )
    old = add_article(reader.store, archived)
    try:
        every = reader.store.list_articles(0, 100).items
        assert every[-1].id == old.article.id
        assert f"/articles/{old.article.id}" not in page(web, "/").xpath("//h2/a/@href")
        dates = [s.article.date for s in every if s.article.date]
        assert dates == sorted(dates, reverse=True)
    finally:
        reader.store.delete_article(old.article.id)


def test_front_page_pages_through_every_article(reader: Reader, web: httpx.Client) -> None:
    seen: list[str] = []
    path: str | None = "/"
    while path:
        root = page(web, path)
        seen += root.xpath("//ol[@class='article-list']/li/h2/a/@href")
        older = root.xpath("//nav[@class='pager']/a[@rel='next']/@href")
        path = older[0] if older else None
    every = reader.store.list_articles(0, 100).items
    assert seen == [f"/articles/{s.id}" for s in every]


def test_a_page_number_below_one_is_refused(web: httpx.Client) -> None:
    page(web, "/?page=0", status=422)


# --- an article -------------------------------------------------------------------------------


def test_article_page_shows_title_byline_date_and_source(reader: Reader, web: httpx.Client) -> None:
    stored = next(s for s in reader.demo if s.article.date and s.article.author)
    root = page(web, f"/articles/{stored.id}")
    assert texts(root, "//h1") == [stored.article.title]
    byline = texts(root, "//p[@class='byline']")[0]
    assert f"By {stored.article.author}" in byline
    assert f"{stored.article.date}" in byline
    assert root.xpath("//p[@class='byline']//a/@href") == [stored.article.url]


def test_the_summary_button_is_above_and_below_the_text(reader: Reader, web: httpx.Client) -> None:
    root = page(web, f"/articles/{reader.demo[0].id}")
    order = [
        "button" if "get-summary" in (e.get("class") or "") else "text"
        for e in root.xpath(f"//*[{by_class('get-summary')} or {by_class('story-text')}]")
    ]
    assert order == ["button", "text", "button"]
    assert (
        texts(root, "//button[@class='summary-button']") == ["No time to read? Get a summary"] * 2
    )
    assert texts(root, "(//select[@name='summary'])[1]/option") == [
        "3 sentences",
        "60 words",
        "bullets",
    ]


def test_previous_and_next_follow_the_list_order(reader: Reader, web: httpx.Client) -> None:
    every = reader.store.list_articles(0, 100).items
    for position in (0, 3, len(every) - 1):
        root = page(web, f"/articles/{every[position].id}")
        previous = root.xpath("//nav[@class='neighbours']/a[@rel='prev']")
        following = root.xpath("//nav[@class='neighbours']/a[@rel='next']")
        if position == 0:
            assert previous == []
        else:
            newer = every[position - 1]
            assert previous[0].get("href") == f"/articles/{newer.id}"
            assert flat(previous[0].text_content()) == f"Previous Article {newer.article.title}"
        if position == len(every) - 1:
            assert following == []
        else:
            older = every[position + 1]
            assert following[0].get("href") == f"/articles/{older.id}"
            assert flat(following[0].text_content()) == f"Next Article {older.article.title}"


def test_article_text_is_split_as_the_summarizer_splits_it(
    reader: Reader, web: httpx.Client
) -> None:
    stored = reader.demo[4]
    root = page(web, f"/articles/{stored.id}")
    sentences = split_sentences(stored.article.text, stored.article.language)
    spans = sentence_spans(root)
    assert [flat(spans[s.index]) for s in sentences] == [flat(s.text) for s in sentences]
    blocks = root.xpath(f"//div[{by_class('story-text')}]/*[self::p or self::h2]")
    items = root.xpath(f"//div[{by_class('story-text')}]/ul/li")
    assert len(blocks) + len(items) == len(stored.article.paragraphs)


@pytest.fixture(scope="module")
def dam(reader: Reader) -> StoredArticle:
    """The demo article with subheadings and "- " list items."""
    article = next(a for a in demo_articles() if a.title == "China: A leaking dam?")
    return add_article(reader.store, article).article


def test_subheadings_show_as_headings(web: httpx.Client, dam: StoredArticle) -> None:
    root = page(web, f"/articles/{dam.id}")
    assert texts(root, f"//div[{by_class('story-text')}]/h2") == [
        "Collaborative Testing: a leaking dam",
        "Over blocking",
        "All LGBT content banned",
        "Government budget and procedural justice",
        "Political concern",
    ]


def test_list_items_show_as_a_list_without_their_dashes(
    web: httpx.Client, dam: StoredArticle
) -> None:
    root = page(web, f"/articles/{dam.id}")
    lists = root.xpath(f"//div[{by_class('story-text')}]/ul[@class='story-list']")
    items = [[flat(li.text_content()) for li in ul.xpath("li")] for ul in lists]
    lines = [line for block in dam.article.paragraphs for line in block.splitlines()]
    stored = [flat(line.removeprefix("- ")) for line in lines if line.startswith("- ")]
    assert [len(found) for found in items] == [2, 2]
    assert [item for found in items for item in found] == stored


def test_headings_and_lists_keep_every_sentence_where_summaries_point(
    web: httpx.Client, dam: StoredArticle
) -> None:
    root = page(web, f"/articles/{dam.id}")
    sentences = split_sentences(dam.article.text, dam.article.language)
    spans = sentence_spans(root)
    text = dam.article.text

    def shown(sentence: Sentence) -> str:  # a list item's sentence is shown without its "- "
        starts_a_line = text[: sentence.start].endswith("\n")
        return sentence.text.removeprefix("- ") if starts_a_line else sentence.text

    assert [flat(spans[s.index]) for s in sentences] == [flat(shown(s)) for s in sentences]
    ids = root.xpath("//@id")
    assert {f"s-{s.index}" for s in sentences} <= set(ids)
    assert len(ids) == len(set(ids))


def test_without_javascript_the_button_opens_the_summary_in_the_page(
    reader: Reader, web: httpx.Client
) -> None:
    stored = reader.demo[2]
    root = page(web, f"/articles/{stored.id}")
    # What submitting the bottom form navigates to: its action with its fields as the query.
    form = root.xpath("//section[@id='summary-bottom']/form")[0]
    assert form.get("method") == "get"
    assert form.get("action") == f"/articles/{stored.id}#summary-bottom"
    opened = page(web, f"/articles/{stored.id}?at=bottom&summary=words-60")
    top, bottom = opened.xpath(f"//div[{by_class('summary-panel')}]")
    assert top.get("hidden") is not None
    assert bottom.get("hidden") is None
    api = web.get(f"/api/articles/{stored.id}/summary", params={"words": 60}).json()
    links = bottom.xpath(".//a[@class='summary-sentence']")
    assert [flat(a.text_content()) for a in links] == [flat(s) for s in api["summary"]]
    assert opened.xpath("//option[@selected]/@value") == ["words-60", "words-60"]


def test_bullets_show_the_three_sentence_summary_as_a_list(
    reader: Reader, web: httpx.Client
) -> None:
    stored = reader.demo[2]
    root = page(web, f"/articles/{stored.id}?summary=bullets")
    items = root.xpath("//section[@id='summary-top']//ul[@class='summary-sentences']/li")
    api = web.get(f"/api/articles/{stored.id}/summary", params={"sentences": 3}).json()
    assert [flat(li.text_content()) for li in items] == [flat(s) for s in api["summary"]]


def test_summary_sentences_link_to_their_sentence_in_the_article(
    reader: Reader, web: httpx.Client
) -> None:
    stored = reader.demo[5]
    root = page(web, f"/articles/{stored.id}?summary=sentences-3")
    links = root.xpath("//a[@class='summary-sentence']")
    assert len(links) == 3
    for link in links:
        target = root.get_element_by_id(link.get("href").removeprefix("#"))
        assert target.get("data-index") == link.get("data-index")
        assert "sentence" in target.get("class")
        assert flat(target.text_content()) == flat(link.text_content())


def test_a_summary_that_is_the_opening_of_the_article_says_so(
    reader: Reader, web: httpx.Client
) -> None:
    said: dict[bool, int] = {}
    for stored in reader.demo:
        api = web.get(f"/api/articles/{stored.id}/summary", params={"sentences": 3}).json()
        opening = [s["index"] for s in api["sentences"]] == [0, 1, 2]
        root = page(web, f"/articles/{stored.id}?summary=sentences-3")
        notes = texts(root, f"//p[{by_class('summary-opening')}]")
        assert notes == (["The article's opening says it:"] if opening else []), stored.id
        said[opening] = said.get(opening, 0) + 1
    assert said[True] and said[False]  # both kinds were seen


def test_the_open_summary_s_button_says_it_is_expanded(reader: Reader, web: httpx.Client) -> None:
    stored = reader.demo[3]
    closed = page(web, f"/articles/{stored.id}")
    assert closed.xpath("//button[@class='summary-button']/@aria-expanded") == ["false", "false"]
    opened = page(web, f"/articles/{stored.id}?summary=sentences-3&at=bottom")
    buttons = opened.xpath("//button[@class='summary-button']")
    assert [b.get("aria-expanded") for b in buttons] == ["false", "true"]
    for button in buttons:
        panel = opened.get_element_by_id(button.get("aria-controls"))
        assert "summary-panel" in panel.get("class")
    assert opened.xpath("//p[@class='summary-hide']/a/@href") == [f"/articles/{stored.id}"]


def test_the_two_summary_regions_have_different_names(reader: Reader, web: httpx.Client) -> None:
    root = page(web, f"/articles/{reader.demo[0].id}")
    names = root.xpath(f"//section[{by_class('get-summary')}]/@aria-label")
    assert names == ["Summary above the article", "Summary below the article"]


def test_an_unknown_summary_choice_just_shows_the_article(
    reader: Reader, web: httpx.Client
) -> None:
    root = page(web, f"/articles/{reader.demo[0].id}?summary=everything")
    assert root.xpath("//a[@class='summary-sentence']") == []


def test_an_unknown_article_is_a_404_page(web: httpx.Client) -> None:
    root = page(web, "/articles/987654", status=404)
    assert "987654" in root.text_content()
    page(web, "/no/such/page", status=404)


# --- stored text stays text -------------------------------------------------------------------


def test_stored_text_is_shown_as_text_never_as_markup(reader: Reader, web: httpx.Client) -> None:
    for path in ("/", f"/articles/{reader.hostile.id}", "/search?q=officials"):
        response = web.get(path)
        root = lxml.html.fromstring(response.text)
        assert not [s for s in root.xpath("//script") if not s.get("src")]
        assert root.xpath("//img") == []
        assert root.xpath("//b") == []
        assert "<script>alert(" in root.text_content()
        assert "javascript:" not in " ".join(root.xpath("//@href"))


def test_a_partial_article_says_so_with_the_reason(reader: Reader, web: httpx.Client) -> None:
    root = page(web, f"/articles/{reader.hostile.id}")
    notice = texts(root, "//p[contains(@class, 'partial')]")
    assert notice == ["Partial article: the page cut off after two paragraphs"]
    assert (
        page(web, f"/articles/{reader.demo[0].id}").xpath("//p[contains(@class, 'partial')]") == []
    )


def test_pages_carry_no_inline_script_style_or_handlers(reader: Reader, web: httpx.Client) -> None:
    paths = ["/", "/search?q=the", "/feeds", f"/articles/{reader.demo[0].id}?summary=bullets"]
    for path in paths:
        root = page(web, path)
        assert all(script.get("src") for script in root.xpath("//script")), path
        assert root.xpath("//style | //*[@style]") == [], path
        handlers = [a for e in root.iter() for a in e.attrib if a.lower().startswith("on")]
        assert handlers == [], path


def test_every_page_has_the_reader_s_icon(reader: Reader, web: httpx.Client) -> None:
    paths = ["/", "/search?q=the", "/feeds", f"/articles/{reader.demo[0].id}", "/docs", "/nope"]
    icons = {path: page(web, path, 404 if path == "/nope" else 200) for path in paths}
    hrefs = {path: root.xpath("//link[@rel='icon']/@href") for path, root in icons.items()}
    assert hrefs == {path: [f"/static/favicon.svg?v={__version__}"] for path in paths}
    icon = web.get(hrefs["/"][0])
    assert icon.status_code == 200
    assert icon.headers["content-type"] == "image/svg+xml"
    svg = lxml.etree.fromstring(icon.content)
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert svg.xpath("//*[local-name() = 'script'] | //@*[starts-with(name(), 'on')]") == []


def test_the_api_docs_link_back_to_the_reader(web: httpx.Client) -> None:
    root = page(web, "/docs")
    back = root.xpath("//a[@href='/']")
    assert [flat(a.text_content()) for a in back] == ["← Back to the inbrief reader"]


# --- search -----------------------------------------------------------------------------------


def test_search_finds_articles_by_their_words(reader: Reader, web: httpx.Client) -> None:
    target = reader.demo[1]
    word = max((target.article.title or "").split(), key=len)
    root = page(web, f"/search?q={word}")
    assert f"/articles/{target.id}" in root.xpath("//ol[@class='article-list']/li/h2/a/@href")
    assert root.xpath("//input[@name='q']/@value") == [word]


def test_search_says_how_results_are_ordered(web: httpx.Client) -> None:
    said = texts(page(web, "/search?q=the"), "//p[contains(@class, 'listing-order')]")
    assert said == ["Best match first."]


def test_search_without_results_or_words_says_so(web: httpx.Client) -> None:
    assert "No article matches" in page(web, "/search?q=zzqxjvw").text_content()
    assert "Type words" in page(web, "/search").text_content()


# --- feeds ------------------------------------------------------------------------------------


def test_feeds_page_adds_polls_and_removes_a_feed(
    reader: Reader, web: httpx.Client, http_server: LocalServer
) -> None:
    url = local_feed(http_server)
    added = lxml.html.fromstring(web.post("/feeds", data={"url": url}).text)
    assert any("Added" in t for t in texts(added, "//p[contains(@class, 'notice')]"))
    feed = next(f for f in reader.store.list_feeds() if f.url == url)
    polled = lxml.html.fromstring(web.post(f"/feeds/{feed.id}/poll").text)
    [notice] = texts(polled, "//p[contains(@class, 'notice')]")
    assert "new" in notice and "already stored" in notice
    assert "error-text" not in polled.xpath("//p[contains(@class, 'notice')]/@class")[0]
    removed = lxml.html.fromstring(web.post(f"/feeds/{feed.id}/delete").text)
    assert any("Removed" in t for t in texts(removed, "//p[contains(@class, 'notice')]"))
    assert reader.store.get_feed(feed.id) is None
    for stored in reader.store.list_articles(0, 100, feed_id=feed.id).items:
        reader.store.delete_article(stored.id)


def test_feeds_page_reports_a_bad_feed_on_its_own_line(
    reader: Reader, web: httpx.Client, http_server: LocalServer
) -> None:
    good = local_feed(http_server)
    bad = http_server.route("/page.html", DAM_PAGE.read_bytes())
    web.post("/feeds", data={"url": good})
    web.post("/feeds", data={"url": bad})
    root = lxml.html.fromstring(web.post("/feeds/poll").text)
    notices = root.xpath("//p[contains(@class, 'notice')]")
    errors = [flat(n.text_content()) for n in notices if "error-text" in n.get("class")]
    fine = [flat(n.text_content()) for n in notices if "error-text" not in n.get("class")]
    assert len(errors) == 1 and bad.split("//")[1] in errors[0]
    assert len(fine) == 1
    status = texts(root, "//table[@class='feeds']//span[@class='error-text']")
    assert len(status) == 1
    for feed in reader.store.list_feeds():
        reader.store.delete_feed(feed.id)


def test_feeds_page_refuses_an_address_that_is_not_a_web_address(web: httpx.Client) -> None:
    root = lxml.html.fromstring(web.post("/feeds", data={"url": "javascript:alert(1)"}).text)
    assert any("http://" in t for t in texts(root, "//p[contains(@class, 'notice')]"))


def test_unknown_feed_actions_are_404(web: httpx.Client) -> None:
    assert web.post("/feeds/987654/poll").status_code == 404
    assert web.post("/feeds/987654/delete").status_code == 404


# --- building blocks --------------------------------------------------------------------------


def test_sentence_pieces_rebuild_the_text_and_split_at_paragraphs() -> None:
    text = "First sentence here. Second one\n\ncontinues after a break. Third.\n\n\n\nLast."
    parts = ["First sentence here.", "Second one\n\ncontinues after a break.", "Third.", "Last."]
    starts = [text.index(part) for part in parts]
    sentences = [
        Sentence(i, start, start + len(part), part)
        for i, (start, part) in enumerate(zip(starts, parts, strict=True))
    ]
    paragraphs = sentence_paragraphs(text, sentences)
    assert "\n\n".join("".join(p.text for p in para) for para in paragraphs) == (
        "First sentence here. Second one\n\ncontinues after a break. Third.\n\nLast."
    )
    second = [p for para in paragraphs for p in para if p.index == 1]
    assert [(p.text, p.anchor) for p in second] == [
        ("Second one", True),
        ("continues after a break.", False),
    ]


def test_blocks_find_subheadings_and_lists_but_not_captions_or_legends() -> None:
    blocks = [
        "Photo: the harbour at dawn",  # opens the article: a caption
        "Ships returned on Monday. The port reopened.",
        "What the council decided",
        "The council voted to rebuild the pier.",
        "- First, the pier.",
        "- Then the road. It opens in June.\n- And the bridge.",
        "██ Harbour district",  # a map legend
        "A last paragraph.",
        "Photo credit: the council",  # closes the article: a credit
    ]
    text = "\n\n".join(blocks)
    found = article_blocks(text, split_sentences(text, "en"))
    shown = [(b.kind, ["".join(piece.text for piece in item) for item in b.items]) for b in found]
    assert shown == [
        ("paragraph", [blocks[0]]),
        ("paragraph", [blocks[1]]),
        ("heading", [blocks[2]]),
        ("paragraph", [blocks[3]]),
        ("list", ["First, the pier.", "Then the road. It opens in June.", "And the bridge."]),
        ("paragraph", [blocks[6]]),
        ("paragraph", [blocks[7]]),
        ("paragraph", [blocks[8]]),
    ]


def test_lead_cuts_at_a_word() -> None:
    assert lead_of("Short text.") == "Short text."
    lead = lead_of("word " * 100, limit=22)
    assert lead == "word word word word…"


# --- inbrief serve ----------------------------------------------------------------------------


def start_serve(
    database: Path, *, demo: bool = True, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[str], str]:
    """``serve()`` in its own process on a free port; returns it and the URL it printed."""
    code = (
        "import sys; from inbrief.service.server import serve; "
        f"serve('127.0.0.1', 0, sys.argv[1], demo={demo})"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(database)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    line = process.stdout.readline() if process.stdout else ""
    match = re.search(r"http://127\.0\.0\.1:\d+/", line)
    if match is None:
        process.kill()
        raise AssertionError(f"no URL printed: {line!r} {process.communicate()}")
    return process, match.group(0)


def test_serve_fills_an_empty_database_with_the_demo_corpus_once(tmp_path: Path) -> None:
    database = tmp_path / "reader.db"
    demo_count = len(list(demo_articles()))
    for _ in range(2):  # the second start finds the articles there and adds none
        process, url = start_serve(database)
        try:
            listing = httpx.get(url + "api/articles", params={"limit": 1}, timeout=30).json()
            assert listing["total"] == demo_count
            assert httpx.get(url, timeout=30).status_code == 200
        finally:
            process.send_signal(signal.SIGINT)  # Ctrl+C
            _, errors = process.communicate(timeout=30)
        assert process.returncode == 0, errors
        assert "Traceback" not in errors
        assert errors.rstrip().endswith("Stopped.")


def test_serve_says_when_the_port_is_taken(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        database = str(tmp_path / "reader.db")
        code = f"from inbrief.service.server import serve; serve('127.0.0.1', {port}, {database!r})"
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
        )
    assert done.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr


# One access-log line: time (UTC), method, path and query as sent, status, duration.
LOG_LINE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (\S+) (\S+) (\d{3}) \d+\.\d ms")


def serve_and_get(tmp_path: Path, paths: list[str], env: dict[str, str] | None = None) -> str:
    """Start ``serve()``, GET each path, stop it with Ctrl+C; returns what it wrote on stderr."""
    process, url = start_serve(tmp_path / "reader.db", demo=False, env=env)
    try:
        for path in paths:
            httpx.get(url.rstrip("/") + path, timeout=30)
    finally:
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=30)
    assert process.returncode == 0, errors
    return errors


def test_serve_logs_one_line_per_request(tmp_path: Path) -> None:
    errors = serve_and_get(tmp_path, ["/", "/search?q=harbour", "/no/such/page"])
    logged = [LOG_LINE.fullmatch(line) for line in errors.splitlines()]
    assert [m.groups() for m in logged if m] == [
        ("GET", "/", "200"),
        ("GET", "/search?q=harbour", "200"),
        ("GET", "/no/such/page", "404"),
    ]


def test_a_request_cannot_forge_a_line_of_the_access_log(tmp_path: Path) -> None:
    forged = "/x%0A2026-01-01T00:00:00Z%20GET%20/forged%20200%201.0%20ms"
    errors = serve_and_get(tmp_path, [forged])
    logged = [m.groups() for m in map(LOG_LINE.fullmatch, errors.splitlines()) if m]
    assert logged == [("GET", forged, "404")]


def test_the_access_log_can_be_turned_off(tmp_path: Path) -> None:
    errors = serve_and_get(tmp_path, ["/", "/feeds"], env={"INBRIEF_ACCESS_LOG": "false"})
    assert not [line for line in errors.splitlines() if LOG_LINE.fullmatch(line)]
    assert errors.rstrip().endswith("Stopped.")


def test_the_access_log_can_be_turned_off_on_the_command_line(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'reader.db'}"
    command = [sys.executable, "-m", "inbrief", "serve", "--port", "0", "--no-demo"]
    process = subprocess.Popen(
        [*command, "--database", database, "--no-access-log"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline() if process.stdout else ""
    match = re.search(r"http://127\.0\.0\.1:\d+/", line)
    try:
        assert match, line
        assert httpx.get(match.group(0), timeout=30).status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=30)
    assert not [line for line in errors.splitlines() if LOG_LINE.fullmatch(line)]
