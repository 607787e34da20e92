"""The DES engine against numbers worked out by hand (docs/model.md, rule by rule)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.demand import Requirements, recovery_windows
from sim.des import run_tallies
from sim.des.model import Replication
from sim.network import compile_network
from sim.sampling import sample_parameters
from tests.conftest import build_scenario

MISSILE = {"PAC-3 MSE": {"unit": "missiles"}, "SRM": {"unit": "motors"}}
EPSILON = 1e-9


def single_line(years: int = 3, **line) -> dict:
    base = {"country": "US", "makes": "PAC-3 MSE", "capacity": {"initial": 450}}
    base.update(line)
    return {"years": years, "items": MISSILE, "lines": {"pac3": base}}


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


def des(scenario, replications: int = 1, seed: int = 1):
    network = compile_network(scenario)
    return network, run_tallies(network, sample_parameters(network, seed, range(replications)))


def line_index(network, name: str) -> int:
    return next(line.index for line in network.lines if line.name == name)


@pytest.mark.parametrize("growth", [0.0, 0.15, 0.2])
def test_deterministic_line_makes_exactly_the_capacity_schedule(growth):
    capacity = {"initial": 450, "target": 2000, "growth_cap": growth}
    _, tallies = des(build_scenario(**single_line(capacity=capacity)))
    schedule = [450 * (1 + growth) ** n for n in range(3)]
    cumulative = np.floor(np.cumsum(schedule) + EPSILON)
    assert np.array_equal(np.cumsum(tallies.line_output[0, 0]), cumulative)
    assert tallies.line_capacity[0, 0] == pytest.approx(sum(schedule))
    assert tallies.line_starved_days[0, 0] == 0


def test_ramp_years_follow_ramp_start_anniversaries():
    capacity = {"initial": 400, "target": 1000, "growth_cap": 0.25, "ramp_start": "2026-07-01"}
    _, tallies = des(build_scenario(**single_line(capacity=capacity)))
    by_year = [400.0, 400 * 181 / 365 + 500 * 184 / 366, 500 * 182 / 366 + 625 * 184 / 365]
    expected = np.floor(np.cumsum(by_year) + EPSILON)
    assert np.array_equal(np.cumsum(tallies.line_output[0, 0]), expected)


def test_a_line_opening_mid_year_makes_its_share_of_the_year():
    _, tallies = des(build_scenario(**single_line(years=2, opens="2026-07-01")))
    assert list(tallies.line_output[0, 0]) == [math.floor(450 * 184 / 365 + EPSILON), 450]


def test_flow_time_delays_every_unit_by_exactly_the_stated_days():
    days = 70.0
    # from a cold start, so that every unit counted was started in the horizon
    cold = build_scenario(warm_start=False, **single_line(years=2, flow_days=days))
    _, tallies = des(cold)
    # unit n starts when 450·t/365 reaches n and finishes `days` later
    first_year = math.floor(450 * (365 - days) / 365 + EPSILON)
    assert tallies.line_output[0, 0, 0] == first_year
    assert tallies.line_started[0, 0] == 900
    assert tallies.line_in_flow[0, 0] == 900 - math.floor(450 * (730 - days) / 365 + EPSILON)


def test_funded_rate_caps_output_and_counts_the_capped_days():
    _, tallies = des(build_scenario(**single_line(funded_per_year=300)))
    assert list(tallies.line_output[0, 0]) == [300, 300, 300]
    assert tallies.line_funding_capped_days[0, 0] == pytest.approx((3 * 365 + 1) / 3)


def test_shipping_delays_arrivals_by_exactly_the_lane_days():
    days = 35.0
    scenario = build_scenario(  # cold: nothing at sea on 1 January
        warm_start=False,
        **component_network(shipping_days={"JP-US": days}, srm={"capacity": {"initial": 365}}),
    )
    network, tallies = des(scenario)
    srm = network.item_index["SRM"]
    # one motor a day leaves Japan; those shipped in the last 35 days are at sea
    assert tallies.item_in_transit[0, srm] == days
    assert tallies.item_deliveries[0, srm, 0] == 365 - days


def test_a_consumer_fed_slower_than_it_can_work_is_starved_for_the_difference():
    network, tallies = des(build_scenario(**component_network()))
    pac3 = line_index(network, "pac3")
    assert list(tallies.line_output[0, pac3]) == [200, 200, 200]
    # starved whenever its credit is full: (1 − 200/450) of the time, to within a unit
    horizon = 3 * 365 + 1
    assert tallies.line_starved_days[0, pac3] == pytest.approx(horizon * 250 / 450, abs=2)


def test_two_inputs_per_unit():
    network, tallies = des(build_scenario(**component_network(pac3={"inputs": {"SRM": 2}})))
    assert list(tallies.line_output[0, line_index(network, "pac3")]) == [100, 100, 100]


def test_demand_from_stock_then_shortfall_and_backorders():
    scenario = build_scenario(
        **single_line(capacity={"initial": 0}),
        stockpiles={"PAC-3 MSE": {"US": 50}},
        demand=[
            {"item": "PAC-3 MSE", "owner": "US", "per_year": 120, "priority": 2},
            {"item": "PAC-3 MSE", "owner": "US", "per_year": 60, "priority": 1},
        ],
    )
    network, tallies = des(scenario)
    item = network.item_index["PAC-3 MSE"]
    assert tallies.item_consumed[0, item] == 50
    assert tallies.item_shortfall[0, item].sum() == 3 * 180 - 50
    assert tallies.item_backorder[0, item] == 3 * 180 - 50
    assert list(tallies.stock_end[0, 0]) == [0, 0, 0]


def test_arrivals_fill_backorders_in_priority_order():
    scenario = build_scenario(
        **single_line(years=2, capacity={"initial": 1000}, opens="2027-01-01"),
        demand=[
            {"item": "PAC-3 MSE", "owner": "US", "per_year": 120, "priority": 2},
            {"item": "PAC-3 MSE", "owner": "US", "per_year": 60, "priority": 1},
        ],
    )
    network = compile_network(scenario)
    parameters = sample_parameters(network, 1, range(1))
    model = Replication(
        network,
        parameters,
        0,
        Requirements(network, parameters),
        recovery_windows(network, parameters),
    )
    # by 1 January 2027 both streams are backordered in full (120 and 60); in the first 70
    # days of 2027 another 23 and 11 fall due and the line makes 191 units: priority 1's
    # 71 are filled first, priority 2 gets the remaining 120 of its 143
    model.env.run(until=365 + 70)
    assert model.stocks.backlog == [23, 0]


def test_conflict_consumption_is_not_backordered():
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
    network, tallies = des(scenario)
    item = network.item_index["PAC-3 MSE"]
    assert tallies.item_consumed[0, item] == 1000
    assert tallies.item_shortfall[0, item].sum() == 200
    assert tallies.item_backorder[0, item] == 0


def test_recovery_days_after_a_conflict():
    # one missile a day in, none out, then 3 a day out for 50 days from day 100: the stock
    # is 200 at the start, 100 at the end, and back to 200 on day 250
    scenario = build_scenario(
        **single_line(years=1, capacity={"initial": 365}),
        stockpiles={"PAC-3 MSE": {"US": 100}},
        conflicts=[
            {
                "name": "war",
                "start": "2026-04-11",
                "days": 50,
                "consumption_per_day": {"PAC-3 MSE": {"US": 3}},
            }
        ],
    )
    network, tallies = des(scenario)
    assert tallies.item_recovery_days[0, network.item_index["PAC-3 MSE"]] == pytest.approx(
        150, abs=1
    )


def test_month_and_year_end_stock():
    _, tallies = des(build_scenario(**single_line(years=1, capacity={"initial": 365})))
    # one unit a day: by the end of each month, as many units as days
    month_ends = compile_network(build_scenario(**single_line(years=1))).calendar.month_edges[1:]
    assert list(tallies.stock_monthly[0, 0]) == [int(day) for day in month_ends]
    assert tallies.stock_end[0, 0, 0] == 365


def test_disruption_removes_its_share_of_capacity_while_it_lasts():
    scenario = build_scenario(
        **single_line(
            years=1,
            capacity={"initial": 365},
            disruptions={"per_year": 3, "days": 20, "capacity_lost": 0.5},
        )
    )
    network = compile_network(scenario)
    parameters = sample_parameters(network, 5, range(30))
    tallies = run_tallies(network, parameters)
    events = parameters.disruptions[0]
    for rep in range(30):
        start, end = events.start[rep], np.minimum(events.end[rep], 365.0)
        covered = np.zeros(3650)  # tenths of a day
        for low, high in zip(start[np.isfinite(start)], end[np.isfinite(start)], strict=True):
            covered[round(low * 10) : round(high * 10)] += 1
        lost = np.sum(1 - 0.5**covered) / 10
        assert tallies.line_disrupted_days[rep, 0] == pytest.approx(lost, abs=0.5)
        assert tallies.line_capacity[rep, 0] == pytest.approx(365 - lost, abs=0.5)
