"""The warm start and growth from the opening (DESIGN §8, docs/model.md "Warm start").

Hand-computed cases, each run on both engines. The vector engine rounds delays to whole
steps (Δ = 7.02 days), so where a pipeline is involved it may be one step's output away
from the exact number: ⌈rate × Δ / 365⌉ units, stated as ``STEP_UNITS`` per case.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from sim.errors import ScenarioError
from sim.loading import parse_scenario
from sim.network import compile_network
from sim.production.warm import entered_by_step, exit_days, units_within
from sim.sampling import sample_parameters
from sim.scenario.yamlsource import read_yaml
from tests.conftest import build_scenario
from tests.engines import ENGINES, STEP_DAYS, step_output
from tests.engines import tallies as run

ITEMS = {"PAC-3 MSE": {"unit": "missiles"}, "SRM": {"unit": "motors"}}


def one_line(years: int = 2, **line) -> dict:
    base = {"country": "US", "makes": "PAC-3 MSE", "capacity": {"initial": 600}}
    base.update(line)
    return {"years": years, "items": ITEMS, "lines": {"pac3": base}}


def test_units_within_counts_the_starts_of_a_line_run_backwards():
    # a line at 1 a day started units at days −ε, −1 − ε, −2 − ε, …: 200 within 200 days
    assert units_within(np.array(1.0), np.array(200.0)) == 200
    assert units_within(np.array(1.0), np.array(199.5)) == 200
    assert units_within(np.array(600 / 365), np.array(200.0)) == 329  # ⌊328.77⌋ + 1
    assert units_within(np.array(0.0), np.array(200.0)) == 0
    assert units_within(np.array(2.0), np.array(0.0)) == 0
    # they leave a pipeline of 200 days at days 1, 2, …, 200 (less ε)
    assert np.allclose(exit_days(1.0, 200.0), np.arange(1, 201), atol=1e-6)


def test_vector_warm_ring_holds_the_same_units_step_by_step():
    # 1 unit a day, delay 3 steps of 7 days: 7 units entered in each of steps −1, −2, −3
    entered = entered_by_step(np.array([[1.0]]), np.array([[3]]), 7.0, 4)
    assert entered[:, 0, 0].tolist() == [0, 7, 7, 7]
    assert entered.sum() == units_within(np.array(1.0), np.array(21.0))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_warm_line_delivers_its_rate_in_its_first_year(engine):
    # 600 a year, 200 days in flow: 329 units are in flow on 1 January and finish over
    # the first 200 days; the 271 units started by day 165 finish by day 365. 600 in all.
    scenario = build_scenario(**one_line(flow_days=200))
    network, tallies = run(engine, scenario)
    leeway = 0 if engine == "des" else step_output(600)
    assert abs(tallies.line_output[0, 0, 0] - 600) <= leeway
    assert abs(tallies.line_output[0, 0, 1] - 600) <= leeway
    assert abs(tallies.item_deliveries[0, network.item_index["PAC-3 MSE"], 0] - 600) <= leeway
    if engine == "des":
        assert tallies.line_in_flow_start[0, 0] == 329
    # started in the horizon: exactly the capacity; the opening pipeline is not counted
    assert tallies.line_started[0, 0] == 1200
    assert tallies.line_in_flow_start[0, 0] + 1200 == (
        tallies.line_output[0, 0].sum() + tallies.line_in_flow[0, 0]
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_warm_false_reproduces_the_cold_start(engine):
    # the flow pipeline is empty: the first unit finishes 200 days in
    cold = 600 * 165 / 365
    for scenario in (
        build_scenario(**one_line(flow_days=200, warm=False)),
        build_scenario(warm_start=False, **one_line(flow_days=200)),
    ):
        _, tallies = run(engine, scenario)
        leeway = 0 if engine == "des" else step_output(600)
        assert abs(tallies.line_output[0, 0, 0] - math.floor(cold + 1e-9)) <= leeway
        assert tallies.line_in_flow_start[0, 0] == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_a_warm_two_stage_chain_delivers_missiles_at_the_rate_in_year_one(engine):
    # motors made in Japan (150 days in flow) cross to the US in 30 days and feed a
    # missile line (200 days in flow), all at 600 a year: the motor pipelines (flow and
    # sea) feed the missile line from day 0, so it starts on time and delivers 600.
    srm = {
        "country": "JP",
        "makes": "SRM",
        "capacity": {"initial": 600},
        "flow_days": 150,
        "routes": {"line": {"pac3": 1.0}},
    }
    pac3 = {
        "country": "US",
        "makes": "PAC-3 MSE",
        "capacity": {"initial": 600},
        "inputs": {"SRM": 1},
        "flow_days": 200,
    }
    scenario = build_scenario(
        years=2, items=ITEMS, lines={"srm": srm, "pac3": pac3}, shipping_days={"JP-US": 30}
    )
    network, tallies = run(engine, scenario)
    pac3_index = next(line.index for line in network.lines if line.name == "pac3")
    missiles = tallies.item_deliveries[0, network.item_index["PAC-3 MSE"]]
    # vector: each of the three pipelines (motor flow, sea, missile flow) may be a step off
    leeway = 0 if engine == "des" else 3 * step_output(600)
    assert abs(missiles[0] - 600) <= leeway
    assert abs(missiles[1] - 600) <= leeway
    assert tallies.line_starved_days[0, pac3_index] <= (0 if engine == "des" else STEP_DAYS)
    motors = network.item_index["SRM"]
    if engine == "des":
        assert tallies.item_in_transit_start[0, motors] == units_within(600 / 365, 30.0)
    made = tallies.line_output[0, 1 - pac3_index].sum()
    assert made + tallies.item_in_transit_start[0, motors] == (
        tallies.item_deliveries[0, motors].sum() + tallies.item_in_transit[0, motors]
    )


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    "opens",
    ["2031-01-01", {"triangular": ["2031-01-01", "2031-01-01", "2031-01-01"]}],
    ids=["stated", "drawn"],
)
def test_growth_counts_from_a_late_opening(engine, opens):
    # opens 1 January 2031 in a 2026 start: 100, 120, 144, 172.8, 207.36 a year from then,
    # whether the date is stated or drawn (a distribution, here one that can only give it)
    scenario = build_scenario(
        **one_line(
            years=10,
            opens=opens,
            capacity={"initial": 100, "target": 10_000, "growth_cap": 0.2},
        )
    )
    _, tallies = run(engine, scenario)
    by_year = [0] * 5 + [100 * 1.2**n for n in range(5)]
    expected = np.diff(np.floor(np.cumsum(by_year) + 1e-9), prepend=0)
    assert tallies.line_output[0, 0].tolist() == expected.tolist()
    assert expected[5:].tolist() == [100, 120, 144, 172, 208]


@pytest.mark.parametrize("engine", ENGINES)
def test_growth_counts_from_each_replications_drawn_opening(engine):
    # opening drawn in 2030; ramp year n begins on the n-th anniversary of the drawn day,
    # so each replication makes 100 + 120 + 144 + 172.8 + 207.36 in its first five ramp
    # years and 248.832 a year in the part of its sixth before 1 January 2036
    scenario = build_scenario(
        **one_line(
            years=10,
            opens={"uniform": ["2030-01-01", "2031-01-01"]},
            capacity={"initial": 100, "target": 10_000, "growth_cap": 0.2},
        )
    )
    network, tallies = run(engine, scenario, replications=20)
    opening = sample_parameters(network, 1, range(20)).opens[:, 0]
    start, end = dt.date(2026, 1, 1), dt.date(2036, 1, 1)
    for rep, day in enumerate(opening):
        date = start + dt.timedelta(days=math.floor(day))
        fifth, sixth = (dt.date(date.year + n, date.month, date.day) for n in (5, 6))
        left = (end - fifth).days - (day - math.floor(day))
        capacity = 744.16 + 248.832 * left / (sixth - fifth).days
        assert tallies.line_capacity[rep, 0] == pytest.approx(capacity, rel=1e-9)
        assert tallies.line_output[rep, 0].sum() == math.floor(capacity + 1e-9)


@pytest.mark.parametrize("engine", ENGINES)
def test_growth_counts_from_an_opening_before_the_start(engine):
    # opened 1 January 2024, no ramp_start: 2026 is its third ramp year, 100 × 1.2² = 144
    scenario = build_scenario(
        **one_line(opens="2024-01-01", capacity={"initial": 100, "target": 200, "growth_cap": 0.2})
    )
    _, tallies = run(engine, scenario)
    assert tallies.line_output[0, 0].tolist() == [144, 172]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_line_opening_inside_the_horizon_starts_empty(engine):
    # opens 1 January 2027 with 200 days in flow: nothing in 2026, and in 2027 only the
    # units started in its first 165 days
    scenario = build_scenario(**one_line(opens="2027-01-01", flow_days=200))
    _, tallies = run(engine, scenario)
    leeway = 0 if engine == "des" else step_output(600)
    assert tallies.line_output[0, 0, 0] == 0
    assert abs(tallies.line_output[0, 0, 1] - math.floor(600 * 165 / 365 + 1e-9)) <= leeway
    assert tallies.line_in_flow_start[0, 0] == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_a_warm_line_delivers_its_rate_times_yield(engine):
    # the units in the opening pipeline pass acceptance like any other: 0.9 × 600 a year
    replications = 200
    scenario = build_scenario(**one_line(years=1, flow_days=200, **{"yield": 0.9}))
    _, tallies = run(engine, scenario, replications)
    output = tallies.line_output[:, 0, 0]
    standard_error = math.sqrt(600 * 0.9 * 0.1 / replications)
    leeway = 0 if engine == "des" else step_output(600)
    assert abs(output.mean() - 540) < 4 * standard_error + 0.9 * leeway
    scrapped = tallies.line_scrapped[:, 0]
    assert np.array_equal(
        tallies.line_started[:, 0] + tallies.line_in_flow_start[:, 0],
        output + tallies.line_in_flow[:, 0] + scrapped,
    )


def test_ramp_year_zero_defaults_to_the_opening():
    start = dt.date(2026, 1, 1)
    line = build_scenario(**one_line()).lines["pac3"]
    assert line.ramp_year_zero(start) == start
    fixed = build_scenario(**one_line(opens="2031-01-01")).lines["pac3"]
    assert fixed.ramp_year_zero(start) == dt.date(2031, 1, 1)
    # an uncertain opening: each replication's drawn day (None here)
    uncertain = {"uniform": ["2027-01-01", "2029-01-01"]}
    drawn = build_scenario(**one_line(opens=uncertain))
    assert drawn.lines["pac3"].ramp_year_zero(start) is None
    assert compile_network(drawn).lines[0].ramp_start is None
    stated = build_scenario(
        **one_line(opens=uncertain, capacity={"initial": 1, "ramp_start": "2027-06-01"})
    )
    assert stated.lines["pac3"].ramp_year_zero(start) == dt.date(2027, 6, 1)
    assert compile_network(stated).lines[0].ramp_start == dt.date(2027, 6, 1)


def test_warm_must_be_true_or_false():
    text = "name: x\nstart_year: 2026\nyears: 1\nwarm_start: maybe\n"
    data, source = read_yaml("s.yaml", text)
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data, source)
    assert str(caught.value.problems[0]).startswith("s.yaml:4: warm_start: ")


@pytest.mark.parametrize("engine", ENGINES)
def test_an_opening_pipeline_longer_than_the_horizon_is_still_in_flow_at_the_end(engine):
    # 365 a year, 500 days in flow, one year: 500 units in flow on 1 January, 365 finish
    # in the year, and the 135 left join the 365 started in the year, still in flow
    scenario = build_scenario(**one_line(years=1, flow_days=500, capacity={"initial": 365}))
    _, tallies = run(engine, scenario)
    leeway = 0 if engine == "des" else step_output(365)
    assert abs(tallies.line_output[0, 0, 0] - 365) <= leeway
    assert abs(tallies.line_in_flow_start[0, 0] - 500) <= leeway
    assert tallies.line_started[0, 0] == 365
    assert tallies.line_in_flow[0, 0] == (
        365 + tallies.line_in_flow_start[0, 0] - tallies.line_output[0, 0, 0]
    )
