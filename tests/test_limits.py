"""Bounds on quantities (sim.scenario.limits): each refused at its path, with the bound.

Cases from the hostile-input campaign: a capacity of 10¹⁵ (deliveries overflowed into
−108,904,677,376 a year), a million disruptions a year (killed at 23.5 GB), a time step of
0.001 days (minutes of stepping), and an uncertain duration whose tail reaches infinity.
The shipped scenarios lie well inside every bound.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.errors import ScenarioError
from sim.execution.footprint import TooLarge, fit_chunk_size
from sim.loading import load_scenario
from sim.network import compile_network
from sim.scenario.limits import MAX_DAYS, MAX_UNITS_PER_YEAR
from sim.streams import BLOCK
from tests.scenario_numbers import numeric_paths

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.yaml"


@pytest.mark.parametrize(
    ("override", "path", "message"),
    [
        (
            "lines.pac3-us.capacity.initial=1e15",
            "lines.pac3-us.capacity.initial",
            "must be <= 10,000,000",
        ),
        (
            "lines.pac3-us.disruptions.per_year=1e6",
            "lines.pac3-us.disruptions.per_year",
            "must be <= 365",
        ),
        ("time_step_days=0.001", "time_step_days", "greater than or equal to 1"),
        (
            "lines.pac3-us.flow_days={lognormal: {median: 100, sigma: 50}}",
            "lines.pac3-us.flow_days",
            "must be <= 365,000, but this lognormal distribution is unbounded (past",
        ),
        ("stockpiles.PAC-3 MSE.US=2e9", "stockpiles.PAC-3 MSE.US", "must be <= 1,000,000,000"),
        (
            "engine_repair.F110.spares=1000000000",
            "engine_repair.F110.spares",
            "less than or equal to 100000",
        ),
        (
            "ship_repair.yards.srf-jrmc.berths={uniform: [1, 1e6]}",
            "ship_repair.yards.srf-jrmc.berths",
            "must be <= 100,000",
        ),
    ],
)
def test_a_quantity_past_its_bound_is_refused(override: str, path: str, message: str):
    with pytest.raises(ScenarioError) as refused:
        load_scenario(BASELINE, [override])
    (problem,) = refused.value.problems
    assert problem.path == path
    assert message in problem.message


def test_an_unbounded_distribution_inside_the_bound_in_practice_is_accepted():
    """A lognormal reaches any value, but past 365,000 days only once in 10¹² draws here."""
    scenario = load_scenario(
        BASELINE, ["lines.pac3-us.flow_days={lognormal: {median: 100, sigma: 1.0}}"]
    )
    assert scenario.lines["pac3-us"].flow_days.support()[1] > MAX_DAYS


@pytest.mark.parametrize("scenario", sorted((ROOT / "scenarios").glob("*.yaml")), ids=str)
def test_the_shipped_scenarios_are_well_inside_the_bounds(scenario: Path):
    loaded = load_scenario(scenario)
    for line in loaded.lines.values():
        rates = [line.capacity.initial, line.capacity.target or line.capacity.initial]
        assert all(rate.support()[1] <= MAX_UNITS_PER_YEAR / 100 for rate in rates)


NUMBERS = numeric_paths(BASELINE)


@settings(max_examples=40, deadline=None)
@given(
    path=st.sampled_from(NUMBERS),
    value=st.sampled_from(["1e9", "1e12", "1e15", "1e300", "-1e300", "123456789012"]),
)
def test_a_huge_number_anywhere_is_refused_or_fits(path: str, value: str):
    """Either the scenario refuses the number at its path, or the run's draws are
    estimated before anything is allocated: never an overflow, never a traceback."""
    try:
        scenario = load_scenario(BASELINE, [f"{path}={value}"])
    except ScenarioError as error:
        assert all(problem.file == "--set" or problem.path for problem in error.problems)
        return
    network = compile_network(scenario)
    try:
        fit_chunk_size(network, BLOCK, BLOCK)
    except TooLarge as error:
        assert "would need about" in str(error)
