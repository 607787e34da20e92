"""Analytic checks of the production rules on the NumPy engine (DESIGN §2.1–2.2)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.montecarlo import run
from tests.conftest import build_scenario, tallies_of

MISSILE = {"PAC-3 MSE": {"unit": "missiles"}, "SRM": {"unit": "motors"}}


def single_line(years: int = 3, **line) -> dict:
    base = {"country": "US", "makes": "PAC-3 MSE", "capacity": {"initial": 450}}
    base.update(line)
    return {"years": years, "items": MISSILE, "lines": {"pac3": base}}


def yearly_output(scenario, replications: int = 1, seed: int = 1) -> np.ndarray:
    network, tallies = tallies_of(scenario, replications, seed)
    return tallies.line_output[:, network.lines[0].index, :]


@pytest.mark.parametrize("growth", [0.0, 0.15, 0.2])
def test_deterministic_ramp_makes_the_capacity_schedule(growth):
    scenario = build_scenario(
        **single_line(capacity={"initial": 450, "target": 2000, "growth_cap": growth})
    )
    output = yearly_output(scenario)[0]
    schedule = [450 * (1 + growth) ** n for n in range(3)]
    expected_cumulative = np.floor(np.cumsum(schedule) + 1e-9)
    assert np.array_equal(np.cumsum(output), expected_cumulative)
    assert output[0] == 450


def test_ramp_stops_at_target_and_a_rate_above_target_falls_at_once():
    scenario = build_scenario(
        **single_line(years=4, capacity={"initial": 500, "target": 600, "growth_cap": 0.5})
    )
    assert list(yearly_output(scenario)[0]) == [500, 600, 600, 600]
    high = build_scenario(**single_line(years=2, capacity={"initial": 800, "target": 600}))
    assert list(yearly_output(high)[0]) == [600, 600]


def test_ramp_years_follow_ramp_start_anniversaries():
    # Ramp year 0 runs 1 Jul 2026 – 30 Jun 2027 (365 days) at 400/yr, year 1 runs to
    # 30 Jun 2028 (366 days, with 29 Feb) at 500/yr, year 2 at 625/yr; before it, 400/yr.
    scenario = build_scenario(
        **single_line(
            capacity={
                "initial": 400,
                "target": 1000,
                "growth_cap": 0.25,
                "ramp_start": "2026-07-01",
            }
        )
    )
    output = yearly_output(scenario)[0]
    by_year = [
        400.0,  # all of 2026 at 400/yr
        400 * 181 / 365 + 500 * 184 / 366,  # 2027: Jan–Jun in ramp year 0, Jul–Dec in year 1
        500 * 182 / 366
        + 625 * 184 / 365,  # 2028: Jan–Jun (182 days, leap) in year 1, rest in year 2
    ]
    assert np.array_equal(np.cumsum(output), np.floor(np.cumsum(by_year) + 1e-9))


def test_nothing_is_made_before_the_line_opens():
    scenario = build_scenario(**single_line(opens="2027-01-01"))
    assert list(yearly_output(scenario)[0]) == [0, 450, 450]


def test_flow_time_shifts_deliveries_by_the_stated_days():
    days = 70.2  # ten steps of 7.02 days
    # from a cold start: a warm line's opening pipeline would fill the gap
    without = build_scenario(warm_start=False, **single_line(years=2))
    with_flow = build_scenario(warm_start=False, **single_line(years=2, flow_days=days))
    a = yearly_output(without)[0]
    b = yearly_output(with_flow)[0]
    # the first `days` of output moves out of year one; total over two years shifts equally
    assert a[0] - b[0] == pytest.approx(450 * days / 365, abs=1.0)
    _, tallies = tallies_of(with_flow)
    assert tallies.line_in_flow[0, 0] == pytest.approx(450 * days / 365, abs=1.0)


def test_funded_rate_caps_output_below_capacity():
    scenario = build_scenario(**single_line(funded_per_year=300))
    assert list(yearly_output(scenario)[0]) == [300, 300, 300]
    _, tallies = tallies_of(scenario)
    # a third of the capacity (150 of 450) is idle for want of orders, every day
    assert tallies.line_funding_capped_days[0, 0] == pytest.approx((3 * 365 + 1) / 3, rel=1e-6)


def test_yield_scales_output_within_binomial_error():
    replications = 400
    scenario = build_scenario(**single_line(years=1, **{"yield": 0.9}))
    output = yearly_output(scenario, replications)[:, 0]
    # each of 450 units passes with probability 0.9, independently
    standard_error = math.sqrt(450 * 0.9 * 0.1 / replications)
    assert abs(output.mean() - 405) < 4 * standard_error
    assert output.std() == pytest.approx(math.sqrt(450 * 0.09), rel=0.2)


def component_network(**overrides) -> dict:
    srm = {
        "country": "JP",
        "makes": "SRM",
        "capacity": {"initial": 200},
        "routes": {"line": {"pac3": 1.0}},
    }
    pac3 = {
        "country": "US",
        "makes": "PAC-3 MSE",
        "capacity": {"initial": 450},
        "inputs": {"SRM": 1},
    }
    srm.update(overrides.pop("srm", {}))
    pac3.update(overrides.pop("pac3", {}))
    return {
        "items": MISSILE,
        "lines": {"srm": srm, "pac3": pac3},
        "shipping_days": {"JP-US": 0},
        **overrides,
    }


def test_component_line_limits_its_consumer_and_starves_it():
    scenario = build_scenario(**component_network())
    network, tallies = tallies_of(scenario)
    consumer = next(line.index for line in network.lines if line.name == "pac3")
    assert list(tallies.line_output[0, consumer]) == [200, 200, 200]
    assert tallies.line_starved_days[0, consumer] > 300


def test_bill_of_materials_quantity_consumes_several_inputs_per_unit():
    scenario = build_scenario(**component_network(pac3={"inputs": {"SRM": 2}}))
    network, tallies = tallies_of(scenario)
    consumer = next(line.index for line in network.lines if line.name == "pac3")
    assert list(tallies.line_output[0, consumer]) == [100, 100, 100]


def test_shipping_delay_shifts_arrivals():
    days = 35.1  # five steps
    scenario = build_scenario(  # cold: nothing at sea on 1 January
        warm_start=False,
        **component_network(shipping_days={"JP-US": days}, srm={"capacity": {"initial": 365}}),
    )
    network, tallies = tallies_of(scenario)
    srm = network.item_index["SRM"]
    # 365 a year leave Japan; those shipped in the last `days` of the horizon are at sea
    assert tallies.item_in_transit[0, srm] == pytest.approx(365 * days / 365, abs=1.0)
    assert tallies.item_deliveries[0, srm, 0] == pytest.approx(365 - days, abs=1.0)


@pytest.mark.parametrize("policy", ["priority", "proportional"])
def test_shared_supplier_allocates_by_policy(policy):
    lines = {
        "srm": {
            "country": "US",
            "makes": "SRM",
            "capacity": {"initial": 600},
            "routes": {"line": ["first", "second"], "allocation": policy},
        },
        "first": {
            "country": "US",
            "makes": "PAC-3 MSE",
            "capacity": {"initial": 500},
            "inputs": {"SRM": 1},
        },
        "second": {
            "country": "US",
            "makes": "PAC-3 MSE",
            "capacity": {"initial": 300},
            "inputs": {"SRM": 1},
        },
    }
    network, tallies = tallies_of(build_scenario(items=MISSILE, lines=lines, years=1))
    by_name = {line.name: tallies.line_output[0, line.index, 0] for line in network.lines}
    if policy == "priority":
        assert by_name["first"] == pytest.approx(500, abs=1)
        assert by_name["second"] == pytest.approx(100, abs=1)
    else:
        assert by_name["first"] == pytest.approx(600 * 5 / 8, abs=1)
        assert by_name["second"] == pytest.approx(600 * 3 / 8, abs=1)


def test_export_split_between_stocks():
    scenario = build_scenario(
        items=MISSILE,
        years=1,
        shipping_days={"JP-US": 0},
        lines={
            "pac3-jp": {
                "country": "JP",
                "makes": "PAC-3 MSE",
                "capacity": {"initial": 100},
                "routes": {"stock": {"JP": 0.7, "US": 0.3}},
            },
            "other": {"country": "US", "makes": "SRM", "capacity": {"initial": 0}},
        },
    )
    network, tallies = tallies_of(scenario)
    missile = network.item_index["PAC-3 MSE"]
    by_owner = {
        owner: tallies.stock_end[0, s, 0]
        for s, (item, owner) in enumerate(network.stocks)
        if item == missile
    }
    assert by_owner == {"JP": 70, "US": 30}


def test_demand_backorders_and_priorities():
    scenario = build_scenario(
        **single_line(years=2, capacity={"initial": 100}),
        stockpiles={"PAC-3 MSE": {"US": 50}},
        demand=[
            {"item": "PAC-3 MSE", "owner": "US", "per_year": 120, "priority": 2},
            {"item": "PAC-3 MSE", "owner": "US", "per_year": 60, "priority": 1},
        ],
    )
    network, tallies = tallies_of(scenario)
    item = network.item_index["PAC-3 MSE"]
    consumed, shortfall = tallies.item_consumed[0, item], tallies.item_shortfall[0, item].sum()
    # 50 + 200 made, 360 wanted: everything made is consumed, the rest is backordered
    assert consumed == 250
    assert tallies.item_backorder[0, item] == 110
    assert tallies.stock_end[0, 0, -1] == 0
    assert shortfall >= 110
    # the priority-1 stream is always served first: its backlog stays at most one step's demand
    metrics = run(scenario, 1, 1).outcomes.metrics
    assert metrics["item.PAC-3 MSE.backorder_end"][0] == 110


def test_conflict_consumption_draws_stock_down_and_is_not_backordered():
    scenario = build_scenario(
        **single_line(years=2, capacity={"initial": 0}),
        stockpiles={"PAC-3 MSE": {"US": 1000}},
        conflicts=[
            {
                "name": "war",
                "start": "2026-07-01",
                "days": 100,
                "consumption_per_day": {"PAC-3 MSE": {"US": 12}},
            }
        ],
    )
    network, tallies = tallies_of(scenario)
    item = network.item_index["PAC-3 MSE"]
    assert tallies.item_consumed[0, item] == 1000
    assert tallies.item_shortfall[0, item].sum() == 200
    assert tallies.item_backorder[0, item] == 0


def test_conflict_with_zero_probability_never_happens():
    scenario = build_scenario(
        **single_line(years=1, capacity={"initial": 0}),
        stockpiles={"PAC-3 MSE": {"US": 1000}},
        conflicts=[
            {
                "name": "war",
                "start": "2026-03-01",
                "days": 30,
                "probability": 0.0,
                "consumption_per_day": {"PAC-3 MSE": {"US": 10}},
            }
        ],
    )
    _, tallies = tallies_of(scenario, replications=50)
    assert np.all(tallies.item_consumed == 0)


def test_disruptions_remove_the_expected_capacity():
    replications = 500
    disruptions = {"per_year": 0.5, "days": 30, "capacity_lost": 0.5}
    scenario = build_scenario(
        **single_line(years=3, capacity={"initial": 365}, disruptions=disruptions)
    )
    _, tallies = tallies_of(scenario, replications)
    lost = 3 * 365 - tallies.line_capacity[:, 0]  # 365 a year: about one unit a day
    # Poisson(0.5 × 3 years) events of 30 days at half capacity, minus overlap and truncation
    expected = 1.5 * 30 * 0.5
    standard_error = lost.std() / math.sqrt(replications)
    assert abs(lost.mean() - expected) < 4 * standard_error + 0.03 * expected
    # days lost and units lost differ only by the leap year's 365/366 units per day
    assert tallies.line_disrupted_days[:, 0].mean() == pytest.approx(lost.mean(), rel=0.005)
