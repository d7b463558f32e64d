"""Key phrases of an article: the few words and names a reader scans for.

A statistical method in the family of RAKE (Rose et al. 2010) and YAKE (Campos et al. 2020),
with no model and no corpus, so it works in any language inbrief has stop words for:

1. Candidates are runs of content words between stop words, numbers and punctuation (a phrase
   never crosses a comma, a quote or a sentence end); every 1- to 3-word stretch of a run is a
   candidate, keyed by its words' stems so that "minister" and "ministers" are one phrase.
2. A candidate scores ``occurrences x words x early x name``: frequent phrases matter, a
   repeated two-word phrase beats each of its words alone, a phrase met in the first sentences
   is weighted up (news puts its subject first), and one written capitalised inside sentences
   (a name, in cased text) is weighted up.  Phrases of several words must occur twice.
3. The best are taken in order, skipping any that contains or is contained in one already taken
   ("Iran" after "Iran nuclear deal"), and shown as written in the text: the commonest spelling
   inside sentences, so that a capital opening a sentence is not taken for a name.

Ties go to the phrase met first: the output is deterministic.  We considered the ``yake``
package: same idea, but several times slower (it builds a co-occurrence graph per word) and four
more dependencies.  ``docs/text.md`` has the timing.
"""

from __future__ import annotations

import re
from collections import defaultdict

from inbrief.text import detect_language, split_sentences, stems, stopwords

# A word as written, in group 1: a dotted acronym with its final dot (U.S.), or letters and
# digits joined across an apostrophe, hyphen or dot inside them (don't, once-in-a-lifetime);
# otherwise a mark that ends a phrase (any other non-space character, or a PTB bracket token
# such as -lrb-), matched with group 1 empty.
_TOKEN = re.compile(r"-[lr][rcs]b-|((?:[^\W\d_]\.){2,}|\w+(?:['\u2019.-]\w+)*)|[^\w\s]")
_CURLY_APOSTROPHE = "\u2019"
_LONGEST = 3
# When the language has no stop-word list: a word in this share of sentences or more is taken
# for a function word (the, and, of are in nearly every sentence of any language).
_FUNCTION_SHARE = 1 / 3
_FUNCTION_MIN_SENTENCES = 6

# One word of a candidate run: (as written, lower-cased, sentence number, opens its sentence).
_Word = tuple[str, str, int, bool]
_Key = tuple[str, ...]


def keyphrases(text: str, language: str | None, count: int = 5) -> tuple[str, ...]:
    """The ``count`` best key phrases of ``text``, best first, as written in the text.

    ``language`` selects stop words and stemmer; None detects it from the text.

    >>> keyphrases("The storm hit Florida. Storm damage in Florida was severe.", "en", 2)
    ('Florida', 'storm')
    """
    if count < 1 or not text.strip():
        return ()
    language = language or detect_language(text)
    sentences = [sentence.text for sentence in split_sentences(text, language)]
    runs = _content_runs(sentences, language)
    occurrences = _occurrences(runs, language)
    return _best(runs, occurrences, count)


def _content_runs(sentences: list[str], language: str | None) -> list[list[_Word]]:
    """Maximal runs of content words, split at stop words, numbers and punctuation."""
    tokens = [_TOKEN.findall(sentence) for sentence in sentences]
    stop = stopwords(language) or _function_words(tokens)
    runs: list[list[_Word]] = []
    for number, sentence_tokens in enumerate(tokens):
        run: list[_Word] = []
        opens = True
        for token in sentence_tokens:
            elided, surface, possessive = _parts(token, stop)
            lower = surface.lower()
            if elided and run:
                runs.append(run)  # "accorder l'asile": the phrase may not skip the article
                run = []
            if len(lower) > 1 and lower not in stop and not lower.replace(".", "").isdigit():
                run.append((surface, lower, number, opens))
            elif run:
                runs.append(run)
                run = []
            if possessive and run:
                runs.append(run)  # "Obama's plan" is two phrases: "Obama", "plan"
                run = []
            if token:
                opens = False
        if run:
            runs.append(run)
    return runs


def _parts(word: str, stop: frozenset[str]) -> tuple[bool, str, bool]:
    """(elided stop word before it, the word itself, possessive after it).

    ``l'ACTA`` (French, Italian elision) -> ``(True, "ACTA", False)``; ``Obama's`` ->
    ``(False, "Obama", True)``: phrases read as names, not inflections, and stay verbatim.
    """
    possessive = word[-2:] in ("'s", _CURLY_APOSTROPHE + "s")
    if possessive:
        word = word[:-2]
    head, mark, rest = word.replace(_CURLY_APOSTROPHE, "'").partition("'")
    if mark and rest and head.lower() in stop:
        return True, word[len(head) + 1 :], possessive
    return False, word, possessive


def _function_words(tokens: list[list[str]]) -> frozenset[str]:
    """Stand-in stop words for a language without a list: words in at least a third of the
    sentences that are also written in lower case (so a name repeated throughout stays)."""
    if len(tokens) < _FUNCTION_MIN_SENTENCES:
        return frozenset()
    spread: defaultdict[str, int] = defaultdict(int)
    for sentence_tokens in tokens:
        for word in {token.lower() for token in sentence_tokens if token}:
            spread[word] += 1
    written_lower = {token for sentence_tokens in tokens for token in sentence_tokens}
    threshold = _FUNCTION_SHARE * len(tokens)
    return frozenset(
        word
        for word, sentences in spread.items()
        if sentences >= threshold and word in written_lower
    )


def _occurrences(
    runs: list[list[_Word]], language: str | None
) -> dict[_Key, list[tuple[int, int]]]:
    """Where each 1- to 3-word stretch of a run occurs, as (run, first word), keyed by stems."""
    vocabulary = sorted({word[1] for run in runs for word in run})
    stem_of = dict(zip(vocabulary, stems(vocabulary, language), strict=True))
    found: defaultdict[_Key, list[tuple[int, int]]] = defaultdict(list)
    for number, run in enumerate(runs):
        run_stems = [stem_of[word[1]] for word in run]
        for start in range(len(run)):
            for end in range(start + 1, min(start + _LONGEST, len(run)) + 1):
                found[tuple(run_stems[start:end])].append((number, start))
    return found


def _score(key: _Key, places: list[tuple[int, int]], runs: list[list[_Word]]) -> float:
    if len(key) > 1 and len(places) < 2:
        return 0.0
    first_run, first_word = places[0]
    early = 1.0 + 1.0 / (1 + runs[first_run][first_word][2])
    inner = capitalised = 0
    for run, start in places:
        words = runs[run][start : start + len(key)]
        if not words[0][3]:
            inner += 1
            capitalised += all(word[0][:1].isupper() for word in words)
    name = 1.0 + (capitalised / inner if inner else 0.0)
    return len(places) * len(key) * early * name


def _best(
    runs: list[list[_Word]], occurrences: dict[_Key, list[tuple[int, int]]], count: int
) -> tuple[str, ...]:
    # Dictionary order is first-occurrence order, so the stable sort breaks ties by it.
    scored = [(_score(key, places, runs), key) for key, places in occurrences.items()]
    scored.sort(key=lambda item: -item[0])
    chosen: list[_Key] = []
    phrases: list[str] = []
    for score, key in scored:
        if score <= 0 or len(chosen) == count:
            break
        if any(not set(key).isdisjoint(taken) for taken in chosen):
            continue
        chosen.append(key)
        phrases.append(_spelling(key, occurrences[key], runs))
    return tuple(phrases)


def _spelling(key: _Key, places: list[tuple[int, int]], runs: list[list[_Word]]) -> str:
    """The commonest spelling inside sentences (else anywhere); ties to the first seen."""
    inside: defaultdict[str, int] = defaultdict(int)
    anywhere: defaultdict[str, int] = defaultdict(int)
    for run, start in places:
        words = runs[run][start : start + len(key)]
        surface = " ".join(word[0] for word in words)
        anywhere[surface] += 1
        if not words[0][3]:
            inside[surface] += 1
    spellings = inside or anywhere
    return max(spellings, key=spellings.__getitem__)
