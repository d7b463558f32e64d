"""The Ray engine on a real two-node Ray cluster, started here and stopped after.

The fixture runs ``ray start --head`` and ``ray start --address`` (a second node: its own raylet
and object store) on a loopback address, each with one CPU and a small object store, and stops
both by the process ids it started.  The checks: the Ray engine writes the same bytes as the
local engine, for JSONL and Parquet, and resumes the same way.

Ray is an extra (``inbrief[ray]``): without it these tests skip, except in CI, where they fail,
so a missing install cannot pass for a green run.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from inbrief.batch import run_batch

if os.environ.get("CI"):
    import ray  # noqa: F401  (CI installs the ray extra: a missing one must fail, not skip)
else:
    pytest.importorskip("ray")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

# Ray refuses 127.0.0.1 for a node of a multi-node cluster (it swaps in the machine's outward
# address); another loopback address keeps every byte between the nodes on this machine.
NODE_ADDRESS = "127.0.0.2"
NODE_MEMORY = str(80 * 1024 * 1024)  # object store per node: chunks are small, keep it so
STARTUP_SECONDS = 90
STOP_GRACE_SECONDS = 10

DEMO = Path(__file__).resolve().parents[1] / "src" / "inbrief" / "data" / "demo" / "articles.jsonl"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((NODE_ADDRESS, 0))
        return int(probe.getsockname()[1])


def _start_node(
    args: list[str], log: Path, temp_dir: str, environment: dict[str, str]
) -> subprocess.Popen[bytes]:
    ray = Path(sys.executable).with_name("ray")
    command = [
        str(ray),
        "start",
        *args,
        f"--node-ip-address={NODE_ADDRESS}",
        "--num-cpus=1",
        f"--object-store-memory={NODE_MEMORY}",
        f"--temp-dir={temp_dir}",
        "--disable-usage-stats",
        "--block",
    ]
    with log.open("wb") as sink:
        node = subprocess.Popen(
            command,
            stdout=sink,
            stderr=subprocess.STDOUT,
            env={**os.environ, **environment},
            start_new_session=True,  # its own process group: the node's processes, and no other
        )
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if b"Ray runtime started" in log.read_bytes():
            return node
        if node.poll() is not None:
            break
        time.sleep(0.2)
    _stop(node)
    pytest.fail(f"ray node did not start: {log.read_text(errors='replace')[-2000:]}")


def _stop(node: subprocess.Popen[bytes]) -> None:
    """Stop a node: SIGTERM lets `ray start --block` stop its processes; what is left of its
    process group after a grace period is killed."""
    node.send_signal(signal.SIGTERM)
    try:
        node.wait(timeout=STOP_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        node.kill()
        node.wait()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(node.pid, signal.SIGKILL)


@dataclass(frozen=True)
class Cluster:
    """A running Ray cluster: its address and what a driver needs in its environment."""

    address: str
    environment: dict[str, str]


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[Cluster]:
    """A running two-node Ray cluster (a head and a worker node) that asks for a token.

    The token is made here for this cluster alone.  Ray reads it when it is imported, so the
    batches run as drivers in their own processes, as ``inbrief batch`` would.
    """
    # Set, not left to Ray: a token file some earlier local Ray left in ~/.ray would make the
    # head demand a token that the worker node does not send.
    environment = {
        "RAY_USAGE_STATS_ENABLED": "0",
        "RAY_AUTH_MODE": "token",
        "RAY_AUTH_TOKEN": secrets.token_hex(32),
    }
    # A short directory: Ray's Unix sockets live under it and paths are limited to 107 bytes.
    temp_dir = tempfile.mkdtemp(prefix="inbrief-ray-", dir="/tmp")
    logs = Path(temp_dir)
    port = _free_port()
    address = f"{NODE_ADDRESS}:{port}"
    nodes: list[subprocess.Popen[bytes]] = []
    try:
        head = ["--head", f"--port={port}", "--include-dashboard=false"]
        nodes.append(_start_node(head, logs / "head.log", temp_dir, environment))
        worker = [f"--address={address}"]
        nodes.append(_start_node(worker, logs / "worker.log", temp_dir, environment))
        yield Cluster(address, environment)
    finally:
        # By the process groups started here; never `ray stop`, which stops every Ray on the
        # machine.
        for node in reversed(nodes):  # the worker node first, while its head still answers
            _stop(node)
        shutil.rmtree(temp_dir, ignore_errors=True)


def demo_rows(count: int) -> list[dict[str, Any]]:
    articles = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines()]
    return [
        {"id": f"{a['id']}#{n}", "body": a["body"], "title": a["title"], "language": a["language"]}
        for n, a in ((n, articles[n % len(articles)]) for n in range(count))
    ]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two inputs in two formats, with bad rows among good ones."""
    folder = tmp_path_factory.mktemp("archive")
    rows = demo_rows(30)
    first = folder / "a.jsonl"
    lines = [json.dumps(row) for row in rows[:15]]
    lines[3] = '{"id": "broken", "body": '
    lines[7] = json.dumps({"id": "no-text"})
    first.write_text("\n".join(lines) + "\n", encoding="utf-8")
    second = folder / "b.parquet"
    pq.write_table(pa.Table.from_pylist(rows[15:]), second, row_group_size=4)
    return [first, second]


_DRIVER = """
import json, sys
from dataclasses import asdict
from inbrief.batch import run_batch
inputs, out, address = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
report = run_batch(
    inputs, out, engine="ray", address=address, text_column="body", chunk_size=4
)
print(json.dumps({**asdict(report), "output": str(report.output)}))
"""


def run_on_ray(cluster: Cluster, inputs: list[Path], out: Path) -> dict[str, Any]:
    """Run the batch as a driver process connected to ``cluster``; return its report."""
    finished = subprocess.run(
        [sys.executable, "-c", _DRIVER, json.dumps([str(p) for p in inputs]), out, cluster.address],
        env={**os.environ, **cluster.environment},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    return dict(json.loads(finished.stdout.splitlines()[-1]))


def test_ray_writes_the_local_engines_jsonl_byte_for_byte(
    ray_cluster: Cluster, archive: list[Path], tmp_path: Path
) -> None:
    local = run_batch(archive, tmp_path / "local.jsonl", text_column="body", chunk_size=4)

    on_ray = run_on_ray(ray_cluster, archive, tmp_path / "ray.jsonl")

    assert (tmp_path / "ray.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert on_ray["workers"] == 2  # one actor per CPU of the cluster: both nodes joined
    counts = ("read", "summarized", "failed", "skipped")
    assert [on_ray[name] for name in counts] == [30, 28, 2, 0]
    assert [getattr(local, name) for name in counts] == [30, 28, 2, 0]


def test_ray_writes_the_local_engines_parquet_parts_byte_for_byte(
    ray_cluster: Cluster, archive: list[Path], tmp_path: Path
) -> None:
    run_batch(archive, tmp_path / "local.parquet", text_column="body", chunk_size=4)

    on_ray = run_on_ray(ray_cluster, archive, tmp_path / "ray.parquet")

    local = {part.name: part.read_bytes() for part in (tmp_path / "local.parquet").iterdir()}
    ray = {part.name: part.read_bytes() for part in (tmp_path / "ray.parquet").iterdir()}
    assert len(local) == 8  # 4 chunks of each input
    assert ray == local
    assert (on_ray["summarized"], on_ray["failed"]) == (28, 2)


def test_ray_resumes_what_a_local_run_left(
    ray_cluster: Cluster, archive: list[Path], tmp_path: Path
) -> None:
    run_batch(archive, tmp_path / "whole.jsonl", text_column="body", chunk_size=4)
    run_batch(archive[:1], tmp_path / "resumed.jsonl", text_column="body", chunk_size=4)

    on_ray = run_on_ray(ray_cluster, archive, tmp_path / "resumed.jsonl")

    # The first input's 13 rows are skipped; its 2 failed rows are tried again, after them.
    counts = (on_ray["skipped"], on_ray["retried"], on_ray["summarized"] + on_ray["failed"])
    assert counts == (13, 2, 17)
    resumed = (tmp_path / "resumed.jsonl").read_bytes().splitlines()
    assert sorted(resumed) == sorted((tmp_path / "whole.jsonl").read_bytes().splitlines())
