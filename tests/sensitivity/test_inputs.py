"""Recovering a run's inputs without its per-event draws (sim.sensitivity.inputs)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.loading import load_scenario
from sim.network import compile_network
from sim.sampling import sample_parameters
from sim.sensitivity.inputs import InputsOnlySampler, run_inputs, scenario_inputs


@pytest.mark.parametrize("name", ["baseline", "co-production", "contingency"])
def test_inputs_drawn_alone_are_those_of_a_full_sample(name: str):
    network = compile_network(load_scenario(f"scenarios/{name}.yaml"))
    replications = range(240, 530)  # across block boundaries, not aligned to them
    full = sample_parameters(network, 11, replications).named
    alone = sample_parameters(network, 11, replications, InputsOnlySampler).named
    assert list(alone) == list(full)
    for input_name, values in full.items():
        np.testing.assert_array_equal(alone[input_name], values, err_msg=input_name)
    recovered = run_inputs(network, 11, replications)
    assert list(recovered) == scenario_inputs(network, 11) == list(full)
    for input_name, values in full.items():
        np.testing.assert_array_equal(recovered[input_name], values, err_msg=input_name)


def test_inputs_alone_skip_the_per_event_draws():
    network = compile_network(load_scenario("scenarios/co-production.yaml"))
    alone = sample_parameters(network, 11, range(250), InputsOnlySampler)
    assert all(draws.candidate.shape[1] == 1 for draws in alone.engines)
    full = sample_parameters(network, 11, range(250))
    assert alone.ships.request.shape[1] < full.ships.request.shape[1]  # planned ones only
