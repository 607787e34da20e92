"""Shared helpers: build scenarios from Python dicts and run them."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from sim.loading import parse_scenario
from sim.network import compile_network
from sim.sampling import sample_parameters
from sim.scenario.model import Scenario
from sim.scenario.yamlsource import SourceMap

HEADER = {"name": "test", "start_year": 2026, "years": 3, "time_step_days": 7}


def build_scenario(**sections: Any) -> Scenario:
    """A validated scenario from keyword sections (header keys default to HEADER)."""
    data = copy.deepcopy(HEADER)
    data.update(copy.deepcopy(sections))
    return parse_scenario(data, SourceMap("<test>"))


def tallies_of(scenario: Scenario, replications: int = 1, seed: int = 1):
    """Raw tallies of the vector engine (for invariants on internal counters)."""
    from sim.vector.production import run_tallies

    network = compile_network(scenario)
    return network, run_tallies(network, sample_parameters(network, seed, range(replications)))


@pytest.fixture
def scenario_builder():
    return build_scenario
