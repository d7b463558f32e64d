"""Written summaries (the ``llm`` method) in the service: whether a request may ask for one, and
what its readers are told.

The model is the one the operator configured (:attr:`Settings.llm`); a request names the method,
never a server (the request schemas accept no such field). Without a model the method is
refused in plain words rather than answered with the extractive fallback, so a client learns
that this server cannot write summaries instead of mistaking a fallback for one. Nor does a
fallback's reason tell readers where the model server is: it may be on the operator's own
network.
"""

from __future__ import annotations

import re
from typing import Any

from inbrief import summarizers
from inbrief.ingest import WRITTEN_METHOD
from inbrief.service.problems import Problem
from inbrief.service.settings import Settings

_SERVER_ADDRESS = re.compile(r"\b(model server) at \S+")

NO_MODEL = (
    "no language model is configured on this server, so it cannot write summaries; "
    "ask for another method (news is the default)"
)


def is_written(method: str) -> bool:
    """Whether ``method`` (a name or an alias) is the written summary."""
    return summarizers.get(method).name == WRITTEN_METHOD


def require_model(settings: Settings, method: str) -> None:
    """Refuse (400) a written summary on a server without a language model."""
    if is_written(method) and not settings.llm.configured:
        raise Problem(400, NO_MODEL)


def told_to_readers(summary: dict[str, Any]) -> dict[str, Any]:
    """``summary`` (its JSON) as readers get it: a fallback's reason names no server address."""
    reason = summary.get("fallback")
    if not reason:
        return summary
    return {**summary, "fallback": _SERVER_ADDRESS.sub(r"\1", reason)}
