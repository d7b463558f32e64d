"""The problems: what a summary sentence says that its supporting sentences do not.

Numbers and names must stand in the supporting sentences; when one stands in another sentence
of the article that shares enough of the summary sentence besides, that sentence joins the
support (:func:`~inbrief.verify.support.extension`).  A quotation must stand word for word
somewhere in the article.  A weekday or a month
is a problem when the support names another one.  A content word the article never uses is
weighed by :mod:`~inbrief.verify.novelty`: the writer's own wording passes, a word brought in
from elsewhere does not.  A negation must agree with the support's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from inbrief.models import CheckedSentence, Problem, ProblemKind
from inbrief.text import tokenize
from inbrief.verify.dates import calendar_words
from inbrief.verify.names import named_in
from inbrief.verify.negation import negation_cuts
from inbrief.verify.novelty import brought_in, candidates
from inbrief.verify.numbers import Quantity, same_value
from inbrief.verify.quotes import quotations, quoted_in
from inbrief.verify.reading import Reading
from inbrief.verify.roles import Role, same_role
from inbrief.verify.support import ArticleIndex, align, extension
from inbrief.verify.words import Word, content_words, zipf

UNKNOWN_ZIPF = 1.0
"""A word the article does not use is a problem wherever it stands when it is rarer than this
in the language (Zipf scale: seen less than once in ten million words, a made-up word or name)."""
COMMON_NAME_ZIPF = 5.0
"""A capitalised word at least this common is a title or a common noun (la Santé, l'Etat) as
often as a name: the name test leaves it to the word test."""
RARE_NAME_ZIPF = 4.0
"""A name the article never gives is a problem when rarer than this; a commoner one (France,
Paris, a first name) is as often the writer's knowledge as an invention."""

# Characters either side of a figure in which the words framing it are looked for.
_FRAME_REACH = 60
NAME_SHARE = 0.2
"""The share a sentence naming a name must share with the summary sentence to join its
support (see :data:`~inbrief.verify.support.EXTEND_SHARE`)."""
NEGATION_SHARE = 0.4
"""A negated sentence joins a support that negates nothing, for a negated summary sentence,
only when it shares this much of it (more than other facts need: most articles negate
something somewhere)."""

_IN_SUPPORT = "not in the supporting sentences"
_ROLE_NAMES: dict[Role, str] = {
    "money": "a sum",
    "share": "a share",
    "day": "a day of the month",
    "year": "a year",
    "count": "a plain number",
}
_NOT_IN_ARTICLE = "not in the article"


@dataclass
class _Support:
    """The supporting sentences (positions in the index), growing as facts pull others in."""

    index: ArticleIndex
    summary: Reading
    positions: list[int]
    readings: list[Reading] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.readings = [self.index.readings[p] for p in self.positions]

    def join(self, position: int) -> None:
        """Let the sentence at ``position`` join."""
        self.positions.append(position)
        self.readings.append(self.index.readings[position])

    def pull(self, holders: set[int], share: float | None = None) -> bool:
        """Let a sentence among ``holders`` join, if one shares enough; whether one did."""
        if holders.intersection(self.positions):
            return True
        joined = extension(self.summary, self.positions, holders, self.index, share)
        if joined is None:
            return False
        self.join(joined)
        return True


def problems(summary: Reading, support: list[int], index: ArticleIndex) -> list[Problem]:
    """What ``summary`` says that the sentences at ``support`` (positions in the index, to
    which sentences holding its facts may be added) do not."""
    held = _Support(index, summary, support)
    found: list[Problem] = []
    found += _numbers(held)
    found += _dates(held)
    found += _quotations(held)
    found += _names(held)
    found += _words(held)
    found += _negation(held)
    return found


def _numbers(held: _Support) -> list[Problem]:
    found = []
    for quantity, role in zip(held.summary.quantities, held.summary.roles, strict=True):
        holders = held.index.holding_value(quantity, role)
        if holders and held.pull(holders):
            continue
        framing = _framing(quantity, role, held, holders)
        if framing is not None:
            held.join(framing)
            continue
        kind: ProblemKind = "date" if quantity.year else "number"
        if holders:
            note = _IN_SUPPORT
        elif held.index.holding_value(quantity):
            note = f"in the article, but not as {_ROLE_NAMES[role]}"
        else:
            note = _NOT_IN_ARTICLE
        found.append(Problem(kind, quantity.text, note))
    return found


def _frame(text: str, quantity: Quantity, language: str | None) -> frozenset[str]:
    """The stems of the content words right before and right after a figure (weekdays and
    months left out: the figure's role says those)."""
    before = _plain_words(text[max(0, quantity.start - _FRAME_REACH) : quantity.start], language)
    after = _plain_words(text[quantity.end : quantity.end + _FRAME_REACH], language)
    return frozenset(word.stem for word in before[-1:] + after[:1])


def _plain_words(text: str, language: str | None) -> list[Word]:
    dated = {day.text.lower() for day in calendar_words(text, language)}
    return [word for word in content_words(text, language) if word.text not in dated]


def _framing(quantity: Quantity, role: Role, held: _Support, holders: set[int]) -> int | None:
    """The sentence among ``holders`` that frames the figure, in the same role, with a word
    the summary frames it with, if one does: an age after the same name ("Adlington, 26"), a
    sum after the same verb; a figure swapped in from elsewhere in the article comes with its
    own words around it."""
    language = held.index.language
    # The framing word must be one the support uses too: it ties the figure to what the
    # support is about, not to any sentence that happens to share a word.
    mine = _frame(held.summary.text, quantity, language)
    mine &= frozenset().union(*(reading.stems for reading in held.readings))
    if not mine:
        return None
    for position in sorted(holders):
        text = held.index.sentences[position].text
        reading = held.index.readings[position]
        for theirs, their_role in zip(reading.quantities, reading.roles, strict=True):
            if not same_role(role, their_role) or not same_value(quantity, theirs):
                continue
            if mine & _frame(text, theirs, language):
                return position
    return None


def _dates(held: _Support) -> list[Problem]:
    found = []
    for day in calendar_words(held.summary.text, held.index.language):
        holders = held.index.by_date.get(day.key, set())
        if holders and held.pull(holders):
            continue
        # A summary may date the news by its day of publication, which an article often
        # leaves out; only a support naming another day of the same kind contradicts it.
        kind = day.key.split()[0]  # "weekday" or "month"
        named = sorted(
            key for reading in held.readings for key in reading.calendar if key.startswith(kind)
        )
        if named:
            found.append(Problem("date", day.text, f"{_IN_SUPPORT}, which name another {kind}"))
    return found


def _quotations(held: _Support) -> list[Problem]:
    """A quotation must stand word for word in the article: a title or a phrase a highlight
    quotes is often in another sentence than its facts, and a run of words found verbatim is
    evidence enough; one quoted word alone is emphasis, left to the word test."""
    found = []
    sentences = held.index.sentences
    for quote in quotations(held.summary.text):
        if len(tokenize(quote)) < 2:
            continue
        if quoted_in(quote, [sentences[p].text for p in held.positions]):
            continue
        holders = {p for p, s in enumerate(sentences) if quoted_in(quote, [s.text])}
        if holders:
            held.pull(holders)
            continue
        found.append(Problem("quotation", quote, "not word for word in the article"))
    return found


def _names(held: _Support) -> list[Problem]:
    """Each part of a name must be in the support (or in a sentence that may join it); a
    common part (a first name, a country) may go unsaid when another part of the name is
    there: "Emmanuel Macron" for the article's "Macron"."""
    found = []
    language = held.index.language
    for name in dict.fromkeys(held.summary.names):
        missing = []
        for part in name:
            if len(part) < 2 or zipf(part, language) >= COMMON_NAME_ZIPF:
                continue
            tokens = frozenset().union(*(r.tokens for r in held.readings))
            stems = frozenset().union(*(r.stems for r in held.readings))
            if named_in(part, tokens, stems, language):
                continue
            holders = _holding_name(part, held)
            if holders and held.pull(holders, NAME_SHARE):
                continue
            missing.append((part, bool(holders)))
        excused = len(missing) < len(name)
        for part, elsewhere in missing:
            if excused and zipf(part, language) >= RARE_NAME_ZIPF:
                continue
            if elsewhere:
                found.append(Problem("name", part, _IN_SUPPORT))
            elif zipf(part, language) < RARE_NAME_ZIPF:
                found.append(Problem("name", part, _NOT_IN_ARTICLE))
    return found


def _holding_name(name: str, held: _Support) -> set[int]:
    for word in held.summary.words:
        if word.text == name:
            return held.index.holding_word(word.stem, word.prefix)
    return set()


def _words(held: _Support) -> list[Problem]:
    """A content word the article never uses is a problem when it is unknown to the language,
    or when the model of :mod:`~inbrief.verify.novelty` finds it more like a word brought in
    than like the writer's own wording."""
    summary, index = held.summary, held.index
    skip = frozenset(part for name in summary.names for part in name)
    found = []
    for candidate in candidates(summary, held.readings, index, skip):
        word = candidate.word
        if candidate.replaces:
            where = " ".join(candidate.replaces)
            note = f"not in the article; the supporting sentence has {where!r} there"
        else:
            note = _NOT_IN_ARTICLE
        if zipf(word.text, index.language) < UNKNOWN_ZIPF or brought_in(candidate, index.language):
            found.append(Problem("words", word.text, note))
    return found


def _negation(held: _Support) -> list[Problem]:
    """A negation the summary adds to a run of words the support states without it, or takes
    out of one: the words on either side of it are side by side in the other text."""
    summary, index = held.summary, held.index
    mine = negation_cuts(summary.text, index.language)
    if mine.cuts and not any(reading.negated for reading in held.readings):
        holders = {p for p, reading in enumerate(index.readings) if reading.negated}
        joined = extension(summary, held.positions, holders, index, NEGATION_SHARE)
        if joined is None:
            note = "a negation the supporting sentences do not make"
            return [Problem("words", mine.word, note)]
        held.positions.append(joined)
        held.readings.append(index.readings[joined])
    for position in held.positions:
        text = index.sentences[position].text
        theirs = negation_cuts(text, index.language)
        for cut in mine.cuts:
            if cut in theirs.pairs and cut not in theirs.cuts:
                note = "a negation the supporting sentences do not make"
                return [Problem("words", mine.word, note)]
        if summary.negated:
            continue
        for cut in theirs.cuts:
            if cut in mine.pairs:
                note = "the supporting sentence negates what this one states"
                return [Problem("words", theirs.word, note)]
    return []


def checked(
    text: str,
    summary: Reading,
    index: ArticleIndex,
    cited: Sequence[int],
) -> CheckedSentence:
    """Check one summary sentence: against the sentences it cites when they hold it up,
    against the sentences alignment finds otherwise (saying so)."""
    cited = tuple(cited)
    known = [index.positions[n] for n in dict.fromkeys(cited) if n in index.positions]
    unknown = [n for n in dict.fromkeys(cited) if n not in index.positions]
    notes: list[Problem] = []
    if unknown:
        listed = ", ".join(str(number) for number in unknown)
        notes.append(Problem("support", listed, "cited, but the article has no such sentence"))
    if known:
        cited_support = list(known)
        against_cited = problems(summary, cited_support, index)
        if not against_cited:
            return _result(text, cited_support, notes, index, cited)
        aligned = sorted(set(known) | set(align(summary, index)))
        against_aligned = problems(summary, aligned, index)
        if len(against_aligned) < len(against_cited):
            extra = [p for p in aligned if p not in known]
            listed = ", ".join(str(index.sentences[p].index) for p in extra)
            note = "the cited sentences do not hold it up; these do"
            notes.append(Problem("support", listed, note))
            return _result(text, aligned, notes + against_aligned, index, cited)
        return _result(text, cited_support, notes + against_cited, index, cited)
    support = align(summary, index)
    if not support:
        notes.append(Problem("support", "", "no sentence of the article supports it"))
        return _result(text, [], notes, index, cited)
    found = problems(summary, support, index)
    return _result(text, support, notes + found, index, cited)


def _result(
    text: str,
    support: Sequence[int],
    found: list[Problem],
    index: ArticleIndex,
    cited: tuple[int, ...],
) -> CheckedSentence:
    return CheckedSentence(
        text=text,
        supported=not found,
        support=tuple(index.sentences[p] for p in sorted(support)),
        problems=tuple(found),
        cited=cited,
    )
