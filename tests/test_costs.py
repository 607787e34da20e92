"""Costs (issue 14, item 2): Wright's law, spending on accepted units, dated investments.

The learning curve is checked against its closed form (the exact sum of n^b), and
spending against a brute-force sum of the unit costs of the units each engine actually
made, every replication and year. Investments fall in the year of their day (a date, or
a drawn opening less its lead time). Cases are written once for both engines.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.costs.learning import EXACT_TERMS, cost_of_units, cumulative_sum, exponent, yearly_costs
from tests.conftest import build_scenario
from tests.engines import ENGINES, simulated

# --- the learning curve against its closed form -----------------------------------------


@pytest.mark.parametrize("slope", [1.0, 0.95, 0.85, 0.75, 0.6])
@pytest.mark.parametrize("n", [0, 1, 2, EXACT_TERMS - 1, EXACT_TERMS, EXACT_TERMS + 1, 1000, 54321])
def test_cumulative_sum_is_the_sum_of_unit_powers(slope, n):
    b = math.log2(slope)
    exact = float(np.sum(np.arange(1, n + 1, dtype=float) ** b))
    # the Euler–Maclaurin tail is within 3e-7 (of the first unit's cost, here 1)
    assert cumulative_sum(np.array(n), np.array(b)) == pytest.approx(exact, abs=3e-7, rel=1e-12)


def test_each_doubling_multiplies_the_unit_cost_by_the_slope():
    # Unit 2N costs slope × unit N; today's unit (units_before + 1) costs what was given.
    b = exponent(0.85)
    one = [cost_of_units(7.0, 499.0, b, n - 1.0, float(n)) for n in (1, 501, 1501)]
    assert one[0] == pytest.approx(7.0, rel=1e-9)  # unit 500: today's cost
    assert one[1] == pytest.approx(7.0 * 0.85, rel=1e-7)  # unit 1000
    assert one[2] == pytest.approx(7.0 * 0.85**2, rel=1e-7)  # unit 2000
    # a new line: its first unit costs the given price, its second 85 % of it
    assert cost_of_units(7.0, 0.0, b, 1.0, 2.0) == pytest.approx(7.0 * 0.85)


def test_no_learning_is_the_price_times_the_units_exactly():
    assert cost_of_units(np.array([4.1]), np.array([900.0]), np.array([0.0]), 10, 410)[0] == (
        4.1 * 400
    )


# --- spending = the unit costs of the units actually made, both engines -----------------

PRICED_LINE = {
    "country": "US",
    "makes": "PAC-3 MSE",
    "capacity": {"initial": 365},
    "cost": {"unit_cost_musd": 10.0, "learning_slope": 0.9, "units_before": 99},
}


@pytest.mark.parametrize("engine", ENGINES)
def test_spending_by_hand_for_a_warm_line_making_one_a_day(engine):
    # A warm 365/yr line without inputs accepts 365 units a year. It made 99 before the
    # start and its unit 100 costs $10M, so unit n costs 10·(n/100)^b, b = log2 0.9:
    # the first year pays for units 100–464, the second for 465–829.
    scenario = build_scenario(
        years=2,
        items={"PAC-3 MSE": {"unit": "missiles"}},
        lines={"pac3-us": PRICED_LINE},
        stockpiles={"PAC-3 MSE": {"US": 0}},
    )
    _, _, outcomes = simulated(engine, scenario)
    b = math.log2(0.9)
    units = np.arange(100, 830, dtype=float)
    cost = 10.0 * (units / 100.0) ** b
    first, second = cost[:365].sum(), cost[365:].sum()
    metrics = outcomes.metrics
    made = [metrics[f"line.pac3-us.output.{year}"][0] for year in (2026, 2027)]
    assert made == [365, 365]
    assert metrics["spending.units.2026"][0] == pytest.approx(first, rel=1e-9)
    assert metrics["spending.units.2027"][0] == pytest.approx(second, rel=1e-9)
    assert metrics["spending.total"][0] == pytest.approx(first + second, rel=1e-9)
    assert metrics["item.PAC-3 MSE.unit_cost.2027"][0] == pytest.approx(second / 365, rel=1e-9)
    assert metrics["spending.country.US"][0] == pytest.approx(first + second, rel=1e-9)
    assert "spending.investments" not in metrics  # no investments, no investment metrics


def uncertain_scenario():
    """Two lines of one item, uncertain price, slope, opening and yield; one unpriced item."""
    return build_scenario(
        years=3,
        items={
            "PAC-3 MSE": {"unit": "missiles", "unit_cost_musd": {"uniform": [3.5, 5.0]}},
            "SRM": {},
        },
        lines={
            "srm-us": {
                "country": "US",
                "makes": "SRM",
                "capacity": {"initial": 400},
                "routes": {"line": {"pac3-us": 0.6, "pac3-jp": 0.4}},
            },
            "pac3-us": {
                "country": "US",
                "makes": "PAC-3 MSE",
                "capacity": {"initial": 200, "growth_cap": {"uniform": [0.1, 0.2]}},
                "inputs": {"SRM": 1},
                "yield": {"uniform": [0.9, 1.0]},
                "flow_days": 60,
                "cost": {"learning_slope": {"uniform": [0.8, 0.95]}, "units_before": 1500},
            },
            "pac3-jp": {
                "country": "JP",
                "makes": "PAC-3 MSE",
                "capacity": {"initial": 100},
                "opens": {"uniform": ["2026-06-01", "2027-06-01"]},
                "inputs": {"SRM": 1},
                "routes": {"stock": {"US": 1.0}},
                "cost": {"unit_cost_musd": {"triangular": [5, 6, 8]}, "learning_slope": 0.85},
            },
        },
        shipping_days={"US-JP": 30, "JP-US": 30},
        stockpiles={"PAC-3 MSE": {"US": 0}},
    )


@pytest.mark.parametrize(("engine", "replications"), [("des", 4), ("vector", 40)])
def test_spending_is_the_sum_of_the_unit_costs_of_the_units_made(engine, replications):
    network, parameters, outcomes = simulated(engine, uncertain_scenario(), replications, seed=7)
    costs = parameters.costs
    metrics = outcomes.metrics
    assert "line.srm-us.spending" not in metrics  # an item without a price costs nothing
    for r in range(replications):
        total = 0.0
        for line in ("pac3-us", "pac3-jp"):
            index = next(node.index for node in network.lines if node.name == line)
            b = costs.exponent[r, index]
            before = costs.units_before[r, index]
            first = costs.next_unit_cost[r, index] / (before + 1) ** b  # c₁
            made = 0
            line_total = 0.0
            for year in network.years:
                count = int(metrics[f"line.{line}.output.{year}"][r])
                numbers = before + made + np.arange(1, count + 1)
                paid = float(np.sum(first * numbers**b))  # brute force, unit by unit
                made += count
                line_total += paid
            assert metrics[f"line.{line}.spending"][r] == pytest.approx(line_total, rel=1e-9)
            total += line_total
        yearly = sum(metrics[f"spending.units.{year}"][r] for year in network.years)
        # each year's closed form is within 3e-7·c₁ of the brute-force sum (learning.py)
        assert yearly == pytest.approx(total, rel=1e-9)
        assert metrics["spending.total"][r] == pytest.approx(total, rel=1e-9)
    # uncertain prices and slopes are named draws (common random numbers, sensitivity)
    assert "lines.pac3-us.cost.learning_slope" in parameters.by_name()
    assert "lines.pac3-jp.cost.unit_cost_musd" in parameters.by_name()


# --- investments fall in their year -------------------------------------------------------


def invested(engine: str, investments: list[dict], replications: int = 1, **sections):
    scenario = build_scenario(
        years=3,
        items={"PAC-3 MSE": {"unit": "missiles"}},
        lines={
            "pac3-jp": {
                "country": "JP",
                "makes": "PAC-3 MSE",
                "capacity": {"initial": 100},
                "opens": {"uniform": ["2027-03-01", "2028-09-01"]},
            }
        },
        stockpiles={"PAC-3 MSE": {"JP": 0}},
        investments=investments,
        **sections,
    )
    return simulated(engine, scenario, replications, seed=3)


@pytest.mark.parametrize("engine", ENGINES)
def test_investments_fall_in_the_year_of_their_day(engine):
    network, parameters, outcomes = invested(
        engine,
        [
            {"name": "berths", "cost_musd": 50, "date": "2027-12-31", "country": "JP"},
            {"name": "sunk", "cost_musd": 70, "date": "2025-06-01", "country": "US"},
            {"name": "late", "cost_musd": 90, "date": "2029-01-01", "country": "US"},
            {"name": "tooling", "cost_musd": 300, "line": "pac3-jp", "lead_days": 400},
        ],
        replications=30 if engine == "vector" else 5,
    )
    metrics = outcomes.metrics
    opens = parameters.opens[:, 0]
    paid = opens - 400  # tooling is paid 400 days before the drawn opening
    edges = network.calendar.year_edges
    for r in range(len(opens)):
        tooling = [300.0 if edges[y] <= paid[r] < edges[y + 1] else 0.0 for y in range(3)]
        expected = [0.0 + tooling[0], 50.0 + tooling[1], tooling[2]]
        got = [metrics[f"spending.investments.{year}"][r] for year in (2026, 2027, 2028)]
        assert got == expected
        # before the start (sunk) and at the end of the horizon are not counted
        assert metrics["spending.investments"][r] == sum(expected)
        assert metrics["spending.country.JP"][r] == sum(expected)
    assert "spending.country.US" in metrics and not metrics["spending.country.US"].any()
    # openings from 1 Mar 2027 to 1 Sep 2028 put tooling from 25 Jan 2026 to 28 Jul 2027
    assert {int(np.searchsorted(edges, day, "right") - 1) for day in paid} == {0, 1}


@pytest.mark.parametrize("engine", ENGINES)
def test_an_investment_at_a_depot_that_is_never_certified_is_not_paid(engine):
    depot = {
        "country": "JP",
        "lines": 2,
        "turnaround_days": 60,
        "certification": {"days": 400, "success": 0.5},
    }
    engine_repair = {
        "F110": {
            "installed": 100,
            "spares": 10,
            "removals_per_engine_year": 0.2,
            "depots": {
                "tinker": {"country": "US", "lines": 4, "turnaround_days": 60},
                "japan-hub": depot,
            },
        }
    }
    _, parameters, outcomes = invested(
        engine,
        [{"name": "hub", "cost_musd": 120, "depot": "F110.japan-hub"}],
        replications=12,
        engine_repair=engine_repair,
    )
    certified = np.isfinite(parameters.engines[0].opens[:, 1])
    assert 0 < certified.sum() < 12
    np.testing.assert_array_equal(outcomes.metrics["spending.investments.2027"], 120.0 * certified)
    np.testing.assert_array_equal(outcomes.metrics["spending.country.JP"], 120.0 * certified)


# --- bad input: FILE:LINE: path: message, exit 2 -------------------------------------------

GOOD = """\
name: costs
start_year: 2026
years: 3
items:
  PAC-3 MSE: {unit: missiles}
lines:
  pac3-us:
    country: US
    makes: PAC-3 MSE
    capacity: {initial: 100}
"""


@pytest.mark.parametrize(
    ("tail", "line", "path", "fragment"),
    [
        (
            "    cost: {learning_slope: 0.5, unit_cost_musd: 4}\n",
            11,
            "lines.pac3-us.cost.learning_slope",
            "must be >= 0.6",
        ),
        (
            "    cost: {learning_slope: 0.9}\n",
            11,
            "lines.pac3-us.cost",
            "no unit cost to learn from: give unit_cost_musd here or on item 'PAC-3 MSE'",
        ),
        (
            "investments:\n  - {name: a, cost_musd: 5, line: pac3-jp}\n",
            12,
            "investments.0.line",
            "unknown line 'pac3-jp' (known: pac3-us)",
        ),
        (
            "investments:\n  - {name: a, cost_musd: 5, line: pac3-us, date: 2027-01-01}\n",
            12,
            "investments.0",
            "give exactly one of date, line, yard or depot",
        ),
        (
            "investments:\n  - {name: a, cost_musd: 5, date: 2027-01-01}\n",
            12,
            "investments.0.country",
            "who pays an investment on a date: give its country",
        ),
        (
            "investments:\n  - {name: a, cost_musd: 5, date: 2027-01-01, lead_days: 3}\n",
            12,
            "investments.0",
            "lead_days goes with line, yard or depot",
        ),
    ],
)
def test_bad_cost_keys_are_reported_with_file_and_line(
    tail, line, path, fragment, tmp_path, capsys
):
    from sim.cli.main import main

    file = tmp_path / "costs.yaml"
    file.write_text(GOOD + tail)
    assert main(["validate", str(file)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    problems = captured.err.splitlines()
    assert any(p.startswith(f"{file}:{line}: {path}: ") and fragment in p for p in problems), (
        problems
    )


# --- property: yearly spending adds up to the cost of all the units, unit by unit --------


@settings(max_examples=60, deadline=None)
@given(
    made=st.lists(st.integers(0, 400), min_size=1, max_size=6),
    before=st.integers(0, 3000),
    slope=st.floats(0.6, 1.0),
    price=st.floats(0.1, 50.0),
)
def test_yearly_costs_are_the_unit_costs_of_each_years_units(made, before, slope, price):
    b = math.log2(slope)
    first = price / (before + 1) ** b
    numbers = before + np.arange(1, sum(made) + 1, dtype=float)
    unit = first * numbers**b
    edges = np.cumsum([0, *made])
    expected = [unit[edges[y] : edges[y + 1]].sum() for y in range(len(made))]
    got = yearly_costs(
        np.array([price]), np.array([float(before)]), np.array([b]), np.array([made])
    )
    # each year within 2 × 3e-7 of c₁ (two closed-form evaluations), c₁ ≤ price·3001
    np.testing.assert_allclose(got[0], expected, rtol=1e-9, atol=6e-7 * first)
    assert got[0].sum() == pytest.approx(
        cost_of_units(price, float(before), b, 0.0, float(sum(made))), rel=1e-9, abs=6e-7 * first
    )
