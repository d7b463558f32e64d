"""One fuzz target per surface that reads untrusted input, and the seeds each starts from.

A target takes the fuzzer's bytes, turns them into one kind of input (the first bytes choose
options such as a budget or a declared charset, the rest is the payload), feeds it to inbrief
and checks what must hold for any input (:mod:`invariants`).  It returns normally, or raises
an :class:`~inbrief.errors.InbriefError` (the typed answer to bad input), or raises anything
else: a crash.

    target = TARGETS["summary"]
    target.run(target.seeds()[0])

Nothing here touches the network: records and API bodies that name a URL get one on the
discard port of 127.0.0.1, which the fetcher's guard refuses before connecting (the guard
itself is tested in tests/test_ssrf.py).  The module imports inbrief at the top so that
``fuzz_inbrief.py`` can instrument it for coverage by importing this module.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from invariants import Broken, check_sentences, check_summary, require

from inbrief import feeds, sources, summarizers
from inbrief.errors import InbriefError
from inbrief.extract import extract as extract_document
from inbrief.models import Article, Budget, BudgetUnit, Document
from inbrief.pipeline import extract as extract_source
from inbrief.pipeline import summarize_article
from inbrief.sources import records
from inbrief.text import split_sentences

__all__ = ["CANARY", "TARGETS", "Broken", "InbriefError", "ProblemAnswer", "Target"]

# A URL no request can reach: the guard refuses loopback unless INBRIEF_ALLOW_PRIVATE allows it
# (the fuzz process unsets it), and port 9 is the discard port besides.
UNREACHABLE_URL = "http://127.0.0.1:9/fuzz"
FEED_URL = "https://feeds.example/news/rss.xml"
PAGE_URL = "https://news.example/2024/05/story.html"

LANGUAGES: tuple[str | None, ...] = (
    None,
    "en",
    "fr",
    "de",
    "es",
    "ru",
    "it",
    "pt",
    "nl",
    "zh",
    "ar",
    "xx",
    "en-US",
    "",
    "English",
)
UNITS: tuple[BudgetUnit, ...] = ("sentences", "words", "chars", "ratio")
# Labels a page or an HTTP header may declare: web charsets, and Python codecs that are not
# text encodings at all (rot13, zlib) or not web encodings (utf-7, unicode_escape, idna).
CHARSETS: tuple[str | None, ...] = (
    None,
    "utf-8",
    "iso-8859-1",
    "windows-1252",
    "utf-16",
    "utf-16-be",
    "utf-32",
    "shift_jis",
    "euc-jp",
    "gb2312",
    "koi8-r",
    "big5",
    "utf-7",
    "rot13",
    "zlib",
    "hex",
    "base64",
    "undefined",
    "idna",
    "punycode",
    "unicode_escape",
    "raw_unicode_escape",
    "bogus-charset",
    '"utf-8"',
)
FEED_CONTENT_TYPES: tuple[str | None, ...] = (
    None,
    "application/rss+xml",
    "application/atom+xml; charset=iso-8859-1",
    "text/xml; charset=utf-16",
    "text/html",
    "text/plain; charset=bogus",
)

# The XXE canary: a local file whose text must never appear in what a feed parses to.  Seeds
# declare external entities that name it (and /etc/passwd).
CANARY_TEXT = "INBRIEF-FUZZ-CANARY-7f3a9c"
CANARY = Path(tempfile.gettempdir()) / "inbrief-fuzz-canary.txt"

DEMO = "data/demo"
STORY = (
    "The city council met on Monday evening to debate the old river bridge. "
    "Engineers told members that the bridge could fail within two years. "
    "After three hours the council voted to close it to cars from March.\n\n"
    "Buses will use the ferry crossing until a new bridge opens. "
    'Shop owners near the bridge said they fear losing customers. "Why now?" one asked.'
)
# Seeds are cut to this size: libFuzzer's inputs stay short, so each runs in milliseconds.
SEED_BYTES = 4096


class ProblemAnswer(InbriefError):
    """The API refused a request the right way: a problem+json 4xx (a 502 for a URL it could
    not fetch).  Raised by the API target so that such answers count as typed errors."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"{status}: {detail}")
        self.label = f"HTTP {status}"


@dataclass(frozen=True)
class Target:
    """A fuzz target: ``run`` one input, and the ``seeds`` its corpus starts from."""

    name: str
    run: Callable[[bytes], None]
    seeds: Callable[[], list[bytes]]
    about: str


class Options:
    """Reads option bytes off the front of an input; past its end every option reads 0."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.used = 0

    def byte(self) -> int:
        """The next option byte."""
        value = self.data[self.used] if self.used < len(self.data) else 0
        self.used += 1
        return value

    def pick(self, choices: tuple[Any, ...]) -> Any:
        """One of ``choices``, chosen by the next byte."""
        return choices[self.byte() % len(choices)]

    def rest(self) -> bytes:
        """The payload: every byte after the options read so far."""
        return self.data[self.used :]


def as_text(payload: bytes, keep_surrogates: bool = False) -> str:
    """The payload as text; ``keep_surrogates`` leaves invalid bytes as lone surrogates, the
    kind of ``str`` a JSON body with ``"\\ud800"`` gives."""
    return payload.decode("utf-8", "surrogateescape" if keep_surrogates else "replace")


def with_options(*options: int, payload: bytes | str) -> bytes:
    """A seed: option bytes, then the payload (UTF-8 when text)."""
    body = payload.encode("utf-8") if isinstance(payload, str) else payload
    return bytes(options) + body[:SEED_BYTES]


# --- the real texts the seeds are made of -----------------------------------------------------


def _demo(*parts: str) -> Any:
    return resources.files("inbrief").joinpath(DEMO, *parts)


@cache
def demo_texts() -> tuple[str, ...]:
    """The bodies of the bundled demo articles (several languages)."""
    lines = _demo("articles.jsonl").read_text(encoding="utf-8").splitlines()
    return tuple(json.loads(line)["body"] for line in lines if line)


def demo_pages() -> list[bytes]:
    """The bundled demo HTML pages, as published."""
    folder = _demo("html")
    return [item.read_bytes() for item in sorted(folder.iterdir(), key=lambda i: i.name)]


def demo_feeds() -> list[bytes]:
    """The bundled demo RSS and Atom feeds."""
    folder = _demo("feeds")
    return [item.read_bytes() for item in sorted(folder.iterdir(), key=lambda i: i.name)]


def sample_texts(count: int = 12) -> list[str]:
    """A few demo bodies spread over the corpus (and so over its languages)."""
    texts = demo_texts()
    step = max(1, len(texts) // count)
    return [STORY, *texts[::step][:count]]


def hostile_feeds() -> list[bytes]:
    """Feeds built to hurt a parser: entity expansion, external entities, huge attributes,
    wrong and conflicting encodings, truncation."""
    laughs = "".join(
        f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' if n else '<!ENTITY l0 "lol">' for n in range(10)
    )
    item = (
        "<item><title>{}</title><link>https://news.example/a</link>"
        "<description>{}</description></item>"
    )
    rss = (
        '<?xml version="1.0" encoding="{enc}"?>{dtd}'
        '<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'
    )
    huge = "x" * 3000
    return [
        rss.format(
            enc="utf-8", dtd=f"<!DOCTYPE rss [{laughs}]>", items=item.format("&l9;", "&l9;")
        ).encode(),
        rss.format(
            enc="utf-8",
            dtd=f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{CANARY}">]>',
            items=item.format("&xxe;", "&xxe;"),
        ).encode(),
        rss.format(
            enc="utf-8",
            dtd='<!DOCTYPE rss [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>',
            items=item.format("t", "d"),
        ).encode(),
        rss.format(
            enc="utf-8",
            dtd=f'<!DOCTYPE rss SYSTEM "file://{CANARY}">',
            items=item.format("t", "d"),
        ).encode(),
        f'<rss version="2.0"><channel><title a="{huge}">T</title>'
        f'<item a="{huge}" b="{huge}"><title>x</title></item></channel></rss>'.encode(),
        rss.format(enc="utf-16", dtd="", items=item.format("é", "ü")).encode("utf-8"),
        rss.format(enc="iso-8859-1", dtd="", items=item.format("caf\u00e9", "d")).encode("utf-16"),
        rss.format(enc="shift_jis", dtd="", items=item.format("t", "d")).encode()[:90],
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><title>a</ti',
        b"\xef\xbb\xbf<rss><channel><item><title>\xff\xfe</title></item></channel></rss>",
    ]


# --- the targets ------------------------------------------------------------------------------


def run_html(data: bytes) -> None:
    """HTML extraction: ``extract(Document(...))`` and ``pipeline.extract(str)``."""
    options = Options(data)
    url = options.pick((None, PAGE_URL, "not a url", "javascript:alert(1)"))
    html = as_text(options.rest(), keep_surrogates=bool(options.byte() & 1))
    refused: InbriefError | None = None
    try:
        article = extract_document(Document(html, "html", "<fuzz>", url=url))
        require(bool(article.text.strip()), "extraction returned a blank article")
    except InbriefError as error:
        refused = error  # still try the string entry point below, then report it
    # The library's string entry point: never a URL here (that would fetch).
    if not html.lstrip().lower().startswith(("http://", "https://")):
        article = extract_source(html)
        require(bool(article.text.strip()), "pipeline.extract returned a blank article")
    if refused is not None:
        raise refused


def html_seeds() -> list[bytes]:
    pages = [page[:SEED_BYTES] for page in demo_pages()]
    handmade = [
        "<html><head><title>A &amp; B</title></head><body><article><p>"
        + "</p><p>".join(STORY.split("\n\n"))
        + "</p></article></body></html>",
        "<p>" * 200,
        "<html><body><script>alert(1)</script><p onclick='x'>Hi &#0; &#xD800; &bogus;</p>",
        '<meta charset="rot13"><title>t</title><table><tr><td>cell</td></tr></table>',
        '<html lang="zz"><head><script type="application/ld+json">{"@type":"NewsArticle",'
        '"author":{"name":[1,{"a":null}]},"headline":7}</script></head><body><p>x</p>',
        "<!DOCTYPE html><html><body><blockquote class='twitter-tweet'><p>post</p></blockquote>",
    ]
    return [with_options(n, payload=page) for n, page in enumerate(pages)] + [
        with_options(n, payload=page) for n, page in enumerate(handmade)
    ]


def run_sentences(data: bytes) -> None:
    """Sentence splitting: the properties of :func:`invariants.check_sentences`."""
    options = Options(data)
    language = options.pick(LANGUAGES)
    keep = bool(options.byte() & 1)
    text = as_text(options.rest(), keep_surrogates=keep)
    check_sentences(text, split_sentences(text, language))


def text_seeds() -> list[bytes]:
    odd = [
        'Dr. Smith met U.S. officials at 3 p.m. on Jan. 5. They agreed. "Why?" he asked.',
        "first line\n  \nsecond. para\n\n\n\nthird!!! ... ok?",
        "le président a dit « non . » puis il est parti .  the u.s. army said . ''",
        "你好。世界！这是一个测试？是的。",  # noqa: RUF001 (CJK sentence ends, as meant)
        "am 3. Oktober 2024 z. B. in der Str. 5. Das ist gut.",
        "   \n\n \t ",
        "...",
        ". . . ! ? \u2026 \u00bb \u201d",
    ]
    return [with_options(n, n % 3, payload=t) for n, t in enumerate(sample_texts() + odd)]


def run_summary(data: bytes) -> None:
    """Summarization with every method and budget: :func:`invariants.check_summary`, and the
    same summary again for the same input."""
    options = Options(data)
    method = options.pick(tuple(summarizers.names()))
    unit: BudgetUnit = options.pick(UNITS)
    size = options.byte()
    # Mostly small budgets (where the choices are made), sometimes a huge one.
    value: float = (size % 250 + 1) / 250 if unit == "ratio" else size % 64 + 1
    if unit != "ratio" and size >= 250:
        value = 10 ** (size - 245)
    language = options.pick(LANGUAGES)
    text = as_text(options.rest())
    article = Article(text=text, language=language)
    budget = Budget(unit, value)
    summary = summarize_article(article, budget, method=method)
    check_summary(article, summary, split_sentences(text, language))
    again = summarize_article(article, budget, method=method)
    require(again == summary, "the same input gave two different summaries")


def summary_seeds() -> list[bytes]:
    texts = [*sample_texts(), ". ", "… !? ...", "a", "x\n\ny", "«»"]
    return [
        with_options(n % 5, n % 4, 2 + 7 * n, n % 15, payload=text) for n, text in enumerate(texts)
    ]


def run_feed(data: bytes) -> None:
    """Feed parsing: never reads a local file, keeps only web links, and caps the entries."""
    options = Options(data)
    content_type = options.pick(FEED_CONTENT_TYPES)
    parsed = feeds.parse_feed(options.rest(), url=FEED_URL, content_type=content_type)
    require(len(parsed.entries) <= feeds.MAX_ENTRIES_PER_POLL, "too many entries kept")
    for entry in parsed.entries:
        require(
            entry.link is None or entry.link.lower().startswith(("http://", "https://")),
            f"an entry kept a non-web link {entry.link!r}",
        )
        fields = (entry.title, entry.link, entry.guid, entry.author, entry.content)
        require(
            not any(CANARY_TEXT in (value or "") for value in (parsed.title, *fields)),
            "an external entity read a local file into the feed",
        )


def feed_seeds() -> list[bytes]:
    feeds_ = [feed[: SEED_BYTES * 2] for feed in demo_feeds()] + hostile_feeds()
    return [with_options(n, payload=feed) for n, feed in enumerate(feeds_)]


def run_records(data: bytes) -> None:
    """JSONL records: ``parse_json_line`` then ``article_from_record``."""
    line = as_text(data, keep_surrogates=bool(data[:1] == b" "))
    record = records.parse_json_line(line, "line 1")
    if isinstance(record.get("url"), str):
        record["url"] = UNREACHABLE_URL
    article = records.article_from_record(record)
    require(bool(article.text.strip()), "a record gave a blank article")


def record_seeds() -> list[bytes]:
    texts = sample_texts(4)
    lines = [
        {"id": 1, "text": texts[0], "title": "Bridge", "language": "en"},
        {"id": "x", "html": f"<p>{texts[1]}</p>", "source_url": PAGE_URL, "date": "2024-05-01"},
        {"id": None, "url": "https://news.example/a"},
        {"id": 2, "text": texts[2], "html": "<p>both</p>"},
        {"text": 5},
        {"text": "   "},
        [1, 2],
    ]
    return [json.dumps(line, ensure_ascii=False).encode()[:SEED_BYTES] for line in lines] + [
        b'{"id": 1, "text": "a\\ud800b"}',
        b"[" * 64,
        b'{"id": 1e999, "text": "Tiny."}',
    ]


def run_decode(data: bytes) -> None:
    """Source decoding: ``decode`` with a declared charset, sniffing, ``from_html``/``from_text``
    — the text out is always valid Unicode (it can be stored and sent as UTF-8)."""
    options = Options(data)
    charset = options.pick(CHARSETS)
    payload = options.rest()
    sources.sniff_binary(payload)
    text = sources.decode(payload, declared_charset=charset, origin="<fuzz>")
    text.encode("utf-8")  # raises on a lone surrogate
    kind = sources.sniff_kind(text, None)
    wrap = sources.from_html if kind == "html" else sources.from_text
    document = wrap(text)
    document.content.encode("utf-8")
    # A str handed in directly (the library's and the API's way) may hold lone surrogates.
    sources.from_text(as_text(payload, keep_surrogates=True)).content.encode("utf-8")


def decode_seeds() -> list[bytes]:
    text = STORY
    bodies = [
        text.encode("utf-8"),
        text.encode("utf-16"),
        ("caf\u00e9 \u2019 " + text).encode("cp1252"),
        "Привет, мир. Это новости.".encode("koi8-r"),
        "日本語のニュース。".encode("shift_jis"),
        b'<meta charset="rot13"><p>' + text.encode() + b"</p>",
        b'<meta charset="zlib"><p>x</p>',
        b'<meta charset="undefined"><p>x</p>',
        b'<meta http-equiv="Content-Type" content="text/html; charset=utf-16"><p>x</p>',
        b"\x89PNG\r\n\x1a\n\x00\x00",
        b"\xff\xfe" + "hello".encode("utf-16-le"),
        bytes(range(256)),
    ]
    return [with_options(n, payload=body) for n, body in enumerate(bodies)]


# --- the JSON API -----------------------------------------------------------------------------

API_KEY = "fuzz-key-" + "k" * 24
API_PATHS = ("/api/summarize", "/api/articles")
CONTENT_TYPES: tuple[str | None, ...] = (
    "application/json",
    "application/json; charset=utf-8",
    "application/problem+json",
    "application/json; charset=latin-1",
    "text/plain",
    None,
)
API_KEYS = (
    "url",
    "html",
    "text",
    "sentences",
    "words",
    "chars",
    "ratio",
    "method",
    "keywords",
    "format",
    "store",
    "title",
    "author",
    "date",
    "language",
    "site",
    "extra",
)


class Api:
    """The reader's app in this process over a temporary SQLite store, with an API key so that
    the write paths run too, and no rate limit (the fuzzer sends thousands of requests)."""

    def __init__(self) -> None:
        from starlette.testclient import TestClient

        from inbrief.service.app import create_app
        from inbrief.service.settings import Settings
        from inbrief.store import Store

        self.folder = tempfile.TemporaryDirectory(prefix="inbrief-fuzz-api-")
        self.store = Store.open(str(Path(self.folder.name) / "fuzz.db"))
        settings = Settings(api_keys=(API_KEY,), summarize_rate=None)
        # raise_server_exceptions: a bug surfaces as its own exception, with its traceback.
        self.client = TestClient(create_app(self.store, settings), raise_server_exceptions=True)
        self.client.__enter__()


@cache
def api() -> Api:
    """The one app every API input goes to (built on first use)."""
    return Api()


def _value(options: Options, depth: int = 0) -> Any:
    """A JSON value of any type, chosen by the option bytes."""
    kind = options.byte() % (9 if depth < 3 else 7)
    number = options.byte()
    if kind == 0:
        return None
    if kind == 1:
        return bool(number & 1)
    if kind == 2:
        return number - 128
    if kind == 3:
        return (number - 128) * 10 ** (number % 40)
    if kind == 4:
        return (number - 64) / 16
    if kind == 5:
        start = options.used
        options.used += number
        return as_text(options.data[start : options.used])
    if kind == 6:
        return STORY[: number * 2]
    if kind == 7:
        return [_value(options, depth + 1) for _ in range(number % 4)]
    return {options.pick(API_KEYS): _value(options, depth + 1) for _ in range(number % 4)}


def _body(options: Options) -> tuple[bytes, bool]:
    """The request body, and whether it names a URL (then a 502 is a fair answer: the fetch
    of the unreachable URL failed).

    Raw bytes go as they are unless they parse (as the server will parse them) to an object
    with a URL: that URL is replaced first, so no input makes the server look up a name.
    """
    if options.byte() % 2:
        fields = {options.pick(API_KEYS): _value(options) for _ in range(options.byte() % 6)}
        parsed: Any = fields
        raw = b""
    else:
        raw = options.rest()
        try:
            parsed = json.loads(raw)
        except (ValueError, RecursionError):
            parsed = None
    if not isinstance(parsed, dict):
        return raw, False
    if isinstance(parsed.get("url"), str):
        parsed["url"] = UNREACHABLE_URL
    elif raw:
        return raw, "url" in parsed
    text = json.dumps(parsed, ensure_ascii=bool(options.byte() & 1))
    return text.encode("utf-8", "surrogatepass"), "url" in parsed


def run_api(data: bytes) -> None:
    """POST /api/summarize and /api/articles with any body: a 200/201 JSON answer or a
    problem+json 4xx, never a 5xx (a 502 only when the body names a URL to fetch)."""
    options = Options(data)
    path = options.pick(API_PATHS)
    content_type = options.pick(CONTENT_TYPES)
    keyed = options.byte() % 8 != 0
    body, names_url = _body(options)
    headers = {"content-type": content_type} if content_type else {}
    if keyed:
        headers["authorization"] = f"Bearer {API_KEY}"
    response = api().client.post(path, content=body, headers=headers)
    status = response.status_code
    kind = response.headers.get("content-type", "")
    if status in (200, 201):
        if kind.startswith("application/json"):
            json.loads(response.content)
        else:
            require(kind.startswith("text/"), f"{status} answered as {kind!r}")
        return
    require(400 <= status < 500 or (status == 502 and names_url), f"{path} answered {status}")
    require(kind == "application/problem+json", f"{status} answered as {kind!r}")
    problem = json.loads(response.content)
    require(problem.get("status") == status, f"problem document says {problem.get('status')}")
    raise ProblemAnswer(status, str(problem.get("detail")))


def api_seeds() -> list[bytes]:
    text, html = sample_texts(2)[:2]
    bodies: list[dict[str, Any]] = [
        {"text": text, "sentences": 2},
        {"text": text, "words": 40, "format": "markdown"},
        {"html": f"<html><body><p>{html}</p></body></html>", "ratio": 0.3, "method": "lead"},
        {"text": text, "store": True, "chars": 300},
        {"url": "https://news.example/a"},
        {"text": text, "title": "T", "language": "en", "site": "S"},
        {"text": text, "sentences": 1, "words": 1},
        {"text": "", "keywords": 51},
        {"text": text, "method": "nonsense", "format": "bullets"},
    ]
    # Options: path, content type, key (0: none), body mode (0: these bytes, 1: built).
    seeds = [with_options(n % 2, n % 3, 1, 0, payload=json.dumps(b)) for n, b in enumerate(bodies)]
    return [
        *seeds,
        with_options(0, 0, 1, 0, payload=b"[" * 3000),
        with_options(0, 0, 1, 0, payload=b'{"text": "a\\ud800b"}'),
        with_options(1, 0, 1, 0, payload=b'{"text": "a\\udc80b", "title": "\\udfff"}'),
        with_options(0, 0, 1, 0, payload=b'{"text": "x", "ratio": NaN}'),
        with_options(1, 4, 1, 0, payload=b"not json"),
        with_options(1, 0, 0, 0, payload=b'{"text": "no key given"}'),
        with_options(0, 0, 1, 1, 4, 9, payload=b"\x05\x06\x07\x08\x09\x0a" * 20),
    ]


TARGETS: dict[str, Target] = {
    target.name: target
    for target in (
        Target("sentences", run_sentences, text_seeds, "sentence splitting (text/sentences.py)"),
        Target("summary", run_summary, summary_seeds, "summarization, every method and budget"),
        Target("decode", run_decode, decode_seeds, "decoding bytes and wrapping sources"),
        Target("records", run_records, record_seeds, "JSONL records to articles"),
        Target("feed", run_feed, feed_seeds, "RSS/Atom parsing (XXE, entity expansion)"),
        Target("html", run_html, html_seeds, "HTML extraction"),
        Target("api", run_api, api_seeds, "JSON bodies of POST /api/summarize, /api/articles"),
    )
}


def write_canary() -> None:
    """Create the file the XXE seeds name, so that reading it would show."""
    CANARY.write_text(CANARY_TEXT, encoding="utf-8")


def seed_files(folder: Path, target: Target) -> Iterator[Path]:
    """Write ``target``'s seeds into ``folder`` (a libFuzzer corpus directory)."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, seed in enumerate(target.seeds()):
        path = folder / f"seed-{number:03d}"
        path.write_bytes(seed)
        yield path


def isolate_from_network() -> None:
    """Make sure no fetch can reach a private address: the guard as it ships."""
    for name in ("INBRIEF_ALLOW_PRIVATE", "INBRIEF_ALLOW_PORTS"):
        os.environ.pop(name, None)
