"""How engine time grows with replications, horizon and number of lines.

Three series, each changing one thing and holding the rest: replications of the
reference scenario (1,000 → 100,000: cost should be linear, so a run of any size can be
predicted from a small one), its horizon in years (the step loop is linear in steps),
and the number of lines (synthetic scenarios of :mod:`sim.bench.synthetic`). Each point
is an :class:`~sim.bench.engines.EngineMeasurement`, the random-number floor included.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from sim.bench.engines import EngineMeasurement, Note, measure_engine, warm_up
from sim.bench.synthetic import family_scenario
from sim.loading import load_scenario
from sim.network import compile_network
from sim.scenario.model import Scenario


def log_log_slope(x: Sequence[float], y: Sequence[float]) -> float | None:
    """The exponent b of a least-squares fit y ≈ a·xᵇ; None with fewer than two x values.

    b = 1 is linear growth; below 1, fixed costs are still being amortised; above 1,
    something grows faster than the work (memory traffic, a quadratic step).
    """
    if len(set(x)) < 2:
        return None
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


def series(
    variable: str, scenario: str, points: Sequence[tuple[float, EngineMeasurement]]
) -> dict[str, Any]:
    """A series in bench.json form: what varied, on which scenario, the points and slope."""
    x = [value for value, _ in points]
    seconds = [measurement.seconds.median for _, measurement in points]
    return {
        "variable": variable,
        "scenario": scenario,
        "points": [{variable: value, **measurement.as_dict()} for value, measurement in points],
        "log_log_slope": log_log_slope(x, seconds),
    }


def replications_series(
    scenario: Scenario,
    counts: Sequence[int],
    repeats: int,
    budget_seconds: float,
    known: dict[int, EngineMeasurement] | None = None,
    note: Note = lambda _: None,
) -> dict[str, Any]:
    """Engine time of `scenario` for each count of replications.

    Counts already measured for the main table (`known`) are reused rather than rerun.
    """
    network = compile_network(scenario)
    known = known or {}
    points: list[tuple[float, EngineMeasurement]] = []
    for count in counts:
        if count not in known:
            note(f"scaling: {scenario.name}, {count:,} replications")
            known[count] = measure_engine(
                network, scenario.seed, count, "vector", repeats, budget_seconds
            )
        points.append((count, known[count]))
    return series("replications", scenario.name, points)


def years_series(
    scenario: Scenario,
    years: Sequence[int],
    replications: int,
    repeats: int,
    budget_seconds: float,
    note: Note = lambda _: None,
) -> dict[str, Any]:
    """Engine time of `scenario` over horizons of each number of `years`.

    The horizon is changed as ``sim run --set years=N`` would change it, so every dated
    entry keeps its date and a longer horizon simply runs on past the original end.
    """
    points: list[tuple[float, EngineMeasurement]] = []
    for count in years:
        note(f"scaling: {scenario.name}, {count} years")
        variant = load_scenario(
            scenario.file, [*scenario.overrides, f"years={count}"], scenario.allow_extends_outside
        )
        network = compile_network(variant)
        points.append(
            (
                count,
                measure_engine(
                    network, variant.seed, replications, "vector", repeats, budget_seconds
                ),
            )
        )
    return series("years", scenario.name, points)


def lines_series(
    lines: Sequence[int],
    replications: int,
    repeats: int,
    budget_seconds: float,
    years: int = 10,
    note: Note = lambda _: None,
) -> dict[str, Any]:
    """Engine time of synthetic scenarios with each number of `lines`."""
    points: list[tuple[float, EngineMeasurement]] = []
    for count in lines:
        note(f"scaling: {count} synthetic lines")
        scenario = family_scenario(count, years)
        network = compile_network(scenario)
        if not points:
            warm_up(network, scenario.seed)
        points.append(
            (
                count,
                measure_engine(
                    network, scenario.seed, replications, "vector", repeats, budget_seconds
                ),
            )
        )
    return series("lines", "synthetic line families", points)
