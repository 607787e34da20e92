"""A run on every core (sim.bench.parallel)."""

from __future__ import annotations

from sim.bench.parallel import measure_every_core, usable_cores
from sim.bench.synthetic import family_scenario


def test_a_run_on_every_core_is_timed():
    result = measure_every_core(family_scenario(3, years=1), 500, repeats=2, budget_seconds=60)
    assert result.workers == usable_cores() >= 1
    assert len(result.seconds.samples) == 2
    shown = result.as_dict()
    assert shown["replications_per_second"] == 500 / result.seconds.median
