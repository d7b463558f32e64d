# ruff: noqa: RUF001, RUF003
# (This module is about quotes, dashes and letters of many scripts; they are meant as written.)
"""Language-aware text primitives: sentence splitting, word tokens, stems, stop words, language id.

Everything the summarizers need from raw text goes through here, dispatched per language::

    >>> [s.text for s in split_sentences("Dr. Ruth Gray met U.S. officials. They agreed.", "en")]
    ['Dr. Ruth Gray met U.S. officials.', 'They agreed.']
    >>> terms("The ministers were meeting in Paris.", "en")
    ['minist', 'meet', 'pari']

Sentence splitting is inbrief's own: one compiled regular expression finds where a sentence may
end, and per-language abbreviation rules decide.  The libraries we measured are too slow for the
batch target of 1,000 CNN/DailyMail articles per second on one core, which leaves about 0.25 ms
per article for splitting: on the first 500 articles of the CNN/DailyMail dev set
(``bench/split_speed.py``, CPU time on the project machine) razdel.sentenize takes 0.44 ms,
syntok 3.0 ms, this splitter 0.10 ms.  Both libraries also miss the PTB-tokenised, lower-cased
form of CNN/DailyMail (``... iran . his comments ...``; 8.8 sentences per article where there
are 33), which has its own rules here: Lead-3 over this splitter scores 40.05 / 17.47 / 36.30
(ROUGE-1/2/Lsum, every fifth dev article), the published reference being 40.07 / 17.50 / 36.37.
On cased news it also keeps German ordinals ("am 2. Oktober") that both libraries split.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import snowballstemmer

from inbrief.models import Sentence

# --------------------------------------------------------------------------------------------
# Languages
# --------------------------------------------------------------------------------------------

# ISO 639-1 code -> Snowball algorithm, for every stemmer snowballstemmer ships.
_SNOWBALL = {
    "ar": "arabic",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "eo": "esperanto",
    "es": "spanish",
    "et": "estonian",
    "eu": "basque",
    "fa": "persian",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "st": "sesotho",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}

# Names and ISO 639-2 codes people and HTML pages use for the languages inbrief knows best.
_LANGUAGE_ALIASES = {
    "english": "en",
    "eng": "en",
    "french": "fr",
    "français": "fr",
    "fra": "fr",
    "fre": "fr",
    "german": "de",
    "deutsch": "de",
    "deu": "de",
    "ger": "de",
    "spanish": "es",
    "español": "es",
    "spa": "es",
    "russian": "ru",
    "русский": "ru",
    "rus": "ru",
    "italian": "it",
    "ita": "it",
    "portuguese": "pt",
    "por": "pt",
    "dutch": "nl",
    "nld": "nl",
    "dut": "nl",
}

_STOPWORD_LANGUAGES = ("en", "fr", "de", "es", "ru", "it", "pt", "nl")


_TAG_SEPARATOR = re.compile(r"[-_\s]")


@lru_cache(maxsize=512)  # called once per summarizer step with the same few tags
def normalize_language(code: str | None) -> str | None:
    """Reduce a language tag such as ``en-US``, ``fr_FR``, ``deu`` or ``English`` to a two-letter
    code; None when there is no tag."""
    if not code:
        return None
    primary = _TAG_SEPARATOR.split(code.strip().lower(), maxsplit=1)[0]
    return _LANGUAGE_ALIASES.get(primary, primary) or None


# Characters of text py3langid reads.  Its feature extraction is a Python loop over bytes, so the
# cost grows with the sample: 2.7 ms for 5,000 characters, 0.55 ms for 1,000, 0.3 ms for 500
# (this machine).  From 400 characters on, it names the language of all 83 demo articles,
# 300 OrangeSum and 300 CNN/DailyMail articles correctly; 200 misses one.
_LANGID_SAMPLE = 500


def detect_language(text: str) -> str | None:
    """Best guess of the two-letter language of ``text``, offline; None when too short to tell."""
    sample = text.lstrip()[: _LANGID_SAMPLE + 50].rstrip()
    if len(sample) < 20:
        return None
    if len(sample) > _LANGID_SAMPLE:
        cut = sample.rfind(" ", 0, _LANGID_SAMPLE)
        sample = sample[: cut if cut > 0 else _LANGID_SAMPLE]
    import py3langid  # loads a 3 MB model: only when a language is actually needed

    code, _ = py3langid.classify(sample)
    return normalize_language(str(code))


# --------------------------------------------------------------------------------------------
# Stop words, tokens, stems, terms
# --------------------------------------------------------------------------------------------


@cache
def stopwords(language: str | None = None) -> frozenset[str]:
    """Lower-cased stop words of ``language`` (empty when inbrief has no list for it).

    Lists: en, fr, de, es, ru, it, pt, nl, from the Snowball project plus news additions
    (``data/stopwords/README.md``).
    """
    code = normalize_language(language)
    if code not in _STOPWORD_LANGUAGES:
        return frozenset()
    listing = resources.files("inbrief").joinpath("data", "stopwords", f"{code}.txt")
    words: set[str] = set()
    for line in listing.read_text(encoding="utf-8").splitlines():
        words.update(line.split("|", 1)[0].split())
    return frozenset(words)


@cache
def _all_stopwords() -> frozenset[str]:
    return frozenset().union(*(stopwords(code) for code in _STOPWORD_LANGUAGES))


# A token is a run of word characters, joined across an apostrophe (don't, l'homme), a dot
# (U.S., 3.5, dailymail.com) or a thousands comma (19,000).
_TOKEN = re.compile(r"\w+(?:[.']\w+|(?<=\d),\d+)*")
# PTB pieces dropped before matching: bracket tokens (-lrb-) and the clitics PTB splits off
# (obama 's, does n't, i 'm).  A few str.replace calls cost microseconds; the same rules as
# regex alternatives made every findall ~40% slower (0.18 vs 0.13 ms per CNN/DailyMail article).
_PTB_PIECES = (
    " 's ",
    " 're ",
    " 'll ",
    " 've ",
    " 'm ",
    " 'd ",
    " n't ",
    "-lrb-",
    "-rrb-",
    "-lsb-",
    "-rsb-",
    "-lcb-",
    "-rcb-",
)


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens: Unicode letters and digits, apostrophes kept inside words
    (curly ones made straight), PTB punctuation and clitic tokens (`` '' -lrb- 's n't) left out."""
    words = text.lower().replace("\u2019", "'")
    if " '" in words or " n't" in words or "b-" in words:
        words = f" {words} "
        for piece in _PTB_PIECES:
            if piece in words:
                words = words.replace(piece, " ")
    return _TOKEN.findall(words)


# Entries per cache before it is emptied: bounds memory in a long-running service, while one
# article's vocabulary (a few hundred tokens) always fits.
_CACHE_LIMIT = 200_000


class _TokenCache(dict[str, str]):
    """token -> value, computed once by ``compute``; stemming is the hot path of every
    summarizer, and news vocabulary repeats, so almost every look-up is a hit."""

    def __init__(self, compute: Callable[[str], str]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, token: str) -> str:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        value = self[token] = self._compute(token)
        return value


@cache
def _stem_cache(language: str) -> _TokenCache | None:
    name = _SNOWBALL.get(language)
    if name is None:
        return None
    stem = snowballstemmer.stemmer(name).stemWord

    def stem_word(token: str) -> str:
        # Acronyms and numbers (u.s, 3.5) stay whole: the English stemmer cuts "u.s" to "u.".
        return token if "." in token else stem(token)

    return _TokenCache(stem_word)


def stems(tokens: Iterable[str], language: str | None = None) -> list[str]:
    """Snowball stems of ``tokens`` for ``language``; tokens unchanged when it has no stemmer."""
    stem_of = _stem_cache(normalize_language(language) or "")
    return list(map(stem_of.__getitem__, tokens)) if stem_of is not None else list(tokens)


# Languages that elide articles and prepositions into the next word: l'homme, dell'anno.
_ELIDING = frozenset({"fr", "it", "ca"})


@cache
def _term_cache(language: str) -> _TokenCache:
    stop = stopwords(language)
    stem = _stem_cache(language)
    eliding = language in _ELIDING

    def term(token: str) -> str:
        if token in stop:
            return ""
        if eliding and "'" in token:
            head, _, rest = token.partition("'")
            if head in stop or len(head) == 1:
                return term(rest) if rest else ""
        return stem[token] if stem is not None else token

    return _TokenCache(term)


def terms(text: str, language: str | None = None) -> list[str]:
    """Stems of the content words of ``text``, in order: what summarizers compare.

    Stop words are dropped, French and Italian elisions split off (``l'accord`` -> ``accord``).
    Each distinct token is stemmed once per process; a call costs about 0.4 microseconds per
    word (0.27 ms for the sentences of a CNN/DailyMail article).
    """
    term_of = _term_cache(normalize_language(language) or "")
    return [term for term in map(term_of.__getitem__, tokenize(text)) if term]


# --------------------------------------------------------------------------------------------
# Sentence splitting
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Abbreviations:
    """What a word before a period means in one language (all entries lower-case, no final dot;
    two-part abbreviations such as ``z. b`` are written with one space)."""

    # Never end a sentence: titles before a name, months before a day ("Dr.", "Mme", "z. B.").
    titles: frozenset[str]
    # Abbreviations only before a number ("No. 5", "Nr. 3"); elsewhere the word ends a sentence.
    numbered: frozenset[str]
    # May end a sentence, and do when a sentence opener follows ("Inc.", "etc.", "г.").
    # Single letters, dotted acronyms (U.S.) and Roman numerals are treated the same way.
    closing: frozenset[str]
    # Small numbers take a dot as ordinals ("am 3. Oktober").
    ordinal_dot: bool = False


def _words(spec: str) -> frozenset[str]:
    """Entries separated by commas (so that two-part abbreviations can hold a space)."""
    return frozenset(entry.strip() for entry in spec.split(",") if entry.strip())


_LATIN = "e.g, i.e, vs, cf, viz, approx"

_ABBREVIATIONS = {
    "en": _Abbreviations(
        titles=_words(
            _LATIN + ", mr, mrs, ms, messrs, mmes, dr, prof, gen, lt, col, maj, capt, cmdr, adm,"
            " brig, sgt, cpl, pvt, gov, sen, rep, rev, hon, pres, supt, insp, det, fr, mt,"
            " jan, feb, mar, apr, jun, jul, aug, sep, sept, oct, nov, dec"
        ),
        numbered=_words("no, nos, vol, fig, ch, art, sec, pp, tel"),
        # AP state abbreviations that are also words (Ill., Mass., Wash.) are left out: "fell
        # ill." ends sentences far more often.
        closing=_words(
            "inc, corp, ltd, co, llc, plc, bros, jr, sr, etc, al, ave, blvd, rd, st, ft, dept,"
            " univ, assn, est, govt, ala, ariz, calif, colo, conn, fla, ga, kan, kans, ky, md,"
            " mich, minn, mo, mont, neb, nev, okla, ore, pa, tenn, tex, va, vt, wis, wyo"
        ),
    ),
    "fr": _Abbreviations(
        titles=_words(
            _LATIN + ", m, mm, mme, mmes, mlle, mlles, me, mgr, pr, dr, st, ste, p. ex, c.-à-d,"
            " janv, févr, avr, juil, sept, oct, nov, déc"
        ),
        numbered=_words("n, no, art, vol, chap, fig, p"),
        closing=_words("etc, av, bd, boul, env, cie, apr, hab"),
    ),
    "de": _Abbreviations(
        titles=_words(
            _LATIN + ", dr, prof, hr, hrn, fr, frl, st, bzw, ca, vgl, sog, ggf, evtl, inkl,"
            " z. b, d. h, u. a, o. ä, u. u, v. a, z. t, s. o, s. u, z.b, d.h, u.a, o.ä, v.a,"
            " z.t, jan, feb, febr, apr, aug, sept, okt, nov, dez"
        ),
        numbered=_words("nr, abs, art, bd, s, tel"),
        closing=_words("usw, etc, jh, jhd, mio, mrd, str, chr, v. chr, n. chr"),
        ordinal_dot=True,
    ),
    "es": _Abbreviations(
        titles=_words(
            _LATIN + ", sr, sra, srta, sres, sras, dr, dra, lic, ing, arq, prof, dña, ud,"
            " uds, vd, vds, av, avda, gral, p. ej, ej, ee, ene, feb, abr, ago, sept, oct, nov,"
            " dic"
        ),
        numbered=_words("núm, n, art, pág, págs, vol, cap"),
        closing=_words("etc, cía, aprox, uu, ee. uu"),
    ),
    "ru": _Abbreviations(
        titles=_words(
            "им, т. е, т. к, т. н, т. ч, ул, пр, просп, пл, пер, кв, проф, акад, ген, св, напр,"
            " ок, ср, гос, тов, янв, февр, апр, авг, сент, окт, нояб, дек"
        ),
        numbered=_words("ст, стр, рис, гл, п, ч, д"),
        closing=_words(
            "г, гг, др, т. д, т. п, и др, руб, коп, тыс, млн, млрд, обл, вв, н. э, см, км, кг"
        ),
    ),
    "it": _Abbreviations(
        titles=_words(_LATIN + ", sig, sigg, dott, dr, prof, avv, ing, on, geom, rag, s, ss"),
        numbered=_words("n, art, pag, vol, cap"),
        closing=_words("ecc, etc"),
    ),
    "pt": _Abbreviations(
        titles=_words(_LATIN + ", sr, sra, srta, dr, dra, prof, av, eng"),
        numbered=_words("n, nº, art, pág, vol, cap"),
        closing=_words("etc, cia, ltda"),
    ),
    "nl": _Abbreviations(
        titles=_words(_LATIN + ", dhr, mevr, mr, dr, prof, ir, drs, ing, bijv, o.a, d.w.z"),
        numbered=_words("nr, art, blz"),
        closing=_words("enz, etc"),
    ),
}

# Terminal punctuation: a cluster of . ! ? … (and Hindi, Arabic forms), then closing quotes and
# brackets (French « … » may put a space before »), then white space.  CJK full stops need no
# space after them; their pattern is only used on text that has them, because the alternation
# makes the regex engine give up its fast first-character scan (0.04 -> 0.18 ms per article).
_CLOSERS = r"(?:[ \u00a0\u202f]?»|[\"'”’“)\]›」』])*"
_CASED_END = re.compile(rf"(?P<term>[.!?…‼⁉।؟]+){_CLOSERS}(?=\s|\Z)")
_CASED_END_CJK = re.compile(rf"(?P<term>[.!?…‼⁉।؟]+){_CLOSERS}(?=\s|\Z)|(?P<cjk>[。！？]+[」』”]*)")
# The word after a candidate end, past opening quotes and dashes, and whether a dot follows it
# (an initial: "J. K. Rowling").
_NEXT_WORD = re.compile(r"\s+[\"'“‘«„‹(\[¿¡*—–-]*\s*(\w*)(\.?)")
_ROMAN = re.compile(r"[IVXLC]+\Z")
# Dotted abbreviations: U.S, e.g, Ph.D, J.-C (the final dot is the candidate end); not names
# with dots such as NUR.KZ or Yahoo.com.
_DOTTED = re.compile(r"(?:[^\W\d_]{1,2}\.-?)+[^\W\d_]{1,2}\Z")
_OPENERS = "(\"'“‘«„‹[¿¡"
_WORD_CHAR = re.compile(r"\w")

# PTB form (CNN/DailyMail): the sentence period is a token of its own (" . "), abbreviations
# keep theirs (u.s., mr.), closing quotes are tokens after it ('' in CNN, single quotes in
# DailyMail), and "! ! !", "? '' ." or ". . ." run together.
_PTB_END = re.compile(r" (?P<term>[.!?]+)(?P<more>(?: (?:[.!?]+|''|'|’|”))*)(?= |\Z)")
_PTB_NEXT_WORDS = re.compile(r"\s+(\S+)(?:\s+(\S+))?(?:\s+(\S+))?")
# After `` ... ? '' the quote goes on when one of the next three words is a reporting verb:
# `` why ? '' he asked .   (from the continuations seen in the CNN/DailyMail dev set)
_ATTRIBUTION = _words(
    "said, says, say, asked, asks, ask, told, tells, added, adds, wrote, writes, replied, "
    "replies, explained, explains, continued, continues, shouted, shouts, yelled, yells, "
    "screamed, screams, cried, cries, whispered, whispers, tweeted, tweets, posted, posts, "
    "insisted, insists, noted, notes, warned, warns, recalled, recalls, joked, jokes, "
    "laughed, laughs, admitted, admits, declared, declares, stated, states, wondered, "
    "wonders, argued, argues, claimed, claims, responded, responds, exclaimed, exclaims, "
    "remarked, remarks, quipped, quips, demanded, demands, pleaded, pleads, begged, begs"
)

_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")


# Words that often open a news sentence without being stop words ("... in the U.S. According to
# officials ..."); stop words cover the rest.
_NEWS_OPENERS = {
    "en": _words(
        "according, however, meanwhile, officials, police, authorities, earlier, later, today,"
        " yesterday, instead, several, many, one, two, three"
    ),
}


@dataclass(frozen=True)
class _SplitRules:
    abbreviations: _Abbreviations
    # Words that open sentences, to tell "in the U.S. The ..." from "U.S. Army".
    openers: frozenset[str]


@cache
def _split_rules(language: str | None) -> _SplitRules:
    abbreviations = _ABBREVIATIONS.get(language or "")
    if language is None or abbreviations is None:
        # Unknown language: English abbreviations (the commonest in news anywhere), and any
        # stop word of any language as a sentence opener.
        return _SplitRules(_ABBREVIATIONS["en"], _all_stopwords() | _NEWS_OPENERS["en"])
    return _SplitRules(
        abbreviations, stopwords(language) | _NEWS_OPENERS.get(language, frozenset())
    )


def split_sentences(text: str, language: str | None = None) -> list[Sentence]:
    """Split ``text`` into sentences whose offsets slice ``text`` exactly, in order.

    A sentence never crosses a paragraph break (a blank line).  A sentence ending inside a
    closing quote keeps the quote; ``"Why?" he asked.`` stays one sentence; abbreviations,
    initials, decimals and ordinals of ``language`` do not end sentences.  PTB-tokenised text
    (CNN/DailyMail: ``... iran . his comments ...``) is recognised and split at its period tokens.
    """
    if _is_ptb(text):
        find_ends = _ptb_ends
    else:
        rules = _split_rules(normalize_language(language))
        cased = not text.islower()
        pattern = _CASED_END_CJK if _has_cjk(text) else _CASED_END

        def find_ends(text: str, start: int, end: int) -> Iterator[int]:
            return _ends(text, start, end, pattern, rules, cased)

    sentences: list[Sentence] = []
    append = sentences.append
    for start, end in _paragraphs(text):
        begin = start
        for stop in [*find_ends(text, start, end), end]:
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


def _is_ptb(text: str) -> bool:
    """PTB-tokenised text puts more periods between spaces than after words."""
    spaced = text.count(" . ") + text.endswith(" .")
    return spaced > 0 and spaced > text.count(". ") - spaced


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    if "\n" not in text:
        yield 0, len(text)
        return
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


# English titles, lower-cased: PTB sometimes splits their dot off ("capt . smith").
_PTB_TITLES = _ABBREVIATIONS["en"].titles


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
    return following is not None and not _ATTRIBUTION.isdisjoint(following.groups())


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
