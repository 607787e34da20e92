"""`sim compare`'s row "extra missiles per extra billion dollars", worked by hand."""

from __future__ import annotations

import math

import pytest

from sim.compare.comparison import compare_runs
from sim.compare.json import comparison_json
from sim.compare.load import load_run
from tests.compare.runs import write_folder

MONEY = "million US$"
UNITS = {"spending.total": MONEY}


def folders(tmp_path, first: dict, second: dict, seed_b: int = 1):
    a = write_folder(tmp_path / "a", first, name="a", units=UNITS)
    b = write_folder(tmp_path / "b", second, name="b", units=UNITS, seed=seed_b)
    return compare_runs([load_run(a), load_run(b)])[0]


def run_values(missiles: list[float], spending: list[float]) -> dict[str, list[float]]:
    """One end item (stocked, counted in missiles) and the spending total."""
    return {
        "item.PAC.deliveries": missiles,
        "item.PAC.stock_end.2026": [0.0] * len(missiles),
        "spending.total": spending,
    }


def test_paired_ratio_and_interval_by_hand(tmp_path):
    # Three paired replications. ΔM = 20, 35, 40 missiles; ΔS = 1000, 1500, 2000 million
    # = 1, 1.5, 2 billion (its interval, 1.5 ± 4.303·0.5/√3 = 0.26 to 2.74, excludes 0).
    # R = mean ΔM / mean ΔS = (95/3) / 1.5 = 190/9 = 21.11 missiles per billion.
    # Residuals e = ΔM − R·ΔS = −10/9, 30/9, −20/9; sd(e) = sqrt((100+900+400)/81/2) =
    # 2.9397; se = sd(e) / (√3 · 1.5) = 1.1315; t(0.975, 2) = 4.3027: half-width 4.868.
    comparison = folders(
        tmp_path,
        run_values([100, 100, 100], [5000, 6000, 7000]),
        run_values([120, 135, 140], [6000, 7500, 9000]),
    )
    row = comparison.per_billion
    assert row is not None and row.items == ("PAC",)
    assert row.missiles.diff == pytest.approx(95 / 3)
    assert row.spending.diff == pytest.approx(1.5)
    assert row.ratio == pytest.approx(190 / 9)
    half = 4.302652729911275 * math.sqrt(1400 / 81 / 2) / math.sqrt(3) / 1.5
    assert row.ci95 == pytest.approx((190 / 9 - half, 190 / 9 + half))
    written = comparison_json(comparison)["per_billion"]
    assert written["missiles_per_billion_usd"] == pytest.approx(190 / 9)
    assert written["paired"] is True


def test_no_interval_when_the_spending_difference_may_be_zero(tmp_path):
    # ΔS = +1, −1, +1 billion: its interval straddles 0, so the ratio's is unbounded.
    comparison = folders(
        tmp_path,
        run_values([100, 100, 100], [5000, 6000, 7000]),
        run_values([110, 120, 130], [6000, 5000, 8000]),
    )
    row = comparison.per_billion
    assert row.ratio == pytest.approx(20 / (1 / 3))
    assert row.ci95 == (None, None) and "unbounded" in row.note


def test_unpaired_runs_use_the_independent_delta_method(tmp_path):
    # Different seeds: mean ΔM = 130 − 100 = 30, mean ΔS = 8 − 6 = 2 billion, R = 15.
    # A has no spread; B's residual variance is var(M) − 2R·cov(M, S) + R²·var(S) with
    # M = 120, 130, 140 and S = 7.9, 8, 8.1 billion: 100 − 30·1 + 225·0.01 = 72.25, over
    # n = 3, divided by |ΔS| = 2 after the square root.
    comparison = folders(
        tmp_path,
        run_values([100, 100, 100], [6000, 6000, 6000]),
        run_values([120, 130, 140], [7900, 8000, 8100]),
        seed_b=2,
    )
    row = comparison.per_billion
    assert not comparison.paired and row.ratio == pytest.approx(15)
    half = 1.959963984540054 * math.sqrt(72.25 / 3) / 2
    assert row.ci95 == pytest.approx((15 - half, 15 + half))


def test_no_row_without_spending(tmp_path):
    values = {"item.PAC.deliveries": [1.0, 2.0], "item.PAC.stock_end.2026": [0.0, 0.0]}
    comparison = folders(tmp_path, values, values)
    assert comparison.per_billion is None
    assert "per_billion" not in comparison_json(comparison)
