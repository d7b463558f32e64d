"""Summarizers by name: each method registers its class under the class's ``name``.

``news`` is the name of the default method, the one every interface uses when none is asked
for (:data:`DEFAULT_NAME`).  It is a method's own name, not an alias resolved at run time, so
``get("news").name == "news"`` and a summary's ``stats.method`` and cache key always name the
code that made it.  When a better default lands, it takes the name ``news`` and the method it
replaces gets a name of its own: callers never change.

A method may also list former names (``aliases``); :func:`get` resolves them to the method, and
:func:`names` leaves them out, since nobody should be offered a name that is only kept so that
old commands keep working.
"""

from __future__ import annotations

from typing import TypeVar

from inbrief.errors import MethodError
from inbrief.summarizers.base import Summarizer

DEFAULT_NAME = "news"

_classes: dict[str, type[Summarizer]] = {}
_aliases: dict[str, str] = {}
_instances: dict[str, Summarizer] = {}

SummarizerClass = TypeVar("SummarizerClass", bound=type[Summarizer])


def register(cls: SummarizerClass) -> SummarizerClass:
    """Class decorator: make ``cls`` available as ``get(cls.name)`` and under its aliases."""
    for name in (cls.name, *cls.aliases):
        owner = _classes.get(_aliases.get(name, name))
        if owner is not None and owner is not cls:
            raise ValueError(f"two summarizers are registered as {name!r}")
    _classes[cls.name] = cls
    _aliases.update({alias: cls.name for alias in cls.aliases})
    return cls


def names() -> list[str]:
    """Method names a user may ask for: ``news`` first, then the others in alphabetical order."""
    others = sorted(name for name in _classes if name != DEFAULT_NAME)
    return [DEFAULT_NAME, *others] if DEFAULT_NAME in _classes else others


def get(name: str = DEFAULT_NAME) -> Summarizer:
    """The summarizer registered under ``name`` (or an alias); MethodError for an unknown name.

    Instances are shared: summarizers keep no state between calls, and one with weights loads
    them once.
    """
    key = name.strip().lower()
    key = _aliases.get(key, key)
    if key not in _classes:
        raise MethodError(
            f"unknown summarization method {name!r}; choose one of: {', '.join(names())}"
        )
    if key not in _instances:
        _instances[key] = _classes[key]()
    return _instances[key]
