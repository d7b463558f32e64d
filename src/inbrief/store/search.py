"""The search box's language, read once and written for each database's full-text engine.

:func:`parse_search` reads what a reader typed into alternatives of required and excluded items;
:func:`fts5_query` (SQLite) and :func:`websearch_query` (PostgreSQL) write those groups so that
every item is a quoted string, never syntax, and both databases give one query one meaning.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Bounds the work one search box can ask of the database.
_MAX_QUERY_ITEMS = 32

_SEARCH_ITEM = re.compile(r'(?P<negated>-?)(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
_WORD_CHARACTER = re.compile(r"[^\W_]")


@dataclass(frozen=True)
class SearchGroup:
    """Items that must all match (``required``) while none of ``excluded`` does."""

    required: tuple[str, ...]
    excluded: tuple[str, ...]


def parse_search(text: str) -> tuple[SearchGroup, ...]:
    """Read a search box the way :meth:`Store.search` documents; groups are alternatives.

    Each item (a word or a quoted phrase) is kept as its text, without quotes; each database
    splits it into words with the same tokenizer it used on the articles, so both compare like
    with like.  Items with no letter or digit are dropped.
    """
    groups: list[tuple[list[str], list[str]]] = [([], [])]
    pending_or = False
    items = 0
    for match in _SEARCH_ITEM.finditer(_CONTROL_CHARACTERS.sub(" ", text)):
        if items == _MAX_QUERY_ITEMS:
            break
        item = match["phrase"] if match["phrase"] is not None else match["word"]
        negated = bool(match["negated"])
        is_or = match["word"] is not None and not negated and item.lower() == "or"
        if is_or and (groups[-1][0] or groups[-1][1]):  # "or" after an item is the operator
            pending_or = True
            continue
        if not _WORD_CHARACTER.search(item):
            continue
        if pending_or:
            groups.append(([], []))
            pending_or = False
        groups[-1][1 if negated else 0].append(item.strip())
        items += 1
    if pending_or:  # a trailing "or" is a word
        groups[-1][0].append("or")
    # A group must say what to find: "-coal" alone would match nearly every article.
    return tuple(
        SearchGroup(tuple(required), tuple(excluded)) for required, excluded in groups if required
    )


def fts5_query(groups: Sequence[SearchGroup]) -> str:
    """The groups as an FTS5 expression; every item is a quoted FTS5 string, never syntax."""

    def group(g: SearchGroup) -> str:
        required = " AND ".join(f'"{item}"' for item in g.required)
        return "(" + required + "".join(f' NOT "{item}"' for item in g.excluded) + ")"

    return " OR ".join(group(g) for g in groups)


def websearch_query(groups: Sequence[SearchGroup]) -> str:
    """The groups in PostgreSQL's websearch syntax: quoted items, ``-`` and ``or`` only."""

    def group(g: SearchGroup) -> str:
        return " ".join(
            [f'"{item}"' for item in g.required] + [f'-"{item}"' for item in g.excluded]
        )

    return " or ".join(group(g) for g in groups)
