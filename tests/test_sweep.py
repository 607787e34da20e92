"""`sim sweep` and `sim run --set`: variants with common random numbers."""

from __future__ import annotations

import json

import pytest

from sim.cli.main import main
from sim.runs.sweep import variant_folder
from tests.test_variants import BASE, write


def test_sweep_writes_every_value_and_holds_other_draws_equal(tmp_path):
    scenario = write(
        tmp_path, "base.yaml", BASE.replace("initial: 100", "initial: {uniform: [80, 120]}")
    )
    out = tmp_path / "sweep"
    arguments = [
        "sweep",
        str(scenario),
        "--param",
        "lines.jp.opens",
        "--values",
        "2026-06-01,2028-06-01",
    ]
    arguments += ["--reps", "250", "--metric", "line.us.output", "--metric", "line.jp.output"]
    assert main([*arguments, "--out", str(out), "--quiet"]) == 0
    summary = json.loads((out / "sweep.json").read_text())
    assert summary["values"] == ["2026-06-01", "2028-06-01"]
    us, jp = (
        summary["metrics"]["line.us.output"]["points"],
        summary["metrics"]["line.jp.output"]["points"],
    )
    assert us[0] == us[1]  # the US line's draws do not depend on the Japanese line's opening
    assert jp[0]["mean"] > jp[1]["mean"] + 50  # two more years of 30 a year
    for name in (
        "sweep.md",
        "sweep.html",
        "figures/sweep.png",
        "variants/02-2028-06-01/report.json",
    ):
        assert (out / name).is_file(), name
    # variants are named by their value, not their number
    assert summary["variants"][1] == {
        "value": "2028-06-01",
        "label": "lines.jp.opens = 2028-06-01",
        "folder": "variants/02-2028-06-01",
    }
    markdown = (out / "sweep.md").read_text().replace("\\", "")
    assert "| lines.jp.opens = 2028-06-01 | variants/02-2028-06-01/ |" in markdown


@pytest.mark.parametrize(
    ("number", "value", "folder"),
    [
        (2, "2028-06-01", "02-2028-06-01"),
        (1, "a/b c", "01-a-b-c"),
        (3, "../", "03"),
        (4, "0.5", "04-0.5"),
    ],
)
def test_a_variant_folder_is_named_by_its_value_safely(number, value, folder):
    assert variant_folder(number, value) == folder


def test_unknown_sweep_metric_is_bad_input(tmp_path, capsys):
    scenario = write(tmp_path, "base.yaml", BASE)
    arguments = ["sweep", str(scenario), "--param", "years", "--values", "3", "--reps", "250"]
    assert main([*arguments, "--metric", "line.us.outptu", "--out", str(tmp_path / "o")]) == 2
    assert capsys.readouterr().err.startswith(
        "--metric:1: line.us.outptu: no such metric (did you mean"
    )
    assert not (tmp_path / "o").exists()


def test_run_set_is_applied_and_recorded(tmp_path):
    scenario = write(tmp_path, "base.yaml", BASE)
    out = tmp_path / "run"
    assert (
        main(
            [
                "run",
                str(scenario),
                "--reps",
                "250",
                "--set",
                "lines.jp.opens=2030-01-01",
                "--out",
                str(out),
                "--quiet",
            ]
        )
        == 0
    )
    report = json.loads((out / "report.json").read_text())
    assert report["scenario"]["overrides"] == ["lines.jp.opens=2030-01-01"]
    assert report["metrics"]["line.jp.output"]["mean"] == 0


def test_metric_names_are_checked_before_anything_runs(tmp_path, capsys, monkeypatch):
    import sim.runs.sweep

    def must_not_run(*arguments, **options):
        raise AssertionError("the sweep ran before checking its metrics")

    monkeypatch.setattr(sim.runs.sweep, "run_studies", must_not_run)
    scenario = write(tmp_path, "base.yaml", BASE)
    arguments = ["sweep", str(scenario), "--param", "years", "--values", "2,3"]
    assert main([*arguments, "--metric", "line.jp.ouput", "--out", str(tmp_path / "o")]) == 2
    assert capsys.readouterr().err.startswith("--metric:1: line.jp.ouput: no such metric")
    assert not (tmp_path / "o").exists()


def test_a_bad_value_is_bad_input_before_anything_is_written(tmp_path, capsys):
    scenario = write(tmp_path, "base.yaml", BASE)
    arguments = ["sweep", str(scenario), "--param", "years", "--values", "2,-1"]
    assert main([*arguments, "--out", str(tmp_path / "o"), "--quiet"]) == 2
    assert "years" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_a_precision_sweep_keeps_every_value_at_the_same_replications(tmp_path):
    scenario = write(
        tmp_path, "base.yaml", BASE.replace("initial: 100", "initial: {uniform: [80, 120]}")
    )
    out = tmp_path / "sweep"
    arguments = ["sweep", str(scenario), "--param", "lines.jp.opens"]
    arguments += ["--values", "2026-06-01,2028-06-01", "--reps", "250", "--precision", "0.01"]
    arguments += ["--metric", "line.us.output", "--out", str(out), "--quiet"]
    assert main(arguments) == 0
    summary = json.loads((out / "sweep.json").read_text())
    precision = summary["run"]["precision"]
    assert precision["met"] and precision["target"] == 0.01
    counts = {
        json.loads((out / "variants" / n / "report.json").read_text())["run"]["replications"]
        for n in ("01-2026-06-01", "02-2028-06-01")
    }
    assert counts == {summary["run"]["replications"]} == {precision["replications"]}
    assert not (out / ".chunks").exists()
