"""Summaries of per-replication values, checked by hand."""

import math

import numpy as np
import pytest

from sim.stats import point_summary, summarise, t_quantile


def test_a_summary_by_hand():
    summary = summarise(np.array([1.0, 2.0, 3.0, 4.0, np.nan]))
    assert summary["n"] == 4 and summary["mean"] == 2.5
    assert summary["sd"] == pytest.approx(math.sqrt(5 / 3))
    half = t_quantile(4) * math.sqrt(5 / 3) / 2
    assert summary["ci95"] == pytest.approx([2.5 - half, 2.5 + half])
    assert t_quantile(4) == pytest.approx(3.182446305284263)
    assert (summary["p5"], summary["p50"], summary["p95"]) == pytest.approx((1.15, 2.5, 3.85))


def test_one_value_has_no_spread_and_no_values_have_no_summary():
    one = summarise(np.array([7.0, np.inf]))
    assert one["n"] == 1 and one["sd"] == 0.0 and one["ci95"] == [7.0, 7.0]
    assert summarise(np.array([np.nan]))["mean"] is None
    assert all(math.isnan(value) for value in point_summary(np.array([np.nan])).values())
