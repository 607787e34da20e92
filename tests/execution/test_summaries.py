"""Summaries assembled column by column: the same bits from memory or from chunks on disk;
the sketch for columns beyond the budget stays within its stated error bound."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.execution.chunk import ChunkResult
from sim.execution.sketch import BINS, sketch_columns
from sim.execution.store import MemoryStore
from sim.execution.summaries import summarise_outcomes, summarise_store
from sim.network import compile_network
from sim.production.outcomes import Outcomes
from sim.runs.checkpoint import checkpoint_for
from sim.runs.montecarlo import chunk_ranges, run
from sim.simulation import simulate_chunk
from sim.stats import summarise
from sim.streams import BLOCK
from tests.execution.helpers import same_numbers, small_scenario


def test_packing_a_chunk_keeps_every_value():
    outcomes = simulate_chunk(compile_network(small_scenario()), 5, range(250, 500))
    back = ChunkResult.from_outcomes(outcomes).to_outcomes()
    assert back.replications == outcomes.replications and back.units == outcomes.units
    for name, values in outcomes.metrics.items():
        assert np.array_equal(back.metrics[name], values, equal_nan=True), name
    for name, values in outcomes.series.items():
        assert back.series[name].dtype == values.dtype
        assert np.array_equal(back.series[name], values), name


def test_a_run_summarised_from_disk_matches_the_one_held_in_memory(tmp_path):
    scenario = small_scenario()
    in_memory = run(scenario, 1100, 8)
    store = checkpoint_for(tmp_path, scenario, 8, "vector")
    on_disk = run(scenario, 1100, 8, chunk_size=500, store=store, memory_budget=0)
    assert on_disk.kept_outcomes is None  # over the budget: summaries only
    assert on_disk.summaries.percentiles == "exact"
    assert same_numbers(in_memory, on_disk)
    # reading one column at a time changes nothing either
    narrow = summarise_store(store, on_disk.ranges, budget=8 * 1100)
    assert narrow.metrics == on_disk.summaries.metrics


def test_every_summary_is_the_one_of_the_whole_column():
    outcomes = run(small_scenario(), 600, 2).outcomes
    summaries = summarise_outcomes(outcomes)
    for name, values in outcomes.metrics.items():
        assert summaries.metrics[name] == {"unit": outcomes.units[name], **summarise(values)}
    name, series = next(iter(outcomes.series.items()))
    assert summaries.series[name]["p50"][7] == float(np.percentile(series[:, 7], 50))


def columns_of(values: np.ndarray, chunk: int) -> list:
    """`values` (rows, replications) as a store of chunks of `chunk` replications."""
    store = MemoryStore()
    for part in chunk_ranges(values.shape[1], chunk):
        store.save(
            ChunkResult(
                replications=part,
                metric_names=tuple(f"m{i}" for i in range(values.shape[0])),
                units=("units",) * values.shape[0],
                metrics=values[:, part.start : part.stop],
                series_names=(),
                series_points=(),
                series_dtypes=(),
                series=np.empty((0, len(part)), dtype=np.float32),
            )
        )
    return store, chunk_ranges(values.shape[1], chunk)


def test_the_sketch_is_within_its_error_bound_and_independent_of_chunking():
    generator = np.random.default_rng(4)
    count = 3 * BLOCK + 37
    values = np.stack(
        [
            generator.lognormal(5, 1.2, count),  # skewed
            np.round(generator.normal(300, 40, count)),  # whole numbers with ties
            np.where(generator.random(count) < 0.2, np.nan, generator.random(count)),
            np.full(count, 7.0),  # constant: exact
        ]
    )
    store, ranges = columns_of(values, BLOCK)
    sketched = summarise_store(store, ranges, budget=8)  # no column fits: sketch
    assert sketched.percentiles == "histogram"
    other_store, other_ranges = columns_of(values, 2 * BLOCK)
    assert summarise_store(other_store, other_ranges, budget=8).metrics == sketched.metrics
    for row, name in enumerate(sketched.metrics):
        exact = summarise(values[row])
        summary = sketched.metrics[name]
        finite = values[row][np.isfinite(values[row])]
        bound = (finite.max() - finite.min()) / (2 * BINS)
        assert summary["percentile_error"] == pytest.approx(bound)
        assert summary["n"] == exact["n"]
        for key in ("p5", "p50", "p95"):
            assert abs(summary[key] - exact[key]) <= bound * (1 + 1e-9), (name, key)
        # merged moments equal the one-pass ones up to rounding (a few ulps of the sums)
        scale = np.abs(finite).max() * math.sqrt(count) * 1e-14
        assert summary["mean"] == pytest.approx(exact["mean"], abs=scale)
        assert summary["sd"] == pytest.approx(exact["sd"], rel=1e-12, abs=scale)


def test_the_sketch_of_a_column_with_no_values_is_undefined():
    values = np.full((1, BLOCK), np.nan)
    (summary,) = sketch_columns(lambda: iter([(0, values)]), 1)
    assert summary["n"] == 0 and summary["mean"] is None and summary["percentile_error"] is None


def test_an_outcomes_of_one_replication_is_summarised():
    outcomes = run(small_scenario(), 1, 3).outcomes
    summaries = summarise_outcomes(outcomes)
    assert all(s["n"] in (0, 1) for s in summaries.metrics.values())
    assert isinstance(outcomes, Outcomes)
