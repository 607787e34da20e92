"""The dispatch rule shared by both engines: whole units, never far from the shares."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.production.allocation import dispatch, priority_shares, proportional_shares


@settings(max_examples=60, deadline=None)
@given(
    shares=st.lists(st.floats(0, 1), min_size=1, max_size=5).filter(lambda s: sum(s) > 0),
    batches=st.lists(st.integers(0, 40), min_size=1, max_size=60),
)
def test_dispatch_hands_out_every_unit_and_tracks_the_shares(shares, batches):
    shares = np.array(shares) / np.sum(shares)
    owed = np.zeros((1, shares.size))
    total = np.zeros(shares.size)
    for units in batches:
        given_now = dispatch(np.array([units]), shares[None, :], owed)
        assert given_now.sum() == units
        assert np.all(given_now >= 0)
        total += given_now[0]
    assert np.all(np.abs(total - sum(batches) * shares) < 1 + 1e-6)


def test_dispatch_one_unit_at_a_time_matches_batches_within_one_unit():
    shares = np.array([[0.5, 0.3, 0.2]])
    one_by_one, batch = np.zeros((1, 3)), np.zeros((1, 3))
    singles = sum(dispatch(np.array([1]), shares, one_by_one) for _ in range(97))
    batched = dispatch(np.array([97]), shares, batch)
    assert np.all(np.abs(singles - batched) <= 1)


def test_priority_serves_in_order_then_shares_the_surplus():
    needs = np.array([[50.0, 30.0, 20.0]])
    assert np.allclose(priority_shares(np.array([60.0]), needs), [[50 / 60, 10 / 60, 0]])
    surplus = priority_shares(np.array([200.0]), needs)
    assert np.allclose(surplus, [[0.5, 0.3, 0.2]])


def test_proportional_follows_need_and_falls_back_to_equal_shares():
    assert np.allclose(proportional_shares(np.array([[30.0, 10.0]])), [[0.75, 0.25]])
    assert np.allclose(proportional_shares(np.array([[0.0, 0.0]])), [[0.5, 0.5]])
