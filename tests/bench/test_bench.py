"""``sim bench``: the suite runs end to end, writes its files and lists every scenario.

The real ``sim bench --quick`` takes tens of seconds, so the default test runs the
same command with the quick settings shrunk further (every scenario cut to one year);
the real one is marked slow (``pytest -m slow``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
from pathlib import Path

import pytest

from sim.bench import suite
from sim.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))

TINY = dataclasses.replace(
    suite.QUICK,
    years=1,
    vector_replications=(250, 500),
    budget_seconds=1.0,
    memory_replications=None,  # child processes: tests/bench/test_memory.py, test_end_to_end.py
    end_to_end_replications=None,
    scaling_replications=(250, 500),
    scaling_years=(1, 2),
    scaling_lines=(3, 6),
    series_replications=250,
)


@pytest.fixture(scope="module")
def tiny_bench(tmp_path_factory):
    """`sim bench --quick` with the tiny settings: its folder and printed output."""
    out = tmp_path_factory.mktemp("bench") / "results"
    patch = pytest.MonkeyPatch()
    patch.setattr(suite, "QUICK", TINY)
    try:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            status = main(["bench", "--quick", "--out", str(out), *map(str, SHIPPED)])
    finally:
        patch.undo()
    assert status == 0
    return out, printed.getvalue()


def test_the_folder_holds_json_markdown_and_one_figure_per_series(tiny_bench):
    out, _ = tiny_bench
    assert sorted(path.name for path in out.iterdir()) == [
        ".sim-output",
        "bench.json",
        "bench.md",
        "scaling-lines.png",
        "scaling-replications.png",
        "scaling-years.png",
    ]
    assert not list(out.parent.glob(".tmp-*"))


def test_bench_json_has_both_engines_for_every_scenario(tiny_bench):
    results = json.loads((tiny_bench[0] / "bench.json").read_text())
    assert results["schema_version"] == 1
    assert {s["name"] for s in results["scenarios"]} == {path.stem for path in SHIPPED}
    for scenario in results["scenarios"]:
        assert scenario["des"]["engine"] == "des" and scenario["des"]["replications"] == 1
        assert [point["replications"] for point in scenario["vector"]] == [250, 500]
        for point in [scenario["des"], *scenario["vector"]]:
            assert point["seconds"]["median"] > 0
            assert 0 < point["random_number_share"] <= 1
            # a ratio of two noisy medians: its size is what the bench measures, not a
            # property of the code, so only its presence is checked here
            assert point["floor_ratio"] > 0
            assert point["ns_per_replication_line_step"] > 0
        assert scenario["speedup"] > 0
        assert scenario["memory"] is None
    assert results["reference_scenario"] == "co-production"


def test_bench_json_records_machine_series_and_targets(tiny_bench):
    results = json.loads((tiny_bench[0] / "bench.json").read_text())
    machine = results["machine"]
    assert machine["logical_cores"] >= 1 and machine["cpu"]
    assert machine["numpy"] and machine["python"] and machine["date"]
    assert results["end_to_end"] is None
    for variable, values in (("replications", [250, 500]), ("years", [1, 2]), ("lines", [3, 6])):
        series = results["scaling"][variable]
        assert [point[variable] for point in series["points"]] == values
        assert series["log_log_slope"] is not None
    assert len(results["targets"]) == 6
    assert {target["met"] for target in results["targets"]} <= {True, False, None}


def test_the_printed_table_lists_every_scenario_and_both_engines(tiny_bench):
    _, printed = tiny_bench
    for path in SHIPPED:
        rows = [line for line in printed.splitlines() if path.stem in line]
        assert any("SimPy" in row for row in rows), path.stem
        assert any("NumPy" in row for row in rows), path.stem
    assert "Targets (co-production)" in printed


def test_bench_md_has_the_table_and_the_machine(tiny_bench):
    text = (tiny_bench[0] / "bench.md").read_text()
    assert "| scenario | engine | reps |" in text
    assert "physical" in text and "NumPy" in text
    assert "![scaling-replications.png](scaling-replications.png)" in text


def test_no_scenarios_is_bad_input(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["bench", "--quick", "--quiet"]) == 2


@pytest.mark.slow
def test_the_real_quick_bench_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "quick"
    assert main(["bench", "--quick", "--quiet", "--out", str(out)]) == 0
    results = json.loads((out / "bench.json").read_text())
    assert results["mode"] == "quick" and not results["scaling"]
    run = results["end_to_end"]
    assert run["replications"] == 250 and run["peak_bytes"] > 50e6
