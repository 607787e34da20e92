"""A line's stated initial state (docs/model.md, "Warm start": "Stated work in progress").

Hand-computed cases, each run on both engines (helpers from ``tests/test_warm_start.py``):
the vector engine rounds the flow time to whole steps, so where a pipeline is involved it
may be one step's output from the exact number; the stated counts themselves are exact.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.errors import ScenarioError
from sim.loading import parse_scenario
from sim.production.warm import stated_entered, stated_exit_days
from sim.scenario.yamlsource import read_yaml
from tests.conftest import build_scenario
from tests.engines import ENGINES, STEP_DAYS, step_output
from tests.engines import tallies as run
from tests.test_warm_start import ITEMS, one_line


def test_stated_units_finish_evenly_over_the_flow_time():
    # 40 units, 100 days in flow: the j-th finishes at 2.5·j days
    assert np.allclose(stated_exit_days(40, 100.0), 2.5 * np.arange(1, 41), atol=1e-6)
    assert stated_exit_days(0, 100.0).size == 0
    assert stated_exit_days(3, 0.0).tolist() == [0.0, 0.0, 0.0]
    # the vector ring holds exactly the stated units; a flow of no whole step: step 0
    ring, at_once = stated_entered(np.array([[40, 7]]), np.array([[14, 0]]), STEP_DAYS, 15)
    assert ring.sum(axis=0).tolist() == [[40, 0]]
    assert at_once.tolist() == [[0, 7]]


@pytest.mark.parametrize("engine", ENGINES)
def test_stated_work_in_progress_replaces_the_warm_pipeline(engine):
    # 365 a year (1 a day), 100 days in flow, 40 units stated in flow: they finish by
    # day 100 (at 2.5, 5, … 100); the units started on days 1 … 265 finish within the
    # year: 40 + 265 = 305, where the warm pipeline (100 units) would give 365.
    scenario = build_scenario(
        **one_line(years=1, capacity={"initial": 365}, flow_days=100, initial={"in_flow": 40})
    )
    _, tallies = run(engine, scenario)
    leeway = 0 if engine == "des" else step_output(365)
    assert tallies.line_in_flow_start[0, 0] == 40  # exact in both engines
    assert tallies.line_started[0, 0] == 365
    assert abs(tallies.line_output[0, 0, 0] - 305) <= leeway
    assert tallies.line_output[0, 0, 0] + tallies.line_in_flow[0, 0] == 365 + 40


@pytest.mark.parametrize("engine", ENGINES)
def test_stated_units_in_flow_take_the_first_acceptance_fates(engine):
    # yield 0.5: the fates of the 40 stated units are drawn first; started + stated =
    # accepted + scrapped + in flow in every replication
    scenario = build_scenario(
        **one_line(years=1, flow_days=100, initial={"in_flow": 40}, **{"yield": 0.5})
    )
    _, tallies = run(engine, scenario, replications=5)
    assert np.all(tallies.line_in_flow_start[:, 0] == 40)
    assert np.array_equal(
        tallies.line_started[:, 0] + 40,
        tallies.line_output[:, 0].sum(axis=1)
        + tallies.line_scrapped[:, 0]
        + tallies.line_in_flow[:, 0],
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_stated_flow_with_no_flow_time_finishes_on_day_0(engine):
    scenario = build_scenario(
        **one_line(years=1, capacity={"initial": 365}, initial={"in_flow": 7})
    )
    _, tallies = run(engine, scenario)
    assert tallies.line_in_flow_start[0, 0] == 7
    assert tallies.line_output[0, 0, 0] == 365 + 7


def _motor_chain(**pac3_extra) -> dict:
    """Motors from a line opening on 1 July (day 181) feed a warm missile line, 1 a day each."""
    srm = {
        "country": "US",
        "makes": "SRM",
        "capacity": {"initial": 365},
        "opens": "2026-07-01",
        "routes": {"line": {"pac3": 1.0}},
    }
    pac3 = {"country": "US", "makes": "PAC-3 MSE", "capacity": {"initial": 365}}
    pac3.update(inputs={"SRM": 1}, **pac3_extra)
    return {"years": 1, "items": ITEMS, "lines": {"srm": srm, "pac3": pac3}}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_stated_store_is_used_before_deliveries_arrive(engine):
    # 50 motors in store: the missile line starts one a day on days 1 … 50, then starves
    # until the motor line delivers from day 181 (184 motors in the year): 50 + 184
    # missiles, against 184 with an empty store.
    network, tallies = run(engine, build_scenario(**_motor_chain(initial={"stores": {"SRM": 50}})))
    pac3 = next(line.index for line in network.lines if line.name == "pac3")
    motor = network.item_index["SRM"]
    leeway = 0 if engine == "des" else step_output(365)
    assert abs(tallies.line_output[0, pac3, 0] - 234) <= leeway
    assert abs(tallies.line_starved_days[0, pac3] - 131) <= (1e-6 if engine == "des" else STEP_DAYS)
    # the stores' identity: opening balance + arrivals = used + left
    assert tallies.item_in_stores_start[0, motor] == 50
    used = tallies.line_started[0, pac3]
    assert 50 + tallies.item_deliveries[0, motor, 0] == used + tallies.item_in_stores[0, motor]
    _, empty = run(engine, build_scenario(**_motor_chain()))
    assert abs(empty.line_output[0, pac3, 0] - 184) <= leeway
    assert empty.item_in_stores_start[0, motor] == 0


def test_a_line_opening_later_may_hold_a_store():
    # a new line waiting for its opening with components on hand: allowed
    chain = _motor_chain(opens="2026-03-01", initial={"stores": {"SRM": 10}})
    assert build_scenario(**chain).lines["pac3"].initial.stores == {"SRM": 10}


BAD = [
    ("    initial: {stores: {SRM: 5}}\n", "lines.pac3.initial.stores.SRM", "not an input"),
    ("    initial: {in_flow: -1}\n", "lines.pac3.initial.in_flow", "greater than or equal to 0"),
    ("    initial: {in_flow: 2.5}\n", "lines.pac3.initial.in_flow", "integer"),
    ("    initial: {in_flow: 5, wip: 3}\n", "lines.pac3.initial.wip", ""),
    (
        "    opens: 2026-06-01\n    initial: {in_flow: 5}\n",
        "lines.pac3.initial.in_flow",
        "open at the start",
    ),
    (
        "    opens: {uniform: [2025-06-01, 2026-06-01]}\n    initial: {in_flow: 5}\n",
        "lines.pac3.initial.in_flow",
        "open at the start",
    ),
]


@pytest.mark.parametrize(("extra", "path", "message"), BAD)
def test_bad_initial_states_are_file_line_errors(extra, path, message):
    text = (
        "name: x\nstart_year: 2026\nyears: 1\nitems: {PAC-3 MSE: {}, SRM: {}}\n"
        "lines:\n  pac3:\n    country: US\n    makes: PAC-3 MSE\n"
        "    capacity: {initial: 10}\n" + extra
    )
    data, source = read_yaml("s.yaml", text)
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data, source)
    shown = [str(problem) for problem in caught.value.problems]
    assert any(f": {path}: " in line and message in line for line in shown), shown
    assert all(line.startswith("s.yaml:1") for line in shown), shown  # lines 10-11


def test_a_stated_initial_state_cites_its_own_sources():
    from sim.scenario.sources import citations

    stated = {"in_flow": 3, "source": ["nope"]}
    with pytest.raises(ScenarioError, match=r"lines\.pac3\.initial\.source\.0: unknown source"):
        build_scenario(**one_line(initial=stated))
    stated["source"] = ["s"]
    scenario = build_scenario(sources={"s": {"title": "t"}}, **one_line(initial=stated))
    assert citations(scenario)["lines.pac3.initial"] == ["s"]


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=10, deadline=None, derandomize=True)
@given(
    in_flow=st.integers(0, 300),
    stored=st.integers(0, 300),
    flow_days=st.sampled_from([0.0, 2.0, 45.0, 200.0, 500.0]),
    yield_=st.sampled_from([1.0, 0.8]),
)
def test_stated_units_are_never_created_or_lost(engine, in_flow, stored, flow_days, yield_):
    # every line and store identity, whatever the stated state
    chain = _motor_chain(initial={"in_flow": in_flow, "stores": {"SRM": stored}})
    chain["lines"]["pac3"].update(flow_days=flow_days, **{"yield": yield_})
    scenario = build_scenario(**chain)
    network, t = run(engine, scenario, replications=2)
    pac3 = next(line.index for line in network.lines if line.name == "pac3")
    motor = network.item_index["SRM"]
    assert np.all(t.line_in_flow_start[:, pac3] == in_flow)
    assert np.array_equal(
        t.line_started + t.line_in_flow_start,
        t.line_output.sum(axis=2) + t.line_scrapped + t.line_in_flow,
    )
    assert np.all(t.item_in_stores_start[:, motor] == stored)
    used = t.line_started[:, pac3]
    arrived = t.item_deliveries[:, motor].sum(axis=1)
    assert np.array_equal(stored + arrived, used + t.item_in_stores[:, motor])
    assert np.all(t.item_in_stores >= 0)
