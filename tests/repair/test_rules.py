"""Repair rules held in both engines: routing, certification, conservation of engines.

Each rule is written once and run on the DES and the vector engine through the metrics
`sim run` reports (:func:`tests.engines.metrics`). What only one engine can show (the
DES's visits and the state of its pools at each event) is tested beside that engine.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from tests.conftest import build_scenario
from tests.engines import ENGINES, metrics
from tests.repair.cases import POOLS, UNCERTAIN_WEST, certified_hub, engines, one_depot, ships

WEST = {"homeport": "US", "ships": 10, "cycle_days": 300, "planned_days": 120}
EMERGENT = {
    "homeport": "US",
    "emergent_per_year": 12,
    "emergent_days": {"exponential": {"mean": 40}},
}
PRODUCTION = {
    "items": {"PAC-3 MSE": {"unit": "missiles"}},
    "lines": {"pac3": {"country": "US", "makes": "PAC-3 MSE", "capacity": {"initial": 450}}},
    "stockpiles": {"PAC-3 MSE": {"US": 100}},
    "demand": [{"owner": "US", "item": "PAC-3 MSE", "per_year": 300}],
}


# --- wiring ---------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_a_repair_only_scenario_runs_and_reports_repair_metrics(engine):
    yards = {"sd": {"country": "US", "berths": 2}}
    scenario = build_scenario(**ships(yards, {"west": UNCERTAIN_WEST}), **engines())
    found = metrics(engine, scenario, 5, seed=2)
    assert not any(name.startswith(("item.", "line.")) for name in found)
    assert np.all(found["ships.availabilities"] + found["ships.open_end"] > 0)
    assert np.all(found["engines.F110.removals"] > 0)


@pytest.mark.parametrize("engine", ENGINES)
def test_repair_leaves_production_untouched(engine):
    alone = metrics(engine, build_scenario(**PRODUCTION), 4, seed=5)
    yards = {"sd": {"country": "US", "berths": 1}}
    both = build_scenario(**PRODUCTION, **ships(yards, {"west": UNCERTAIN_WEST}), **engines())
    together = metrics(engine, both, 4, seed=5)
    assert any(name.startswith("ships.") for name in together)
    for name, values in alone.items():
        assert np.array_equal(values, together[name], equal_nan=True), name


# --- routing, opening, limits, certification ------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_home_routing_keeps_ships_in_their_homeport_country(engine):
    yards = {"sd": {"country": "US", "berths": 1}, "yoko": {"country": "JP", "berths": 9}}
    scenario = build_scenario(years=3, **ships(yards, {"west": WEST}, routing="home"))
    found = metrics(engine, scenario, replications=5)
    assert np.all(found["ships.yard.yoko.availabilities"] == 0)
    assert np.all(found["ships.yard.sd.availabilities"] > 0)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_failed_certification_means_the_hub_never_repairs(engine):
    never = build_scenario(years=3, **engines(depots=certified_hub(0.0)))
    found = metrics(engine, never, 5, seed=2)
    assert np.all(found["engines.F110.depot.hub.repairs"] == 0)
    assert np.all(found["engines.F110.depot.hub.opened"] == 0)
    sure = build_scenario(years=3, **engines(depots=certified_hub(1.0)))
    found = metrics(engine, sure, 5, seed=2)
    assert np.all(found["engines.F110.depot.hub.repairs"] > 0)
    assert np.all(found["engines.F110.depot.hub.opened"] == 1)


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=10, deadline=None, derandomize=True)
@given(**POOLS)
def test_engines_are_never_created_or_lost(
    engine, installed, spares, rate, lines, turnaround, transport
):
    depots = one_depot(lines, turnaround, transport)
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


# --- conservation and routing of ships, seen in the metrics ------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_every_request_is_completed_or_still_open(engine):
    scenario = build_scenario(
        years=4,
        **ships(
            {"sd": {"country": "US", "berths": 1}, "yoko": {"country": "JP", "berths": 1}},
            {
                "west": {"homeport": "US", "ships": 6, "cycle_days": 500, "planned_days": 150},
                "japan": {**EMERGENT, "homeport": "JP"},
            },
            transit_days={"US-JP": 14, "JP-US": 14},
        ),
    )
    found = metrics(engine, scenario, 20, seed=3)
    for prefix in ("ships", "ships.fleet.west", "ships.fleet.japan"):
        done, still = found[f"{prefix}.availabilities"], found[f"{prefix}.open_end"]
        assert np.all(done >= 0) and np.all(still >= 0)
    total = found["ships.availabilities"] + found["ships.open_end"]
    by_fleet = sum(
        found[f"ships.fleet.{f}.availabilities"] + found[f"ships.fleet.{f}.open_end"]
        for f in ("west", "japan")
    )
    assert np.array_equal(total, by_fleet)
    by_yard = found["ships.yard.sd.availabilities"] + found["ships.yard.yoko.availabilities"]
    assert np.array_equal(by_yard, found["ships.availabilities"])
    # Six ships on a 500-day cycle over 4 years: 2 or 3 planned requests each.
    planned = found["ships.fleet.west.availabilities"] + found["ships.fleet.west.open_end"]
    assert np.all((planned >= 12) & (planned <= 18))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_yard_takes_no_work_before_it_opens_and_none_beyond_its_limit(engine):
    scenario = build_scenario(
        years=2,
        **ships(
            {
                "home": {"country": "US", "berths": 1},
                "late": {"country": "US", "berths": 5, "opens": "2030-01-01"},
                "short": {"country": "US", "berths": 5, "max_days": 100},
            },
            {"west": {"homeport": "US", "ships": 8, "cycle_days": 300, "planned_days": 150}},
        ),
    )
    found = metrics(engine, scenario, 20, seed=3)
    assert np.all(found["ships.yard.late.availabilities"] == 0)
    assert np.all(found["ships.yard.short.availabilities"] == 0)
    assert np.all(found["ships.yard.home.wait_days"] > 0)  # one berth for eight ships


@pytest.mark.parametrize("engine", ENGINES)
def test_earliest_completion_prefers_the_yard_that_finishes_first(engine):
    # Two idle yards: the slow one (factor 3) never finishes first; once the fast one is
    # booked far ahead, ships go to the slow one.
    yards = {
        "fast": {"country": "US", "berths": 1},
        "slow": {"country": "US", "berths": 1, "duration_factor": 3},
    }
    sparse = build_scenario(
        years=3,
        **ships(
            yards, {"west": {"homeport": "US", "ships": 1, "cycle_days": 400, "planned_days": 50}}
        ),
    )
    found = metrics(engine, sparse, 5, seed=3)
    assert np.all(found["ships.yard.slow.availabilities"] == 0)
    crowded = build_scenario(
        years=3,
        **ships(
            yards, {"west": {"homeport": "US", "ships": 12, "cycle_days": 200, "planned_days": 50}}
        ),
    )
    found = metrics(engine, crowded, 5, seed=3)
    assert np.all(found["ships.yard.slow.availabilities"] > 0)
    assert np.all(found["ships.yard.fast.utilisation"] > found["ships.yard.slow.utilisation"] / 3)


@pytest.mark.parametrize("engine", ENGINES)
def test_an_availability_without_transit_queue_or_overrun_is_on_time(engine):
    # Emergent repairs at a yard with berths to spare: due day = request + work exactly,
    # reached by a different sum; rounding must not make any of them late.
    scenario = build_scenario(
        years=3,
        **ships(
            {"sd": {"country": "US", "berths": 50, "duration_factor": 1}},
            {"west": {**EMERGENT, "emergent_days": {"uniform": [10.1, 77.3]}}},
        ),
    )
    found = metrics(engine, scenario, 30, seed=3)
    assert np.all(found["ships.late_share"] == 0)
    assert np.all(found["ships.delay_days"] == 0)
