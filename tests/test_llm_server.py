"""The model server the `llm` method's tests run against is real, and answers the same each time.

SmolLM2-135M-Instruct behind llama.cpp's OpenAI-compatible server, started by
scripts/test-llm-server.sh (through the ``llm_url`` fixture, or here directly for the tests of the
script itself). The article is made up for these tests.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import LLMServer, run_llm_server_script, start_llm_server

BRIDGE_STORY = [
    "The town council of Marrowby voted on Tuesday to close the old Fenwick Street bridge to "
    "cars for eight months.",
    "Engineers found cracks in two of the bridge's three stone arches during an inspection in "
    "March.",
    "The bridge, built in 1887, carries about 6,000 vehicles a day across the River Tolle.",
    "Mayor Ines Calloway said the council had no choice once the engineers' report arrived.",
    '"We cannot ask people to drive over a bridge we know is failing," she told reporters '
    "outside the town hall.",
    "Pedestrians and cyclists will still be allowed to cross on a narrow lane along the north "
    "side.",
    "Drivers will be sent on a detour of roughly four kilometres through the industrial estate "
    "at Harrow Fields.",
    "Shop owners on Fenwick Street fear the closure will cut the number of customers who stop "
    "on their way to work.",
    "Paolo Brandt, who runs a bakery near the bridge, said his takings fell by a third during a "
    "two-week closure last year.",
    "The repairs are expected to cost 4.2 million euros, most of it paid by the regional "
    "transport fund.",
    "Work is due to begin on the first Monday of June and to finish before the end of January.",
    "A temporary bus shuttle will run every fifteen minutes between the two banks during rush "
    "hours.",
    "Opposition councillor Dana Whitlow said the town had ignored warnings about the arches for "
    "more than a decade.",
    "The council plans to hold a public meeting next week to explain the detour and the timetable.",
    "Residents can also read the full engineers' report on the council's website from Friday.",
]

ASK_FOR_A_SUMMARY = (
    "Write a summary of 2 sentences in English. For each sentence, cite the numbers of the "
    'sentences it rests on. Answer as JSON: {"sentences":[{"text":...,"cites":[1,2]}]}'
)


def numbered_article_prompt(sentences: list[str]) -> str:
    """The request the `llm` method makes, in outline: the article's sentences, numbered."""
    lines = "\n".join(f"[{n}] {sentence}" for n, sentence in enumerate(sentences, 1))
    return (
        f"Here are the article's sentences, numbered [1] ... [{len(sentences)}].\n\n"
        f"{lines}\n\n{ASK_FOR_A_SUMMARY}"
    )


def long_article_prompt(sentences: list[str]) -> str:
    """The article as it reads, then numbered: some 900 tokens, evaluated in many batches."""
    return (
        f"Here is a news article.\n\n{' '.join(sentences)}\n\n{numbered_article_prompt(sentences)}"
    )


def chat(base_url: str, model: str, prompt: str, **options: Any) -> httpx.Response:
    """One chat completion, greedy (temperature 0) with a fixed seed unless ``options`` say else."""
    body = {
        "model": model,
        "messages": [{"role": "user", "content": prompt}],
        "temperature": 0,
        "seed": 1,
        "max_tokens": 40,
        **options,
    }
    return httpx.post(f"{base_url}/chat/completions", json=body, timeout=300)


def answer_of(response: httpx.Response) -> str:
    """The text of the first choice of a successful chat completion."""
    assert response.status_code == 200, response.text
    content = response.json()["choices"][0]["message"]["content"]
    assert isinstance(content, str)
    return content


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[LLMServer]:
    """A server of the test's own (not the session's), stopped at the end of the test."""
    server = start_llm_server(str(tmp_path))
    try:
        yield server
    finally:
        server.stop()


def test_the_server_lists_the_model_under_its_name(llm_url: str, llm_model: str) -> None:
    models = httpx.get(f"{llm_url}/models", timeout=30).json()

    assert llm_model in [model["id"] for model in models["data"]]


def test_a_chat_completion_answers_in_words(llm_url: str, llm_model: str) -> None:
    response = chat(llm_url, llm_model, "Which river does the bridge in Marrowby cross?")

    answer = answer_of(response)
    assert any(character.isalpha() for character in answer)
    assert response.json()["usage"]["completion_tokens"] >= 1


def test_an_answer_cut_off_by_max_tokens_says_length(llm_url: str, llm_model: str) -> None:
    response = chat(llm_url, llm_model, "Count from 1 to 50, separated by commas.", max_tokens=6)

    assert response.status_code == 200
    assert response.json()["choices"][0]["finish_reason"] == "length"
    assert response.json()["usage"]["completion_tokens"] == 6


@pytest.mark.parametrize(
    "prompt",
    [
        # Each of these was answered two ways by a server set up otherwise: the greeting without
        # flash attention, the long article with micro-batches of 64 tokens or more.
        pytest.param("Say hello", id="a-greeting"),
        pytest.param(long_article_prompt(BRIDGE_STORY), id="a-long-article"),
    ],
)
def test_the_same_request_gives_the_same_answer_whatever_came_before(
    llm_url: str, llm_model: str, prompt: str
) -> None:
    # The server keeps the previous prompt's evaluation and reuses what a new prompt shares
    # with it, so the same request is evaluated sometimes whole, sometimes only its last token,
    # sometimes from where it stops sharing. The answer must not depend on which. A long answer
    # gives a rounding difference more words to show in.
    def ask(request: str, max_tokens: int = 120) -> str:
        return answer_of(chat(llm_url, llm_model, request, max_tokens=max_tokens))

    ask("Name a colour.", max_tokens=1)
    evaluated_whole = ask(prompt)
    evaluated_again = ask(prompt)
    ask(prompt + " Keep it short.", max_tokens=1)
    evaluated_from_where_it_differs = ask(prompt)

    assert evaluated_again == evaluated_whole
    assert evaluated_from_where_it_differs == evaluated_whole


def test_a_restarted_server_gives_the_same_answer(own_server: LLMServer, llm_model: str) -> None:
    prompt = numbered_article_prompt(BRIDGE_STORY)
    before = answer_of(chat(own_server.url, llm_model, prompt))

    own_server.stop()
    restarted = run_llm_server_script(str(own_server.port), state_dir=own_server.state_dir)
    assert restarted.returncode == 0, restarted.stderr

    assert answer_of(chat(own_server.url, llm_model, prompt)) == before


def test_a_json_schema_in_response_format_shapes_the_answer(llm_url: str, llm_model: str) -> None:
    # llama.cpp's server takes a schema inside {"type": "json_object"} and turns it into a
    # grammar; OpenAI's {"type": "json_schema"} it refuses (HTTP 500, at the pinned version).
    schema = {
        "type": "object",
        "properties": {
            "sentences": {
                "type": "array",
                "minItems": 1,
                "maxItems": 2,
                "items": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string", "minLength": 20},
                        "cites": {"type": "array", "minItems": 1, "items": {"type": "integer"}},
                    },
                    "required": ["text", "cites"],
                },
            }
        },
        "required": ["sentences"],
    }
    response = chat(
        llm_url,
        llm_model,
        numbered_article_prompt(BRIDGE_STORY),
        max_tokens=300,
        response_format={"type": "json_object", "schema": schema},
    )

    summary = json.loads(answer_of(response))
    assert 1 <= len(summary["sentences"]) <= 2
    for sentence in summary["sentences"]:
        assert len(sentence["text"]) >= 20
        assert sentence["cites"]
        assert all(isinstance(cite, int) for cite in sentence["cites"])


def test_a_prompt_longer_than_the_context_is_refused(llm_url: str, llm_model: str) -> None:
    too_long = " ".join(BRIDGE_STORY * 40)  # some 12,000 tokens, past the 4,096 of the context

    response = chat(llm_url, llm_model, too_long)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "context_length_exceeded"


def test_the_script_reuses_a_running_server_and_stops_it(own_server: LLMServer) -> None:
    pid_file = Path(own_server.state_dir) / f"server-{own_server.port}.pid"
    pid = pid_file.read_text()

    again = run_llm_server_script(str(own_server.port), state_dir=own_server.state_dir)

    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == own_server.url
    assert "already answers" in again.stderr
    assert pid_file.read_text() == pid

    stopped = run_llm_server_script("--stop", str(own_server.port), state_dir=own_server.state_dir)

    assert stopped.returncode == 0, stopped.stderr
    assert not pid_file.exists()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{own_server.url}/models", timeout=5)
