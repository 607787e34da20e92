"""The Python API: ``from sim import load_scenario, run, compare``."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

import sim
from sim.errors import RunError, ScenarioError
from tests.test_cli import SMALL


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("api") / "small.yaml"
    path.write_text(SMALL)
    return path


@pytest.fixture(scope="module")
def result(scenario_file):
    return sim.run(scenario_file, reps=300, seed=4, workers=1)


def test_importing_sim_loads_nothing_heavy():
    code = "import sys, sim; print(sorted({'numpy', 'sim.api'} & set(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]"


def test_a_run_gives_summaries_and_per_replication_values(result):
    assert result.replications == 300 and result.seed == 4
    summary = result.summary("line.us.output")
    assert summary["unit"] == "missiles" and summary["n"] == 300
    values = result.values("line.us.output")
    assert values.shape == (300,) and summary["mean"] == pytest.approx(values.mean())
    assert "line.us.output" in repr(result.metrics) and "300 replications" in repr(result)
    with pytest.raises(KeyError, match=r"did you mean line\.us\.output"):
        result.summary("line.us.outptu")


def test_to_frame_is_one_row_per_replication(result):
    pandas = pytest.importorskip("pandas")
    frame = result.to_frame()
    assert isinstance(frame, pandas.DataFrame) and frame.shape == (300, len(result.metrics))
    assert np.array_equal(frame["line.us.output"].to_numpy(), result.values("line.us.output"))


def test_to_frame_without_pandas_says_what_to_do(result, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(RunError, match=r"needs pandas \(pip install pandas\)"):
        result.to_frame()


def test_save_writes_what_sim_run_writes(result, scenario_file, tmp_path):
    from sim.cli.main import main

    result.save(tmp_path / "api")
    assert (
        main(
            [
                "run",
                str(scenario_file),
                "--reps",
                "300",
                "--seed",
                "4",
                "--quiet",
                "--out",
                str(tmp_path / "cli"),
            ]
        )
        == 0
    )
    for name in ("report.json", "report.md", "report.html", "replications.csv"):
        assert (tmp_path / "api" / name).is_file(), name
    api, cli = (json.loads((tmp_path / k / "report.json").read_text()) for k in ("api", "cli"))
    assert api["metrics"] == cli["metrics"]
    assert (tmp_path / "api" / "replications.csv").read_bytes() == (
        tmp_path / "cli" / "replications.csv"
    ).read_bytes()


def test_compare_pairs_runs_of_the_same_seed(result, scenario_file, tmp_path):
    later = sim.run(
        scenario_file, reps=300, seed=4, workers=1, overrides=["lines.us.capacity.initial=150"]
    )
    comparison = sim.compare(result, later)
    assert comparison.paired
    entry = comparison.metrics["line.us.output"]
    assert entry["diff"] == pytest.approx(
        later.summary("line.us.output")["mean"] - result.summary("line.us.output")["mean"]
    )
    assert entry["ci95"][0] <= entry["diff"] <= entry["ci95"][1]
    result.save(tmp_path / "a")
    from_folder = sim.compare(tmp_path / "a", later)
    assert from_folder.metrics["line.us.output"] == entry
    comparison.save(tmp_path / "comparison")
    assert (tmp_path / "comparison" / "comparison.json").is_file()


def test_load_scenario_reports_problems_with_file_and_line(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(SMALL.replace("years: 2", "years: -2"))
    with pytest.raises(ScenarioError) as refused:
        sim.load_scenario(broken)
    assert str(refused.value).startswith(f"{broken}:3: years: ")
