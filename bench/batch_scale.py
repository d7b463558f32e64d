"""How batch summarization scales: local processes against Ray, one worker against two.

    python bench/batch_scale.py                       # CNN/DM dev, 5,189 articles, 4 runs
    python bench/batch_scale.py --articles 20000      # repeat the file to reach 20,000
    python bench/batch_scale.py --memory 1000000      # flat memory on a million short rows

Scale mode summarizes ``../shared/data/cnndm-dev.jsonl.gz`` (repeated with fresh ids to reach
``--articles``) four times, in one run: local ``--jobs 1`` and ``--jobs 2``, then Ray with 1 and
2 actors on a Ray started once for the benchmark.  It prints articles/s, the scaling ratio of
two workers over one (goal: >= 1.8), Ray's rate against local's at the same worker count
(goal: within 10%) and Ray's overhead per article, then checks that every run wrote the same
bytes.  Each run's output is sampled as it grows: the time to the first chunk is the fixed
start-up cost (starting worker processes or actors, building the summarizer), and the steady
rate, rows written between 10% and 90% of the output, is what tells how a long batch will go.

Memory mode writes ``--memory`` short articles (the first paragraph of each bundled demo
article, repeated) as ``.jsonl.zst``, runs the local engine on them, and samples the resident
memory of the main process and of each worker as the batch goes: flat memory is the same
figure at 10% of the rows as at 100%.

The machine is shared: the load average before and after each run is printed, because other
work on the same cores slows every run down and bends the ratios.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from inbrief.batch import Engine, run_batch

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "cnndm-dev.jsonl.gz"
DEMO = ROOT / "src" / "inbrief" / "data" / "demo" / "articles.jsonl"


@dataclass(frozen=True)
class Run:
    """One configuration's measurements.

    ``first`` is when the first chunk reached the output (worker start-up, summarizer
    building, one chunk of work); ``steady_rate`` is the slope of rows written between 10% and
    90% of the output: the rate a long batch keeps once started.  ``cpu_seconds`` is the CPU
    time every process of the run used (main process, workers or actors, and for Ray its own
    daemons): unlike wall time, it barely moves when other work shares the cores.
    """

    name: str
    engine: str
    workers: int
    articles: int
    seconds: float
    first: float
    steady_rate: float
    cpu_seconds: float
    load_before: float
    load_after: float

    @property
    def rate(self) -> float:
        return self.articles / self.seconds

    @property
    def cpu_ms(self) -> float:
        """CPU milliseconds per article, all processes of the run counted."""
        return self.cpu_seconds * 1000 / self.articles


def write_articles(path: Path, count: int) -> None:
    """``count`` CNN/DM articles as JSONL, the file repeated with fresh ids as needed."""
    with gzip.open(DATA, "rt", encoding="utf-8") as source:
        articles = [json.loads(line) for line in source]
    with path.open("w", encoding="utf-8") as out:
        for number in range(count):
            article = articles[number % len(articles)]
            row = {"id": f"{article['id']}/{number // len(articles)}", "text": article["article"]}
            out.write(json.dumps(row) + "\n")


def measure(name: str, engine: Engine, workers: int, source: Path, out: Path) -> Run:
    """Run one configuration, sampling how many rows the output holds as it grows."""
    samples: list[tuple[float, int]] = []
    stop = threading.Event()
    baseline = _cpu_by_process()
    latest: dict[int, float] = {}

    def sample() -> None:
        while not stop.wait(0.05):
            samples.append((time.perf_counter(), _count_lines(out)))
            latest.update(_cpu_by_process())

    before = os.getloadavg()[0]
    sampler = threading.Thread(target=sample, daemon=True)
    started = time.perf_counter()
    sampler.start()
    try:
        report = run_batch([source], out, engine=engine, jobs=workers, progress=False)
    finally:
        stop.set()
        sampler.join()
    ended = time.perf_counter()
    samples.append((ended, _count_lines(out)))
    latest.update(_cpu_by_process())
    cpu = sum(max(seconds - baseline.get(pid, 0.0), 0.0) for pid, seconds in latest.items())
    done = report.summarized + report.failed
    first = next(t for t, lines in samples if lines > 0) - started
    low = next((t, n) for t, n in samples if n >= 0.1 * done)
    high = next((t, n) for t, n in samples if n >= 0.9 * done)
    steady = (high[1] - low[1]) / max(high[0] - low[0], 1e-9)
    after = os.getloadavg()[0]
    return Run(name, engine, workers, done, report.seconds, first, steady, cpu, before, after)


def _cpu_by_process() -> dict[int, float]:
    """CPU seconds (user + system) used so far by this process and each of its descendants."""
    import psutil

    usage: dict[int, float] = {}
    me = psutil.Process()
    for process in [me, *me.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        usage[process.pid] = times.user + times.system
    return usage


def scale(articles: int) -> int:
    if not DATA.exists():
        print(f"skipped: {DATA} is absent (see ../shared/data/README.md)")
        return 0
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    import ray

    with tempfile.TemporaryDirectory(prefix="batch-scale-") as name:
        folder = Path(name)
        source = folder / "articles.jsonl"
        write_articles(source, articles)
        print(f"input: {articles:,} CNN/DM articles ({source.stat().st_size / 1e6:.1f} MB JSONL)")
        print(f"cores: {os.cpu_count()}, load average now {os.getloadavg()[0]:.2f}")

        runs: list[Run] = []
        for workers in (1, 2):
            out = folder / f"local-{workers}.jsonl"
            runs.append(measure(f"local --jobs {workers}", "local", workers, source, out))
            print(f"  {runs[-1].name}: {runs[-1].seconds:.1f} s", flush=True)

        started = time.perf_counter()
        ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
        ray_start = time.perf_counter() - started
        try:
            for workers in (1, 2):
                out = folder / f"ray-{workers}.jsonl"
                runs.append(measure(f"ray, {workers} actor(s)", "ray", workers, source, out))
                print(f"  {runs[-1].name}: {runs[-1].seconds:.1f} s", flush=True)
        finally:
            ray.shutdown()

        outputs = [folder / f"{run.engine}-{run.workers}.jsonl" for run in runs]
        same = all(path.read_bytes() == outputs[0].read_bytes() for path in outputs)

    print()
    print(
        f"{'configuration':<20} {'seconds':>8} {'1st chunk':>9} {'art/s':>8} {'steady':>8} "
        f"{'per worker':>10} {'CPU ms/art':>10} {'load avg':>11}"
    )
    for run in runs:
        print(
            f"{run.name:<20} {run.seconds:>8.1f} {run.first:>9.1f} {run.rate:>8.1f} "
            f"{run.steady_rate:>8.1f} {run.steady_rate / run.workers:>10.1f} "
            f"{run.cpu_ms:>10.2f} {run.load_before:>5.1f}->{run.load_after:<5.1f}"
        )
    local1, local2, ray1, ray2 = runs
    print()
    print(f"Ray start (once, before the Ray runs; not counted in them): {ray_start:.1f} s")
    print("scaling, 2 workers / 1 (goal >= 1.8):")
    print(
        f"  wall, steady rates: local {local2.steady_rate / local1.steady_rate:.2f}x, "
        f"ray {ray2.steady_rate / ray1.steady_rate:.2f}x "
        f"(whole runs: local {local2.rate / local1.rate:.2f}x, ray {ray2.rate / ray1.rate:.2f}x)"
    )
    # On free cores, 2 workers go 2 x (CPU per article with 1) / (CPU per article with 2) as
    # fast as one: what the parallel version adds in CPU per article is what it loses.
    print(
        f"  on free cores, from CPU per article: local {2 * local1.cpu_ms / local2.cpu_ms:.2f}x, "
        f"ray {2 * ray1.cpu_ms / ray2.cpu_ms:.2f}x"
    )
    print("Ray against local at the same workers (goal >= 0.90):")
    for ray_run, local_run in ((ray1, local1), (ray2, local2)):
        wall = ray_run.steady_rate / local_run.steady_rate
        print(
            f"  {ray_run.workers} worker(s): wall {wall:.2f}, "
            f"CPU {local_run.cpu_ms / ray_run.cpu_ms:.2f}; Ray costs "
            f"{ray_run.cpu_ms - local_run.cpu_ms:+.2f} ms of CPU per article; first chunk after "
            f"{ray_run.first:.1f} s (local {local_run.first:.1f} s)"
        )
    print(f"all four outputs byte-identical: {'yes' if same else 'NO'}")
    return 0 if same else 1


def short_articles(path: Path, count: int) -> None:
    """``count`` short articles (the demo's first paragraphs, repeated) as ``.jsonl.zst``."""
    import zstandard

    demo = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines()]
    leads = [(row["language"], row["body"].split("\n\n")[0]) for row in demo]
    with path.open("wb") as raw, zstandard.ZstdCompressor().stream_writer(raw) as out:
        for number in range(count):
            language, text = leads[number % len(leads)]
            row = {"id": f"short-{number}", "language": language, "text": text}
            out.write((json.dumps(row) + "\n").encode())


def _rss_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _descendants(pid: int) -> list[int]:
    import psutil

    try:
        return [child.pid for child in psutil.Process(pid).children(recursive=True)]
    except psutil.Error:
        return []


def memory(rows: int, jobs: int) -> int:
    with tempfile.TemporaryDirectory(prefix="batch-memory-") as name:
        folder = Path(name)
        source = folder / "short.jsonl.zst"
        started = time.perf_counter()
        short_articles(source, rows)
        print(
            f"input: {rows:,} short articles, {source.stat().st_size / 1e6:.1f} MB .jsonl.zst "
            f"(written in {time.perf_counter() - started:.0f} s)"
        )
        out = folder / "summaries.jsonl"
        samples: list[tuple[float, int, int, int]] = []  # (time, lines, main KiB, worker KiB)
        stop = threading.Event()
        me = os.getpid()

        def sample() -> None:
            while not stop.wait(1.0):
                lines = _count_lines(out)
                workers = [_rss_kib(pid) for pid in _descendants(me)]
                samples.append((time.perf_counter(), lines, _rss_kib(me), max(workers, default=0)))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        report = run_batch([source], out, jobs=jobs, method="lead", keywords=0, progress=False)
        stop.set()
        sampler.join()
        print(report.describe())
        print(f"output: {out.stat().st_size / 1e9:.2f} GB JSONL")

    import resource

    peak_main = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak RSS of the main process (ru_maxrss): {peak_main / 1024:.0f} MiB")
    print(f"{'rows written':>14} {'main MiB':>9} {'largest worker MiB':>19}")
    for fraction in (0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0):
        at = [s for s in samples if s[1] >= fraction * rows * 0.999]
        if at:
            _, lines, main_kib, worker_kib = at[0]
            print(f"{lines:>14,} {main_kib / 1024:>9.0f} {worker_kib / 1024:>19.0f}")
    peak_worker = max((s[3] for s in samples), default=0)
    print(f"peak sampled RSS of a worker: {peak_worker / 1024:.0f} MiB")
    return 0


_line_counts: dict[Path, tuple[int, int]] = {}


def _count_lines(path: Path) -> int:
    """Lines in ``path``, reading only what was appended since the last call."""
    offset, lines = _line_counts.get(path, (0, 0))
    try:
        with path.open("rb") as appended:
            appended.seek(offset)
            while block := appended.read(1 << 20):
                lines += block.count(b"\n")
                offset += len(block)
    except OSError:
        return lines
    _line_counts[path] = (offset, lines)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5189, help="articles per scale run")
    parser.add_argument("--memory", type=int, metavar="ROWS", help="run the memory check instead")
    parser.add_argument("--jobs", type=int, default=2, help="workers in the memory check")
    args = parser.parse_args(argv)
    if args.memory:
        return memory(args.memory, args.jobs)
    return scale(args.articles)


if __name__ == "__main__":
    sys.exit(main())
