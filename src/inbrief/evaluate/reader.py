# ruff: noqa: RUF001
# (quotes, dashes and Cyrillic letters in the rule tables are meant as written.)
"""A reader's metrics of a summary: what an editor checks first, counted automatically.

Each metric reads one :class:`ReadSummary` (an article's sentences, the ones chosen, its title,
language, key phrases and the publisher's tags) and answers yes or no, so a corpus gives the
share of summaries that

- cover the main news: hold the opening sentence (the first that is not furniture), or at
  least :data:`HEADLINE_SHARE` of the title's content words (compared by stem);
- dangle: a chosen sentence opens with a word of :data:`DEPENDENT_OPENERS` or a definite
  reference of :data:`DEFINITE_REFERENCES` ("The company") while the sentence before it in the
  article is not chosen (an upper bound: "It is raining" counts too);
- carry furniture inside a chosen sentence, by kind (:data:`FURNITURE`);
- are in another language: a chosen sentence of :data:`LANGUAGE_WORDS` words or more that
  py3langid names otherwise than the article's language.

Key phrases are scored against the page's own tags (``<meta name="keywords">``,
``news_keywords``, ``article:tag``, JSON-LD ``keywords``): precision and recall of content words
(stems), and the share of phrases that are stop words, dates, weekdays, months, numbers or one
word of a longer capitalised name in the text ("Adam" beside "Adam Schiff").

The rules are written from the issue's editor review, not from the code being measured: they
share only tokens, stems, stop words, what ends a sentence and language id with it
(``inbrief.text``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from lxml import html as lxml_html

from inbrief.text import (
    count_words,
    detect_language,
    normalize_language,
    stopwords,
    terms,
    tokenize,
)
from inbrief.text.punctuation import is_heading

HEADLINE_SHARE = 0.5
FRAGMENT_WORDS = 4
LANGUAGE_WORDS = 8

# Sentence openers that lean on the sentence before: pronouns, demonstratives, connectives.
DEPENDENT_OPENERS: dict[str, tuple[str, ...]] = {
    "en": (
        "He", "She", "They", "It", "This", "These", "Those", "Both", "His", "Her", "Their",
        "Its", "However", "But", "Also", "Meanwhile",
    ),
    "fr": ("Il", "Elle", "Ils", "Elles", "Mais", "Cependant", "Toutefois"),
    "de": ("Er", "Sie", "Aber", "Doch", "Dies", "Allerdings"),
    "es": ("Él", "Ella", "Ellos", "Ellas", "Pero", "Sin embargo", "Esto"),
    "ru": ("Он", "Она", "Они", "Оно", "Но", "Однако", "Это"),
}  # fmt: skip
# "This week", "Это утро": a demonstrative before a time word points at the calendar, not back.
_TIME_WORDS = frozenset((
    "week", "weekend", "month", "year", "morning", "afternoon", "evening", "night", "summer",
    "spring", "autumn", "fall", "winter", "season", "time", "неделе", "году", "утром",
))  # fmt: skip

# Sentence-initial definite descriptions that name again what an earlier sentence introduced.
DEFINITE_REFERENCES: dict[str, tuple[str, ...]] = {
    "en": (
        "The company", "The firm", "The group", "The man", "The woman", "The couple",
        "The pair", "The boy", "The girl", "The victim", "The suspect", "The club", "The team",
        "The move", "The decision", "The report", "The study", "The incident", "The attack",
        "The deal", "The plan", "The bill", "The agency", "The organisation",
        "The organization", "The former", "The latter", "The disease", "The vote",
    ),
    "fr": (
        "La société", "L'entreprise", "L’entreprise", "Le groupe", "L'homme", "L’homme",
        "La femme", "Le suspect", "La victime", "Le club", "Le projet", "Cette décision",
    ),
    "de": (
        "Das Unternehmen", "Der Konzern", "Die Firma", "Der Mann", "Die Frau", "Die Gruppe",
        "Der Verdächtige", "Das Opfer", "Der Verein", "Das Projekt",
    ),
    "es": (
        "La empresa", "La compañía", "El grupo", "El hombre", "La mujer", "El sospechoso",
        "La víctima", "El club", "El proyecto",
    ),
    "ru": ("Компания", "Мужчина", "Женщина", "Подозреваемый", "Пострадавший"),
}  # fmt: skip

_UPPER = "A-ZÀ-ÞА-ЯЁ"
_DASH = "[—–-]"
# Kind of furniture -> a pattern that finds it in one sentence.
FURNITURE: dict[str, re.Pattern[str]] = {
    "dateline": re.compile(
        rf"^\W{{0,2}}(?:"
        rf"[{_UPPER}][{_UPPER} .'’/-]{{2,40}}(?:,[^—–\n]{{1,40}}?)?\s{_DASH}{{1,2}}(?:\s|$)"
        rf"|(?:[^\W\d_][\w .'’,/-]{{0,60}})?\([^()]{{2,30}}\)\s*{_DASH}{{1,2}}"  # City (AP) —
        rf"|[^\W\d_][\w .'’/-]{{0,40}},\s*(?:den\s)?\d{{1,2}}\.[^—–\n]{{0,30}}?\s{_DASH}(?:\s|$)"
        rf"|{_DASH}\s"  # a French "- " opener
        rf"|\d{{1,2}}(?:er)?\.?\s[^\W\d_]+\.?\s\d{{4}}\.?\s*{_DASH}"  # 30 octobre 2012. -
        rf"|[^\W\d_]+\.?\s\d{{1,2}},\s\d{{4}}\s*{_DASH}"  # November 20, 2019 -
        rf"|[{_UPPER}][{_UPPER} .'’-]+,[{_UPPER} .'’-]+$"  # BAAR, SWITZERLAND
        rf")"
    ),
    "caption or credit": re.compile(
        r"\b(?:Photo|Photos|Photograph|Foto|Fotos|Image|Bild|Crédit|Credit|Фото|Снимок)\s?:"
        r"|\([^()]*(?:Getty|Reuters/|AFP/|AP Photo|EPA|Shutterstock|Photo|Foto|Фото)[^()]*\)"
        r"|©"
    ),
    "promo": re.compile(
        r"\b(?:READ MORE|MORE|RELATED|WATCH|Read more|Related:|Click here|Subscribe to"
        r"|Sign up for|Lire aussi|À lire aussi|Lesen Sie auch|Mehr zum Thema|Lea también"
        r"|Leer más|Читайте также|Подробнее)\b"
    ),
    "markup": re.compile(r"\[https?:|\[\[|\]\]|\{\{|\}\}|<[a-zA-Z/!]|&[a-z]{2,6};|&#\d+;"),
    "footnote": re.compile(
        r"^\s*(?:\*|†|‡|\[\d+\]|\(\d+\)\s|\d+\)\s)"
        r"|^\s*(?:Note|Source|Sources|Quelle|Fuente|Источник)\s?:"
    ),
}
# A heading: a short line without a sentence stop (closing quotes and brackets aside).
_HEADING_WORDS = 15
_OPENER = re.compile(r"^[\W_]*")


@dataclass(frozen=True)
class ReadSummary:
    """One summarized article as the metrics read it: all its sentences, the indices chosen."""

    sentences: tuple[str, ...]
    chosen: tuple[int, ...]
    title: str | None = None
    language: str | None = None
    keyphrases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


# --- main news ---------------------------------------------------------------------------------


def opening_index(sentences: Iterable[str]) -> int | None:
    """Index of the article's opening sentence: the first that is not furniture (a dateline,
    a caption, a heading, a fragment of under FRAGMENT_WORDS words...)."""
    return next((i for i, text in enumerate(sentences) if not furniture_kinds(text)), None)


def has_opening(read: ReadSummary) -> bool:
    """The summary holds the article's opening sentence."""
    return opening_index(read.sentences) in read.chosen


def headline_share(read: ReadSummary) -> float | None:
    """Share of the title's distinct content words (stems) found in the summary; None without
    a title."""
    title = set(terms(read.title or "", read.language))
    if not title:
        return None
    summary = set(terms(" ".join(read.sentences[i] for i in read.chosen), read.language))
    return len(title & summary) / len(title)


def covers_headline(read: ReadSummary) -> bool:
    """At least HEADLINE_SHARE of the title's content words are in the summary."""
    share = headline_share(read)
    return share is not None and share >= HEADLINE_SHARE


def covers_main_news(read: ReadSummary) -> bool:
    """The opening sentence is in the summary, or the headline is covered."""
    return has_opening(read) or covers_headline(read)


# --- dangling sentences ------------------------------------------------------------------------


def _opens_with(sentence: str, phrases: Iterable[str]) -> bool:
    text = _OPENER.sub("", sentence, count=1)
    for phrase in phrases:
        rest = text[len(phrase) :]
        if text.startswith(phrase) and not (rest[:1].isalnum()):
            following = rest.split(maxsplit=1)[:1]
            if not following or following[0].strip(",.").lower() not in _TIME_WORDS:
                return True
    return False


def depends_on_previous(sentence: str, language: str | None) -> bool:
    """The sentence opens with a pronoun, demonstrative, connective or definite reference."""
    code = normalize_language(language) or "en"
    phrases = DEPENDENT_OPENERS.get(code, ()) + DEFINITE_REFERENCES.get(code, ())
    return _opens_with(sentence, phrases)


def dangling(read: ReadSummary) -> bool:
    """A chosen sentence depends on the sentence before it in the article, which is not chosen."""
    chosen = set(read.chosen)
    return any(
        i > 0 and i - 1 not in chosen and depends_on_previous(read.sentences[i], read.language)
        for i in read.chosen
    )


# --- furniture ---------------------------------------------------------------------------------


def furniture_kinds(sentence: str) -> set[str]:
    """The kinds of page furniture found in one sentence (empty when it is clean prose)."""
    kinds = {kind for kind, pattern in FURNITURE.items() if pattern.search(sentence)}
    words = count_words(sentence)
    if "dateline" in kinds:
        return kinds  # a dateline standing alone is short and has no stop: one kind, not three
    if words < FRAGMENT_WORDS:
        kinds.add("fragment")
    elif is_heading(sentence, max_words=_HEADING_WORDS, words=words):
        kinds.add("heading")
    return kinds


def summary_furniture(read: ReadSummary) -> set[str]:
    """Kinds of furniture in any chosen sentence."""
    return {kind for i in read.chosen for kind in furniture_kinds(read.sentences[i])}


# --- language ----------------------------------------------------------------------------------


# A sentence of the article's language has far more of its stop words than this share of its
# words (about 40% in English prose); one in another language has next to none.  py3langid alone
# names short English sentences full of names Nigerian Pidgin or Scots.
_OWN_STOP_SHARE = 0.15
# Languages py3langid tells apart less surely than a reader would call them different.
_ONE_LANGUAGE = {"ms": "id", "nb": "no", "nn": "no"}


def other_language(read: ReadSummary) -> bool:
    """A chosen sentence of LANGUAGE_WORDS words or more is in a language other than the
    article's: py3langid names another language, and (when the article's language has a stop-word
    list) under _OWN_STOP_SHARE of its words are the article language's stop words."""
    article = normalize_language(read.language)
    if article is None:
        return False
    article = _ONE_LANGUAGE.get(article, article)
    stop = stopwords(article)
    for i in read.chosen:
        text = read.sentences[i]
        if count_words(text) < LANGUAGE_WORDS:
            continue
        found = detect_language(text)
        if found is None or _ONE_LANGUAGE.get(found, found) == article:
            continue
        words = tokenize(text)
        if not stop or sum(1 for word in words if word in stop) < _OWN_STOP_SHARE * len(words):
            return True
    return False


# --- key phrases -------------------------------------------------------------------------------


def page_tags(page: str) -> tuple[str, ...]:
    """The publisher's tags of an HTML page: meta keywords and news_keywords, article:tag, and
    JSON-LD ``keywords`` (a comma-separated string or a list), in page order, each once."""
    try:
        tree = lxml_html.fromstring(page)
    except (ValueError, lxml_html.etree.ParserError):
        return ()
    found: list[str] = []
    for meta in tree.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").strip().lower()
        if key in ("keywords", "news_keywords"):
            found.extend((meta.get("content") or "").split(","))
        elif key == "article:tag":
            found.append(meta.get("content") or "")
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() == "application/ld+json" and script.text:
            try:
                found.extend(_ld_keywords(json.loads(script.text)))
            except ValueError:
                continue
    tags = (tag.strip() for tag in found)
    return tuple(dict.fromkeys(tag for tag in tags if tag))


def _ld_keywords(node: object) -> list[str]:
    if isinstance(node, list):
        return [word for item in node for word in _ld_keywords(item)]
    if not isinstance(node, dict):
        return []
    words: list[str] = []
    keywords = node.get("keywords")
    if isinstance(keywords, str):
        words.extend(keywords.split(","))
    elif isinstance(keywords, list):
        words.extend(str(word) for word in keywords)
    return words + _ld_keywords(node.get("@graph"))


@dataclass(frozen=True)
class TagMatch:
    """Key phrases against a page's tags: shares of content words (stems), None when empty."""

    precision: float | None
    recall: float | None


def tag_match(read: ReadSummary) -> TagMatch:
    """Precision: share of the key phrases' content words among the tags'; recall: share of
    the tags' content words among the key phrases'."""
    phrases = set(terms(" ".join(read.keyphrases), read.language))
    tags = set(terms(" ".join(read.tags), read.language))
    common = len(phrases & tags)
    return TagMatch(
        precision=common / len(phrases) if phrases and tags else None,
        recall=common / len(tags) if tags and read.keyphrases else None,
    )


_WEEKDAY_MONTH_LINES = (
    "monday tuesday wednesday thursday friday saturday sunday january february march april",
    "june july august september october november december",
    "lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril mai juin",
    "juillet août septembre octobre novembre décembre",
    "montag dienstag mittwoch donnerstag freitag samstag sonntag januar februar märz april mai",
    "juni juli august september oktober november dezember",
    "lunes martes miércoles jueves viernes sábado domingo enero febrero marzo abril mayo junio",
    "julio agosto septiembre octubre noviembre diciembre",
    "segunda terça quarta quinta sexta sábado domingo janeiro fevereiro março maio junho julho",
    "agosto setembro outubro novembro dezembro",
    "year years année jahr año ano год года году лет",
    "январь января январе февраль февраля феврале март марта марте апрель апреля апреле май мая",
    "мае июнь июня июне июль июля июле август августа августе сентябрь сентября сентябре",
    "октябрь октября октябре ноябрь ноября ноябре декабрь декабря декабре понедельник",
    "понедельника вторник вторника среда среду среды четверг четверга пятница пятницу пятницы",
    "суббота субботу субботы воскресенье воскресенья",
)
_WEEKDAYS_MONTHS = frozenset(word for line in _WEEKDAY_MONTH_LINES for word in line.split())
_DATE = re.compile(r"^\d{1,4}(?:[./-]\d{1,2}){0,2}(?:[./-]\d{2,4})?$|^\d{1,2}(?:st|nd|rd|th)$")
_NUMBER = re.compile(r"^[\d.,%\s$€£-]+$")
_CAPITALISED = re.compile(r"^[A-ZÀ-ÞА-ЯЁ][\w'’-]*$")


def _is_date_word(word: str) -> bool:
    lower = word.lower()
    return lower in _WEEKDAYS_MONTHS or bool(_DATE.match(lower))


def name_fragment(phrase: str, sentences: Iterable[str], language: str | None) -> bool:
    """A one-word capitalised phrase that, in most of its occurrences in the text, stands
    beside another capitalised content word: part of a longer name ("Adam" of "Adam Schiff")."""
    if not _CAPITALISED.match(phrase):
        return False
    stop = stopwords(language)
    inside = total = 0
    for sentence in sentences:
        words = re.findall(r"[\w'’-]+", sentence)
        for i, word in enumerate(words):
            if word != phrase:
                continue
            total += 1
            neighbours = words[max(i - 1, 0) : i] + words[i + 1 : i + 2]
            if any(_CAPITALISED.match(n) and n.lower() not in stop for n in neighbours):
                inside += 1
    return total > 0 and inside * 2 > total


def phrase_flaw_kinds(phrase: str, read: ReadSummary) -> set[str]:
    """The kinds of flaw of one key phrase (empty when it is a usable phrase)."""
    stop = stopwords(read.language)
    words = phrase.split()
    kinds = set()
    if words and all(w.lower() in stop for w in words):
        kinds.add("stop word")
    if any(_is_date_word(w) for w in words):
        kinds.add("date, weekday or month")
    if _NUMBER.match(phrase):
        kinds.add("number")
    if len(words) == 1 and name_fragment(phrase, read.sentences, read.language):
        kinds.add("name fragment")
    return kinds


# --- a corpus's figures ------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One row's cell: ``count`` of ``total`` summaries (a share), or a mean ``value`` over
    ``total`` pages; ``total`` 0 when the metric does not apply."""

    label: str
    total: int
    count: int | None = None
    value: float | None = None

    def cell(self) -> str:
        if not self.total:
            return "-"
        if self.count is not None:
            return f"{self.count}/{self.total} {100 * self.count / self.total:.0f}%"
        return f"{self.value:.2f} (n={self.total})"


def _share(label: str, reads: list[ReadSummary], test: Callable[[ReadSummary], bool]) -> Figure:
    return Figure(label, len(reads), sum(1 for read in reads if test(read)))


def _mean(label: str, values: list[float | None]) -> Figure:
    known = [value for value in values if value is not None]
    return Figure(label, len(known), value=sum(known) / len(known) if known else None)


def summary_figures(reads: list[ReadSummary]) -> list[Figure]:
    """The summary rows of a corpus, in the order they are printed."""
    furniture = [summary_furniture(read) for read in reads]
    figures = [
        _share("main news covered (opening or headline)", reads, covers_main_news),
        _share("  opening sentence in summary", reads, has_opening),
        _share(f"  headline covered (>= {HEADLINE_SHARE:.0%} title words)", reads, covers_headline),
        _share("dangling sentence", reads, dangling),
        Figure("furniture, any kind", len(reads), sum(1 for kinds in furniture if kinds)),
        Figure(
            "furniture other than datelines",
            len(reads),
            sum(1 for kinds in furniture if kinds - {"dateline"}),
        ),
    ]
    for kind in (*FURNITURE, "heading", "fragment"):
        figures.append(Figure(f"  {kind}", len(reads), sum(1 for k in furniture if kind in k)))
    figures.append(
        _share(f"other language (sentences of {LANGUAGE_WORDS}+ words)", reads, other_language)
    )
    return figures


def keyphrase_figures(reads: list[ReadSummary]) -> list[Figure]:
    """The key-phrase rows: tag precision and recall (mean per tagged page), flawed phrases."""
    with_phrases = [read for read in reads if read.keyphrases]
    matches = [tag_match(read) for read in with_phrases if read.tags]
    flaws = [phrase_flaw_kinds(p, read) for read in with_phrases for p in read.keyphrases]
    figures = [
        Figure("key phrases: pages with tags", len(with_phrases), len(matches)),
        _mean("  tag precision (content words)", [m.precision for m in matches]),
        _mean("  tag recall (content words)", [m.recall for m in matches]),
        Figure("  phrases flawed, any kind", len(flaws), sum(1 for kinds in flaws if kinds)),
    ]
    for kind in ("stop word", "date, weekday or month", "number", "name fragment"):
        figures.append(Figure(f"    {kind}", len(flaws), sum(1 for k in flaws if kind in k)))
    return figures


def render_table(caption: str, columns: dict[str, list[Figure]]) -> str:
    """A plain-text table: one row per figure, one column per summarizer."""
    names = list(columns)
    labels = [figure.label for figure in next(iter(columns.values()))]
    cells = [[columns[name][row].cell() for name in names] for row in range(len(labels))]
    width = max(map(len, labels))
    widths = [max(len(name), *(len(row[i]) for row in cells)) for i, name in enumerate(names)]
    lines = [
        caption,
        " " * width + "".join(f"  {n:>{w}}" for n, w in zip(names, widths, strict=True)),
    ]
    for label, row in zip(labels, cells, strict=True):
        lines.append(
            f"{label:<{width}}" + "".join(f"  {c:>{w}}" for c, w in zip(row, widths, strict=True))
        )
    return "\n".join(lines)
