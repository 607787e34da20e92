"""The vector and DES engines agree on every item and line metric (DESIGN §3, §7).

See :mod:`tests.agreement.agreement` for the two checks (means within Monte Carlo error
plus the discretisation bound; pairs of replications within their bound) and
docs/model.md, "Engine agreement", for where the bounds come from.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.des import run_tallies as des_tallies
from sim.loading import load_scenario
from sim.network import compile_network
from sim.sampling import sample_parameters
from sim.vector.production import run_tallies as vector_tallies
from tests.agreement.agreement import compare_engines, disagreements, summary
from tests.agreement.scenarios import SCENARIOS

SEED = 3
VECTOR_REPLICATIONS = 2000
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_engines_agree_on_every_metric(name):
    build, des_replications = SCENARIOS[name]
    results = compare_engines(build(), VECTOR_REPLICATIONS, des_replications, SEED)
    print(f"{name}: {summary(results)}")
    assert not disagreements(results), "\n".join(disagreements(results))


@pytest.mark.parametrize(
    "name", ["bill of materials, shipping", "shared supplier, priority", "conflict"]
)
def test_lines_without_inputs_start_the_same_units(name):
    # identical parameters: a line that needs no inputs and crosses no funded cap starts
    # its n-th unit when its capacity reaches n in both engines, so totals are equal
    scenario = SCENARIOS[name][0]()
    network = compile_network(scenario)
    parameters = sample_parameters(network, SEED, range(40))
    vector, des = vector_tallies(network, parameters), des_tallies(network, parameters)
    free = [
        line.index
        for line in network.lines
        if not line.stores and scenario.lines[line.name].funded_per_year is None
    ]
    assert free
    assert np.array_equal(vector.line_started[:, free], des.line_started[:, free])
    assert np.allclose(vector.line_capacity[:, free], des.line_capacity[:, free], rtol=1e-9)
    # and the pre-drawn failures give both engines the same scrapped units, once the same
    # units have finished
    finished_v = vector.line_started - vector.line_in_flow
    finished_d = des.line_started - des.line_in_flow
    same = finished_v == finished_d
    assert np.array_equal(vector.line_scrapped[same], des.line_scrapped[same])


@pytest.mark.slow
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_engines_agree_with_many_replications(name):
    build, _ = SCENARIOS[name]
    results = compare_engines(build(), 10_000, 1000, SEED + 1)
    print(f"{name}: {summary(results)}")
    assert not disagreements(results), "\n".join(disagreements(results))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["co-production", "contingency", "hindcast-pac3"])
def test_engines_agree_on_shipped_scenarios(name):
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    results = compare_engines(scenario, 4000, 100, scenario.seed)
    print(f"{name}: {summary(results)}")
    assert not disagreements(results), "\n".join(disagreements(results))
