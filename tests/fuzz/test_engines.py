"""Every valid generated scenario runs in both engines with units, ships and engines conserved.

The identities of docs/model.md ("Invariants the tests hold in every replication"),
checked on the raw tallies of each engine by :func:`tests.des.test_invariants.assert_conserved`
for production and :mod:`tests.fuzz.repair_invariants` for ship and engine repair. Repair
is exact in both engines (no time step), so there they must also agree replication by
replication, as tests/agreement/test_repair_agreement.py holds them to on fixed scenarios.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from sim.des import run_tallies as des_tallies
from sim.network import compile_network
from sim.sampling import sample_parameters
from sim.scenario.model import Scenario
from sim.vector.engines import simulate_engines
from sim.vector.production import run_tallies as vector_tallies
from sim.vector.ships import simulate_ships
from tests.conservation import assert_conserved, assert_requirements_accounted
from tests.fuzz.repair_invariants import (
    assert_repair_conserved,
    assert_repair_metrics_sane,
    checked_tallies,
    repair_metrics,
)
from tests.fuzz.strategies import dump, valid_documents
from tests.fuzz.test_loading import load

VECTOR, DES = 6, 2
"""Replications per example in each engine; the DES ones are the vector ones' first."""

RELATIVE = 1e-9
"""Repair agreement: rounding only (tests/agreement/test_repair_agreement.py)."""


def examples(count: int):
    """A fixed budget of `count` examples, the same every run."""
    return settings(
        max_examples=count,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def run_both(document: dict) -> None:
    """Load `document`, run it in both engines, and check conservation and agreement."""
    scenario = load(dump(document))
    assert isinstance(scenario, Scenario), scenario
    network = compile_network(scenario)
    found = {}
    for engine, count in (("vector", VECTOR), ("des", DES)):
        parameters = sample_parameters(network, scenario.seed, range(count))
        repair = checked_tallies(network, parameters)
        if engine == "vector":
            tallies = vector_tallies(network, parameters)
            if network.ships is not None:
                simulate_ships(network.ships, parameters.ships, network.calendar, repair.ships)
            for engine_network, draws, engine_tallies in zip(
                network.engines, parameters.engines, repair.engines, strict=True
            ):
                simulate_engines(engine_network, draws, network.calendar, engine_tallies)
        else:
            tallies = des_tallies(network, parameters, repair=repair)
        assert tallies.line_started.shape[0] == count
        assert_conserved(network, tallies)
        assert_requirements_accounted(network, parameters, tallies)
        assert np.all(np.isfinite(tallies.line_output))
        assert_repair_conserved(network, parameters, repair)
        found[engine] = repair_metrics(network, parameters, repair)
        assert_repair_metrics_sane(network, found[engine])
    vector, des = found["vector"], found["des"]
    assert sorted(vector) == sorted(des)
    for name, values in des.items():
        assert np.allclose(vector[name][:DES], values, rtol=RELATIVE, atol=1e-9, equal_nan=True), (
            name,
            vector[name][:DES],
            values,
        )


@examples(15)
@given(valid_documents())
def test_valid_scenarios_run_in_both_engines_conserving_units(document):
    run_both(document)


@examples(30)
@given(valid_documents(repair=True))
def test_valid_repair_scenarios_conserve_ships_and_engines_and_engines_agree(document):
    run_both(document)


@pytest.mark.slow
@examples(300)
@given(valid_documents(repair=True))
def test_many_valid_repair_scenarios_conserve_and_agree(document):
    run_both(document)
