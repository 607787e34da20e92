"""Backends: the same numbers wherever chunks run; failures retried once, then the run stops."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest

from sim.execution import ChunkFailed
from sim.execution.chunk import ChunkTask, compute_chunk
from sim.execution.inprocess import InProcess
from sim.execution.processes import LocalProcesses
from sim.network import compile_network
from sim.runs.montecarlo import chunk_ranges, run
from tests.execution.helpers import (
    always_fail_at_500,
    die_once,
    fail_once,
    same_numbers,
    small_scenario,
)

REPLICATIONS = 1000
SEED = 11


@pytest.fixture(scope="module")
def reference():
    """One chunk, in this process: the numbers every other way must reproduce."""
    return run(small_scenario(), REPLICATIONS, SEED, chunk_size=10_000)


@pytest.fixture(scope="module")
def pool():
    """Two worker processes shared by this module's tests (starting them is the slow part)."""
    processes = LocalProcesses(2)
    yield processes
    processes.close()


def test_two_local_processes_give_the_identical_report(reference, pool):
    parallel = run(small_scenario(), REPLICATIONS, SEED, chunk_size=250, backend=pool)
    assert same_numbers(reference, parallel)


def test_a_dask_local_cluster_gives_the_identical_report(reference):
    distributed = pytest.importorskip(
        "distributed", reason="Dask distributed is not installed (pip install 'dicas-sim[dask]')"
    )
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        clustered = run(small_scenario(), REPLICATIONS, SEED, chunk_size=250, scheduler=client)
    assert same_numbers(reference, clustered)


def tasks() -> list[ChunkTask]:
    network = compile_network(small_scenario())
    return [ChunkTask(network, 3, chunk) for chunk in chunk_ranges(REPLICATIONS, 250)]


def collect(backend, chosen: list[ChunkTask]) -> dict:
    """Run `chosen` on `backend`; results by first replication."""
    results = {}
    backend.run(chosen, lambda task, result: results.setdefault(task.replications.start, result))
    return results


@pytest.fixture(params=["in-process", "local processes"])
def backend(request, pool):
    """Each backend that retries by itself; the test sets its compute function."""
    chosen = InProcess() if request.param == "in-process" else pool
    yield chosen
    chosen.compute = compute_chunk


def test_a_chunk_that_raises_once_is_retried(backend, tmp_path):
    chosen = tasks()
    backend.compute = partial(fail_once, str(tmp_path))
    results = collect(backend, chosen)
    assert sorted(results) == [0, 250, 500, 750]
    assert len(list(tmp_path.iterdir())) == 4  # every chunk failed once before succeeding
    expected = compute_chunk(chosen[2])
    assert np.array_equal(results[500].metrics, expected.metrics, equal_nan=True)


def test_a_killed_worker_process_is_replaced_and_its_chunk_retried(pool, tmp_path):
    pool.compute = partial(die_once, str(tmp_path))
    try:
        results = collect(pool, tasks())
    finally:
        pool.compute = compute_chunk
    assert sorted(results) == [0, 250, 500, 750]
    assert (tmp_path / "chunk-250").exists()  # the worker running it was killed once


def test_a_chunk_that_fails_twice_stops_the_run(backend):
    backend.compute = always_fail_at_500
    with pytest.raises(
        ChunkFailed, match=r"replications 500–749 failed twice \(ValueError: broken"
    ):
        collect(backend, tasks())


def test_a_failed_run_keeps_its_chunks_and_a_rerun_finishes_it(tmp_path, reference):
    from sim.runs.checkpoint import checkpoint_for

    scenario = small_scenario()
    store = checkpoint_for(tmp_path / ".chunks", scenario, SEED, "vector")
    with pytest.raises(ChunkFailed) as failed:
        run(
            scenario,
            REPLICATIONS,
            SEED,
            chunk_size=250,
            store=store,
            backend=InProcess(always_fail_at_500),
        )
    assert (failed.value.saved, failed.value.planned) == (2, 4)
    assert store.saved() == [range(0, 250), range(250, 500)]
    progress = []
    resumed = run(
        scenario,
        REPLICATIONS,
        SEED,
        chunk_size=250,
        store=checkpoint_for(tmp_path / ".chunks", scenario, SEED, "vector"),
        progress=lambda done, total: progress.append((done, total)),
    )
    # saved chunks count at once; the rest moves within chunks too, never backwards
    assert progress[0] == (500, 1000) and progress[-1] == (1000, 1000)
    assert (750, 1000) in progress and progress == sorted(progress)
    assert same_numbers(reference, resumed)
