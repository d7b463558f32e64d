"""The language model, decompressed once into a cache: py3langid's answers, bit for bit.

The texts are the demo corpus shipped with inbrief (Wikinews, CC BY 2.5; Global Voices,
CC BY 3.0), cut at many places, and strings written here in many scripts.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from py3langid import langid

from inbrief.text import detect_language, langid_model
from inbrief.text.language import language_sample


@pytest.fixture(scope="module")
def shipped() -> Any:
    """py3langid's identifier, loaded py3langid's way (from its compressed model)."""
    return langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder of this test's own; the process's model is forgotten around it."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(langid_model.CACHE_ENV, str(folder))
    langid_model.identifier.cache_clear()
    yield folder
    langid_model.identifier.cache_clear()


def texts() -> list[str]:
    path = Path(str(resources.files("inbrief").joinpath("data", "demo", "articles.jsonl")))
    bodies = [json.loads(line)["body"] for line in path.read_text(encoding="utf-8").splitlines()]
    chosen = random.Random(16)
    cuts = [
        body[start : start + size]
        for body in bodies
        for start, size in ((0, 500), (0, 60), (chosen.randrange(len(body)), 200))
    ]
    written = [
        "",
        " ",
        "12345 67890",
        "...!!!",
        "The council voted to close the bridge.",
        "THE COUNCIL VOTED TO CLOSE THE BRIDGE.",
        "Le conseil a voté la fermeture du pont.",
        "Der Stadtrat hat die Schließung der Brücke beschlossen.",
        "Городской совет проголосовал за закрытие моста.",
        "Қалалық кеңес көпірді жабуға дауыс берді.",
        "市議会は橋の閉鎖を決めた。",
        "시의회는 다리를 폐쇄하기로 결정했다.",
        "المجلس البلدي صوت على إغلاق الجسر",
        "Το δημοτικό συμβούλιο ψήφισε το κλείσιμο της γέφυρας.",  # noqa: RUF001
        "e\u0301te\u0301 cafe\u0301",  # decomposed accents: py3langid composes them (NFC)
        "mixed English et un peu de français und Deutsch",
    ]
    noise = ["".join(chr(chosen.randrange(32, 0x3000)) for _ in range(80)) for _ in range(40)]
    return cuts + written + noise


def test_the_cached_model_answers_as_py3langid_does(cache: Path, shipped: Any) -> None:
    for text in texts():
        assert langid_model.identifier().classify(text) == shipped.classify(text), text
        assert langid_model.rank(text) == shipped.rank(text), text


def test_the_model_is_decompressed_once_then_mapped(cache: Path, shipped: Any) -> None:
    assert langid_model.classify("Le conseil a voté la fermeture du pont.") == "fr"
    (written,) = cache.iterdir()
    assert written.name.startswith("langid-")
    assert sorted(p.name for p in written.iterdir()) == [
        "classes.json",
        "nextmove.npy",
        "nextmove_row.npy",
        "out_feat.npy",
        "pc.npy",
        "ptc.npy",
    ]
    stamp = written.stat().st_mtime_ns
    langid_model.identifier.cache_clear()  # a new process, as far as the model knows
    again = langid_model.identifier()
    assert isinstance(again.tk_nextmove, memoryview)  # mapped from the cache, not decompressed
    assert written.stat().st_mtime_ns == stamp
    assert detect_language("Der Stadtrat hat die Schließung der Brücke beschlossen.") == "de"


def test_an_unwritable_cache_falls_back_to_py3langid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shipped: Any
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(langid_model.CACHE_ENV, str(blocker / "cache"))
    langid_model.identifier.cache_clear()
    try:
        text = "Городской совет проголосовал за закрытие моста."
        assert langid_model.classify(text) == "ru"
        assert langid_model.rank(text) == shipped.rank(text)
    finally:
        langid_model.identifier.cache_clear()


def test_a_damaged_cache_is_not_used(cache: Path, shipped: Any) -> None:
    langid_model.identifier()
    (written,) = cache.iterdir()
    (written / "ptc.npy").write_bytes(b"\x93NUMPY truncated")
    langid_model.identifier.cache_clear()
    text = "The council voted to close the bridge."
    assert langid_model.rank(text) == shipped.rank(text)
    assert not isinstance(getattr(langid_model.identifier(), "tk_nextmove", None), memoryview)


def test_only_the_start_of_a_long_text_is_read() -> None:
    english = "The city council voted on Monday to close the old bridge for repairs. " * 10
    french = "Le conseil municipal a voté lundi la fermeture du vieux pont pour travaux. " * 400
    sample = language_sample(english + french)
    assert sample is not None and len(sample) <= 500 and english.startswith(sample)
    assert detect_language(english + french) == "en"
    assert language_sample("Too short.") is None
