"""The ``llm`` method: a summary written by the reader's own language model, every sentence
checked against the article before it is shown.

    summarizer = summarizers.get("llm")
    summarizer.configure(LLMSettings(urls=("http://127.0.0.1:11434/v1",), model="qwen2.5:3b"))
    selection = summarizer.summarize(sentences, "en", Budget("sentences", 3), title=title)
    selection.written.sentences   # CheckedSentence objects, each with its support

The model sees the article's sentences numbered (:mod:`.prompt`) and cites, for each sentence
it writes, the ones it rests on; its answer is read tolerantly (:mod:`.answer`) and checked by
:mod:`inbrief.verify`.  A sentence that fails the check is removed and counted; when fewer
than the budget's worth survive, or the server is not configured, down, slow or talking
nonsense, the summary is the extractive ``news`` one, marked as a fallback with the reason.
An unchecked written sentence is never presented as checked.  A full queue is the one error
passed on (:class:`~inbrief.errors.LLMBusy`): the caller should answer "busy", not fall back.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from inbrief.errors import LLMBusy, LLMError
from inbrief.models import Budget, CheckedSentence, Sentence, Written
from inbrief.summarizers.base import Scores, Selection, Summarizer, rank
from inbrief.summarizers.llm.answer import read_answer
from inbrief.summarizers.llm.prompt import PROMPT_VERSION, Target, build_prompt, words_of
from inbrief.summarizers.llm.settings import LLMSettings
from inbrief.summarizers.registry import get, register
from inbrief.text.tokens import count_words

if TYPE_CHECKING:  # httpx loads only when a summary is written, not for `inbrief --help`
    from inbrief.summarizers.llm.client import ModelClient

__all__ = ["LLM", "LLMSettings"]


@register
class LLM(Summarizer):
    """Written by an OpenAI-compatible model the operator runs; checked sentence by sentence."""

    name = "llm"
    version = PROMPT_VERSION

    def __init__(self, settings: LLMSettings | None = None) -> None:
        """Use ``settings``, or (None) the ``INBRIEF_LLM_*`` environment when first needed."""
        self._settings = settings
        self._clients: dict[LLMSettings, ModelClient] = {}
        self._lock = threading.Lock()

    def configure(self, settings: LLMSettings) -> None:
        """Use ``settings`` from now on (the CLI's ``--llm-*`` options, a service's settings)."""
        self._settings = settings

    @property
    def settings(self) -> LLMSettings:
        """The settings in use."""
        if self._settings is None:
            self._settings = LLMSettings.from_env()
        return self._settings

    @property
    def model_digest(self) -> str:
        """The model's name, hashed: written summaries are cached per model."""
        return hashlib.sha256(self.settings.model.encode("utf-8")).hexdigest()

    def scores(self, sentences: Sequence[Sentence], language: str | None) -> Scores:
        """The ``news`` model's scores: what decides which sentences a long article shows."""
        return get("news").scores(sentences, language)

    def summarize(
        self,
        sentences: Sequence[Sentence],
        language: str | None,
        budget: Budget,
        *,
        title: str | None = None,
    ) -> Selection:
        """The checked written summary within ``budget``, or the ``news`` one with the reason."""
        if not sentences:
            return Selection(())
        target = Target.of(budget, words_of(sentences))
        try:
            client = self._client()
            prompt = build_prompt(
                sentences,
                rank(self.scores(sentences, language)) if len(sentences) > 3 else [],
                title=title,
                language=language,
                target=target,
                context_tokens=self.settings.context_tokens,
            )
            content = client.complete(
                prompt.messages, max_tokens=prompt.answer_tokens, schema=target.schema()
            )
        except LLMBusy:
            raise
        except LLMError as error:
            return self._fallback(sentences, language, budget, title, str(error))
        nothing = Written(
            self.settings.model, PROMPT_VERSION, (), (), len(prompt.shown), prompt.total
        )
        try:
            drafts = read_answer(content, language)
        except LLMError as error:
            # The model answered, with nothing usable: as final as a checked answer.
            fallback = self._fallback(sentences, language, budget, title, str(error))
            return replace(fallback, written=nothing)

        from inbrief.verify import check_summary  # the check's word data loads on first use

        checked = check_summary(
            [d.text for d in drafts], sentences, language, cited=[d.cited for d in drafts]
        )
        kept = _within(budget, [c for c in checked if c.supported], target)
        removed = tuple(c for c in checked if not c.supported)
        written = replace(nothing, sentences=tuple(kept), removed=removed)
        needed = min(target.sentences, len(sentences))
        if len(kept) < needed:
            reason = (
                f"{len(kept)} of the {len(checked)} sentences the model wrote passed the check, "
                f"fewer than the {needed} asked for"
            )
            fallback = self._fallback(sentences, language, budget, title, reason)
            return replace(fallback, written=replace(written, sentences=()))
        support = {s.index: s for c in kept for s in c.support}
        return Selection(tuple(support[i] for i in sorted(support)), written=written)

    @property
    def client(self) -> ModelClient:
        """The client of the settings in use (its counters say how much the model wrote)."""
        return self._client()

    def _client(self) -> ModelClient:
        from inbrief.summarizers.llm.client import ModelClient

        settings = self.settings
        with self._lock:
            client = self._clients.get(settings)
            if client is None:
                client = self._clients[settings] = ModelClient(settings)
            return client

    def _fallback(
        self,
        sentences: Sequence[Sentence],
        language: str | None,
        budget: Budget,
        title: str | None,
        reason: str,
    ) -> Selection:
        news = get("news")
        selection = news.summarize(sentences, language, budget, title=title)
        return replace(selection, fallback=reason, method=news.name)


def _within(budget: Budget, kept: list[CheckedSentence], target: Target) -> list[CheckedSentence]:
    """The supported sentences, in the model's order, that fit ``budget``."""
    if budget.unit == "sentences":
        return kept[: target.sentences]
    limit = target.words if budget.unit != "chars" else int(budget.value)
    size = (lambda c: len(c.text)) if budget.unit == "chars" else (lambda c: count_words(c.text))
    fitted: list[CheckedSentence] = []
    used = 0
    for sentence in kept:
        if fitted and used + size(sentence) > limit:
            break
        fitted.append(sentence)
        used += size(sentence)
    return fitted
