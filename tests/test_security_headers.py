"""Security headers on every kind of answer the reader gives, from a real server on 127.0.0.1.

Pages, their error pages, the API and its problems, static files, the widget, CORS
preflights, the summary fast lane and the 500 answer (made outside the middleware stack) all
carry a strict Content-Security-Policy and the usual companions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

import httpx
import pytest
from fastapi import FastAPI

from inbrief.ingest import add_article, demo_articles
from inbrief.service import Settings, create_app
from inbrief.service.server import running
from inbrief.store import Store, StoredArticle

PUBLISHER = "http://publisher.test"
BODY_CAP = 4096
EXPECTED = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
}
# Features no page of the reader uses, all switched off.
DISABLED_FEATURES = {"camera", "microphone", "geolocation", "payment", "usb"}


@dataclass(frozen=True)
class Reader:
    url: str
    article: StoredArticle


def _failing_routes(app: FastAPI) -> None:
    """Routes that raise a plain bug, to see the 500 answer's headers."""

    @app.get("/boom", include_in_schema=False)
    def boom() -> None:
        raise RuntimeError("a bug")

    @app.get("/api/boom", include_in_schema=False)
    def api_boom() -> None:
        raise RuntimeError("a bug")


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reader]:
    database = tmp_path_factory.mktemp("headers") / "inbrief.db"
    with Store.open(str(database)) as store:
        stored = [add_article(store, a).article for a in islice(demo_articles(), 3)]
        settings = Settings(cors_origins=(PUBLISHER,), max_body_bytes=BODY_CAP)
        app = create_app(store, settings)
        _failing_routes(app)
        with running(app) as url:
            yield Reader(url, stored[0])


@pytest.fixture
def web(reader: Reader) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=reader.url, timeout=60) as client:
        yield client


def policy(response: httpx.Response) -> dict[str, list[str]]:
    """The response's Content-Security-Policy as directive -> sources."""
    header = response.headers.get("content-security-policy")
    assert header, f"{response.request.url} has no Content-Security-Policy"
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *sources = part.split()
        assert name not in directives, f"{name} given twice"
        directives[name] = sources
    return directives


def assert_common_headers(response: httpx.Response) -> None:
    where = f"{response.request.method} {response.request.url} ({response.status_code})"
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, f"{where}: {name}"
    features = dict(
        item.strip().split("=", 1) for item in response.headers["permissions-policy"].split(",")
    )
    assert all(features.get(f) == "()" for f in DISABLED_FEATURES), where
    assert "strict-transport-security" not in response.headers, where  # plain HTTP
    directives = policy(response)
    assert directives["default-src"] == ["'none'"], where
    assert directives["frame-ancestors"] == ["'none'"], where
    assert directives["base-uri"] == ["'none'"], where


def assert_page_policy(response: httpx.Response, *, trusted_types: bool = True) -> None:
    """A page may load scripts, styles and data from the reader only, never inline code."""
    assert response.headers["content-type"].startswith("text/html")
    assert_common_headers(response)
    directives = policy(response)
    for name in ("script-src", "style-src", "connect-src", "form-action"):
        assert directives[name] == ["'self'"], (response.request.url, name)
    # An article's page may show the story's top image from the publisher's https address.
    article = "/articles/" in str(response.request.url) and response.status_code == 200
    images = ["'self'", "data:", "https:"] if article else ["'self'", "data:"]
    assert directives["img-src"] == images
    every_source = {source for sources in directives.values() for source in sources}
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "http:"} & every_source
    assert "https:" not in every_source - set(directives["img-src"])
    assert ("require-trusted-types-for" in directives) is trusted_types
    assert response.headers["cross-origin-resource-policy"] == "same-origin"


def assert_resource_policy(response: httpx.Response) -> None:
    """A response that is never a document: nothing at all may load in it."""
    assert not response.headers["content-type"].startswith("text/html")
    assert_common_headers(response)
    assert set(policy(response)) == {"default-src", "base-uri", "form-action", "frame-ancestors"}


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/?page=2", 200),
        ("/search?q=the", 200),
        ("/search", 200),
        ("/feeds", 200),
        ("/articles/{id}", 200),
        ("/articles/{id}?summary=bullets&at=bottom", 200),
        ("/articles/987654", 404),
        ("/articles/first", 422),
        ("/no/such/page", 404),
        ("/static/missing.css", 404),
        ("/?page=0", 422),
        ("/boom", 500),
    ],
)
def test_every_page_and_error_page_has_the_strict_policy(
    reader: Reader, web: httpx.Client, path: str, status: int
) -> None:
    response = web.get(path.format(id=reader.article.id))
    assert response.status_code == status
    assert_page_policy(response)


def test_a_page_refused_for_its_method_has_the_policy(web: httpx.Client) -> None:
    response = web.delete("/feeds")
    assert response.status_code == 405
    assert_page_policy(response)


def test_the_api_docs_page_is_strict_without_trusted_types(web: httpx.Client) -> None:
    # Swagger UI writes innerHTML, so /docs cannot require Trusted Types; nothing else relaxes.
    response = web.get("/docs")
    assert response.status_code == 200
    assert_page_policy(response, trusted_types=False)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/articles", 200),
        ("GET", "/api/articles/{id}", 200),
        ("GET", "/api/feeds", 200),
        ("GET", "/openapi.json", 200),
        ("GET", "/api/articles/987654", 404),
        ("GET", "/api/articles/first", 422),
        ("PUT", "/api/articles", 405),
        ("GET", "/api/boom", 500),
        ("GET", "/static/reader.js", 200),
        ("GET", "/static/reader.css", 200),
        ("GET", "/docs-assets/swagger-ui-bundle.js", 200),
    ],
)
def test_every_api_answer_and_static_file_has_the_resource_policy(
    reader: Reader, web: httpx.Client, method: str, path: str, status: int
) -> None:
    response = web.request(method, path.format(id=reader.article.id))
    assert response.status_code == status
    assert_resource_policy(response)


def test_summaries_from_the_store_and_from_memory_both_have_the_headers(
    reader: Reader, web: httpx.Client
) -> None:
    path = f"/api/articles/{reader.article.id}/summary?words=45"
    first, again = web.get(path), web.get(path)  # the second is the fast lane's answer
    assert first.content == again.content
    for response in (first, again):
        assert_resource_policy(response)
        assert response.headers["cross-origin-resource-policy"] == "same-origin"


def test_answers_made_before_the_app_runs_have_the_headers(web: httpx.Client) -> None:
    too_large = web.post("/api/summarize", json={"text": "word " * BODY_CAP})
    not_json = web.post("/api/summarize", content=b"x", headers={"content-type": "text/plain"})
    preflight = web.options(
        "/api/summarize",
        headers={"Origin": PUBLISHER, "Access-Control-Request-Method": "POST"},
    )
    assert (too_large.status_code, not_json.status_code, preflight.status_code) == (413, 415, 200)
    for response in (too_large, not_json, preflight):
        assert_common_headers(response)


def test_the_widget_may_be_loaded_by_any_site(web: httpx.Client) -> None:
    response = web.get("/widget.js", headers={"Origin": "https://news.example"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    # A plain <script src> (no-cors) needs CORP cross-origin; one pinned with Subresource
    # Integrity (crossorigin="anonymous", a CORS request) needs Access-Control-Allow-Origin.
    assert response.headers["cross-origin-resource-policy"] == "cross-origin"
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    assert_common_headers(response)


def test_hsts_is_sent_only_over_https(web: httpx.Client) -> None:
    # uvicorn trusts X-Forwarded-Proto from 127.0.0.1, as from a TLS proxy on the same host.
    over_tls = web.get("/", headers={"X-Forwarded-Proto": "https"})
    assert over_tls.headers["strict-transport-security"] == "max-age=31536000"
    api_over_tls = web.get("/api/articles", headers={"X-Forwarded-Proto": "https"})
    assert api_over_tls.headers["strict-transport-security"] == "max-age=31536000"
    assert "strict-transport-security" not in web.get("/").headers


def test_an_error_answer_shows_no_traceback(reader: Reader) -> None:
    # One connection each: uvicorn closes a connection after a request that raised.
    page, problem = httpx.get(reader.url + "/boom"), httpx.get(reader.url + "/api/boom")
    assert "RuntimeError" in page.text and "Traceback" not in page.text
    assert problem.json()["detail"] == "internal error (RuntimeError); please report it"
