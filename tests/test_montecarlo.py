"""Monte Carlo runs: chunking never changes the numbers."""

from __future__ import annotations

import numpy as np
import pytest

from sim.montecarlo import chunk_ranges, run
from sim.sampling import BLOCK
from tests.conftest import build_scenario
from tests.vector.test_invariants import ITEMS


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
