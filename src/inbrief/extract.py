"""Document -> Article: the article body and its metadata, without the page around it.

HTML gets two opinions on where the article is: trafilatura's main extractor (precision mode,
without its own fallbacks) and readability (trafilatura's bundled port).  Where the two agree
on the body, the paragraphs only trafilatura keeps at its edges (related headlines, newsletter
boxes, press-release boilerplate) go; where trafilatura caught only a teaser or another block,
readability's text replaces it; tweets the story embeds are put back where it quotes them.  On
the Zyte benchmark's dev pages this scores F1 0.985 against 0.968 for trafilatura's precision
mode alone (``bench/extract_quality.py``).  The metadata is read here from the page's own
declarations (meta tags, JSON-LD, ``<link rel=canonical>``, ``<html lang>``) plus htmldate for
the date, which is several times cheaper than trafilatura's full metadata pass.  Plain text is
split into paragraphs at blank lines.

Both paths then drop the news furniture that extractors let through: summary buttons,
previous/next links and the headlines under them, share and subscribe bars, photo captions
and credits, read-more teasers, advertisement labels, and the sign-offs that close a story
(the reporter's contact line, a newsletter pitch, a paywall's prompt).  The rules live in
:data:`BOILERPLATE`, one table per language, and only ever remove a whole short unit (a
paragraph, or a line of plain text): a paragraph longer than :data:`MAX_BOILERPLATE_WORDS` words
is article text whatever it starts with.

Last, the quality gate (:mod:`inbrief.completeness`) says whether the text is likely the whole
article: ``Article.complete`` and ``Article.incomplete_reason``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urljoin, urlsplit

import htmldate
import trafilatura
from lxml.etree import _Element
from lxml.html import HtmlElement

from inbrief.completeness import assess, needs_javascript, page_signals, tables_for, union
from inbrief.errors import ExtractError
from inbrief.models import Article, Document
from inbrief.text import detect_language, normalize_language
from inbrief.text.punctuation import HEADLINE_STOPS, ends_sentence, has_sentence_end, is_heading

try:  # trafilatura's bundled readability port: public functions, if not its documented API
    from trafilatura.external import sanitize_tree, try_readability
    from trafilatura.settings import Extractor

    _READABILITY_OPTIONS: Extractor | None = Extractor(precision=True, comments=False, tables=True)
except ImportError:  # pragma: no cover - a trafilatura that moved them: its own cascade only
    _READABILITY_OPTIONS = None

__all__ = ["BOILERPLATE", "MAX_BOILERPLATE_WORDS", "clean_paragraphs", "extract"]


def extract(document: Document) -> Article:
    """The article in ``document``: clean paragraphs joined by blank lines, with metadata.

    Its ``language`` is the page's declared language, else a guess from the text; it is None
    only when the text is too short to tell.  Raises :class:`ExtractError` when the document
    holds no article text.
    """
    article = _extract_html(document) if document.kind == "html" else _extract_text(document)
    if article.language is None:
        # The guess from the page's paragraphs may fail where the clean article text still tells.
        article = replace(article, language=detect_language(article.text))
    return article


# --- paragraphs -------------------------------------------------------------------------------

# Zero-width characters CMSs leave between words; they are not whitespace to str.split().
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff"), None)


def _normalize(text: str) -> str:
    """One paragraph on one line: whitespace runs become single spaces, ends trimmed."""
    return " ".join(text.translate(_INVISIBLE).split())


def _join(paragraphs: Sequence[str]) -> str:
    return "\n\n".join(paragraphs)


# --- boilerplate rules ------------------------------------------------------------------------

MAX_BOILERPLATE_WORDS = 50
"""Units longer than this are never dropped: no caption or share bar runs to 50 words."""

_HEADLINE_WORDS = 20  # the headline linked under "Next Article" is short


@dataclass(frozen=True)
class Phrases:
    """Boilerplate of one language, as regular expressions matched against a whole unit.

    ``navigation`` and ``teaser`` hold bare labels ("previous article", "read more"): they
    match alone or followed by their target after a colon-like separator, and a label alone
    also takes the headline right after it (the linked title).  The other kinds are whole-unit
    patterns and drop only the unit itself; ``sign_off`` ones (the reporter's contact line, a
    newsletter pitch, the tag list) only at the article's end, where a sign-off stands.
    """

    widget: tuple[str, ...] = ()
    navigation: tuple[str, ...] = ()
    share: tuple[str, ...] = ()
    caption: tuple[str, ...] = ()
    teaser: tuple[str, ...] = ()
    advert: tuple[str, ...] = ()
    sign_off: tuple[str, ...] = ()
    share_words: tuple[str, ...] = ()


# A label may carry its target on the same line: "Read more: <headline>", "Related | <headline>".
# Dashes are not separators here: "More — much more — is needed." is a sentence.
_TAIL = r"(?:\s*[:|\u00bb\u203a>]\s*.*)?"  # colon, bar, guillemet, angle quote
_SOCIAL = (
    r"(?:facebook|twitter|x|linkedin|whatsapp|pinterest|reddit|telegram|messenger|flipboard"
    r"|instagram|youtube|tiktok|threads|bluesky|mastodon|e-?mail|vk|vkontakte|ok|xing)"
)
_AGENCY = (
    r"(?:ap|afp|reuters|epa|epa-efe|efe|dpa|ansa|anp|tass|ria novosti|getty images|getty"
    r"|shutterstock|istock(?:photo)?|alamy|picture alliance|imago|sipa|abaca|bloomberg|xinhua)"
)

BOILERPLATE: dict[str, Phrases] = {
    "en": Phrases(
        widget=(
            r"no time to read\s*\??",
            r"(?:get|show|read|see) (?:a|the) summary",
            r"summari[sz]e (?:this|the) (?:article|story)",
        ),
        navigation=(
            r"(?:previous|prev|next|older|newer) (?:article|post|story|entry)",
            r"previous|prev|next",
        ),
        share=(
            rf"share(?: this)?(?: article| story| post| page)?(?: (?:on|via|with) {_SOCIAL})?",
            r"(?:tweet|e-?mail|print)(?: this(?: article| story| page)?)?",
            r"copy (?:the )?link",
            r"(?:subscribe|sign up|register)(?: now| today| here)? (?:to|for) (?:our|the)\b.*"
            r"\bnewsletters?\b.*",
            rf"follow (?:us|me|@\w+|[\w.'\u2019-]+(?: [\w.'\u2019-]+){{0,3}}) on {_SOCIAL}\b.*",
            r"follow us\b.*",
        ),
        caption=(
            r"(?:photo|photograph|picture|image|video|graphic)s?(?: credit)?\s*:.*",
            # Only a bare credit: "Picture by Mysid (Wikimedia Commons author), used under a
            # public domain license." is a sentence of a Global Voices article.
            r"(?:photo|photograph|picture|image)s? by [^.]{1,60}",
            r"(?:image|photo) (?:copyright|caption|source)\b.*",
            r"credits?\s*:.*",
            rf"\(?{_AGENCY}(?: photo| images| pool)?(?:\s*/\s*[^)]{{1,80}})?\)?",
            rf".*\({_AGENCY}(?: photo| images)?\s*/[^)]{{1,80}}\)",
            r".*\((?:photo|image|picture)s?(?: credit)?\s*:[^)]{1,80}\)",
            r"(?:copyright\s*)?©.*",
            r"copyright \d{4}\b.*",
        ),
        teaser=(
            r"read more",
            r"related(?: (?:articles?|stories|story|coverage|content|links|news|reading|posts?))?",
            r"see (?:also|more)|also read|read also|more|recommended(?: reading)?|watch",
            r"don['\u2019]t miss",
            r"continue reading",
            r"click here to (?:read|see|watch) more",
        ),
        advert=(
            # A linked headline tagged by the kind of story it leads to: "Plane passengers
            # quarantined after outbreak [NEWS]" (Reach plc titles: Express, Mirror, Star).
            r"[^\[\]]{10,200}\s\[[A-Z]{3,}(?: [A-Z]{3,})?\]",
            r"advertisement",
            r"advertising",
            r"ad",
            r"sponsored(?: content)?",
            r"(?:the )?(?:story|article) continues (?:below|after)(?: (?:this )?advertisement)?",
            r"continue reading the main story",
        ),
        sign_off=(
            r"(?:have|got) a (?:news )?tip\b.*",
            r".*\b(?:may|can) be reached (?:at|by|on|via)\b.*",
            r"(?:e-?mail|reach|contact)\b.{0,80}\b(?:at|on|via)\b.*(?:@|https?://).*",
            r"(?:.*[.!?]\s+)?follow (?:him|her|them|us|me)\b.*",
            # Not "subscribe to this newsletter": that text is the newsletter itself.
            r".*\b(?:subscribe|sign up|register)\b.{0,40}\b(?:to|for)\b(?! this\b).{0,60}"
            r"\bnewsletters?\b.*",
            r"(?:filed under|tags|tagged|topics)\s*:.*",
            # A paywall's prompt where the story stops (the quality gate reports the cut).
            r"(?:subscribe|sign up|register|log ?in|sign ?in)\b.{0,60}\bto (?:continue|keep) "
            r"reading\b.*",
            r"already (?:a )?(?:subscriber|member)\b.*",
        ),
        share_words=(
            "share",
            "shares",
            "tweet",
            "email",
            "e-mail",
            "print",
            "comment",
            "comments",
            "copy",
            "link",
            "save",
            "facebook",
            "twitter",
            "x",
            "linkedin",
            "whatsapp",
            "pinterest",
            "reddit",
            "telegram",
            "messenger",
            "flipboard",
            "instagram",
            "youtube",
            "tiktok",
            "threads",
            "bluesky",
            "mastodon",
            "vk",
        ),
    ),
    "fr": Phrases(
        widget=(
            r"pas le temps de lire\s*\??",
            r"(?:obtenir|voir|afficher|lire) (?:un|le) résumé",
            r"résumer (?:cet|l') ?article",
        ),
        navigation=(r"(?:article|billet) (?:précédent|suivant)", r"précédent|suivant"),
        share=(
            rf"partager(?: cet article)?(?: sur {_SOCIAL})?",
            r"(?:imprimer|envoyer)(?: cet article)?",
            r"(?:abonnez-vous|inscrivez-vous) à (?:notre|la) newsletter\b.*",
            rf"suivez-nous sur {_SOCIAL}\b.*",
        ),
        caption=(
            r"(?:photo|illustration|image)s?\s*:.*",
            r"crédits?(?: photos?)?\s*:.*",
        ),
        teaser=(
            r"(?:à )?lire aussi|à lire également",
            r"lire la suite",
            r"voir aussi",
            r"sur le même sujet",
        ),
        advert=(r"publicité",),
        sign_off=(
            r"(?:mots-clés|tags|classé dans|thèmes)\s*:.*",
            r"(?:abonnez-vous|inscrivez-vous|connectez-vous)\b.{0,60}\bpour (?:lire|continuer"
            r"|poursuivre)\b.*",
            r"déjà abonnée?\b.*",
        ),
        share_words=("partager", "imprimer", "envoyer", "commenter", "commentaires"),
    ),
    "de": Phrases(
        widget=(
            r"keine zeit zum lesen\s*\??",
            r"zusammenfassung (?:anzeigen|lesen|erhalten)",
        ),
        navigation=(r"(?:vorheriger|nächster) (?:artikel|beitrag)",),
        share=(
            rf"(?:artikel )?teilen(?: (?:auf|via|per) {_SOCIAL})?",
            rf"(?:auf|via|per) {_SOCIAL} teilen",
            r"newsletter abonnieren\b.*",
            r"(?:jetzt )?(?:für|zum) (?:unseren|den) newsletter anmelden\b.*",
            rf"folgen sie uns auf {_SOCIAL}\b.*",
            r"drucken",
        ),
        caption=(r"(?:foto|fotos|bild|bilder|bildquelle|quelle)\s*:.*",),
        # Not "Mehr lesen:": Global Voices' German edition uses it inside its articles.
        teaser=(
            r"lesen sie (?:auch|mehr)",
            r"mehr zum thema",
            r"auch interessant",
            r"weiterlesen",
            r"das könnte sie auch interessieren",
        ),
        advert=(r"anzeige", r"werbung"),
        sign_off=(
            r"(?:schlagwörter|schlagworte|themen|tags)\s*:.*",
            r"(?:jetzt )?(?:weiterlesen|lesen sie weiter) mit\b.*",
            r"bereits (?:abonnent|abonnentin|registriert)\b.*",
        ),
        share_words=("teilen", "drucken", "twittern", "kommentieren", "kommentare"),
    ),
    "es": Phrases(
        widget=(
            r"¿?no tienes tiempo (?:para|de) leer\s*\??",
            r"(?:obtener|ver|leer) (?:un|el) resumen",
        ),
        navigation=(r"(?:artículo|noticia|entrada) (?:anterior|siguiente)",),
        share=(
            rf"compartir(?: este artículo| esta noticia)?(?: en {_SOCIAL})?",
            r"(?:suscríbete|suscríbase) a (?:nuestro|nuestra|la|el) (?:boletín|newsletter)\b.*",
            rf"(?:síguenos|síganos) en {_SOCIAL}\b.*",
            r"imprimir",
        ),
        caption=(
            r"(?:foto|fotos|imagen|fotografía)\s*:.*",
            r"créditos?\s*:.*",
        ),
        teaser=(
            r"(?:lee|lea) también",
            r"leer más",
            r"te puede interesar",
            r"relacionad[oa]s?",
        ),
        advert=(r"publicidad", r"anuncio"),
        sign_off=(
            r"(?:etiquetas|archivado en|temas)\s*:.*",
            r"(?:suscríbete|suscríbase|regístrate|regístrese)\b.{0,60}\bpara (?:seguir|continuar)"
            r" leyendo\b.*",
            r"¿?ya eres (?:suscriptor|socio|abonado)\b.*",
        ),
        share_words=("compartir", "imprimir", "comentar", "comentarios"),
    ),
    "ru": Phrases(
        widget=(
            r"нет времени (?:на чтение|читать)\s*\??",
            r"(?:получить|показать|прочитать) (?:краткое содержание|пересказ|резюме)",
        ),
        navigation=(r"(?:предыдущая|следующая) (?:статья|новость|запись)",),
        share=(
            rf"поделиться(?: в {_SOCIAL})?",
            r"подпис(?:ывайтесь|аться|итесь) на (?:нашу рассылку|наш канал|нас)\b.*",
        ),
        caption=(
            r"фото\s*(?::|—|\s-).*",
            r"(?:источник|автор) фото\s*:.*",
            r"иллюстрация\s*:.*",
        ),
        teaser=(
            r"читайте (?:также|ещё|еще)",
            r"читать (?:далее|полностью|также)",
            r"смотрите также",
            r"подробнее|по теме",
        ),
        advert=(r"реклама",),
        sign_off=(
            r"(?:теги|метки|темы)\s*:.*",
            r"(?:подпишитесь|оформите подписку)\b.{0,40}чтобы (?:продолжить|читать|прочитать).*",
            r"уже (?:есть подписка|подписаны)\b.*",
        ),
        share_words=("поделиться", "твитнуть", "вконтакте", "одноклассники"),
    ),
}

# Decoration around a label ("» Read more", "Share →", "• Advertisement •") is not the label:
# dashes, bullets, bars, guillemets, arrows.
_DECORATION = " \t-\u2013\u2014\u2022\u00b7|\u00bb\u00ab\u203a\u2039>\u2192\u2190\u25b6\u25ba"


@dataclass(frozen=True)
class _Rules:
    drop: re.Pattern[str]
    takes_headline: re.Pattern[str]
    sign_off: re.Pattern[str]
    share_words: frozenset[str]


def _compile(tables: Sequence[Phrases]) -> _Rules:
    labels = [label for t in tables for label in (*t.navigation, *t.teaser)]
    whole = [p for t in tables for p in (*t.widget, *t.share, *t.caption, *t.advert)]
    return _Rules(
        drop=union([*whole, *(f"(?:{label}){_TAIL}" for label in labels)]),
        takes_headline=union([rf"(?:{label})\s*:?" for label in labels]),
        sign_off=union([p for t in tables for p in t.sign_off]),
        share_words=frozenset(w for t in tables for w in t.share_words),
    )


_RULES_BY_LANGUAGE: dict[str | None, _Rules] = {}


def _rules(language: str | None) -> _Rules:
    """The rules for ``language``: its own table plus English, or every table when the
    language is unknown (see :func:`inbrief.completeness.tables_for`)."""
    key, tables = tables_for(language, BOILERPLATE)
    if key not in _RULES_BY_LANGUAGE:
        _RULES_BY_LANGUAGE[key] = _compile(tables)
    return _RULES_BY_LANGUAGE[key]


_SHARE_TOKEN = re.compile(r"[\w@+-]+")


def _is_headline(unit: str) -> bool:
    return is_heading(unit, max_words=_HEADLINE_WORDS, stops=HEADLINE_STOPS, closers="")


def _boilerplate_mask(units: Sequence[str], language: str | None) -> list[bool]:
    """For each unit (a normalised paragraph or line), whether it is page furniture."""
    rules = _rules(language)
    mask = [False] * len(units)
    take_next = False
    for i, unit in enumerate(units):
        label = unit.strip(_DECORATION)
        if take_next and _is_headline(unit):
            mask[i] = True
            take_next = False
            continue
        take_next = False
        if len(unit.split()) > MAX_BOILERPLATE_WORDS:
            continue
        words = _SHARE_TOKEN.findall(label.lower())
        if (
            not label
            or rules.drop.fullmatch(label)
            or (words and all(w in rules.share_words for w in words))
        ):
            mask[i] = True
            take_next = bool(rules.takes_headline.fullmatch(label))
    # Sign-offs close the article: drop them from its end, up to the last unit that is not one.
    for i in reversed(range(len(units))):
        if mask[i]:
            continue
        if len(units[i].split()) > MAX_BOILERPLATE_WORDS or not rules.sign_off.fullmatch(units[i]):
            break
        mask[i] = True
    return mask


def clean_paragraphs(paragraphs: Sequence[str], language: str | None = None) -> list[str]:
    """Normalise whitespace in each paragraph and drop the news furniture among them.

    ``language`` picks the phrase tables (unknown: all of them); article sentences pass
    unchanged.
    """
    units = [_normalize(p) for p in paragraphs]
    mask = _boilerplate_mask(units, language)
    return [unit for unit, drop in zip(units, mask, strict=True) if unit and not drop]


# --- plain text -------------------------------------------------------------------------------

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_TITLE_MAX_CHARS = 200


def _extract_text(document: Document) -> Article:
    text = document.content.replace("\r\n", "\n").replace("\r", "\n")
    blocks = [block.split("\n") for block in _BLANK_LINE.split(text.strip())]
    # Lines, not blocks, are cleaned: a widget often shares a block with the article's end
    # ("No time to read?\nGet a summary\nPrevious Article" in the seed page).
    lines = [(b, _normalize(line)) for b, block in enumerate(blocks) for line in block]
    language = detect_language(" ".join(line for _, line in lines))
    mask = _boilerplate_mask([line for _, line in lines], language)
    paragraphs: dict[int, list[str]] = {}
    for (b, line), drop in zip(lines, mask, strict=True):
        if line and not drop:
            paragraphs.setdefault(b, []).append(line)
    kept = [(len(lines_), " ".join(lines_)) for lines_ in paragraphs.values()]

    title = None
    if len(kept) > 1:
        first_lines, first = kept[0]
        if first_lines == 1 and len(first) <= _TITLE_MAX_CHARS and _is_headline(first):
            title = first
            kept = kept[1:]
    body = [paragraph for _, paragraph in kept]
    if not body:
        raise ExtractError(f"no article text found in {document.origin}")
    verdict = assess(body, language)
    return Article(
        text=_join(body),
        title=title,
        language=normalize_language(language),
        url=document.url,
        origin=document.origin,
        complete=verdict.complete,
        incomplete_reason=verdict.reason,
    )


# --- HTML -------------------------------------------------------------------------------------


def _extract_html(document: Document) -> Article:
    # trafilatura rejects a lone fragment ("<p>...</p>") as not quite HTML; a page it is not.
    tree = trafilatura.load_html(document.content)
    if tree is None:
        tree = trafilatura.load_html(f"<html><body>{document.content}</body></html>")
    if tree is None:
        raise ExtractError(f"no article text found in {document.origin}")
    metadata = _read_metadata(tree, document.url)
    # Without a second opinion of our own, trafilatura's fallbacks are the next best thing.
    main = _trafilatura_paragraphs(tree, document.url, fast=_READABILITY_OPTIONS is not None)
    posts = _embedded_posts(tree)
    signals = page_signals(tree)
    # Readability comes last: it edits the tree it reads.
    second = _readability_paragraphs(tree)
    language = metadata.language or normalize_language(detect_language(" ".join(main or second)))
    paragraphs = _reconcile(clean_paragraphs(main, language), clean_paragraphs(second, language))
    # A post closing the story is inside it even when the text after it was cleaned away.
    paragraphs = _with_embedded_posts(paragraphs, posts, [*main, *second])
    if not any(map(_is_prose, paragraphs)):
        # Neither opinion holds a sentence: trafilatura's full cascade (its own fallbacks,
        # justext and a whole-page baseline) is the last resort.
        fresh = trafilatura.load_html(document.content)
        if fresh is not None:
            paragraphs = clean_paragraphs(_trafilatura_paragraphs(fresh, document.url), language)
    if paragraphs and metadata.title and _same_text(paragraphs[0], metadata.title):
        paragraphs = paragraphs[1:]
    # trafilatura falls back to whatever text a page has, menus included ("Home About").
    if not any(map(_is_prose, paragraphs)):
        script_only = needs_javascript(signals, language)
        hint = f": {script_only}" if script_only else ""
        raise ExtractError(f"no article text found in {document.origin}{hint}")
    verdict = assess(paragraphs, language, signals)
    return Article(
        text=_join(paragraphs),
        title=metadata.title,
        author=metadata.author,
        date=metadata.date,
        language=language,
        site=metadata.site,
        url=metadata.url or document.url,
        origin=document.origin,
        complete=verdict.complete,
        incomplete_reason=verdict.reason,
    )


def _is_prose(paragraph: str) -> bool:
    """A sentence at least: it ends like one and has five words (or, for scripts written
    without spaces, 25 characters); or, since a closing sentence may lack its full stop, it
    runs to fifteen words (75 characters) with a sentence end inside."""
    if (len(paragraph.split()) >= 5 or len(paragraph) >= 25) and ends_sentence(paragraph):
        return True
    if len(paragraph.split()) >= 15 or len(paragraph) >= 75:
        return has_sentence_end(paragraph)
    return False


def _same_text(a: str, b: str) -> bool:
    return _normalize(a).casefold() == _normalize(b).casefold()


# --- two opinions on where the article is -----------------------------------------------------
#
# trafilatura's main extractor (precision mode, without its fallbacks) gives the first opinion,
# readability the second.  Where they agree on the body, the paragraphs only one of them keeps
# at the body's edges are page furniture: related headlines, newsletter boxes, press-release
# boilerplate.  Running the fallback ourselves is also cheaper than trafilatura's cascade, which
# runs readability and often justext on every page.

_MIN_BODY_CHARS = 250  # trafilatura's own minimum extraction size (min_extracted_size)
_LONGER = 2  # trafilatura prefers readability's text when it is twice as long as its own
_SAME_BLOCK = 0.5  # share of the main text readability must hold to be the same block
_AGREEMENT = 0.65  # share of the main text readability must hold before its edges are trusted
_PARAGRAPH_SHARED = 0.5  # share of a paragraph's 4-grams the other text must hold
_GRAM = 4


def _trafilatura_paragraphs(tree: HtmlElement, url: str | None, *, fast: bool = False) -> list[str]:
    """The article body as trafilatura finds it in precision mode, one string per paragraph.

    ``fast`` skips trafilatura's fallbacks (readability, justext, baseline); bare_extraction
    works on a copy, so ``tree`` is left as it was.
    """
    result = trafilatura.bare_extraction(
        tree,
        url=url,
        fast=fast,
        favor_precision=True,
        include_comments=False,
        include_tables=True,
    )
    body = getattr(result, "body", None)
    return _render(body) if body is not None else []


def _readability_paragraphs(tree: HtmlElement) -> list[str]:
    """The article body as readability (trafilatura's bundled port) finds it; edits ``tree``."""
    if _READABILITY_OPTIONS is None:
        return []
    try:
        body, _ = sanitize_tree(try_readability(tree), _READABILITY_OPTIONS)
    except Exception:  # a second opinion that fails is no opinion, not an error
        return []
    return _render(body)


def _reconcile(main: list[str], second: list[str]) -> list[str]:
    """One body from the two opinions (both already cleaned of news furniture)."""
    main_chars, second_chars = _chars(main), _chars(second)
    if main_chars < _MIN_BODY_CHARS and second_chars > main_chars:
        return second
    if not main or not second:
        return main
    shared = _shared_flags(main, second)
    agreement = _token_share(main, shared)
    if second_chars > _LONGER * main_chars and agreement < _SAME_BLOCK:
        # Two different blocks, and the main one much shorter: trafilatura caught a teaser.
        return second
    # When readability holds the main text and much more around it, the "more" was, on the dev
    # pages, the listing around a short post (teasers of other posts): the main text stays.
    return _trim_edges(main, shared) if agreement >= _AGREEMENT else main


def _trim_edges(main: list[str], shared: Sequence[bool]) -> list[str]:
    """``main`` without the leading and trailing paragraphs the other opinion lacks: when the
    two agree on most of the text, what only one of them has at its edges is furniture."""
    start, end = 0, len(main)
    while start < end and not shared[start]:
        start += 1
    while end > start and not shared[end - 1]:
        end -= 1
    return main[start:end]


def _chars(paragraphs: Sequence[str]) -> int:
    return sum(len(p) for p in paragraphs)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


_WORD = re.compile(r"\w+")


def _shared_flags(paragraphs: Sequence[str], other: Sequence[str]) -> list[bool]:
    """For each paragraph, whether most of it (its word 4-grams) is in ``other`` too."""
    other_words = [_words(p) for p in other]
    grams = {tuple(w[i : i + _GRAM]) for w in other_words for i in range(len(w) - _GRAM + 1)}
    joined = " " + " ".join(" ".join(w) for w in other_words) + " "
    flags = []
    for paragraph in paragraphs:
        words = _words(paragraph)
        if len(words) < _GRAM:
            flags.append(f" {' '.join(words)} " in joined)
            continue
        own = [tuple(words[i : i + _GRAM]) for i in range(len(words) - _GRAM + 1)]
        flags.append(sum(g in grams for g in own) >= _PARAGRAPH_SHARED * len(own))
    return flags


def _token_share(paragraphs: Sequence[str], flags: Sequence[bool]) -> float:
    sizes = [len(_words(p)) for p in paragraphs]
    total = sum(sizes)
    return sum(s for s, f in zip(sizes, flags, strict=True) if f) / total if total else 0.0


# --- embedded posts ---------------------------------------------------------------------------
#
# A tweet quoted in a story is part of the story (the benchmark's annotators keep every one),
# but trafilatura drops those its embed wrapper hides (a "social-media-embed" <div>).  The
# page's own <blockquote class="twitter-tweet"> carries the text even without its script.

_POST_CLASSES = ("twitter-tweet",)
_ANCHOR_WORDS = 8  # a paragraph is found again on the page by its first words


@dataclass(frozen=True)
class _EmbeddedPost:
    """An embedded post's paragraphs, and the page text right before and after it."""

    paragraphs: tuple[str, ...]
    before: tuple[str, ...]
    after: tuple[str, ...]


def _embedded_posts(tree: HtmlElement) -> list[_EmbeddedPost]:
    """The embedded posts of the page, each with the block texts around it (document order)."""
    condition = " or ".join(
        f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')" for name in _POST_CLASSES
    )
    quotes = tree.xpath(f"//blockquote[{condition}]")
    if not quotes:
        return []
    # lxml hands out one proxy per node while a reference to it lives: keep them in sets.
    number = {quote: n for n, quote in enumerate(quotes)}
    inside = {element for quote in quotes for element in quote.iter()}
    blocks: list[str | int] = []  # block texts, and the number of each post among them
    for element in tree.iter("p", "h2", "h3", "h4", "li", "blockquote"):
        if element in number:
            blocks.append(number[element])
        elif element not in inside:
            text = _normalize(element.text_content())
            if text:
                blocks.append(text)
    posts = []
    for position, block in enumerate(blocks):
        if isinstance(block, int):
            before = tuple(b for b in blocks[:position] if isinstance(b, str))
            after = tuple(b for b in blocks[position + 1 :] if isinstance(b, str))
            paragraphs = tuple(_render_quote(quotes[block]))
            if paragraphs:
                posts.append(_EmbeddedPost(paragraphs, before, after))
    return posts


def _render_quote(quote: HtmlElement) -> list[str]:
    """A tweet's lines as paragraphs: its text (<br> and <p> break lines), then its byline."""
    lines: list[str] = []
    line: list[str] = []

    def walk(element: HtmlElement) -> None:
        if element.tag in ("p", "br"):
            lines.append("".join(line))
            line.clear()
        if element.text and element.tag != "br":
            line.append(element.text)
        for child in element:
            if isinstance(child.tag, str):
                walk(child)
            elif child.tail:
                line.append(child.tail)
        if element.tag == "p":
            lines.append("".join(line))
            line.clear()
        if element.tail and element is not quote:
            line.append(element.tail)

    walk(quote)
    lines.append("".join(line))
    return [text for text in map(_normalize, lines) if text]


def _anchor(text: str) -> tuple[str, ...]:
    """A paragraph's first words, by which it is found again on the page; empty for a
    paragraph too short to be told apart from a label ("Advertisement", "Photo")."""
    words = _words(text)
    return tuple(words[:_ANCHOR_WORDS]) if len(words) >= _GRAM else ()


def _with_embedded_posts(
    paragraphs: list[str], posts: Sequence[_EmbeddedPost], extracted: Sequence[str]
) -> list[str]:
    """``paragraphs`` with each embedded post they lack put back where the page has it: after
    the last paragraph before it.  A post is inside the article when a paragraph of the body
    comes before it on the page and a paragraph an extractor took (``extracted``, before
    clean-up) comes after it; any other post is in a sidebar or a feed and stays out."""
    if not posts or not paragraphs:
        return paragraphs
    index: dict[tuple[str, ...], int] = {}
    for i, paragraph in enumerate(paragraphs):
        index.setdefault(_anchor(paragraph), i)
    taken = {_anchor(paragraph) for paragraph in extracted} | set(index)
    index.pop((), None)
    taken.discard(())
    inserts: dict[int, list[str]] = {}
    for post in posts:
        if _anchor(post.paragraphs[0]) in index or all(_shared_flags(post.paragraphs, paragraphs)):
            continue  # already extracted
        before = [index[a] for a in map(_anchor, post.before) if a in index]
        if before and any(a in taken for a in map(_anchor, post.after)):
            inserts.setdefault(max(before), []).extend(post.paragraphs)
    if not inserts:
        return paragraphs
    merged: list[str] = []
    for i, paragraph in enumerate(paragraphs):
        merged.append(paragraph)
        merged.extend(inserts.get(i, ()))
    return merged


# trafilatura's output tree: block elements become paragraphs, <lb/> a paragraph break,
# table cells of one row share a paragraph ("cell | cell"), everything else is inline.
_BLOCKS = frozenset({"p", "head", "item", "quote", "code", "list", "table", "row", "div"})


def _render(body: _Element) -> list[str]:
    paragraphs: list[str] = []
    line: list[str] = []

    def flush() -> None:
        text = _normalize("".join(line))
        if text:
            paragraphs.append(text)
        line.clear()

    def walk(element: _Element, in_cell: bool) -> None:
        tag = element.tag
        if in_cell:
            if tag in _BLOCKS or tag == "lb":
                line.append(" ")
        elif tag in _BLOCKS or tag == "lb":
            flush()
        if tag == "cell":
            if element.getprevious() is not None:
                line.append(" | ")
            in_cell = True
        if element.text and tag != "lb":
            line.append(element.text)
        for child in element:
            walk(child, in_cell)
        if tag in _BLOCKS:
            if in_cell:
                line.append(" ")
            else:
                flush()
        if element.tail:
            line.append(element.tail)

    walk(body, False)
    flush()
    return paragraphs


# --- HTML metadata ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Metadata:
    title: str | None
    author: str | None
    date: str | None
    site: str | None
    url: str | None
    language: str | None


_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "blogposting",
    "liveblogposting",
    "report",
    "webpage",
}
# Between a headline and the site name in <title>: a bar, dash, dot, bullet, guillemet,
# slash or double colon between spaces.
# Not a colon: "Iran: To Vote or not to Vote" is one headline.
_SEPARATOR = r"\s+(?:[|\u2013\u2014\u00b7\u2022\u00bb\u00ab\u203a/-]|::)\s+"
_TITLE_SEPARATORS = re.compile(_SEPARATOR)
_TITLE_SEPARATORS_KEPT = re.compile(f"({_SEPARATOR})")
# Headings that name the site (the logo <h1> of many themes) or that CMSs mark as the title.
_SITE_HEADING = re.compile(r"site[-_]?(?:title|name|logo)|logo|brand|masthead", re.IGNORECASE)
_STORY_HEADING = re.compile(r"(?:entry|post|article|story)[-_]?(?:title|headline)|headline", re.I)
_URL = re.compile(r"https?://", re.IGNORECASE)


def _read_metadata(tree: HtmlElement, url: str | None) -> _Metadata:
    meta = _meta_tags(tree)
    ld = _json_ld_article(tree)
    site = _first(
        meta.get("og:site_name"),
        _name_of(ld.get("publisher")),
        meta.get("application-name"),
    ) or _host(url)
    return _Metadata(
        title=_title(tree, meta, ld, site),
        author=_author(meta, ld),
        date=_date(tree, url),
        site=site,
        url=_canonical_url(tree, meta, url),
        language=_declared_language(tree, meta, ld),
    )


def _meta_tags(tree: HtmlElement) -> dict[str, str]:
    """``<meta>`` contents by lower-cased name, property or http-equiv; the first one wins."""
    tags: dict[str, str] = {}
    for element in tree.iter("meta"):
        content = _normalize(element.get("content") or "")
        if not content:
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = (element.get(attribute) or "").strip().lower()
            if key:
                tags.setdefault(key, content)
    return tags


def _json_ld_article(tree: HtmlElement) -> dict[str, Any]:
    """The page's JSON-LD article object (NewsArticle, BlogPosting, ...), or an empty dict."""
    found: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue  # a broken JSON-LD block is common and no reason to fail the page
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                types = item.get("@type")
                names = types if isinstance(types, list) else [types]
                if any(isinstance(t, str) and t.lower() in _ARTICLE_TYPES for t in names):
                    found.append(item)
                stack.extend(v for k, v in item.items() if k in ("@graph", "mainEntity"))
    # A WebPage wrapper is the weakest evidence; prefer a real article type when there is one.
    found.sort(key=lambda item: str(item.get("@type")).lower() == "webpage")
    return found[0] if found else {}


def _first(*values: str | None) -> str | None:
    for value in values:
        if value:
            text = _normalize(value)
            if text:
                return text
    return None


def _name_of(value: Any) -> str | None:
    """A schema.org Person/Organization name, or the value itself when it is a plain string."""
    if isinstance(value, list):
        names = [n for n in map(_name_of, value) if n]
        return "; ".join(dict.fromkeys(names)) if names else None
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, str) and not _URL.match(value.strip()):
        return _normalize(value) or None
    return None


def _host(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def _text_of(element: HtmlElement) -> str:
    return _normalize(element.text_content())


def _title(
    tree: HtmlElement, meta: dict[str, str], ld: dict[str, Any], site: str | None
) -> str | None:
    """The headline as the page shows it: the story heading the declared titles agree with,
    else the declared headline, else ``<title>``, without the site's name around it."""
    headline = ld.get("headline")
    declared = [
        t
        for t in (
            _first(headline if isinstance(headline, str) else None),
            _first(meta.get("og:title")),
            _first(meta.get("twitter:title")),
        )
        if t
    ]
    page_title = next((_text_of(t) for t in tree.iter("title")), "")
    story_headings, site_headings = _headings(tree)
    site_names = {name.casefold() for name in (site, *site_headings) if name}
    for heading in story_headings:
        folded = heading.casefold()
        if folded in site_names:
            continue
        for candidate in (*declared, page_title):
            parts = _TITLE_SEPARATORS.split(candidate.casefold())
            if folded == candidate.casefold() or folded in parts:
                return heading
    for candidate in (*declared, page_title):
        if candidate:
            return _without_site_name(candidate, site_names)
    return story_headings[0] if story_headings else None


def _headings(tree: HtmlElement) -> tuple[list[str], list[str]]:
    """Texts of the headings that may be the story's title (every <h1>, and <h2>/<h3> a CMS
    marks as the title), and of the headings that name the site (a logo in an <h1>)."""
    story: list[str] = []
    site: list[str] = []
    for heading in tree.iter("h1", "h2", "h3"):
        text = _text_of(heading)
        if not 0 < len(text) <= 300:
            continue
        marks = f"{heading.get('class') or ''} {heading.get('id') or ''}"
        if _SITE_HEADING.search(marks):
            site.append(text)
        elif heading.tag == "h1" or _STORY_HEADING.search(marks):
            story.append(text)
    return story, site


def _without_site_name(title: str, site_names: set[str]) -> str:
    """``Headline | Site`` or ``Site » Headline`` -> ``Headline``; the headline's own
    separators stay (``Brexit - what next | Site`` -> ``Brexit - what next``)."""
    pieces = _TITLE_SEPARATORS_KEPT.split(title)  # part, separator, part, ...

    def names_site(part: str) -> bool:
        part = part.casefold()
        return any(
            part == name or (len(name) >= 4 and len(part) >= 4 and (part in name or name in part))
            for name in site_names
        )

    while len(pieces) > 2 and names_site(pieces[-1]):
        pieces = pieces[:-2]
    while len(pieces) > 2 and names_site(pieces[0]):
        pieces = pieces[2:]
    return "".join(pieces).strip()


def _author(meta: dict[str, str], ld: dict[str, Any]) -> str | None:
    candidates = [
        _name_of(ld.get("author")),
        meta.get("author"),
        meta.get("article:author"),
        meta.get("byl"),
        meta.get("parsely-author"),
        meta.get("sailthru.author"),
        meta.get("dc.creator"),
    ]
    for candidate in candidates:
        if candidate and not _URL.match(candidate):
            author = re.sub(r"^by\s+", "", _normalize(candidate), flags=re.IGNORECASE)
            if author:
                return author
    return None


def _date(tree: HtmlElement, url: str | None) -> str | None:
    """The publication date as yyyy-mm-dd; htmldate reads meta tags, JSON-LD, <time> and URL."""
    try:
        found = htmldate.find_date(
            tree, extensive_search=False, original_date=True, url=url, outputformat="%Y-%m-%d"
        )
    except ValueError:  # htmldate rejects some malformed trees; a missing date is fine
        return None
    return found or None


def _canonical_url(tree: HtmlElement, meta: dict[str, str], url: str | None) -> str | None:
    candidates = [
        link.get("href")
        for link in tree.iter("link")
        if "canonical" in (link.get("rel") or "").lower().split()
    ]
    for candidate in [*candidates, meta.get("og:url")]:
        if candidate and candidate.strip():
            absolute = urljoin(url or "", candidate.strip())
            if urlsplit(absolute).scheme in ("http", "https") and urlsplit(absolute).hostname:
                return absolute
    return None


def _declared_language(tree: HtmlElement, meta: dict[str, str], ld: dict[str, Any]) -> str | None:
    in_language = ld.get("inLanguage")
    for candidate in (
        tree.get("lang"),
        tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
        meta.get("og:locale"),
        meta.get("content-language"),
        meta.get("language"),
        meta.get("dc.language"),
        in_language if isinstance(in_language, str) else None,
    ):
        code = normalize_language(candidate)
        if code and re.fullmatch(r"[a-z]{2,3}", code):
            return code
    return None
