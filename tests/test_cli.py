"""The `sim` command end to end: shipped scenarios run, bad input writes nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli import main

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))


def test_every_shipped_scenario_is_present():
    assert {path.stem for path in SHIPPED} >= {"baseline", "co-production", "contingency"}


@pytest.mark.parametrize("scenario", SHIPPED, ids=lambda path: path.stem)
def test_shipped_scenario_runs_and_writes_the_full_report(scenario, tmp_path):
    out = tmp_path / scenario.stem
    assert main(["run", str(scenario), "--reps", "250", "--out", str(out), "--quiet"]) == 0
    for name in ("report.json", "report.md", "report.html", "replications.csv"):
        assert (out / name).is_file(), name
    assert list((out / "figures").glob("*.png"))
    report = json.loads((out / "report.json").read_text())
    assert report["run"]["replications"] == 250
    assert report["scenario"]["name"] == scenario.stem
    for end_item in ("PAC-3 MSE", "SM-3 IIA", "AIM-120"):
        year = report["years"][-1]
        summary = report["metrics"][f"item.{end_item}.deliveries.{year}"]
        assert set(summary) >= {"unit", "mean", "sd", "ci95", "p5", "p50", "p95"}
    assert not list(tmp_path.glob(".tmp-*"))


def test_same_seed_gives_identical_report_numbers(tmp_path):
    scenario = str(ROOT / "scenarios" / "co-production.yaml")
    for out in ("a", "b"):
        assert (
            main(
                [
                    "run",
                    scenario,
                    "--reps",
                    "300",
                    "--seed",
                    "9",
                    "--out",
                    str(tmp_path / out),
                    "--quiet",
                ]
            )
            == 0
        )
    first = json.loads((tmp_path / "a" / "report.json").read_text())
    second = json.loads((tmp_path / "b" / "report.json").read_text())
    assert first["metrics"] == second["metrics"]


def test_bad_scenario_exits_2_and_writes_nothing(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: broken\nstart_year: 2026\nyears: -1\n")
    out = tmp_path / "out"
    completed = subprocess.run(
        [sys.executable, "-m", "sim", "run", str(broken), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stderr.startswith(f"{broken}:3: years: ")
    assert "Traceback" not in completed.stderr
    assert not out.exists()


def test_unwritable_output_is_a_one_line_error(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    scenario = str(ROOT / "scenarios" / "baseline.yaml")
    assert main(["run", scenario, "--reps", "250", "--out", str(blocker / "out"), "--quiet"]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("sim: cannot write") and "\n" not in error


def test_schema_is_json_with_the_scenario_keys(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert {"name", "lines", "items", "demand", "conflicts", "stockpiles"} <= set(
        schema["properties"]
    )


def test_sources_lists_what_each_source_backs(capsys):
    assert main(["sources", str(ROOT / "scenarios" / "co-production.yaml")]) == 0
    out = capsys.readouterr().out
    assert "lines." in out
