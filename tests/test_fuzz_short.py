"""A short coverage-guided fuzz run of each target, as CI's slice of ``fuzz/run.py``.

Each target runs 2,000 inputs under atheris in its own process, from the seeds of
``fuzz/targets.py`` with a fixed libFuzzer seed, and must end with no crash: every input gave
a result or a typed inbrief error.  The long run (``python fuzz/run.py --inputs 100000``)
prints the same figures for a hundred thousand inputs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

FUZZ = Path(__file__).parents[1] / "fuzz"
INPUTS = 2000
# The run stops at this bound even if the inputs are not all done (a slow CI machine); it must
# still have run most of them, or something made inputs slow.
MAX_SECONDS = 240
AT_LEAST = 1000

TARGETS = ["sentences", "decode", "records", "api", "summary", "feed", "html"]


@pytest.mark.parametrize("target", TARGETS)
def test_a_short_fuzz_run_finds_no_crash(target: str, tmp_path: Path) -> None:
    pytest.importorskip("atheris", reason="atheris (the fuzzing engine) is not installed")
    figures_file = tmp_path / "figures.json"
    command = [sys.executable, str(FUZZ / "run.py"), "--targets", target]
    command += ["--inputs", str(INPUTS), "--max-seconds", str(MAX_SECONDS), "--jobs", "1"]
    command += ["--seed", "1", "--work", str(tmp_path), "--json", str(figures_file)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=MAX_SECONDS + 180)
    assert figures_file.exists(), done.stdout + done.stderr
    (figures,) = json.loads(figures_file.read_text(encoding="utf-8"))["targets"]
    assert figures["unique_crashes"] == [], done.stdout
    assert done.returncode == 0, done.stdout + done.stderr
    assert AT_LEAST <= figures["inputs"] <= INPUTS
