"""Fuzz every target for a number of inputs within a time bound, and print what happened.

    python fuzz/run.py --inputs 100000 --max-seconds 900            # the long run
    python fuzz/run.py --targets api,feed --inputs 2000 --jobs 1    # a short one
    python fuzz/run.py --work fuzz/.work --json figures.json         # keep corpus and crashes

Each target (``fuzz/targets.py``) runs in its own process under atheris
(``fuzz/fuzz_inbrief.py``), ``--jobs`` at a time, seeded with real pages, feeds, texts and
hostile hand-made inputs.  The inputs are shared out as the run goes: a target is given the
inputs still to run divided among the targets not yet started, and the time still left divided
the same way across the jobs, so time the fast targets do not use goes to the slow ones (they
run last).

Printed per target: inputs run, typed inbrief errors (the right answer to bad input), crashes
(any other exception, a broken property, a hang or running out of memory) with each kind's
first input saved under ``WORK/crashes``, libFuzzer's coverage (``cov``: branches reached,
``ft``: features), seconds and the slowest input.  Exits 1 when anything crashed.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

# Fast targets first, so that the time they leave goes to the slow ones (see the docstring).
ORDER = ("sentences", "decode", "records", "api", "summary", "feed", "html")
DICTIONARIES = {
    "html": "html.dict",
    "feed": "xml.dict",
    "records": "json.dict",
    "api": "json.dict",
}
# libFuzzer's own limits: an input taking longer than this many seconds is a hang, a process
# above this many MB has run out of memory; both are reported as crashes.
INPUT_TIMEOUT_SECONDS = 60
RSS_LIMIT_MB = 3072
MAX_INPUT_BYTES = 4096
_COVERAGE = re.compile(r"cov: (\d+) ft: (\d+)")
_FAILURE = re.compile(r"ERROR: libFuzzer: ([\w -]+)")


@dataclass
class Run:
    """One target's process and what it reported."""

    target: str
    quota: int
    seconds_allowed: float
    process: subprocess.Popen[bytes]
    log: Path
    stats: Path
    started: float = field(default_factory=time.monotonic)

    def figures(self) -> dict[str, Any]:
        """The counts the target wrote, plus coverage and any failure from libFuzzer's log."""
        try:
            figures: dict[str, Any] = json.loads(self.stats.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            figures = {"target": self.target, "inputs": 0, "errors": 0, "crashes": 0}
            figures["unique_crashes"] = []
        log = self.log.read_text(encoding="utf-8", errors="replace")
        coverage = _COVERAGE.findall(log)
        figures["cov"], figures["ft"] = map(int, coverage[-1]) if coverage else (None, None)
        figures["quota"] = self.quota
        figures["wall_seconds"] = round(time.monotonic() - self.started, 1)
        failure = _FAILURE.search(log)
        if failure is not None or self.process.returncode not in (0, None):
            # libFuzzer stopped on its own: a hang, memory, or an exception we did not catch.
            reason = failure.group(1).strip() if failure else f"exit {self.process.returncode}"
            figures["crashes"] = figures.get("crashes", 0) + 1
            figures["unique_crashes"] = [
                *figures.get("unique_crashes", []),
                {"kind": reason, "where": str(self.log), "message": log[-600:], "count": 1},
            ]
        return figures


def start(target: str, quota: int, seconds: float, work: Path, seed: int) -> Run:
    """Start fuzzing ``target`` for ``quota`` inputs or ``seconds``, whichever comes first."""
    import targets

    corpus = work / "corpus" / target
    list(targets.seed_files(corpus, targets.TARGETS[target]))
    log, stats = work / f"{target}.log", work / f"{target}.json"
    stats.unlink(missing_ok=True)
    command = [
        sys.executable,
        str(HERE / "fuzz_inbrief.py"),
        target,
        "--stats",
        str(stats),
        "--crash-dir",
        str(work / "crashes"),
        f"-runs={quota}",
        f"-max_total_time={max(1, int(seconds))}",
        f"-seed={seed}",
        f"-max_len={MAX_INPUT_BYTES}",
        f"-timeout={INPUT_TIMEOUT_SECONDS}",
        f"-rss_limit_mb={RSS_LIMIT_MB}",
        "-print_final_stats=1",
        # libFuzzer's own files (slow-unit-*, crash-*) go to the work folder, not the cwd.
        f"-artifact_prefix={work}/",
    ]
    if target in DICTIONARIES:
        command.append(f"-dict={HERE / 'dicts' / DICTIONARIES[target]}")
    command.append(str(corpus))
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    return Run(target, quota, seconds, process, log, stats)


def fuzz(
    names: list[str], inputs: int, max_seconds: float, jobs: int, work: Path, seed: int
) -> list[dict[str, Any]]:
    """Run ``names`` (``jobs`` at a time) for ``inputs`` in all within ``max_seconds``."""
    deadline = time.monotonic() + max_seconds
    pending = list(names)
    running: list[Run] = []
    results: list[dict[str, Any]] = []
    given = 0
    while pending or running:
        while pending and len(running) < jobs:
            target = pending.pop(0)
            quota = math.ceil(max(inputs - given, 0) / (len(pending) + 1)) or 1
            # The remaining targets share what is left of the time over the jobs.
            share = (deadline - time.monotonic()) * jobs / (len(pending) + len(running) + 1)
            seconds = min(share, deadline - time.monotonic())
            running.append(start(target, quota, seconds, work, seed))
            print(f"  {target}: up to {quota:,} inputs in {seconds:.0f} s", flush=True)
            given += quota
        time.sleep(0.5)
        for run in [r for r in running if r.process.poll() is not None]:
            running.remove(run)
            figures = run.figures()
            # An input quota the time bound cut short goes to the targets still to start.
            given -= run.quota - figures["inputs"]
            results.append(figures)
            print(f"  {run.target}: done, {figures['inputs']:,} inputs", flush=True)
        for run in running:
            if time.monotonic() > deadline + INPUT_TIMEOUT_SECONDS + 30:
                run.process.kill()  # libFuzzer ignored its own time limit: stop it
    return sorted(results, key=lambda figures: names.index(figures["target"]))


def report(results: list[dict[str, Any]], seconds: float) -> str:
    """The figures as a table, with the crashes listed under it."""
    header = (
        f"{'target':<10} {'inputs':>8} {'errors':>8} {'crashes':>8} {'cov':>6} {'ft':>7} "
        f"{'seconds':>8} {'inputs/s':>9} {'slowest':>8}"
    )
    lines = [header, "-" * len(header)]
    for f in results:
        rate = f["inputs"] / f["wall_seconds"] if f.get("wall_seconds") else 0
        lines.append(
            f"{f['target']:<10} {f['inputs']:>8,} {f['errors']:>8,} {f['crashes']:>8,} "
            f"{f['cov'] or '-':>6} {f['ft'] or '-':>7} {f.get('wall_seconds', 0):>8.1f} "
            f"{rate:>9.1f} {f.get('slowest_input_seconds', 0):>7.2f}s"
        )
    total = {key: sum(f[key] for f in results) for key in ("inputs", "errors", "crashes")}
    lines.append("-" * len(header))
    lines.append(
        f"{'all':<10} {total['inputs']:>8,} {total['errors']:>8,} {total['crashes']:>8,}"
        f"{'':>15} {seconds:>8.1f} {total['inputs'] / max(seconds, 1e-9):>9.1f}"
    )
    for f in results:
        for crash in f["unique_crashes"]:
            lines.append(
                f"CRASH {f['target']}: {crash['kind']} at {crash['where']} x{crash['count']}: "
                f"{crash['message'][:200]!r} input: {crash.get('input_file')}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run the targets, print the table; 1 if anything crashed."""
    import targets

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", default=",".join(ORDER), help="comma-separated names")
    parser.add_argument("--inputs", type=int, default=100_000, help="inputs in all")
    parser.add_argument("--max-seconds", type=float, default=900, help="wall-clock bound")
    parser.add_argument("--jobs", type=int, default=2, help="targets fuzzed at once")
    parser.add_argument("--seed", type=int, default=1, help="libFuzzer's random seed")
    parser.add_argument("--work", type=Path, help="corpus, logs and crashes (default: a temp dir)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    options = parser.parse_args(argv)
    names = [name.strip() for name in options.targets.split(",") if name.strip()]
    unknown = [name for name in names if name not in targets.TARGETS]
    if unknown:
        parser.error(f"unknown targets {unknown}; choose from {', '.join(targets.TARGETS)}")
    names.sort(key=lambda name: ORDER.index(name) if name in ORDER else len(ORDER))
    work = options.work or Path(tempfile.mkdtemp(prefix="inbrief-fuzz-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"fuzzing {', '.join(names)}: {options.inputs:,} inputs within {options.max_seconds:g} s")
    began = time.monotonic()
    results = fuzz(names, options.inputs, options.max_seconds, options.jobs, work, options.seed)
    seconds = time.monotonic() - began
    print(report(results, seconds))
    if options.json:
        figures = {"seconds": round(seconds, 1), "targets": results}
        options.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    crashed = any(f["crashes"] for f in results)
    if crashed:
        print(f"crash inputs and tracebacks: {work / 'crashes'}")
    elif options.work is None:
        shutil.rmtree(work, ignore_errors=True)  # nothing worth keeping
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
