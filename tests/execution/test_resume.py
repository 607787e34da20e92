"""``sim run`` interrupted — killed, Ctrl-C — and run again: the same report as one go."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.cli.main import main
from sim.execution.chunk import ChunkTask, compute_chunk
from sim.loading import load_scenario
from sim.network import compile_network
from sim.runs.checkpoint import Checkpoint, checkpoint_for
from tests.command_line import as_from_a_terminal

SCENARIO = """\
name: resumable
start_year: 2026
years: 3
items:
  missile: {unit: missiles}
  motor: {unit: motors}
lines:
  motor:
    country: JP
    makes: motor
    capacity: {initial: {uniform: [200, 400]}}
    routes: {line: [m1], allocation: priority}
    disruptions: {per_year: 1, days: 30}
  m1:
    country: US
    makes: missile
    capacity: {initial: 300}
    inputs: {motor: 1}
    yield: 0.95
    flow_days: {triangular: [20, 60, 120]}
shipping_days: {JP-US: {uniform: [20, 40]}}
stockpiles:
  missile: {US: 300}
demand:
  - {item: missile, owner: US, per_year: 400}
"""
REPLICATIONS = "2500"
CHUNKS = 10


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "resumable.yaml"
    path.write_text(SCENARIO)
    return path


def command(scenario: Path, out: Path, *extra: str, replications: str = REPLICATIONS) -> list[str]:
    return [
        "run",
        str(scenario),
        "--reps",
        replications,
        "--chunk-size",
        "250",
        "--out",
        str(out),
        "--quiet",
        *extra,
    ]


def start(arguments: list[str]) -> subprocess.Popen:
    """`sim` in its own process group, as a shell would start it."""
    return subprocess.Popen(
        [sys.executable, "-m", "sim", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=as_from_a_terminal,
    )


def wait_for_chunks(out: Path, count: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while len(list((out / ".chunks").glob("chunk-*"))) < count:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "no chunks were saved"
        time.sleep(0.02)


def numbers(out: Path) -> dict:
    report = json.loads((out / "report.json").read_text())
    return {"metrics": report["metrics"], "series": report["series"], "run": report["run"]}


def test_a_killed_run_resumes_to_the_report_of_an_uninterrupted_one(
    scenario, tmp_path, monkeypatch
):
    out = tmp_path / "out"
    process = start(command(scenario, out, "--workers", "2"))
    wait_for_chunks(out, 2, process)
    os.killpg(process.pid, signal.SIGKILL)  # the run and its workers, without warning
    process.wait()
    assert not (out / "report.json").exists()
    saved = len(list((out / ".chunks").glob("chunk-*")))
    assert 2 <= saved < CHUNKS

    writes = []
    original = Checkpoint.save
    monkeypatch.setattr(Checkpoint, "save", lambda self, r: writes.append(r) or original(self, r))
    assert main(command(scenario, out, "--workers", "2")) == 0
    assert len(writes) == CHUNKS - saved  # only the missing chunks were simulated
    assert not (out / ".chunks").exists()  # the finished report replaced the folder

    # the same numbers as one process running every chunk in one go
    assert main(command(scenario, tmp_path / "uninterrupted", "--workers", "1")) == 0
    resumed, whole = numbers(out), numbers(tmp_path / "uninterrupted")
    assert resumed["metrics"] == whole["metrics"] and resumed["series"] == whole["series"]
    assert (out / "replications.csv").read_bytes() == (
        tmp_path / "uninterrupted" / "replications.csv"
    ).read_bytes()


def test_ctrl_c_stops_cleanly_with_a_note_on_how_to_resume(scenario, tmp_path):
    out = tmp_path / "out"
    process = start(command(scenario, out, "--workers", "2"))
    wait_for_chunks(out, 1, process)
    os.killpg(process.pid, signal.SIGINT)  # the terminal sends it to the whole group
    _, errors = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Traceback" not in errors
    (line,) = errors.strip().splitlines()
    assert line.startswith("interrupted; ")
    assert line.endswith(
        f"of {CHUNKS} chunks saved in {out / '.chunks'} — rerun the same command to resume"
    )
    assert not (out / "report.json").exists()
    # the part's wall time is kept for the report of the resumed run
    kept = json.loads((out / ".chunks" / "parts.json").read_text())
    assert len(kept["wall_seconds"]) == 1 and kept["wall_seconds"][0] > 0


def test_chunks_of_another_seed_are_refused_until_fresh(scenario, tmp_path, capsys):
    out = tmp_path / "out"
    seed_one = checkpoint_for(out / ".chunks", load_scenario(scenario), 1, "vector")
    seed_one.save(compute_chunk(ChunkTask(compile_network(load_scenario(scenario)), 1, range(250))))
    assert main(command(scenario, out, "--seed", "2")) == 2
    error = capsys.readouterr().err.strip()
    assert error == (
        f"sim: {out / '.chunks'} holds chunks of a different run (seed 1 → 2); rerun with "
        "--fresh to discard them, or choose another --out"
    )
    assert main([*command(scenario, out, "--seed", "2", "--fresh"), "--reps", "250"]) == 0
    assert numbers(out)["run"]["seed"] == 2
