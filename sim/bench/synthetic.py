"""Scenarios with any number of production lines, for the lines series of the benchmark.

The vector engine's cost per step grows with the number of lines; to see how, the
benchmark needs scenarios that differ only in that number. Each is made of independent
copies of one small *line family* shaped like the shipped missile families: a motor line
and a seeker line (in Japan, so its output crosses the JP-US shipping lane) feeding a
final-assembly line whose missiles go to a stock that a demand stream draws on. Every
line has the uncertain capacity, yield, flow time and disruptions a shipped line has, so
the engine does the same kinds of work per line.
"""

from __future__ import annotations

import copy
from typing import Any

from sim.loading import parse_scenario
from sim.scenario.model import Scenario
from sim.scenario.yamlsource import SourceMap

LINES_PER_FAMILY = 3
"""Motor, seeker and final assembly."""

_UNCERTAIN_LINE = {
    "capacity": {
        "initial": {"triangular": [300, 400, 500]},
        "target": {"pert": [700, 900, 1200]},
        "growth_cap": {"triangular": [0.05, 0.15, 0.25]},
    },
    "yield": {"uniform": [0.92, 0.99]},
    "flow_days": {"triangular": [14, 30, 60]},
    "disruptions": {
        "per_year": {"beta": [2, 18]},
        "days": {"triangular": [60, 180, 365]},
        "capacity_lost": {"uniform": [0.25, 0.75]},
    },
}


def family_scenario(lines: int, years: int = 10, time_step_days: float = 7.0) -> Scenario:
    """A validated scenario of ``lines / 3`` independent line families.

    `lines` must be a positive multiple of :data:`LINES_PER_FAMILY`.
    """
    data = family_document(lines, years, time_step_days)
    return parse_scenario(data, SourceMap(f"<{data['name']}>"))


def family_document(lines: int, years: int = 10, time_step_days: float = 7.0) -> dict[str, Any]:
    """The scenario of :func:`family_scenario` as plain data, as a YAML file would hold it."""
    if lines < LINES_PER_FAMILY or lines % LINES_PER_FAMILY:
        raise ValueError(f"lines must be a positive multiple of {LINES_PER_FAMILY}, not {lines}")
    data: dict[str, Any] = {
        "name": f"synthetic-{lines}-lines",
        "description": f"{lines // LINES_PER_FAMILY} independent motor-seeker-missile families",
        "start_year": 2026,
        "years": years,
        "time_step_days": time_step_days,
        "replications": 1000,
        "seed": 1,
        "items": {},
        "lines": {},
        "shipping_days": {"JP-US": {"triangular": [14, 25, 45]}},
        "stockpiles": {},
        "demand": [],
    }
    for family in range(1, lines // LINES_PER_FAMILY + 1):
        missile, motor, seeker = f"Missile {family}", f"Motor {family}", f"Seeker {family}"
        assembly = f"missile-{family}"
        data["items"].update({missile: {"unit": "missiles"}, motor: {}, seeker: {}})
        data["lines"][f"motor-{family}"] = _line("US", motor, {"line": {assembly: 1.0}})
        data["lines"][f"seeker-{family}"] = _line("JP", seeker, {"line": {assembly: 1.0}})
        data["lines"][assembly] = _line("US", missile, {"stock": "US"}) | {
            "inputs": {motor: 1, seeker: 1}
        }
        data["stockpiles"][missile] = {"US": {"triangular": [200, 400, 600]}}
        data["demand"].append(
            {"item": missile, "owner": "US", "per_year": {"triangular": [250, 350, 450]}}
        )
    return data


def _line(country: str, makes: str, routes: dict[str, Any]) -> dict[str, Any]:
    return {"country": country, "makes": makes, "routes": routes} | copy.deepcopy(_UNCERTAIN_LINE)
