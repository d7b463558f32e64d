"""Written summaries through the REST API, from a real language model on 127.0.0.1.

The model is SmolLM2-135M behind llama.cpp's OpenAI-compatible server (the ``llm_url`` and
``llm_model`` fixtures start ``scripts/test-llm-server.sh``).  Between the reader and it sits
:class:`ModelProxy`, a real HTTP proxy on 127.0.0.1 that forwards every request as it is and
counts them, and can hold them for a while: that is how these tests see how many times the
model was asked, and make a model as slow as a big one on a CPU.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from conftest import LocalServer

from inbrief import summarizers
from inbrief.cache import summary_key
from inbrief.ingest import DEFAULT_BUDGETS, background_writer
from inbrief.models import Article, Budget
from inbrief.service import Settings, create_app
from inbrief.service.server import running
from inbrief.service.settings import Rate
from inbrief.store import Store, StoredArticle
from inbrief.summarizers.llm import LLM, LLMSettings
from inbrief.summarizers.llm.prompt import PROMPT_VERSION
from inbrief.text import split_sentences

# Short articles: a small model on a CPU writes one sentence of them in a few seconds.
SHORT = {
    "bridge": (
        "The old bridge in Tarvik will close on Monday. Engineers found deep cracks in its "
        "pillars. A new bridge will open next year."
    ),
    "school": (
        "Pupils at Greenhill school planted 300 trees on Friday. The trees will shade the "
        "playground in summer. Parents helped dig the holes."
    ),
    "bakery": (
        "A bakery in Holm won the national bread prize on Sunday. Its rye loaf beat 200 other "
        "entries. The owner, Mia Dahl, has baked for 30 years."
    ),
    "ferry": (
        "The harbour town of Kelmouth opened its new ferry terminal on Saturday. The terminal "
        "cost 38 million pounds. The first ferry left for the island of Skarra with 140 "
        "passengers."
    ),
}
# Longer ones, for the check alone.
LIBRARY = "\n\n".join(
    (
        (
            "The public library of Dunmere will stay open until ten at night from next month, the "
            "council said on Tuesday."
        ),
        (
            "The longer hours follow a petition signed by 3,400 students who said they had "
            "nowhere quiet to study."
        ),
        "The council will pay for two extra librarians from its culture budget.",
        (
            "Reading rooms on the first floor will also get 80 new desks with lamps and power "
            "sockets."
        ),
        (
            "The library's director, Tomas Brecker, said evening visits had doubled since the "
            "spring."
        ),
        "Some residents asked whether the building's heating could cope with the longer hours.",
    )
)

FLOOD = "\n\n".join(
    (
        (
            "Heavy rain flooded the lower streets of Arnsby on Wednesday night after the river "
            "Tell burst its banks."
        ),
        "About 120 homes were evacuated and families spent the night in the town's sports hall.",
        (
            "Firefighters used boats to reach an elderly couple trapped on the upper floor of "
            "their house."
        ),
        (
            "The river rose by almost two metres in six hours, the highest level recorded since "
            "1998."
        ),
        (
            "The water had fallen by Thursday afternoon, but the main bridge stayed closed for "
            "safety checks."
        ),
        (
            "The regional government promised emergency grants of up to 5,000 euros for each "
            "damaged home."
        ),
    )
)

ARTICLES = {**SHORT, "library": LIBRARY, "flood": FLOOD}
WRITTEN = {"method": "llm", "sentences": 1}
TWO = {"method": "llm", "sentences": 2}  # more than the small model writes: a fallback, cached
NO_MODEL = "no language model is configured on this server"


class ModelProxy:
    """A real HTTP proxy on 127.0.0.1 in front of the model server: it forwards each request
    unchanged; ``calls`` counts the answers the model wrote (a request the server refuses,
    such as an answer format it does not take, writes none); :meth:`hold` keeps requests
    waiting until :meth:`release`.

    Made with ``listening=False`` its port is bound but refuses connections, like a model
    server that is down, until :meth:`start`.
    """

    def __init__(self, upstream: str, *, listening: bool = True) -> None:
        parts = urlsplit(upstream)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.calls = 0
        self.arrived = threading.Semaphore(0)
        self.lock = threading.Lock()
        self.open = threading.Event()
        self.open.set()
        self._server = _ProxyServer(("127.0.0.1", 0), _ProxyHandler, bind_and_activate=False)
        self._server.proxy = self
        self._server.server_bind()
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}{parts.path}"
        self._thread: threading.Thread | None = None
        if listening:
            self.start()

    def start(self) -> None:
        self._server.server_activate()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def hold(self) -> None:
        """Keep requests waiting from now on; :meth:`wait_for_a_call` sees those that arrive."""
        with self.lock:
            self.arrived = threading.Semaphore(0)
        self.open.clear()

    def release(self) -> None:
        self.open.set()

    def wait_for_a_call(self, timeout: float = 60) -> None:
        """Return once a request has reached the proxy (each request is waited for once)."""
        assert self.arrived.acquire(timeout=timeout), "no request reached the model"

    def close(self) -> None:
        self.release()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=10)
        self._server.server_close()


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    proxy: ModelProxy


class _ProxyHandler(BaseHTTPRequestHandler):
    server: _ProxyServer

    def do_POST(self) -> None:
        proxy = self.server.proxy
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with proxy.lock:
            proxy.arrived.release()
        proxy.open.wait(timeout=300)
        headers = {"Content-Type": self.headers.get("Content-Type") or "application/json"}
        answer = httpx.post(proxy.origin + self.path, content=body, headers=headers, timeout=300)
        if answer.status_code == 200:
            with proxy.lock:
                proxy.calls += 1
        self.send_response(answer.status_code)
        self.send_header("Content-Type", answer.headers.get("content-type", "application/json"))
        self.send_header("Content-Length", str(len(answer.content)))
        self.end_headers()
        self.wfile.write(answer.content)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def reader_over(store: Store, settings: Settings) -> Iterator[str]:
    """A reader of ``store`` with ``settings`` on 127.0.0.1.  An app configures the one model
    of its process: the ``llm`` method gets the settings it had back after."""
    method = summarizers.get("llm")
    assert isinstance(method, LLM)
    before = method.settings
    try:
        with running(create_app(store, settings)) as url:
            yield url
    finally:
        method.configure(before)


def model_settings(url: str, model: str, **limits: int) -> Settings:
    """Settings of a reader whose language model is ``model`` at ``url``."""
    llm = LLMSettings(urls=(url,), model=model, **limits)  # type: ignore[arg-type]
    return Settings(llm=llm, summarize_rate=Rate(1000, 60))


def store_articles(store: Store, *names: str) -> dict[str, StoredArticle]:
    return {
        name: store.add_article(Article(text=ARTICLES[name], language="en"))[0] for name in names
    }


@dataclass(frozen=True)
class Reader:
    url: str
    store: Store
    model: ModelProxy
    articles: dict[str, StoredArticle]

    def summary(self, name: str, **options: Any) -> httpx.Response:
        stored = self.articles[name]
        return httpx.get(
            f"{self.url}/api/articles/{stored.id}/summary", params=options, timeout=300
        )


@pytest.fixture(scope="module")
def model(llm_url: str) -> Iterator[ModelProxy]:
    proxy = ModelProxy(llm_url)
    yield proxy
    proxy.close()


@pytest.fixture(scope="module")
def reader(
    model: ModelProxy, llm_model: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Reader]:
    with Store.open(str(tmp_path_factory.mktemp("llm-api") / "inbrief.db")) as store:
        articles = store_articles(store, *SHORT)
        with reader_over(store, model_settings(model.url, llm_model)) as url:
            yield Reader(url, store, model, articles)


def refused_port() -> int:
    """A port on 127.0.0.1 nothing listens on (bound by the OS, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def assert_problem(response: httpx.Response, status: int, needle: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status and needle in problem["detail"], problem
    return problem


# --- a written summary ------------------------------------------------------------------------


def test_a_written_summary_names_its_model_and_checks_each_sentence(
    reader: Reader, llm_model: str
) -> None:
    response = reader.summary("bridge", **WRITTEN)
    assert response.status_code == 200, response.text
    summary = response.json()
    assert summary["fallback"] is None
    assert summary["stats"]["method"] == "llm"
    written = summary["written"]
    assert written["model"] == llm_model
    assert written["prompt_version"] == PROMPT_VERSION
    assert written["sentences_seen"] == written["sentences_total"] == 3
    assert written["saw_selection"] is False
    assert written["removed"] == len(written["removed_sentences"])
    assert summary["summary"] == [s["text"] for s in summary["sentences"]]
    for sentence in summary["sentences"]:
        assert set(sentence) == {"text", "supported", "support", "cited", "problems"}
        assert sentence["supported"] is True and sentence["problems"] == []
        assert sentence["support"], sentence
    for sentence in written["removed_sentences"]:
        assert sentence["supported"] is False and sentence["problems"], sentence


def test_support_offsets_slice_the_article_text(reader: Reader) -> None:
    text = SHORT["bridge"]
    summary = reader.summary("bridge", **WRITTEN).json()
    article_sentences = split_sentences(text, "en")
    checked = summary["sentences"] + summary["written"]["removed_sentences"]
    supports = [support for sentence in checked for support in sentence["support"]]
    assert supports
    for support in supports:
        assert text[support["start"] : support["end"]] == support["text"]
        assert article_sentences[support["index"]].text == support["text"]


def test_the_second_request_is_served_from_the_cache(reader: Reader) -> None:
    first = reader.summary("ferry", **WRITTEN)
    assert first.json()["written"] is not None
    asked = reader.model.calls
    again = reader.summary("ferry", **WRITTEN)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert reader.model.calls == asked
    key = summary_key(reader.articles["ferry"], Budget("sentences", 1), "llm")
    assert json.loads(reader.store.get_summary(key) or "null") == first.json()


def test_a_written_summary_in_another_format_is_read_from_the_cache(reader: Reader) -> None:
    summary = reader.summary("bridge", **WRITTEN).json()
    asked = reader.model.calls
    texts = [" ".join(t.split()) for t in summary["summary"]]
    as_text = reader.summary("bridge", format="text", **WRITTEN)
    assert as_text.headers["content-type"].startswith("text/plain")
    assert as_text.text == " ".join(texts)
    assert reader.summary("bridge", format="bullets", **WRITTEN).text == "\n".join(
        f"• {t}" for t in texts
    )
    assert reader.model.calls == asked


def test_concurrent_requests_for_one_summary_make_one_model_call(reader: Reader) -> None:
    asked = reader.model.calls
    reader.model.hold()
    try:
        with ThreadPoolExecutor(4) as pool:
            answers = [pool.submit(reader.summary, "bakery", **TWO) for _ in range(4)]
            reader.model.wait_for_a_call()
            # The other three are at the reader by now, waiting for the same summary.
            assert not reader.model.arrived.acquire(timeout=2)
            reader.model.release()
            summaries = [answer.result().json() for answer in answers]
    finally:
        reader.model.release()
    assert reader.model.calls == asked + 1
    assert all(summary == summaries[0] for summary in summaries)
    assert summaries[0]["written"] is not None


def test_a_summary_of_a_text_not_stored_is_written_once_for_every_reader(
    reader: Reader, llm_model: str
) -> None:
    body = {"text": SHORT["ferry"], **WRITTEN}
    first = httpx.post(f"{reader.url}/api/summarize", json=body, timeout=300)
    assert first.status_code == 200, first.text
    asked = reader.model.calls
    again = httpx.post(f"{reader.url}/api/summarize", json=body, timeout=300)
    assert again.json() == first.json()
    assert reader.model.calls == asked
    assert first.json()["written"]["model"] == llm_model


def test_no_request_can_name_the_model_server(reader: Reader) -> None:
    asked = reader.model.calls
    elsewhere = "http://127.0.0.1:1/v1"
    posted = httpx.post(
        f"{reader.url}/api/summarize",
        json={"text": SHORT["bridge"], "llm_url": elsewhere, **WRITTEN},
    )
    assert_problem(posted, 422, "llm_url")
    asked_for = reader.summary("bridge", llm_url=elsewhere, **WRITTEN)
    assert_problem(asked_for, 422, "llm_url")
    assert reader.model.calls == asked


# --- when the model cannot answer ---------------------------------------------------------------


def test_a_full_queue_answers_503_with_retry_after(
    llm_url: str, llm_model: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INBRIEF_LLM_CONCURRENCY", "1")
    monkeypatch.setenv("INBRIEF_LLM_QUEUE", "0")
    model = ModelProxy(llm_url)
    monkeypatch.setenv("INBRIEF_LLM_URL", model.url)
    monkeypatch.setenv("INBRIEF_LLM_MODEL", llm_model)
    model.hold()
    try:
        with Store.open(str(tmp_path / "inbrief.db")) as store:
            articles = store_articles(store, "bridge", "school", "bakery")
            with reader_over(store, Settings.from_env()) as url:
                reader = Reader(url, store, model, articles)
                with ThreadPoolExecutor(1) as pool:
                    writing = pool.submit(reader.summary, "bridge", **WRITTEN)
                    model.wait_for_a_call()
                    busy = [reader.summary(name, **WRITTEN) for name in ("school", "bakery")]
                    page = httpx.get(
                        f"{url}/articles/{articles['bakery'].id}",
                        params={"summary": "sentences-3", "method": "llm"},
                    )
                    model.release()
                    assert writing.result().status_code == 200
                for response in busy:
                    assert_problem(response, 503, "busy")
                    assert int(response.headers["retry-after"]) >= 1
                assert model.calls == 1  # never more requests than the model server takes
                # The page without JavaScript: the article, and when to ask again.
                assert page.status_code == 503 and int(page.headers["retry-after"]) >= 1
                assert "No written summary right now: the language model is busy" in page.text
                assert "Its rye loaf beat 200 other entries." in page.text
                # Busy was for then: asked again, the summary is written.
                assert reader.summary("school", **WRITTEN).json()["written"] is not None
                assert model.calls == 2
    finally:
        model.close()


def test_a_server_down_gives_the_extractive_summary_marked_and_not_kept(
    llm_url: str, llm_model: str, tmp_path: Path
) -> None:
    model = ModelProxy(llm_url, listening=False)  # a model server that is down
    try:
        with Store.open(str(tmp_path / "inbrief.db")) as store:
            articles = store_articles(store, "bridge")
            with reader_over(store, model_settings(model.url, llm_model)) as url:
                reader = Reader(url, store, model, articles)
                down = reader.summary("bridge", **WRITTEN)
                assert down.status_code == 200, down.text
                summary = down.json()
                assert "cannot be reached" in summary["fallback"]
                assert urlsplit(model.url).netloc not in down.text  # the operator's network
                assert summary["written"] is None
                assert summary["stats"]["method"] == "news"
                for sentence in summary["sentences"]:
                    text = SHORT["bridge"]
                    assert text[sentence["start"] : sentence["end"]] == sentence["text"]
                assert model.calls == 0
                # Back up: the next request asks the model (neither the store's cache nor the
                # reader's memory kept the fallback).
                model.start()
                up = reader.summary("bridge", **WRITTEN).json()
                assert model.calls == 1
                assert up["written"] is not None
    finally:
        model.close()


def test_a_server_without_a_model_refuses_written_summaries(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "inbrief.db")) as store:
        stored = store_articles(store, "flood")["flood"]
        with reader_over(store, Settings()) as url:
            asked = httpx.get(f"{url}/api/articles/{stored.id}/summary", params=WRITTEN)
            assert_problem(asked, 400, NO_MODEL)
            posted = httpx.post(f"{url}/api/summarize", json={"text": FLOOD, **WRITTEN})
            assert_problem(posted, 400, NO_MODEL)
            page = httpx.get(f"{url}/articles/{stored.id}", params={"summary": "sentences-3"})
            assert page.status_code == 200 and "Written summary" not in page.text
            written_page = httpx.get(
                f"{url}/articles/{stored.id}", params={"summary": "sentences-3", "method": "llm"}
            )
            assert written_page.status_code == 400 and NO_MODEL in written_page.text
            # The extractive summaries are there as ever.
            extract = httpx.get(f"{url}/api/articles/{stored.id}/summary")
            assert extract.status_code == 200 and extract.json()["written"] is None


# --- ingest ------------------------------------------------------------------------------------


def test_written_summaries_at_ingest_are_made_after_the_add_returns(
    llm_url: str, llm_model: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INBRIEF_LLM_AT_INGEST", "true")
    model = ModelProxy(llm_url)
    model.hold()
    try:
        with (
            Store.open(str(tmp_path / "inbrief.db")) as store,
            reader_over(store, model_settings(model.url, llm_model)) as url,
        ):
            added = httpx.post(f"{url}/api/articles", json={"text": SHORT["bakery"]}, timeout=60)
            assert added.status_code == 201, added.text
            model.wait_for_a_call()  # the model is writing, and the add has answered
            model.release()
            background_writer.wait()
            asked = model.calls
            assert asked == len(DEFAULT_BUDGETS)  # one call for each of the reader's lengths
            stored = store.get_article(added.json()["id"])
            assert stored is not None
            for budget in DEFAULT_BUDGETS:
                cached = store.get_summary(summary_key(stored, budget, "llm"))
                assert cached is not None, budget
                query = {"method": "llm", budget.unit: int(budget.value)}
                summary = httpx.get(url + added.json()["links"]["summary"], params=query)
                assert summary.json() == json.loads(cached)
                assert summary.json()["written"]["model"] == llm_model
            assert model.calls == asked
    finally:
        model.close()


def test_inbrief_add_waits_for_the_summaries_it_asked_the_model_for(
    llm_url: str, llm_model: str, tmp_path: Path
) -> None:
    model = ModelProxy(llm_url)
    story = tmp_path / "story.txt"
    story.write_text(SHORT["bridge"], encoding="utf-8")
    database = f"sqlite:///{tmp_path / 'inbrief.db'}"
    variables = {
        "INBRIEF_LLM_AT_INGEST": "true",
        "INBRIEF_LLM_URL": model.url,
        "INBRIEF_LLM_MODEL": llm_model,
    }
    try:
        done = subprocess.run(
            [sys.executable, "-m", "inbrief", "add", str(story), "--database", database],
            capture_output=True,
            text=True,
            timeout=600,
            env={**os.environ, **variables},
        )
        assert done.returncode == 0, done.stderr
        assert "waiting for the language model to write the summaries" in done.stderr
        written = model.calls
        assert written == len(DEFAULT_BUDGETS)
        with (
            Store.open(database) as store,
            reader_over(store, model_settings(model.url, llm_model)) as url,
        ):
            path = f"/api/articles/{store.list_articles(0, 1).items[0].id}/summary"
            for budget in DEFAULT_BUDGETS:
                query = {"method": "llm", budget.unit: int(budget.value)}
                assert httpx.get(url + path, params=query).json()["written"] is not None
        assert model.calls == written  # all of them from the cache
    finally:
        model.close()


def test_without_the_option_ingest_leaves_the_model_alone(
    reader: Reader, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INBRIEF_LLM_AT_INGEST", raising=False)
    asked = reader.model.calls
    added = httpx.post(f"{reader.url}/api/articles", json={"text": FLOOD + "\n\nMore rain is due."})
    assert added.status_code == 201, added.text
    background_writer.wait()
    assert reader.model.calls == asked


def test_a_bad_ingest_option_is_refused_in_plain_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INBRIEF_LLM_AT_INGEST", "sometimes")
    with Store.open(str(tmp_path / "inbrief.db")) as store:
        with reader_over(store, Settings()) as url:
            added = httpx.post(f"{url}/api/articles", json={"text": SHORT["bakery"]})
            assert_problem(added, 400, "INBRIEF_LLM_AT_INGEST must be true or false")
        assert store.list_articles(0, 1).total == 0


# --- POST /api/verify --------------------------------------------------------------------------


def test_verify_checks_each_sentence_in_the_given_order(reader: Reader) -> None:
    summary = [
        "About 120 homes were evacuated and families spent the night in the sports hall.",
        "The regional government promised emergency grants of up to 9,000 euros for each home.",
    ]
    response = httpx.post(f"{reader.url}/api/verify", json={"text": FLOOD, "summary": summary})
    assert response.status_code == 200, response.text
    checked = response.json()["sentences"]
    assert [c["text"] for c in checked] == summary
    assert [c["supported"] for c in checked] == [True, False]
    assert [p["kind"] for p in checked[1]["problems"]] == ["number"]
    assert "9,000" in checked[1]["problems"][0]["text"]
    for sentence in checked:
        for support in sentence["support"]:
            assert FLOOD[support["start"] : support["end"]] == support["text"]


def test_verify_takes_a_summary_as_text_and_an_article_as_html(reader: Reader) -> None:
    page = "<html><body><article>" + "".join(
        f"<p>{paragraph}</p>" for paragraph in LIBRARY.split("\n\n")
    )
    text = (
        "The library of Dunmere will stay open until ten at night. "
        "A petition was signed by 3,400 students."
    )
    response = httpx.post(
        f"{reader.url}/api/verify",
        json={"html": page + "</article></body></html>", "summary": text},
    )
    assert response.status_code == 200, response.text
    checked = response.json()["sentences"]
    assert len(checked) == 2
    assert all(c["supported"] for c in checked), checked


def test_verify_reads_a_page_at_a_url(reader: Reader, http_server: LocalServer) -> None:
    paragraphs = "".join(f"<p>{p}</p>" for p in LIBRARY.split("\n\n"))
    url = http_server.route("/dunmere.html", f"<html><body><article>{paragraphs}</article>")
    claim = ["A petition was signed by 4,500 students."]
    response = httpx.post(f"{reader.url}/api/verify", json={"url": url, "summary": claim})
    assert response.status_code == 200, response.text
    [checked] = response.json()["sentences"]
    assert checked["supported"] is False
    assert "4,500" in " ".join(p["text"] for p in checked["problems"])


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"text": FLOOD, "summary": []}, "between 1 and 200"),
        ({"text": FLOOD}, "summary"),
        ({"summary": ["Rain fell."]}, "give exactly one of url, html or text"),
        ({"text": FLOOD, "summary": ["Rain fell."], "cited": [[1], [2]]}, "one list per"),
        ({"text": FLOOD, "summary": ["Rain fell."], "llm_url": "http://127.0.0.1:1"}, "llm_url"),
    ],
)
def test_verify_refuses_a_request_it_cannot_check(
    reader: Reader, body: dict[str, Any], needle: str
) -> None:
    assert_problem(httpx.post(f"{reader.url}/api/verify", json=body), 422, needle)


def test_the_api_documents_verify_with_an_example_that_holds(reader: Reader) -> None:
    schema = httpx.get(f"{reader.url}/openapi.json").json()
    [asked] = schema["components"]["schemas"]["VerifyRequest"]["examples"]
    verify = schema["paths"]["/api/verify"]["post"]
    answer = verify["responses"]["200"]["content"]["application/json"]["example"]
    checked = httpx.post(f"{reader.url}/api/verify", json=asked).json()

    assert [(c["text"], c["supported"]) for c in checked["sentences"]] == [
        (c["text"], c["supported"]) for c in answer["sentences"]
    ]
    for shown, found in zip(answer["sentences"], checked["sentences"], strict=True):
        for support in shown["support"]:
            assert asked["text"][support["start"] : support["end"]] == support["text"]
        problems = {(p["kind"], p["text"]) for p in found["problems"]}
        assert {(p["kind"], p["text"]) for p in shown["problems"]} <= problems


def test_the_api_documents_written_summaries(reader: Reader) -> None:
    schema = httpx.get(f"{reader.url}/openapi.json").json()
    assert "503" in schema["paths"]["/api/articles/{article_id}/summary"]["get"]["responses"]
    assert "503" in schema["paths"]["/api/summarize"]["post"]["responses"]
    method = schema["components"]["schemas"]["SummarizeRequest"]["properties"]["method"]
    assert "llm" in method["description"] and "llm" in method["examples"]


# --- inbrief serve ----------------------------------------------------------------------------


def test_serve_takes_the_model_from_its_options(
    model: ModelProxy, llm_model: str, tmp_path: Path
) -> None:
    command = [sys.executable, "-m", "inbrief", "serve", "--port", "0", "--no-demo"]
    command += ["--database", f"sqlite:///{tmp_path / 'inbrief.db'}"]
    command += ["--llm-url", model.url, "--llm-model", llm_model]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("INBRIEF_LLM_")}
    server = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment
    )
    try:
        assert server.stdout is not None
        started = server.stdout.readline()
        assert started.startswith("inbrief reader: http://127.0.0.1:"), started
        url = started.split()[2].rstrip("/")
        added = httpx.post(f"{url}/api/articles", json={"text": SHORT["ferry"]})
        page = httpx.get(url + added.json()["links"]["page"])
        assert "Written summary" in page.text and llm_model in page.text
    finally:
        server.terminate()
        _, said = server.communicate(timeout=15)
    assert f"Written summaries by {llm_model} at {model.url}" in said


def test_serve_refuses_a_model_server_address_it_cannot_use(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "inbrief", "serve", "--port", "0", "--llm-url", "ftp://x"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "a model server URL looks like http://127.0.0.1:11434/v1" in done.stderr
