"""The reference formulas themselves, against values known independently."""

from __future__ import annotations

import numpy as np
import pytest

from tests.repair.queueing_theory import MachineRepair, MMc, erlang_c, relaxation_days


def test_erlang_c_matches_known_values():
    assert erlang_c(1, 0.5) == pytest.approx(0.5)  # M/M/1: the utilisation
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)  # M/M/2: a² / (2 + a)
    assert erlang_c(5, 4.0) == pytest.approx(0.5541, abs=5e-5)  # Erlang C tables
    with pytest.raises(ValueError):
        erlang_c(2, 2.0)


def test_mm1_mean_wait_is_rho_over_mu_minus_lambda():
    queue = MMc(1, 0.5, 1.0)
    assert queue.mean_wait == pytest.approx(0.5 / (1.0 - 0.5))


def test_machine_repair_without_queueing_is_binomial():
    # As many lines as engines and no spares: each engine is out independently,
    # a fraction λ / (λ + μ) of the time.
    model = MachineRepair(installed=6, spares=0, removal_rate=0.2, repair_rate=0.5, servers=6)
    assert model.mean_out == pytest.approx(6 * 0.2 / 0.7)
    assert model.mean_bare == pytest.approx(model.mean_out)


def test_machine_repair_balances_removals_and_repairs():
    model = MachineRepair(installed=20, spares=3, removal_rate=0.01, repair_rate=0.1, servers=2)
    states = np.arange(24)
    flying = model.distribution @ (20 - np.maximum(0, states - 3))
    assert 0.01 * flying == pytest.approx(0.1 * model.mean_busy)
    # Engines out but covered by a spare: min(n, S).
    assert model.mean_out - model.mean_bare == pytest.approx(
        model.distribution @ np.minimum(states, 3)
    )


def test_relaxation_times():
    # M/M/1: 1 / (√μ − √λ)²; M/M/c: the chain truncated far out converges to the formula.
    queue = MMc(3, 0.525, 0.25)
    states = 5000
    n = np.arange(states)
    truncated = relaxation_days(np.full(states, 0.525), 0.25 * np.minimum(n + 1, 3))
    assert truncated == pytest.approx(queue.relaxation_days, rel=1e-3)
    assert MMc(1, 0.5, 1.0).relaxation_days == pytest.approx(1 / (1 - np.sqrt(0.5)) ** 2)
    # Two states flipping at rates a and b relax at a + b.
    assert relaxation_days(np.array([0.3]), np.array([0.2])) == pytest.approx(1 / 0.5)
