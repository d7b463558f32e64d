"""Coverage-guided fuzzing of inbrief with atheris (libFuzzer): one process, one target.

    python fuzz/fuzz_inbrief.py sentences -runs=20000 -max_total_time=60 CORPUS_DIR
    python fuzz/fuzz_inbrief.py api --stats api.json --crash-dir crashes -runs=2000

The first argument names the target (``fuzz/targets.py``: sentences, summary, decode, records,
feed, html, api); ``--stats FILE`` and ``--crash-dir DIR`` are ours; everything after goes to
libFuzzer (``-runs``, ``-max_total_time``, ``-seed``, ``-max_len``, ``-dict``, corpus dirs).
``fuzz/run.py`` runs every target this way and prints the figures.

inbrief (and the libraries whose Python code reads the input: trafilatura, feedparser, htmldate,
justext) is instrumented, so libFuzzer keeps the inputs that reach new branches.  An
:class:`~inbrief.errors.InbriefError` is the right answer to bad input: counted by type.  Any
other exception, a broken property included, is a crash: counted, its first input saved under
``--crash-dir`` with the traceback, and fuzzing goes on, so one run reports every kind of
crash instead of stopping at the first.  libFuzzer itself still stops on a hang (``-timeout``)
or on running out of memory (``-rss_limit_mb``), and says so.

The figures go to ``--stats`` as JSON when libFuzzer exits (it calls C ``exit()``, which skips
Python's own exit handlers, so the writer is registered with the C library) and every few
seconds before that.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import atheris

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

# The Python packages whose branches count as coverage: inbrief's own and the parsers it
# hands untrusted bytes to.  (lxml and charset-normalizer are compiled: no Python branches.)
INSTRUMENTED = [
    "inbrief",
    "invariants",
    "targets",
    "trafilatura",
    "feedparser",
    "htmldate",
    "justext",
]
FLUSH_SECONDS = 2.0
# Inputs slower than this (instrumented, so several times slower than in production) are saved.
SLOW_SECONDS = 1.0


@dataclass(frozen=True)
class Crash:
    """One kind of crash: where it was raised, what it said, and the first input that did it."""

    kind: str
    where: str
    message: str
    input_file: str | None
    count: int = 1


@dataclass
class Tally:
    """What the inputs of one run did."""

    target: str
    stats_file: Path | None
    crash_dir: Path | None
    inputs: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    crashes: dict[tuple[str, str], Crash] = field(default_factory=dict)
    slowest_seconds: float = 0.0
    started: float = field(default_factory=time.monotonic)
    flushed: float = 0.0

    def run(self, target: Callable[[bytes], None], data: bytes, error: type[Exception]) -> None:
        """Run one input, sorting its outcome into a typed error, a crash or a pass."""
        self.inputs += 1
        began = time.monotonic()
        try:
            target(data)
        except error as refused:
            self.errors[getattr(refused, "label", type(refused).__name__)] += 1
        except Exception as crash:  # anything else is what the fuzzer is looking for
            self._record(crash, data)
        took = time.monotonic() - began
        if took > self.slowest_seconds:
            self.slowest_seconds = took
            if self.crash_dir is not None and took > SLOW_SECONDS:
                # Kept for a look: a slow input may be a way to tie up the service.
                self.crash_dir.mkdir(parents=True, exist_ok=True)
                (self.crash_dir / f"{self.target}-slowest").write_bytes(data)
        if began - self.flushed > FLUSH_SECONDS:
            self.write()

    def _record(self, crash: Exception, data: bytes) -> None:
        frames = traceback.extract_tb(crash.__traceback__)
        # The innermost frame in inbrief (or in the fuzz checks) says whose code raised it.
        ours = [f for f in frames if "/inbrief/" in f.filename or str(HERE) in f.filename]
        frame = (ours or frames)[-1] if frames else None
        where = f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}" if frame else "?"
        key = (type(crash).__name__, where)
        known = self.crashes.get(key)
        if known is not None:
            self.crashes[key] = Crash(
                known.kind, known.where, known.message, known.input_file, known.count + 1
            )
            return
        saved = None
        if self.crash_dir is not None:
            self.crash_dir.mkdir(parents=True, exist_ok=True)
            name = f"{self.target}-{hashlib.sha1(data).hexdigest()[:12]}"
            (self.crash_dir / name).write_bytes(data)
            report = "".join(traceback.format_exception(crash))
            (self.crash_dir / f"{name}.txt").write_text(report, encoding="utf-8")
            saved = str(self.crash_dir / name)
        self.crashes[key] = Crash(key[0], where, str(crash)[:300], saved)

    def figures(self) -> dict[str, Any]:
        """The run's counts as JSON-ready values."""
        return {
            "target": self.target,
            "inputs": self.inputs,
            "errors": sum(self.errors.values()),
            "error_types": dict(self.errors.most_common()),
            "crashes": sum(c.count for c in self.crashes.values()),
            "unique_crashes": [c.__dict__ for c in self.crashes.values()],
            "slowest_input_seconds": round(self.slowest_seconds, 3),
            "seconds": round(time.monotonic() - self.started, 1),
        }

    def write(self) -> None:
        """Write the figures to the stats file, if there is one."""
        self.flushed = time.monotonic()
        if self.stats_file is not None:
            self.stats_file.write_text(json.dumps(self.figures(), indent=1), encoding="utf-8")


def _option(argv: list[str], name: str) -> str | None:
    """Remove ``name VALUE`` from ``argv`` and return VALUE."""
    if name not in argv:
        return None
    at = argv.index(name)
    value = argv[at + 1]
    del argv[at : at + 2]
    return value


_exit_hooks: list[Any] = []


def _at_c_exit(callback: Callable[[], None]) -> None:
    """Call ``callback`` when the process calls C ``exit()``, as libFuzzer does when done."""
    hook = ctypes.CFUNCTYPE(None, ctypes.c_void_p)(lambda _argument: callback())
    _exit_hooks.append(hook)  # the C library keeps a pointer: keep the function alive
    ctypes.CDLL("libc.so.6").__cxa_atexit(hook, None, None)


def main(argv: list[str]) -> None:
    """Fuzz the target ``argv[1]`` until libFuzzer's limits stop it."""
    args = list(argv[1:])
    stats = _option(args, "--stats")
    crash_dir = _option(args, "--crash-dir")
    if not args or args[0].startswith("-"):
        sys.exit(f"usage: {argv[0]} TARGET [--stats FILE] [--crash-dir DIR] [libFuzzer flags]")
    name, libfuzzer_args = args[0], args[1:]
    with atheris.instrument_imports(include=INSTRUMENTED):
        import targets
    if name not in targets.TARGETS:
        sys.exit(f"unknown target {name!r}; choose one of: {', '.join(targets.TARGETS)}")
    targets.isolate_from_network()
    targets.write_canary()
    target = targets.TARGETS[name]
    tally = Tally(name, Path(stats) if stats else None, Path(crash_dir) if crash_dir else None)
    _at_c_exit(tally.write)

    def one_input(data: bytes) -> None:
        tally.run(target.run, data, targets.InbriefError)

    atheris.Setup([argv[0], *libfuzzer_args], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
