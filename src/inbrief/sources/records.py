"""Records — one article as a mapping of fields, as JSONL streams and batch inputs carry it.

A record is untyped on purpose: it is the parsed JSON object as the line gave it (a ``dict``
with any keys and values), checked here field by field as it becomes a :class:`Document` and
an :class:`Article`, the typed dataclasses of :mod:`inbrief.models`.

A record holds an ``id``, exactly one of ``text``, ``html`` or ``url``, and optional metadata
(``title``, ``language``, ``date``, and ``source_url``, where the text or HTML was published).
``article`` is accepted for ``text``: summarization datasets (CNN/DailyMail, OrangeSum, the files
``inbrief eval summaries`` reads) name the article text so, and can then be summarized as they are.
``inbrief summarize --jsonl`` and ``inbrief batch`` both turn records into articles here, so
the same record gives the same article, and the same summary, on every interface.

    article = article_from_record({"id": 7, "text": "The council met on Monday. ..."})
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from inbrief.errors import SourceError
from inbrief.extract import extract as extract_document
from inbrief.models import Article, Document
from inbrief.sources import from_html, from_text, load

CONTENT_KEYS = ("text", "html", "url")
# Another name for "text", as in {"id", "article", "reference"} evaluation datasets.
TEXT_ALIAS = "article"
# Metadata given beside the content; it wins over what extraction guessed.
METADATA_KEYS = ("title", "language", "date")


def parse_json_line(line: str, where: str) -> dict[str, Any]:
    """Parse one JSONL line into a record; ``where`` (``line 12``) names it in the error."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise SourceError(f"{where}: not valid JSON ({exc.msg})") from None
    except RecursionError:
        # The decoder recurses once per nested array or object: "[[[[..." deep enough ends it.
        raise SourceError(f"{where}: JSON nested too deeply to be a record") from None
    if not isinstance(record, dict):
        raise SourceError(f"{where}: expected a JSON object")
    return record


def document_from_record(record: dict[str, Any]) -> Document:
    """The document a record names: its text, its HTML, or the page fetched from its URL."""
    origin = f"id {record.get('id')!r}"
    kinds = [key for key in (*CONTENT_KEYS, TEXT_ALIAS) if record.get(key) is not None]
    if len(kinds) != 1:
        raise SourceError(f"{origin}: give exactly one of text (or article), html or url")
    value = record[kinds[0]]
    kind = "text" if kinds[0] == TEXT_ALIAS else kinds[0]
    if not isinstance(value, str):
        raise SourceError(f"{origin}: {kind} must be a string")
    if kind == "url":
        return load(value)
    source_url = record.get("source_url")
    if source_url is not None and not isinstance(source_url, str):
        raise SourceError(f"{origin}: source_url must be a string")
    if kind == "html":
        return from_html(value, origin=origin, url=source_url)
    return from_text(value, origin=origin)


def article_from_record(record: dict[str, Any]) -> Article:
    """Extract the record's article, with the metadata the record gives taking precedence."""
    article = extract_document(document_from_record(record))
    overrides = {key: record[key] for key in METADATA_KEYS if isinstance(record.get(key), str)}
    if article.url is None and isinstance(record.get("source_url"), str):
        overrides["url"] = record["source_url"]
    if overrides:
        article = replace(article, **overrides)
    return article
