"""Repair draws (sim.repair.draws): candidates the removal factor alone rules out."""

from __future__ import annotations

import numpy as np
import pytest

import sim.repair.draws
from sim.loading import load_scenario
from sim.network import compile_network
from sim.repair.draws import _drop_candidates
from sim.sampling import sample_parameters
from sim.simulation import simulate_chunk


def test_dropped_candidates_leave_the_others_in_order_with_their_draws():
    inf = np.inf
    times = np.array([[1.0, 2.0, 3.0, inf], [4.0, 5.0, inf, inf]])
    draws = np.stack([times * 10, times * 100])
    dropped = np.array([[False, True, False, False], [True, True, False, False]])
    kept, their_draws = _drop_candidates(times, draws, dropped)
    np.testing.assert_array_equal(kept, [[1.0, 3.0], [inf, inf]])
    np.testing.assert_array_equal(their_draws[:, 0], [[10.0, 30.0], [100.0, 300.0]])


def test_nothing_dropped_is_the_same_arrays():
    times = np.array([[1.0, np.inf]])
    draws = np.zeros((4, 1, 2))
    kept, their_draws = _drop_candidates(times, draws, np.zeros((1, 2), dtype=bool))
    assert kept is times and their_draws is draws


@pytest.mark.parametrize(("engine", "replications"), [("vector", range(300)), ("des", range(2))])
def test_dropping_what_the_factor_rules_out_changes_no_number(monkeypatch, engine, replications):
    """Contingency's conflicts triple engine removals: most candidates outside them go."""
    network = compile_network(load_scenario("scenarios/contingency.yaml"))
    dropped = simulate_chunk(network, 4, replications, engine)
    walked = [
        draws.candidate.shape[1] for draws in sample_parameters(network, 4, range(250)).engines
    ]
    monkeypatch.setattr(
        sim.repair.draws, "_drop_candidates", lambda times, draws, _: (times, draws)
    )
    every = simulate_chunk(network, 4, replications, engine)
    all_walked = [
        draws.candidate.shape[1] for draws in sample_parameters(network, 4, range(250)).engines
    ]
    assert all(few < many / 2 for few, many in zip(walked, all_walked, strict=True))
    assert dropped.metrics.keys() == every.metrics.keys()
    for name, values in every.metrics.items():
        np.testing.assert_array_equal(dropped.metrics[name], values, err_msg=name)
