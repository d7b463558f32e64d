"""What a page says about its article besides the text: who wrote it, when, its top image,
description, tags, categories and videos; kept in the store and shown on the article page.

Every page here is a small look-alike written for the test, each in one of the forms news sites
use; the junk real sites put in those places (addresses, "Staff", logos, script links) too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import lxml.html
import pytest
from sqlalchemy import Engine, text
from test_store import database_url, new_database, raw, store  # noqa: F401  (fixtures)

from inbrief.extract import extract
from inbrief.extract.byline import clean_author
from inbrief.extract.media import web_address
from inbrief.extract.metadata import Metadata, read_metadata
from inbrief.extract.tree import parse_html
from inbrief.models import Article, Document
from inbrief.render import article_to_dict
from inbrief.service import Settings, create_app
from inbrief.service.server import running
from inbrief.store import Store

URL = "https://news.example.org/2024/05/harbour/story.html"
STORY = (
    "<p>The harbour of Portmere reopened on Monday after three weeks of repairs to the sea "
    "wall, the town council said in a statement that thanked the workers who rebuilt it.</p>"
    "<p>Fishing boats returned to their moorings before noon, and the ferry to the islands "
    "ran on its usual timetable for the first time since the storm in April.</p>"
)


def page(head: str = "", body: str = "", ld: object = None) -> str:
    """A news page with ``head`` markup, JSON-LD ``ld`` and ``body`` above the story."""
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>' if ld else ""
    return (
        f"<html lang='en'><head><title>Harbour reopens | Portmere Post</title>{head}{script}"
        f"</head><body><article><h1>Harbour reopens</h1>{body}{STORY}</article></body></html>"
    )


def read(html: str, url: str | None = URL) -> Metadata:
    tree = parse_html(html)
    assert tree is not None
    return read_metadata(tree, url)


def news(**fields: object) -> dict[str, object]:
    return {"@context": "https://schema.org", "@type": "NewsArticle", **fields}


# --- authors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ("Maria Lindqvist", "Maria Lindqvist"),
        ({"@type": "Person", "name": "Maria Lindqvist"}, "Maria Lindqvist"),
        (
            [{"@type": "Person", "name": "Maria Lindqvist"}, "Tomas Brandt"],
            "Maria Lindqvist; Tomas Brandt",
        ),
    ],
    ids=["plain string", "object", "list"],
)
def test_a_json_ld_author_is_read_in_every_form(author: object, expected: str) -> None:
    assert read(page(ld=news(headline="Harbour reopens", author=author))).author == expected


def test_a_json_ld_author_given_by_reference_is_looked_up_in_the_graph() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            news(author={"@id": "https://news.example.org/#/person/ml"}),
            {"@type": "Person", "@id": "https://news.example.org/#/person/ml", "name": "M. Lind"},
        ],
    }
    assert read(page(ld=graph)).author == "M. Lind"


def test_json_ld_with_raw_line_breaks_in_its_strings_is_still_read() -> None:
    broken = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": "Ola Berg", '
        '"description": "Two lines\nin one string"}</script>'
    )
    assert read(page(head=broken)).author == "Ola Berg"


@pytest.mark.parametrize(
    "markup",
    [
        '<p class="meta"><span class="author">Maria Lindqvist</span> <time>May 6</time></p>',
        '<p>Posted by <a rel="author" href="/people/ml">Maria Lindqvist</a></p>',
        '<div itemprop="author" itemscope itemtype="https://schema.org/Person">'
        '<img itemprop="image" src="/ml.jpg" alt=""><span itemprop="name">Maria Lindqvist</span>'
        '<span itemprop="jobTitle">Harbour reporter</span></div>',
        '<div class="byline"><span class="byline__author-name">Maria Lindqvist</span>'
        '<p class="byline__role">Harbour reporter @mlindqvist</p></div>',
        '<p class="Story-Meta"><span class="Story-AUTHOR">Maria Lindqvist</span></p>',
    ],
    ids=["span class author", "rel author", "itemprop author", "nested byline", "upper case"],
)
def test_an_author_marked_up_in_the_page_is_found(markup: str) -> None:
    assert read(page(body=markup)).author == "Maria Lindqvist"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By TOMAS BRANDT, Harbour Wire", "TOMAS BRANDT, Harbour Wire"),
        ("By Maria Lindqvist and Tomas Brandt", "Maria Lindqvist and Tomas Brandt"),
        ("By Maria LindqvistMay 6, 2024", "Maria Lindqvist"),
        ("by Maria Lindqvist on Monday, May 6th, 2024 at 9:04 a.m.", "Maria Lindqvist"),
    ],
)
def test_a_printed_byline_above_the_story_gives_the_names(line: str, expected: str) -> None:
    assert read(page(body=f"<p class='dek'>{line}</p>")).author == expected


def test_a_byline_spread_over_several_elements_is_read_as_one_line() -> None:
    line = "<p class='dek'> <span> </span><b>B</b>y\n <a href='/p/ml'>Maria Lindqvist</a>, Wire</p>"
    assert read(page(body=line)).author == "Maria Lindqvist, Wire"


def test_a_section_that_opens_with_a_byline_gives_the_byline_not_the_section() -> None:
    html = page(body="<div class='story'><p>By Maria Lindqvist</p>")
    assert read(html.replace("</article>", "</div></article>")).author == "Maria Lindqvist"


def test_a_byline_printed_after_the_story_is_another_story_s() -> None:
    html = page().replace("</article>", "</article><p>By Someone Else, Other Wire</p>")
    assert read(html).author is None


def test_names_in_comments_and_lists_of_other_stories_are_not_the_author() -> None:
    elsewhere = (
        '<ol class="comment-list"><li><span class="author">Reader One</span> said</li></ol>'
        '<aside><p class="author">Columnist Two</p></aside>'
        '<ul class="related-stories"><li><span class="author">Writer Three</span></li></ul>'
    )
    assert read(page(body=elsewhere)).author is None


@pytest.mark.parametrize(
    "junk",
    [
        "https://www.facebook.com/portmerepost",
        "www.facebook.com",
        "portmerepost.example",
        "Staff",
        "admin",
        "desk@portmere.example",
        "the harbour reopened on monday",
        "Maria Lindqvist has covered the harbour of Portmere for the town's paper since the "
        "nineteen-nineties; before that she wrote about the fishing fleet, the ferries to the "
        "islands and the long argument over the sea wall that the storm finally settled.",
    ],
    ids=["address", "domain", "bare domain", "staff", "admin", "e-mail", "sentence", "long"],
)
def test_junk_is_never_an_author(junk: str) -> None:
    head = f'<meta name="author" content="{junk}">'
    assert read(page(head=head, ld=news(author=junk))).author is None
    assert clean_author(junk) is None


def test_an_e_mail_beside_the_name_is_dropped() -> None:
    assert clean_author("Ola Berg (ola@portmere.example)") == "Ola Berg"


def test_a_person_in_the_markup_beats_the_site_crediting_itself() -> None:
    ld = news(
        author={"@type": "Organization", "name": "Portmere Post"},
        publisher={"@type": "Organization", "name": "Portmere Post"},
    )
    byline = '<span class="author-name">Maria Lindqvist</span>'
    assert read(page(body=byline, ld=ld)).author == "Maria Lindqvist"
    # With no person named anywhere, the organisation's credit is better than nothing.
    assert read(page(ld=ld)).author == "Portmere Post"


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize("placeholder", ["0001-01-01T00:00:00Z", "2999-01-01T08:00:00Z"])
def test_a_placeholder_or_future_date_is_no_date(placeholder: str) -> None:
    head = f'<meta property="article:published_time" content="{placeholder}">'
    found = read(page(head=head, ld=news(datePublished=placeholder)), url=None).date
    assert found is None or "1995-01-01" <= found <= datetime.now(UTC).date().isoformat()


def test_a_declared_date_is_read() -> None:
    head = '<meta property="article:published_time" content="2024-05-06T08:00:00+02:00">'
    assert read(page(head=head)).date == "2024-05-06"


# --- the top image ----------------------------------------------------------------------------


def test_the_declared_image_is_made_absolute_against_the_page() -> None:
    head = '<meta property="og:image" content="../img/harbour.jpg">'
    assert read(page(head=head)).image == "https://news.example.org/2024/05/img/harbour.jpg"
    head = '<meta name="twitter:image" content="//cdn.example.net/harbour.jpg">'
    assert read(page(head=head)).image == "https://cdn.example.net/harbour.jpg"


def test_the_page_s_base_is_what_relative_images_are_relative_to() -> None:
    head = '<base href="https://static.example.net/a/"><meta property="og:image" content="h.jpg">'
    assert read(page(head=head)).image == "https://static.example.net/a/h.jpg"


def test_the_image_s_alternative_text_comes_with_it() -> None:
    head = (
        '<meta property="og:image" content="https://cdn.example.net/harbour.jpg">'
        '<meta property="og:image:alt" content="Boats back at the quay">'
    )
    found = read(page(head=head))
    assert (found.image, found.image_alt) == (
        "https://cdn.example.net/harbour.jpg",
        "Boats back at the quay",
    )


@pytest.mark.parametrize(
    "hostile",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:image/png;base64,iVBORw0KGgo=",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "https://user:secret@cdn.example.net/h.jpg",
        'https://cdn.example.net/h.jpg" onerror="alert(1)',
        "https://cdn.example.net/h.jpg\nhttps://evil.example/",
        "https://[::1/h.jpg",
    ],
)
def test_a_hostile_image_address_is_refused_and_the_next_one_taken(hostile: str) -> None:
    ld = news(image={"@type": "ImageObject", "url": "https://cdn.example.net/harbour.jpg"})
    head = f'<meta property="og:image" content="{hostile.replace(chr(34), "&quot;")}">'
    assert read(page(head=head, ld=ld)).image == "https://cdn.example.net/harbour.jpg"
    assert web_address(hostile, URL) is None


def test_logos_and_tracking_pixels_are_not_the_story_s_picture() -> None:
    head = (
        '<meta property="og:image" content="https://news.example.org/img/portmere_fb_logo.png">'
        '<meta name="twitter:image" content="https://news.example.org/img/opengraph_default.png">'
    )
    body = (
        '<img src="https://pixel.example.com/t.gif" width="1" height="1">'
        '<figure><img src="/media/quay.jpg" alt="The quay at dawn"></figure>'
    )
    found = read(page(head=head, body=body))
    assert (found.image, found.image_alt) == (
        "https://news.example.org/media/quay.jpg",
        "The quay at dawn",
    )


def test_a_lazy_picture_s_real_address_is_taken_not_its_placeholder() -> None:
    body = '<img src="data:image/gif;base64,R0lGOD" data-src="/media/quay.jpg" width="800">'
    assert read(page(body=body)).image == "https://news.example.org/media/quay.jpg"


def test_a_picture_linking_to_another_story_is_a_teaser_not_the_story_s() -> None:
    body = (
        '<div class="breaking"><a href="/2024/05/other-story.html">'
        '<img src="/media/other.jpg" width="640"></a></div>'
        '<figure><a href="/media/quay-large.jpg"><img src="/media/quay.jpg"></a></figure>'
    )
    assert read(page(body=body)).image == "https://news.example.org/media/quay.jpg"


def test_a_picture_in_the_menu_or_sidebar_is_not_the_story_s() -> None:
    html = page().replace(
        "<body>",
        '<body><header><img src="/masthead.jpg" width="900"></header>'
        '<div class="sidebar"><img src="/ad.jpg" width="600"></div>',
    )
    assert read(html).image is None


# --- description, tags, categories, videos ----------------------------------------------------


def test_description_tags_and_categories_are_the_publisher_s() -> None:
    head = (
        '<meta name="description" content="The harbour reopened after repairs.">'
        '<meta property="article:tag" content="Harbours">'
        '<meta property="article:tag" content="Storms, Repairs">'
        '<meta name="keywords" content="harbours, Portmere">'
        '<meta property="article:section" content="Local">'
    )
    ld = news(keywords=["Ferries"], articleSection=["Local", "Transport"])
    found = read(page(head=head, ld=ld))
    assert found.description == "The harbour reopened after repairs."
    assert found.tags == ("Harbours", "Storms", "Repairs", "Portmere", "Ferries")
    assert found.categories == ("Local", "Transport")


def test_video_links_come_from_every_place_a_page_puts_them() -> None:
    head = '<meta property="og:video" content="https://video.example.net/harbour.mp4">'
    ld = news(video={"@type": "VideoObject", "embedUrl": "https://player.example.net/e/42"})
    body = (
        '<video src="/media/quay.webm"></video>'
        '<video><source src="/media/quay-2.mp4" type="video/mp4"></video>'
        '<picture><source srcset="/media/x.webp"></picture>'
        '<iframe src="https://www.youtube-nocookie.com/embed/abc123"></iframe>'
        '<iframe src="https://player.vimeo.com/video/987"></iframe>'
        '<iframe src="https://ads.example.com/frame"></iframe>'
        '<video src="javascript:alert(1)"></video>'
    )
    assert read(page(head=head, body=body, ld=ld)).videos == (
        "https://video.example.net/harbour.mp4",
        "https://player.example.net/e/42",
        "https://news.example.org/media/quay.webm",
        "https://news.example.org/media/quay-2.mp4",
        "https://www.youtube-nocookie.com/embed/abc123",
        "https://player.vimeo.com/video/987",
    )


def test_a_page_without_any_of_it_gives_none_of_it() -> None:
    found = read(page(), url=None)
    assert (found.author, found.image, found.description) == (None, None, None)
    assert (found.tags, found.categories, found.videos) == ((), (), ())


def test_the_article_json_carries_the_new_fields() -> None:
    article = Article(
        text="The harbour reopened.",
        image="https://cdn.example.net/harbour.jpg",
        image_alt="Boats back at the quay",
        description="After repairs.",
        tags=("Harbours",),
        categories=("Local",),
        videos=("https://video.example.net/harbour.mp4",),
    )
    found = article_to_dict(article)
    assert found["image"] == "https://cdn.example.net/harbour.jpg"
    assert found["image_alt"] == "Boats back at the quay"
    assert found["description"] == "After repairs."
    assert (found["tags"], found["categories"]) == (["Harbours"], ["Local"])
    assert found["videos"] == ["https://video.example.net/harbour.mp4"]
    assert article_to_dict(Article(text="x"))["tags"] == []


def test_extracting_a_page_still_gives_its_author_and_date() -> None:
    head = '<meta property="article:published_time" content="2024-05-06T08:00:00Z">'
    html = page(head=head, body='<p class="byline">By Maria Lindqvist, Harbour Wire</p>')
    article = extract(Document(html, "html", URL, URL))
    assert (article.author, article.date) == ("Maria Lindqvist, Harbour Wire", "2024-05-06")


# --- stored and shown -------------------------------------------------------------------------

PICTURED = Article(
    text="The harbour of Portmere reopened on Monday. Boats returned before noon.",
    title="Harbour reopens",
    url="https://news.example.org/harbour",
    language="en",
    image="https://cdn.example.net/harbour.jpg?w=1200&h=630",
    image_alt="Boats back at the quay",
    description="The harbour reopened after repairs.",
    tags=("Harbours", "Storms"),
    categories=("Local",),
    videos=("https://player.vimeo.com/video/987",),
)


def test_the_new_fields_survive_the_store(store: Store) -> None:  # noqa: F811
    stored, created = store.add_article(PICTURED)
    assert created
    again = store.get_article(stored.id)
    assert again is not None and again.article == PICTURED
    plain, _ = store.add_article(Article(text="Nothing but text here.", url="https://x.example/"))
    assert store.get_article(plain.id).article.tags == ()  # type: ignore[union-attr]


def test_a_stored_list_that_is_not_one_reads_as_none(store: Store, raw: Engine) -> None:  # noqa: F811
    stored, _ = store.add_article(PICTURED)
    with raw.begin() as conn:
        conn.execute(text("UPDATE articles SET tags = '{\"a\": 1}', videos = 'not json'"))
    again = store.get_article(stored.id)
    assert again is not None
    assert (again.article.tags, again.article.videos) == ((), ())
    assert again.article.categories == ("Local",)


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, int]]]:
    database = tmp_path_factory.mktemp("metadata") / "inbrief.db"
    with Store.open(str(database)) as opened:
        pictured, _ = opened.add_article(PICTURED)
        plain_http, _ = opened.add_article(
            Article(
                text="A second story without a secure picture. It has two sentences.",
                title="Second story",
                language="en",
                image="http://insecure.example.net/picture.jpg",
            )
        )
        with running(create_app(opened, Settings())) as url:
            yield url, {"pictured": pictured.id, "plain": plain_http.id}


def test_the_article_page_shows_the_image_from_its_original_address(
    reader: tuple[str, dict[str, int]],
) -> None:
    url, ids = reader
    response = httpx.get(f"{url}/articles/{ids['pictured']}", timeout=60)
    root = lxml.html.fromstring(response.text)
    (img,) = root.xpath("//article//img")
    assert img.get("src") == PICTURED.image  # the publisher's own address, not proxied
    assert img.get("alt") == "Boats back at the quay"
    assert img.get("loading") == "lazy"
    assert "img-src 'self' data: https:;" in response.headers["content-security-policy"]


def test_an_image_the_page_policy_would_block_is_not_shown(
    reader: tuple[str, dict[str, int]],
) -> None:
    url, ids = reader
    response = httpx.get(f"{url}/articles/{ids['plain']}", timeout=60)
    assert lxml.html.fromstring(response.text).xpath("//article//img") == []


def test_only_the_article_page_may_show_pictures_from_elsewhere(
    reader: tuple[str, dict[str, int]],
) -> None:
    url, _ = reader
    policy = httpx.get(f"{url}/", timeout=60).headers["content-security-policy"]
    assert "img-src 'self' data:;" in policy
    assert "https:" not in policy


def test_a_missing_article_s_page_keeps_the_strict_policy(
    reader: tuple[str, dict[str, int]],
) -> None:
    url, _ = reader
    response = httpx.get(f"{url}/articles/987654", timeout=60)
    assert response.status_code == 404
    assert "https:" not in response.headers["content-security-policy"]
