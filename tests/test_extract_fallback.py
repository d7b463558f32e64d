"""Pages whose article is a list, a table or a live blog's short entries: their lines hold no
sentence and look like furniture, yet they are the article, and extraction returns them.

The pages are made up here, laid out the way sports and results pages are.
"""

from __future__ import annotations

import pytest

from inbrief.errors import ExtractError
from inbrief.extract import clean_paragraphs, extract
from inbrief.extract.html import article_from, read_page
from inbrief.models import Document

TEAMS = [
    "Ashford Rovers",
    "Brookside United",
    "Castleton Town",
    "Dunmore Athletic",
    "Elmwood City",
    "Fairhaven Wanderers",
    "Glenbrook FC",
    "Highfield Albion",
]
MONTHS = ["August", "September", "October", "November"]


def fixture(n: int) -> tuple[str, str, str]:
    """The date and the two sides of the ``n``-th match of a made-up season."""
    return f"{n % 28 + 1} {MONTHS[n // 7 % 4]}", TEAMS[n % 8], TEAMS[(n * 3 + 1) % 8]


def page(article: str, title: str = "Valley League: the 2025 season") -> str:
    return (
        f'<html lang="en"><head><title>{title} | Valley Sports</title></head><body>'
        '<header><nav><a href="/">Home</a> <a href="/football">Football</a> '
        '<a href="/rugby">Rugby</a> <a href="/cricket">Cricket</a></nav></header>'
        f"<main><article><h1>{title}</h1>{article}</article></main>"
        "<footer><p>About us</p><p>Contact</p><p>Privacy</p></footer></body></html>"
    )


def calendar_list() -> str:
    items = []
    for n in range(24):
        date, home, away = fixture(n)
        items.append(f"<li>Sat {date}: {home} v {away}, 15:00</li>")
    return page(f"<ul>{''.join(items)}</ul>")


def results_table() -> str:
    rows = ["<tr><th>Date</th><th>Home</th><th>Away</th><th>Score</th></tr>"]
    for n in range(24):
        date, home, away = fixture(n)
        rows.append(
            f"<tr><td>{date}</td><td>{home}</td><td>{away}</td><td>{n % 4}-{n % 3}</td></tr>"
        )
    return page(f"<table>{''.join(rows)}</table>")


LIVE_ENTRIES = [
    "Kick-off at the Riverside ground",
    "Early chance for Ashford from a corner",
    "Yellow card for the visitors' captain",
    "GOAL! Castleton lead through a header",
    "Half-time at the Riverside: 1-0",
    "Second half under way in the rain",
    "Substitution for Brookside on the hour",
    "Penalty appeal waved away by the referee",
    "GOAL! Brookside level it up late on",
    "Full-time at the Riverside: 1-1",
]


def live_blog() -> str:
    entries = "".join(
        f"<div class='entry'><time>{14 + n // 4}:{n * 9 % 60:02d}</time><p>{text}</p></div>"
        for n, text in enumerate(LIVE_ENTRIES)
    )
    return page(entries, "Live: Castleton v Brookside")


def document(html: str) -> Document:
    return Document(html, "html", "https://sports.example/valley", "https://sports.example/valley")


@pytest.mark.parametrize("build", [calendar_list, results_table, live_blog])
def test_a_page_whose_article_is_a_list_returns_the_list(build):
    article = extract(document(build()))

    assert "Castleton" in article.text
    assert "Home About" not in article.text


def test_a_calendar_of_fixtures_comes_back_line_by_line():
    article = extract(document(calendar_list()))

    lines = article.text.split("\n\n")
    assert lines[0] == "Sat 1 August: Ashford Rovers v Brookside United, 15:00"
    assert len(lines) == 24


def test_a_results_table_keeps_its_dates_and_scores():
    article = extract(document(results_table()))

    assert "1 August | Ashford Rovers | Brookside United | 0-0" in article.text.split("\n\n")


def test_the_entries_of_a_live_blog_are_its_article():
    article = extract(document(live_blog()))

    for entry in LIVE_ENTRIES:
        assert entry in article.text


def test_a_list_of_headlines_the_clean_up_drops_falls_back_to_what_the_extractors_found():
    # Every line starts like a teaser label ("Related:") and the clean-up drops each one;
    # with nothing left, the extractors' agreed text is the article, and the gate judges it.
    items = "".join(
        f"<li>Related: {home} sign a new striker before the {date} deadline</li>"
        for date, home, _ in map(fixture, range(12))
    )
    html = page(f"<ul>{items}</ul>", "Transfer deadline: every signing")
    page_read = read_page(document(html))

    article = article_from(document(html), page_read)

    # The clean-up alone keeps only the heading.
    assert clean_paragraphs(page_read.main, "en") == ["Transfer deadline: every signing"]
    assert article.text.count("sign a new striker") == 12


def test_the_fallback_is_taken_only_when_the_clean_up_leaves_almost_nothing():
    # One teaser label among fixtures: the clean-up keeps the fixtures, and drops the label.
    _, home, away = fixture(3)
    html = calendar_list().replace("<ul>", f"<ul><li>Read more</li><li>{home} v {away}</li>")

    article = extract(document(html))

    assert "Read more" not in article.text
    assert f"{home} v {away}" in article.text


def test_a_menu_is_still_not_an_article():
    menu = "".join(f"<li><a href='/{n}'>Section {n}</a></li>" for n in range(30))
    html = f"<html><body><nav><ul>{menu}</ul></nav></body></html>"

    with pytest.raises(ExtractError, match="no article text found"):
        extract(document(html))
