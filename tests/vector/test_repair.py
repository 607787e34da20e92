"""Ship and engine repair on the NumPy engine: routing rules, conservation, chunking.

The analytic queueing checks (Erlang C, machine repair) and the rules both engines share
run for both engines in tests/repair; these are checks of the vector recursions.
"""

from __future__ import annotations

import numpy as np

from sim.runs.montecarlo import run
from tests.conftest import build_scenario
from tests.repair.cases import engines, ships


def metrics(scenario, replications=20, seed=3, chunk_size=2000):
    return run(scenario, replications, seed, chunk_size=chunk_size).outcomes.metrics


EMERGENT = {
    "homeport": "US",
    "emergent_per_year": 12,
    "emergent_days": {"exponential": {"mean": 40}},
}


def test_every_request_is_completed_or_still_open():
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
    found = metrics(scenario)
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


def test_a_yard_takes_no_work_before_it_opens_and_none_beyond_its_limit():
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
    found = metrics(scenario)
    assert np.all(found["ships.yard.late.availabilities"] == 0)
    assert np.all(found["ships.yard.short.availabilities"] == 0)
    assert np.all(found["ships.yard.home.wait_days"] > 0)  # one berth for eight ships


def test_earliest_completion_prefers_the_yard_that_finishes_first():
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
    found = metrics(sparse, replications=5)
    assert np.all(found["ships.yard.slow.availabilities"] == 0)
    crowded = build_scenario(
        years=3,
        **ships(
            yards, {"west": {"homeport": "US", "ships": 12, "cycle_days": 200, "planned_days": 50}}
        ),
    )
    found = metrics(crowded, replications=5)
    assert np.all(found["ships.yard.slow.availabilities"] > 0)
    assert np.all(found["ships.yard.fast.utilisation"] > found["ships.yard.slow.utilisation"] / 3)


def test_repair_metrics_do_not_depend_on_chunking():
    scenario = build_scenario(
        years=3,
        **ships(
            {"sd": {"country": "US", "berths": 2}},
            {"west": {**EMERGENT, "ships": 4, "cycle_days": 365, "planned_days": 90}},
        ),
        **engines(),
    )
    whole = metrics(scenario, replications=600, chunk_size=2000)
    pieces = metrics(scenario, replications=600, chunk_size=250)
    for name, values in whole.items():
        if name.startswith(("ships", "engines")):
            assert np.array_equal(values, pieces[name], equal_nan=True), name


def test_an_availability_without_transit_queue_or_overrun_is_on_time():
    # Emergent repairs at a yard with berths to spare: due day = request + work exactly,
    # reached by a different sum; rounding must not make any of them late.
    scenario = build_scenario(
        years=3,
        **ships(
            {"sd": {"country": "US", "berths": 50, "duration_factor": 1}},
            {"west": {**EMERGENT, "emergent_days": {"uniform": [10.1, 77.3]}}},
        ),
    )
    found = metrics(scenario, replications=30)
    assert np.all(found["ships.late_share"] == 0)
    assert np.all(found["ships.delay_days"] == 0)
