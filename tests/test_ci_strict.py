"""Under CI a skipped test fails the run; in a user's clone it still skips."""

from __future__ import annotations

from pathlib import Path

import pytest

NEEDS_WHAT_IS_MISSING = """
import pytest

def test_needs_a_database():
    pytest.skip("no database")

@pytest.mark.skipif(True, reason="no browser")
def test_needs_a_browser():
    pass

def test_needs_nothing():
    pass
"""

NEEDS_AN_EXTRA = """
import pytest

pytest.importorskip("an_extra_that_is_not_installed")

def test_needs_the_extra():
    pass
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A test project with inbrief's own conftest.py."""
    pytester.makeconftest(Path(__file__).with_name("conftest.py").read_text(encoding="utf-8"))
    return pytester


def test_under_ci_a_skipped_test_fails(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    project.makepyfile(NEEDS_WHAT_IS_MISSING)
    result = project.runpytest_inprocess("-p", "no:cacheprovider")
    # The skipif mark is judged at set-up, so that one counts as an error: the run fails either way.
    result.assert_outcomes(passed=1, failed=1, errors=1)
    result.stdout.fnmatch_lines(["*skipped under CI*no database*"])


def test_under_ci_a_module_skipped_for_a_missing_extra_fails(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    project.makepyfile(NEEDS_AN_EXTRA)
    result = project.runpytest_inprocess("-p", "no:cacheprovider")
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*skipped under CI*an_extra_that_is_not_installed*"])


def test_in_a_users_clone_the_same_tests_skip(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    project.makepyfile(NEEDS_WHAT_IS_MISSING)
    result = project.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, skipped=2)
