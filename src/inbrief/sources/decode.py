"""Bytes to text, the same way for the web, files and stdin: the charset weighed as browsers
weigh it, binary formats named, HTML told from plain text.

One :func:`decode` and one :func:`sniff_kind` serve every source, so a page reads the same
however it reached inbrief; inbrief never silently hands garbled text to a summarizer.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from inbrief.errors import DecodeError
from inbrief.models import ContentKind

# First bytes of binary formats people are likely to pass by mistake. NUL bytes catch the rest.
_MAGIC_NUMBERS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"(\xb5/\xfd", "zstd archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"\x7fELF", "ELF executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"OggS", "Ogg media file"),
    (b"ID3", "MP3 audio"),
    (b"\x00\x00\x01\x00", "icon"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
)

# Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels the WHATWG Encoding Standard maps to a superset; browsers decode them that way and
# page authors rely on it (a page labelled ISO-8859-1 uses 0x92 for a curly apostrophe).
_WHATWG_SUPERSETS = {
    "iso8859_1": "cp1252",
    "ascii": "cp1252",
    "iso8859_9": "cp1254",
    "iso8859_11": "cp874",
    "tis_620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
}

# <meta charset="x"> and <meta http-equiv="Content-Type" content="text/html; charset=x">.
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
# Browsers scan 1024 bytes; pages with long inline scripts in <head> put it later than that.
_META_SCAN_BYTES = 4096

# A declared charset that leaves at most one undecodable byte per this many characters is
# taken as right with a few damaged bytes (a stray byte in a UTF-8 page), not as wrong.
_DAMAGED_CHARS_PER_ERROR = 1000

# charset-normalizer's "chaos" is the share of the decoded text that looks like mojibake.
# At 0.1 every Western, Cyrillic and Central European sample we tried (120 to 3,000
# characters from the demo corpus, re-encoded) decoded exactly, and random bytes never pass.
_MAX_CHAOS = 0.1
# Legacy Western pages are windows-1252 far more often than any other single-byte code page,
# and for Western text several code pages tie; within this much chaos prefer windows-1252.
_CHAOS_TIE = 0.02

_HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml", ".shtml"})
# Markup that only HTML opens with; searched near the start so a text that later quotes a
# tag stays text.
_HTML_START = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|article|section|main|header|div|p|h[1-6]"
    r"|table|ul|ol|br)[\s>/]",
    re.IGNORECASE,
)
_HTML_SNIFF_CHARS = 1024

# Python codecs a page may name but no browser decodes a page with: escape and IDNA codecs
# (unicode_escape turns "\ud800" into a lone surrogate), UTF-7 (which the WHATWG standard
# forbids: it hides markup), and "undefined", which always fails.  A page declaring one is read
# as if it declared nothing.  Codecs that are no text encoding at all (rot13, zlib, base64)
# are refused by their own CodecInfo.
_NOT_WEB_CODECS = frozenset(
    {"utf_7", "unicode_escape", "raw_unicode_escape", "idna", "punycode", "undefined"}
)


def decode(data: bytes, *, declared_charset: str | None = None, origin: str) -> str:
    """Decode the bytes of a page or file to text, the same way for the web, files and stdin.

    The evidence is weighed in this order (the order of the WHATWG Encoding Standard, which
    puts a byte-order mark above the HTTP header because a BOM cannot be there by accident):

    1. a byte-order mark (UTF-8, UTF-16, UTF-32);
    2. ``declared_charset`` (the HTTP ``Content-Type`` charset), then a ``<meta charset>`` or
       ``http-equiv`` declaration in the first 4 KB; labels are read as browsers read them
       (ISO-8859-1 and ASCII as windows-1252);
    3. UTF-8, if the bytes are valid UTF-8;
    4. a declared charset again, accepting a few undecodable bytes (at most one per 1,000
       characters, each replaced by U+FFFD) — a page that is right but slightly damaged;
    5. for bytes that declare nothing usable and are not UTF-8: charset-normalizer's guess,
       only when its mojibake score ("chaos") is at most 0.1, preferring windows-1252 when it
       decodes the bytes about as cleanly as the guess.

    Anything else raises :class:`DecodeError` naming ``origin``: inbrief never silently hands
    garbled text to a summarizer. Unknown charset labels are ignored, not fatal.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")

    candidates = (_codec(declared_charset), _codec(_meta_charset(data), in_meta=True))
    declared = tuple(dict.fromkeys(codec for codec in candidates if codec is not None))
    for codec in (*declared, "utf_8"):
        try:
            return data.decode(codec)
        except UnicodeError:  # UnicodeDecodeError, or the plain UnicodeError some codecs raise
            continue
    for codec in declared:
        try:
            text = data.decode(codec, errors="replace")
        except UnicodeError:
            continue
        if text.count("\ufffd") <= max(1, len(text) // _DAMAGED_CHARS_PER_ERROR):
            return text
    detected = _detect(data)
    if detected is not None:
        return detected
    labels = f" (declared {', '.join(declared)})" if declared else ""
    raise DecodeError(
        f"{origin} is not valid UTF-8 and its encoding could not be recognised{labels}; "
        "convert it to UTF-8 or declare its charset"
    )


def sniff_kind(text: str, name: str | None = None) -> ContentKind:
    """Tell HTML from plain text: an .html/.htm name, or HTML markup near the start."""
    if name is not None and Path(name).suffix.lower() in _HTML_EXTENSIONS:
        return "html"
    return "html" if _HTML_START.search(text, 0, _HTML_SNIFF_CHARS) else "text"


def sniff_binary(data: bytes) -> str | None:
    """Name the binary format ``data`` looks like (``"PNG image"``), or None if it may be text.

    Text in UTF-16/32 with a byte-order mark is text, although it holds NUL bytes.
    """
    for magic, name in _MAGIC_NUMBERS:
        if data.startswith(magic):
            return name
    if data.startswith((b"RIFF", b"RIFX")) and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}[data[8:12]]
    if data[4:8] == b"ftyp":
        return "MP4/QuickTime media file"
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return None
    if b"\x00" in data:
        return "binary data"
    return None


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data, 0, _META_SCAN_BYTES)
    return match.group(1).decode("ascii") if match else None


def _codec(label: str | None, *, in_meta: bool = False) -> str | None:
    """The Python codec for a charset label as a browser would read it; None if unknown."""
    if not label:
        return None
    try:
        info = codecs.lookup(label.strip().strip("\"'"))
    except LookupError:
        return None
    name = info.name.replace("-", "_")
    if name in _NOT_WEB_CODECS or not getattr(info, "_is_text_encoding", True):
        return None
    if in_meta and name.startswith("utf_16"):
        # A <meta> readable as ASCII cannot be UTF-16; WHATWG reads this label as UTF-8.
        return "utf_8"
    return _WHATWG_SUPERSETS.get(name, name)


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches or matches[0].chaos > _MAX_CHAOS:
        return None
    best = matches[0]
    for match in matches:
        if match.chaos <= best.chaos + _CHAOS_TIE and "cp1252" in match.could_be_from_charset:
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                break
    return str(best)
