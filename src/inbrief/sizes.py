"""How much inbrief reads from one source, and how its messages show a byte count.

Files, stdin and fetched pages share the one cap, so a page is refused or read the same however
it reached inbrief. The cap lives here, not in :mod:`inbrief.fetch` or :mod:`inbrief.sources`:
fetch must not import sources, and sources imports fetch only when a URL is named, so that
reading a file never pays for importing httpx.
"""

from __future__ import annotations

# Ten mebibytes: a long news page with inline scripts is rarely over 2 MB, so this leaves room
# while keeping one request or file from exhausting memory.
MAX_SOURCE_BYTES = 10 * 1024 * 1024


def format_size(size: int) -> str:
    """A byte count for messages: ``10 MB``, ``64 KB``, ``512 bytes`` (powers of 1024)."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} MB"
    if size >= 1024:
        return f"{size / 1024:.3g} KB"
    return f"{size} bytes"
