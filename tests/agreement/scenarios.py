"""Small scenarios that each exercise one part of the production rules in both engines.

Every number that can be uncertain is, so the means are tested across a spread of
parameters, not at one point. Rates are kept at several units per step (the regime the
vector engine's step is meant for), and stocks never run at zero with supply just
matching demand (see docs/model.md, "Engine agreement", for why that regime is excluded).
"""

from __future__ import annotations

from collections.abc import Callable

from sim.scenario.model import Scenario
from tests.conftest import build_scenario

ITEMS = {
    "missile": {"unit": "missiles", "unit_cost_musd": {"uniform": [3, 5]}},
    "motor": {"unit": "motors"},
    "seeker": {"unit": "seekers"},
}


def ramp_only() -> Scenario:
    """One line: uncertain ramp, opening date and flow time, growing into a funded cap."""
    line = {
        "country": "US",
        "makes": "missile",
        "capacity": {
            "initial": {"uniform": [400, 500]},
            "target": 900,
            "growth_cap": {"uniform": [0.1, 0.25]},
            "ramp_start": "2026-04-01",
        },
        "opens": {"uniform": ["2026-01-01", "2026-09-01"]},
        "flow_days": {"triangular": [20, 60, 120]},
        "funded_per_year": {"uniform": [550, 700]},
    }
    return build_scenario(
        items=ITEMS, years=4, lines={"m": line}, stockpiles={"missile": {"US": 100}}
    )


def bill_of_materials() -> Scenario:
    """Two inputs, one shipped from Japan, and output exported between two stocks."""
    lines = {
        "motor-jp": {
            "country": "JP",
            "makes": "motor",
            "capacity": {"initial": {"uniform": [300, 420]}, "growth_cap": 0.1, "target": 600},
            "flow_days": {"uniform": [10, 30]},
            "routes": {"line": {"m": 1.0}},
        },
        "seeker-us": {
            "country": "US",
            "makes": "seeker",
            "capacity": {"initial": 500},
            "flow_days": 14,
            "routes": {"line": {"m": 1.0}},
        },
        "m": {
            "country": "US",
            "makes": "missile",
            "capacity": {"initial": 450, "growth_cap": 0.15, "target": 800},
            "inputs": {"motor": 1, "seeker": 1},
            "flow_days": {"triangular": [30, 60, 90]},
            "routes": {"stock": {"US": 0.8, "JP": 0.2}},
        },
    }
    return build_scenario(
        items=ITEMS,
        lines=lines,
        shipping_days={"JP-US": {"uniform": [20, 40]}, "US-JP": 14},
        stockpiles={"missile": {"US": 200, "JP": 50}},
    )


def shared_supplier(policy: str) -> Scenario:
    """A motor line in Japan short of what two missile lines need, one opening late."""
    lines = {
        "motor": {
            "country": "JP",
            "makes": "motor",
            "capacity": {"initial": {"uniform": [500, 800]}},
            "yield": 0.95,
            "flow_days": 21,
            "routes": {"line": ["a", "b"], "allocation": policy},
        },
        "a": {
            "country": "US",
            "makes": "missile",
            "capacity": {"initial": 450},
            "inputs": {"motor": 1},
            "flow_days": 45,
        },
        "b": {
            "country": "US",
            "makes": "missile",
            "capacity": {"initial": 300},
            "opens": {"uniform": ["2026-03-01", "2027-03-01"]},
            "inputs": {"motor": 1},
            "routes": {"stock": "JP"},
        },
    }
    return build_scenario(items=ITEMS, lines=lines, shipping_days={"JP-US": 30, "US-JP": 14})


def demand_with_backorders() -> Scenario:
    """Two demand streams by priority: stock runs out in 2026 and recovers in 2027."""
    line = {
        "country": "US",
        "makes": "missile",
        "capacity": {"initial": {"uniform": [200, 260]}, "growth_cap": 1.5, "target": 700},
        "flow_days": 30,
    }
    demand = [
        {"item": "missile", "owner": "US", "per_year": 300, "priority": 2},
        {
            "item": "missile",
            "owner": "US",
            "per_year": 150,
            "priority": 1,
            "start": "2026-06-01",
            "end": "2027-06-30",
        },
    ]
    return build_scenario(
        items=ITEMS,
        lines={"m": line},
        stockpiles={"missile": {"US": {"uniform": [50, 150]}}},
        demand=demand,
    )


def conflict() -> Scenario:
    """A conflict that may not happen, of uncertain start and length, on two stocks."""
    line = {
        "country": "US",
        "makes": "missile",
        "capacity": {"initial": 400, "growth_cap": {"uniform": [0.1, 0.3]}, "target": 800},
        "flow_days": 30,
    }
    war = {
        "name": "war",
        "start": {"uniform": ["2026-09-01", "2027-03-01"]},
        "days": {"uniform": [60, 120]},
        "probability": 0.7,
        "consumption_per_day": {"missile": {"US": {"uniform": [4, 8]}, "JP": 1}},
    }
    return build_scenario(
        items=ITEMS,
        lines={"m": line},
        stockpiles={"missile": {"US": 600, "JP": 100}},
        demand=[{"item": "missile", "owner": "US", "per_year": 250}],
        conflicts=[war],
    )


def yield_and_disruptions(conflicts: list[dict] | None = None) -> Scenario:
    """Uncertain yields and disruptions on a component line and its consumer."""
    lines = {
        "motor": {
            "country": "US",
            "makes": "motor",
            "capacity": {"initial": 600},
            "yield": {"beta": [18, 2]},
            "disruptions": {
                "per_year": 1.5,
                "days": {"exponential": {"mean": 40}},
                "capacity_lost": {"uniform": [0.3, 1.0]},
            },
            "routes": {"line": {"m": 1.0}},
        },
        "m": {
            "country": "US",
            "makes": "missile",
            "capacity": {"initial": 450},
            "inputs": {"motor": 1},
            "yield": 0.9,
            "flow_days": 40,
            "disruptions": {"per_year": 1, "days": {"uniform": [10, 60]}, "capacity_lost": 0.5},
        },
    }
    return build_scenario(
        items=ITEMS,
        lines=lines,
        stockpiles={"missile": {"US": 100}},
        demand=[{"item": "missile", "owner": "US", "per_year": 350}],
        conflicts=conflicts or [],
    )


def surge() -> Scenario:
    """A wartime surge, uncertain in every part, of a disrupted missile line whose motor
    supplier does not surge: the surge runs into its inputs."""
    war = {
        "name": "war",
        "start": {"uniform": ["2026-06-01", "2027-06-01"]},
        "days": {"uniform": [90, 240]},
        "probability": 0.8,
        "consumption_per_day": {"missile": {"US": {"uniform": [2, 5]}}},
        "surge": {
            "lines": ["m"],
            "after_days": {"uniform": [30, 120]},
            "ramp_days": {"uniform": [0, 90]},
            "hold_days": {"uniform": [0, 60]},
            "factor": {"uniform": [1.5, 2.5]},
            "approved": 0.7,
        },
    }
    return yield_and_disruptions([war])


def orders() -> Scenario:
    """A line funded by uncertain awards, late appropriations and a lead time, fed by motors."""
    lines = {
        "motor": {
            "country": "US",
            "makes": "motor",
            "capacity": {"initial": 360},
            "flow_days": {"uniform": [20, 40]},
            "routes": {"line": {"m": 1.0}},
        },
        "m": {
            "country": "US",
            "makes": "missile",
            "capacity": {"initial": {"uniform": [250, 330]}, "growth_cap": 0.15, "target": 450},
            "inputs": {"motor": 1},
            "flow_days": {"uniform": [60, 120]},
            "orders": {
                "2026": {"uniform": [180, 250]},
                "2027": {"units": {"2027": 250, "2028": {"uniform": [220, 330]}}},
            },
            "award_to_start_days": {"uniform": [30, 200]},
        },
    }
    return build_scenario(
        items=ITEMS,
        years=3,
        lines=lines,
        appropriations={"US": {"2027": {"uniform": [0, 120]}, "2028": {"uniform": [0, 90]}}},
        stockpiles={"missile": {"US": 400}},
        demand=[{"item": "missile", "owner": "US", "per_year": 120}],
    )


SCENARIOS: dict[str, tuple[Callable[[], Scenario], int]] = {
    "ramp only": (ramp_only, 200),
    "bill of materials, shipping": (bill_of_materials, 150),
    "shared supplier, priority": (lambda: shared_supplier("priority"), 150),
    "shared supplier, proportional": (lambda: shared_supplier("proportional"), 150),
    "demand, backorders, priorities": (demand_with_backorders, 200),
    "conflict": (conflict, 200),
    "yield and disruptions": (yield_and_disruptions, 150),
    "wartime surge": (surge, 100),
    "orders": (orders, 100),
}
"""Each scenario and the DES replications it gets (the vector engine gets 2000)."""
