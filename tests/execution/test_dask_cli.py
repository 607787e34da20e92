"""`sim run --scheduler` against a Dask cluster started the way users start one.

`dask scheduler` and `dask worker` run as separate processes on loopback; the CLI runs in
a subprocess pointed at the address. Its report.json must hold the numbers of an
in-process run. A test that hands in its own ``Client`` proved less: the CLI path once
failed with "No clients found" against a real scheduler.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip(
    "distributed", reason="Dask distributed is not installed (pip install 'dicas-sim[dask]')"
)

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "hindcast-pac3.yaml"  # small: the cluster is the point
DASK = Path(sys.executable).with_name("dask")
RUN = (sys.executable, "-m", "sim", "run", str(SCENARIO), "--quiet")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        time.sleep(0.2)
    raise TimeoutError(f"the scheduler did not open port {port} in {seconds} s")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def scheduler_address(tmp_path_factory) -> Iterator[str]:
    """A scheduler and two one-thread workers, each its own process, on loopback."""
    if not DASK.exists() and shutil.which("dask") is None:
        pytest.skip("the dask command is not installed")
    command = str(DASK) if DASK.exists() else "dask"
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path_factory.mktemp("dask")
    options = {"stdout": subprocess.DEVNULL, "cwd": logs}
    scheduler = subprocess.Popen(
        [command, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        stderr=(logs / "scheduler.log").open("w"),
        **options,
    )
    workers = []
    try:
        _wait_for_port(port, 60)
        workers = [
            subprocess.Popen(
                [command, "worker", address, "--nthreads", "1", "--no-dashboard"],
                stderr=(logs / f"worker-{n}.log").open("w"),
                **options,
            )
            for n in range(2)
        ]
        yield address
    finally:
        for process in [*workers, scheduler]:
            _stop(process)


def _run(*arguments: str, out: Path) -> dict:
    result = subprocess.run(
        [*RUN, "--reps", "500", "--chunk-size", "250", "--out", str(out), *arguments],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def test_the_cli_on_a_separately_started_cluster_gives_the_in_process_report(
    scheduler_address: str, tmp_path: Path
):
    clustered = _run("--scheduler", scheduler_address, out=tmp_path / "cluster")
    local = _run("--workers", "1", out=tmp_path / "local")
    assert clustered["metrics"] == local["metrics"]


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("not a url!!", "is not a Dask scheduler address"),
        ("tcp://127.0.0.1:1", "cannot reach the Dask scheduler at tcp://127.0.0.1:1"),
    ],
)
def test_a_bad_scheduler_address_fails_fast_with_one_line(
    address: str, message: str, tmp_path: Path
):
    started = time.monotonic()
    result = subprocess.run(
        [*RUN, "--reps", "250", "--scheduler", address, "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert time.monotonic() - started < 30  # the client's own timeout alone is 20 s + 40 s
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
