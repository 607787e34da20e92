"""``sim sensitivity`` end to end: files, their structure, and every bad-input path."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from sim.cli.main import main
from tests.sensitivity.scenarios import DRIVER, UNRELATED, needs_salib

SCENARIO = """\
name: drivers
start_year: 2026
years: 2
seed: 4
replications: 300
items:
  X: {unit: missiles}
  Y: {unit: missiles}
lines:
  a: {country: US, makes: X, capacity: {initial: {uniform: [100, 200]}},
      opens: {uniform: [2026-01-01, 2026-06-30]},
      disruptions: {per_year: 2, days: 40, capacity_lost: 1.0}}
  b: {country: US, makes: Y, capacity: {initial: {uniform: [50, 80]}}}
stockpiles:
  X: {US: 0}
  Y: {US: 0}
"""
METRIC = "item.X.stock_end.2027"


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "drivers.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def rank_study(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("rank")
    path = folder / "drivers.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    out = folder / "out"
    arguments = ["sensitivity", str(path), "--metric", METRIC, "--metric", "item.Y.stock_end.2027"]
    status = main([*arguments, "--out", str(out)])
    assert status == 0
    return out


def test_every_file_is_written(rank_study):
    out = rank_study
    for name in ("sensitivity.json", "sensitivity.md", "sensitivity.html"):
        assert (out / name).is_file(), name
    figures = sorted(path.name for path in (out / "figures").iterdir())
    assert figures == ["item.X.stock_end.2027.png", "item.Y.stock_end.2027.png"]
    assert not list(out.parent.glob(".tmp-*"))


def test_the_json_ranks_every_input_per_metric(rank_study):
    out = rank_study
    study = json.loads((out / "sensitivity.json").read_text(encoding="utf-8"))
    assert study["method"] == "rank"
    assert study["run"]["replications"] == 300 and study["run"]["model_runs"] == 300
    assert "per event" in study["noise"]
    metric = study["metrics"][METRIC]
    assert metric["n"] == 300 and metric["varies"] and 0 < metric["r_squared"] <= 1
    inputs = metric["inputs"]
    assert set(inputs) == {DRIVER, UNRELATED, "lines.a.opens"}
    assert [entry["rank"] for entry in inputs.values()] == [1, 2, 3]
    driver = inputs[DRIVER]
    assert driver["method"] == "rank"
    assert driver["spearman_ci95"][0] < driver["spearman"] < driver["spearman_ci95"][1]
    assert set(driver) >= {"spearman", "spearman_ci95", "srrc", "srrc_ci95", "p5", "p95"}
    assert inputs["lines.a.opens"]["spearman"] < 0
    assert 100 < driver["p5"] < driver["p95"] < 200


def test_the_markdown_names_the_drivers_in_words(rank_study):
    out = rank_study
    markdown = (out / "sensitivity.md").read_text(encoding="utf-8")
    assert "is driven most by: 1. lines.a.capacity.initial (ρ = +" in markdown
    assert "the later it is the lower the metric" in markdown
    assert "](figures/item.X.stock_end.2027.png)" in markdown


def test_the_summary_lists_the_top_drivers(scenario, tmp_path, capsys):
    status = main(["sensitivity", str(scenario), "--metric", METRIC, "--out", str(tmp_path / "o")])
    assert status == 0
    printed = capsys.readouterr().out
    assert METRIC in printed and DRIVER in printed and "ρ (95 % CI)" in printed


def test_default_metrics_are_each_end_items_final_stock(scenario, tmp_path):
    out = tmp_path / "o"
    assert main(["sensitivity", str(scenario), "--reps", "60", "--out", str(out), "--quiet"]) == 0
    study = json.loads((out / "sensitivity.json").read_text(encoding="utf-8"))
    assert list(study["metrics"]) == ["item.X.stock_end.2027", "item.Y.stock_end.2027"]


def test_inputs_can_be_narrowed_by_pattern(scenario, tmp_path):
    out = tmp_path / "o"
    arguments = ["sensitivity", str(scenario), "--metric", METRIC, "--reps", "60"]
    assert main([*arguments, "--input", "lines.a.*", "--out", str(out), "--quiet"]) == 0
    study = json.loads((out / "sensitivity.json").read_text(encoding="utf-8"))
    assert set(study["metrics"][METRIC]["inputs"]) == {DRIVER, "lines.a.opens"}


def test_an_unknown_metric_is_bad_input_with_close_matches(scenario, tmp_path, capsys):
    out = tmp_path / "o"
    status = main(
        ["sensitivity", str(scenario), "--metric", "item.X.stock_end.2072", "--out", str(out)]
    )
    assert status == 2
    error = capsys.readouterr().err
    assert "--metric:1: item.X.stock_end.2072: no such metric" in error
    assert "did you mean item.X.stock_end.2027" in error
    assert "Traceback" not in error
    assert not out.exists()


def test_a_pattern_matching_no_input_is_bad_input(scenario, tmp_path, capsys):
    status = main(["sensitivity", str(scenario), "--input", "lines.c.*", "--out", str(tmp_path)])
    assert status == 2
    assert "--input:1: lines.c.*: no such uncertain input" in capsys.readouterr().err


def test_a_size_option_of_the_other_method_is_bad_input(scenario, capsys):
    assert main(["sensitivity", str(scenario), "--samples", "64"]) == 2
    assert "--samples does not apply to --method rank" in capsys.readouterr().err


def test_sobol_without_salib_says_how_to_install_it(scenario, tmp_path, monkeypatch, capsys):
    for name in [name for name in sys.modules if name.split(".")[0] == "SALib"] + ["SALib"]:
        monkeypatch.setitem(sys.modules, name, None)
    status = main(["sensitivity", str(scenario), "--method", "sobol", "--out", str(tmp_path / "o")])
    assert status == 1
    error = capsys.readouterr().err
    assert error.strip() == (
        "sim: --method sobol needs SALib, which is not installed: "
        "pip install 'dicas-sim[sensitivity]'"
    )


@needs_salib
def test_sobol_end_to_end(scenario, tmp_path, capsys):
    out = tmp_path / "o"
    arguments = ["sensitivity", str(scenario), "--method", "sobol", "--samples", "32"]
    assert main([*arguments, "--metric", METRIC, "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert "32 base samples × (3 inputs + 3) = 192 model runs" in printed.err
    study = json.loads((out / "sensitivity.json").read_text(encoding="utf-8"))
    assert study["method"] == "sobol"
    assert study["run"] == study["run"] | {"base_samples": 32, "model_runs": 192, "inputs": 3}
    metric = study["metrics"][METRIC]
    assert metric["ranked_by"] == "total_order"
    assert set(metric["remainder"]) >= {"first_order", "total_order_ci95"}
    first = next(iter(metric["inputs"].values()))
    assert set(first) >= {"rank", "method", "first_order", "first_order_ci95", "total_order"}
    assert (out / "figures" / f"{METRIC}.png").is_file()


@needs_salib
def test_sobol_samples_must_be_a_power_of_two(scenario, capsys):
    assert main(["sensitivity", str(scenario), "--method", "sobol", "--samples", "100"]) == 2
    assert "power of two" in capsys.readouterr().err
