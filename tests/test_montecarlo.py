"""Monte Carlo runs: chunking never changes the numbers."""

from __future__ import annotations

import numpy as np
import pytest

from sim.runs.montecarlo import SMALLEST_SPLIT, automatic_chunk_size, chunk_ranges, plan_chunks, run
from sim.streams import BLOCK
from tests.conftest import build_scenario
from tests.conservation import ITEMS


def scenario():
    return build_scenario(
        items=ITEMS,
        lines={
            "motor": {
                "country": "JP",
                "makes": "motor",
                "capacity": {"initial": {"uniform": [200, 400]}},
                "routes": {"line": ["m1", "m2"], "allocation": "priority"},
                "disruptions": {"per_year": 1, "days": 30},
            },
            "m1": {
                "country": "US",
                "makes": "missile",
                "capacity": {"initial": 300},
                "inputs": {"motor": 1},
                "yield": 0.95,
                "flow_days": {"triangular": [20, 60, 120]},
            },
            "m2": {
                "country": "US",
                "makes": "missile",
                "capacity": {"initial": 200},
                "inputs": {"motor": 1},
            },
        },
        shipping_days={"JP-US": {"uniform": [20, 40]}},
        stockpiles={"missile": {"US": 300}},
        demand=[{"item": "missile", "owner": "US", "per_year": 400}],
    )


def test_chunks_cover_the_run_on_block_boundaries():
    ranges = chunk_ranges(1234, 600)
    assert [r.start for r in ranges] == [0, 500, 1000]
    assert ranges[-1].stop == 1234
    assert all(r.start % BLOCK == 0 for r in ranges)


@pytest.mark.parametrize("chunk", [250, 500, 2000])
def test_numbers_are_bit_identical_whatever_the_chunk_size(chunk):
    reference = run(scenario(), 700, 11, chunk_size=10_000).outcomes
    chunked = run(scenario(), 700, 11, chunk_size=chunk).outcomes
    assert reference.metrics.keys() == chunked.metrics.keys()
    for name, values in reference.metrics.items():
        assert np.array_equal(values, chunked.metrics[name], equal_nan=True), name


def test_different_seeds_give_different_numbers():
    first = run(scenario(), 250, 1).outcomes.metrics["item.missile.deliveries"]
    second = run(scenario(), 250, 2).outcomes.metrics["item.missile.deliveries"]
    assert not np.array_equal(first, second)


def test_a_shorter_run_is_a_prefix_of_a_longer_one():
    short = run(scenario(), 260, 4).outcomes.metrics["item.missile.deliveries"]
    long = run(scenario(), 900, 4).outcomes.metrics["item.missile.deliveries"]
    assert np.array_equal(short, long[:260])


def test_saved_chunks_are_reused_and_the_gaps_filled_whatever_their_size():
    saved = [range(0, 500), range(1000, 1250), range(2000, 3000)]
    plan = plan_chunks(2600, saved, 1000)
    assert plan == [
        range(0, 500),
        range(500, 1000),
        range(1000, 1250),
        range(1250, 2250),
        range(2250, 2600),
    ]
    # a saved chunk that reaches past the run is not used; overlapping ones are skipped
    assert plan_chunks(750, [range(0, 500), range(250, 750)], 250) == [
        range(0, 500),
        range(500, 750),
    ]


@pytest.mark.parametrize(
    ("replications", "slots", "engine", "size"),
    [
        (300, 2, "vector", 1000),  # small: one chunk, no workers started
        (1500, 2, "vector", 1000),  # two chunks, one each
        (10_000, 2, "vector", 1250),  # eight chunks: four rounds of two
        (10**6, 2, "vector", 1500),
        (10**6, 64, "vector", 1500),
        (3000, 4, "des", BLOCK),
    ],
)
def test_automatic_chunks_keep_every_worker_busy(replications, slots, engine, size):
    assert automatic_chunk_size(replications, slots, engine) == size
    if engine == "vector" and replications > SMALLEST_SPLIT:
        count = len(chunk_ranges(replications, size))
        assert count % slots == 0 or count > 4 * slots


def test_numbers_are_the_same_whether_kept_in_memory_or_read_back_from_chunks(tmp_path):
    from sim.runs.checkpoint import checkpoint_for

    reference = run(scenario(), 700, 11)
    store = checkpoint_for(tmp_path, scenario(), 11, "vector")
    chunked = run(scenario(), 700, 11, chunk_size=250, store=store, memory_budget=0)
    assert chunked.kept_outcomes is None
    assert chunked.summaries.metrics == reference.summaries.metrics
    read_back = np.concatenate([chunk.metrics for chunk in chunked.chunks()], axis=1)
    names = list(reference.outcomes.metrics)
    expected = np.stack([reference.outcomes.metrics[name] for name in names])
    assert np.array_equal(read_back, expected, equal_nan=True)
