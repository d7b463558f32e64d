"""The ``inbrief`` command as a user runs it: a real process, real files, real exit codes."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from seed import seed_article, seed_layout_html

import inbrief

DEMO = Path(__file__).parents[1] / "src" / "inbrief" / "data" / "demo"
DEMO_PAGE = DEMO / "html" / "en-globalvoices-004-china-a-leaking-dam.html"


def run(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``inbrief ARGS`` in a fresh interpreter, as a user would (``env`` adds variables).

    The test server listens on loopback, which inbrief refuses to fetch unless allowed.
    """
    process = subprocess.run(
        [sys.executable, "-m", "inbrief", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        env={**os.environ, "INBRIEF_ALLOW_PRIVATE": "127.0.0.1/32", **(env or {})},
    )
    return subprocess.CompletedProcess(
        process.args,
        process.returncode,
        process.stdout.decode("utf-8"),
        process.stderr.decode("utf-8"),
    )


def demo_text(index: int = 0) -> str:
    line = (DEMO / "articles.jsonl").read_text(encoding="utf-8").splitlines()[index]
    return str(json.loads(line)["body"])


@pytest.fixture
def article_file(tmp_path: Path) -> Path:
    path = tmp_path / "story.txt"
    path.write_text(demo_text(), encoding="utf-8")
    return path


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("inbrief: ")
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0]


def test_summarize_a_demo_page_prints_three_sentences_from_it() -> None:
    result = run("summarize", str(DEMO_PAGE), "--format", "json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert len(summary["sentences"]) == 3
    for sentence in summary["sentences"]:
        assert summary["text"][sentence["start"] : sentence["end"]] == sentence["text"]
    assert [s["index"] for s in summary["sentences"]] == sorted(
        s["index"] for s in summary["sentences"]
    )


def test_json_holds_metadata_keyphrases_and_stats(article_file: Path) -> None:
    summary = json.loads(run("summarize", str(article_file), "-f", "json", "-k", "4").stdout)
    assert summary["language"] == "en"
    assert len(summary["keyphrases"]) == 4
    stats = summary["stats"]
    assert stats["article_words"] > stats["summary_words"] > 0
    assert stats["minutes_saved"] > 0
    assert stats["method"] and stats["inbrief_version"]


def test_seed_layout_page_summarizes_to_article_sentences_only(tmp_path: Path) -> None:
    page = tmp_path / "seed.html"
    page.write_text(seed_layout_html(), encoding="utf-8")
    result = run("summarize", str(page), "--format", "json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    title, paragraphs = seed_article()
    assert summary["title"] == title
    assert len(summary["summary"]) == 3
    for sentence in summary["summary"]:
        assert any(sentence in paragraph for paragraph in paragraphs)


@pytest.mark.parametrize(
    ("budget", "check"),
    [
        (["--sentences", "2"], lambda s: len(s["sentences"]) == 2),
        (["--words", "60"], lambda s: s["stats"]["summary_words"] <= 60 or s["over_budget"]),
        (["--chars", "300"], lambda s: sum(len(x) for x in s["summary"]) <= 300),
        (["--ratio", "0.2"], lambda s: s["stats"]["summary_words"] > 0),
    ],
)
def test_each_budget_is_honoured(article_file: Path, budget: list[str], check) -> None:  # type: ignore[no-untyped-def]
    result = run("summarize", str(article_file), "-f", "json", *budget)
    assert result.returncode == 0, result.stderr
    assert check(json.loads(result.stdout))


@pytest.mark.parametrize("fmt", ["text", "markdown", "bullets"])
def test_text_formats_print_the_same_sentences(article_file: Path, fmt: str) -> None:
    sentences = json.loads(run("summarize", str(article_file), "-f", "json").stdout)["summary"]
    output = run("summarize", str(article_file), "-f", fmt).stdout
    for sentence in sentences:
        assert " ".join(sentence.split()) in output


def test_stdin_is_a_source(article_file: Path) -> None:
    from_file = run("summarize", str(article_file)).stdout
    from_stdin = run("summarize", "-", stdin=article_file.read_bytes()).stdout
    assert from_stdin == from_file != ""


def test_same_input_gives_byte_identical_output(article_file: Path) -> None:
    first = run("summarize", str(article_file), "-f", "json").stdout
    assert run("summarize", str(article_file), "-f", "json").stdout == first


def test_two_budgets_at_once_is_a_usage_error(article_file: Path) -> None:
    result = run("summarize", str(article_file), "--sentences", "2", "--words", "50")
    assert result.returncode == 2
    assert_one_line_error(result, "--sentences", "--words")


def test_unknown_method_is_a_usage_error(article_file: Path) -> None:
    result = run("summarize", str(article_file), "--method", "magic")
    assert result.returncode == 2
    assert_one_line_error(result, "magic")


def bad_inputs(tmp_path: Path) -> dict[str, Path]:
    png = tmp_path / "photo.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_text("   \n\n\t \n")
    no_article = tmp_path / "menu.html"
    no_article.write_text(
        "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>"
    )
    invalid = tmp_path / "invalid.txt"
    invalid.write_bytes(b"caf\xc3 \xff\xfe\x80 na\xefve \xc3\x28 \xa0\xa1" * 40)
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as sink:
        sink.truncate(64 * 1024 * 1024)
        sink.seek(0)
        sink.write(b"A sentence. " * 10)
    return {
        "missing": tmp_path / "nope.html",
        "directory": tmp_path,
        "png": png,
        "empty": empty,
        "whitespace": blank,
        "no article": no_article,
        "invalid utf-8": invalid,
        "too large": huge,
    }


@pytest.mark.parametrize(
    "case",
    [
        "missing",
        "directory",
        "png",
        "empty",
        "whitespace",
        "no article",
        "invalid utf-8",
        "too large",
    ],
)
def test_bad_file_gives_one_line_and_spares_the_others(
    tmp_path: Path, article_file: Path, case: str
) -> None:
    bad = bad_inputs(tmp_path)[case]
    result = run("summarize", str(bad), str(article_file))
    assert result.returncode == 1
    assert_one_line_error(result, bad.name)
    assert f"==> {article_file} <==" in result.stdout


def test_jsonl_stream_answers_each_line_in_order(tmp_path: Path) -> None:
    lines = [
        {"id": "a", "text": demo_text(0)},
        {"id": "b", "html": DEMO_PAGE.read_text(encoding="utf-8")},
        {"id": "c", "text": ""},
        {"id": "d"},
    ]
    batch = tmp_path / "batch.jsonl"
    batch.write_text(
        "\n".join(json.dumps(line) for line in lines) + "\n{not json\n", encoding="utf-8"
    )
    result = run("summarize", "--jsonl", str(batch), "--sentences", "2")
    assert result.returncode == 1
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o.get("id") for o in outputs] == ["a", "b", "c", "d", None]
    assert len(outputs[0]["summary"]) == 2 and outputs[0]["title"] is None
    assert outputs[1]["title"]
    assert all("error" in o for o in outputs[2:])
    assert "line 5" in outputs[4]["error"]


@pytest.mark.parametrize("command", ["summarize", "extract"])
def test_jsonl_reports_each_failed_line_on_stderr_too(tmp_path: Path, command: str) -> None:
    batch = tmp_path / "batch.jsonl"
    lines = [{"id": "a", "text": demo_text(0)}, {"id": "b", "text": ""}, {"id": "c"}]
    batch.write_text("".join(json.dumps(line) + "\n" for line in lines) + "{not json\n")

    result = run(command, "--jsonl", str(batch))

    errors = [json.loads(line)["error"] for line in result.stdout.splitlines()[1:]]
    assert result.stderr.splitlines() == [
        f"inbrief: line 2: {errors[0]}",
        f"inbrief: line 3: {errors[1]}",
        f"inbrief: {errors[2]}",  # a line that is not JSON says "line 4" itself
    ]
    assert errors[2].startswith("line 4: not valid JSON")


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\ude00\\ud83d"])
def test_a_lone_surrogate_escape_is_an_error_line_not_a_traceback(
    tmp_path: Path, escape: str
) -> None:
    batch = tmp_path / "surrogate.jsonl"
    good = json.dumps({"id": "good", "text": demo_text()})
    batch.write_text(f'{{"id": "{escape}", "text": "{escape} text"}}\n{good}\n')

    result = run("summarize", "--jsonl", str(batch))

    assert result.returncode == 1
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first == {"id": None, "error": first["error"]}
    assert "line 1: holds a lone surrogate" in first["error"]
    assert second["id"] == "good" and second["summary"]
    assert_one_line_error(result, "line 1: holds a lone surrogate")


def test_a_surrogate_pair_escape_is_one_character(tmp_path: Path) -> None:
    batch = tmp_path / "emoji.jsonl"
    batch.write_text(json.dumps({"id": "\U0001f600", "text": demo_text()}) + "\n")  # escaped

    result = run("summarize", "--jsonl", str(batch))

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "\U0001f600"


def test_jsonl_from_stdin_matches_single_summaries(article_file: Path) -> None:
    line = json.dumps({"id": 7, "text": article_file.read_text(encoding="utf-8")})
    streamed = json.loads(run("summarize", "--jsonl", "-", stdin=line.encode()).stdout)
    single = json.loads(run("summarize", str(article_file), "-f", "json").stdout)
    assert streamed["summary"] == single["summary"]
    assert streamed["sentences"] == single["sentences"]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_evaluation_dataset_summarizes_as_eval_scores_it(tmp_path: Path, language: str) -> None:
    # {"id", "article", "reference"} lines, as CNN/DailyMail and OrangeSum come: what
    # `summarize --jsonl` prints must be exactly what `eval summaries` scores.
    rows = [json.loads(line) for line in (DEMO / "articles.jsonl").read_text().splitlines()]
    dataset = tmp_path / "dataset.jsonl"
    with dataset.open("w", encoding="utf-8") as out:
        for row in [r for r in rows if r["language"] == language][:5]:
            record = {"id": row["id"], "article": row["body"], "reference": row["title"]}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    saved = tmp_path / "saved.jsonl"
    scored = run(
        "eval",
        "summaries",
        str(dataset),
        "--sentences",
        "2",
        "--lang",
        language,
        "--save",
        str(saved),
    )
    assert scored.returncode == 0, scored.stderr
    streamed = run("summarize", "--jsonl", str(dataset), "--sentences", "2")
    assert streamed.returncode == 0, streamed.stderr
    expected = [json.loads(line) for line in saved.read_text(encoding="utf-8").splitlines()]
    printed = [json.loads(line) for line in streamed.stdout.splitlines()]
    assert len(printed) == len(expected) == 5
    for mine, theirs in zip(printed, expected, strict=True):
        assert mine["id"] == theirs["id"]
        assert mine["language"] == language
        assert mine["summary"] == theirs["summary"]


def test_a_record_with_both_text_and_article_is_refused(tmp_path: Path) -> None:
    batch = tmp_path / "both.jsonl"
    batch.write_text(json.dumps({"id": "x", "text": "One.", "article": "Two."}) + "\n")
    result = run("summarize", "--jsonl", str(batch))
    assert result.returncode == 1
    assert "exactly one of text (or article), html or url" in json.loads(result.stdout)["error"]


def test_jsonl_passes_each_records_id_on_as_given(tmp_path: Path) -> None:
    # Unlike a batch (which needs an id to resume by), a stream answers records without one.
    ids = [7, 1.5, [1, 2], None]
    batch = tmp_path / "ids.jsonl"
    batch.write_text(
        "".join(json.dumps({"id": i, "text": demo_text()}) + "\n" for i in ids)
        + json.dumps({"text": demo_text()})
        + "\n"
    )
    result = run("summarize", "--jsonl", str(batch))
    assert result.returncode == 0, result.stderr
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in outputs] == [*ids, None]
    assert all("error" not in o for o in outputs)


def test_a_stray_byte_in_a_jsonl_file_spoils_one_field_not_the_line(tmp_path: Path) -> None:
    batch = tmp_path / "latin1.jsonl"
    line = json.dumps({"id": "x", "text": f"Caf@ owners met. {demo_text()}"}) + "\n"
    batch.write_bytes(line.encode().replace(b"@", b"\xe9"))  # a Latin-1 byte in UTF-8
    (output,) = [json.loads(x) for x in run("summarize", "--jsonl", str(batch)).stdout.splitlines()]
    assert "error" not in output
    assert output["text"].startswith("Caf\ufffd owners met.")


def test_a_jsonl_file_that_cannot_be_read_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = run("extract", "--jsonl", str(tmp_path / "gone.jsonl"))
    assert result.returncode == 1
    assert result.stdout == ""
    assert_one_line_error(result, "cannot read", "gone.jsonl", "No such file or directory")


def test_jsonl_and_sources_together_is_a_usage_error(tmp_path: Path, article_file: Path) -> None:
    result = run("summarize", str(article_file), "--jsonl", str(article_file))
    assert result.returncode == 2
    assert_one_line_error(result, "give either sources or --jsonl, not both")


def _on_a_terminal(
    args: list[str], *, stdout_too: bool = False
) -> tuple[subprocess.CompletedProcess[bytes], bytes]:
    """Run ``inbrief ARGS`` with stderr (and ``stdout_too``) on a pseudo-terminal; return the
    process and what the terminal showed."""
    main, terminal = pty.openpty()
    shown = bytearray()

    def drain() -> None:
        with contextlib.suppress(OSError):  # EIO once the child has closed the terminal
            while chunk := os.read(main, 4096):
                shown.extend(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    process = subprocess.run(
        [sys.executable, "-m", "inbrief", *args],
        stdout=terminal if stdout_too else subprocess.PIPE,
        stderr=terminal,
        timeout=120,
        env={**os.environ, "TERM": "xterm"},
    )
    os.close(terminal)
    reader.join(timeout=10)
    os.close(main)
    return process, bytes(shown)


def test_jsonl_shows_progress_on_a_terminal_and_still_writes_stdout(tmp_path: Path) -> None:
    batch = tmp_path / "one.jsonl"
    batch.write_text(json.dumps({"id": "a", "text": demo_text()}) + "\n")
    piped = run("summarize", "--jsonl", str(batch))
    assert piped.returncode == 0 and piped.stderr == ""  # no terminal, no progress

    process, shown = _on_a_terminal(["summarize", "--jsonl", str(batch)])

    assert process.returncode == 0
    assert b"articles" in shown
    assert process.stdout.decode("utf-8") == piped.stdout  # `> out.jsonl` gets every line


def test_jsonl_answers_on_a_terminal_are_their_own_progress(tmp_path: Path) -> None:
    batch = tmp_path / "one.jsonl"
    batch.write_text(json.dumps({"id": "a", "text": demo_text()}) + "\n")

    process, shown = _on_a_terminal(["summarize", "--jsonl", str(batch)], stdout_too=True)

    assert process.returncode == 0
    assert shown.startswith(b'{"id": "a", ')
    assert b"articles/s" not in shown


def test_extract_prints_title_and_paragraphs() -> None:
    result = run("extract", str(DEMO_PAGE), "--format", "json")
    assert result.returncode == 0, result.stderr
    article = json.loads(result.stdout)
    assert article["title"] and article["language"] == "en"
    assert len(article["text"].split("\n\n")) > 3


def test_extract_jsonl_streams_articles(tmp_path: Path) -> None:
    batch = tmp_path / "pages.jsonl"
    batch.write_text(json.dumps({"id": "p1", "html": DEMO_PAGE.read_text()}) + "\n")
    (output,) = [json.loads(x) for x in run("extract", "--jsonl", str(batch)).stdout.splitlines()]
    assert output["id"] == "p1" and output["title"] and output["text"]


def test_help_shows_examples() -> None:
    result = run("summarize", "--help")
    assert result.returncode == 0
    assert "inbrief summarize --jsonl" in result.stdout


# Every command, as ``inbrief ... --help`` is asked for it.
COMMANDS = [
    [],
    ["summarize"],
    ["extract"],
    ["serve"],
    ["add"],
    ["batch"],
    ["version"],
    ["feeds"],
    ["feeds", "add"],
    ["feeds", "list"],
    ["feeds", "poll"],
    ["eval"],
    ["eval", "summaries"],
    ["eval", "extraction"],
]
# What Typer writes where a value's name belongs: a Python type, or braces in the usage line.
PYTHON_TYPES = ("<str>", "<int>", "<float>", "<bool>", "<path>", "<list[", " range>")


def help_text(*command: str) -> str:
    """``inbrief COMMAND --help`` on a terminal wide enough that no line wraps."""
    result = run(*command, "--help", env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "inbrief")
def test_help_names_values_without_python_types(command: list[str]) -> None:
    shown = help_text(*command)
    usage = next(line for line in shown.splitlines() if "Usage:" in line)
    assert [name for name in PYTHON_TYPES if name in shown] == []
    assert "{" not in usage


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        (["summarize"], r"Usage: .* summarize \[OPTIONS\] \[SOURCE\]\.\.\."),
        (["batch"], r"Usage: .* batch \[OPTIONS\] INPUT\.\.\."),
        (["feeds", "add"], r"Usage: .* feeds add \[OPTIONS\] URL"),
        (["summarize"], r"--words\s+-w\s+N\s+At most this many words"),
        (["batch"], r"--out\s+-o\s+PATH\s"),
        (["serve"], r"--port\s+PORT\s"),
        (["add"], r"--database\s+-d\s+URL\s"),
        (["summarize"], r"--help\s+Show this message"),
        (["eval", "summaries"], r"--json\s+Machine-readable"),
    ],
)
def test_help_names_values_as_usage_lines_do(command: list[str], shown: str) -> None:
    assert re.search(shown, help_text(*command))


@pytest.mark.parametrize("command", [["summarize"], ["feeds", "add"], ["eval", "summaries"]])
def test_a_command_built_alone_helps_and_runs_as_in_the_whole_app(command: list[str]) -> None:
    # `inbrief summarize ...` builds only the summarize command (cli.command_app): the same
    # help as the whole app gives it.
    from typer.testing import CliRunner

    from inbrief.cli import app, command_app

    alone = command_app([*command, "--help"])
    built = [
        info.name or getattr(info.callback, "__name__", "") for info in alone.registered_commands
    ]
    assert [*built, *(group.name for group in alone.registered_groups)] == [command[0]]
    runner = CliRunner()
    whole = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    own = runner.invoke(alone, [*command, "--help"], env={"COLUMNS": "200"})
    assert own.exit_code == whole.exit_code == 0
    assert own.output == whole.output


def test_a_misspelt_command_is_answered_by_the_whole_app() -> None:
    result = run("sumarize", "story.txt")
    assert result.returncode == 2
    assert "Did you mean 'summarize'?" in result.stderr


def test_batch_help_explains_the_budget_options() -> None:
    shown = help_text("batch")
    for option, explained in [
        ("--sentences", "Summary length in sentences"),
        ("--words", "At most this many words"),
        ("--chars", "At most this many characters"),
        ("--ratio", "This share of the article's words"),
        ("--method", "Summarizer: news"),
        ("--keywords", "Key phrases"),
    ]:
        assert re.search(rf"{option}\s.*{explained}", shown), option


def test_version_option_prints_the_version() -> None:
    result = run("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == inbrief.__version__ == run("version").stdout.strip()


# Loads the app and runs it as the `inbrief` script does, then names the heavy packages loaded.
_MODULES_AFTER = """
import json, sys
from inbrief.cli import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
heavy = {"trafilatura", "lxml", "justext", "htmldate", "httpx", "sqlalchemy", "fastapi", "uvicorn"}
loaded = {name.partition(".")[0] for name in sys.modules}
print(json.dumps(sorted(heavy & loaded)), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "args", [["--help"], ["--version"], ["summarize", "--help"], ["batch", "--help"]], ids=str
)
def test_help_and_version_load_no_extraction_http_or_database_stack(args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _MODULES_AFTER, *args], capture_output=True, text=True, timeout=60
    )
    assert result.stdout  # the help or the version was printed
    assert json.loads(result.stderr.splitlines()[-1]) == []


# Runs the command as the `inbrief` script does, then says what BLAS was told and how many
# threads the process has.
_THREADS_AFTER = """
import os, sys
sys.argv = ["inbrief", "summarize", sys.argv[1]]
from inbrief.__main__ import run
try:
    run()
except SystemExit:
    pass
print(os.environ.get("OPENBLAS_NUM_THREADS"), len(os.listdir("/proc/self/task")), file=sys.stderr)
"""


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in /proc")
def test_the_command_runs_blas_on_one_thread_unless_the_user_chose(article_file: Path) -> None:
    def started(**env: str) -> tuple[str, int]:
        clean = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
        result = subprocess.run(
            [sys.executable, "-c", _THREADS_AFTER, str(article_file)],
            capture_output=True,
            text=True,
            timeout=60,
            env={**clean, **env},
        )
        told, threads = result.stderr.splitlines()[-1].split()
        return told, int(threads)

    told, one = started()
    assert told == "1"
    assert started(OMP_NUM_THREADS="2")[0] == "None"  # the user's choice stands
    if (os.cpu_count() or 1) >= 2:  # OpenBLAS starts no more threads than there are cores
        assert started(OPENBLAS_NUM_THREADS="2") == ("2", one + 1)


def test_a_text_file_is_summarized_without_the_html_http_or_database_stack(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(
        "The council voted on Tuesday to close the old bridge for repairs.\n"
        "Work will begin in the spring and last a year.\n"
        "Drivers will use the ferry in the meantime.\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-c", _MODULES_AFTER, "summarize", str(story)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "close the old bridge" in result.stdout
    assert json.loads(result.stderr.splitlines()[-1]) == []


def test_url_is_fetched_and_summarized(http_server) -> None:  # type: ignore[no-untyped-def]
    url = http_server.route("/story.html", DEMO_PAGE.read_bytes(), content_type="text/html")
    result = run("summarize", url, "-f", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["url"]


@pytest.mark.parametrize("case", ["404", "500", "png", "redirect loop", "refused"])
def test_bad_url_gives_one_line_and_spares_the_others(
    http_server,  # type: ignore[no-untyped-def]
    refused_url: str,
    article_file: Path,
    case: str,
) -> None:
    urls = {
        "404": http_server.url("/missing"),
        "500": http_server.route("/boom", "oops", status=500),
        "png": http_server.route("/p.png", b"\x89PNG\r\n\x1a\n", content_type="image/png"),
        "redirect loop": http_server.redirect("/a", "/b") and http_server.redirect("/b", "/a"),
        "refused": refused_url,
    }
    result = run("summarize", urls[case], str(article_file))
    assert result.returncode == 1
    assert_one_line_error(result)
    assert f"==> {article_file} <==" in result.stdout
