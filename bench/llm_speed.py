"""Written summaries on a real model: seconds per summary, tokens per second, and the share of
written sentences that pass the check, beside the extractive ``news`` summary of the same run.

    bash scripts/test-llm-server.sh          # SmolLM2-135M on 127.0.0.1:8765 (or your own)
    .venv/bin/python bench/llm_speed.py --llm-url http://127.0.0.1:8765/v1 --llm-model smollm2-135m
    .venv/bin/python bench/llm_speed.py --quick ...    # 3 articles, for CI

Articles: the demo articles shipped with inbrief (English, French, German, Russian), in file
order.  Every summary is asked of the server (nothing is cached here); the model writes at
temperature 0 with a fixed seed, so a second run gives the same sentences.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from inbrief import summarizers
from inbrief.models import Article, Budget
from inbrief.pipeline import summarize_article
from inbrief.summarizers.llm import LLM, LLMSettings

DEMO = Path(__file__).resolve().parents[1] / "src" / "inbrief" / "data" / "demo" / "articles.jsonl"


def main(argv: list[str] | None = None) -> int:
    """Summarize the demo articles with ``llm`` and ``news``; print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--llm-url", required=True, help="OpenAI-compatible base URL")
    parser.add_argument("--llm-model", required=True)
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--sentences", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="3 articles")
    options = parser.parse_args(argv)
    count = 3 if options.quick else options.articles
    lines = DEMO.read_text("utf-8").splitlines()[:count]
    articles = [
        Article(text=item["body"], title=item["title"], language=item["language"])
        for item in map(json.loads, lines)
    ]
    method = summarizers.get("llm")
    if not isinstance(method, LLM):
        raise SystemExit("the llm method is not inbrief's LLM class")
    method.configure(LLMSettings(urls=(options.llm_url.rstrip("/"),), model=options.llm_model))
    budget = Budget("sentences", options.sentences)

    started = time.perf_counter()
    for article in articles:
        summarize_article(article, budget, keywords=0)
    news_seconds = (time.perf_counter() - started) / len(articles)

    seconds: list[float] = []
    written = passed = fallbacks = 0
    for article in articles:
        started = time.perf_counter()
        summary = summarize_article(article, budget, method="llm", keywords=0)
        seconds.append(time.perf_counter() - started)
        if summary.written is not None:
            kept = len(summary.written.sentences) if summary.fallback is None else 0
            written += kept + len(summary.written.removed)
            passed += kept
        fallbacks += summary.fallback is not None
    tokens = method.client.completion_tokens
    total = sum(seconds)
    model = options.llm_model
    print(f"{len(articles)} demo articles, {options.sentences} sentences, model {model}")
    print(f"{'':28}{'llm':>12}{'news':>12}")
    print(f"{'seconds per summary (mean)':28}{total / len(seconds):12.2f}{news_seconds:12.4f}")
    print(f"{'seconds per summary (p50)':28}{statistics.median(seconds):12.2f}")
    print(f"{'seconds per summary (max)':28}{max(seconds):12.2f}")
    print(f"{'tokens written per second':28}{tokens / total if total else 0:12.1f}")
    share = f"{passed}/{written} {passed / written:.0%}" if written else "0/0"
    print(f"{'written sentences passing':28}{share:>12}")
    print(f"{'fell back to news':28}{f'{fallbacks}/{len(articles)}':>12}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
