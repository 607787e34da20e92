"""The event trace of the first replication, and `sim run --engine des [--trace]`."""

from __future__ import annotations

import csv
import json
from collections import Counter

import yaml

from sim.cli.main import main
from sim.runs.montecarlo import run
from tests.conftest import HEADER, build_scenario

SECTIONS = {
    "items": {"missile": {"unit": "missiles"}, "motor": {"unit": "motors"}},
    "lines": {
        "motor": {
            "country": "JP",
            "makes": "motor",
            "capacity": {"initial": 200},
            "yield": 0.9,
            "routes": {"line": {"m": 1.0}},
        },
        "m": {
            "country": "US",
            "makes": "missile",
            "capacity": {"initial": 300},
            "inputs": {"motor": 1},
            "flow_days": 30,
        },
    },
    "shipping_days": {"JP-US": 25},
    "stockpiles": {"missile": {"US": 20}},
    "demand": [{"item": "missile", "owner": "US", "per_year": 250}],
    "conflicts": [
        {
            "name": "war",
            "start": "2027-01-01",
            "days": 30,
            "consumption_per_day": {"missile": {"US": 3}},
        }
    ],
}


def read_trace(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def test_trace_logs_every_event_of_replication_zero(tmp_path):
    trace = tmp_path / "trace.csv"
    result = run(build_scenario(**SECTIONS), 3, 5, engine="des", trace=trace)
    rows = read_trace(trace)
    assert list(rows[0]) == ["day", "line", "event", "quantity"]
    days = [float(row["day"]) for row in rows]
    assert days == sorted(days)
    counts = Counter((row["line"], row["event"]) for row in rows)
    metrics = {name: values[0] for name, values in result.outcomes.metrics.items()}
    for line in ("motor", "m"):
        assert counts[(line, "start")] == metrics[f"line.{line}.started"]
        assert counts[(line, "finish")] == metrics[f"line.{line}.output"]
        assert counts[(line, "scrap")] == metrics[f"line.{line}.scrapped"]
    assert counts[("missile@US", "arrive")] == metrics["line.m.output"]
    met = counts[("missile@US", "demand")] + counts[("missile@US", "fill")]
    assert met == metrics["item.missile.consumed"]
    unmet = counts[("missile@US", "backorder")] + counts[("missile@US", "shortfall")]
    assert unmet == metrics["item.missile.shortfall"]
    starved = sum(float(row["quantity"]) for row in rows if row["event"] == "starve")
    assert abs(starved - metrics["line.m.starved_days"]) < 1e-3


def write_scenario(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump({**HEADER, **SECTIONS}, sort_keys=False), encoding="utf-8")
    return path


def test_cli_runs_the_des_engine_and_writes_the_trace(tmp_path):
    scenario, out, trace = write_scenario(tmp_path), tmp_path / "out", tmp_path / "t.csv"
    arguments = ["run", str(scenario), "--engine", "des", "--reps", "3", "--out", str(out)]
    assert main([*arguments, "--trace", str(trace), "--quiet"]) == 0
    report = json.loads((out / "report.json").read_text())
    assert report["run"]["engine"] == "des"
    assert read_trace(trace)


def test_cli_refuses_a_trace_from_the_vector_engine(tmp_path, capsys):
    scenario, out = write_scenario(tmp_path), tmp_path / "out"
    arguments = ["run", str(scenario), "--out", str(out), "--trace", str(tmp_path / "t.csv")]
    assert main([*arguments, "--quiet"]) == 2
    assert "--trace needs --engine des" in capsys.readouterr().err
    assert not out.exists()
