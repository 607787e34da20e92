"""The `sim` command end to end: shipped scenarios run, bad input writes nothing."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli.main import main
from tests.command_line import sim

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
    modelled = [item for item in ("PAC-3 MSE", "SM-3 IIA", "AIM-120") if item in report_items(out)]
    assert modelled, "a shipped scenario models at least one of the DICAS missiles"
    for end_item in modelled:
        year = report["years"][-1]
        summary = report["metrics"][f"item.{end_item}.deliveries.{year}"]
        assert set(summary) >= {"unit", "mean", "sd", "ci95", "p5", "p50", "p95"}
    assert not list(tmp_path.glob(".tmp-*"))


def report_items(out: Path) -> set[str]:
    """The items whose deliveries a run's report.json gives (``item.<item>.deliveries``)."""
    metrics = json.loads((out / "report.json").read_text())["metrics"]
    return {name.split(".")[1] for name in metrics if name.startswith("item.")}


def test_same_seed_gives_identical_report_numbers(tmp_path):
    # co-production runs against baseline: the counterfactual's numbers repeat too
    scenario = str(ROOT / "scenarios" / "co-production.yaml")
    for out in ("a", "b"):
        arguments = ["run", scenario, "--reps", "100", "--seed", "9", "--quiet"]
        assert main([*arguments, "--out", str(tmp_path / out)]) == 0
    first = json.loads((tmp_path / "a" / "report.json").read_text())
    second = json.loads((tmp_path / "b" / "report.json").read_text())
    assert first["metrics"] == second["metrics"]
    assert first["against"]["metrics"] == second["against"]["metrics"]


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


SMALL = """\
name: small
start_year: 2026
years: 2
items:
  missile: {unit: missiles}
lines:
  us:
    country: US
    makes: missile
    capacity: {initial: {uniform: [80, 120]}}
stockpiles:
  missile: {US: 10}
demand:
  - {item: missile, owner: US, per_year: {uniform: [40, 60]}}
"""


@pytest.fixture
def small(tmp_path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL)
    return path


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--max-reps", "500"], "sim: --max-reps applies only with --precision"),
        (["--workers", "2", "--scheduler", "tcp://x:1"], "sim: --workers and --scheduler"),
        (["--scheduler", "tcp://x:1", "--engine", "des", "--trace", "t.csv"], "sim: --trace"),
    ],
)
def test_execution_flags_that_cannot_go_together_are_bad_input(
    small, tmp_path, capsys, flags, message
):
    assert main(["run", str(small), "--out", str(tmp_path / "o"), "--quiet", *flags]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith(message) and "\n" not in error
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("value", ["0", "1", "-0.1", "two"])
def test_precision_must_be_a_fraction(small, value, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["run", str(small), "--precision", value])
    assert stopped.value.code == 2
    assert "--precision" in capsys.readouterr().err


def test_precision_run_records_its_target_and_replications(small, tmp_path, capsys):
    out = tmp_path / "precise"
    assert main(["run", str(small), "--reps", "250", "--precision", "0.01", "--out", str(out)]) == 0
    precision = json.loads((out / "report.json").read_text())["run"]["precision"]
    assert precision["met"] and precision["target"] == 0.01
    replications = json.loads((out / "report.json").read_text())["run"]["replications"]
    assert precision["replications"] == replications
    assert f"Precision 1 % reached with {replications:,} replications." in capsys.readouterr().out


def test_an_unreachable_scheduler_is_a_one_line_error(small, tmp_path, capsys, monkeypatch):
    pytest.importorskip("distributed", reason="Dask distributed is not installed")
    from sim.execution import cluster

    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 1)
    arguments = ["run", str(small), "--scheduler", "tcp://127.0.0.1:9", "--quiet"]
    assert main([*arguments, "--out", str(tmp_path / "o")]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("sim: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert "\n" not in error


def test_a_scheduler_without_dask_installed_says_how_to_install_it(
    small, tmp_path, capsys, monkeypatch
):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    arguments = ["run", str(small), "--scheduler", "tcp://127.0.0.1:9", "--quiet"]
    assert main([*arguments, "--out", str(tmp_path / "o")]) == 1
    error = capsys.readouterr().err.strip()
    assert error == "sim: --scheduler needs Dask distributed: pip install 'dicas-sim[dask]'"


def test_a_summary_piped_to_a_file_is_not_wrapped_at_80_columns(tmp_path):
    # a pipe is not a terminal: rich would fit tables to 80 columns and break numbers
    # across lines; the summary's rows must stay whole for grep and log files
    root = Path(__file__).resolve().parents[1]
    out = str(tmp_path / "out")
    finished = sim("run", "scenarios/co-production.yaml", "--reps", "50", "--out", out, cwd=root)
    assert finished.returncode == 0, finished.stderr
    rows = [line for line in finished.stdout.splitlines() if line.startswith("│ PAC-3 MSE")]
    assert len(rows) == 1, finished.stdout
    assert re.search(r"\d[\d,]* \([\d,]+–[\d,]+\)", rows[0])
