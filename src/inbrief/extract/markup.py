"""Wiki markup left in plain text, read as a reader sees the rendered page::

    >>> unwrap_wiki_markup("The court [https://example.org/ruling ruled] on Monday.")
    'The court ruled on Monday.'

Texts copied from a wiki's source (the Wikinews bodies of the demo corpus) keep its external
links, ``[https://example.org/x the link text]``, and the options of an image before its
caption, ``thumb|The caption``.  The page shows the link text and the caption alone, and so
does the article: the markup is furniture no sentence should carry.
"""

from __future__ import annotations

import re

# An external link: a URL in brackets, then perhaps its text.  A bracket that opens no URL
# ("[heavily emended for clarity]", "[…]") is the writer's, and stays.
_EXTERNAL_LINK = re.compile(r"\[(?:https?:)?//[^\s\]]+(?:[ \t]+([^\]\n]*))?\]")
# Image options a caption line opens with: "thumb|", "thumb|right|200px|".
_IMAGE_OPTIONS = re.compile(
    r"^[ \t]*(?:(?:thumb|thumbnail|frame|frameless|left|right|center|upright|\d+px)\|)+",
    re.MULTILINE,
)


def unwrap_wiki_markup(text: str) -> str:
    """``text`` with wiki external links replaced by their text (or dropped when they have
    none) and image options removed from the lines they open."""
    if "[" in text:
        text = _EXTERNAL_LINK.sub(_link_text, text)
    if "|" in text:
        text = _IMAGE_OPTIONS.sub("", text)
    return text


def _link_text(link: re.Match[str]) -> str:
    return (link.group(1) or "").strip()
