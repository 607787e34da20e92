"""Bounded memory: a run never holds more than a few chunks, and its report is assembled a
group of columns and a chunk of rows at a time.

The default tests check the two mechanisms directly with tracemalloc (which sees NumPy's
buffers); ``-m slow`` runs the full-size case: a million replications of co-production
within 2 GB of resident memory for the whole process tree.
"""

from __future__ import annotations

import gc
import gzip
import multiprocessing
import subprocess
import sys
import time
import tracemalloc
import weakref
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from sim.execution.chunk import ChunkResult
from sim.execution.inprocess import InProcess
from sim.execution.summaries import summarise_store
from sim.report import csv as table
from sim.runs.checkpoint import checkpoint_for
from sim.runs.montecarlo import chunk_ranges, run
from tests.execution.helpers import small_scenario

ROOT = Path(__file__).resolve().parents[2]


def test_a_run_keeps_no_finished_chunk_in_memory(tmp_path):
    """With a checkpoint store, each chunk's result is dropped once it is saved."""
    alive: list[weakref.ref] = []

    class Watching(InProcess):
        def run(self, tasks, done, advance=None):
            def watched(task, result):
                done(task, result)
                alive.append(weakref.ref(result))
                gc.collect()
                assert sum(ref() is not None for ref in alive) <= 1  # only the one just saved

            super().run(tasks, watched, advance)

    scenario = small_scenario()
    store = checkpoint_for(tmp_path, scenario, 1, "vector")
    result = run(
        scenario, 2000, 1, chunk_size=250, store=store, memory_budget=0, backend=Watching()
    )
    assert len(alive) == 8 and result.kept_outcomes is None


def synthetic_store(folder: Path, metrics: int, chunks: int, size: int):
    """`chunks` chunks of random values, as a run of metrics × chunks·size would leave,
    with their rows of the table packed as workers pack them."""
    generator = np.random.default_rng(0)
    store = checkpoint_for(folder, small_scenario(), 0, "vector")
    ranges = chunk_ranges(chunks * size, size)
    for part in ranges:
        values = np.round(generator.gamma(2.0, 50.0, (metrics, len(part))), 1)
        result = ChunkResult(
            replications=part,
            metric_names=tuple(f"metric.{i}" for i in range(metrics)),
            units=("units",) * metrics,
            metrics=values,
            series_names=("stock",),
            series_points=(24,),
            series_dtypes=("<f4",),
            series=generator.random((24, len(part))).astype(np.float32),
        )
        result.rows = table.pack_rows(result)
        store.save(result)
    return store, ranges


def measure_assembly(folder: Path, metrics: int, chunks: int, size: int) -> dict:
    """Build a synthetic store in `folder`, then trace the peaks of summarising it and of
    writing its table. Run in a fresh process: tracemalloc counts every thread's
    allocations, and threads other tests leave behind (a Dask client's event loop) would
    count against the bound."""
    store, ranges = synthetic_store(folder / ".chunks", metrics, chunks, size)
    budget = 3 * chunks * size * 8
    tracemalloc.start()
    try:
        summaries = summarise_store(store, ranges, budget=budget)
        summaries_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        name, digest = table.write_chunks((store.load(r) for r in ranges), chunks * size, folder)
        table_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    text = max(len(gzip.decompress(bytes(store.load(r).rows))) for r in ranges)
    return {
        "exact": summaries.percentiles == "exact",
        "replications": summaries.replications,
        "summaries_peak": summaries_peak,
        "table_peak": table_peak,
        "name": name,
        "digest": digest,
        "text": text,
    }


def test_the_report_of_a_large_run_is_assembled_in_bounded_memory(tmp_path):
    metrics, chunks, size = 40, 30, 1000
    column = chunks * size * 8
    budget = 3 * column
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=spawn) as fresh:
        measured = fresh.submit(measure_assembly, tmp_path, metrics, chunks, size).result()
    assert measured["exact"] and measured["replications"] == chunks * size
    values = metrics * column  # 9.6 MB, never all in memory
    # the column group (the budget); for one column its finite values, a sorted copy, the
    # deviations of np.std and a mask; a megabyte for the summaries and Python's objects
    assert measured["summaries_peak"] <= budget + 4 * column + 2**20 < values / 3
    # one chunk's rows unpacked, and its packed form; half a megabyte for the rest
    text = measured["text"]
    assert measured["table_peak"] <= 2 * text + 2**19
    name = measured["name"]
    assert name == table.PLAIN
    assert measured["digest"] == table.file_digest(tmp_path / name)
    written = (tmp_path / name).stat().st_size
    assert written > 4 * (2 * text + 2**19)
    assert len((tmp_path / name).read_text().splitlines()) == 1 + chunks * size


def test_a_huge_table_is_written_gzip_compressed(tmp_path, monkeypatch):
    store, ranges = synthetic_store(tmp_path / ".chunks", 5, 3, 250)
    monkeypatch.setattr(table, "COMPRESS_ABOVE", 1000)
    name, digest = table.write_chunks((store.load(r) for r in ranges), 750, tmp_path)
    assert name == table.COMPRESSED
    assert digest == table.file_digest(tmp_path / name)
    plain = tmp_path / "plain"
    plain.mkdir()
    monkeypatch.setattr(table, "COMPRESS_ABOVE", 2**40)
    table.write_chunks((store.load(r) for r in ranges), 750, plain)
    with gzip.open(tmp_path / name, "rb") as packed:
        assert packed.read() == (plain / table.PLAIN).read_bytes()


def tree_rss(pid: int) -> int:
    """Resident bytes of process `pid` and all its descendants, from /proc."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(
                int(line.split()[1]) * 1024
                for line in status.splitlines()
                if line.startswith("VmRSS")
            )
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, StopIteration):
            continue
    return total


@pytest.mark.slow
def test_a_million_replications_of_co_production_stay_within_2_gb(tmp_path):
    """The full-size run (about an hour on two cores): peak RSS of all processes ≤ 2 GB."""
    out = tmp_path / "million"
    arguments = [sys.executable, "-m", "sim", "run", str(ROOT / "scenarios" / "co-production.yaml")]
    arguments += ["--reps", "1000000", "--out", str(out), "--quiet", "--no-against"]
    process = subprocess.Popen(arguments, stderr=subprocess.PIPE, text=True)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid))
        time.sleep(0.5)
    assert process.returncode == 0, process.stderr.read()
    assert peak <= 2 * 2**30, f"peak resident memory {peak / 2**30:.2f} GB"
    assert (out / table.COMPRESSED).is_file()
    with gzip.open(out / table.COMPRESSED, "rt") as rows:
        assert sum(1 for _ in rows) == 1_000_001
