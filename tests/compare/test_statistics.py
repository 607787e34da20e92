"""Paired and Welch differences on hand-made run folders, checked against hand computation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as scipy_stats

from sim.compare.comparison import compare_runs
from sim.compare.json import comparisons_json
from sim.compare.load import load_run
from sim.compare.statistics import paired_difference, welch_difference
from tests.compare.runs import write_folder

T_975_3_DF = 3.182446305284263
"""Two-sided 95 % Student t quantile with 3 degrees of freedom (any t table)."""
NAN = math.nan


def compare_two(tmp_path, first: dict, second: dict, **options):
    a = write_folder(tmp_path / "a", first, **options.get("a", {}))
    b = write_folder(tmp_path / "b", second, **options.get("b", {}))
    (comparison,) = compare_runs([load_run(a), load_run(b)])
    return comparison


def test_paired_interval_equals_a_hand_computation(tmp_path):
    metric = "item.PAC-3 MSE.stock_end.2026"
    comparison = compare_two(tmp_path, {metric: [10, 12, 11, 15]}, {metric: [13, 14, 11, 19]})
    # Differences 3, 2, 0, 4: mean 2.25, sample variance 8.75 / 3.
    half = T_975_3_DF * math.sqrt(8.75 / 3) / math.sqrt(4)
    result = comparisons_json([comparison])["metrics"][metric]
    assert comparison.paired and result["paired"] is True
    assert result["a"] == pytest.approx(12.0) and result["b"] == pytest.approx(14.25)
    assert result["diff"] == pytest.approx(2.25)
    assert result["ci95"] == pytest.approx([2.25 - half, 2.25 + half])
    assert result["sd_diff"] == pytest.approx(math.sqrt(8.75 / 3))
    # Stock: higher is better. B is higher in 3 replications and equal in 1.
    assert result["direction"] == "higher"
    assert result["b_better_share"] == pytest.approx(0.75)
    assert result["b_worse_share"] == 0


def test_paired_uses_replications_where_both_values_exist(tmp_path):
    metric = "item.PAC-3 MSE.recovery_days"
    first = {metric: [100, NAN, 300, 400, 50]}
    second = {metric: [90, 200, NAN, 380, 40]}
    comparison = compare_two(tmp_path, first, second)
    difference = comparison.metrics[metric].difference
    assert difference.paired and difference.n_pairs == 3
    assert (difference.n_a, difference.n_b) == (4, 4)
    assert difference.diff == pytest.approx(np.mean([-10, -20, -10]))
    assert difference.a == pytest.approx(850 / 4)  # each run's own mean, as its report says
    # Recovery: lower is better, and B is lower in all three pairs.
    assert comparison.metrics[metric].b_better_share == 1.0


def test_welch_is_used_when_the_seeds_differ(tmp_path):
    metric = "line.pac3-us.output"
    first, second = [1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 9.0]
    comparison = compare_two(
        tmp_path, {metric: first}, {metric: second}, a={"seed": 1}, b={"seed": 2}
    )
    assert not comparison.paired
    result = comparisons_json([comparison])["metrics"][metric]
    assert result["paired"] is False and result["b_better_share"] is None
    # Welch by hand: standard error and Welch–Satterthwaite degrees of freedom.
    share_a, share_b = np.var(first, ddof=1) / 4, np.var(second, ddof=1) / 4
    freedom = (share_a + share_b) ** 2 / (share_a**2 / 3 + share_b**2 / 3)
    half = scipy_stats.t.ppf(0.975, freedom) * math.sqrt(share_a + share_b)
    assert result["diff"] == pytest.approx(2.75)
    assert result["ci95"] == pytest.approx([2.75 - half, 2.75 + half])
    reference = scipy_stats.ttest_ind(second, first, equal_var=False).confidence_interval()
    assert result["ci95"] == pytest.approx([reference.low, reference.high])


def test_welch_is_used_when_replication_counts_differ(tmp_path):
    metric = "line.pac3-us.output"
    comparison = compare_two(tmp_path, {metric: [1.0, 2.0, 3.0]}, {metric: [1.0, 2.0, 3.0, 5.0]})
    assert not comparison.paired
    assert "replication counts" in comparison.method


def test_identical_runs_differ_by_exactly_zero(tmp_path):
    values = {
        "item.PAC-3 MSE.deliveries.2026": [400.0, 420.0, 415.0, 390.0],
        "item.PAC-3 MSE.recovery_days": [NAN, 120.0, 80.0, NAN],
    }
    comparison = compare_two(tmp_path, values, values)
    for entry in comparison.metrics.values():
        assert entry.difference.diff == 0
        assert entry.difference.ci95 == (0.0, 0.0)
        assert (entry.b_better_share, entry.b_worse_share) == (0.0, 0.0)


def test_a_metric_in_only_one_run_is_skipped(tmp_path):
    shared, old, new = "line.pac3-us.output", "line.old-us.output", "line.pac3-jp.output"
    comparison = compare_two(
        tmp_path, {shared: [1.0, 2.0], old: [3.0, 4.0]}, {shared: [2.0, 3.0], new: [5.0, 6.0]}
    )
    document = comparisons_json([comparison])
    assert list(document["metrics"]) == [shared]
    assert document["only_in_a"] == [old] and document["only_in_b"] == [new]


def test_contract_keys_come_first_in_every_metric(tmp_path):
    metric = "line.pac3-us.starved_days"
    comparison = compare_two(tmp_path, {metric: [1.0, 2.0, 3.0]}, {metric: [1.0, 1.0, 2.0]})
    result = comparisons_json([comparison])["metrics"][metric]
    assert list(result)[:5] == ["a", "b", "diff", "ci95", "paired"]


def test_too_few_values_give_no_interval():
    single = paired_difference(np.array([1.0, NAN]), np.array([2.0, 3.0]))
    assert single.n_pairs == 1 and single.diff == 1.0 and single.ci95 == (None, None)
    empty = welch_difference(np.array([NAN]), np.array([2.0, 3.0]))
    assert empty.diff is None and empty.ci95 == (None, None)
