"""Which per-language phrase tables apply to a text, and how their patterns become one.

Both the furniture tables (:mod:`inbrief.extract.phrases`) and the gate's markers
(:mod:`inbrief.extract.markers`) are chosen and compiled this way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TypeVar

from inbrief.text import normalize_language

T = TypeVar("T")


def tables_for(language: str | None, tables: Mapping[str, T]) -> tuple[str | None, list[T]]:
    """The phrase tables that apply to text in ``language``: its own plus English (the web's
    lingua franca of widgets and paywalls), or every table when the language is unknown or has
    none; with the key to cache what is built from them under."""
    code = normalize_language(language)
    key = code if code in tables else None
    chosen = [tables["en"], tables[key]] if key else list(tables.values())
    return key, list(dict.fromkeys(chosen))


def union(patterns: Iterable[str]) -> re.Pattern[str]:
    """One case-insensitive pattern matching any of ``patterns``."""
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
