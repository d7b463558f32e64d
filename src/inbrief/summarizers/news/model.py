"""The ``news`` model's weights: one logistic regression per language, in one ``.npz`` file.

The file holds a model per language it was trained for -- English (CNN/DailyMail) and French
(OrangeSum) -- and a ``default`` model for every other language, which uses only the
language-independent dense features: English word weights would be noise on German.  It also
records what the weights were fitted on and with (:class:`TrainingRecord`).  Inference is numpy
only: no download, no GPU.

The shipped file is compressed; its arrays are unpacked once into the cache folder
(:mod:`inbrief.unpacked`) and mapped from there, so a process reads only the word weights of
the language it summarizes, and only the pages its words touch.  Another weights file (a trial
of ``bench/train_news.py``) is read as it is, leaving no copy behind.  Word weights stay float16
(as shipped) and are widened to float32 where they are read, which gives the same scores as
widening them all at load.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache, partial
from importlib import resources
from pathlib import Path

import numpy as np

from inbrief.errors import ModelError
from inbrief.summarizers.news.features import DENSE_NAMES, HASH_BITS, ArticleFeatures
from inbrief.summarizers.training import TrainingRecord
from inbrief.text.language import normalize_language
from inbrief.unpacked import unpacked

MODEL_FILE = "news_model.npz"
DEFAULT_KEY = "default"
_RETRAIN = "retrain it with 'python bench/train_news.py --install' or reinstall inbrief"


@dataclass(frozen=True)
class LinearModel:
    """Weights of one logistic regression: dense features (already standardised), hashed ids."""

    dense: np.ndarray
    hashed: np.ndarray
    intercept: float

    def scores(self, features: ArticleFeatures) -> np.ndarray:
        """Log-odds that each sentence belongs in the summary."""
        linear = features.dense @ self.dense + self.intercept
        if self.hashed.size and features.hashed_ids.size:
            weights = self.hashed[features.hashed_ids].astype(np.float32)
            contributions = weights * features.hashed_values
            linear = linear + np.bincount(
                features.hashed_rows, weights=contributions, minlength=features.size
            )
        return np.asarray(linear, dtype=np.float64)


def weights_digest(models: Mapping[str, LinearModel]) -> str:
    """SHA-256 (hex) of the weights at the precision they ship in: equal digests, equal scores."""
    digest = hashlib.sha256()
    for key in sorted(models):
        linear = models[key]
        digest.update(key.encode())
        digest.update(linear.dense.astype(np.float64).tobytes())
        digest.update(linear.hashed.astype(np.float16).tobytes())
        digest.update(np.float64(linear.intercept).tobytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class NewsModel:
    """The weights file: one linear model per language code, ``default`` for the rest.

    ``version`` is the label the file was written with (the first 12 hex digits of
    :func:`weights_digest` when ``bench/train_news.py`` wrote it); :attr:`digest` is computed
    from the weights themselves, so it cannot go stale.
    """

    models: Mapping[str, LinearModel]
    version: str
    training: TrainingRecord

    def for_language(self, language: str | None) -> LinearModel:
        """The model trained for ``language``, else the default (language-independent) one."""
        code = normalize_language(language) or ""
        return self.models.get(code) or self.models[DEFAULT_KEY]

    @cached_property
    def digest(self) -> str:
        """:func:`weights_digest` of these weights."""
        return weights_digest(self.models)


def save_model(model: NewsModel, path: str | Path) -> None:
    """Write ``model`` as a compressed ``.npz`` (hashed weights as float16 to stay small)."""
    training = model.training
    arrays: dict[str, np.ndarray] = {
        "version": np.array(model.version),
        "dense_names": np.array(DENSE_NAMES),
        "hash_bits": np.array(HASH_BITS),
    }
    for key, linear in sorted(model.models.items()):
        arrays[f"{key}.dense"] = linear.dense.astype(np.float64)
        arrays[f"{key}.hashed"] = linear.hashed.astype(np.float16)
        arrays[f"{key}.intercept"] = np.array(linear.intercept, dtype=np.float64)
    arrays["training.id_hashes"] = training.id_hashes.astype(np.uint64)
    arrays["training.ids_sha256"] = np.array(training.ids_sha256)
    arrays["training.library_names"] = np.array(list(training.libraries), dtype=str)
    arrays["training.library_versions"] = np.array(list(training.libraries.values()), dtype=str)
    arrays["training.note"] = np.array(training.note)
    with open(path, "wb") as out:
        np.savez_compressed(out, **arrays)  # type: ignore[arg-type]


def read_model(path: str | Path, *, unpack: bool = False) -> NewsModel:
    """Load a weights file written by :func:`save_model`, checking it fits these features;
    ``unpack``: through the cache of unpacked arrays (for the shipped file)."""
    try:
        arrays = _arrays(Path(path), unpack)
    except (OSError, ValueError, EOFError) as error:
        raise ModelError(f"cannot read the news model {path}: {error}") from error
    names = tuple(str(n) for n in arrays.get("dense_names", np.array([])))
    if names != DENSE_NAMES or int(arrays.get("hash_bits", -1)) != HASH_BITS:
        raise ModelError(f"the news model {path} was trained for other features; {_RETRAIN}")
    keys = sorted({name.split(".", 1)[0] for name in arrays if name.endswith(".dense")})
    models = {
        key: LinearModel(
            dense=arrays[f"{key}.dense"].astype(np.float64),
            hashed=arrays[f"{key}.hashed"],
            intercept=float(arrays[f"{key}.intercept"]),
        )
        for key in keys
    }
    if DEFAULT_KEY not in models:
        raise ModelError(f"the news model {path} has no default model; {_RETRAIN}")
    return NewsModel(models, str(arrays["version"]), _training(arrays, path))


def _arrays(path: Path, unpack: bool) -> dict[str, np.ndarray]:
    """The file's arrays, mapped from the unpacked cache (``unpack``), or read from the file
    itself when not asked to or when the cache cannot be had."""
    with np.load(path, allow_pickle=False) as data:
        if not unpack:
            return {name: data[name] for name in data.files}
        try:
            folder = unpacked("news-model", path, partial(_unpack, path))
            mapped = {name: _mapped(folder, name) for name in data.files}
        except (OSError, ValueError, EOFError):  # an unwritable or damaged cache
            return {name: data[name] for name in data.files}
    return mapped


def _mapped(folder: Path, name: str) -> np.ndarray:
    array = np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
    return array if name.endswith(".hashed") else np.array(array)


def _unpack(path: Path, folder: Path) -> None:
    with np.load(path, allow_pickle=False) as data:
        for name in data.files:
            np.save(folder / f"{name}.npy", data[name], allow_pickle=False)


def _training(arrays: Mapping[str, np.ndarray], path: str | Path) -> TrainingRecord:
    try:
        libraries = zip(
            arrays["training.library_names"].tolist(),
            arrays["training.library_versions"].tolist(),
            strict=True,
        )
        return TrainingRecord(
            id_hashes=np.sort(arrays["training.id_hashes"].astype(np.uint64)),
            ids_sha256=str(arrays["training.ids_sha256"]),
            libraries={str(name): str(version) for name, version in libraries},
            note=str(arrays["training.note"]),
        )
    except (KeyError, ValueError) as error:
        raise ModelError(
            f"the news model {path} does not record what it was trained on; {_RETRAIN}"
        ) from error


@lru_cache(maxsize=1)
def shipped_model() -> NewsModel:
    """The model that ships with inbrief, loaded once."""
    resource = resources.files("inbrief") / "data" / MODEL_FILE
    with resources.as_file(resource) as path:
        if not path.is_file():
            raise ModelError(
                f"the news model is missing ({path}); reinstall inbrief or run "
                "'python bench/train_news.py --install' in a source checkout"
            )
        return read_model(path, unpack=True)
