"""The run report against history: report.json's ``history``, its section and figure.

A deterministic line makes the band known by hand: capacity 100 a year growing by 50 %
a year, no flow time, no losses, so every replication delivers exactly 100, 150 and
225 and the band is a single point each year.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sim.loading import load_scenario
from sim.report.history import verdict
from sim.report.json import build_report
from sim.runs.montecarlo import run
from tests.conftest import build_scenario

ROOT = Path(__file__).resolve().parents[2]
HINDCAST = ROOT / "scenarios" / "hindcast-pac3.yaml"
DELIVERIES = "item.PAC-3 MSE.deliveries"

LINE = {
    "country": "US",
    "makes": "M",
    "capacity": {"initial": 100, "target": 1000, "growth_cap": 0.5},
}


def deterministic(history: dict) -> dict:
    """report.json of the deterministic line (100, 150, 225 a year) with `history`."""
    scenario = build_scenario(
        sources={"maker": {"title": "Maker"}, "press": {"title": "Press"}},
        items={"M": {"unit": "missiles"}},
        lines={"m": LINE},
        history=history,
    )
    return build_report(run(scenario, 20, seed=3))


def test_observations_against_a_band_known_by_hand():
    report = deterministic(
        {
            "item.M.deliveries": {
                "2026": 100,
                "2027": {"value": 140, "source": ["press"], "note": "a low reading"},
                "2028": 300,
                "source": ["maker"],
            },
            "line.m.output": {"2027": 150, "source": ["maker"]},
        }
    )
    history = report["history"]
    assert list(history) == ["item.M.deliveries", "line.m.output"]
    first, second, third = (history["item.M.deliveries"][year] for year in ("2026", "2027", "2028"))
    # on the band's only point: inside (both ends of P5-P95 are included)
    expected = {"observed": 100, "p5": 100, "p50": 100, "p95": 100, "inside": True}
    assert {key: first[key] for key in expected} == expected
    assert first["position"] == "inside" and first["percentile_rank"] == 50
    assert second["observed"] == 140 and (second["p5"], second["p95"]) == (150, 150)
    assert second["inside"] is False and second["position"] == "below"
    assert second["percentile_rank"] == 0
    assert second["sources"] == ["maker", "press"] and second["note"] == "a low reading"
    assert (third["p95"], third["inside"], third["position"]) == (225, False, "above")
    assert third["percentile_rank"] == 100
    assert third["metric"] == "item.M.deliveries.2028" and third["unit"] == "missiles"
    assert history["line.m.output"]["2027"]["inside"] is True
    assert verdict(history) == (
        "2 of 4 observations inside P5–P95 (item.M.deliveries.2027 below the band, at the "
        "model's 0th percentile; item.M.deliveries.2028 above the band, at the model's "
        "100th percentile)."
    )


def test_the_band_is_the_metrics_own():
    """With spread (uncertain growth) the record repeats the metric's percentiles."""
    line = {**LINE, "capacity": {**LINE["capacity"], "growth_cap": {"uniform": [0.1, 0.5]}}}
    scenario = build_scenario(
        sources={"maker": {"title": "Maker"}},
        items={"M": {"unit": "missiles"}},
        lines={"m": line},
        history={"item.M.deliveries": {"2028": 180, "source": ["maker"]}},
    )
    result = run(scenario, 300, seed=5)
    report = build_report(result)
    record = report["history"]["item.M.deliveries"]["2028"]
    summary = report["metrics"]["item.M.deliveries.2028"]
    for key in ("p5", "p50", "p95", "mean"):
        assert record[key] == summary[key]
    assert record["inside"] == (summary["p5"] <= 180 <= summary["p95"])
    values = result.outcomes.metrics["item.M.deliveries.2028"]
    below, tied = (values < 180).sum(), (values == 180).sum()
    assert record["percentile_rank"] == pytest.approx(100 * (below + tied / 2) / len(values))


def test_the_same_seed_gives_the_same_history_whatever_the_chunks():
    scenario = load_scenario(HINDCAST)
    whole = build_report(run(scenario, 500, seed=11))["history"]
    chunked = build_report(run(scenario, 500, seed=11, chunk_size=250))["history"]
    assert json.dumps(whole) == json.dumps(chunked)


def test_no_history_no_section():
    report = build_report(run(build_scenario(items={"M": {}}, lines={"m": LINE}), 5, seed=1))
    assert "history" not in report


# The hindcast (scenarios/hindcast-pac3.yaml) against 2024 and 2025. Margins from
# standard errors: on 1,000 replications the 2024 band is 369-525 and 2025's 433-627.
# The bootstrapped P95 of a 250-500 replication sample varies by about 1 missile, so
# 510 sits 10+ standard errors inside 2024's band and 620 about 6 inside 2025's; a
# changed seed cannot flip either result, a changed model can.
REPLICATIONS = {"vector": 500, "des": 250}


@pytest.fixture(scope="module", params=list(REPLICATIONS))
def hindcast(request):
    """The hindcast's history records from each engine (seeded, modest replications)."""
    engine = request.param
    scenario = load_scenario(HINDCAST)
    report = build_report(run(scenario, REPLICATIONS[engine], engine=engine))
    return report["history"][DELIVERIES]


def test_hindcast_2024_inside_the_band(hindcast):
    record = hindcast["2024"]
    assert record["observed"] == 510
    assert record["p5"] <= 510 <= record["p95"], record


def test_hindcast_2025_inside_the_band(hindcast):
    record = hindcast["2025"]
    assert record["p5"] <= record["observed"] <= record["p95"], record


def test_sim_run_reports_against_history_end_to_end(tmp_path):
    """The hindcast run as a user runs it: files, section, figure and the summary line."""
    out = tmp_path / "hindcast"
    completed = subprocess.run(
        [sys.executable, "-m", "sim", "run", str(HINDCAST), "--reps", "300", "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert completed.returncode == 0, completed.stderr
    printed = " ".join(completed.stdout.split())
    assert "History: 2 of 2 observations inside P5–P95" in printed
    report = json.loads((out / "report.json").read_text())
    records = report["history"][DELIVERIES]
    assert sorted(records) == ["2024", "2025"]
    for year, record in records.items():
        summary = report["metrics"][f"{DELIVERIES}.{year}"]
        assert {"observed", "p5", "p50", "p95", "inside"} <= set(record)
        assert (record["p5"], record["p50"], record["p95"]) == (
            summary["p5"],
            summary["p50"],
            summary["p95"],
        )
        assert record["inside"] == (record["p5"] <= record["observed"] <= record["p95"])
    assert (out / "figures" / "history.png").is_file()
    markdown = (out / "report.md").read_text()
    assert "## Against history" in markdown
    assert "| Metric | Year | Observed | P5 | Median | P95 | Inside |" in markdown
    assert "| item.PAC-3 MSE.deliveries | 2025 | 620 |" in markdown
    assert "![Against history](figures/history.png)" in markdown
    assert markdown.index("## Against history") < markdown.index("## Deliveries and stock")
    page = (out / "report.html").read_text()
    assert "<h2>Against history</h2>" in page
    assert 'alt="Against history"' in page and "data:image/png;base64," in page
