"""The model's answer read tolerantly: JSON where it kept to it, numbered prose where it did not.

    drafts = read_answer('{"sentences": [{"text": "The bridge closed.", "cites": [2]}]}')

Small models wrap JSON in code fences, put prose around it, name the fields differently, give
citations as "[2]" inside the text, or answer in plain lines.  Each shape is read; what cannot
be read as at least one sentence is an :class:`~inbrief.errors.LLMError`.  Citations are
article sentence numbers as shown to the model (1-based); they are returned as 0-based
sentence indexes, unverified (the check verifies them).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from inbrief.errors import LLMError
from inbrief.text import split_sentences

MAX_DRAFTS = 24
"""More sentences than any budget asks for are not read (a model that loops)."""

# "[3]", "(2, 4)", "[sentences 1-3]" after or inside a written sentence.
_MARKER = re.compile(
    r"\s*[\[(【]\s*(?:sentences?\s*)?(\d{1,4}(?:\s*[,;\u2013-]\s*\d{1,4})*)\s*[\])】]"
)
_FENCE = re.compile(r"```(?:json)?", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
_TEXT_KEYS = ("text", "sentence", "summary", "content")
_CITE_KEYS = ("cites", "citations", "cite", "sources", "source", "refs", "references", "support")


@dataclass(frozen=True)
class Draft:
    """One sentence the model wrote and the article sentences (0-based) it cited."""

    text: str
    cited: tuple[int, ...] = ()


def read_answer(content: str, language: str | None = None) -> list[Draft]:
    """The sentences in a model's answer, in its order; LLMError when there are none."""
    text = _FENCE.sub("", content or "").strip()
    drafts = _from_json(text, language)
    if drafts is None and _JSON_TEXT.search(text):
        drafts = _from_cut_json(text)
    if drafts is None:
        drafts = _from_prose(text, language)
    # A small model repeats itself: each sentence once, in its first place.
    unique = {d.text.casefold(): d for d in reversed(drafts) if _has_words(d.text)}
    drafts = [d for d in drafts if unique.get(d.text.casefold()) is d][:MAX_DRAFTS]
    if not drafts:
        raise LLMError("the model's answer held no summary sentence")
    return drafts


def _from_json(text: str, language: str | None) -> list[Draft] | None:
    value = _first_json(text)
    if value is None:
        return None
    if isinstance(value, dict):
        items = next(
            (value[k] for k in ("sentences", "summary", "items", "result") if k in value), None
        )
        if items is None:
            return None
        value = items
    if isinstance(value, str):
        return _from_prose(value, language)
    if not isinstance(value, list) or not any(isinstance(i, str | dict) for i in value):
        return None  # "[2]" in prose is a citation, not JSON
    drafts: list[Draft] = []
    for item in value:
        if isinstance(item, str):
            drafts.extend(_from_prose(item, language))
        elif isinstance(item, dict):
            said = next((item[k] for k in _TEXT_KEYS if isinstance(item.get(k), str)), "")
            cites: object = next((item[k] for k in _CITE_KEYS if k in item), [])
            drafts.extend(_split(str(said), _numbers(cites), language))
    return drafts


def _split(said: str, cited: tuple[int, ...], language: str | None) -> list[Draft]:
    """One draft per sentence of a text field that holds several, each with its citations."""
    drafts = []
    for sentence in split_sentences(said, language) or ():
        text, markers = _clean(sentence.text)
        if text:
            drafts.append(Draft(text, cited or markers))
    return drafts


# A sentence's text in JSON the answer limit cut off: '"text": "The ferry stopped."'.
_JSON_TEXT = re.compile(r'"(?:text|sentence)"\s*:\s*("(?:[^"\\\n]|\\.)*")')
_JSON_CITES = re.compile(r'\s*,\s*"(?:cites|citations|sources)"\s*:\s*\[([\d\s,]*)\]')


def _from_cut_json(text: str) -> list[Draft] | None:
    """The complete sentence texts of a JSON answer cut off before its end (and the plain
    number lists of citations right after them)."""
    drafts = []
    for match in _JSON_TEXT.finditer(text):
        try:
            said = json.loads(match.group(1))
        except ValueError:
            continue
        cites = _JSON_CITES.match(text, match.end())
        drafts.extend(_split(str(said), _numbers(cites.group(1)) if cites else (), None))
    return drafts or None


def _first_json(text: str) -> Any:
    """The first JSON object or array in ``text``, or None."""
    decoder = json.JSONDecoder()
    for match in re.finditer(r"[{\[]", text):
        try:
            value, _ = decoder.raw_decode(text, match.start())
        except ValueError:
            continue
        if isinstance(value, dict | list) and value:
            return value
    return None


def _from_prose(text: str, language: str | None) -> list[Draft]:
    drafts = []
    for line in text.splitlines():
        line = _BULLET.sub("", line).strip()
        if not line or (line.endswith(":") and len(line.split()) < 6):
            continue  # "Here is the summary:"
        for sentence in split_sentences(line, language):
            said, cited = _clean(sentence.text)
            if _has_words(said):
                drafts.append(Draft(said, cited))
            elif cited and drafts:  # "... on Monday. [1]": the marker closes the sentence before
                last = drafts[-1]
                drafts[-1] = Draft(last.text, tuple(dict.fromkeys((*last.cited, *cited))))
    return drafts


def _clean(text: str) -> tuple[str, tuple[int, ...]]:
    """The sentence without its citation markers, and the sentence indexes they name."""
    cited = _numbers([m.group(1) for m in _MARKER.finditer(text)])
    said = " ".join(_MARKER.sub("", text).split())
    # "1. The ferry stopped.": the model numbered its own sentences.
    return _BULLET.sub("", said), cited


def _numbers(value: object) -> tuple[int, ...]:
    """0-based indexes from citations given as 3, "3", [1, 2], "1, 2", "[1-3]"..."""
    found: list[int] = []
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, bool):
            continue
        if isinstance(item, int):
            numbers = [item]
        else:
            numbers = []
            for start, _, end in re.findall(r"(\d{1,4})(\s*[\u2013-]\s*(\d{1,4}))?", str(item)):
                first = int(start)
                last = int(end) if end else first
                numbers.extend(range(first, min(last, first + 20) + 1))
        found.extend(n - 1 for n in numbers if n >= 1)
    return tuple(dict.fromkeys(found))


def _has_words(text: str) -> bool:
    return len(re.findall(r"\w+", text)) >= 3
