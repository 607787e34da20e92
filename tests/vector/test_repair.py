"""Ship and engine repair on the NumPy engine: its arrays across chunks.

The analytic queueing checks (Erlang C, machine repair), the rules both engines share
(routing, opening, limits, conservation, on-time availabilities) and the steady states
run for both engines in tests/repair; this checks the vector recursions alone.
"""

from __future__ import annotations

import numpy as np

from sim.runs.montecarlo import run
from tests.conftest import build_scenario
from tests.repair.cases import engines, ships


def metrics(scenario, replications=20, seed=3, chunk_size=2000):
    return run(scenario, replications, seed, chunk_size=chunk_size).outcomes.metrics


EMERGENT = {
    "homeport": "US",
    "emergent_per_year": 12,
    "emergent_days": {"exponential": {"mean": 40}},
}


def test_repair_metrics_do_not_depend_on_chunking():
    scenario = build_scenario(
        years=3,
        **ships(
            {"sd": {"country": "US", "berths": 2}},
            {"west": {**EMERGENT, "ships": 4, "cycle_days": 365, "planned_days": 90}},
        ),
        **engines(),
    )
    whole = metrics(scenario, replications=600, chunk_size=2000)
    pieces = metrics(scenario, replications=600, chunk_size=250)
    for name, values in whole.items():
        if name.startswith(("ships", "engines")):
            assert np.array_equal(values, pieces[name], equal_nan=True), name
