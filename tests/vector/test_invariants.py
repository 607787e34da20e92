"""Bounds that hold in every replication of the vector engine at any time step."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import build_scenario, tallies_of
from tests.conservation import ITEMS


@settings(max_examples=30, deadline=None)
@given(
    initial=st.integers(0, 3000),
    target=st.integers(0, 3000),
    growth=st.floats(0, 1),
    years=st.integers(1, 6),
    step=st.sampled_from([1, 7, 30]),
)
def test_capacity_never_exceeds_the_growth_capped_schedule(initial, target, growth, years, step):
    line = {
        "country": "US",
        "makes": "missile",
        "capacity": {"initial": initial, "target": target, "growth_cap": growth},
        "disruptions": {"per_year": 1, "days": 20},
    }
    scenario = build_scenario(years=years, time_step_days=step, items=ITEMS, lines={"m": line})
    _, t = tallies_of(scenario, replications=5)
    schedule = np.array([min(target, initial * (1 + growth) ** n) for n in range(years)])
    assert np.all(np.cumsum(t.line_output[:, 0], axis=1) <= np.cumsum(schedule)[None, :] + 1e-6)
