"""Conservation in every replication of the DES engine, on random networks and the shipped one.

The same identities the vector engine is held to (tests/vector/test_invariants.py), on the
same random networks: units are neither made nor lost on the way.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.des import run_tallies
from sim.network import compile_network
from sim.sampling import sample_parameters
from sim.scenario import load_scenario
from tests.conftest import build_scenario
from tests.vector.test_invariants import assert_requirements_accounted, networks

ROOT = Path(__file__).resolve().parents[2]


def assert_conserved(network, t) -> None:
    """Every conservation identity of docs/model.md, in every replication of tallies `t`."""
    output = t.line_output.sum(axis=2)
    # units started (+ a warm start's opening pipeline, started before the horizon)
    # = passed acceptance + still in flow + scrapped, per line
    started = t.line_started + t.line_in_flow_start
    assert np.array_equal(started, output + t.line_in_flow + t.line_scrapped)
    for i in range(len(network.items)):
        makers = [line.index for line in network.lines if line.item == i]
        made = output[:, makers].sum(axis=1)
        # made (+ at sea at the start) = delivered + at sea, per item
        delivered = t.item_deliveries[:, i].sum(axis=1)
        assert np.array_equal(
            made + t.item_in_transit_start[:, i], delivered + t.item_in_transit[:, i]
        )
        members = [s for s, (item, _) in enumerate(network.stocks) if item == i]
        if members:
            # stock at the end = initial + arrivals at stock − consumption met
            start = t.stock_initial[:, members].sum(axis=1)
            end = t.stock_end[:, members, -1].sum(axis=1)
            assert np.array_equal(end, start + t.item_to_stock[:, i] - t.item_consumed[:, i])
            assert np.array_equal(t.stock_monthly[:, i, -1], end)
        # what reached line stores was used or is still there
        used = sum(
            t.line_started[:, line.index] * network.stores[e].per_unit
            for line in network.lines
            for e in line.stores
            if network.stores[e].item == i
        )
        to_stores = t.item_deliveries[:, i].sum(axis=1) - t.item_to_stock[:, i]
        assert np.array_equal(to_stores, used + t.item_in_stores[:, i])
    assert np.all(t.stock_end >= 0)
    assert np.all(t.stock_monthly >= 0)
    assert np.all(t.line_started <= np.floor(t.line_capacity + 1e-6))
    horizon = network.calendar.horizon_days
    assert np.all(t.line_starved_days <= horizon + 1e-6)
    assert np.all(t.line_disrupted_days <= horizon + 1e-6)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(), st.integers(0, 2**32))
def test_conservation_on_random_networks(sections, seed):
    network = compile_network(build_scenario(**sections))
    parameters = sample_parameters(network, seed, range(4))
    tallies = run_tallies(network, parameters)
    assert_conserved(network, tallies)
    assert_requirements_accounted(network, parameters, tallies)


def test_conservation_on_the_shipped_contingency_scenario():
    network = compile_network(load_scenario(ROOT / "scenarios" / "contingency.yaml"))
    parameters = sample_parameters(network, 1, range(2))
    tallies = run_tallies(network, parameters)
    assert_conserved(network, tallies)
    assert_requirements_accounted(network, parameters, tallies)
