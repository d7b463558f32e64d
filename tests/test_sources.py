"""sources: real files in tmp_path, a real stdin stream, and the shared decoder."""

from __future__ import annotations

import codecs
import gzip
import io
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from inbrief import sources
from inbrief.errors import DecodeError, FetchError, SourceError
from inbrief.sources import decode, from_html, from_text, load, sniff_kind

# Cyrillic on purpose: RUF001 flags its letters that look Latin.
RUSSIAN = (
    "Правительство объявило в среду о новом плане поддержки школ. По словам министра, "  # noqa: RUF001
    "финансирование вырастет уже в следующем году, а учителя получат прибавку к зарплате. "  # noqa: RUF001
    "Оппозиция назвала план недостаточным и потребовала обсуждения в парламенте."
)
FRENCH = (
    "Le gouvernement a annoncé mercredi un nouveau plan de soutien aux écoles. Selon la "
    "ministre, le financement augmentera dès l\u2019année prochaine et les enseignants "
    "verront leur salaire progresser. L\u2019opposition a jugé le plan insuffisant et "
    "réclamé un débat."
)
STORY_HTML = "<!DOCTYPE html><html><body><article><p>Budget passed.</p></article></body></html>"


def html_page(body: str, charset: str | None = None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"<html><head>{meta}<title>News</title></head><body><p>{body}</p></body></html>"


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def set_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


# --- files that work -----------------------------------------------------------------------


def test_html_file(tmp_path):
    path = write(tmp_path, "story.html", STORY_HTML.encode())

    document = load(path)

    assert document.content == STORY_HTML
    assert document.kind == "html"
    assert document.origin == path
    assert document.url is None


def test_text_file(tmp_path):
    path = write(tmp_path, "story.txt", FRENCH.encode())

    document = load(path)

    assert (document.kind, document.content) == ("text", FRENCH)


def test_html_is_sniffed_without_an_html_extension(tmp_path):
    path = write(tmp_path, "saved-page", STORY_HTML.encode())

    assert load(path).kind == "html"


def test_htm_extension_means_html(tmp_path):
    path = write(tmp_path, "story.htm", b"Budget passed on Tuesday.")

    assert load(path).kind == "html"


def test_windows_1251_file_with_meta_charset(tmp_path):
    path = write(tmp_path, "ru.html", html_page(RUSSIAN, "windows-1251").encode("cp1251"))

    assert RUSSIAN in load(path).content


def test_cp1252_file_declared_latin1(tmp_path):
    data = html_page(FRENCH, "iso-8859-1").encode("cp1252")
    assert b"\x92" in data  # the curly apostrophe only windows-1252 has
    path = write(tmp_path, "fr.html", data)

    assert FRENCH in load(path).content


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r"])
def test_undeclared_cyrillic_text_is_detected(tmp_path, encoding):
    path = write(tmp_path, "ru.txt", RUSSIAN.encode(encoding))

    assert load(path).content == RUSSIAN


def test_undeclared_western_text_is_detected_as_windows_1252(tmp_path):
    path = write(tmp_path, "fr.txt", FRENCH.encode("cp1252"))

    assert load(path).content == FRENCH


def test_utf16_file_with_bom(tmp_path):
    path = write(tmp_path, "ru.txt", codecs.BOM_UTF16_LE + RUSSIAN.encode("utf-16-le"))

    assert load(path).content == RUSSIAN


# --- files that do not ---------------------------------------------------------------------


def test_missing_file(tmp_path):
    path = str(tmp_path / "nowhere.html")

    with pytest.raises(SourceError) as raised:
        load(path)
    assert str(raised.value) == f"no such file: {path}"


def test_directory(tmp_path):
    with pytest.raises(SourceError, match="is a directory") as raised:
        load(str(tmp_path))
    assert str(raised.value).startswith(f"{tmp_path} is a directory")


def test_file_over_the_size_limit(tmp_path):
    path = tmp_path / "archive.html"
    with path.open("wb") as handle:
        handle.truncate(sources.MAX_SOURCE_BYTES + 1)  # sparse: no 10 MB actually written

    with pytest.raises(SourceError, match="larger than the 10 MB limit") as raised:
        load(str(path))
    assert str(path) in str(raised.value)


def test_file_at_the_size_limit_is_read(tmp_path):
    padding = sources.MAX_SOURCE_BYTES - len(STORY_HTML)
    path = write(tmp_path, "long.html", STORY_HTML.encode() + b" " * padding)

    assert load(path).content.startswith(STORY_HTML)


def _zip_bytes(tmp_path: Path) -> bytes:
    archive = tmp_path / "pages.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("story.html", STORY_HTML)
    return archive.read_bytes()


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [
        ("photo.png", lambda _: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40), "PNG image"),
        ("photo.jpg", lambda _: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(40), "JPEG image"),
        ("paper.pdf", lambda _: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF document"),
        ("pages.zip", _zip_bytes, "ZIP archive"),
        ("story.html.gz", lambda _: gzip.compress(STORY_HTML.encode()), "gzip archive"),
        ("story.html", lambda _: b"<html>\x00\x01\x02\x00</html>", "binary data"),
    ],
)
def test_binary_file(tmp_path, name, make, kind):
    path = write(tmp_path, name, make(tmp_path))

    with pytest.raises(SourceError) as raised:
        load(path)
    assert str(raised.value) == f"{path} looks like a binary file ({kind}), not HTML or text"


@pytest.mark.parametrize(
    "data", [b"", b" \n\t\r\n  ", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n \n"], ids=repr
)
def test_empty_file(tmp_path, data):
    path = write(tmp_path, "blank.txt", data)

    with pytest.raises(SourceError) as raised:
        load(path)
    assert str(raised.value) == f"{path} is empty"


def test_invalid_utf8_without_a_trustworthy_encoding(tmp_path):
    # High bytes in an order no language produces: charset detection must not guess.
    path = write(tmp_path, "mangled.txt", b"Budget: " + bytes(range(0x80, 0x100)) * 3)

    with pytest.raises(DecodeError) as raised:
        load(path)
    assert str(raised.value).startswith(f"{path} is not valid UTF-8")


def _read_as_nobody(path: Path) -> str:
    """Run load() as uid 65534, since root reads any file.

    The child starts as root and drops to nobody only after importing inbrief, because the
    interpreter itself may live where nobody cannot reach it.
    """
    program = (
        "import os, sys\nfrom inbrief.sources import load\n"
        "os.setgid(65534)\nos.setuid(65534)\n"
        "try:\n    load(sys.argv[1])\nexcept Exception as exc:\n"
        "    print(type(exc).__name__ + '|' + str(exc))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    done = subprocess.run(
        [sys.executable, "-c", program, str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def test_unreadable_file():
    with tempfile.TemporaryDirectory() as folder:
        os.chmod(folder, 0o755)  # let the unprivileged reader reach the file itself
        path = Path(folder) / "story.html"
        path.write_text(STORY_HTML)
        path.chmod(0)
        if os.geteuid() == 0:
            outcome = _read_as_nobody(path)
        else:
            with pytest.raises(SourceError) as raised:
                load(str(path))
            outcome = f"SourceError|{raised.value}"
    assert outcome == f"SourceError|cannot read {path}: permission denied"


# --- stdin ---------------------------------------------------------------------------------


def test_stdin_html(monkeypatch):
    set_stdin(monkeypatch, STORY_HTML.encode())

    document = load("-")

    assert (document.kind, document.origin, document.content) == ("html", "<stdin>", STORY_HTML)


def test_stdin_bytes_are_decoded_like_files(monkeypatch):
    set_stdin(monkeypatch, html_page(RUSSIAN, "windows-1251").encode("cp1251"))

    assert RUSSIAN in load("-").content


def test_stdin_text_stream_without_bytes(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(FRENCH))

    assert load("-").content == FRENCH


def test_empty_stdin(monkeypatch):
    set_stdin(monkeypatch, b"\n")

    with pytest.raises(SourceError) as raised:
        load("-")
    assert str(raised.value) == "<stdin> is empty"


def test_binary_stdin(monkeypatch):
    set_stdin(monkeypatch, b"%PDF-1.4\n" + bytes(100))

    with pytest.raises(SourceError) as raised:
        load("-")
    assert str(raised.value) == "<stdin> looks like a binary file (PDF document), not HTML or text"


def test_stdin_over_the_size_limit(monkeypatch):
    set_stdin(monkeypatch, b"a" * (sources.MAX_SOURCE_BYTES + 1))

    with pytest.raises(SourceError, match=r"^<stdin> is larger than the 10 MB limit"):
        load("-")


def test_closed_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", None)

    with pytest.raises(SourceError, match="standard input is closed"):
        load("-")


# --- URLs go to fetch ----------------------------------------------------------------------


def test_url_is_fetched(http_server):
    url = http_server.route("/story", STORY_HTML)

    document = load(url)

    assert (document.url, document.origin, document.content) == (url, url, STORY_HTML)


def test_other_url_schemes_are_refused_not_read_as_paths():
    with pytest.raises(FetchError, match="ftp: scheme") as raised:
        load("ftp://example.org/story.html")
    assert "ftp://example.org/story.html" in str(raised.value)


# --- library entry points ------------------------------------------------------------------


def test_from_text():
    document = from_text(FRENCH)

    assert (document.content, document.kind, document.origin) == (FRENCH, "text", "<text>")


def test_from_html_keeps_its_url():
    document = from_html(STORY_HTML, url="https://example.org/story")

    assert (document.kind, document.origin) == ("html", "<html>")
    assert document.url == "https://example.org/story"


@pytest.mark.parametrize("make", [from_text, from_html])
def test_blank_strings_are_refused(make):
    with pytest.raises(SourceError, match=r"^id 7 is empty$"):
        make("   \n", origin="id 7")


# --- decode: one decoder for the web, files and stdin --------------------------------------


def test_bom_outweighs_a_declared_charset():
    data = codecs.BOM_UTF8 + RUSSIAN.encode()

    assert decode(data, declared_charset="windows-1251", origin="x") == RUSSIAN


def test_declared_charset_outweighs_meta():
    data = html_page(RUSSIAN, "utf-8").encode("cp1251")

    assert RUSSIAN in decode(data, declared_charset="windows-1251", origin="x")


def test_unknown_charset_label_is_ignored():
    data = html_page(FRENCH, "x-no-such-charset").encode()

    assert FRENCH in decode(data, declared_charset="klingon", origin="x")


def test_a_stray_byte_in_declared_utf8_is_replaced_not_fatal():
    data = RUSSIAN.encode() + b"\xff" + RUSSIAN.encode()

    assert decode(data, declared_charset="utf-8", origin="x") == f"{RUSSIAN}\ufffd{RUSSIAN}"


def test_wrong_declared_charset_falls_back_to_detection():
    # Labelled UTF-8, actually windows-1251: too many bad bytes to be a damaged UTF-8 page.
    data = RUSSIAN.encode("cp1251")

    assert decode(data, declared_charset="utf-8", origin="x") == RUSSIAN


# --- HTML or text --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start",
    ["<!doctype html>", "  <html lang='en'>", "<?xml version='1.0'?>\n<html>", "<p>Hi", "<div>"],
)
def test_markup_near_the_start_is_html(start):
    assert sniff_kind(start + " Budget passed.") == "html"


def test_tag_quoted_far_into_a_text_stays_text():
    assert sniff_kind(FRENCH * 5 + " Write <p> for a paragraph.") == "text"
