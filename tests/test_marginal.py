"""Where extra capacity helps most (sim.runs.marginal, ``sim run --marginal``), worked by hand.

The chain: a motor line makes 120 a year for a missile line that could make 500; shipping
and flow take no time, and the lines start cold. Only the motors matter: 10 % more motor
capacity adds 12 missiles a year, 10 % more missile capacity adds nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim import catalogue
from sim.cli.main import main
from sim.network import compile_network
from sim.runs.marginal import marginal_capacity, with_more_capacity
from sim.sampling import sample_parameters
from tests.conftest import build_scenario
from tests.engines import step_output

CHAIN = """\
name: chain
start_year: 2026
years: 2
warm_start: false
items:
  PAC-3 MSE: {unit: missiles}
  SRM: {unit: motors}
lines:
  srm: {country: US, makes: SRM, capacity: {initial: 120}, routes: {line: {pac3: 1.0}}}
  pac3: {country: US, makes: PAC-3 MSE, capacity: {initial: 500}, inputs: {SRM: 1}}
stockpiles:
  PAC-3 MSE: {US: 0}
"""


def chain(motors: object = 120) -> dict:
    return {
        "years": 2,
        "warm_start": False,
        "items": {"PAC-3 MSE": {"unit": "missiles"}, "SRM": {"unit": "motors"}},
        "lines": {
            "srm": {
                "country": "US",
                "makes": "SRM",
                "capacity": {"initial": motors},
                "routes": {"line": {"pac3": 1.0}},
            },
            "pac3": {
                "country": "US",
                "makes": "PAC-3 MSE",
                "capacity": {"initial": 500},
                "inputs": {"SRM": 1},
            },
        },
        "stockpiles": {"PAC-3 MSE": {"US": 0}},
    }


STOCK = catalogue.ITEM_STOCK_END.name(item="PAC-3 MSE", year=2027)
DELIVERED = catalogue.ITEM_DELIVERIES_IN_YEAR.name(item="PAC-3 MSE", year=2027)


def test_only_the_slow_supplier_s_capacity_adds_stock():
    # 120 → 132 motors a year over two years: 24 more missiles by the end of 2027, 12 of
    # them delivered in 2027 (to within one vector step's output, the engine used);
    # 550 missiles a year of assembly capacity with no more motors: not one more
    found = marginal_capacity(compile_network(build_scenario(**chain())), seed=1, replications=2)
    by_line = {entry.line: entry for entry in found.lines}
    motors, missiles = by_line["srm"], by_line["pac3"]
    assert motors.effects[STOCK].mean == pytest.approx(24, abs=step_output(132))
    assert motors.effects[DELIVERED].mean == pytest.approx(12, abs=step_output(132))
    assert motors.extra_capacity == pytest.approx(24, abs=1)
    assert missiles.effects[STOCK].mean == 0 and missiles.effects[DELIVERED].mean == 0
    assert missiles.extra_capacity == pytest.approx(100, abs=1)
    assert [entry.line for entry in found.ranked(STOCK)] == ["srm", "pac3"]
    assert (found.year, found.step, found.replications) == (2027, 0.1, 2)


def test_the_effect_is_paired_and_its_interval_covers_the_hand_value():
    # motors uniform on [100, 140] a year: each replication gains 0.1 × rate × 2 years,
    # 24 on average, a spread of 0.2 × 40/√12 ≈ 2.3 — the pairing removes the spread of
    # the rate itself (≈ 23 missiles), so 100 replications give a CI of about ±0.5
    network = compile_network(build_scenario(**chain({"uniform": [100, 140]})))
    found = marginal_capacity(network, seed=3, replications=100)
    effect = next(entry for entry in found.lines if entry.line == "srm").effects[STOCK]
    low, high = effect.ci95
    assert low is not None and high is not None
    assert high - low < 2.0
    # the hand value, to within the vector engine's rounding of a step's output
    assert low - step_output(154) <= 24 <= high + step_output(154)


def test_more_capacity_scales_one_line_s_rates_and_nothing_else():
    network = compile_network(build_scenario(**chain({"uniform": [100, 140]})))
    parameters = sample_parameters(network, 1, range(4))
    srm = next(line.index for line in network.lines if line.name == "srm")
    more = with_more_capacity(parameters, srm, 0.25)
    assert (more.rates[srm] == 1.25 * parameters.rates[srm]).all()
    others = [i for i in range(len(network.lines)) if i != srm]
    assert all(more.rates[i] is parameters.rates[i] for i in others)
    assert more.flow_days is parameters.flow_days  # the same draws otherwise


def test_run_with_marginal_reports_where_capacity_helps(tmp_path: Path):
    scenario = tmp_path / "chain.yaml"
    scenario.write_text(CHAIN, encoding="utf-8")
    out = tmp_path / "out"
    arguments = ["run", str(scenario), "--reps", "5", "--marginal-reps", "3", "--quiet"]
    assert main([*arguments, "--out", str(out)]) == 0
    report = json.loads((out / "report.json").read_text())
    assert report["marginal"]["replications"] == 3
    assert report["marginal"]["lines"]["pac3"]["metrics"][STOCK]["diff"] == 0
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "## Where extra capacity helps most" in markdown
    assert "PAC-3 MSE: srm helps most — +2" in markdown  # +24 or so missiles
    assert (out / "figures" / "marginal.png").is_file()
    assert "(figures/marginal.png)" in markdown
    # a run without the flag has neither
    assert main(["run", str(scenario), "--reps", "5", "--quiet", "--out", str(tmp_path / "b")]) == 0
    assert "marginal" not in json.loads((tmp_path / "b" / "report.json").read_text())


def test_the_marginal_flag_before_the_scenario_leaves_the_scenario_alone():
    """An optional value would swallow the next word: ``--marginal FILE`` must read FILE
    as the scenario, and the count has its own option."""
    from sim.cli.main import parser

    flagged = parser().parse_args(["run", "--marginal", "plan.yaml"])
    assert (flagged.marginal, flagged.marginal_reps, flagged.scenario) == (True, None, "plan.yaml")
    counted = parser().parse_args(["run", "plan.yaml", "--marginal-reps", "50"])
    assert (counted.marginal, counted.marginal_reps) == (False, 50)
