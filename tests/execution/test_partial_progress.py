"""The progress bar moves within chunks, not only as they finish (sim/execution/partial.py),
and a run on a terminal shows a step for writing its report."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sim.execution import partial
from sim.execution.chunk import ChunkTask
from sim.network import compile_network
from sim.runs.montecarlo import run
from tests.engines import ENGINES
from tests.execution.helpers import halfway_then_compute, same_numbers, small_scenario
from tests.execution.test_resume import SCENARIO

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("engine", ENGINES)
def test_progress_arrives_before_the_chunk_ends_and_changes_no_number(engine):
    scenario = small_scenario()
    replications = 500 if engine == "vector" else 20
    heard: list[tuple[int, int]] = []
    watched = run(
        scenario,
        replications,
        3,
        engine,
        chunk_size=replications,  # one chunk: without news from inside, 0 then the end
        progress=lambda done, total: heard.append((done, total)),
    )
    within = [done for done, _ in heard if 0 < done < replications]
    assert len(within) >= 3, heard
    assert heard == sorted(heard) and heard[-1] == (replications, replications)
    assert same_numbers(watched, run(scenario, replications, 3, engine))


def test_a_chunk_reports_in_steps_of_at_least_one_percent():
    heard: list[float] = []
    task = ChunkTask(network=None, seed=1, replications=range(100))  # type: ignore[arg-type]
    with partial.reporting(lambda _, share: heard.append(share)):
        share = partial.tracker(task)
        assert share is not None
        progress = share.until(0.5)
        for step in range(1000):
            progress((step + 1) / 1000)
    assert heard == sorted(heard) and 40 <= len(heard) <= 51
    assert all(b - a >= partial.STEP - 1e-12 for a, b in itertools.pairwise(heard))
    assert 0.5 - partial.STEP < heard[-1] <= 0.5
    assert partial.tracker(task) is None  # nobody listens outside `reporting`


def _bars(stderr: str, unit: str) -> list[tuple[int, int]]:
    """Every 'done/total unit' the bar drew, its colours taken out."""
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", stderr)
    return [(int(a), int(b)) for a, b in re.findall(rf"(\d+)/(\d+) {unit}", plain)]


def test_a_run_on_a_terminal_moves_within_chunks_of_workers_and_while_writing(tmp_path):
    """As a user sees it: `sim run` on a terminal (rich told so by FORCE_COLOR), two
    chunks on two worker processes; the bar shows replications inside a chunk."""
    scenario = tmp_path / "resumable.yaml"
    scenario.write_text(SCENARIO)
    environment = {**os.environ, "FORCE_COLOR": "1", "COLUMNS": "160", "TERM": "xterm"}
    # the DES: a chunk of this small scenario takes seconds there (a vector chunk, a tenth
    # of one), so the bar is drawn while chunks run however fast or loaded the machine is
    command = ["run", str(scenario), "--engine", "des", "--reps", "500", "--chunk-size", "250"]
    command += ["--workers", "2"]
    finished = subprocess.run(
        [sys.executable, "-m", "sim", *command, "--out", str(tmp_path / "out")],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr
    shown = _bars(finished.stderr, "replications")
    assert any(done % 250 for done, _ in shown), shown  # inside a chunk, not at its end
    writing = _bars(finished.stderr, "files and figures")
    assert "Writing report" in finished.stderr
    assert writing and writing[-1][0] == writing[-1][1] > 10  # every file and figure


def test_a_dask_cluster_reports_progress_inside_its_chunks():
    """A chunk on a Dask worker logs how far it has got; the client hears it while the
    chunk still runs, and passes it on from its own thread, before the result."""
    distributed = pytest.importorskip(
        "distributed", reason="Dask distributed is not installed (pip install 'dicas-sim[dask]')"
    )
    from sim.execution.cluster import DaskCluster

    network = compile_network(small_scenario())
    task = ChunkTask(network, 3, range(250))
    heard: list[tuple[str, float]] = []
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster, set_as_default=False) as client,
    ):
        backend = DaskCluster(client, compute=halfway_then_compute)
        backend.run(
            [task],
            done=lambda finished, result: heard.append(("done", len(result.replications))),
            advance=lambda running, share: heard.append(("advance", share)),
        )
    assert heard[0] == ("advance", 0.5), heard
    assert heard[-1][0] == "done" and len(heard) == 2
