"""Random draws that would not fit in memory are refused before any is drawn.

Every bound of sim.scenario.limits can hold while rates × horizon still ask for more memory than a
machine has: 10⁷ missiles a year at a yield of 0.5 for 100 years is 5·10⁸ failing units
per replication. The estimate (sim.execution.footprint) shrinks chunks to fit, or refuses
with the estimate and its cause when a single block would not fit.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

from sim.execution import footprint as module
from sim.execution.footprint import fit_chunk_size, footprint
from sim.loading import load_scenario, parse_scenario
from sim.network import compile_network
from sim.runs.montecarlo import run
from sim.scenario.yamlsource import read_yaml
from sim.streams import BLOCK

HEAVY = """\
name: heavy
start_year: 2026
years: 100
items:
  Shell: {}
lines:
  shells: {country: US, makes: Shell, capacity: {initial: 10000000}, yield: 0.5}
"""


def test_a_scenario_whose_draws_cannot_fit_is_refused_with_its_estimate(tmp_path: Path):
    (tmp_path / "heavy.yaml").write_text(HEAVY, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "sim", "run", "heavy.yaml", "--quiet", "--out", "out"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("sim: heavy would need about ")
    assert "most of it is line shells: units failing acceptance" in line
    assert not (tmp_path / "out").exists()


def test_the_estimate_counts_failures_over_the_growth_path():
    data, source = read_yaml(
        "x.yaml",
        HEAVY.replace("years: 100", "years: 3").replace(
            "{initial: 10000000}", "{initial: 100, target: 150, growth_cap: 0.2}"
        ),
    )
    estimate = footprint(compile_network(parse_scenario(data, source)))
    # 100 + 120 + 144 units, half of them failing, 8 bytes each
    assert estimate.sources == {"line shells: units failing acceptance": 0.5 * 364 * 8}


def test_chunks_shrink_to_fit_and_the_numbers_do_not_change(monkeypatch):
    scenario = load_scenario(Path(__file__).resolve().parents[2] / "scenarios/baseline.yaml")
    network = compile_network(scenario)
    per_block = footprint(network).per_replication * BLOCK
    assert fit_chunk_size(network, 6 * BLOCK, BLOCK) == 6 * BLOCK  # the shipped ones fit
    reference = run(scenario, 2 * BLOCK, 5, chunk_size=2 * BLOCK)
    monkeypatch.setattr(module, "CHUNK_BYTES", 1.5 * per_block)
    assert fit_chunk_size(network, 6 * BLOCK, BLOCK) == BLOCK
    shrunk = run(scenario, 2 * BLOCK, 5, chunk_size=2 * BLOCK)
    assert len(shrunk.ranges) == 2 and len(reference.ranges) == 1
    for name, values in reference.outcomes.metrics.items():
        assert np.array_equal(values, shrunk.outcomes.metrics[name], equal_nan=True), name


def test_the_simpy_engine_is_refused_where_it_would_take_hours(tmp_path: Path):
    (tmp_path / "big.yaml").write_text(HEAVY.replace("yield: 0.5", "yield: 1"), encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "run",
            "big.yaml",
            "--engine",
            "des",
            "--quiet",
            "--out",
            "out",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert "use the vector engine" in result.stderr
    assert "Traceback" not in result.stderr
