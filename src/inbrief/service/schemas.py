"""The API's request bodies and problem documents, as pydantic models: what OpenAPI shows.

Each model forbids unknown fields, so a misspelt option is an error rather than ignored. The
request bodies are strict about types, as their schema says: ``"sentences": "3"`` or ``true``
and ``"store": "yes"`` are errors, not read as 3 and true (a whole number is a number, so
``"ratio": 1`` is fine). :class:`SummaryOptions` alone, which also reads the query string of
``GET /api/articles/{id}/summary``, converts text, since a query string is all text.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from inbrief import sources
from inbrief.fetch.urls import web_address_problem
from inbrief.models import Article, Budget, Document
from inbrief.pipeline import DEFAULT_KEYWORDS, DEFAULT_METHOD, extract


def _http_url(value: str | None) -> str | None:
    problem = web_address_problem(value) if value is not None else None
    if problem is not None:
        raise ValueError(f"the address {problem}")
    return value


# JSON request bodies: no unknown field, no value of another type than the schema's.
BODY_CONFIG = ConfigDict(extra="forbid", strict=True)


class SourceFields(BaseModel):
    """Exactly one of ``url`` (fetched by the reader), ``html`` or ``text``."""

    model_config = BODY_CONFIG

    url: str | None = Field(None, max_length=4000, description="A web page to fetch.")
    html: str | None = Field(None, description="The page's HTML.")
    text: str | None = Field(None, description="The article's plain text.")

    _check_url = field_validator("url")(_http_url)

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        given = [name for name in ("url", "html", "text") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of url, html or text"
                + (f", not {' and '.join(given)}" if given else "")
            )
        return self

    def document(self) -> Document:
        """The source as a document: fetched for a URL, taken as is for HTML or text."""
        if self.url is not None:
            return sources.from_url(self.url)
        if self.html is not None:
            return sources.from_html(self.html, origin="<html>")
        return sources.from_text(self.text or "", origin="<text>")


class SummaryOptions(BaseModel):
    """How long a summary may be (at most one budget; none means 3 sentences) and its method."""

    model_config = ConfigDict(extra="forbid")

    sentences: int | None = Field(None, ge=1, le=1000, description="Summary length in sentences.")
    words: int | None = Field(None, ge=1, le=100_000, description="At most this many words.")
    chars: int | None = Field(None, ge=1, le=1_000_000, description="At most this many characters.")
    ratio: float | None = Field(None, gt=0, le=1, description="This share of the article's words.")
    method: str = Field(
        DEFAULT_METHOD,
        max_length=40,
        description=(
            "news (the default), centrality, lead, textrank, lexrank, or llm: written by the "
            "server's language model, every sentence checked against the article (only on a "
            "server that has one: 400 otherwise; 503 with Retry-After while it is busy)."
        ),
        examples=["news", "llm"],
    )
    keywords: int = Field(DEFAULT_KEYWORDS, ge=0, le=50, description="Key phrases to return.")
    format: Literal["json", "text", "markdown", "bullets"] = Field(
        "json", description="json (default), or the CLI's text, markdown or bullets."
    )

    @model_validator(mode="after")
    def _one_budget(self) -> Self:
        given = [
            u for u in ("sentences", "words", "chars", "ratio") if getattr(self, u) is not None
        ]
        if len(given) > 1:
            raise ValueError(f"give one budget at a time, not {' and '.join(given)}")
        return self

    def budget(self) -> Budget:
        """The budget these options name."""
        return Budget.from_options(
            sentences=self.sentences, words=self.words, chars=self.chars, ratio=self.ratio
        )


class SummarizeRequest(SummaryOptions, SourceFields):
    """A source to summarize, the summary's options, and whether to keep the article."""

    model_config = BODY_CONFIG

    store: bool = Field(False, description="Also store the article (and cache its summary).")


class ArticleRequest(SourceFields):
    """A source to store; the optional fields replace what extraction found."""

    title: str | None = Field(None, max_length=1000)
    author: str | None = Field(None, max_length=1000)
    date: str | None = Field(None, max_length=100)
    language: str | None = Field(None, max_length=20)
    site: str | None = Field(None, max_length=1000)

    def article(self) -> tuple[Article, str | None]:
        """The extracted article with the given metadata, and the URL it was fetched from."""
        document = self.document()
        article = extract(document)
        given = {
            name: getattr(self, name)
            for name in ("title", "author", "date", "language", "site")
            if getattr(self, name) is not None
        }
        source_url = document.origin if document.url is not None else None
        return replace(article, **given), source_url


class FeedRequest(BaseModel):
    """A feed to subscribe to."""

    model_config = BODY_CONFIG

    url: str = Field(max_length=4000, description="The RSS or Atom feed's address.")
    title: str | None = Field(None, max_length=1000, description="A name for it (optional).")

    _check_url = field_validator("url")(_http_url)


SummarySentenceText = Annotated[str, Field(min_length=1, max_length=5000)]
SummaryText = Annotated[str, Field(min_length=1, max_length=100_000)]
# A summary is a few sentences; a bound keeps one request's check small.
MAX_CHECKED_SENTENCES = 200
VERIFY_EXAMPLE: dict[str, Any] = {
    "text": (
        "The city council met on Monday evening to debate the old river bridge. "
        "After three hours the council voted to close it to cars from March."
    ),
    "summary": [
        "The council voted to close the bridge to cars from March.",
        "The bridge will be closed for 18 months.",
    ],
}
VERIFY_ANSWER: list[dict[str, Any]] = [
    {
        "text": "The council voted to close the bridge to cars from March.",
        "supported": True,
        "support": [
            {
                "index": 1,
                "start": 71,
                "end": 138,
                "text": "After three hours the council voted to close it to cars from March.",
            }
        ],
        "cited": [],
        "problems": [],
    },
    {
        "text": "The bridge will be closed for 18 months.",
        "supported": False,
        "support": [
            {
                "index": 0,
                "start": 0,
                "end": 70,
                "text": "The city council met on Monday evening to debate the old river bridge.",
            },
        ],
        "cited": [],
        "problems": [{"kind": "number", "text": "18", "note": "not in the article"}],
    },
]
"""What ``POST /api/verify`` answers for :data:`VERIFY_EXAMPLE` (its documentation's example)."""


class VerifyRequest(SourceFields):
    """An article (``url``, ``html`` or ``text``) and a summary of it to check."""

    model_config = ConfigDict(
        extra="forbid", strict=True, json_schema_extra={"examples": [VERIFY_EXAMPLE]}
    )

    summary: list[SummarySentenceText] | SummaryText = Field(
        description=(
            "The summary: its sentences (checked in this order), or its text (split into "
            "sentences as the article is)."
        )
    )
    cited: list[list[Annotated[int, Field(ge=0)]]] | None = Field(
        None,
        description=(
            "For each summary sentence, the article sentences (their index, from 0) its writer "
            "says it rests on: verified, never trusted."
        ),
    )

    @model_validator(mode="after")
    def _cited_per_sentence(self) -> Self:
        if isinstance(self.summary, list):
            if not 1 <= len(self.summary) <= MAX_CHECKED_SENTENCES:
                raise ValueError(
                    f"give between 1 and {MAX_CHECKED_SENTENCES} summary sentences, "
                    f"not {len(self.summary)}"
                )
            if self.cited is not None and len(self.cited) != len(self.summary):
                raise ValueError(
                    f"cited needs one list per summary sentence: {len(self.summary)}, "
                    f"not {len(self.cited)}"
                )
        elif self.cited is not None:
            raise ValueError("cited needs the summary as a list of sentences")
        return self


class ProblemDoc(BaseModel):
    """An error (RFC 9457 problem details)."""

    type: str
    title: str
    status: int
    detail: str


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {
        status: {"model": ProblemDoc, "content": {"application/problem+json": {}}}
        for status in statuses
    }
