"""Summarizers by name.  ``news`` is not a method of its own: it names the default method.

Each method module registers its class with :func:`register`; the package ``__init__`` imports
them all and chooses the default with :func:`set_default`, so swapping what ``news`` means
(``learned`` took it over from ``centrality``) is a one-line change there.
"""

from __future__ import annotations

from typing import TypeVar

from inbrief.errors import MethodError
from inbrief.summarizers.base import Summarizer

DEFAULT_NAME = "news"

_classes: dict[str, type[Summarizer]] = {}
_instances: dict[str, Summarizer] = {}
_default: str | None = None

SummarizerClass = TypeVar("SummarizerClass", bound=type[Summarizer])


def register(cls: SummarizerClass) -> SummarizerClass:
    """Class decorator: make ``cls`` available as ``get(cls.name)``."""
    name = cls.name
    if name == DEFAULT_NAME:
        raise ValueError(f"{DEFAULT_NAME!r} names the default method; use set_default() instead")
    if name in _classes and _classes[name] is not cls:
        raise ValueError(f"two summarizers are registered as {name!r}")
    _classes[name] = cls
    return cls


def set_default(name: str) -> None:
    """Make the registered method ``name`` the one ``news`` (and no name at all) resolves to."""
    global _default
    if name not in _classes:
        raise ValueError(f"cannot make {name!r} the default: no summarizer has that name")
    _default = name


def default_method() -> str:
    """The registered name ``news`` stands for."""
    if _default is None:
        raise MethodError("no default summarizer is set")
    return _default


def names() -> list[str]:
    """Method names a user may ask for: ``news`` first, then the registered methods."""
    return [DEFAULT_NAME, *sorted(_classes)]


def get(name: str = DEFAULT_NAME) -> Summarizer:
    """The summarizer registered under ``name``; raises MethodError for an unknown name.

    Instances are shared: summarizers keep no state between calls, and a learned one loads its
    model once.
    """
    key = name.strip().lower()
    if key == DEFAULT_NAME:
        key = default_method()
    if key not in _classes:
        raise MethodError(
            f"unknown summarization method {name!r}; choose one of: {', '.join(names())}"
        )
    if key not in _instances:
        _instances[key] = _classes[key]()
    return _instances[key]
