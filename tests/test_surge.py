"""Wartime surge (issue #14 item 3): worked by hand, held in both engines (sim.production.surge).

A line at a fixed 365/yr makes one unit a day, so every number below is a count of days.
The DES is exact; the vector engine may differ by one step's output of the surging line
(docs/model.md, "Engine agreement").
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.errors import ScenarioError
from sim.network import compile_network
from sim.production.surge import extra_factor_days, mean_factor
from sim.sampling import sample_parameters
from tests.conftest import build_scenario
from tests.engines import ENGINES, step_output
from tests.engines import tallies as run
from tests.test_scenario import problems_of

YEAR_2027 = 1
"""Index of 2027 in a scenario that starts in 2026."""


def one_line(
    surge: dict | None = None,
    days: float = 365,
    inputs: bool = False,
    motor: dict | None = None,
    **line,
):
    """A 365/yr line (optionally fed 1:1 by a 365/yr motor line) and a conflict in 2027."""
    conflict = {"name": "war", "start": "2027-01-01", "days": days}
    if surge is not None:
        conflict["surge"] = surge
    lines = {
        "missile": {
            "country": "US",
            "makes": "M",
            "capacity": {"initial": 365},
            "routes": {"stock": "US"},
            **line,
        }
    }
    items = {"M": {}}
    if inputs:
        items["SRM"] = {}
        lines["missile"]["inputs"] = {"SRM": 1}
        lines["motor"] = {
            "country": "US",
            "makes": "SRM",
            "capacity": {"initial": 365},
            "routes": {"line": {"missile": 1.0}},
            **(motor or {}),
        }
    return build_scenario(
        start_year=2026,
        years=3,
        items=items,
        lines=lines,
        stockpiles={"M": {"US": 0}},
        conflicts=[conflict],
    )


def missile(network) -> int:
    return next(node.index for node in network.lines if node.name == "missile")


def tolerance(engine: str, per_year: float = 730) -> int:
    return 0 if engine == "des" else step_output(per_year)


@pytest.mark.parametrize("engine", ENGINES)
def test_worked_example_of_the_issue(engine):
    # 365/yr, unlimited inputs, a year-long conflict from 2027-01-01 whose surge doubles
    # the rate after 90 days: 365 at the old rate plus 275 extra days = 640 in 2027, and
    # peacetime again in 2028. The surge's own output is the 275 extra units.
    surge = {"lines": ["missile"], "after_days": 90, "factor": 2.0}
    network, tallies = run(engine, one_line(surge))
    i = missile(network)
    output = tallies.line_output[0, i]
    assert abs(output[YEAR_2027] - 640) <= tolerance(engine)
    assert abs(output[0] - 365) <= tolerance(engine) and abs(output[2] - 365) <= tolerance(engine)
    assert output.sum() == 365 + 640 + 365  # the step error moves units between years only
    surge_output = tallies.line_surge_output[0, i]
    assert surge_output[YEAR_2027] == pytest.approx(275, abs=tolerance(engine) + 1e-6)
    assert surge_output[0] == pytest.approx(0, abs=1e-6)
    assert surge_output[2] == pytest.approx(0, abs=1e-6)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("surge", "days", "extra"),
    [
        # ramp: from day 30 the factor rises to 3 over 60 days, (3 − 1)·60/2 = 60 extra,
        # then 2 extra a day from day 90 to the end (180) plus 30 held: 120 days → 240
        ({"after_days": 30, "ramp_days": 60, "hold_days": 30, "factor": 3.0}, 180, 300),
        # the same without the hold: 30 days fewer at 2 extra a day
        ({"after_days": 30, "ramp_days": 60, "factor": 3.0}, 180, 240),
        # a conflict ending 30 days into the ramp cuts it: 2·30²/(2·60) = 15 extra
        ({"after_days": 30, "ramp_days": 60, "factor": 3.0}, 60, 15),
        # mobilisation slower than the war: no surge at all
        ({"after_days": 200, "factor": 3.0}, 180, 0),
        # ... unless it is held past the conflict's end: 200 → 210, 10 days at 2 extra
        ({"after_days": 200, "hold_days": 30, "factor": 3.0}, 180, 20),
    ],
    ids=["ramp-and-hold", "ramp", "ramp-cut-by-the-end", "too-late", "too-late-but-held"],
)
def test_ramp_and_hold_edges(engine, surge, days, extra):
    network, tallies = run(engine, one_line({"lines": ["missile"], **surge}, days=days))
    i = missile(network)
    assert abs(tallies.line_output[0, i, YEAR_2027] - (365 + extra)) <= tolerance(engine, 1095)
    # units beyond peacetime capacity, inputs unlimited: ∫ (m − 1) dt in all
    made_on_surge = tallies.line_surge_output[0, i, YEAR_2027]
    assert made_on_surge == pytest.approx(extra, abs=1 + tolerance(engine, 1095))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("motors_surge", [False, True])
def test_a_surge_is_bounded_by_its_inputs(engine, motors_surge):
    # The missile line doubles after 90 days, but takes one motor a unit from a 365/yr
    # motor line: unless the motor line surges too, 2027 brings 365 motors and so at
    # most 365 missiles (the rest of the surge's capacity is lost waiting, starved, for motors).
    lines = ["missile", "motor"] if motors_surge else ["missile"]
    surge = {"lines": lines, "after_days": 90, "factor": 2.0}
    network, tallies = run(engine, one_line(surge, inputs=True))
    i = missile(network)
    made = tallies.line_output[0, i, YEAR_2027]
    surge_output = tallies.line_surge_output[0, i, YEAR_2027]
    if motors_surge:
        assert abs(made - 640) <= tolerance(engine)
        assert surge_output == pytest.approx(275, abs=tolerance(engine) + 1)
    else:
        # starts no faster than peacetime capacity allows: none of them is the surge's
        assert surge_output == pytest.approx(0, abs=tolerance(engine) + 1e-6)
        assert made <= 365 + tolerance(engine, 365)
        # at twice the motors' rate its credit fills in half a day and waits the other half
        starved = tallies.line_starved_days[0, i]
        assert starved == pytest.approx(275 / 2, abs=1e-6 if engine == "des" else 7)
    # every missile took one motor: none is made from nothing
    motors = tallies.item_deliveries[0, network.item_index["SRM"]].sum()
    assert tallies.line_started[0, i] <= motors


@pytest.mark.parametrize("engine", ENGINES)
def test_after_waiting_for_inputs_the_surge_counts_again(engine):
    # The missile line (doubled from 2027-01-01 all year) has no motors until its motor
    # line opens on day 100 of 2027 (day 465) and sends 100 a day, the first a hundredth
    # of a day later. It waited with one unit of credit, peacetime's too, so its first
    # unit is peacetime's; then it starts one every half day to the year's end (day 730):
    # ⌊264.99 / 0.5⌋ = 529 more, 530 in all, each after the first half surge: 264.5.
    surge = {"lines": ["missile"], "after_days": 0, "factor": 2.0}
    motor = {"opens": "2027-04-11", "capacity": {"initial": 36500}}
    scenario = one_line(surge, inputs=True, motor=motor)
    network, tallies = run(engine, scenario)
    i = missile(network)
    assert tallies.line_output[0, i, 0] == 0
    assert abs(tallies.line_output[0, i, YEAR_2027] - 530) <= tolerance(engine)
    surge_output = tallies.line_surge_output[0, i, YEAR_2027]
    assert surge_output == pytest.approx(264.5, abs=1e-6 + tolerance(engine) / 2)


def without(tallies, *names: str) -> dict[str, np.ndarray]:
    return {
        f.name: getattr(tallies, f.name) for f in dataclasses.fields(tallies) if f.name not in names
    }


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    "inactive",
    [{"approved": 0.0}, {"factor": 1.0}],
    ids=["not-approved", "factor-one"],
)
def test_a_conflict_without_surge_is_unchanged(engine, inactive):
    # A surge that is never ordered (or doubles nothing) leaves every number of the run
    # as it is without one, bit for bit: yields and disruptions draw as before.
    line = {
        "yield": 0.9,
        "flow_days": 30,
        "disruptions": {"per_year": 2, "days": 40, "capacity_lost": 0.5},
    }
    surge = {"lines": ["missile"], "after_days": 90, "factor": 2.0, **inactive}
    _, plain = run(engine, one_line(None, **line), replications=3)
    _, quiet = run(engine, one_line(surge, **line), replications=3)
    for name, values in without(plain).items():
        np.testing.assert_array_equal(values, getattr(quiet, name), err_msg=name)


@pytest.mark.parametrize("engine", ENGINES)
def test_acceptance_reaches_the_surge_output(engine):
    # A surging line makes more units than its capacity would: their acceptance fates are
    # drawn far enough, so scrap stays near 1 − yield of what was started.
    line = {"yield": 0.9}
    surge = {"lines": ["missile"], "after_days": 0, "factor": 5.0}
    network, tallies = run(engine, one_line(surge, days=730, **line), replications=2)
    i = missile(network)
    started, scrapped = tallies.line_started[:, i], tallies.line_scrapped[:, i]
    assert np.all(started > 365 * 9)
    # binomial: sd √(n·0.09) ≈ 19 units at n ≈ 4,000; five sd
    assert np.all(np.abs(scrapped - 0.1 * started) <= 5 * np.sqrt(0.09 * started))
    assert np.all(tallies.line_output[:, i].sum(axis=1) + scrapped == started)


def test_approval_is_drawn_per_replication():
    # approved: 0.3 → the surge happens in a share of replications near 0.3 (sd of the
    # share √(0.3·0.7/1000) ≈ 0.0145), drawn from its own stream; the dates are common.
    scenario = one_line(
        {"lines": ["missile"], "after_days": {"uniform": [30, 90]}, "factor": 2.0, "approved": 0.3}
    )
    network = compile_network(scenario)
    parameters = sample_parameters(network, 7, range(1000))
    i = missile(network)
    on = parameters.surge.factor[:, i] > 1
    assert abs(on.mean() - 0.3) <= 4 * 0.0145
    begin = parameters.surge.begin[:, i] - parameters.conflict_start[:, 0]
    assert begin.min() >= 30 and begin.max() <= 90
    assert "conflicts.war.surge.after_days" in parameters.by_name()
    assert "conflicts.war.surge.approved" not in parameters.by_name()  # fixed: not a draw


def test_the_ramp_integral_by_hand():
    window = (np.array(10.0), np.array(30.0), np.array(50.0), np.array(3.0))
    # up the ramp: 2·x²/(2·20) at x days in; then 2 a day; nothing after the end
    assert extra_factor_days(np.array(20.0), *window) == pytest.approx(5.0)
    assert extra_factor_days(np.array(30.0), *window) == pytest.approx(20.0)
    assert extra_factor_days(np.array(50.0), *window) == pytest.approx(60.0)
    assert extra_factor_days(np.array(99.0), *window) == pytest.approx(60.0)
    assert mean_factor(np.array(30.0), np.array(50.0), *window) == pytest.approx(3.0)


@settings(max_examples=60, deadline=None)
@given(
    begin=st.floats(0, 100),
    ramp=st.floats(0, 100),
    length=st.floats(0, 200),
    factor=st.floats(1, 10),
    cuts=st.lists(st.floats(-50, 400), min_size=3, max_size=3),
)
def test_the_surge_factor_stays_in_range_and_adds_up(begin, ramp, length, factor, cuts):
    a, b, c = sorted(cuts)
    window = (np.array(begin), np.array(begin + ramp), np.array(begin + length), np.array(factor))
    mean = float(mean_factor(np.array(a), np.array(c), *window))
    assert 1.0 - 1e-9 <= mean <= factor + 1e-9
    # extra factor-days over [a, c] are those over [a, b] plus [b, c]
    whole = extra_factor_days(np.array(c), *window) - extra_factor_days(np.array(a), *window)
    parts = (b - a) * (mean_factor(np.array(a), np.array(b), *window) - 1) + (c - b) * (
        mean_factor(np.array(b), np.array(c), *window) - 1
    )
    assert float(whole) == pytest.approx(float(parts), abs=1e-6 * (1 + factor * 400))


SURGE_YAML = """\
name: s
start_year: 2026
years: 3
items:
  M: {{}}
lines:
  missile: {{country: US, makes: M, capacity: {{initial: 365}}}}
conflicts:
  - name: war
    start: 2027-01-01
    days: 100
    surge: {surge}
  - name: other
    start: 2028-01-01
    days: 100
    surge: {{lines: [missile], after_days: 10, factor: 2}}
"""


@pytest.mark.parametrize(
    ("surge", "message"),
    [
        (
            "{lines: [missle], after_days: 10, factor: 2}",
            "s.yaml:12: conflicts.0.surge.lines.0: unknown line 'missle' (known: missile)",
        ),
        (
            "{lines: [missile], after_days: 10, factor: 0.5}",
            "s.yaml:12: conflicts.0.surge.factor: must be >= 1",
        ),
        (
            "{lines: [missile], after_days: 10, factr: 2}",
            "s.yaml:12: conflicts.0.surge.factr",
        ),
    ],
    ids=["unknown-line", "factor-below-one", "typo"],
)
def test_bad_surges_are_reported_by_file_and_line(surge, message):
    problems = problems_of(SURGE_YAML.format(surge=surge))
    assert any(problem.startswith(message) for problem in problems), problems


def test_a_line_surges_in_one_conflict_only():
    text = SURGE_YAML.format(surge="{lines: [missile], after_days: 10, factor: 2}")
    problems = problems_of(text)
    assert any(
        p.startswith("s.yaml:16: conflicts.1.surge.lines.0: line 'missile' already surges")
        for p in problems
    ), problems


def test_the_report_shows_the_surge(tmp_path):
    from sim.report.figures import write_figures
    from sim.report.json import build_report
    from sim.report.markdown import render_markdown
    from sim.runs.montecarlo import run as run_replications

    surge = {"lines": ["missile"], "after_days": 90, "factor": 2.0, "hold_days": 30}
    finished = run_replications(one_line(surge), replications=4, seed=1)
    report = build_report(finished)
    assert report["metrics"]["line.missile.surge_output.2027"]["mean"] == pytest.approx(275, abs=8)
    assert report["metrics"]["line.missile.surge_output.2028"]["mean"] == pytest.approx(30, abs=8)
    assert "line.missile.surge_output" in report["metrics"]
    figures = write_figures(finished, report, tmp_path / "figures")
    assert "figures/surge-output.png" in [figure.path for figure in figures]
    markdown = render_markdown(finished, report, figures)
    conflicts = markdown[markdown.index("## Conflicts and stockpile recovery") :]
    assert "figures/surge-output.png" in conflicts
    assert "It surges missile to 2× capacity (mean) from 90 days after its start" in markdown
    assert "Wartime surge: units each surging line started beyond" in markdown
    table = markdown[markdown.index("| Line | 2027 | 2028 | All years |") :]
    assert table.splitlines()[2].startswith("| missile | 275")


# --- a surge's supplemental appropriation (orders) ---------------------------------------


def funded_line(surge_orders: dict | None, approved: float = 1.0):
    """A 730/yr line funded only by FY2027's 365 units (released 1 October 2026), and a
    conflict from 1 January 2027 whose surge (factor 1: capacity unchanged) brings a
    supplemental award 90 days in."""
    surge = {"lines": ["missile"], "after_days": 90, "factor": 1.0, "approved": approved}
    if surge_orders is not None:
        surge["orders"] = surge_orders
    return build_scenario(
        start_year=2026,
        years=2,
        items={"M": {}},
        lines={
            "missile": {
                "country": "US",
                "makes": "M",
                "capacity": {"initial": 730},
                "routes": {"stock": "US"},
                "orders": {2027: 365},
            }
        },
        stockpiles={"M": {"US": 0}},
        conflicts=[{"name": "war", "start": "2027-01-01", "days": 365, "surge": surge}],
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_a_supplemental_award_funds_units_from_the_surge_on(engine):
    # FY2027's 365 start at 2 a day from 1 October 2026 (day 273): 184 by the year's end,
    # the other 181 by day 455.5. The supplemental 200 are released on day 365 + 90 = 455,
    # before the line runs dry, so it carries on at 2 a day: 181 + 200 = 381 in 2027.
    network, found = run(engine, funded_line({"missile": 200}))
    i = missile(network)
    assert found.line_started[0, i] == 565
    assert abs(found.line_output[0, i, 0] - 184) <= tolerance(engine)
    assert abs(found.line_output[0, i, 1] - 381) <= tolerance(engine)
    # without the award, or where the surge is not ordered, the line stops at FY2027's
    for scenario in (funded_line(None), funded_line({"missile": 200}, approved=0.0)):
        _, plain = run(engine, scenario)
        assert plain.line_started[0, i] == 365


def test_supplemental_orders_go_to_surging_lines_funded_by_orders():
    unfunded = {"lines": ["missile"], "after_days": 90, "factor": 2, "orders": {"missile": 50}}
    with pytest.raises(ScenarioError) as caught:
        one_line(unfunded)
    assert "has no orders" in str(caught.value)
    elsewhere = {"lines": ["missile"], "after_days": 90, "factor": 2, "orders": {"motor": 50}}
    with pytest.raises(ScenarioError) as caught:
        one_line(elsewhere, inputs=True)
    assert "does not surge in this conflict" in str(caught.value)
