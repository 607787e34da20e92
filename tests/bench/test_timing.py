"""Repeats, medians and spreads of sim.bench.timing."""

from __future__ import annotations

import pytest

from sim.bench.timing import Timing, repeat


def test_median_fastest_slowest_and_spread():
    timing = Timing((3.0, 1.0, 2.0, 10.0))
    assert timing.median == 2.5
    assert (timing.fastest, timing.slowest) == (1.0, 10.0)
    assert timing.spread == pytest.approx((10.0 - 1.0) / 2.5)
    assert timing.as_dict()["samples"] == [3.0, 1.0, 2.0, 10.0]


def test_a_single_sample_has_no_spread():
    assert Timing((4.0,)).spread == 0.0


def test_repeat_runs_the_asked_number_of_times_within_budget():
    calls = []
    timing = repeat(lambda: calls.append(1), repeats=4, budget_seconds=60)
    assert len(calls) == len(timing.samples) == 4


def test_repeat_stops_once_the_budget_is_spent_but_runs_at_least_once():
    calls = []
    timing = repeat(lambda: calls.append(1), repeats=5, budget_seconds=0)
    assert len(calls) == len(timing.samples) == 1
    assert len(repeat(lambda: None, repeats=0, budget_seconds=10).samples) == 1
