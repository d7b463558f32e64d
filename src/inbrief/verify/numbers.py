"""Numbers as values: digits, number words, amounts and percentages, in en/fr/de/es/ru.

>>> [sorted(q.values) for q in quantities("Some 5 million people, fifteen of them", "en")]
[[5000000.0], [15.0]]
>>> [sorted(q.values) for q in quantities("une hausse de 3,5 % en 2019", "fr")]
[[3.5], [2019.0]]

A figure with one separator before exactly three digits ("1,500", "1.500") is read by the
language's convention: thousands after a comma in English, after a dot in the decimal-comma
languages (French, German, Spanish, Russian...); when the language is unknown both readings are
kept, and two figures match when a reading of each is equal.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from inbrief.text.language import normalize_language


@dataclass(frozen=True)
class Quantity:
    """A number a text states: as written, where (offsets into the text), and its values.

    ``values`` holds every reading of the figure (usually one); ``year`` is true for a bare
    four-digit figure from 1800 to 2100, which the check reports as a date.
    """

    text: str
    start: int
    end: int
    values: frozenset[float]
    year: bool = False


# --- figures written with digits -----------------------------------------------------------

_SPACES = " \u00a0\u202f"
_FIGURE = re.compile(
    r"(?<![\w.,])(?:\d{1,3}(?:(?:,|\.|[ \u00a0\u202f])\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?!\d)"
)
# The languages that write a decimal comma, and group thousands with dots or spaces.
_DECIMAL_COMMA = frozenset({"fr", "de", "es", "ru", "it", "pt", "nl", "pl", "cs", "sv", "da"})

# Scale words after a figure, and their value; the bare letters (5m, 2bn, 40k) only when glued
# to the figure, since "5 m" is five metres in most languages.
_SCALES = {
    "thousand": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "trillion": 1e12,
    "mille": 1e3,
    "milliard": 1e9,
    "milliards": 1e9,
    "tausend": 1e3,
    "mio": 1e6,
    "millionen": 1e6,
    "mrd": 1e9,
    "milliarde": 1e9,
    "milliarden": 1e9,
    "mil": 1e3,
    "millón": 1e6,
    "millones": 1e6,
    "billón": 1e12,
    "billones": 1e12,
    "тыс": 1e3,
    "тысяча": 1e3,
    "тысячи": 1e3,
    "тысяч": 1e3,
    "млн": 1e6,
    "миллион": 1e6,
    "миллиона": 1e6,
    "миллионов": 1e6,
    "млрд": 1e9,
    "миллиард": 1e9,
    "миллиарда": 1e9,
    "миллиардов": 1e9,
}
_GLUED_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12}
_SCALE_AFTER = re.compile(r"([ \u00a0\u202f]?)([^\W\d_]+)\.?(?:[ \u00a0\u202f]+(millones|de))?")


def _figure_values(figure: str, language: str | None) -> frozenset[float]:
    """Every value ``figure`` may be read as (see the module's note on separators)."""
    digits = figure
    for space in _SPACES:
        digits = digits.replace(space, "")
    groups = re.findall(r"[.,]", digits)
    if not groups:
        return frozenset({float(digits)})
    last = max(digits.rfind(","), digits.rfind("."))
    tail = digits[last + 1 :]
    if len(groups) == 1 and len(tail) != 3:
        # "3.5", "3,5", "12,25": one separator before anything but three digits is a decimal.
        return frozenset({float(digits.replace(",", "."))})
    if len(set(groups)) == 2:
        # "1,234.5" or "1.234,5": the last separator is the decimal one.
        whole = re.sub(r"[.,]", "", digits[:last])
        return frozenset({float(f"{whole}.{tail}")})
    thousands = float(re.sub(r"[.,]", "", digits))
    if len(groups) > 1:
        return frozenset({thousands})  # "1,234,567", "1.234.567"
    decimal = float(digits.replace(",", "."))
    if language is None:
        return frozenset({thousands, decimal})
    grouping = "." if language in _DECIMAL_COMMA else ","
    return frozenset({thousands if groups[0] == grouping else decimal})


def _percent_or_scale(text: str, end: int) -> tuple[float, int]:
    """The scale (million, bn, Mrd...) after a figure ending at ``end``, and where it ends."""
    match = _SCALE_AFTER.match(text, end)
    if match is None:
        return 1.0, end
    space, word = match.group(1), match.group(2).lower()
    if not space and word in _GLUED_SCALES:
        return _GLUED_SCALES[word], match.end(2)
    if word == "mil" and match.group(3) == "millones":
        return 1e9, match.end(3)  # Spanish "mil millones", a thousand million
    if word in _SCALES:
        return _SCALES[word], match.end(2)
    return 1.0, end


# --- numbers written as words --------------------------------------------------------------

_UNITS = {
    "en": "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen",
    "fr": "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze "
    "quinze seize dix-sept dix-huit dix-neuf",
    "de": "null eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn "
    "fünfzehn sechzehn siebzehn achtzehn neunzehn",
    "es": "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce "
    "quince dieciséis diecisiete dieciocho diecinueve",
    "ru": "ноль один два три четыре пять шесть семь восемь девять десять одиннадцать двенадцать "
    "тринадцать четырнадцать пятнадцать шестнадцать семнадцать восемнадцать девятнадцать",
}
_TENS = {
    "en": "twenty thirty forty fifty sixty seventy eighty ninety",
    "fr": "vingt trente quarante cinquante soixante septante huitante nonante",
    "de": "zwanzig dreißig vierzig fünfzig sechzig siebzig achtzig neunzig",
    "es": "veinte treinta cuarenta cincuenta sesenta setenta ochenta noventa",
    "ru": "двадцать тридцать сорок пятьдесят шестьдесят семьдесят восемьдесят девяносто",
}
# Other forms of the same values: genders, plurals, Russian cases, Spanish compounds.
_EXTRA_FORMS: dict[str, dict[str, float]] = {
    "en": {"hundred": 100, "dozen": 12},
    "fr": {"une": 1, "cent": 100, "cents": 100, "vingts": 20},
    "de": {"ein": 1, "eine": 1, "einen": 1, "hundert": 100, "dreissig": 30},
    "es": {
        "un": 1,
        "una": 1,
        "veintiuno": 21,
        "veintiún": 21,
        "veintidós": 22,
        "veintitrés": 23,
        "veinticuatro": 24,
        "veinticinco": 25,
        "veintiséis": 26,
        "veintisiete": 27,
        "veintiocho": 28,
        "veintinueve": 29,
        "cien": 100,
        "ciento": 100,
        "doscientos": 200,
        "doscientas": 200,
        "trescientos": 300,
        "trescientas": 300,
        "cuatrocientos": 400,
        "quinientos": 500,
        "quinientas": 500,
        "seiscientos": 600,
        "setecientos": 700,
        "ochocientos": 800,
        "novecientos": 900,
    },
    "ru": {
        **dict.fromkeys(["одна", "одно", "одного", "одной", "одному", "одним", "одном", "одну"], 1),
        **dict.fromkeys(["две", "двух", "двум", "двумя"], 2),
        **dict.fromkeys(["трех", "трёх", "трем", "трём", "тремя"], 3),
        **dict.fromkeys(["четырех", "четырёх", "четырем", "четырём", "четырьмя"], 4),
        "пяти": 5,
        "шести": 6,
        "семи": 7,
        "восьми": 8,
        "девяти": 9,
        "десяти": 10,
        "двадцати": 20,
        "тридцати": 30,
        "сорока": 40,
        "пятидесяти": 50,
        "шестидесяти": 60,
        "семидесяти": 70,
        "восьмидесяти": 80,
        "девяноста": 90,
        "сто": 100,
        "ста": 100,
        "двести": 200,
        "двухсот": 200,
        "триста": 300,
        "трехсот": 300,
        "четыреста": 400,
        "пятьсот": 500,
        "пятисот": 500,
        "шестьсот": 600,
        "семьсот": 700,
        "восемьсот": 800,
        "девятьсот": 900,
        **{f"{word[:-1]}и": value for value, word in enumerate(_UNITS["ru"].split()) if value > 10},
    },
}
# Words that multiply what comes before them (and stand for their value alone: "a million").
_WORD_SCALES = {
    "en": {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12},
    "fr": {"mille": 1e3, "million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9},
    "de": {"tausend": 1e3, "million": 1e6, "millionen": 1e6, "milliarde": 1e9, "milliarden": 1e9},
    "es": {"mil": 1e3, "millón": 1e6, "millones": 1e6},
    "ru": {
        key: value
        for key, value in _SCALES.items()
        if key[0] in "тмлн" and not key.isascii() and key not in ("тыс", "млн", "млрд")
    },
}
_JOINERS = {"en": {"and"}, "fr": {"et"}, "de": {"und"}, "es": {"y"}, "ru": set()}
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@cache
def _number_words(language: str) -> dict[str, float]:
    words: dict[str, float] = {}
    for value, word in enumerate(_UNITS[language].split()):
        words[word] = value
    for step, word in enumerate(_TENS[language].split(), start=2):
        words[word] = step * 10
    words.update(_EXTRA_FORMS[language])
    return words


_GERMAN_COMPOUND = re.compile(
    r"(?:(?P<hundreds>\w+?)?hundert)?(?:(?P<unit>\w+?)und)?(?P<rest>\w+)?\Z"
)


def _german_word(word: str, words: dict[str, float]) -> float | None:
    """The value of a German compound numeral ("fünfundzwanzig", "zweihundertdrei")."""
    if word in words:
        return words[word]
    match = _GERMAN_COMPOUND.match(word)
    if match is None or not (match["unit"] or match["hundreds"] is not None or "hundert" in word):
        return None
    total = 0.0
    if "hundert" in word:
        hundreds = match["hundreds"]
        count = words.get(hundreds.removesuffix("s")) if hundreds else 1.0
        if count is None or count >= 10:
            return None
        total += count * 100
    if match["unit"]:
        unit = words.get(match["unit"].removesuffix("s"))
        if unit is None or unit >= 10:
            return None
        total += unit
    if match["rest"]:
        rest = words.get(match["rest"])
        if rest is None or rest >= 100:
            return None
        total += rest
    return total


def _word_value(word: str, language: str) -> float | None:
    words = _number_words(language)
    if language == "de":
        return _german_word(word, words)
    value = words.get(word)
    if value is None and "-" in word:
        # "twenty-five", "vingt-deux", "quatre-vingt-dix": parts joined by hyphens.
        parts = [words.get(part) for part in word.split("-") if part not in _JOINERS[language]]
        if parts and all(part is not None for part in parts):
            return _combine([p for p in parts if p is not None])
    return value


def _leading_number(word: str, start: int, language: str) -> tuple[float | None, int]:
    """The number a hyphenated word opens with, and where it ends: "eighteen-month-old" is
    18 ending after "eighteen", "five-year" 5."""
    parts = word.split("-")
    for count in range(len(parts) - 1, 0, -1):
        value = _word_value("-".join(parts[:count]), language)
        if value is not None:
            return value, start + len("-".join(parts[:count]))
    return None, start


def _combine(parts: list[float]) -> float:
    """The value of consecutive number words: 'quatre vingt dix' -> 90, 'two hundred' -> 200."""
    total = 0.0
    current = 0.0
    for part in parts:
        if part == 100 or (part == 20 and 1 < current < 10):
            current = max(current, 1) * part
        elif part >= 1000:
            total += max(current, 1) * part
            current = 0
        else:
            current += part
    return total + current


def _word_quantities(text: str, language: str) -> Iterator[Quantity]:
    """Numbers written as words, consecutive words (and joiners) read as one."""
    scales = _WORD_SCALES[language]
    joiners = _JOINERS[language]
    run: list[tuple[float, int, int]] = []
    for match in _WORD.finditer(text):
        word = match.group().lower()
        end = match.end()
        value = scales.get(word)
        if value is None:
            value = _word_value(word, language)
        if value is None and "-" in word:
            value, end = _leading_number(word, match.start(), language)
        if value is not None:
            if run and text[run[-1][2] : match.start()].strip(" -") not in ("", *joiners):
                yield from _close_run(text, run)
                run = []
            run.append((value, match.start(), end))
            if end < match.end():  # "eighteen-month-old": the number ends inside the word
                yield from _close_run(text, run)
                run = []
            continue
        if word in joiners and run:
            continue
        if run:
            yield from _close_run(text, run)
            run = []
    if run:
        yield from _close_run(text, run)


# A lone "one" is a pronoun as often as a number ("one of them"), and "un", "ein", "uno" are
# also articles: a run worth one alone is not reported as a number.
# Nor is a scale word alone ("millions of people", "des milliers").
def _close_run(text: str, run: list[tuple[float, int, int]]) -> Iterator[Quantity]:
    value = _combine([value for value, _, _ in run])
    if len(run) == 1 and (value == 1 or value >= 1000):
        return
    start, end = run[0][1], run[-1][2]
    yield Quantity(text[start:end], start, end, frozenset({value}))


# --- everything together -------------------------------------------------------------------


def quantities(text: str, language: str | None) -> list[Quantity]:
    """The numbers ``text`` states, in order: figures with their scale, and number words (in
    the languages inbrief reads them in; English ones too when the language is unknown)."""
    code = normalize_language(language)
    found: list[Quantity] = []
    for match in _FIGURE.finditer(text):
        figure = match.group()
        if code not in _DECIMAL_COMMA and " " in figure:
            # A space groups thousands only in the decimal-comma languages; elsewhere "in
            # 2013 100 people" is two figures.
            for part in re.finditer(r"\S+", figure):
                found.extend(_one_figure(text, match.start() + part.start(), part.group(), code))
            continue
        found.extend(_one_figure(text, match.start(), figure, code))
    figures = list(found)
    for quantity in _word_quantities(text, code if code in _UNITS else "en"):
        if not any(q.start <= quantity.start < q.end for q in figures):
            found.append(quantity)
    found.sort(key=lambda q: q.start)
    return found


# Letters a figure may carry: ordinals, decades, hours, units, scales (21st, '40s, 8e, 15h).
_SUFFIX = re.compile(r"[^\W\d_]+")
_SUFFIXES = frozenset(
    [
        "st",
        "nd",
        "rd",
        "th",
        "s",
        "e",
        "er",
        "re",
        "ère",
        "ème",
        "eme",
        "es",
        "h",
        "m",
        "bn",
        "mn",
        "k",
        "b",
        "tn",
        "km",
        "kg",
        "cm",
        "mm",
        "ans",
        "yr",
    ]
)


def _one_figure(text: str, start: int, figure: str, language: str | None) -> list[Quantity]:
    end = start + len(figure)
    suffix = _SUFFIX.match(text, end)
    if suffix is not None and suffix.group().lower() not in _SUFFIXES:
        return []  # part of a word or a code: 3d, 2016ers, covid19b
    values = _figure_values(figure, language)
    scale, scale_end = _percent_or_scale(text, end)
    year = scale == 1 and len(figure) == 4 and figure.isdigit() and 1800 <= int(figure) <= 2100
    if scale != 1:
        values = frozenset(value * scale for value in values)
        end = scale_end
    return [Quantity(text[start:end], start, end, values, year)]


def same_value(first: Quantity, second: Quantity) -> bool:
    """True when a reading of ``first`` equals a reading of ``second`` (to rounding)."""
    return any(abs(a - b) <= 1e-9 * max(abs(a), 1.0) for a in first.values for b in second.values)
