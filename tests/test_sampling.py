"""Random streams: keyed by parameter name and replication block, never by call order."""

from __future__ import annotations

import numpy as np

from sim.network import compile_network
from sim.sampling import sample_parameters
from sim.streams import BLOCK
from tests.conftest import build_scenario

ITEMS = {"missile": {}, "motor": {}}


def two_lines(extra_line: bool = False) -> dict:
    lines = {
        "a": {
            "country": "US",
            "makes": "missile",
            "capacity": {
                "initial": {"uniform": [100, 200]},
                "growth_cap": {"triangular": [0, 0.1, 0.3]},
            },
            "yield": {"beta": [20, 1]},
            "disruptions": {"per_year": 1, "days": {"exponential": {"mean": 20}}},
        },
    }
    if extra_line:
        lines["b"] = {
            "country": "US",
            "makes": "motor",
            "capacity": {"initial": {"uniform": [1, 2]}},
        }
    return {"items": ITEMS, "lines": lines}


def test_a_chunk_sees_the_same_draws_as_the_whole_run():
    network = compile_network(build_scenario(**two_lines()))
    whole = sample_parameters(network, 7, range(0, 3 * BLOCK))
    part = sample_parameters(network, 7, range(BLOCK - 10, 2 * BLOCK + 5))
    rows = slice(BLOCK - 10, 2 * BLOCK + 5)
    for name, values in whole.named.items():
        assert np.array_equal(values[rows], part.named[name]), name
    width = part.failures[0].shape[1]
    assert np.array_equal(whole.failures[0][rows][:, :width], part.failures[0])
    assert np.array_equal(
        whole.disruptions[0].start[rows][:, : part.disruptions[0].start.shape[1]],
        part.disruptions[0].start,
    )


def test_different_seeds_give_different_draws():
    network = compile_network(build_scenario(**two_lines()))
    first = sample_parameters(network, 1, range(100))
    second = sample_parameters(network, 2, range(100))
    assert not np.array_equal(
        first.by_name()["lines.a.capacity.initial"], second.by_name()["lines.a.capacity.initial"]
    )


def test_adding_a_line_leaves_the_other_draws_untouched():
    before = sample_parameters(compile_network(build_scenario(**two_lines())), 5, range(300))
    after = sample_parameters(
        compile_network(build_scenario(**two_lines(extra_line=True))), 5, range(300)
    )
    for name, values in before.named.items():
        assert np.array_equal(values, after.named[name]), name
    assert "lines.b.capacity.initial" in after.by_name()


def test_draws_follow_their_distribution():
    network = compile_network(build_scenario(**two_lines()))
    draws = sample_parameters(network, 3, range(4 * BLOCK)).by_name()["lines.a.capacity.initial"]
    # uniform [100, 200]: mean 150, sd 100/sqrt(12); 4 standard errors
    standard_error = (100 / np.sqrt(12)) / np.sqrt(draws.size)
    assert abs(draws.mean() - 150) < 4 * standard_error
    assert draws.min() >= 100 and draws.max() <= 200
