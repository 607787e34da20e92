"""Common random numbers on real runs: what a change cannot reach differs by exactly 0.

Two scenarios differ only in beta-us's starting capacity. Run with one seed, replication
i of both draws the same growth rates and disruptions for every line (DESIGN §3), so the
untouched line alpha-us and its item are identical replication by replication, and the
paired interval of beta-us's change is far narrower than Welch's on the same numbers.
"""

from __future__ import annotations

import pytest

from sim.compare.comparison import compare_runs
from sim.compare.load import load_run
from sim.compare.statistics import welch_difference


@pytest.fixture(scope="module")
def paired(real_runs):
    (comparison,) = compare_runs([load_run(real_runs[0]), load_run(real_runs[1])])
    return comparison


def untouched(name: str) -> bool:
    return name.startswith(("line.alpha-us.", "item.Alpha."))


def test_the_runs_pair_up(paired):
    assert paired.paired
    assert all(entry.difference.paired for entry in paired.metrics.values())


def test_an_unaffected_line_differs_by_exactly_zero(paired):
    names = [name for name in paired.metrics if untouched(name)]
    assert len(names) > 10
    for name in names:
        difference = paired.metrics[name].difference
        assert difference.diff in (0.0, None), name
        if difference.diff is not None:
            assert difference.ci95 == (0.0, 0.0), name


def test_pairing_narrows_the_interval_of_an_affected_metric(paired):
    name = "line.beta-us.output"
    entry = paired.metrics[name]
    assert entry.difference.diff > 0
    a = paired.run_a.values[name]
    b = paired.run_b.values[name]
    welch = welch_difference(a, b)
    paired_width = entry.difference.ci95[1] - entry.difference.ci95[0]
    welch_width = welch.ci95[1] - welch.ci95[0]
    assert paired_width < 0.25 * welch_width
    assert entry.difference.diff == pytest.approx(welch.diff)
    # More starting capacity with the same draws: more output in (nearly) every future.
    assert entry.b_better_share > 0.9 and entry.b_worse_share == 0
