"""Conservation in every replication of both engines, on random networks and a shipped one.

The identities of docs/model.md (:mod:`tests.conservation`): units are neither made nor
lost on the way, and every unit of demand and conflict consumption due is accounted for.
The DES, slower per replication, runs fewer replications of each random network.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.loading import load_scenario
from sim.sampling import sample_parameters
from tests.conftest import build_scenario
from tests.conservation import assert_conserved, assert_requirements_accounted, networks
from tests.engines import ENGINES, tallies

ROOT = Path(__file__).resolve().parents[1]
REPLICATIONS = {"des": 4, "vector": 20}


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(), st.integers(0, 2**32))
def test_conservation_on_random_networks(engine, sections, seed):
    scenario = build_scenario(**sections)
    network, found = tallies(engine, scenario, REPLICATIONS[engine], seed)
    assert_conserved(network, found)
    parameters = sample_parameters(network, seed, range(REPLICATIONS[engine]))
    assert_requirements_accounted(network, parameters, found)


@pytest.mark.parametrize("engine", ENGINES)
def test_conservation_on_the_shipped_contingency_scenario(engine):
    scenario = load_scenario(ROOT / "scenarios" / "contingency.yaml")
    network, found = tallies(engine, scenario, replications=2)
    assert_conserved(network, found)
    assert_requirements_accounted(network, sample_parameters(network, 1, range(2)), found)
