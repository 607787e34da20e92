"""A resumed run reports the wall time of all its parts (sim/runs/parts.py)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from sim.cli.main import main
from sim.execution.chunk import ChunkTask, compute_chunk
from sim.loading import load_scenario
from sim.network import compile_network
from sim.runs.checkpoint import checkpoint_for
from sim.runs.parts import PARTS, RunParts
from tests.execution.test_resume import SCENARIO


def test_a_part_is_kept_and_read_back_by_the_next(tmp_path):
    identity = {"scenario": "x", "seed": 1}
    RunParts(tmp_path / "no chunk saved yet", identity).note(force=True)
    assert not (tmp_path / "no chunk saved yet").exists()  # nothing written before a chunk
    first = RunParts(tmp_path, identity)
    assert first.earlier == []
    first.note()  # too soon after the start: not written
    assert not (tmp_path / PARTS).exists()
    first.note(force=True)
    second = RunParts(tmp_path, identity)
    assert len(second.earlier) == 1 and 0 <= second.earlier[0] < 60
    second.note(force=True)
    assert len(RunParts(tmp_path, identity).earlier) == 2


def test_parts_of_another_run_or_a_damaged_file_count_for_nothing(tmp_path):
    (tmp_path / PARTS).write_text(json.dumps({"identity": {"seed": 2}, "wall_seconds": [5]}))
    assert RunParts(tmp_path, {"seed": 1}).earlier == []
    (tmp_path / PARTS).write_text("{not json")
    assert RunParts(tmp_path, {"seed": 1}).earlier == []


def test_a_resumed_run_reports_every_part_and_their_total(tmp_path, capsys):
    """An earlier part of 30 s saved one chunk of two; the rerun finishes the run."""
    scenario_file = tmp_path / "resumable.yaml"
    scenario_file.write_text(SCENARIO)
    scenario = load_scenario(scenario_file)
    out = tmp_path / "out"
    checkpoint = checkpoint_for(out / ".chunks", scenario, 5, "vector")
    checkpoint.save(compute_chunk(ChunkTask(compile_network(scenario), 5, range(250))))
    earlier = {"identity": asdict(checkpoint.identity), "wall_seconds": [30.0]}
    (out / ".chunks" / PARTS).write_text(json.dumps(earlier))

    arguments = ["run", str(scenario_file), "--reps", "500", "--seed", "5", "--out", str(out)]
    assert main([*arguments, "--chunk-size", "250"]) == 0
    facts = json.loads((out / "report.json").read_text())["run"]
    parts = facts["part_wall_seconds"]
    assert len(parts) == 2 and parts[0] == 30.0 and parts[1] == facts["wall_seconds"]
    assert facts["total_wall_seconds"] == round(30.0 + facts["wall_seconds"], 3)
    markdown = (out / "report.md").read_text()
    assert "s in all, 2 parts (30 s, " in markdown
    assert "s in all, 2 parts)" in capsys.readouterr().out


def test_a_run_in_one_go_is_one_part(tmp_path: Path):
    scenario_file = tmp_path / "resumable.yaml"
    scenario_file.write_text(SCENARIO)
    out = tmp_path / "out"
    assert main(["run", str(scenario_file), "--reps", "250", "--out", str(out), "--quiet"]) == 0
    facts = json.loads((out / "report.json").read_text())["run"]
    assert facts["part_wall_seconds"] == [facts["wall_seconds"]]
    assert facts["total_wall_seconds"] == facts["wall_seconds"]
    assert " in all" not in (out / "report.md").read_text()
