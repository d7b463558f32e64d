# ruff: noqa: RUF001, RUF002, RUF003
# (Quotation marks, apostrophes and Cyrillic letters of several traditions are meant as written.)
"""What a news summary must not show: bylines, time stamps, captions, credits, code, subheadings.

Scraped and extracted articles keep page furniture as sentences of their own (``By Jane Doe.``,
``Published: 12:00 EST, 3 April 2013``, ``Photo: Getty Images``, ``Scroll down for video``,
scraped JavaScript, a subheading on a line of its own).  The ``news`` summarizer never chooses
them, and marks them as a feature, since the sentence after a caption reads differently too.

Patterns see lower-cased sentences, one per line (:class:`ArticleLines`), so ``^`` and ``$``
are sentence edges.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from inbrief.summarizers.news.lines import ArticleLines
from inbrief.text.punctuation import (
    CLAUSE_STOPS,
    HEADING_WORDS,
    ends_sentence,
    has_sentence_end,
    is_heading,
)

_TOKEN = re.compile(r"\w+")

_BOILERPLATE = re.compile(
    r"""^[^\w\n]*(?:
        by\s+(?:\.\s*)?[\w.'’-]+(?:[ \t]+[\w.'’-]+){0,3}[ \t]*[.,]?[ \t]*$    # by jane doe .
      | (?:published|updated|last\s+updated|posted|modified)\s*(?::|at\b|on\b)  # time stamps
      | (?:photo|photos|image|images|picture|pictures|video|credit|credits|source|
           caption|illustration|graphic|file\s+photo)\s*:                     # credit lines
      | (?:pictured|above|below|left|right|top|bottom|inset|main\s+picture)\s*:  # captions
      | scroll\s+down\b | click\s+here\b | see\s+below\s+for\b | play\s+video\b
      | watch\s+(?:the\s+)?video\b | read\s+more\b | related\s*: | share\s+this\b
      | follow\s+(?:us\s+)?(?:@|on\s+twitter) | sign\s+up\b | subscribe\b
      | sorry\s+we\s+are\s+not\b | all\s+rights\s+reserved | copyright\b
      | lire\s+aussi\b | à\s+lire\s+aussi\b | voir\s+aussi\b | (?:crédit|légende)\s*:
      | (?:фото|фотография|снимок|видео|источник|иллюстрация|изображение|кадр|скриншот|
           инфографика|коллаж|сурет|суреттер|бейне|дереккөз|дерек\s+көзі)\s*:  # ru, kk credits
      | фото\s+(?:автора|из\s+открытых\s+источников|пресс-службы)\b
      | [^\W\d_][\w\ .,'’-]{0,40}/[^\W\d_][\w.-]{0,24}/[ \t]*[.-]*[ \t]*$  # x. /tass/.
    )""",
    re.VERBOSE | re.MULTILINE,
)
# Embedded tweets left in the text by scraping.
_TWEET = re.compile(r"twitter\.com/\w+/status/\d+|pic\.twitter\.com/\w+")
_CREDIT_WORDS = ("photo", "image", "picture", "credit", "source")
_CREDIT_WORD = re.compile("|".join(_CREDIT_WORDS))
_CREDIT_TAIL = re.compile(
    r"\b(?:photo|image|picture|credit|source)s?[ \t]*(?::|by)[ \t]*[\w .&'/-]{0,40}?"
    r"\b(?:getty|reuters|ap|afp|epa|pa|rex|shutterstock|corbis|images?)\b[\w .]*\)?[ \t]*\.?$"
)
_CAPTION_CUE = re.compile(
    r",\s*(?:left|right|centre|center|top|bottom|above|below|pictured)\s*[,.)]"
    r"|\(\s*(?:left|right|centre|center|top|bottom|above|below|pictured)\s*\)"
    r"|\bpictured\b|\bseen here\b|\bin this (?:photo|image|picture)\b|\bfile photo\b"
)
# Russian and Kazakh credits closing a caption ("Кронпринц Нарухито. Фото: ТАСС" split late,
# "Акихито с супругой Фото: Reuters") and a credit line led by the copyright sign.
_CYRILLIC_CREDIT_TAIL = re.compile(r"\b(?:фото|снимок|кадр|сурет)[ \t]*:[ \t]*[^\n.!?]{1,60}$")
_COPYRIGHT = re.compile(r"^[^\w\n]*©")
_CREDIT_MAX_WORDS = 12
# A caption says where people stand in the photo: "(справа)", "на снимке", "(оң жақта)".
_CYRILLIC_CAPTION_CUE = re.compile(
    r"\(\s*(?:справа|слева|в центре|сверху|снизу|на фото|оң жақта|сол жақта|ортада)\s*\)"
    r"|\bна (?:фото|снимке|фотографии)\b|\bсуретте\b"
)
# "label : text" opening a sentence -- but not "he said : ' ..." which opens a quotation.
_LABEL = re.compile(r"^[^\w]*[\w'’-]+(?:[ \t]+[\w'’-]+){0,4}[ \t]*:[ \t]*(?![`'‘\"“«\s]|$)")
_TIME_STAMP = re.compile(r"\d[:.]\d\d\s*(?:est|edt|gmt|bst|utc|cet|am|pm)\b")
_CODE_HINTS = ("=", "{", "}", "<", ">", "function", "window.", "document.")
_CODE_WORDS = re.compile(r"[=;{}<>]|function|window\.|document\.")
_CODE = re.compile(
    r"\bfunction\s*\(|\bvar\s+\w+\s*=|\b(?:window|document)\.\w|\bnew\s+\w+\s*\("
    r"|=>|\)\s*\{|\}\s*\)|[;{,]\s*['\"]?\w+['\"]?\s*:\s*['\"\w{\[]|\w\s*===?\s*\w|</?[a-z]+[^>]*>"
)
_CODE_CHAR = re.compile(r"[{}=;<>\[\]|\\]")


def labelled(lines: ArticleLines) -> np.ndarray:
    """True for sentences opening with a short ``label :`` (a caption's or a credit's shape)."""
    return lines.flags(_LABEL, only=lines.containing(":"))


def furniture(
    lines: ArticleLines, lengths: np.ndarray, digits: np.ndarray, label: np.ndarray
) -> np.ndarray:
    """True for bylines, time stamps, captions, credits, datelines, embedded tweets and code.

    ``lengths`` and ``digits`` count each sentence's word tokens and those starting with a
    digit; ``label`` is :func:`labelled`.
    """
    # A few words, mostly numbers: a dateline ("Paris, 22 mai 2012.") or a list number ("3 .").
    flagged = (lengths == 0) | ((lengths <= 5) & (digits * 5 >= lengths * 2))
    flagged |= lines.opening(_BOILERPLATE)
    if any(word in lines.text for word in _CREDIT_WORDS):
        flagged |= lines.flags(_CREDIT_TAIL, only=lines.flags(_CREDIT_WORD))
    flagged |= lines.flags(_TIME_STAMP, only=lengths <= 14)
    short = lengths <= _CREDIT_MAX_WORDS
    if "©" in lines.text:
        flagged |= lines.flags(_COPYRIGHT, only=lines.containing("©") & short)
    if ":" in lines.text and not lines.text.isascii():
        flagged |= lines.flags(_CYRILLIC_CREDIT_TAIL, only=lines.containing(":") & short)
    flagged |= lines.flags(_TWEET, only=lines.containing("twitter.com"))
    # "reunion : anna berg , left , greets her brother ..." is a tabloid photo caption.
    flagged |= lines.flags(_CAPTION_CUE, only=label)
    flagged |= code(lines, lengths)
    return flagged


def code(lines: ArticleLines, lengths: np.ndarray) -> np.ndarray:
    """Sentences of scraped program text (JavaScript, JSON, HTML) rather than prose."""
    text = lines.text
    # Prose almost never holds these; most articles are cleared by a few substring tests.
    if not any(hint in text for hint in _CODE_HINTS) and text.count(";") < 2:
        return np.zeros(lines.size, dtype=bool)
    candidates = lines.flags(_CODE_WORDS)
    hits = np.zeros(lines.size, dtype=np.int64)
    symbols = np.zeros(lines.size, dtype=np.int64)
    for i in np.flatnonzero(candidates).tolist():
        hits[i] = len(_CODE.findall(lines.lines[i]))
        symbols[i] = len(_CODE_CHAR.findall(lines.lines[i]))
    # Prose rarely holds two code constructs, or a brace-like symbol for every 8 words.
    return (hits >= 2) | ((symbols >= 4) & (symbols * 8 > lengths))


FRAGMENT_WORDS = 4
"""A "sentence" of fewer words than this is a fragment in a summary ("Business focus!", a split
"The VW ID."): chosen only when nothing better is left, though the model still reads it as a
sentence."""

# Two "Label: value" fields on one unpunctuated line: a page's metadata strip ("Tested by: ...
# Price: ... More info: ..."), not prose; a numbered list item ("3) Box set: ...").
_FIELD = re.compile(r"(?:^|\s)[\w'’-]+(?:[ \t]+[\w'’-]+){0,2}:[ \t]")
_LIST_ITEM = re.compile(r"^[^\w\n]*\d{1,2}\)\s", re.MULTILINE)


def unfit(lines: ArticleLines, lengths: np.ndarray) -> np.ndarray:
    """True for sentences a summary should show only when nothing better is left, though they
    are no furniture the model learned: fragments, metadata strips, numbered list items, and
    photo captions -- a line without closing punctuation that the splitter cut off the story
    ("Император Акихито (справа) с президентом ... 20 мая 2017 года"), or one saying where
    people stand in the picture.  ``lengths`` counts each sentence's word tokens."""
    found = lengths < FRAGMENT_WORDS
    found |= lines.opening(_LIST_ITEM)
    found |= captions(lines)
    for i in np.flatnonzero(lines.containing(":")).tolist():
        line = lines.lines[i]
        if len(_FIELD.findall(line)) >= 2 and not has_sentence_end(line):
            found[i] = True
    return found


def captions(lines: ArticleLines) -> np.ndarray:
    """True for the sentences that read as photo captions: not the article's last, without a
    sentence's closing punctuation, or with a Russian or Kazakh cue of where people stand."""
    found = np.array(
        [not ends_sentence(line, stops=CLAUSE_STOPS, trailing_space=True) for line in lines.lines],
        dtype=bool,
    )
    if found.size:
        found[-1] = False  # an article may stop on an unpunctuated line: its last, not a caption
    if not lines.text.isascii():
        found |= lines.flags(_CYRILLIC_CAPTION_CUE)
    return found


def is_boilerplate(sentence: str) -> bool:
    """True for a sentence no summary should show: byline, time stamp, caption, credit, code.

    Examples: ``By Jane Doe.``, ``Published: 12:00 EST, 3 April 2013``, ``Updated: ...``,
    ``Photo: Getty Images``, ``Pictured: the mayor, left, ...``, ``Scroll down for video``,
    and scraped JavaScript such as ``window.player = new Pvp('x', {id: "y"})``.
    """
    lines = ArticleLines([sentence])
    words = _TOKEN.findall(lines.lines[0])
    lengths = np.array([len(words)], dtype=np.int64)
    digits = np.array([sum(word[0].isdigit() for word in words)], dtype=np.int64)
    return bool(furniture(lines, lengths, digits, labelled(lines))[0])


def looks_like_code(sentence: str) -> bool:
    """True when a sentence is scraped program text (JavaScript, JSON, HTML), not prose."""
    lines = ArticleLines([sentence])
    return bool(code(lines, np.array([len(_TOKEN.findall(sentence))]))[0])


def headings(texts: Sequence[str], word_counts: np.ndarray | None = None) -> np.ndarray:
    """True for each "sentence" that is a subheading or label: short and unpunctuated.

    Extracted pages keep their subheadings ("Collaborative testing: a leaking dam") as lines
    of their own; a summary made of sentences must not show one as if it were news.
    ``word_counts`` (as :attr:`ArticleFeatures.token_counts`) saves counting again.
    """
    if word_counts is None:
        word_counts = np.array([len(_TOKEN.findall(text)) for text in texts], dtype=np.int64)
    found = np.zeros(len(texts), dtype=bool)
    for i in np.flatnonzero(word_counts <= HEADING_WORDS).tolist():
        found[i] = is_heading(texts[i], words=int(word_counts[i]))
    return found
