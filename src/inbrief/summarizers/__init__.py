"""Summarizers behind one interface, found by name: ``get("news")``."""

from __future__ import annotations

from inbrief.summarizers.base import Selection, Summarizer

__all__ = ["Selection", "Summarizer", "get", "names"]


def get(name: str) -> Summarizer:
    """The summarizer registered under ``name``; raises MethodError for an unknown name."""
    raise NotImplementedError


def names() -> list[str]:
    """Registered method names, default first."""
    raise NotImplementedError
