"""Orders (issue 14, item 1): contract awards fund a line's starts, worked by hand.

Each case is written once and run in both engines: the DES exactly, the vector engine
within one step's output of the line (docs/model.md, "Engine agreement"). The rules are
in :mod:`sim.production.orders`; docs/model.md, "Orders", states them in words.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.errors import ScenarioError
from sim.network import compile_network
from sim.production.orders import fiscal_year_start
from sim.production.units import EPSILON
from sim.sampling import sample_parameters
from tests.conftest import build_scenario
from tests.engines import ENGINES, step_output
from tests.engines import tallies as run

OCTOBER_1 = 273
"""Day of 1 October 2026 since 1 January 2026: the start of US FY2027."""


def one_line(orders, years: int = 2, country: str = "US", **extra):
    """A 1,200/yr line open from 2026-01-01, no flow time, with `orders`."""
    line = {"country": country, "makes": "PAC-3 MSE", "capacity": {"initial": 1200}}
    line.update(orders=orders, **extra.pop("line", {}))
    return build_scenario(
        years=years,
        items={"PAC-3 MSE": {"unit": "missiles"}},
        lines={"line": line},
        stockpiles={"PAC-3 MSE": {country: 0}},
        **extra,
    )


def units(days: float, per_year: float = 1200) -> int:
    """Whole units a line of `per_year` starts in `days` from an empty credit."""
    return math.floor(days * per_year / 365 + EPSILON)


def tolerance(engine: str) -> int:
    return 0 if engine == "des" else step_output(1200)


# --- The worked example --------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_worked_example_makes_902_then_298(engine):
    # FY2026's 600 are funded on 2025-10-01, before the start: done by early July (day
    # 182.5); the line then stands idle until FY2027 begins on 1 October, and makes
    # 92 days × 1,200/365 = 302 of FY2027's 600 by the year's end: 902. Idle capacity is
    # lost (no unit held ready), so it is 302, not 303. The other 298 follow in 2027.
    _, tallies = run(engine, one_line({2026: 600, 2027: 600}))
    made_2026 = 600 + units(365 - OCTOBER_1)
    assert made_2026 == 902
    assert abs(tallies.line_output[0, 0, 0] - 902) <= tolerance(engine)
    assert tallies.line_output[0, 0].sum() == 1200
    # backlog on 31 December: awarded (both fiscal years) less started
    backlog = tallies.line_order_backlog[0, 0]
    assert abs(backlog[0] - 298) <= tolerance(engine) and backlog[1] == 0
    # idle from the moment the 601st unit's capacity is there (day 182.5 + d, d = 365/1200
    # days a unit) to 1 October, and from the 1,201st's (FY2027's 600 started from
    # 1 October) to the end of 2027
    d = 365 / 1200
    expected = (OCTOBER_1 - 182.5 - d) + (730 - (OCTOBER_1 + 600 * d) - d)
    slack = 1e-6 if engine == "des" else 2 * 365 / 52
    assert abs(tallies.line_unfunded_days[0, 0] - expected) <= slack


@pytest.mark.parametrize("engine", ENGINES)
def test_a_line_without_orders_is_not_gated(engine):
    _, tallies = run(engine, one_line(None))
    assert tallies.line_output[0, 0, 0] == 1200
    assert tallies.line_unfunded_days[0, 0] == 0


# --- Appropriation delays, lead times, multi-year awards --------------------------------


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("delay", [0, 30, 61])
def test_an_appropriation_delay_shifts_the_years_awards_by_exactly_the_delay(engine, delay):
    # A continuing resolution holds FY2027's appropriation `delay` days: its units start
    # `delay` days later, so 2026 makes 600 + ⌊(92 − delay) × 1,200/365⌋.
    scenario = one_line({2026: 600, 2027: 600}, appropriations={"US": {2027: delay}})
    _, tallies = run(engine, scenario)
    expected = 600 + units(365 - OCTOBER_1 - delay)
    assert abs(tallies.line_output[0, 0, 0] - expected) <= tolerance(engine)
    assert tallies.line_output[0, 0].sum() == 1200


def test_an_appropriation_delay_moves_the_funding_day_exactly():
    scenario = one_line({2026: 600, 2027: 600}, appropriations={"US": {2027: {"uniform": [0, 90]}}})
    network = compile_network(scenario)
    parameters = sample_parameters(network, 7, range(50))
    book = parameters.orders[0]
    delay = parameters.by_name()["appropriations.US.2027"]
    np.testing.assert_array_equal(book.released[:, 1], OCTOBER_1 + delay)
    np.testing.assert_array_equal(book.released[:, 0], 0.0)  # 2025-10-01: before the start


@pytest.mark.parametrize("engine", ENGINES)
def test_the_lead_time_counts_from_the_award(engine):
    # FY2026 awarded 2025-10-01 with a 365-day lead: its units may start on 2026-10-01
    scenario = one_line({2026: 600}, line={"award_to_start_days": 365})
    _, tallies = run(engine, scenario)
    assert abs(tallies.line_output[0, 0, 0] - units(365 - OCTOBER_1)) <= tolerance(engine)
    assert tallies.line_output[0, 0].sum() == 600


@pytest.mark.parametrize("engine", ENGINES)
def test_a_multi_year_award_pays_the_lead_time_once(engine):
    # One contract in FY2026 for 600 a year over FY2026-27, 365-day lead: FY2026's lot is
    # released on 2026-10-01, FY2027's as soon as its year is funded (also 2026-10-01),
    # since the long-lead items were bought up front. Two single-year awards would release
    # FY2027's units only on 2027-10-01.
    award = {"units": {2026: 600, 2027: 600}}
    scenario = one_line({2026: award}, line={"award_to_start_days": 365})
    _, tallies = run(engine, scenario)
    first = units(365 - OCTOBER_1)
    assert abs(tallies.line_output[0, 0, 0] - first) <= tolerance(engine)
    assert abs(tallies.line_output[0, 0, 1] - (1200 - first)) <= tolerance(engine)
    single = one_line({2026: 600, 2027: 600}, line={"award_to_start_days": 365})
    _, tallies = run(engine, single)
    second = 600 - first + units(365 - OCTOBER_1)
    assert abs(tallies.line_output[0, 0, 1] - second) <= tolerance(engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_an_award_date_replaces_the_fiscal_year_start(engine):
    award = {"units": 100, "awarded": "2026-07-02"}  # day 182
    _, tallies = run(engine, one_line({2026: award}))
    assert tallies.line_output[0, 0, 0] == 100
    # idle from the first unit's capacity (day d, d = 365/1200) to the award, and from
    # the 101st's after it to the end: 730 − 102·d days
    d = 365 / 1200
    assert abs(tallies.line_unfunded_days[0, 0] - (730 - 102 * d)) <= (
        1e-6 if engine == "des" else 2 * 365 / 52
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_a_warm_line_s_pipeline_was_funded_before(engine):
    # A warm line with half a year in flow holds 600 units at the start; they finish in
    # 2026 whatever the orders, and FY2026's 600 are started on top of them.
    scenario = one_line({2026: 600}, line={"flow_days": 182.5})
    _, tallies = run(engine, scenario)
    assert tallies.line_started[0, 0] == 600
    assert abs(tallies.line_in_flow_start[0, 0] - 600) <= 1
    assert abs(tallies.line_output[0, 0, 0] - 1200) <= 1 + tolerance(engine)


def test_fiscal_years_are_named_for_the_calendar_year_holding_most_of_them():
    assert fiscal_year_start(2026, "10-01") == dt.date(2025, 10, 1)  # US
    assert fiscal_year_start(2026, "04-01") == dt.date(2026, 4, 1)  # Japan
    assert fiscal_year_start(2026, "07-01") == dt.date(2025, 7, 1)  # Australia


@pytest.mark.parametrize("engine", ENGINES)
def test_a_japanese_line_is_funded_on_1_april(engine):
    scenario = one_line({2026: 1000}, country="JP")
    _, tallies = run(engine, scenario)
    assert abs(tallies.line_output[0, 0, 0] - units(365 - 90)) <= tolerance(engine)


# --- Bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "path", "message"),
    [
        ({"fiscal_years": {"US": "13-01"}}, "fiscal_years.US", "is not a day of the year"),
        ({"fiscal_years": {"US": "02-30"}}, "fiscal_years.US", "is not a day of the year"),
        ({"appropriations": {"US": {"2027": -5}}}, "appropriations.US.2027", ">= 0"),
    ],
)
def test_bad_fiscal_keys_are_located_errors(extra, path, message):
    with pytest.raises(ScenarioError) as error:
        one_line({2026: 600}, **extra)
    problem = error.value.problems[0]
    assert problem.path == path and message in problem.message


def test_orders_in_a_country_without_a_fiscal_year_say_how_to_add_one():
    with pytest.raises(ScenarioError) as error:
        one_line({2026: 600}, country="KR", shipping_days={})
    problem = error.value.problems[0]
    assert problem.path == "lines.line.orders" and "fiscal_years: {KR: MM-DD}" in problem.message


def test_an_empty_multi_year_award_is_an_error():
    with pytest.raises(ScenarioError) as error:
        one_line({2026: {"units": {}}})
    assert "lists no fiscal years" in error.value.problems[0].message


# --- Conservation: never a start without funding ----------------------------------------

ORDERS = st.dictionaries(
    st.integers(2025, 2029),
    st.one_of(
        st.integers(0, 900),
        st.builds(
            lambda low, width: {"uniform": [low, low + width]},
            st.integers(0, 600),
            st.integers(1, 300),
        ),
    ),
    min_size=1,
    max_size=4,
)


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    orders=ORDERS,
    lead=st.sampled_from([0, 45, {"uniform": [100, 500]}]),
    delay=st.sampled_from([0, {"uniform": [0, 150]}]),
    rate=st.integers(50, 1500),
    flow=st.sampled_from([0, 30, 200]),
)
def test_no_line_starts_more_than_it_was_awarded_and_released(
    engine, orders, lead, delay, rate, flow
):
    scenario = one_line(
        orders,
        years=3,
        line={"award_to_start_days": lead, "flow_days": flow, "capacity": {"initial": rate}},
        appropriations={"US": {year: delay for year in orders}},
    )
    network = compile_network(scenario)
    parameters = sample_parameters(network, 11, range(20))
    book = parameters.orders[0]
    edges = network.calendar.year_edges
    reps = 20 if engine == "vector" else 3
    tallies = run(engine, scenario, replications=reps, seed=11)[1]
    for r in range(reps):
        for y in range(3):
            end = float(edges[y + 1])
            awarded = book.awarded_by(end)[r]
            started = awarded - tallies.line_order_backlog[r, 0, y]
            released = int(np.where(book.released[r] < end, book.units[r], 0).sum())
            assert 0 <= started <= released <= awarded
        assert tallies.line_started[r, 0] <= book.units[r].sum()
        assert tallies.line_unfunded_days[r, 0] >= 0


def test_an_award_may_carry_its_own_uncertain_date_and_lead_time():
    award = {
        "units": 100,
        "awarded": {"uniform": ["2026-03-01", "2026-06-01"]},
        "award_to_start_days": 30,
    }
    scenario = one_line({2026: award, 2027: 50}, line={"award_to_start_days": 200})
    parameters = sample_parameters(compile_network(scenario), 5, range(40))
    book = parameters.orders[0]
    day = parameters.by_name()["lines.line.orders.2026.awarded"]
    assert np.all((day >= 59) & (day <= 151))
    by_units = np.where(book.units == 100, book.released, np.nan)
    np.testing.assert_allclose(np.nanmax(by_units, axis=1), day + 30)
    fy2027 = np.where(book.units == 50, book.released, np.nan)
    np.testing.assert_allclose(np.nanmax(fy2027, axis=1), OCTOBER_1 + 200)


def test_the_vector_engine_s_cursor_walks_the_steps_as_the_rule_says():
    from sim.production.orders import StepCursor

    award = {"units": {2026: {"uniform": [1, 400]}, 2027: 300}}
    scenario = one_line(
        {2025: 50, 2026: award, 2027: {"uniform": [0, 500]}},
        years=3,
        line={"award_to_start_days": {"uniform": [0, 400]}},
        appropriations={"US": {2027: {"uniform": [0, 200]}}},
    )
    network = compile_network(scenario)
    book = sample_parameters(network, 3, range(60)).orders[0]
    cursor, edges = StepCursor(book), network.calendar.step_edges
    for start, end in itertools.pairwise(edges):
        for walked, ruled in zip(cursor.advance(start, end), book.step(start, end), strict=True):
            np.testing.assert_array_equal(walked, ruled)


# --- The report ----------------------------------------------------------------------------


def test_the_report_shows_backlog_and_unfunded_days_only_where_a_line_has_orders(tmp_path):
    from sim.report.figures import write_figures
    from sim.report.json import build_report
    from sim.report.markdown import render_markdown
    from sim.runs.montecarlo import run as run_many

    finished = run_many(one_line({2026: 600, 2027: 600}), replications=10, seed=1)
    report = build_report(finished)
    assert report["metrics"]["line.line.order_backlog_end.2026"]["mean"] == 298
    figures = write_figures(finished, report, tmp_path / "with")
    markdown = render_markdown(finished, report, figures)
    section = markdown.split("## Orders and funding")[1].split("\n## ")[0]
    assert "| 2026 | 298 |" in section and "Unfunded days" in section
    assert "order-backlog.png" in section
    plain = run_many(one_line(None), replications=10, seed=1)
    plain_report = build_report(plain)
    assert not [name for name in plain_report["metrics"] if "unfunded" in name or "backlog" in name]
    plain_figures = write_figures(plain, plain_report, tmp_path / "without")
    assert "Orders and funding" not in render_markdown(plain, plain_report, plain_figures)
    assert "order-backlog" not in [figure.key for figure in plain_figures]
