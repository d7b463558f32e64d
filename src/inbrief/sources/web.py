"""A fetched response -> :class:`Document`: decoded as files and stdin are, refused when its
bytes are binary or it holds nothing.

Apart from the package's ``__init__`` because it needs httpx, which reading a file or stdin
should never pay to import; :func:`inbrief.sources.from_url` imports it when a URL is named.
"""

from __future__ import annotations

import httpx

from inbrief.errors import FetchError
from inbrief.fetch import HTML_TYPES, TEXT_TYPES, FetchedResponse
from inbrief.fetch.urls import hop_label
from inbrief.models import ContentKind, Document
from inbrief.sources.decode import decode, sniff_binary, sniff_kind

# The declared type decides the kind; a page that declares none, or a type a caller accepted
# besides these (a feed's), is sniffed as a file is.
_KIND_OF_TYPE: dict[str, ContentKind] = {
    **dict.fromkeys(HTML_TYPES, "html"),
    **dict.fromkeys(TEXT_TYPES, "text"),
}


def document_from_response(response: FetchedResponse, origin: str) -> Document:
    """The page ``response`` holds, fetched for ``origin`` (the URL as given).

    Raises FetchError (binary, empty) or DecodeError (bytes in no encoding we can trust).
    """
    where = hop_label(response.url, origin, redirected=bool(response.redirected_from))
    binary = sniff_binary(response.body)
    if binary is not None:
        raise FetchError(f"not a web page ({binary}): {where}")
    text = decode(response.body, declared_charset=response.charset, origin=where)
    if not text.strip():
        raise FetchError(f"{where} returned an empty page")
    path = httpx.URL(response.url).path
    kind = _KIND_OF_TYPE.get(response.content_type or "") or sniff_kind(text, path)
    return Document(content=text, kind=kind, origin=origin, url=response.url)
