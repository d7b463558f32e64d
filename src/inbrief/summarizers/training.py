"""What a trained summarizer was fitted on and with, so that its figures are labelled honestly.

A figure measured on articles the weights were fitted on says how well the model remembers,
not how well it summarizes: evaluation counts such articles (:meth:`TrainingRecord.count`) and
prints "in-sample" beside the figure.  The record keeps an 8-byte BLAKE2b hash of each training
article id, sorted, which is enough to test membership in a few kilobytes, and a SHA-256 of the
sorted ids that names the training set as a whole.  It also keeps the library versions the
weights were fitted with, and a note saying how they were recorded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np


def id_hash(article_id: str) -> int:
    """The 64-bit BLAKE2b hash by which a record knows an article id."""
    digest = hashlib.blake2b(article_id.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def ids_digest(article_ids: Iterable[str]) -> str:
    """SHA-256 (hex) of the distinct ids, sorted, one per line: the same set gives the same one."""
    joined = "\n".join(sorted(set(article_ids)))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


@dataclass(frozen=True, eq=False)
class TrainingRecord:
    """The training articles (as sorted id hashes) and the libraries of one fitted model."""

    id_hashes: np.ndarray
    """Sorted ``uint64`` :func:`id_hash` of every training article id."""
    ids_sha256: str
    """:func:`ids_digest` of the training ids."""
    libraries: Mapping[str, str]
    """Library name -> version, e.g. ``{"python": "3.11.7", "numpy": "2.4.6", ...}``."""
    note: str
    """How the versions were recorded (at training, or after it)."""

    @classmethod
    def of(
        cls, article_ids: Iterable[str], libraries: Mapping[str, str], note: str
    ) -> TrainingRecord:
        """The record of a model fitted on ``article_ids`` with ``libraries``."""
        ids = list(article_ids)
        hashes = np.unique(np.array([id_hash(i) for i in ids], dtype=np.uint64))
        return cls(hashes, ids_digest(ids), dict(libraries), note)

    @property
    def articles(self) -> int:
        """How many distinct articles the model was fitted on."""
        return int(self.id_hashes.shape[0])

    def __contains__(self, article_id: object) -> bool:
        return isinstance(article_id, str) and self.count([article_id]) == 1

    def count(self, article_ids: Iterable[str]) -> int:
        """How many of ``article_ids`` were training articles (each occurrence counts)."""
        wanted = np.array([id_hash(i) for i in article_ids], dtype=np.uint64)
        if not wanted.size or not self.id_hashes.size:
            return 0
        at = np.searchsorted(self.id_hashes, wanted).clip(max=self.id_hashes.shape[0] - 1)
        return int((self.id_hashes[at] == wanted).sum())
