"""OPML in and out: files as Miniflux, FreshRSS and Feedly export them, hostile files, the CLI's
``feeds import``/``feeds export`` and the API's ``/api/feeds/opml``, on a real store and server.

The look-alike exports below are written for these tests after the shape of each reader's own
(their heads, attribute order, folder conventions); every address is under example.org/.com/.net.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from conftest import LocalServer
from test_cli import run
from test_store import new_database  # noqa: F401  (the SQLite + PostgreSQL fixture)

from inbrief.feeds.opml import (
    MAX_FOLDER_DEPTH,
    MAX_OPML_BYTES,
    MAX_OPML_FEEDS,
    OPMLError,
    OPMLTooLarge,
    import_opml,
    read_opml,
    write_opml,
)
from inbrief.service.app import create_app
from inbrief.service.server import running
from inbrief.service.settings import Settings
from inbrief.store import Store

MINIFLUX = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
    <head>
        <title>Miniflux</title>
        <dateCreated>Mon, 02 Dec 2024 09:15:00 UTC</dateCreated>
    </head>
    <body>
        <outline text="All">
            <outline title="Harbour Town Gazette" text="Harbour Town Gazette"
                xmlUrl="https://gazette.example.org/feed.xml" htmlUrl="https://gazette.example.org/">
            </outline>
        </outline>
        <outline text="Science &amp; Space">
            <outline title="Orbit Weekly" text="Orbit Weekly"
                xmlUrl="https://orbit.example.com/rss" htmlUrl="https://orbit.example.com/"></outline>
        </outline>
    </body>
</opml>
"""
FRESHRSS = """<?xml version="1.0" encoding="UTF-8"?>
<opml xmlns:frss="https://freshrss.org/opml" version="2.0">
\t<head>
\t\t<title>FreshRSS</title>
\t\t<dateCreated>Tue, 03 Dec 2024 18:40:12 +0100</dateCreated>
\t</head>
\t<body>
\t\t<outline text="Uncategorized">
\t\t\t<outline text="Valley Farmers' Notes" type="rss" xmlUrl="https://farm.example.net/atom"
\t\t\t\thtmlUrl="https://farm.example.net/" description="Weekly notes" frss:cssFullContent=""/>
\t\t</outline>
\t\t<outline text="Local">
\t\t\t<outline text="City Council Minutes" type="rss"
\t\t\t\txmlUrl="https://council.example.org/minutes.rss?format=rss"
\t\t\t\thtmlUrl="https://council.example.org/"/>
\t\t</outline>
\t</body>
</opml>
"""
FEEDLY = """<?xml version="1.0" encoding="UTF-8"?>

<opml version="1.0">
    <head>
        <title>Robin subscriptions in feedly Cloud</title>
    </head>
    <body>
        <outline text="Tech" title="Tech">
            <outline type="rss" text="Kernel Digest" title="Kernel Digest"
                xmlUrl="https://kernel.example.com/feed/" htmlUrl="https://kernel.example.com"/>
            <outline type="rss" text="Rust Corner" title="Rust Corner"
                xmlUrl="https://rust.example.org/index.xml" htmlUrl="https://rust.example.org"/>
        </outline>
        <outline text="Reading" title="Reading">
            <outline type="rss" text="Kernel Digest" title="Kernel Digest"
                xmlUrl="https://kernel.example.com/feed/" htmlUrl="https://kernel.example.com"/>
        </outline>
    </body>
</opml>
"""
Row = tuple[str, str | None, str | None]


def opml(outlines: str, head: str = "<head><title>Test</title></head>") -> str:
    declaration = '<?xml version="1.0" encoding="utf-8"?>'
    return f'{declaration}<opml version="2.0">{head}<body>{outlines}</body></opml>'


def feed(url: str, title: str = "A feed") -> str:
    return f'<outline type="rss" text="{title}" title="{title}" xmlUrl="{url}"/>'


def rows(store: Store) -> set[Row]:
    return {(f.url, f.title, f.category) for f in store.list_feeds()}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(f"sqlite:///{tmp_path / 'reader.db'}") as opened:
        yield opened


# --- other readers' exports -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("export", "expected"),
    [
        (
            MINIFLUX,
            {
                ("https://gazette.example.org/feed.xml", "Harbour Town Gazette", "All"),
                ("https://orbit.example.com/rss", "Orbit Weekly", "Science & Space"),
            },
        ),
        (
            FRESHRSS,
            {
                ("https://farm.example.net/atom", "Valley Farmers' Notes", "Uncategorized"),
                (
                    "https://council.example.org/minutes.rss?format=rss",
                    "City Council Minutes",
                    "Local",
                ),
            },
        ),
        (
            FEEDLY,  # one feed in two folders: subscribed once, under the first
            {
                ("https://kernel.example.com/feed/", "Kernel Digest", "Tech"),
                ("https://rust.example.org/index.xml", "Rust Corner", "Tech"),
            },
        ),
    ],
    ids=["miniflux", "freshrss", "feedly"],
)
def test_an_export_of_another_reader_is_imported_with_its_folders(
    store: Store, export: str, expected: set[Row]
) -> None:
    report = import_opml(store, export.encode("utf-8"))
    assert rows(store) == expected
    assert len(report.added) == len(expected) and not report.refused


def test_nested_folders_become_one_category_outer_first(store: Store) -> None:
    nested = opml(
        '<outline text="Tech"><outline text="Linux">'
        f"{feed('https://lwn.example.org/rss', 'LWN')}</outline>"
        f"{feed('https://tech.example.org/rss', 'Tech news')}</outline>"
        f'<outline text="Unfiled" xmlUrl="https://top.example.org/rss" category="/News/World,/x"/>'
    )
    import_opml(store, nested)
    assert rows(store) == {
        ("https://lwn.example.org/rss", "LWN", "Tech/Linux"),
        ("https://tech.example.org/rss", "Tech news", "Tech"),
        ("https://top.example.org/rss", "Unfiled", "News/World"),  # OPML 2.0's category attribute
    }


def test_export_then_import_into_an_empty_database_gives_the_same_subscriptions(
    new_database: Callable[[], str],  # noqa: F811
) -> None:
    tricky = feed(
        "https://odd.example.org/feed?a=1&amp;b=2", "Tom &amp; Jerry &lt;3 &quot;news&quot;"
    )
    untitled = (
        '<outline text="https://bare.example.org/rss" xmlUrl="https://bare.example.org/rss"/>'
    )
    source = opml(MINIFLUX.split("<body>")[1].split("</body>")[0] + tricky + untitled)
    source = source.replace('text="All"', 'text="Tech/Linux"')  # a slash in a folder's name
    with Store.open(new_database()) as first:
        import_opml(first, source)
        exported = write_opml(first.list_feeds())
        expected = rows(first)
    with Store.open(new_database()) as second:
        report = import_opml(second, exported)
        assert rows(second) == expected
        assert len(report.added) == len(expected) == 4
        assert write_opml(second.list_feeds()) == exported  # deterministic, byte for byte
    assert ("https://odd.example.org/feed?a=1&b=2", 'Tom & Jerry <3 "news"', None) in expected
    assert ("https://bare.example.org/rss", None, None) in expected
    assert (
        "https://gazette.example.org/feed.xml",
        "Harbour Town Gazette",
        "Tech/Linux",
    ) in expected


def test_importing_twice_adds_nothing_twice(
    new_database: Callable[[], str],  # noqa: F811
) -> None:
    with Store.open(new_database()) as store:
        first = import_opml(store, FEEDLY)
        before = store.list_feeds()
        second = import_opml(store, FEEDLY)
        assert (len(first.added), len(first.already), first.repeated) == (2, 0, 1)
        assert (len(second.added), len(second.already)) == (0, 2)
        assert second.summary() == "0 added, 2 already subscribed, 0 refused, 1 listed twice"
        assert store.list_feeds() == before


def test_a_feed_already_subscribed_keeps_its_title_and_gains_a_missing_category(
    store: Store,
) -> None:
    mine, _ = store.add_feed("https://kernel.example.com/feed/", "My kernel feed")
    report = import_opml(store, FEEDLY)
    kept = store.get_feed(mine.id)
    assert kept is not None and report.already == (kept,)
    assert (kept.title, kept.category) == ("My kernel feed", "Tech")


def test_export_writes_folders_and_leaves_out_what_xml_cannot_hold(store: Store) -> None:
    store.add_feed("https://a.example.org/rss", "Bell\x07 and\x00 null", "World/Europe")
    store.add_feed("https://b.example.org/rss", None, None)
    data = write_opml(store.list_feeds())
    listing = read_opml(data)
    assert [(s.url, s.title, s.category) for s in listing.subscriptions] == [
        ("https://b.example.org/rss", None, None),
        ("https://a.example.org/rss", "Bell and null", "World/Europe"),
    ]
    assert b'<outline text="World" title="World">' in data


# --- hostile files ----------------------------------------------------------------------------

LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "haha">'
    + "".join(
        f'<!ENTITY {b} "{("&" + a + ";") * 10}">'
        for a, b in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + ']><opml version="2.0"><body><outline text="&i;" xmlUrl="https://x.example.org/"/></body></opml>'
)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ('<opml version="2.0"><body><outline text="a"></body></opml>', "not well-formed XML"),
        (LAUGHS, "declares an XML entity (a)"),
        (
            '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            '<opml><body><outline text="&e;" xmlUrl="https://x.example.org/"/></body></opml>',
            "declares an XML entity (e)",
        ),
        ("", "the file is empty"),
        ('<rss version="2.0"><channel/></rss>', "root element is <rss>, not <opml> (it looks"),
        ('<opml version="2.0"><head/></opml>', "without a <body>"),
        ("\xff\xfe not xml".encode("latin-1"), "not well-formed XML"),
    ],
    ids=["malformed", "billion-laughs", "external-entity", "empty", "a-feed", "no-body", "binary"],
)
def test_a_file_unfit_to_read_is_one_clear_error_and_adds_nothing(
    store: Store, data: str | bytes, message: str
) -> None:
    started = time.monotonic()
    with pytest.raises(OPMLError, match=r"^the file ") as raised:
        import_opml(store, data)
    assert message in str(raised.value)
    assert store.list_feeds() == ()
    assert time.monotonic() - started < 2  # refused, never expanded


def test_an_external_dtd_is_never_fetched(http_server: LocalServer, store: Store) -> None:
    dtd = http_server.route("/opml.dtd", '<!ENTITY x "y">', content_type="application/xml-dtd")
    body = f"<body>{feed('https://x.example.org/')}</body>"
    data = f'<?xml version="1.0"?><!DOCTYPE opml SYSTEM "{dtd}"><opml version="2.0">{body}</opml>'
    import_opml(store, data)
    assert rows(store) == {("https://x.example.org/", "A feed", None)}
    assert http_server.requests == []


def test_a_file_over_the_size_cap_is_refused_before_it_is_parsed(store: Store) -> None:
    padding = "<!-- " + "x" * MAX_OPML_BYTES + " -->"
    with pytest.raises(OPMLTooLarge, match="larger than the 1 MB"):
        import_opml(store, opml(feed("https://x.example.org/")) + padding)
    assert store.list_feeds() == ()


def test_too_many_feeds_or_folders_too_deep_are_refused() -> None:
    many = "".join(feed(f"https://f{n}.example.org/") for n in range(MAX_OPML_FEEDS + 1))
    with pytest.raises(OPMLError, match=f"more than {MAX_OPML_FEEDS} feeds"):
        read_opml(opml(many))
    deep = '<outline text="f">' * (MAX_FOLDER_DEPTH + 1) + "</outline>" * (MAX_FOLDER_DEPTH + 1)
    with pytest.raises(OPMLError, match="nests folders more than"):
        read_opml(opml(deep))


def test_deep_nesting_without_folder_names_cannot_exhaust_the_stack() -> None:
    levels = 40_000  # far beyond Python's recursion limit, under the size cap
    nested = "<outline>" * levels + feed("https://deep.example.org/") + "</outline>" * levels
    listing = read_opml(opml(nested))
    assert [s.url for s in listing.subscriptions] == ["https://deep.example.org/"]


REFUSED = {
    "javascript:alert(document.cookie)": "uses the javascript: scheme",
    "file:///etc/passwd": "uses the file: scheme",
    "data:text/xml;base64,PHJzcy8+": "uses the data: scheme",
    "feed.xml": "is not a full URL",
    "http://127.0.0.1/feed": "127.0.0.1 is a loopback address",
    "http://10.1.2.3/feed": "10.1.2.3 is a private address",
    "http://[::1]:8080/feed": "::1 is a loopback address",
    "http://169.254.169.254/latest/meta-data/": "a link-local address",
    "http://localhost/rss": "localhost is a loopback name",
    "http://2130706433/rss": "2130706433 is 127.0.0.1",
    "https://user:secret@example.org/rss": "user name or password",
    "https://example.org:22/rss": "port 22 is not one inbrief fetches from",
}


def test_each_unsafe_address_is_refused_with_its_reason_and_the_rest_imported(
    store: Store,
) -> None:
    outlines = "".join(feed(url.replace("&", "&amp;"), f"Bad {n}") for n, url in enumerate(REFUSED))
    report = import_opml(store, opml(feed("https://good.example.org/rss", "Good") + outlines))
    assert rows(store) == {("https://good.example.org/rss", "Good", None)}
    reasons = {refusal.url: refusal.reason for refusal in report.refused}
    assert reasons.keys() == REFUSED.keys()
    for url, reason in REFUSED.items():
        assert reason in reasons[url], url
    assert report.summary() == f"1 added, 0 already subscribed, {len(REFUSED)} refused"


def test_loopback_feeds_are_imported_where_loopback_is_allowed(
    allow_loopback: None, store: Store
) -> None:
    report = import_opml(store, opml(feed("http://127.0.0.1:8123/feed.xml")))
    assert [f.url for f in report.added] == ["http://127.0.0.1:8123/feed.xml"]


def test_an_include_of_another_file_is_refused_not_followed(
    http_server: LocalServer, store: Store
) -> None:
    other = http_server.route("/more.opml", opml(feed("https://more.example.org/")))
    report = import_opml(store, opml(f'<outline type="include" text="More" url="{other}"/>'))
    assert [(r.url, r.reason) for r in report.refused] == [
        (other, "an include of another OPML file, not read")
    ]
    assert store.list_feeds() == () and http_server.requests == []


# --- the command line -------------------------------------------------------------------------


def test_feeds_import_and_export_round_trip_on_the_command_line(tmp_path: Path) -> None:
    first, second = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    subs = tmp_path / "subs.opml"
    subs.write_text(MINIFLUX, encoding="utf-8")
    imported = run("feeds", "import", str(subs), "--database", first)
    assert imported.returncode == 0, imported.stderr
    assert "subscribed: #2 Orbit Weekly (https://orbit.example.com/rss) [Science & Space]" in (
        imported.stdout
    )
    assert imported.stdout.endswith(f"{subs}: 2 added, 0 already subscribed, 0 refused\n")
    again = run("feeds", "import", str(subs), "-d", first)
    assert again.stdout == f"{subs}: 0 added, 2 already subscribed, 0 refused\n"
    exported = run("feeds", "export", "--database", first)
    assert exported.returncode == 0 and exported.stdout.startswith("<?xml")
    moved = run("feeds", "import", "-", "-d", second, stdin=exported.stdout.encode("utf-8"))
    assert moved.stdout.endswith("standard input: 2 added, 0 already subscribed, 0 refused\n")
    assert run("feeds", "export", "-d", second).stdout == exported.stdout


def test_feeds_import_names_what_it_refused_and_exits_1(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'a.db'}"
    hostile = tmp_path / "hostile.opml"
    hostile.write_text(opml(feed("http://10.0.0.7/rss") + feed("https://ok.example.org/")))
    # The tests' command runner allows 127.0.0.1; this file is judged as shipped.
    done = run("feeds", "import", str(hostile), "-d", database, env={"INBRIEF_ALLOW_PRIVATE": ""})
    assert done.returncode == 1
    assert "refused: http://10.0.0.7/rss: 10.0.0.7 is a private address" in done.stderr
    assert "1 added, 0 already subscribed, 1 refused" in done.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [(LAUGHS, "declares an XML entity"), ("<opml><body>", "is not well-formed XML")],
)
def test_feeds_import_of_a_broken_file_is_one_line_and_no_traceback(
    tmp_path: Path, content: str, message: str
) -> None:
    broken = tmp_path / "broken.opml"
    broken.write_text(content)
    done = run("feeds", "import", str(broken), "-d", f"sqlite:///{tmp_path / 'a.db'}")
    assert done.returncode == 1 and done.stdout == ""
    assert not (tmp_path / "a.db").exists()  # the file is read before a database is made
    assert f"inbrief: {broken}: the file {message}" in done.stderr
    assert "Traceback" not in done.stderr


def test_feeds_import_of_a_missing_file_says_so(tmp_path: Path) -> None:
    untouched = tmp_path / "untouched.db"
    missing = run("feeds", "import", str(tmp_path / "nowhere.opml"), "-d", f"sqlite:///{untouched}")
    assert missing.returncode == 1 and "cannot read" in missing.stderr
    assert not untouched.exists()  # the file is read before any database is opened


# --- the API and the page routes --------------------------------------------------------------


@pytest.fixture
def reader(store: Store) -> Iterator[str]:
    with running(create_app(store)) as url:
        yield url


def test_the_api_imports_and_exports_opml(reader: str, store: Store) -> None:
    answer = httpx.post(f"{reader}/api/feeds/opml", json={"opml": FRESHRSS})
    assert answer.status_code == 200
    body = answer.json()
    assert body["summary"] == "2 added, 0 already subscribed, 0 refused"
    assert [(f["url"], f["category"]) for f in body["added"]] == [
        ("https://farm.example.net/atom", "Uncategorized"),
        ("https://council.example.org/minutes.rss?format=rss", "Local"),
    ]
    exported = httpx.get(f"{reader}/api/feeds/opml")
    assert exported.headers["content-type"] == "text/x-opml; charset=utf-8"
    assert "attachment" in exported.headers["content-disposition"]
    assert exported.content == write_opml(store.list_feeds())
    again = httpx.post(f"{reader}/api/feeds/opml", json={"opml": exported.text}).json()
    assert (len(again["added"]), len(again["already_subscribed"])) == (0, 2)
    page_export = httpx.get(f"{reader}/feeds/export.opml")
    assert page_export.content == exported.content


@pytest.mark.parametrize(
    ("document", "status", "detail"),
    [
        ("<opml><body>", 400, "not well-formed XML"),
        (LAUGHS, 400, "declares an XML entity"),
        (opml("") + " " * MAX_OPML_BYTES, 413, "larger than the 1 MB"),
    ],
    ids=["malformed", "entities", "too-large"],
)
def test_the_api_answers_a_broken_file_with_a_problem(
    reader: str, store: Store, document: str, status: int, detail: str
) -> None:
    answer = httpx.post(f"{reader}/api/feeds/opml", json={"opml": document})
    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/problem+json"
    assert detail in answer.json()["detail"]
    assert store.list_feeds() == ()


def test_the_upload_form_reports_added_and_refused_feeds(reader: str, store: Store) -> None:
    data = opml(feed("javascript:alert(1)", "Trap") + feed("https://ok.example.org/", "Fine"))
    page = httpx.post(f"{reader}/feeds/import", files={"opml": ("mine.opml", data)})
    assert page.status_code == 200
    assert "1 added, 0 already subscribed, 1 refused" in page.text
    assert "uses the javascript: scheme" in page.text
    assert rows(store) == {("https://ok.example.org/", "Fine", None)}
    broken = httpx.post(f"{reader}/feeds/import", files={"opml": ("bad.opml", LAUGHS)})
    assert broken.status_code == 200 and "Nothing was imported from" in broken.text


def test_importing_needs_write_access_and_exporting_does_not(store: Store) -> None:
    key = "opml-test-key-0123456789"
    with running(create_app(store, Settings(api_keys=(key,)))) as url:
        data = opml(feed("https://ok.example.org/"))
        by_api = httpx.post(f"{url}/api/feeds/opml", json={"opml": data})
        by_page = httpx.post(f"{url}/feeds/import", files={"opml": ("a.opml", data)})
        assert (by_api.status_code, by_page.status_code) == (401, 401)
        assert store.list_feeds() == ()
        assert httpx.get(f"{url}/api/feeds/opml").status_code == 200  # reading stays public
        keyed = {"Authorization": f"Bearer {key}"}
        assert httpx.post(f"{url}/api/feeds/opml", json={"opml": data}, headers=keyed).is_success
    with running(create_app(store)) as url:  # no keys: this machine may write, other sites not
        cross_site = {"Sec-Fetch-Site": "cross-site", "Origin": "https://elsewhere.example"}
        forged = httpx.post(
            f"{url}/feeds/import", files={"opml": ("a.opml", data)}, headers=cross_site
        )
        assert forged.status_code == 403
