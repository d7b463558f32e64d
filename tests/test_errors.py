"""Errors as each interface words them: Python callers read the keywords they wrote, the CLI
its flags, and a page no extractor can read is one line, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_cli import assert_one_line_error, run

import inbrief
from inbrief import Budget, BudgetError

FIXTURES = Path(__file__).parent / "fixtures"
STORY = (
    "The city council met on Monday evening to debate the old river bridge. "
    "Engineers told members that the bridge could fail within two years. "
    "After three hours the council voted to close it to cars from March."
)


# --- a budget out of range ------------------------------------------------------------------


def test_a_bad_budget_from_python_names_the_keyword() -> None:
    with pytest.raises(BudgetError) as raised:
        inbrief.summarize(STORY, words=0)

    assert str(raised.value) == "words must be a whole number of at least 1, got 0"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"ratio": 1.5}, "ratio must be in (0, 1], got 1.5"),
        ({"sentences": 2, "chars": 300}, "give one budget at a time, not sentences, chars"),
    ],
)
def test_budget_from_options_names_the_keywords(options: dict[str, float], message: str) -> None:
    with pytest.raises(BudgetError) as raised:
        Budget.from_options(**options)  # type: ignore[arg-type]

    assert str(raised.value) == message


def test_a_bad_budget_on_the_command_line_names_the_flag(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")

    result = run("summarize", str(story), "--words", "0")

    assert result.returncode == 2
    assert_one_line_error(result, "--words must be a whole number of at least 1, got 0")


# --- a page that is only SVG or MathML ------------------------------------------------------


@pytest.mark.parametrize("name", ["svg_only.html", "mathml_only.html"])
def test_a_page_of_only_svg_or_mathml_is_one_line_on_the_command_line(name: str) -> None:
    page = FIXTURES / name

    result = run("summarize", str(page))

    assert result.returncode == 1
    assert_one_line_error(result, f"no article text found in {page}")
