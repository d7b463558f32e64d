"""The word tables of keyphrases, one file per language in ``data/keyphrases/``.

Each file holds ``[section]`` tables (``data/keyphrases/README.md`` says what each is for); a
language without a file gets empty tables, so the method still runs on its stop words alone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

from inbrief.text import normalize_language, stems, stopwords

LANGUAGES = ("en", "fr", "de", "es", "ru", "it", "pt", "nl", "kk")
# Languages whose nouns change their endings with case: a word of ``[ignore]`` is ignored in
# every form its stem groups ("год", "года", "году"), and a phrase shows its base form.
_INFLECTED = frozenset({"ru", "kk"})


@dataclass(frozen=True)
class WordTables:
    """What keyphrases knows of a language beyond its stop words."""

    stop: frozenset[str]
    ignore: frozenset[str]
    titles: frozenset[str]
    title_endings: tuple[str, ...]
    determiners: frozenset[str]
    verb_endings: tuple[str, ...]
    adjective_endings: tuple[str, ...]
    name_adjective_endings: tuple[str, ...]
    markers: frozenset[str]
    # German writes every noun capitalised: a lower-case word there is never the head of one.
    nouns_capitalised: bool = False
    # A language with cases puts a genitive before a name: "президент России Владимир Путин".
    cases: bool = False
    # Stems of the ``ignore`` words, in languages that inflect them (empty elsewhere).
    ignore_stems: frozenset[str] = frozenset()
    # Endings of the base (nominative) forms, preferred when a phrase is met in several forms.
    base_endings: tuple[str, ...] = ()
    # Endings of the other cases, least preferred.
    oblique_endings: tuple[str, ...] = ()
    # Case endings: a word that is another word of the article plus one is a form of it.
    case_endings: tuple[str, ...] = ()
    # Endings of a genitive that opens a longer capitalised run ("Аргентины Маурисио Макри").
    genitive_endings: tuple[str, ...] = ()

    @property
    def case_ending_groups(self) -> tuple[tuple[int, frozenset[str]], ...]:
        """``case_endings`` by length, longest first: (length, the endings of that length)."""
        return _by_length(self.case_endings)

    @property
    def inflected(self) -> bool:
        return bool(self.ignore_stems)

    def ignored(self, word: str, stem: str) -> bool:
        """A word of ``[ignore]``, or (where nouns inflect) a form of one."""
        return word in self.ignore or stem in self.ignore_stems

    def base_rank(self, word: str) -> int:
        """0 for a word ending as a base form does, 2 for an oblique case's ending, else 1."""
        if self.oblique_endings and word.endswith(self.oblique_endings):
            return 2
        return 0 if not self.base_endings or word.endswith(self.base_endings) else 1

    def is_title(self, word: str) -> bool:
        return word in self.titles or (
            bool(self.title_endings) and word.endswith(self.title_endings)
        )

    def ends_name(self, word: str) -> bool:
        """An adjective that belongs to the name before it: "Union européenne"."""
        return len(word) > 4 and word.endswith(self.name_adjective_endings)

    def looks_verbal(self, word: str) -> bool:
        return len(word) > 4 and word.endswith(self.verb_endings)

    def looks_adjectival(self, word: str) -> bool:
        return len(word) > 4 and word.endswith(self.adjective_endings)


@cache
def _by_length(endings: tuple[str, ...]) -> tuple[tuple[int, frozenset[str]], ...]:
    sizes = sorted({len(ending) for ending in endings if ending}, reverse=True)
    return tuple((size, frozenset(e for e in endings if len(e) == size)) for size in sizes)


def _sections(code: str) -> dict[str, list[str]]:
    listing = resources.files("inbrief").joinpath("data", "keyphrases", f"{code}.txt")
    if not listing.is_file():
        return {}
    sections: dict[str, list[str]] = {}
    current: list[str] = []
    for line in listing.read_text(encoding="utf-8").splitlines():
        line = line.split("|", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        else:
            current.extend(line.split())
    return sections


@cache
def word_tables(language: str | None) -> WordTables:
    """The tables of ``language`` (any tag inbrief normalizes; unknown -> empty tables)."""
    code = normalize_language(language) or ""
    sections = _sections(code) if code in LANGUAGES else {}

    def words(name: str) -> frozenset[str]:
        return frozenset(sections.get(name, ()))

    ignore = words("ignore") | words("titles")
    return WordTables(
        stop=stopwords(code),
        ignore=ignore,
        titles=words("titles"),
        title_endings=tuple(sections.get("title_endings", ())),
        determiners=words("determiners"),
        verb_endings=tuple(sections.get("verb_endings", ())),
        adjective_endings=tuple(sections.get("adjective_endings", ())),
        name_adjective_endings=tuple(sections.get("name_adjective_endings", ())),
        markers=words("markers"),
        nouns_capitalised=code == "de",
        cases=code in ("de", "ru", "kk"),
        ignore_stems=frozenset(stems(sorted(ignore), code)) if code in _INFLECTED else frozenset(),
        base_endings=tuple(sections.get("base_endings", ())),
        oblique_endings=tuple(sections.get("oblique_endings", ())),
        genitive_endings=tuple(sections.get("genitive_endings", ())),
        case_endings=tuple(sorted(sections.get("case_endings", ()), key=len, reverse=True)),
    )


def quoted_stopwords(lower_words: list[str], language: str | None) -> frozenset[str]:
    """Stop words of the other languages an article quotes at length (an English report quoting
    Spanish sources): at least 6 of their frequent function words, and 1.5% of the words."""
    code = normalize_language(language)
    own = stopwords(code)
    threshold = max(6, len(lower_words) * 0.015)
    counts = Counter(lower_words)
    quoted: set[str] = set()
    for other in LANGUAGES:
        if other == code:
            continue
        markers = word_tables(other).markers - own
        if sum(counts[word] for word in markers) >= threshold:
            quoted |= stopwords(other)
    return frozenset(quoted)
