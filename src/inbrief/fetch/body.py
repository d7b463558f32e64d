"""Reading a response's body within the limits: content type and size checked before reading,
the body streamed and inflated (gzip, deflate) under the cap, never past it.

The cap counts decompressed bytes, so a small gzip bomb is refused as surely as a large page.
:class:`Inflater` does no I/O, so that an async twin of the fetch can share it.
"""

from __future__ import annotations

import time
import zlib

import httpx

from inbrief.errors import FetchError
from inbrief.fetch.limits import FetchLimits, deadline_error, too_large

_GZIP_WBITS = 16 + zlib.MAX_WBITS  # zlib's way of saying "expect a gzip header"


def mime_type(response: httpx.Response) -> str | None:
    """The media type of the response alone (``"text/html"``), or None when not declared."""
    value = response.headers.get("content-type")
    if value is None:
        return None
    return value.split(";", 1)[0].strip().lower() or None


def check_headers(response: httpx.Response, where: str, limits: FetchLimits) -> None:
    """Refuse before reading the body: a type that is not a web page, a declared size too big."""
    mime = mime_type(response)
    if mime is not None and mime not in limits.content_types:
        raise FetchError(f"not a web page (content type {mime}): {where}")
    length = response.headers.get("content-length", "").strip()
    if length.isdigit() and int(length) > limits.max_bytes:
        raise too_large(where, limits)


def read_body(
    response: httpx.Response,
    where: str,
    origin: str,
    limits: FetchLimits,
    deadline: float,
) -> bytes:
    """Stream the body, decompressing as it comes, and stop as soon as it passes the cap."""
    coding = response.headers.get("content-encoding", "").strip().lower()
    inflater = Inflater.for_coding(coding, where)
    body = bytearray()
    for chunk in response.iter_raw():
        if time.monotonic() > deadline:
            raise deadline_error(origin, limits)
        room = limits.max_bytes - len(body)
        # One byte past the room is enough to know the cap is broken, and bounds the memory a
        # compressed chunk can expand into.
        body += inflater.feed(chunk, room + 1) if inflater is not None else chunk
        if len(body) > limits.max_bytes:
            raise too_large(where, limits)
    return bytes(body)


# httpx's own decoders inflate a whole network chunk at once (one 64 KB chunk of a gzip bomb
# becomes ~64 MB), hence an inflater of our own.
class Inflater:
    """Undo a gzip or deflate Content-Encoding without ever producing more than asked for:
    every call is bounded by ``max_out``."""

    def __init__(self, coding: str, where: str) -> None:
        self._gzip = coding in ("gzip", "x-gzip")
        self._coding = coding
        self._where = where
        # deflate waits for its first two bytes to tell zlib-wrapped from raw (see _start).
        self._zlib = zlib.decompressobj(_GZIP_WBITS) if self._gzip else None
        self._head = b""
        self._members_done = 0

    @classmethod
    def for_coding(cls, coding: str, where: str) -> Inflater | None:
        """The inflater for a Content-Encoding value; None for an unencoded body."""
        if coding in ("", "identity"):
            return None
        if coding in ("gzip", "x-gzip", "deflate"):
            return cls(coding, where)
        raise FetchError(f"{where} sent an unsupported content encoding ({coding})")

    def feed(self, data: bytes, max_out: int) -> bytes:
        """Inflate ``data``, returning at most ``max_out`` bytes (more input is then dropped)."""
        if self._zlib is None:
            self._head += data
            if len(self._head) < 2:
                return b""
            data, self._head = self._head, b""
            self._zlib = self._start(data)
        out = bytearray()
        while data and len(out) < max_out:
            try:
                out += self._zlib.decompress(data, max_out - len(out))
            except zlib.error:
                if self._members_done:
                    break  # padding after a complete gzip member, as some servers send
                raise FetchError(f"{self._where} sent a corrupt {self._coding} body") from None
            if not self._zlib.eof:
                data = self._zlib.unconsumed_tail
                continue
            data = self._zlib.unused_data
            if not self._gzip:
                break  # bytes after a deflate stream are junk
            # A gzip body may hold several members one after another.
            self._members_done += 1
            self._zlib = zlib.decompressobj(_GZIP_WBITS)
        return bytes(out)

    @staticmethod
    def _start(head: bytes) -> zlib._Decompress:
        # RFC 9110 says deflate is zlib-wrapped, but some servers send raw deflate; a zlib
        # header is a CMF byte naming method 8 whose 16 bits with FLG are a multiple of 31.
        wrapped = head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
