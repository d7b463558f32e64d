"""The news furniture of each language, as data: :data:`BOILERPLATE`, one :class:`Phrases`
table per language, which :mod:`inbrief.extract.boilerplate` applies.

Only the tables live here, so that a phrase a site adds or changes is one line in one table.
"""

from __future__ import annotations

from dataclasses import dataclass


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
