"""``--precision``: the stopping rule, the rounds, and what the report records."""

from __future__ import annotations

import pytest

from sim.cli.main import main
from sim.errors import ScenarioError
from sim.execution.precision import Check, check, next_total, target_half_width
from sim.execution.summaries import summarise_outcomes
from sim.exit_status import PRECISION_NOT_MET
from sim.loading import load_scenario
from sim.runs.montecarlo import run
from sim.streams import BLOCK
from tests.execution.helpers import same_numbers, small_scenario
from tests.test_variants import BASE, write


def test_the_target_is_relative_with_an_absolute_floor_of_one_unit():
    assert target_half_width(500, 0.01) == pytest.approx(5)
    assert target_half_width(-500, 0.01) == pytest.approx(5)
    assert target_half_width(0.3, 0.01) == pytest.approx(0.01)  # a fraction: 1 point
    assert target_half_width(0, 0.01) == pytest.approx(0.01)


def summary(mean, half, n=100):
    if n == 0:
        return {"mean": None, "ci95": [None, None], "n": 0}
    return {"mean": mean, "ci95": [mean - half, mean + half], "n": n}


def test_each_metric_is_checked_against_the_rule():
    summaries = {
        "wide": summary(100, 2),
        "narrow": summary(100, 0.5),
        "never zero": summary(0, 0),
        "rare": summary(0.01, 0.03),
        "undefined": summary(None, None, n=0),
        "single": summary(4, 0, n=1),
    }
    met = {entry.metric: entry.met for entry in check(summaries, list(summaries), 0.01)}
    assert met == {
        "wide": False,
        "narrow": True,
        "never zero": True,  # every replication 0: nothing left to estimate
        "rare": False,
        "undefined": False,
        "single": False,  # one value has no interval
    }


def test_the_next_round_follows_the_worst_metric_by_the_square_root_rule():
    twice_too_wide = Check("m", 100, 2, 1, 1000)
    assert next_total(1000, [twice_too_wide], 10**6) == 4000  # 1000 × 2² × 1.1 → capped at 4×
    slightly_wide = Check("m", 100, 1.05, 1, 1000)
    assert next_total(1000, [slightly_wide], 10**6) == 1250  # 1213 rounded up to a block
    assert next_total(1000, [Check("m", 100, 1.0001, 1, 1000)], 10**6) == 1000 + BLOCK
    assert next_total(1000, [twice_too_wide], 2600) == 2600  # never past --max-reps
    unknown = Check("m", None, None, None, 0)
    assert next_total(1000, [unknown], 10**6) == 2000  # no estimate: double


def test_a_precision_run_stops_when_every_headline_metric_is_precise_enough():
    headline = ["item.missile.deliveries", "line.m1.output"]
    scenario = small_scenario().model_copy(update={"headline": headline})
    result = run(scenario, 250, 6, chunk_size=250, precision=0.01)
    record = result.precision
    assert record["met"] and record["target"] == 0.01 and len(record["rounds"]) > 1
    assert record["replications"] == result.replications == record["rounds"][-1]
    assert set(record["metrics"]) == set(scenario.headline)
    for name, entry in record["metrics"].items():
        low, high = result.summaries.metrics[name]["ci95"]
        assert entry["half_width"] == pytest.approx((high - low) / 2)
        assert entry["half_width"] <= entry["target"]
    # the round before did not reach it, and the same count as a plain run is the same run
    previous = run(scenario, record["rounds"][-2], 6)
    assert not all(entry.met for entry in _checks(previous, scenario.headline, 0.01))
    assert same_numbers(run(scenario, result.replications, 6), result)


def _checks(result, names, precision):
    return check(summarise_outcomes(result.outcomes).metrics, names, precision)


def test_a_precision_run_stops_at_max_reps():
    result = run(small_scenario(), 250, 6, precision=1e-6, max_replications=600)
    assert result.replications == 600
    assert result.precision["met"] is False and result.precision["max_replications"] == 600


def test_default_headline_metrics_are_the_end_items_stock_at_the_end():
    result = run(small_scenario(), 250, 6, precision=0.5)
    assert list(result.precision["metrics"]) == ["item.missile.stock_end.2028"]


def test_an_unknown_headline_metric_is_bad_input_at_its_line(tmp_path):
    text = BASE + "headline:\n  - line.us.output\n  - line.us.outptu\n"
    path = write(tmp_path, "base.yaml", text)
    with pytest.raises(ScenarioError) as refused:
        run(load_scenario(path), 250, 1, precision=0.01)
    (problem,) = refused.value.problems
    assert (problem.file, problem.line, problem.path) == (str(path), text.count("\n"), "headline.1")
    assert "no such metric (did you mean line.us.output" in problem.message


def test_a_target_not_met_is_written_and_exits_3_and_the_report_says_what_was_run(tmp_path):
    uncertain = BASE.replace("initial: 100,", "initial: {uniform: [80, 120]},")
    path = write(tmp_path, "uncertain.yaml", uncertain)  # its end stock has a spread
    out = tmp_path / "out"
    arguments = ["run", str(path), "--reps", "250", "--workers", "1", "--out", str(out)]
    arguments += ["--precision", "1e-6", "--max-reps", "500", "--quiet"]
    assert main([*arguments, "--set", "seed=5"]) == PRECISION_NOT_MET
    text = (out / "report.md").read_text(encoding="utf-8")
    run_section = text.split("\n## ")[1]
    assert "- Overrides (--set): seed=5" in run_section
    assert "- Precision 0.0001 % not reached within --max-reps (500 replications)" in run_section
    assert "(the widest at ±" in run_section
    # met: status 0, and the report says so
    met = ["run", str(path), "--reps", "250", "--workers", "1", "--out", str(tmp_path / "met")]
    assert main([*met, "--precision", "0.5", "--quiet"]) == 0
    assert "- Precision 50 % reached with 250 replications." in (
        tmp_path / "met" / "report.md"
    ).read_text(encoding="utf-8")
