"""The benchmark suite: what is measured, in which order, with how many replications.

One process measures both engines on every scenario, so the SimPy/NumPy ratio compares
like with like (same machine, same load, same minute). The suite comes in two sizes:
:data:`FULL` (``sim bench``, ``make bench``: the table of the README, the scaling series
and ``sim run --reps 10000``) and :data:`QUICK` (``sim bench --quick``: small counts, no
series, to check that everything works and get a rough idea in well under a minute).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sim.bench.end_to_end import time_sim_run
from sim.bench.engines import Note, ScenarioMeasurement, measure_scenario
from sim.bench.machine import describe_machine, git_state, load_average
from sim.bench.memory import resident_peak_bytes
from sim.bench.parallel import measure_every_core
from sim.bench.scaling import lines_series, replications_series, years_series
from sim.bench.targets import REFERENCE_SCENARIO, evaluate_targets
from sim.loading import load_scenario
from sim.scenario.model import Scenario

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Settings:
    """How much the suite measures; the counts are replications unless named otherwise."""

    mode: str
    des_replications: int
    """SimPy replications per scenario: a few, it is ~1,000 times slower."""
    vector_replications: tuple[int, ...]
    repeats: int
    """Timed runs per measurement; the median is quoted."""
    budget_seconds: float
    """A measurement stops repeating once its runs took this long (at least one run)."""
    memory_replications: int | None
    """Run size whose memory is measured in a child process per scenario (None: not
    measured; the end-to-end ``sim run`` still reports its own peak)."""
    end_to_end_replications: int | None
    """``sim run --reps N`` of the reference scenario, timed; None: not run."""
    every_core_replications: int | None = None
    """The reference scenario run on one worker per core, timed; None: not run."""
    scaling_replications: tuple[int, ...] = ()
    scaling_years: tuple[int, ...] = ()
    scaling_lines: tuple[int, ...] = ()
    series_replications: int = 1000
    """Replications per point of the years and lines series."""
    years: int | None = None
    """Shorten every scenario to this many years (tests only: the numbers are not the
    scenarios' any more)."""


FULL = Settings(
    mode="full",
    des_replications=3,
    vector_replications=(1000, 10_000),
    repeats=3,
    budget_seconds=120.0,
    memory_replications=10_000,
    end_to_end_replications=10_000,
    every_core_replications=10_000,
    scaling_replications=(1000, 3000, 10_000, 30_000, 100_000),
    scaling_years=(5, 10, 15, 20, 25, 30),
    scaling_lines=(3, 6, 12, 18, 24, 30),
)
QUICK = Settings(
    mode="quick",
    des_replications=1,
    vector_replications=(250, 1000),
    repeats=1,
    budget_seconds=10.0,
    memory_replications=None,
    end_to_end_replications=250,
)


def load_scenarios(files: Sequence[str | Path], settings: Settings) -> list[Scenario]:
    """The scenarios to measure, shortened when `settings` say so."""
    # a shortened horizon would leave a hindcast's observed years, or a headline year,
    # outside it (bad input)
    shorter = [f"years={settings.years}", "history={}", "headline_year=null"]
    overrides = shorter if settings.years else []
    return [load_scenario(file, overrides) for file in files]


def reference(scenarios: Sequence[Scenario]) -> Scenario:
    """The scenario the targets and series are about: co-production, else the first."""
    return next((s for s in scenarios if s.name == REFERENCE_SCENARIO), scenarios[0])


def run_suite(
    files: Sequence[str | Path], settings: Settings, note: Note = lambda _: None
) -> dict[str, Any]:
    """Measure every scenario in `files` and return bench.json's content."""
    machine = describe_machine()
    scenarios = load_scenarios(files, settings)
    chosen = reference(scenarios)
    measured: list[ScenarioMeasurement] = []
    for scenario in scenarios:
        measured.append(
            measure_scenario(
                scenario,
                settings.des_replications,
                list(settings.vector_replications),
                settings.repeats,
                settings.budget_seconds,
                settings.memory_replications,
                note,
            )
        )
    every_core = None
    if settings.every_core_replications:
        note(f"{chosen.name}: {settings.every_core_replications:,} replications on every core")
        every_core = measure_every_core(
            chosen, settings.every_core_replications, settings.repeats, settings.budget_seconds
        ).as_dict()
    end_to_end = None
    if settings.end_to_end_replications:
        note(f"sim run {chosen.file} --reps {settings.end_to_end_replications:,}")
        end_to_end = time_sim_run(
            chosen.file,
            settings.end_to_end_replications,
            settings.repeats,
            settings.budget_seconds,
            chosen.overrides,
        ).as_dict()
    scaling = _scaling(chosen, measured[scenarios.index(chosen)], settings, note)
    results: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "mode": settings.mode,
        "settings": asdict(settings),
        "machine": machine,
        "reference_scenario": chosen.name,
        "scenarios": [measurement.as_dict() for measurement in measured],
        "every_core": every_core,
        "end_to_end": end_to_end,
        "scaling": scaling,
        "benchmark_process": {
            "resident_peak_bytes": resident_peak_bytes(),
            "memory_method": "VmHWM of this benchmark process: every in-process "
            "measurement (the memory and sim run children are counted apart)",
        },
    }
    results["machine"]["load_average_at_end"] = load_average()
    # the work tree is shared: child processes started later may have run newer code
    results["machine"]["changed_files_at_end"] = git_state(Path.cwd())["changed_files"]
    results["targets"] = evaluate_targets(results)
    return results


def _scaling(
    scenario: Scenario, measured: ScenarioMeasurement, settings: Settings, note: Note
) -> dict[str, Any]:
    """The scaling series the settings ask for, keyed by what varies."""
    scaling: dict[str, Any] = {}
    if settings.scaling_replications:
        scaling["replications"] = replications_series(
            scenario,
            settings.scaling_replications,
            settings.repeats,
            settings.budget_seconds,
            known={m.replications: m for m in measured.vector},
            note=note,
        )
    if settings.scaling_years:
        scaling["years"] = years_series(
            scenario,
            settings.scaling_years,
            settings.series_replications,
            settings.repeats,
            settings.budget_seconds,
            note,
        )
    if settings.scaling_lines:
        scaling["lines"] = lines_series(
            settings.scaling_lines,
            settings.series_replications,
            settings.repeats,
            settings.budget_seconds,
            settings.years or 10,
            note,
        )
    return scaling
