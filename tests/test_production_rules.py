"""The production rules against numbers worked by hand, in both engines (DESIGN §2.1–2.2).

Each case is small enough to work on paper and is written once, parametrised over the
DES and the vector engine (:mod:`tests.engines`). Counts that do not depend on when
within a week something happens are exact in both; the others allow the vector engine
one step's output (``leeway``), as docs/model.md "Engine agreement" states.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.network import compile_network
from sim.production.units import EPSILON
from sim.runs.montecarlo import run
from sim.sampling import sample_parameters
from tests.conftest import build_scenario
from tests.engines import ENGINES, leeway, tallies

MISSILE = {"PAC-3 MSE": {"unit": "missiles"}, "SRM": {"unit": "motors"}}
HORIZON_3 = 3 * 365 + 1
"""Days in 2026–2028 (2028 is a leap year)."""


def single_line(years: int = 3, **line) -> dict:
    base = {"country": "US", "makes": "PAC-3 MSE", "capacity": {"initial": 450}}
    base.update(line)
    return {"years": years, "items": MISSILE, "lines": {"pac3": base}}


def component_network(**overrides) -> dict:
    """A Japanese motor line at 200/yr feeding a US missile line that could make 450/yr."""
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


def output(engine: str, scenario, line: str = "pac3", replications: int = 1, seed: int = 1):
    """(replications, years) output of `line`."""
    network, found = tallies(engine, scenario, replications, seed)
    index = next(node.index for node in network.lines if node.name == line)
    return found.line_output[:, index, :]


# --- capacity ---------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("growth", [0.0, 0.15, 0.2])
def test_a_deterministic_line_makes_exactly_its_capacity_schedule(engine, growth):
    capacity = {"initial": 450, "target": 2000, "growth_cap": growth}
    _, found = tallies(engine, build_scenario(**single_line(capacity=capacity)))
    schedule = [450 * (1 + growth) ** n for n in range(3)]
    assert np.array_equal(
        np.cumsum(found.line_output[0, 0]), np.floor(np.cumsum(schedule) + EPSILON)
    )
    assert found.line_capacity[0, 0] == pytest.approx(sum(schedule))
    assert found.line_starved_days[0, 0] == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_the_ramp_stops_at_target_and_a_rate_above_target_falls_at_once(engine):
    rising = single_line(years=4, capacity={"initial": 500, "target": 600, "growth_cap": 0.5})
    assert list(output(engine, build_scenario(**rising))[0]) == [500, 600, 600, 600]
    high = single_line(years=2, capacity={"initial": 800, "target": 600})
    assert list(output(engine, build_scenario(**high))[0]) == [600, 600]


@pytest.mark.parametrize("engine", ENGINES)
def test_ramp_years_follow_ramp_start_anniversaries(engine):
    # Ramp year 0 runs 1 Jul 2026 – 30 Jun 2027 (365 days) at 400/yr, year 1 runs to
    # 30 Jun 2028 (366 days, with 29 Feb) at 500/yr, year 2 at 625/yr; before it, 400/yr.
    capacity = {"initial": 400, "target": 1000, "growth_cap": 0.25, "ramp_start": "2026-07-01"}
    by_year = [
        400.0,
        400 * 181 / 365 + 500 * 184 / 366,  # 2027: Jan–Jun in ramp year 0, Jul–Dec in year 1
        500 * 182 / 366 + 625 * 184 / 365,  # 2028: Jan–Jun (182 days, leap) in year 1
    ]
    made = output(engine, build_scenario(**single_line(capacity=capacity)))[0]
    assert np.array_equal(np.cumsum(made), np.floor(np.cumsum(by_year) + EPSILON))


@pytest.mark.parametrize("engine", ENGINES)
def test_nothing_is_made_before_the_line_opens(engine):
    on_new_year = build_scenario(**single_line(opens="2027-01-01"))
    assert list(output(engine, on_new_year)[0]) == [0, 450, 450]
    # opening on 1 July (day 181): the line makes its 184 days' share of 2026
    mid_year = output(engine, build_scenario(**single_line(years=2, opens="2026-07-01")))[0]
    assert mid_year[0] == pytest.approx(
        math.floor(450 * 184 / 365 + EPSILON), abs=leeway(engine, 450)
    )
    assert mid_year[1] == 450


@pytest.mark.parametrize("engine", ENGINES)
def test_the_funded_rate_caps_output_and_counts_the_capped_days(engine):
    _, found = tallies(engine, build_scenario(**single_line(funded_per_year=300)))
    assert list(found.line_output[0, 0]) == [300, 300, 300]
    # a third of the capacity (150 of 450) is idle for want of orders, every day
    assert found.line_funding_capped_days[0, 0] == pytest.approx(HORIZON_3 / 3, rel=1e-6)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_disruption_removes_its_share_of_capacity_while_it_lasts(engine):
    # 3 events a year of 20 days at half capacity, overlaps multiplying: the capacity
    # lost in each replication is worked out from its own drawn events, on a 0.1-day grid
    scenario = build_scenario(
        **single_line(
            years=1,
            capacity={"initial": 365},
            disruptions={"per_year": 3, "days": 20, "capacity_lost": 0.5},
        )
    )
    network = compile_network(scenario)
    events = sample_parameters(network, 5, range(30)).disruptions[0]
    _, found = tallies(engine, scenario, replications=30, seed=5)
    for rep in range(30):
        start, end = events.start[rep], np.minimum(events.end[rep], 365.0)
        covered = np.zeros(3650)
        happened = np.isfinite(start)
        for low, high in zip(start[happened], end[happened], strict=True):
            covered[round(low * 10) : round(high * 10)] += 1
        lost = np.sum(1 - 0.5**covered) / 10
        assert found.line_disrupted_days[rep, 0] == pytest.approx(lost, abs=0.5)
        assert found.line_capacity[rep, 0] == pytest.approx(365 - lost, abs=0.5)


def test_disruptions_remove_their_expected_capacity_on_average():
    # the drawn events themselves (the engines agree on them replication by replication,
    # above): Poisson(0.5 a year × 3 years) events of 30 days at half capacity
    replications = 500
    disruptions = {"per_year": 0.5, "days": 30, "capacity_lost": 0.5}
    scenario = build_scenario(
        **single_line(years=3, capacity={"initial": 365}, disruptions=disruptions)
    )
    _, found = tallies("vector", scenario, replications)
    lost = 3 * 365 - found.line_capacity[:, 0]  # 365 a year: about one unit a day
    expected = 1.5 * 30 * 0.5  # less overlaps and the horizon's end, a few per cent
    standard_error = lost.std() / math.sqrt(replications)
    assert abs(lost.mean() - expected) < 4 * standard_error + 0.03 * expected
    # days lost and units lost differ only by the leap year's 365/366 units per day
    assert found.line_disrupted_days[:, 0].mean() == pytest.approx(lost.mean(), rel=0.005)


# --- flow, yield and shipping ------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_flow_time_delays_every_unit_by_the_stated_days(engine):
    days = 70.2  # ten vector steps of 7.02 days
    # from a cold start, so that every unit counted was started in the horizon
    cold = build_scenario(warm_start=False, **single_line(years=2, flow_days=days))
    _, found = tallies(engine, cold)
    # unit n starts when 450·t/365 reaches n and finishes `days` later
    first_year = math.floor(450 * (365 - days) / 365 + EPSILON)
    in_flow = 900 - math.floor(450 * (730 - days) / 365 + EPSILON)
    assert found.line_output[0, 0, 0] == pytest.approx(first_year, abs=1)
    assert found.line_started[0, 0] == 900
    assert found.line_in_flow[0, 0] == pytest.approx(in_flow, abs=1)
    if engine == "des":
        assert (found.line_output[0, 0, 0], found.line_in_flow[0, 0]) == (first_year, in_flow)


@pytest.mark.parametrize("engine", ENGINES)
def test_yield_scales_output_within_binomial_error(engine):
    replications = {"des": 100, "vector": 400}[engine]
    scenario = build_scenario(**single_line(years=1, **{"yield": 0.9}))
    made = output(engine, scenario, replications=replications)[:, 0]
    # each of 450 units passes with probability 0.9, independently
    standard_error = math.sqrt(450 * 0.9 * 0.1 / replications)
    assert abs(made.mean() - 405) < 4 * standard_error
    # the sample standard deviation of n draws is within about 1/√(2n) of σ, relatively
    assert made.std() == pytest.approx(math.sqrt(450 * 0.09), rel=4 / math.sqrt(2 * replications))


@pytest.mark.parametrize("engine", ENGINES)
def test_shipping_delays_arrivals_by_the_lane_days(engine):
    days = 35.1  # five vector steps
    scenario = build_scenario(  # cold: nothing at sea on 1 January
        warm_start=False,
        **component_network(shipping_days={"JP-US": days}, srm={"capacity": {"initial": 365}}),
    )
    network, found = tallies(engine, scenario)
    srm = network.item_index["SRM"]
    # one motor a day leaves Japan (the n-th just before day n); those shipped in the last
    # 35.1 days are at sea: 36 in continuous time, whole steps' worth in the vector engine
    assert found.item_in_transit[0, srm] == pytest.approx(days, abs=1)
    assert found.item_deliveries[0, srm, 0] == pytest.approx(365 - days, abs=1)


# --- inputs ------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_a_consumer_fed_slower_than_it_can_work_is_starved_for_the_difference(engine):
    network, found = tallies(engine, build_scenario(**component_network()))
    pac3 = next(line.index for line in network.lines if line.name == "pac3")
    assert list(found.line_output[0, pac3]) == [200, 200, 200]
    # starved whenever its credit is full: (1 − 200/450) of the time, to within a unit's
    # wait in the DES and a step's in the vector engine
    tolerance = {"des": 2, "vector": 365 / 52}[engine]
    assert found.line_starved_days[0, pac3] == pytest.approx(HORIZON_3 * 250 / 450, abs=tolerance)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_bill_of_materials_consumes_several_inputs_per_unit(engine):
    scenario = build_scenario(**component_network(pac3={"inputs": {"SRM": 2}}))
    assert list(output(engine, scenario)[0]) == [100, 100, 100]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("policy", ["priority", "proportional"])
def test_a_shared_supplier_allocates_by_policy(engine, policy):
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
    network, found = tallies(engine, build_scenario(items=MISSILE, lines=lines, years=1))
    by_name = {line.name: found.line_output[0, line.index, 0] for line in network.lines}
    expected = (500, 100) if policy == "priority" else (600 * 5 / 8, 600 * 3 / 8)
    assert (by_name["first"], by_name["second"]) == pytest.approx(expected, abs=1)


@pytest.mark.parametrize("engine", ENGINES)
def test_an_export_split_fills_each_owners_stock(engine):
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
    network, found = tallies(engine, scenario)
    missile = network.item_index["PAC-3 MSE"]
    by_owner = {
        owner: found.stock_end[0, s, 0]
        for s, (item, owner) in enumerate(network.stocks)
        if item == missile
    }
    assert by_owner == {"JP": 70, "US": 30}


# --- demand, conflict and stock ----------------------------------------------------------

TWO_STREAMS = [
    {"item": "PAC-3 MSE", "owner": "US", "per_year": 120, "priority": 2},
    {"item": "PAC-3 MSE", "owner": "US", "per_year": 60, "priority": 1},
]
"""180 a year wanted from one stock: the second stream is served first."""


@pytest.mark.parametrize("engine", ENGINES)
def test_demand_is_met_from_stock_then_falls_short_and_is_backordered(engine):
    scenario = build_scenario(
        **single_line(capacity={"initial": 0}),
        stockpiles={"PAC-3 MSE": {"US": 50}},
        demand=TWO_STREAMS,
    )
    network, found = tallies(engine, scenario)
    item = network.item_index["PAC-3 MSE"]
    assert found.item_consumed[0, item] == 50
    assert found.item_shortfall[0, item].sum() == 3 * 180 - 50
    assert found.item_backorder[0, item] == 3 * 180 - 50
    assert list(found.stock_end[0, 0]) == [0, 0, 0]


@pytest.mark.parametrize("engine", ENGINES)
def test_production_fills_demand_and_the_rest_is_backordered(engine):
    scenario = build_scenario(
        **single_line(years=2, capacity={"initial": 100}),
        stockpiles={"PAC-3 MSE": {"US": 50}},
        demand=TWO_STREAMS,
    )
    network, found = tallies(engine, scenario)
    item = network.item_index["PAC-3 MSE"]
    # 50 + 200 made, 360 wanted: everything made is consumed, the rest is backordered
    assert found.item_consumed[0, item] == 250
    assert found.item_backorder[0, item] == 110
    assert found.stock_end[0, 0, -1] == 0
    assert found.item_shortfall[0, item].sum() >= 110
    metrics = run(scenario, 1, 1, engine=engine).outcomes.metrics
    assert metrics["item.PAC-3 MSE.backorder_end"][0] == 110


def war(start: str, days: int, per_day: float, **conflict) -> dict:
    return {
        "name": "war",
        "start": start,
        "days": days,
        "consumption_per_day": {"PAC-3 MSE": {"US": per_day}},
        **conflict,
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_conflict_consumption_draws_stock_down_and_is_not_backordered(engine):
    scenario = build_scenario(
        **single_line(years=2, capacity={"initial": 0}),
        stockpiles={"PAC-3 MSE": {"US": 1000}},
        conflicts=[war("2026-07-01", 100, 12)],
    )
    network, found = tallies(engine, scenario)
    item = network.item_index["PAC-3 MSE"]
    assert found.item_consumed[0, item] == 1000
    assert found.item_shortfall[0, item].sum() == 200
    assert found.item_backorder[0, item] == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_a_conflict_with_zero_probability_never_happens(engine):
    scenario = build_scenario(
        **single_line(years=1, capacity={"initial": 0}),
        stockpiles={"PAC-3 MSE": {"US": 1000}},
        conflicts=[war("2026-03-01", 30, 10, probability=0.0)],
    )
    _, found = tallies(engine, scenario, replications=20)
    assert np.all(found.item_consumed == 0)


@pytest.mark.parametrize("engine", ENGINES)
def test_recovery_days_after_a_conflict(engine):
    # one missile a day in, none out, then 3 a day out for 50 days from day 100: the stock
    # is 200 at the start, 100 at the end, and back to 200 on day 250
    scenario = build_scenario(
        **single_line(years=1, capacity={"initial": 365}),
        stockpiles={"PAC-3 MSE": {"US": 100}},
        conflicts=[war("2026-04-11", 50, 3)],
    )
    network, found = tallies(engine, scenario)
    recovery = found.item_recovery_days[0, network.item_index["PAC-3 MSE"]]
    assert recovery == pytest.approx(150, abs={"des": 1, "vector": 365 / 52}[engine])


@pytest.mark.parametrize("engine", ENGINES)
def test_month_and_year_end_stock(engine):
    scenario = build_scenario(**single_line(years=1, capacity={"initial": 365}))
    network, found = tallies(engine, scenario)
    # one unit a day: by the end of each month, as many units as days
    month_ends = network.calendar.month_edges[1:]
    assert np.allclose(found.stock_monthly[0, 0], month_ends, atol=leeway(engine, 365))
    assert found.stock_end[0, 0, 0] == 365
