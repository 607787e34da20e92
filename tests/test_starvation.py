"""Starved of what: starved days by input (sim.production.starvation), worked by hand, both engines.

A missile line that could make 450 a year needs one motor and one seeker a unit. The
cases differ only in how fast the motor and seeker lines are; shipping takes no time and
the lines start cold (empty stores), so each case is small enough to work on paper. The
conservation identities (max over inputs ≤ line ≤ sum over inputs) are held on random
networks by tests/test_conservation.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.production.starvation import share_out, short_inputs, short_slots
from tests.conftest import build_scenario
from tests.engines import ENGINES, STEP_DAYS, tallies

HORIZON_2 = 2 * 365
"""Days in 2026–2027."""
ITEMS = {
    "PAC-3 MSE": {"unit": "missiles"},
    "SRM": {"unit": "motors"},
    "Seeker": {"unit": "seekers"},
}


def two_suppliers(motors_per_year: float, seekers_per_year: float) -> dict:
    """pac3 (450/yr, one SRM and one seeker a unit) fed by an SRM and a seeker line."""

    def supplier(makes: str, rate: float) -> dict:
        return {
            "country": "US",
            "makes": makes,
            "capacity": {"initial": rate},
            "routes": {"line": {"pac3": 1.0}},
        }

    return {
        "years": 2,
        "warm_start": False,
        "items": ITEMS,
        "lines": {
            "srm": supplier("SRM", motors_per_year),
            "seeker": supplier("Seeker", seekers_per_year),
            "pac3": {
                "country": "US",
                "makes": "PAC-3 MSE",
                "capacity": {"initial": 450},
                "inputs": {"SRM": 1, "Seeker": 1},
            },
        },
    }


def starved(engine: str, motors: float, seekers: float) -> tuple[float, float, float]:
    """(line, SRM, seeker) starved days of pac3."""
    network, found = tallies(engine, build_scenario(**two_suppliers(motors, seekers)))
    pac3 = next(line for line in network.lines if line.name == "pac3")
    by_item = {network.items[network.stores[e].item]: e for e in pac3.stores}
    line = found.line_starved_days[0, pac3.index]
    return (
        line,
        found.store_starved_days[0, by_item["SRM"]],
        found.store_starved_days[0, by_item["Seeker"]],
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_the_slower_supplier_takes_the_starved_days(engine):
    # Motors come at 200/yr, seekers at 300/yr, and pac3 could use 450/yr: pac3 starts
    # unit k when motor k arrives (day 365k/200), by which time 1.5k seekers have come,
    # so it is short of motors whenever it is starved — (1 − 200/450) of the time — and
    # short of seekers only before the first seeker (day 365/300 − 365/450 ≈ 0.4 of a
    # day). The vector engine takes a step's arrivals at its start: after the step's
    # starts the seekers left over cover one more unit, so it counts none.
    line, motors, seekers = starved(engine, 200, 300)
    tolerance = {"des": 2, "vector": STEP_DAYS}[engine]
    assert line == pytest.approx(HORIZON_2 * 250 / 450, abs=tolerance)
    assert motors == pytest.approx(line, abs=1e-9)  # short in every starved spell
    assert seekers == pytest.approx(
        365 / 300 - 365 / 450, abs=1e-6 if engine == "des" else STEP_DAYS
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_inputs_short_on_the_same_days_each_count_them(engine):
    # Motors and seekers both come at 200/yr, at the same moments: every starved day is
    # short of both, so each input counts all of the line's starved days (the line total
    # is not doubled: it stays (1 − 200/450) of the horizon).
    line, motors, seekers = starved(engine, 200, 200)
    tolerance = {"des": 2, "vector": STEP_DAYS}[engine]
    assert line == pytest.approx(HORIZON_2 * 250 / 450, abs=tolerance)
    assert motors == pytest.approx(line, abs=1e-9)
    assert seekers == pytest.approx(line, abs=1e-9)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_line_fed_faster_than_it_works_is_starved_of_nothing_after_its_first_units(engine):
    # Both suppliers at 900/yr: after the first few days the stores always cover the
    # next unit, so the only starved time is the wait for the first motor and seeker.
    line, motors, seekers = starved(engine, 900, 900)
    assert line <= {"des": 365 / 900, "vector": STEP_DAYS}[engine]
    assert max(motors, seekers) <= line + 1e-9


def test_the_rule_marks_stores_below_one_units_worth():
    on_hand = np.array([[0, 3], [2, 1], [5, 0]])
    per_unit = np.array([[1], [2], [4]])
    assert short_inputs(on_hand, per_unit).tolist() == [[True, False], [False, True], [False, True]]
    assert short_inputs(on_hand, None).tolist() == [[True, False], [False, False], [False, True]]
    assert short_slots([0, 3, 1], [1, 2, 2]) == [0, 2]
    line_days = np.array([[4.0, 0.0], [7.0, 1.5]])
    short = np.array([[True, True], [False, True], [True, False]])
    shared = share_out(line_days, short, np.array([0, 1, 1]))
    assert shared.tolist() == [[4.0, 0.0], [0.0, 1.5], [7.0, 0.0]]
