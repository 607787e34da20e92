"""A plan against its counterfactual, in one run (issue 15).

The child scenario adds one line of known output to its parent — 50 missiles a year of
Alpha into Japan's stock, with no randomness — while the parent's own line is uncertain.
Under common random numbers the paired difference is then exact in every replication:
+50 deliveries a year, +50 × years of Japanese stock, no change in US stock, with a 95 %
CI of width 0, although each run's levels vary from one replication to the next.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim import api
from sim.cli.main import main
from sim.errors import ScenarioError
from sim.execution.chunk import ChunkTask, compute_chunk
from sim.loading import load_scenario
from sim.network import compile_network
from sim.report.json import dumps
from sim.runs.against import FOLDER, run_with_counterfactual
from sim.runs.checkpoint import Checkpoint, checkpoint_for
from tests.command_line import sim
from tests.engines import ENGINES

PARENT = """\
name: parent
start_year: 2026
years: 3
seed: 11
items:
  Alpha: {unit: missiles}
lines:
  alpha-us:
    country: US
    makes: Alpha
    capacity: {initial: {uniform: [100, 200]}}
    disruptions: {per_year: 2, days: {uniform: [10, 60]}, capacity_lost: 0.5}
stockpiles:
  Alpha: {US: 50, JP: 10}
demand:
  - {item: Alpha, owner: US, per_year: 150}
"""
CHILD = """\
extends: parent.yaml
name: child
headline_year: 2027
lines:
  alpha-jp:
    country: JP
    makes: Alpha
    capacity: {initial: 50}
"""
OTHER = PARENT.replace("name: parent", "name: other").replace("JP: 10", "JP: 30")
"""A standalone counterfactual: the parent with 20 more Japanese missiles at the start."""
REPLICATIONS = "40"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "parent.yaml").write_text(PARENT, encoding="utf-8")
    (tmp_path / "child.yaml").write_text(CHILD, encoding="utf-8")
    (tmp_path / "other.yaml").write_text(OTHER, encoding="utf-8")
    return tmp_path


def report(out: Path) -> dict:
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def sections(out: Path) -> list[str]:
    """report.md's level-2 sections, each as its text."""
    text = (out / "report.md").read_text(encoding="utf-8")
    return ["## " + part for part in text.split("\n## ")[1:]]


def run_main(folder: Path, out: str, *extra: str) -> dict:
    arguments = ["run", str(folder / "child.yaml"), "--reps", REPLICATIONS, "--workers", "1"]
    assert main([*arguments, "--quiet", "--out", str(folder / out), *extra]) == 0
    return report(folder / out)


def test_sim_run_of_a_child_leads_with_what_it_changes_against_its_parent(folder: Path):
    result = sim("run", "child.yaml", "--reps", REPLICATIONS, "--out", "out", cwd=folder)
    assert result.returncode == 0, result.stderr
    # the terminal leads with the headline year's differences, then its table
    lines = result.stdout.splitlines()
    assert lines[0].startswith("What child changes against parent (paired, seed 11, 40 ")
    assert "  Alpha deliveries in 2027: +50 missiles (+50 to +50)" in lines
    assert "  Alpha stock at end of 2027: +100 missiles (+100 to +100)" in lines
    assert "deliveries 2027" in result.stdout and "stock end 2027" in result.stdout

    data = report(folder / "out")
    against = data["against"]
    assert against["scenario"] == "parent" and against["file"].endswith("parent.yaml")
    assert against["method"] == "paired" and against["scope"] == "all"
    delivered = against["metrics"]["item.Alpha.deliveries.2027"]
    assert {"a", "b", "diff", "ci95", "paired"} <= delivered.keys()
    assert delivered["diff"] == 50 and delivered["ci95"] == [50, 50] and delivered["paired"]
    assert delivered["b"] - delivered["a"] == pytest.approx(50)
    japan = against["metrics"]["item.Alpha.owner.JP.stock_end.2028"]
    assert japan["diff"] == 150 and japan["ci95"] == [150, 150]
    us = against["metrics"]["item.Alpha.owner.US.stock_end.2028"]
    assert us["diff"] == 0 and us["pooled_sd"] > 0  # US stock varies, identically in both
    assert data["scenario"]["headline_year"] == 2027

    run, lead = sections(folder / "out")[:2]
    assert run.startswith("## Run\n") and "Counterfactual: parent, from " in run
    # the answer at a glance (the headline figure), then in sentences
    assert lead.startswith(
        "## What child changes against parent\n\n"
        "![Stock at the end of 2027: child against parent](figures/against-headline.png)"
    )
    assert "\n\nIn 2027:\n" in lead
    assert "- Alpha deliveries in 2027: +50 missiles (95 % CI +50 to +50)" in lead
    assert "- Alpha stock at end of 2027 held by JP: +100 missiles (95 % CI +100 to +100)" in lead
    assert "At the end of 2028 (totals over 2026–2028):" in lead
    assert "- Alpha stock at end of 2028: +150 missiles (95 % CI +150 to +150)" in lead
    assert "common random numbers" in lead and "figures/against-forest.png" in lead
    assert (folder / "out" / "figures" / "against-forest.png").is_file()
    assert "What child changes against parent" in (folder / "out" / "report.html").read_text()


@pytest.mark.parametrize("engine", ENGINES)
def test_against_is_what_sim_compare_finds_between_separate_runs(folder: Path, engine: str):
    """The same numbers as running the parent alone with the child's seed and comparing."""
    child = api.run(folder / "child.yaml", reps=40, engine=engine, workers=1, against=True)
    parent = api.run(folder / "parent.yaml", reps=40, seed=11, engine=engine, workers=1)
    alone = api.run(folder / "child.yaml", reps=40, engine=engine, workers=1)
    assert child.against is not None
    assert child.against.metrics == api.compare(parent, alone).metrics
    assert child.metrics == alone.metrics  # running beside a counterfactual changes nothing
    delivered = child.against.metrics["item.Alpha.deliveries.2026"]
    assert (delivered["diff"], delivered["ci95"]) == (50, [50, 50])


def test_no_against_runs_the_scenario_alone(folder: Path):
    data = run_main(folder, "alone", "--no-against")
    assert "against" not in data
    assert not any("changes against" in section for section in sections(folder / "alone"))


def test_against_names_another_counterfactual_and_set_changes_the_plan_only(folder: Path):
    data = run_main(
        folder,
        "out",
        "--against",
        str(folder / "other.yaml"),
        "--set",
        "lines.alpha-jp.capacity.initial=60",
    )
    against = data["against"]
    assert against["scenario"] == "other" and against["plan_overrides"] == [
        "lines.alpha-jp.capacity.initial=60"
    ]
    # 60 a year from the new line, less the 20 Japanese missiles `other` starts with
    japan = against["metrics"]["item.Alpha.owner.JP.stock_end.2026"]
    assert (japan["diff"], japan["ci95"]) == (40, [40, 40])
    lead = sections(folder / "out")[1]
    assert lead.startswith("## What child changes against other")
    assert "apply to child only. other ran as its file says" in lead


def test_against_follows_the_extends_safety_rule(folder: Path, capsys):
    outside = folder.parent / f"{folder.name}-outside"
    outside.mkdir()
    (outside / "base.yaml").write_text(PARENT, encoding="utf-8")
    (folder / "sub").mkdir()
    (folder / "sub" / "far.yaml").write_text(
        f"extends: ../../{outside.name}/base.yaml\nname: far\n", encoding="utf-8"
    )
    arguments = ["run", str(folder / "child.yaml"), "--reps", REPLICATIONS, "--quiet"]
    arguments += ["--workers", "1", "--against", str(folder / "sub" / "far.yaml")]
    assert main([*arguments, "--out", str(folder / "refused")]) == 2
    assert "--allow-extends-outside" in capsys.readouterr().err
    assert main([*arguments, "--out", str(folder / "no-such"), "--against", "nope.yaml"]) == 2
    assert "--against:1: nope.yaml: no such file" in capsys.readouterr().err


def test_an_interrupted_run_resumes_both_the_plan_and_its_counterfactual(folder: Path, monkeypatch):
    """Chunks saved before the interruption — here only the counterfactual's, the case
    where the plan's checkpoint folder holds nothing but ``against/`` — are kept."""
    out = folder / "out"
    parent = load_scenario(folder / "parent.yaml")
    saved = checkpoint_for(out / ".chunks" / FOLDER, parent, 11, "vector")
    saved.save(compute_chunk(ChunkTask(compile_network(parent), 11, range(250))))
    writes = []
    original = Checkpoint.save
    monkeypatch.setattr(Checkpoint, "save", lambda self, r: writes.append(r) or original(self, r))
    data = run_main(folder, "out", "--chunk-size", "250", "--reps", "500")
    assert len(writes) == 2 + 1  # the plan's two chunks, the counterfactual's second
    assert not (out / ".chunks").exists()
    whole = run_with_counterfactual(load_scenario(folder / "child.yaml"), parent, 500, 11)
    assert data["against"] == json.loads(dumps({"against": whole.against.json()}))["against"]


def test_a_run_too_large_for_memory_pairs_its_headline_metrics_from_the_chunks(folder: Path):
    child = load_scenario(folder / "child.yaml")
    parent = load_scenario(folder / "parent.yaml")
    large = run_with_counterfactual(child, parent, 40, 11, memory_budget=1)
    small = run_with_counterfactual(child, parent, 40, 11)
    assert large.kept_outcomes is None and large.against.scope == "headline"
    assert small.against.scope == "all"
    compared = large.against.comparison.metrics
    assert "item.Alpha.owner.JP.stock_end.2027" in compared  # the lead's, though not headline
    assert "line.alpha-us.scrapped" not in compared
    for name, entry in compared.items():
        assert entry.difference == small.against.comparison.metrics[name].difference, name


def test_headline_year_must_be_a_year_of_the_horizon(folder: Path, capsys):
    path = folder / "late.yaml"
    path.write_text(PARENT + "headline_year: 2030\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as refused:
        load_scenario(path)
    line = len(PARENT.splitlines()) + 1
    assert str(refused.value) == (
        f"{path}:{line}: headline_year: must be a year of the horizon, 2026 to 2028 "
        "(start_year 2026, years 3)"
    )
    assert main(["validate", str(path)]) == 2
    assert load_scenario(folder / "child.yaml").lead_year == 2027
    assert load_scenario(folder / "parent.yaml").lead_year == 2028


def test_with_precision_the_plan_and_its_counterfactual_advance_together(folder: Path):
    child = load_scenario(folder / "child.yaml")
    parent = load_scenario(folder / "parent.yaml")
    plan = run_with_counterfactual(child, parent, 250, 11, precision=0.01, max_replications=750)
    assert plan.against is not None and plan.against.comparison.paired
    assert plan.replications == plan.against.run.replications == 750  # not precise by 750
    assert plan.precision["rounds"] == plan.against.run.precision["rounds"]


def test_against_set_measures_one_change_of_the_scenario_itself(folder: Path):
    # the child against itself without its Japanese line: the line's own 50 a year
    plan = str(folder / "child.yaml")
    data = run_main(
        folder, "itself", "--against", plan, "--against-set", "lines.alpha-jp.capacity.initial=0"
    )
    against = data["against"]
    assert against["run_a"]["label"] == "child with lines.alpha-jp.capacity.initial=0"
    delivered = against["metrics"]["item.Alpha.deliveries.2027"]
    assert (delivered["diff"], delivered["ci95"]) == (50, [50, 50])
    assert sections(folder / "itself")[1].startswith(
        "## What child changes against child with lines.alpha-jp.capacity.initial=0\n"
    )


def test_against_set_needs_a_counterfactual(folder: Path, capsys):
    arguments = ["run", str(folder / "parent.yaml"), "--reps", "8", "--quiet"]
    changed = ["--against-set", "lines.alpha-us.capacity.initial=0"]
    assert main([*arguments, "--out", str(folder / "a"), *changed]) == 2
    assert "--against-set:1: no counterfactual to change" in capsys.readouterr().err
    assert main([*arguments, "--out", str(folder / "b"), "--no-against", *changed]) == 2
    assert "which --no-against turns off" in capsys.readouterr().err


def test_a_priced_plan_says_what_its_extra_spending_buys(folder: Path):
    # every missile costs $2M: the Japanese line's 150 extra missiles over three years
    # cost $0.3 billion more, 500 missiles per extra billion in every replication
    priced = PARENT.replace("Alpha: {unit: missiles}", "Alpha: {unit: missiles, unit_cost_musd: 2}")
    (folder / "parent.yaml").write_text(priced, encoding="utf-8")
    data = run_main(folder, "priced")
    row = data["against"]["per_billion"]
    assert row["missiles_per_billion_usd"] == pytest.approx(500)
    assert row["extra_missiles"] == 150 and row["extra_spending_busd"] == pytest.approx(0.3)
    lead = sections(folder / "priced")[1]
    assert "Extra missiles per extra billion US$: +500.0 (95 % CI" in lead
    assert "+150 missiles for +0.30 billion US$ over 2026–2028" in lead
