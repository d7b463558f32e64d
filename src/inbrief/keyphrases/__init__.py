"""Key phrases of an article: the few names and noun phrases a reader scans for.

A statistical method in the family of RAKE (Rose et al. 2010) and YAKE (Campos et al. 2020),
with no model, no corpus and no part-of-speech tagger, so it runs on every summary:

1. **Names.** In cased text a run of capitalised words ("Adam Schiff", "New York Times") is one
   name, never cut into pieces; a sentence's first word joins it only if the article also
   writes it capitalised inside a sentence ("Citing ..." does not).  A title before a name is
   taken off ("President Donald Trump" -> "Donald Trump", German "Familienministerin ..."); in
   French, Spanish, Italian and Portuguese an adjective after it belongs to it ("Parlement
   européen").  A later "Schiff" counts for "Adam Schiff" when it ends exactly one longer name
   (a lone first name too, when it starts exactly one).  German capitalises every noun, so
   there this path is the noun path as well.
2. **Other phrases** are runs of lower-case content words between stop words, numbers,
   punctuation and the ignored words of ``data/keyphrases/`` (months, weekdays, "year"-words,
   number words, generic news words); every 1- to 3-word stretch of a run is a candidate,
   keyed by its words' stems so that "minister" and "ministers" are one phrase.  Cheap cues stand
   in for a tagger: a word with a verb's or adverb's ending ("killed", "reportedly", "rejeté")
   counts only if a determiner stands before it somewhere ("the building"); a word alone must
   be a phrase's head more often than its modifier ("police" in "police officer" is not).
3. **Support.** A phrase must occur at least twice, or be a name in the title or the opening
   sentence; and an article of ``n`` words gets at most ``2 + n // 40`` phrases.
4. **Score** ``occurrences x words x early x name``; the best are taken in order, skipping any
   that shares a stem with one taken, and shown as written: the commonest spelling inside
   sentences (so an inflected name shows its commonest form: "Москве" over a lone "Москвы").

Lower-cased text (CNN/DailyMail's PTB form) has no capitals: names there come only from
repeated runs, as in step 2.  Ties go to the phrase met first: the output is deterministic.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from inbrief.keyphrases.tables import WordTables, quoted_stopwords, word_tables
from inbrief.keyphrases.words import (
    Word,
    article_words,
    function_words,
    sentence_tokens,
)
from inbrief.text import detect_language, stems
from inbrief.text.analysis import Analysis, analyse

_LONGEST = 3
_LONGEST_NAME = 5
_WORDS_PER_PHRASE = 40
_NAME_WEIGHT = 2.0
_ROMANCE = frozenset({"fr", "es", "it", "pt"})  # the noun comes first: "commission électorale"

_Key = tuple[str, ...]
_Phrase = tuple[Word, ...]


def keyphrases(
    text: str, language: str | None, count: int = 5, title: str | None = None
) -> tuple[str, ...]:
    """At most ``count`` key phrases of ``text``, best first, as written in the text.

    ``language`` selects stop words, word tables and stemmer; None detects it from the text.
    ``title`` lets a name met once count when the headline names it.

    >>> keyphrases("The storm reached Florida. Damage from the storm in Florida was severe.", "en")
    ('Florida', 'storm')
    """
    if count < 1 or not text.strip():
        return ()
    return keyphrases_of(analyse(text, language or detect_language(text)), count, title)


def keyphrases_of(analysis: Analysis, count: int = 5, title: str | None = None) -> tuple[str, ...]:
    """:func:`keyphrases` of a text already split (the pipeline's one split of an article).

    An analysis without a language is split again in the language detected from its text,
    as :func:`keyphrases` would split it.
    """
    text, language = analysis.text, analysis.language
    if count < 1 or not text.strip():
        return ()
    if not language:
        language = detect_language(text)
        if language is not None:
            analysis = analyse(text, language)
    tables = word_tables(language)
    tokens = [sentence_tokens(s.text) for s in analysis.sentences]
    lower_words = [token.lower() for sentence in tokens for token in sentence if token]
    stop = (tables.stop or function_words(tokens)) | quoted_stopwords(lower_words, language)
    sentences = article_words(tokens, stop, tables.determiners)
    cased = _cased(tokens)
    stem_of = _stemmer(sentences, language, tables)
    lowers = _lowers(tokens) if cased else set()
    names, runs = _names_and_runs(sentences, tables, cased, lowers, stem_of)
    found = _Candidates(stem_of, (language or "")[:2] in _ROMANCE, cased)
    for name in names:
        found.add_name(name)
    found.merge_fragments()
    if not (tables.nouns_capitalised and cased):
        found.add_runs(runs)
    title_words = [token.lower() for token in sentence_tokens(title or "") if token]
    title_key = tuple(stems(title_words, language))
    limit = min(count, 2 + len(lower_words) // _WORDS_PER_PHRASE)
    return found.best(limit, tables, title_key)


def _cased(tokens: list[list[str]]) -> bool:
    """Whether capitals mean anything: most sentences open with one (not so in PTB text)."""
    opening = [sentence[0] for sentence in tokens if sentence and sentence[0][:1].isalpha()]
    return bool(opening) and sum(word[:1].isupper() for word in opening) * 2 > len(opening)


def _lowers(tokens: list[list[str]]) -> set[str]:
    """Words written in lower case somewhere: a capital on them at a sentence's start is no name."""
    return {token for sentence in tokens for token in sentence if token and token.islower()}


def _stemmer(
    sentences: list[list[Word | None]], language: str | None, tables: WordTables
) -> dict[str, str]:
    """Each word's stem; where nouns inflect, a word that is another word of the article plus a
    case ending takes that word's stem (Snowball cuts "Громов" to "гром" but "Громова" to
    "громов")."""
    vocabulary = sorted({word.lower for sentence in sentences for word in sentence if word})
    stem_of = dict(zip(vocabulary, stems(vocabulary, language), strict=True))
    # Longest ending first.  Of the endings of one length only the word's own last letters can
    # match, so each length is one set lookup instead of an endswith() per ending.
    groups = tables.case_ending_groups
    for word in vocabulary if groups else ():
        for size, endings in groups:
            if word[-size:] in endings:
                base = word[:-size]
                if len(base) > 2 and base in stem_of:
                    stem_of[word] = stem_of[base]
                    break
    return stem_of


def _names_and_runs(
    sentences: list[list[Word | None]],
    tables: WordTables,
    cased: bool,
    lowers: set[str],
    stem_of: dict[str, str],
) -> tuple[list[_Phrase], list[_Phrase]]:
    """Name occurrences (whole capitalised runs) and the runs of other content words."""
    if not cased:  # lower-cased PTB text: no names to find, every run is a phrase
        return [], [run for sentence in sentences for run in _split(sentence, tables, stem_of)]
    inside = {
        w.lower for s in sentences for w in s if w and not w.opens and w.surface[:1].isupper()
    }
    capital_runs: list[list[Word]] = []
    runs: list[_Phrase] = []
    for sentence in sentences:
        rest: list[Word | None] = []  # the sentence with its names taken out
        capitals: list[Word] = []
        for word in [*sentence, None]:
            capital = word is not None and word.surface[:1].isupper()
            if capital and word is not None and word.opens and word.lower not in inside:
                capital = False  # "Police said", "Citing sources": no name unless met inside
                if word.lower not in lowers:
                    word = None
            if word is not None and (capital or (capitals and tables.ends_name(word.lower))):
                capitals.append(word)  # "New York Times", "Parlement européen"
                rest.append(None)
                if capital:
                    continue
                word = None
            if capitals:
                capital_runs.extend(_at_titles(capitals, tables))
                capitals = []
            rest.append(word)
        runs.extend(_split(rest, tables, stem_of))
    return _names(capital_runs, tables, stem_of), runs


def _split(
    sentence: list[Word | None], tables: WordTables, stem_of: dict[str, str]
) -> list[_Phrase]:
    """The runs of ``sentence`` between its boundaries and its ignored words."""
    ignore, ignore_stems = tables.ignore, tables.ignore_stems
    runs: list[_Phrase] = []
    run: list[Word] = []
    for word in sentence:
        # WordTables.ignored, inlined: this runs once per word of every article.
        if word is None or word.lower in ignore or stem_of[word.lower] in ignore_stems:
            if run:
                runs.append(tuple(run))
                run = []
        else:
            run.append(word)
    if run:
        runs.append(tuple(run))
    return runs


def _at_titles(words: list[Word], tables: WordTables) -> list[list[Word]]:
    """A capitalised run cut where a title stands before a name: "United States President
    Donald Trump" -> "United States", "Donald Trump"; "Supreme Leader" stays whole.  A change of
    script cuts too ("Talk Talk Марк Холлис")."""
    parts: list[list[Word]] = [[]]
    for number, word in enumerate(words):
        if number + 1 < len(words) and tables.is_title(word.lower):
            if parts[-1]:
                parts.append([])
            continue
        if parts[-1] and _latin(parts[-1][-1].surface) != _latin(word.surface):
            parts.append([])
        parts[-1].append(word)
    return [part for part in parts if part]


def _latin(word: str) -> bool:
    return word[:1] < "\u0370"  # Latin letters, accented too, end where Greek begins


def _names(
    capital_runs: list[list[Word]], tables: WordTables, stem_of: dict[str, str]
) -> list[_Phrase]:
    """Names of 1 to 5 words, not made of ignored words alone.  In languages with cases, a run
    that opens with a name met alone elsewhere is two: a genitive or a German noun before the
    name ("Великобритании Бориса Джонсона", "Land Sri Lanka"; two Russian words are one name,
    "Андрей Варичев"); in English "Texas Haunters Convention" stays whole."""
    alone = {stem_of[run[0].lower] for run in capital_runs if len(run) == 1}
    names: list[_Phrase] = []
    for run in capital_runs:
        longer = len(run) > 2 or (len(run) == 2 and tables.nouns_capitalised)
        genitive = len(run) > 2 and _genitive(run[0].lower, tables)
        if tables.cases and longer and (stem_of[run[0].lower] in alone or genitive):
            parts = [run[:1], run[1:]]
        else:
            parts = [run]
        names.extend(
            tuple(part)
            for part in parts
            if len(part) <= _LONGEST_NAME
            and not all(tables.ignored(w.lower, stem_of[w.lower]) for w in part)
        )
    return names


class _Candidates:
    """Candidate phrases keyed by stems, with where they occur."""

    def __init__(self, stem_of: dict[str, str], head_first: bool, cased: bool) -> None:
        self.stem_of = stem_of
        self.head_first = head_first
        self.cased = cased
        self.names: dict[_Key, list[_Phrase]] = {}
        self.fragments: dict[_Key, list[_Phrase]] = defaultdict(list)
        # Repeated stretches of runs: where each starts in ``run_words`` (see :meth:`add_runs`).
        self.common: dict[_Key, list[int]] = {}
        self.run_words: list[Word | None] = []
        self.head_stems: set[str] = set()  # stems that are a run's head somewhere
        # Words met after a determiner, as written: "the killing" says nothing of "killed".
        self.nominal: set[str] = set()

    def key(self, words: _Phrase) -> _Key:
        return tuple(self.stem_of[word.lower] for word in words)

    def add_name(self, name: _Phrase) -> None:
        self.names.setdefault(self.key(name), []).append(name)

    def merge_fragments(self) -> None:
        """A later "Schiff" counts for "Adam Schiff" when it ends no other name; so does a lone
        "Adam" that starts no other."""
        longer = [key for key in self.names if len(key) > 1]
        for key in sorted(self.names, key=len):
            ends = [k for k in longer if k in self.names and k[-len(key) :] == key != k]
            if not ends and len(key) == 1:
                ends = [k for k in longer if k in self.names and k[0] == key[0]]
            whole = [k for k in ends if not any(k != o and _within(k, o) for o in ends)]
            if len(whole) == 1:
                self.fragments[whole[0]].extend(self.names.pop(key))

    def add_runs(self, runs: list[_Phrase]) -> None:
        """Every 1- to 3-word stretch of the runs is a candidate, keyed by its stems; only
        stretches met twice or more are kept (one met once is never chosen), in the order they
        were first met (which breaks ties between equal scores)."""
        stem_of = self.stem_of
        head_at = 0 if self.head_first else -1
        # All runs as one list of keys, each run closed by its number: a key of its own, so a
        # stretch across two runs is met once and never kept.
        keys: list[str | int] = []
        words: list[Word | None] = []
        for number, run in enumerate(runs):
            run_stems = [stem_of[word.lower] for word in run]
            self.head_stems.add(run_stems[head_at])
            keys += run_stems
            keys.append(number)
            words += run
            words.append(None)
        self.nominal.update(word.lower for run in runs for word in run if word.after_determiner)
        # Only the few stretches that compete for a place are ever read as words (places()).
        self.common.update(_repeated(keys))
        self.run_words = words

    def places(self, stretch: _Key) -> list[_Phrase]:
        """Where a repeated stretch occurs, as its words."""
        size, words = len(stretch), self.run_words
        # A kept stretch holds no run's closing None: its words are all words.
        return [
            tuple(words[start : start + size])  # type: ignore[arg-type]
            for start in self.common[stretch]
        ]

    def _usable(self, key: _Key, places: list[_Phrase], tables: WordTables) -> bool:
        if len(places) < 2 or (self.cased and all(place[0].opens for place in places)):
            return False  # met only where a capital says nothing: "Tropical Storm Humberto"
        shown = _shown(places, tables)
        for word in shown:
            if tables.looks_verbal(word.lower) and word.lower not in self.nominal:
                return False  # "killed", "reportedly", "rejeté", "сложить"
        if len(key) > 1:
            return True
        if tables.looks_adjectival(shown[0].lower):
            return False  # "фейковых", alone
        # Never a head, always a modifier ("tropical" of "tropical storm").
        return key[0] in self.head_stems

    def best(self, limit: int, tables: WordTables, title: _Key) -> tuple[str, ...]:
        # Names first, then in order of first occurrence: the stable sort breaks ties by it.
        # (score, key, places: None for a repeated stretch until it is looked at)
        scored: list[tuple[float, _Key, list[_Phrase] | None]] = []
        for key, places in self.names.items():
            every = places + self.fragments.get(key, [])
            # Met in the opening sentence, or its surname in the headline ("Schwesig will ...").
            lead = any(p[0].sentence == 0 for p in places) or key[-1] in title
            if len(every) < 2 and not lead:
                continue
            score = len(every) * len(key) * _early(every) * _NAME_WEIGHT
            scored.append((score, key, places))
        words = self.run_words
        for key, starts in self.common.items():
            first = min(words[start].sentence for start in starts)  # type: ignore[union-attr]
            early = 1.0 + 1.0 / (1 + first)  # _early() of its places
            scored.append((len(starts) * len(key) * early, key, None))
        scored.sort(key=lambda item: -item[0])
        chosen: list[_Key] = []
        phrases: list[str] = []
        for _score, key, known in scored:
            if len(chosen) == limit:
                break
            if any(not set(key).isdisjoint(taken) for taken in chosen):
                continue
            # Usability depends on the candidate alone, so it is asked only of those that could
            # be taken: filtering after the stable sort keeps the order filtering before it gave.
            places = known if known is not None else self.places(key)
            if known is None and not self._usable(key, places, tables):
                continue
            chosen.append(key)
            phrases.append(" ".join(word.surface for word in _shown(places, tables)))
        return tuple(phrases)


def _repeated(keys: list[str | int]) -> list[tuple[_Key, list[int]]]:
    """The stretches of 1 to :data:`_LONGEST` keys met twice or more, each with where it starts,
    in the order they are first met (a shorter one first when two start together).

    A stretch can repeat only if the stretch one key shorter does, so each length is grown
    from the repeated ones of the length before: most words of an article are met once, and
    counting every stretch of them cost twice as much.
    """
    counts = Counter(keys)
    at: dict[str | int, list[int]] = {}
    for position, key in enumerate(keys):
        if counts[key] > 1:
            at.setdefault(key, []).append(position)
    level: dict[tuple[str | int, ...], list[int]] = {(key,): starts for key, starts in at.items()}
    found = dict(level)
    for size in range(2, _LONGEST + 1):
        longer: dict[tuple[str | int, ...], list[int]] = {}
        for stretch, starts in level.items():
            for start in starts:
                # A kept stretch holds no run's closing number, so a key follows it.
                longer.setdefault((*stretch, keys[start + size - 1]), []).append(start)
        level = {stretch: starts for stretch, starts in longer.items() if len(starts) > 1}
        found.update(level)
    ordered = sorted(found.items(), key=lambda item: (item[1][0], len(item[0])))
    return ordered  # type: ignore[return-value]  # no kept stretch holds a run's number


def _within(short: _Key, long: _Key) -> bool:
    return any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1))


def _early(places: list[_Phrase]) -> float:
    return 1.0 + 1.0 / (1 + min(place[0].sentence for place in places))


def _genitive(word: str, tables: WordTables) -> bool:
    """A capitalised word in the genitive opening a run of three or more: a place or body the
    name after it belongs to ("Аргентины Маурисио Макри", "Великобритании Бориса Джонсона")."""
    return (
        bool(tables.genitive_endings) and len(word) > 3 and word.endswith(tables.genitive_endings)
    )


def _shown(places: list[_Phrase], tables: WordTables) -> _Phrase:
    """The commonest spelling inside sentences (else anywhere); ties to the first seen.

    Where nouns inflect, a name shows its base form: the shortest spelling (case endings add
    letters: "Путин" over a commoner "Путина", "Астана" over "Астанада"), then the one ending
    as a nominative does ("Москва" over "Москве").  Other phrases keep their commonest form,
    ties going to the nominative-looking one: a lower-case word's shortest form may be a
    genitive plural ("групп" beside "группа")."""
    inside: dict[str, list[_Phrase]] = {}
    anywhere: dict[str, list[_Phrase]] = {}
    for words in places:
        surface = " ".join(word.surface for word in words)
        anywhere.setdefault(surface, []).append(words)
        if not words[0].opens:
            inside.setdefault(surface, []).append(words)
    spellings = inside or anywhere
    if tables.inflected and len(spellings) > 1:
        return min(spellings.values(), key=lambda seen: _base_order(seen, tables))[0]
    return max(spellings.values(), key=len)[0]


def _base_order(seen: list[_Phrase], tables: WordTables) -> tuple[int, ...]:
    """Sort key of one spelling, best first (see :func:`_shown`)."""
    words = seen[0]
    letters = sum(len(word.lower) for word in words)
    rank = sum(tables.base_rank(word.lower) for word in words)
    if all(word.surface[:1].isupper() for word in words):
        return letters, rank, -len(seen)
    return -len(seen), rank, letters
