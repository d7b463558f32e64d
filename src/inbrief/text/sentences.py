# ruff: noqa: RUF001, RUF002, RUF003
# (This module is about quotes, dashes and letters of many scripts; they are meant as written.)
"""Where sentences end: inbrief's own splitter, dispatched per language::

    >>> [s.text for s in split_sentences("Dr. Ruth Gray met U.S. officials. They agreed.", "en")]
    ['Dr. Ruth Gray met U.S. officials.', 'They agreed.']

One compiled regular expression finds where a sentence may end, and per-language abbreviation
rules (``abbreviations.py``) decide.  The libraries we measured were too slow for the batch
target of 1,000 articles per second on one core, and both miss the PTB-tokenised, lower-cased
form of CNN/DailyMail (``... iran . his comments ...``), which has its own rules here;
``docs/text.md`` has the comparison.
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from inbrief.models import Sentence
from inbrief.text.abbreviations import (
    ABBREVIATIONS,
    NEWS_OPENERS,
    REPORTING_VERBS,
    Abbreviations,
)
from inbrief.text.datelines import OPENING_PARAGRAPHS, story_start
from inbrief.text.language import all_stopwords, normalize_language, stopwords
from inbrief.text.punctuation import CLOSERS, SENTENCE_STOPS, paragraph_spans

# Terminal punctuation: a cluster of sentence stops, then closing quotes and brackets, then
# white space.  The stops are those of ``punctuation.py`` plus the double marks ‼ ⁉, which
# only the splitter counts; CJK full stops need no space after them, and have a pattern of
# their own used only on text that has them, because the alternation makes the regex engine
# give up its fast first-character scan (0.04 -> 0.18 ms per article).  The closers are those
# of ``punctuation.py`` plus “ (German „…“), › and 』; French « … » may put a space before ».
_CJK_STOPS = "。！？"
_STOPS = re.escape("".join(mark for mark in SENTENCE_STOPS if mark not in _CJK_STOPS) + "‼⁉")
_QUOTES = re.escape(CLOSERS.replace("»", "") + "“›』")
_CLOSERS = rf"(?:[ \u00a0\u202f]?»|[{_QUOTES}])*"
_CASED_END = re.compile(rf"(?P<term>[{_STOPS}]+){_CLOSERS}(?=\s|\Z)")
_CASED_END_CJK = re.compile(
    rf"(?P<term>[{_STOPS}]+){_CLOSERS}(?=\s|\Z)|(?P<cjk>[{_CJK_STOPS}]+[」』”]*)"
)
# The word after a candidate end, past opening quotes and dashes, and whether a dot follows it
# (an initial: "J. K. Rowling").
_NEXT_WORD = re.compile(r"\s+[\"'“‘«„‹(\[¿¡*—–-]*\s*(\w*)(\.?)")
_ROMAN = re.compile(r"[IVXLC]+\Z")
# Dotted abbreviations: U.S, e.g, Ph.D, J.-C (the final dot is the candidate end); not names
# with dots such as NUR.KZ or Yahoo.com.
_DOTTED = re.compile(r"(?:[^\W\d_]{1,2}\.-?)+[^\W\d_]{1,2}\Z")
_OPENERS = "(\"'“‘«„‹[¿¡"
_WORD_CHAR = re.compile(r"\w")
# What may follow a brand's "!" in the same sentence: one or two capitalised words and the
# sentence's full stop ("... told Yahoo! News.").
_BRAND_TAIL = re.compile(r"[ \t]+(?:([^\W\d_])[\w'’&-]*[ \t]+)?([^\W\d_])[\w'’&-]*\.(?=\s|\Z)")
# Marks a line may end with and still be a sentence going on, or ending, on the next line.
_LINE_STOPS = _STOPS.replace("\\", "") + ",;:-–—"
_LINE_CLOSERS = CLOSERS + "“›』"
_LINE_OPENERS = "\"'“‘«„‹(["

# PTB form (CNN/DailyMail): the sentence period is a token of its own (" . "), abbreviations
# keep theirs (u.s., mr.), closing quotes are tokens after it ('' in CNN, single quotes in
# DailyMail), and "! ! !", "? '' ." or ". . ." run together.  Its stops are ASCII only.
_PTB_END = re.compile(r" (?P<term>[.!?]+)(?P<more>(?: (?:[.!?]+|''|'|’|”))*)(?= |\Z)")
_PTB_NEXT_WORDS = re.compile(r"\s+(\S+)(?:\s+(\S+))?(?:\s+(\S+))?")

# A photo credit glued to the end of a caption on the same line ("Спасатели у завала Фото:
# Reuters", "Мэр на открытии моста © РИА Новости"): a capitalised credit label, or the
# copyright sign, after a word.  The credit is a sentence of its own, which the news rules
# never choose.
_CREDIT_LABELS = frozenset({"Фото", "Фотография", "Снимок", "Кадр", "Сурет", "Photo", "Foto"})
_CREDIT_AFTER = frozenset(')»"”')


@dataclass(frozen=True)
class _SplitRules:
    abbreviations: Abbreviations
    # Words that open sentences, to tell "in the U.S. The ..." from "U.S. Army".
    openers: frozenset[str]


@cache
def _split_rules(language: str | None) -> _SplitRules:
    abbreviations = ABBREVIATIONS.get(language or "")
    if language is None or abbreviations is None:
        # Unknown language: English abbreviations (the commonest in news anywhere), and any
        # stop word of any language as a sentence opener.
        return _SplitRules(ABBREVIATIONS["en"], all_stopwords() | NEWS_OPENERS["en"])
    return _SplitRules(abbreviations, stopwords(language) | NEWS_OPENERS.get(language, frozenset()))


def split_sentences(text: str, language: str | None = None) -> list[Sentence]:
    """Split ``text`` into sentences whose offsets slice ``text`` exactly, in order.

    A sentence never crosses a paragraph break (a blank line).  A sentence ending inside a
    closing quote keeps the quote; ``"Why?" he asked.`` stays one sentence; abbreviations,
    initials, decimals and ordinals of ``language`` do not end sentences, nor does the "!" of a
    brand (``told Yahoo! News.``); a dateline (``30 octobre 2012. -``, ``WASHINGTON (AP) —``)
    opening one of the first paragraphs is a sentence of its own, and so is a line without
    punctuation before a capitalised one (a photo caption glued to the story), and so is a
    photo credit after a caption (``... Фото: Reuters``, ``... © РИА Новости``).
    PTB-tokenised text (CNN/DailyMail: ``... iran . his comments ...``) is recognised and split
    at its period tokens.
    """
    # A dateline closed by a dash ("30 octobre 2012. - Un nouveau ...") is a sentence of its
    # own, dash included: the story's first sentence must not open with it.  Only the opening
    # paragraphs are looked at, where datelines stand (1% of the splitting time on the demo
    # articles, 3% if every paragraph were); CNN/DailyMail's PTB form has none.
    datelined = 0
    has_credit = False
    if _is_ptb(text):
        find_ends = _ptb_ends
    else:
        rules = _split_rules(normalize_language(language))
        cased = not text.islower()
        pattern = _CASED_END_CJK if _has_cjk(text) else _CASED_END
        datelined = OPENING_PARAGRAPHS
        has_credit = ":" in text or "©" in text

        def find_ends(text: str, start: int, end: int) -> Iterator[int]:
            return _ends(text, start, end, pattern, rules, cased)

    sentences: list[Sentence] = []
    append = sentences.append
    for number, (start, end) in enumerate(paragraph_spans(text)):
        begin = start
        ends = find_ends(text, start, end)
        if number < datelined:
            story = story_start(text, start, end, language)
            if story is not None:
                ends = itertools.chain((story,), find_ends(text, story, end))
        # A caption on a line of its own ("Кронпринц Нарухито\nВерхняя палата ..."): single
        # line breaks are rare (100 in 22 of the 83 demo articles), so this is seldom looked at.
        if datelined and text.find("\n", start, end) >= 0:
            breaks = caption_line_breaks(text, start, end, language)
            if breaks:
                ends = heapq.merge(ends, breaks)
        if has_credit:
            credits = credit_starts(text, start, end)
            if credits:
                ends = heapq.merge(ends, credits)
        for stop in [*ends, end]:
            # Trim the white space between sentences; a character loop beats slicing and
            # lstrip/rstrip here (one or two spaces), and this runs once per sentence.
            while begin < stop and text[begin].isspace():
                begin += 1
            last = stop
            while last > begin and text[last - 1].isspace():
                last -= 1
            if begin < last:
                append(Sentence(len(sentences), begin, last, text[begin:last]))
            begin = stop
    return sentences


def caption_line_breaks(text: str, start: int, end: int, language: str | None) -> list[int]:
    """Line breaks of the paragraph ``text[start:end]`` after a line with no punctuation at
    its end, before a line opening with a capital or a digit: a caption or a heading glued to
    the story ("Кронпринц Нарухито\nВерхняя палата ...").

    Empty when a line of the paragraph goes on in lower case: its lines are then sentences
    wrapped at a width, whose line breaks end nothing; nor is a line ending on a stop word of
    ``language`` ("The council voted on\nMonday ...") a caption.
    """
    breaks = []
    words = stopwords(language) if normalize_language(language) else all_stopwords()
    line_break = text.find("\n", start, end)
    while line_break >= 0:
        line = text[start:line_break].rstrip()
        last = line.rstrip(_LINE_CLOSERS)[-1:] or line[-1:]
        following = text[line_break + 1 : min(end, line_break + 20)].lstrip()
        following = following.lstrip(_LINE_OPENERS)[:1]
        if following.islower():
            return []
        if (
            last
            and last not in _LINE_STOPS
            and (following.isupper() or following.isdigit())
            and line[line.rfind(" ") + 1 :].lower() not in words
        ):
            breaks.append(line_break)
        start = line_break + 1
        line_break = text.find("\n", start, end)
    return breaks


def credit_starts(text: str, start: int, end: int) -> list[int]:
    """Where a photo credit starts inside a line of ``text[start:end]``, right after a word of
    its caption: "Спасатели у завала Фото: Reuters", "Мэр на открытии © РИА Новости"."""
    found = []
    # str.find over the few colons of an article: a regex over its words cost a quarter of
    # the splitting time.
    for mark in ":©":
        at = text.find(mark, start, end)
        while at >= 0:
            label = at
            if mark == ":":
                label = max(text.rfind(" ", start, at), text.rfind("\n", start, at)) + 1
                if text[label:at] not in _CREDIT_LABELS or not text[at + 1 : at + 3].strip():
                    label = -1
            space = label
            while space > start and text[space - 1] in " \t\u00a0":
                space -= 1
            before = text[space - 1 : space]
            if 0 <= space < label and (before.isalnum() or before in _CREDIT_AFTER):
                found.append(space)
            at = text.find(mark, at + 1, end)
    return sorted(found)


def _is_ptb(text: str) -> bool:
    """PTB-tokenised text puts more periods between spaces than after words."""
    spaced = text.count(" . ") + text.endswith(" .")
    return spaced > 0 and spaced > text.count(". ") - spaced


# English titles, lower-cased: PTB sometimes splits their dot off ("capt . smith").
_PTB_TITLES = ABBREVIATIONS["en"].titles


def _ptb_ends(text: str, start: int, end: int) -> Iterator[int]:
    begin = start
    for match in _PTB_END.finditer(text, start, end):
        close = match.end()
        if close >= end:
            return
        term, more = match.group("term", "more")
        if not (term + more).replace(".", "").strip() and (len(term) > 1 or more):
            continue  # "..." or ". . ." trails off inside a sentence
        space = match.start()
        previous = text[max(begin, text.rfind(" ", begin, space) + 1) : space]
        if previous.isdigit() and text[begin:space].strip() == previous:
            continue  # a list number: "3 . in big policy choice , clinton ..."
        if previous in _PTB_TITLES or (
            previous in ("no", "nos") and text[close + 1 : close + 2].isdigit()
        ):
            continue  # "mr . smith", "job no . 1 for authorities": split off abbreviation dots
        if more and ("?" in term or "!" in term) and _attributed(text, close, end):
            continue
        yield close
        begin = close


def _attributed(text: str, position: int, end: int) -> bool:
    """True when a reporting verb follows within three words (the quote's attribution)."""
    following = _PTB_NEXT_WORDS.match(text, position, end)
    return following is not None and not REPORTING_VERBS.isdisjoint(following.groups())


def _brand_tail(text: str, begin: int, close: int, end: int) -> bool:
    """True when the "!" just before ``close`` ends a word, not a sentence: a brand name
    ("Yahoo!") inside the sentence begun at ``begin``, which one or two capitalised words end.

    "Stop! Now." and "... еда! Любая." stay two sentences: the word before the mark opens the
    sentence, or is in lower case."""
    space = text.rfind(" ", begin, close)
    word = text[space + 1 : close - 1]
    if space < 0 or not word.isalpha() or not word[0].isupper() or not text[begin:space].strip():
        return False
    tail = _BRAND_TAIL.match(text, close, end)
    return tail is not None and all(letter.isupper() for letter in tail.groups() if letter)


def _has_cjk(text: str) -> bool:
    return "。" in text or "！" in text or "？" in text


def _ends(
    text: str, start: int, end: int, pattern: re.Pattern[str], rules: _SplitRules, cased: bool
) -> Iterator[int]:
    begin = start
    for match in pattern.finditer(text, start, end):
        close = match.end()
        if close >= end:
            return
        if match.lastgroup != "cjk":
            following = _NEXT_WORD.match(text, close, end)
            word, dotted = following.groups() if following else ("", "")
            term = match.group("term")
            if cased and word[:1].islower():
                continue  # "e.g. the", "Why?" he asked, "… and then"
            if term == "!" and close == match.end("term") and _brand_tail(text, begin, close, end):
                continue  # "... told Yahoo! News."
            if term == ".":
                line_break = text.find("\n", close, following.start(1)) >= 0 if following else False
                if not _period_ends(
                    text, begin, match.start(), word, dotted, line_break, rules, cased
                ):
                    continue
            elif (
                not cased
                and close > match.end("term")
                and term[-1] in "?!"
                and _attributed(text, close, end)
            ):
                continue
            if not _WORD_CHAR.search(text, begin, match.start()):
                continue  # "[…]", "***": nothing to make a sentence of yet
        yield close
        begin = close


def _period_ends(
    text: str,
    begin: int,
    period: int,
    word: str,
    dotted: str,
    line_break: bool,
    rules: _SplitRules,
    cased: bool,
) -> bool:
    """Whether the period at ``period`` ends a sentence, given the next ``word`` (followed by a
    dot when ``dotted``) and whether a line break comes first."""
    low = max(begin, period - 40)  # no abbreviation is longer; bounds the look-back
    space = max(
        text.rfind(" ", low, period), text.rfind("\n", low, period), text.rfind("\xa0", low, period)
    )
    token_start = space + 1 if space >= 0 else low
    token = text[token_start:period].lstrip(_OPENERS)
    if not token:
        return True
    if token.isdigit() and len(token) <= 3 and not text[begin:token_start].strip():
        return False  # a list number opening the sentence: "3. Spiritual harm."
    abbreviations = rules.abbreviations
    key = token.lower()
    if len(token) <= 3 and space > begin:
        # Two-part abbreviations: "z. B.", "EE. UU.", "p. ex.", "т. е."
        previous = text[max(begin, space - 5) : space]
        pair = previous[previous.rfind(" ") + 1 :].lower() + " " + key
        if pair in abbreviations.titles:
            return False
        if pair in abbreviations.closing:
            return _opens_sentence(word, dotted, line_break, rules, cased)
    if key in abbreviations.titles:
        return False
    if key in abbreviations.numbered:
        return not word[:1].isdigit()
    if (
        key in abbreviations.closing
        or (len(token) == 1 and token.isalpha())
        or ("." in token and _DOTTED.match(token) is not None)
        or (abbreviations.ordinal_dot and len(token) <= 2 and token.isdigit())
        or _ROMAN.match(token) is not None
    ):
        return _opens_sentence(word, dotted, line_break, rules, cased)
    return True


def _opens_sentence(
    word: str, dotted: str, line_break: bool, rules: _SplitRules, cased: bool
) -> bool:
    """After an abbreviation that may end a sentence: does ``word`` start a new one?  Only a
    capitalised stop word does ("in the U.S. The ..." but not "U.S. Army", "W. Bush"), or any
    capitalised word at the start of a new line."""
    if dotted or not word:
        return False
    if cased and not word[0].isupper():
        return False
    return line_break or word.lower() in rules.openers
