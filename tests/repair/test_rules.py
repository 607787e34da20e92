"""Repair rules held in both engines: routing, certification, conservation of engines.

Each rule is written once and run on the DES and the vector engine through the metrics
`sim run` reports (:func:`tests.engines.metrics`). What only one engine can show (the
DES's visits and the state of its pools at each event) is tested beside that engine.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import build_scenario
from tests.engines import ENGINES, metrics
from tests.repair.cases import engines, ships

WEST = {"homeport": "US", "ships": 10, "cycle_days": 300, "planned_days": 120}


@pytest.mark.parametrize("engine", ENGINES)
def test_home_routing_keeps_ships_in_their_homeport_country(engine):
    yards = {"sd": {"country": "US", "berths": 1}, "yoko": {"country": "JP", "berths": 9}}
    scenario = build_scenario(years=3, **ships(yards, {"west": WEST}, routing="home"))
    found = metrics(engine, scenario, replications=5)
    assert np.all(found["ships.yard.yoko.availabilities"] == 0)
    assert np.all(found["ships.yard.sd.availabilities"] > 0)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_failed_certification_means_the_hub_never_repairs(engine):
    hub = {"country": "JP", "lines": 5, "turnaround_days": 10}
    tinker = {"country": "US", "lines": 1, "turnaround_days": 90}
    never = {"tinker": tinker, "hub": {**hub, "certification": {"days": 100, "success": 0.0}}}
    found = metrics(engine, build_scenario(years=3, **engines(depots=never)), 5, seed=2)
    assert np.all(found["engines.F110.depot.hub.repairs"] == 0)
    assert np.all(found["engines.F110.depot.hub.opened"] == 0)
    sure = {"tinker": tinker, "hub": {**hub, "certification": {"days": 100, "success": 1.0}}}
    found = metrics(engine, build_scenario(years=3, **engines(depots=sure)), 5, seed=2)
    assert np.all(found["engines.F110.depot.hub.repairs"] > 0)
    assert np.all(found["engines.F110.depot.hub.opened"] == 1)


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=10, deadline=None, derandomize=True)
@given(
    installed=st.integers(1, 30),
    spares=st.integers(0, 10),
    rate=st.floats(0.1, 3.0),
    lines=st.integers(1, 3),
    turnaround=st.floats(5.0, 200.0),
    transport=st.sampled_from([0.0, 7.0]),
)
def test_engines_are_never_created_or_lost(
    engine, installed, spares, rate, lines, turnaround, transport
):
    depots = {
        "tinker": {
            "country": "US",
            "lines": lines,
            "turnaround_days": {"exponential": {"mean": turnaround}},
            "transport_days": transport,
        }
    }
    scenario = build_scenario(years=2, **engines(installed, spares, rate, depots))
    found = metrics(engine, scenario, replications=4)
    key = "engines.F110"
    bare, out = found[f"{key}.bare_firewalls"], found[f"{key}.in_repair"]
    assert np.all(bare >= 0) and np.all(bare <= installed)
    # Bare positions are engines out beyond the spares: never more than all engines out,
    # and exactly all of them when there are no spares.
    assert np.all(bare <= out + 1e-9)
    if spares == 0:
        assert np.allclose(bare, out)
    assert np.all(found[f"{key}.repairs"] <= found[f"{key}.removals"])
    assert np.allclose(found[f"{key}.availability"], 1 - bare / installed)
