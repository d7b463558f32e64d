# ruff: noqa: RUF001
# (The Russian marker words include one-letter words that look like Latin letters.)
"""The gate's evidence phrases of each language, as data: :data:`MARKERS`, one :class:`Markers`
table per language, which :mod:`inbrief.extract.gate` searches for.

Only the tables live here, so that a paywall's new wording is one line in one table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Markers:
    """Phrases of one language, as regular expressions searched in text.

    ``paywall`` are the prompts a paywall or consent wall puts where the story stops;
    ``log_in`` the weaker "already a subscriber?" links, which also sit in the navigation of
    whole articles; ``javascript`` the notices of a page that shows nothing without scripts;
    ``dangling`` the words no sentence ends on (articles, conjunctions, prepositions that are
    never verb particles, possessives): a text that stops on one was cut.
    """

    paywall: tuple[str, ...] = ()
    log_in: tuple[str, ...] = ()
    javascript: tuple[str, ...] = ()
    dangling: str = ""


MARKERS: dict[str, Markers] = {
    "en": Markers(
        paywall=(
            r"\b(?:subscribe|sign ?up|register|log ?in|sign ?in)\b[^.!?]{0,60}"
            r"\bto (?:continue|keep) reading\b",
            r"\bto (?:continue|keep) reading\b[^.!?]{0,60}\b(?:subscribe|subscription|log ?in"
            r"|sign ?in|register|member)",
            r"\bthis (?:article|content|story|post|page) is (?:only )?(?:available )?"
            r"(?:exclusively )?(?:for|to) (?:paying )?(?:subscribers|members)\b",
            r"\b(?:subscriber|member|premium)s?[- ]only (?:content|article|story)\b",
            r"\byou(?:'|\u2019)?ve (?:reached|used) (?:your|the) (?:limit|maximum) of free\b",
            r"\bunlock (?:this|the full|the rest of the) (?:article|story)\b",
            r"\b(?:accept|agree to) (?:the |our )?(?:cookies|terms)\b[^.!?]{0,60}\bto "
            r"(?:continue|read|access|view)\b",
        ),
        log_in=(r"\balready (?:a )?(?:subscriber|member)\b",),
        javascript=(
            r"\b(?:please )?(?:enable|turn on|activate) javascript\b",
            r"\bjavascript (?:is )?(?:required|disabled|must be enabled|is turned off)\b",
            r"\brequires javascript\b",
        ),
        # Not "in", "on", "up", "off", "that", "her": a sentence may end on those.
        dangling="a an the and or but nor of to for with from by at into onto than whose our"
        " their your my its is are was were been has have had will would should could can"
        " very such if because while although whether",
    ),
    "fr": Markers(
        paywall=(
            r"\b(?:abonnez-vous|inscrivez-vous|connectez-vous)\b[^.!?]{0,60}\bpour (?:lire|"
            r"continuer|poursuivre)\b",
            r"\b(?:la suite|le reste) (?:de cet article |de l(?:'|\u2019)article )?est "
            r"réservée? aux abonnés\b",
            r"\b(?:article|contenu) réservé aux abonnés\b",
        ),
        log_in=(r"\bdéjà abonnée?\b",),
        javascript=(
            r"\b(?:activez|activer|veuillez activer) (?:le )?javascript\b",
            r"\bjavascript (?:est )?(?:désactivé|requis|nécessaire)\b",
        ),
        dangling="le la les un une des du de et ou mais à au aux dans sur pour par avec sans"
        " que dont son sa ses leurs notre nos votre vos",
    ),
    "de": Markers(
        paywall=(
            r"\b(?:weiterlesen|lesen sie weiter|jetzt weiterlesen) mit\b",
            r"\b(?:dieser artikel|dieser inhalt|der vollständige artikel|dieser beitrag) "
            r"(?:ist )?(?:nur |exklusiv )?für (?:abonnenten|abonnentinnen|abonnierende)\b",
            r"\bjetzt (?:abonnieren|abo abschließen|registrieren) und weiterlesen\b",
        ),
        log_in=(r"\bbereits (?:abonnent|abonnentin|registriert)\b",),
        javascript=(
            r"\b(?:aktivieren sie|bitte aktivieren sie|bitte aktivieren) (?:das |ihr )?"
            r"javascript\b",
            r"\bjavascript (?:ist )?(?:deaktiviert|erforderlich)\b",
        ),
        # Not "an", "auf", "aus", "zu", "mit", "vor", "nach", "ein": separable verb prefixes
        # end German sentences ("Sie hört auf").
        dangling="der die das den dem des eine einen einem einer eines und oder aber sondern"
        " von für im am zum zur bei dass weil wenn ob seine ihre unsere",
    ),
    "es": Markers(
        paywall=(
            r"\b(?:suscríbete|suscríbase|regístrate|regístrese|inicia sesión)\b[^.!?]{0,60}"
            r"\bpara (?:seguir|continuar) leyendo\b",
            r"\b(?:contenido|artículo) (?:exclusivo )?(?:para|solo para|reservado a) "
            r"(?:suscriptores|socios|abonados)\b",
        ),
        log_in=(r"\bya eres (?:suscriptor|socio|abonado)\b",),
        javascript=(
            r"\b(?:habilita|activa|habilite|active) (?:el )?javascript\b",
            r"\bjavascript (?:está )?(?:deshabilitado|desactivado)\b",
            r"\brequiere javascript\b",
        ),
        dangling="el la los las un una unos unas y o pero ni de del a al en con por para sin"
        " sobre entre que cuyo cuya su sus nuestro nuestra",
    ),
    "ru": Markers(
        paywall=(
            r"(?:подпишитесь|оформите подписку)[^.!?]{0,40}чтобы (?:продолжить|читать|прочитать)",
            r"(?:материал|статья|контент) доступ(?:ен|на) (?:только )?(?:по подписке|подписчикам)",
            r"чтобы (?:продолжить чтение|читать дальше)[^.!?]{0,40}(?:подпи|войдите)",
        ),
        log_in=(r"уже (?:есть подписка|подписаны)",),
        javascript=(
            r"(?:включите|включить) (?:поддержку )?javascript",
            r"javascript (?:отключен|выключен)",
        ),
        dangling="и а но или в во на с со к ко по о об от до из за для при без у что чтобы",
    ),
}
