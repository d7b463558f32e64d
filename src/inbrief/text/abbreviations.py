# ruff: noqa: RUF001, RUF003
# (Abbreviations of Russian and other scripts; their letters are meant as written.)
"""The word lists the sentence splitter decides by: abbreviations per language, the words that
open a news sentence, and the verbs that attribute a quotation.

All entries are lower-case and written without their final dot; entries are separated by
commas, so that two-part abbreviations can hold their space (``z. b``, ``ee. uu``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Abbreviations:
    """What a word before a period means in one language."""

    # Never end a sentence: titles before a name, months before a day ("Dr.", "Mme", "z. B.").
    titles: frozenset[str]
    # Abbreviations only before a number ("No. 5", "Nr. 3"); elsewhere the word ends a sentence.
    numbered: frozenset[str]
    # May end a sentence, and do when a sentence opener follows ("Inc.", "etc.", "г.").
    # Single letters, dotted acronyms (U.S.) and Roman numerals are treated the same way.
    closing: frozenset[str]
    # Small numbers take a dot as ordinals ("am 3. Oktober").
    ordinal_dot: bool = False


def entries(spec: str) -> frozenset[str]:
    """Entries separated by commas (so that two-part abbreviations can hold a space)."""
    return frozenset(entry.strip() for entry in spec.split(",") if entry.strip())


_LATIN = "e.g, i.e, vs, cf, viz, approx"

ABBREVIATIONS = {
    "en": Abbreviations(
        titles=entries(
            _LATIN + ", mr, mrs, ms, messrs, mmes, dr, prof, gen, lt, col, maj, capt, cmdr, adm,"
            " brig, sgt, cpl, pvt, gov, sen, rep, rev, hon, pres, supt, insp, det, fr, mt,"
            " jan, feb, mar, apr, jun, jul, aug, sep, sept, oct, nov, dec"
        ),
        numbered=entries("no, nos, vol, fig, ch, art, sec, pp, tel"),
        # AP state abbreviations that are also words (Ill., Mass., Wash.) are left out: "fell
        # ill." ends sentences far more often.
        closing=entries(
            "inc, corp, ltd, co, llc, plc, bros, jr, sr, etc, al, ave, blvd, rd, st, ft, dept,"
            " univ, assn, est, govt, ala, ariz, calif, colo, conn, fla, ga, kan, kans, ky, md,"
            " mich, minn, mo, mont, neb, nev, okla, ore, pa, tenn, tex, va, vt, wis, wyo"
        ),
    ),
    "fr": Abbreviations(
        titles=entries(
            _LATIN + ", m, mm, mme, mmes, mlle, mlles, me, mgr, pr, dr, st, ste, p. ex, c.-à-d,"
            " janv, févr, avr, juil, sept, oct, nov, déc"
        ),
        numbered=entries("n, no, art, vol, chap, fig, p"),
        closing=entries("etc, av, bd, boul, env, cie, apr, hab"),
    ),
    "de": Abbreviations(
        titles=entries(
            _LATIN + ", dr, prof, hr, hrn, fr, frl, st, bzw, ca, vgl, sog, ggf, evtl, inkl,"
            " z. b, d. h, u. a, o. ä, u. u, v. a, z. t, s. o, s. u, z.b, d.h, u.a, o.ä, v.a,"
            " z.t, jan, feb, febr, apr, aug, sept, okt, nov, dez"
        ),
        numbered=entries("nr, abs, art, bd, s, tel"),
        closing=entries("usw, etc, jh, jhd, mio, mrd, str, chr, v. chr, n. chr"),
        ordinal_dot=True,
    ),
    "es": Abbreviations(
        titles=entries(
            _LATIN + ", sr, sra, srta, sres, sras, dr, dra, lic, ing, arq, prof, dña, ud,"
            " uds, vd, vds, av, avda, gral, p. ej, ej, ee, ene, feb, abr, ago, sept, oct, nov,"
            " dic"
        ),
        numbered=entries("núm, n, art, pág, págs, vol, cap"),
        closing=entries("etc, cía, aprox, uu, ee. uu"),
    ),
    "ru": Abbreviations(
        titles=entries(
            "им, т. е, т. к, т. н, т. ч, ул, пр, просп, пл, пер, кв, проф, акад, ген, св, напр,"
            " ок, ср, гос, тов, янв, февр, апр, авг, сент, окт, нояб, дек"
        ),
        numbered=entries("ст, стр, рис, гл, п, ч, д"),
        closing=entries(
            "г, гг, др, т. д, т. п, и др, руб, коп, тыс, млн, млрд, обл, вв, н. э, см, км, кг"
        ),
    ),
    # Kazakh: "2023 ж." (жыл, year), "т.б." (тағы басқа, etc.), "ҚР" needs none; Russian
    # abbreviations are common in Kazakh news too.
    "kk": Abbreviations(
        titles=entries(
            "т. б, т.б, т. с. с, т.с.с, мыс, көш, даң, пр, проф, акад, ген, қаң, ақп, нау, сәу,"
            " мам, мау, шіл, там, қыр, қар, жел"
        ),
        numbered=entries("бет, б, бап"),
        closing=entries("ж, жж, ғ, ғғ, млн, млрд, мың, тг, км, кг, см, обл, г, гг, др"),
    ),
    "it": Abbreviations(
        titles=entries(_LATIN + ", sig, sigg, dott, dr, prof, avv, ing, on, geom, rag, s, ss"),
        numbered=entries("n, art, pag, vol, cap"),
        closing=entries("ecc, etc"),
    ),
    "pt": Abbreviations(
        titles=entries(_LATIN + ", sr, sra, srta, dr, dra, prof, av, eng"),
        numbered=entries("n, nº, art, pág, vol, cap"),
        closing=entries("etc, cia, ltda"),
    ),
    "nl": Abbreviations(
        titles=entries(_LATIN + ", dhr, mevr, mr, dr, prof, ir, drs, ing, bijv, o.a, d.w.z"),
        numbered=entries("nr, art, blz"),
        closing=entries("enz, etc"),
    ),
}

# Words that often open a news sentence without being stop words ("... in the U.S. According to
# officials ..."); stop words cover the rest.
NEWS_OPENERS = {
    "en": entries(
        "according, however, meanwhile, officials, police, authorities, earlier, later, today,"
        " yesterday, instead, several, many, one, two, three"
    ),
}

# After `` ... ? '' the quote goes on when one of the next three words is a reporting verb:
# `` why ? '' he asked .   (from the continuations seen in the CNN/DailyMail dev set)
REPORTING_VERBS = entries(
    "said, says, say, asked, asks, ask, told, tells, added, adds, wrote, writes, replied, "
    "replies, explained, explains, continued, continues, shouted, shouts, yelled, yells, "
    "screamed, screams, cried, cries, whispered, whispers, tweeted, tweets, posted, posts, "
    "insisted, insists, noted, notes, warned, warns, recalled, recalls, joked, jokes, "
    "laughed, laughs, admitted, admits, declared, declares, stated, states, wondered, "
    "wonders, argued, argues, claimed, claims, responded, responds, exclaimed, exclaims, "
    "remarked, remarks, quipped, quips, demanded, demands, pleaded, pleads, begged, begs"
)
