"""End-to-end speed of ``inbrief summarize --jsonl`` (and so of ``inbrief batch``, which runs the
same row code) against its ceiling, the ``news`` summarizer alone, and against sumy's LexRank.

Three figures, each beside its baselines from the same run:

1. **In one process**, CPU time (process time), best of ``--repeat`` round-robin passes over
   the first ``-n`` CNN/DailyMail dev articles: ``news alone`` (split + summarize, as
   ``summarize_speed.py`` runs it: the ceiling), ``--jsonl path`` (the stream's own function,
   default output: extraction, language guess, summary, key phrases, offsets, JSON lines) and
   ``sumy LexRank``.  The ratios say how much of the ceiling the stream keeps.
2. **The command**, ``inbrief summarize --jsonl FILE > /dev/null`` in a fresh process, CPU time
   of the child (start-up, cold caches and all), beside the in-process ``news alone`` figure
   and, with ``--compare-with``, the same command run from another source tree.
3. **Cold start**, ``inbrief summarize FILE`` on a three-line article: the best wall and CPU
   time of ``--cold`` runs, beside a bare ``python -c pass`` (and the other tree), and this
   tree's very first run, which unpacks py3langid's and the ``news`` model into the (empty)
   cache.  Every run here uses a cache folder of its own (``$INBRIEF_CACHE_DIR``), never the
   user's.  The commands get the environment a user's would: not this process's one-thread
   BLAS limits, and bytecode written and read (this machine's ``PYTHONDONTWRITEBYTECODE`` would
   make every start compile the whole package again, which an installed wheel never does).

``--compare-with DIR`` (a source tree, e.g. ``git archive HEAD | tar -x -C /tmp/old``) also
checks that both trees write the same bytes, line for line, for the CNN/DailyMail articles and
for the bundled demo articles (with and without their language given); exit 1 if not.

``--keyphrases`` (with ``--compare-with``) times key phrases alone, this tree's against the other
tree's, both in this process (the other tree's package is imported under another name) and
interleaved article by article, so that a busy machine slows both alike; on the first
``-n`` articles of each dev set and the demo articles; exit 1 if any phrase differs.

``--languages`` checks the language guess instead, on every article of the four dev sets:
the cached model's answer against py3langid's own ``classify`` on the same sample (must
always agree; exit 1 if not), and the bounded sample's answer against py3langid's on the
whole text (says how often reading only the sample changes the answer).

    .venv/bin/python bench/jsonl_speed.py [-n 1000] [--repeat 3] [--cold 5]
        [--compare-with /tmp/old_inbrief]
    .venv/bin/python bench/jsonl_speed.py --languages
    .venv/bin/python bench/jsonl_speed.py --keyphrases -n 300 --compare-with /tmp/old_inbrief

Needs ../shared/data/cnndm-dev.jsonl.gz, and sumy (the ``bench`` extra) for its row.  Inputs
are written to a temporary directory, never into the repository.
"""

from __future__ import annotations

import os

# One core: a threaded BLAS would spread (and, on a busy machine, stall) the tiny products.
_SET_HERE = [
    v for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS") if v not in os.environ
]
for _variable in _SET_HERE:
    os.environ[_variable] = "1"
# The commands timed run as a user starts them: with the user's BLAS threads, and with bytecode
# written once and then read (as a pip install compiles it), whatever this process is given.
_NOT_FOR_CHILDREN = {*_SET_HERE, "PYTHONDONTWRITEBYTECODE"}

import argparse  # noqa: E402 - after the thread limits, which must precede numpy's import
import gzip  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402

from summarize_speed import CNNDM, inbrief_method, sumy_lexrank  # noqa: E402

from inbrief.batch.stream import stream_jsonl  # noqa: E402
from inbrief.evaluate.summaries import read_dataset  # noqa: E402
from inbrief.text import detect_language, langid_model, normalize_language  # noqa: E402
from inbrief.text.language import language_sample  # noqa: E402

DEMO = Path(__file__).resolve().parents[1] / "src" / "inbrief" / "data" / "demo" / "articles.jsonl"
THREE_LINES = (
    "Council votes to close the old bridge\n\n"
    "The city council voted on Monday to close the old bridge for repairs, the mayor said.\n"
    "The work will take six months and cost about two million dollars, officials said.\n"
)
GOAL_RATE = 1000.0
GOAL_COLD_SECONDS = 0.4


def write_inputs(folder: Path, count: int, data: Path) -> dict[str, Path]:
    """The JSONL inputs: CNN/DailyMail as ``{"id", "text"}``, the demo articles as
    ``{"id", "text", "title", "date"}`` and again with their ``language``."""
    cnndm = folder / "cnndm.jsonl"
    with cnndm.open("w", encoding="utf-8") as out:
        for item in read_dataset(data, count):
            out.write(json.dumps({"id": item.id, "text": item.article}) + "\n")
    demo, demo_language = folder / "demo.jsonl", folder / "demo-language.jsonl"
    with (
        DEMO.open(encoding="utf-8") as lines,
        demo.open("w", encoding="utf-8") as plain,
        demo_language.open("w", encoding="utf-8") as tagged,
    ):
        for line in lines:
            record = json.loads(line)
            row = {"id": record["id"], "text": record["body"], "title": record["title"]}
            plain.write(json.dumps({**row, "date": record["date"]}, ensure_ascii=False) + "\n")
            tagged.write(json.dumps({**row, "language": record["language"]}) + "\n")
    three = folder / "three-lines.txt"
    three.write_text(THREE_LINES, encoding="utf-8")
    return {"cnndm": cnndm, "demo": demo, "demo-language": demo_language, "three": three}


def in_process(lines: Sequence[str], texts: Sequence[str], repeat: int) -> dict[str, float]:
    """Best CPU seconds of each row of figure 1 (round-robin passes, warm caches)."""
    sink = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - closed below

    def stream() -> None:
        stream_jsonl(lines, sink, progress=False)

    news = inbrief_method("news")
    runs: dict[str, Callable[[], object]] = {
        "news alone": lambda: [news(text) for text in texts],
        "--jsonl path": stream,
    }
    if importlib.util.find_spec("sumy") is not None:
        lexrank = sumy_lexrank()
        runs["sumy LexRank"] = lambda: [lexrank(text) for text in texts]
    best = dict.fromkeys(runs, float("inf"))
    stream()  # once before timing: stems, lexicon, the language model
    for _ in range(repeat):
        for name, run in runs.items():
            started = time.process_time()
            run()
            best[name] = min(best[name], time.process_time() - started)
    sink.close()
    return best


def command(tree: Path | None, *args: str) -> tuple[float, float, bytes]:
    """Run ``python -m inbrief ARGS`` from ``tree`` (this one when None): wall seconds, CPU
    seconds of the child, its stdout."""
    env = {k: v for k, v in os.environ.items() if k not in _NOT_FOR_CHILDREN}
    if tree is not None:
        env["PYTHONPATH"] = str(tree / "src")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "inbrief", *args], env=env, capture_output=True, check=False
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in (0, 1):
        sys.exit(f"inbrief {' '.join(args)} failed:\n{done.stderr.decode()}")
    return wall, cpu, done.stdout


def bare_python() -> tuple[float, float]:
    """Wall and CPU seconds of ``python -c pass``: the floor of any start-up."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def compare(inputs: dict[str, Path], old: Path) -> bool:
    """Whether this tree and ``old`` write the same bytes for every input; says where not."""
    same = True
    for name in ("cnndm", "demo", "demo-language"):
        new_lines = command(None, "summarize", "--jsonl", str(inputs[name]))[2].splitlines()
        old_lines = command(old, "summarize", "--jsonl", str(inputs[name]))[2].splitlines()
        differ = [
            number
            for number, (a, b) in enumerate(zip(new_lines, old_lines, strict=False), start=1)
            if a != b
        ]
        if len(new_lines) != len(old_lines):
            differ.append(min(len(new_lines), len(old_lines)) + 1)
        verdict = "identical" if not differ else f"{len(differ)} lines differ, first: {differ[0]}"
        print(f"  {name:<14} {len(new_lines):5d} lines: {verdict}")
        same = same and not differ
    return same


DEV_SETS = ("cnndm-dev", "orangesum-dev", "gazeta-ru-dev", "ter-es-dev")


def check_languages(data: Path) -> bool:
    """The language guess on every article of the four dev sets (see the module's docstring)."""
    import py3langid  # its own loader: the reference the cached model must match

    same = True
    print("language guess: cached model vs py3langid; 500-character sample vs whole text")
    for name in DEV_SETS:
        path = data / f"{name}.jsonl.gz"
        if not path.is_file():
            print(f"  {name}: not found")
            continue
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            texts = [json.loads(line)["article"] for line in lines]
        cached_differ = sample_differ = 0
        for text in texts:
            guess = detect_language(text)  # the bounded sample, through the cached model
            sample = language_sample(text)
            if sample and langid_model.identifier().rank(sample) != py3langid.rank(sample):
                cached_differ += 1
            whole = normalize_language(str(py3langid.classify(text.strip())[0]))
            if guess is not None and guess != whole:
                sample_differ += 1
        print(
            f"  {name:<14} {len(texts):5d} articles: cached model differs on {cached_differ}, "
            f"sample's answer differs from the whole text's on {sample_differ}"
        )
        same = same and not cached_differ
    return same


def compare_keyphrases(old: Path, data: Path, count: int, repeat: int) -> bool:
    """Key phrases alone, this tree's and ``old``'s (see the module's docstring)."""
    from inbrief.keyphrases import keyphrases_of
    from inbrief.text import Analysis, analyse

    alias = Path(tempfile.mkdtemp(prefix="inbrief-old-keyphrases-"))
    shutil.copytree(old / "src" / "inbrief" / "keyphrases", alias / "old_keyphrases")
    for module in (alias / "old_keyphrases").glob("*.py"):
        source = module.read_text(encoding="utf-8")
        module.write_text(source.replace("inbrief.keyphrases.", "old_keyphrases."), "utf-8")
    sys.path.insert(0, str(alias))
    from old_keyphrases import keyphrases_of as old_keyphrases_of

    sets: dict[str, list[Analysis]] = {}
    for name, language in zip(DEV_SETS, ("en", "fr", "ru", "es"), strict=True):
        if (data / f"{name}.jsonl.gz").is_file():
            items = read_dataset(data / f"{name}.jsonl.gz", count)
            sets[name] = [analyse(item.article, language) for item in items]
    with DEMO.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    sets["demo"] = [analyse(r["body"], r["language"]) for r in records]
    same = True
    print(f"key phrases alone, CPU, {repeat} interleaved passes: this tree vs {old}")
    for name, analyses in sets.items():
        spent = {"this": 0.0, "old": 0.0}
        differ = sum(keyphrases_of(a) != old_keyphrases_of(a) for a in analyses)
        for turn in range(repeat):
            runs = [("this", keyphrases_of), ("old", old_keyphrases_of)]
            for analysis in analyses:
                for label, run in runs if turn % 2 == 0 else runs[::-1]:
                    started = time.process_time()
                    run(analysis)
                    spent[label] += time.process_time() - started
        per_article = {
            label: 1000 * seconds / repeat / len(analyses) for label, seconds in spent.items()
        }
        print(
            f"  {name:<14} {len(analyses):5d} articles: {per_article['this']:.3f} ms vs "
            f"{per_article['old']:.3f} ms, {spent['this'] / spent['old']:.2f}x;"
            f" phrases differ on {differ}"
        )
        same = same and not differ
    shutil.rmtree(alias)
    return same


def main(argv: list[str] | None = None) -> int:
    """Print the three figures (and the byte comparison with ``--compare-with``)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--articles", type=int, default=1000, help="first N articles")
    parser.add_argument("--repeat", type=int, default=3, help="passes; the best one counts")
    parser.add_argument("--cold", type=int, default=5, help="cold starts; the best counts")
    parser.add_argument("--data", type=Path, default=CNNDM, help="JSON Lines dataset")
    parser.add_argument("--compare-with", type=Path, help="another source tree to compare")
    parser.add_argument("--languages", action="store_true", help="check the language guess")
    parser.add_argument("--keyphrases", action="store_true", help="key phrases vs the other tree")
    options = parser.parse_args(argv)
    if options.languages:
        return 0 if check_languages(options.data.parent) else 1
    if options.keyphrases:
        if options.compare_with is None:
            parser.error("--keyphrases needs --compare-with DIR")
        data = options.data.parent
        same = compare_keyphrases(options.compare_with, data, options.articles, options.repeat)
        return 0 if same else 1
    if not options.data.is_file():
        print(f"{options.data}: not found (the CNN/DailyMail dev set lives in ../shared/data)")
        return 1
    old = options.compare_with
    if old is not None and not (old / "src" / "inbrief").is_dir():
        print(f"{old}: not a source tree of inbrief (no src/inbrief)")
        return 1

    with tempfile.TemporaryDirectory(prefix="inbrief-jsonl-") as folder:
        inputs = write_inputs(Path(folder), options.articles, options.data)
        cache = Path(folder) / "cache"
        os.environ[langid_model.CACHE_ENV] = str(cache)  # the children's, and this process's
        first_run = command(None, "summarize", str(inputs["three"]))
        lines = inputs["cnndm"].read_text(encoding="utf-8").splitlines(keepends=True)
        texts = [json.loads(line)["text"] for line in lines]
        n = len(lines)

        best = in_process(lines, texts, options.repeat)
        ceiling = n / best["news alone"]
        print(
            f"1. in one process: {n} CNN/DailyMail dev articles, CPU time, best of {options.repeat}"
        )
        print(f"   {'':<16} {'articles/s':>10} {'ms/article':>10} {'x news':>7} {'x sumy':>7}")
        sumy = best.get("sumy LexRank")
        for name, seconds in best.items():
            rate = n / seconds
            versus = f"{seconds and sumy / seconds:7.1f}" if sumy else f"{'-':>7}"
            print(
                f"   {name:<16} {rate:10.0f} {1000 * seconds / n:10.3f} "
                f"{rate / ceiling:7.2f} {versus}"
            )

        print(f"2. the command: inbrief summarize --jsonl ({n} articles) > /dev/null, child CPU")
        trees: list[tuple[str, Path | None]] = [("this tree", None)]
        if old is not None:
            trees.append((f"{old}", old))
        for label, tree in trees:
            _, cpu, _ = command(tree, "summarize", "--jsonl", str(inputs["cnndm"]))
            print(
                f"   {label:<24} {n / cpu:7.0f} articles/s  {1000 * cpu / n:6.3f} ms/article"
                f"  {n / cpu / ceiling:5.2f} x news alone ({ceiling:.0f}/s in 1.)"
            )
        rate = n / command(None, "summarize", "--jsonl", str(inputs["cnndm"]))[1]
        print(
            f"   goal {GOAL_RATE:.0f} articles/s per core: "
            f"{'met' if rate >= GOAL_RATE else 'NOT met'} ({rate:.0f} on a second run)"
        )

        print(f"3. cold start: inbrief summarize three-lines.txt, best of {options.cold}")
        floor = [bare_python() for _ in range(options.cold)]
        print(
            f"   {'python -c pass':<24} wall {min(w for w, _ in floor):.3f} s"
            f"  CPU {min(c for _, c in floor):.3f} s"
        )
        cold_wall = 0.0
        for label, tree in trees:
            runs = [command(tree, "summarize", str(inputs["three"])) for _ in range(options.cold)]
            wall = min(w for w, _, _ in runs)
            cold_wall = cold_wall or wall
            print(f"   {label:<24} wall {wall:.3f} s  CPU {min(c for _, c, _ in runs):.3f} s")
        shutil.rmtree(cache)
        once = command(None, "summarize", str(inputs["three"]))
        print(
            f"   {'this tree, empty cache':<24} wall {once[0]:.3f} s  CPU {once[1]:.3f} s"
            f"  (the first run ever: {first_run[0]:.3f} s wall)"
        )
        print(
            f"   goal {GOAL_COLD_SECONDS} s: "
            f"{'met' if cold_wall <= GOAL_COLD_SECONDS else 'NOT met'}"
        )

        if old is None:
            return 0
        print(f"4. same bytes as {old}?")
        return 0 if compare(inputs, old) else 1


if __name__ == "__main__":
    sys.exit(main())
