"""The vector engine's fast parts against plain, slow references.

Each structure that makes the hot loop fast (supply levels, gather delay lines, the
lookahead acceptance count, layout-free allocation, the vectorised disruption share)
must give exactly what the obvious one-at-a-time computation gives.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.network import compile_network
from sim.production.allocation import (
    destination_shares,
    dispatch,
    line_shares,
    priority_shares,
    proportional_shares,
)
from sim.production.capacity import disruption_share_left, disruption_shares_left
from sim.vector.acceptance import LOOKAHEAD, Acceptance
from sim.vector.delays import DelayLines
from sim.vector.layout import Layout
from tests.conftest import build_scenario, tallies_of


def test_delay_lines_hand_on_each_units_after_its_own_delay():
    rng = np.random.default_rng(1)
    delays = rng.integers(0, 5, size=(3, 40))
    lines = DelayLines(delays)
    reader = lines.reader(np.arange(3))
    entered = rng.integers(0, 9, size=(12, 3, 40))
    leaving = np.empty((3, 40), dtype=np.int32)
    for step in range(12):
        lines.enter(step, slice(0, 3), entered[step])
        lines.leave(step, reader, leaving)
        back = step - delays
        expected = np.where(back >= 0, np.take_along_axis(entered, back[None].clip(0), 0)[0], 0)
        assert np.array_equal(leaving, expected)
    still_in = sum(
        np.where((step + delays >= 12), entered[step], 0) for step in range(12)
    )  # entered, due after the last step
    assert np.array_equal(lines.held(12), still_in)


@pytest.mark.parametrize("per_step", [0.2, 3.0, 12.0])
def test_acceptance_counts_the_positions_below_the_units_finished(per_step):
    """Against a count of positions below each total, also with many failures a step."""
    rng = np.random.default_rng(2)
    reps, steps = 30, 25
    gaps = rng.geometric(0.3, size=(reps, 200))
    positions = np.cumsum(gaps, axis=1) - 1  # sorted unit indices, as sampling draws them
    done = rng.poisson(per_step / 0.3, size=(steps, reps))
    bound = done.sum(axis=0).max() + 1
    positions = np.concatenate([positions, np.full((reps, 1), bound)], axis=1)  # unreachable
    acceptance = Acceptance([None, positions.astype(np.int32)], reps)
    finished = np.zeros((2, reps), dtype=np.int64)
    for step in range(steps):
        passed = np.zeros((2, reps), dtype=np.int32)
        passed[1] = done[step]
        finished[1] += done[step]
        acceptance.scrap(slice(0, 2), finished, passed)
        expected = (positions < finished[1][:, None]).sum(axis=1)
        assert np.array_equal(acceptance.failed[1], expected)
        assert np.array_equal(acceptance.failed[0], np.zeros(reps))
    assert done.max() > LOOKAHEAD or per_step < 1  # the large cases need several passes


def test_levels_group_lines_by_supply_depth():
    scenario = build_scenario(
        items={
            "missile": {"unit": "missiles"},
            "motor": {"unit": "motors"},
            "grain": {"unit": "tonnes"},
        },
        lines={
            "grain": {
                "country": "US",
                "makes": "grain",
                "capacity": {"initial": 500},
                "routes": {"line": {"motor": 1.0}},
            },
            "motor": {
                "country": "US",
                "makes": "motor",
                "capacity": {"initial": 400},
                "inputs": {"grain": 1},
                "routes": {"line": {"missile": 1.0}},
            },
            "missile": {
                "country": "US",
                "makes": "missile",
                "capacity": {"initial": 300},
                "inputs": {"motor": 1, "grain": 1},
            },
            "grain-2": {
                "country": "US",
                "makes": "grain",
                "capacity": {"initial": 100},
                "routes": {"line": {"missile": 1.0}},
            },
        },
    )
    network = compile_network(scenario)
    layout = Layout(network)
    names = [
        [layout.lines[p].name for p in range(lv.lines.start, lv.lines.stop)] for lv in layout.levels
    ]
    assert [sorted(level) for level in names] == [["grain", "grain-2"], ["motor"], ["missile"]]
    missile = layout.levels[2]
    assert missile.stores.stop - missile.stores.start == 2
    assert missile.feeds.size == 2  # one route to each of its two input stores
    # units still flow down the three levels in the same step when nothing delays them:
    # the missile line makes what its scarcer input, grain-2's 100 a year, allows
    _, tallies = tallies_of(scenario, replications=2)
    missile = next(node.index for node in network.lines if node.name == "missile")
    assert np.all(np.abs(tallies.line_output[:, missile, 0] - 100) <= 1)


def test_shares_and_dispatch_do_not_depend_on_the_layout():
    """Destination-major (the vector loop) and replication-major (the DES, the tests) give
    the same numbers bit for bit."""
    rng = np.random.default_rng(3)
    needs = rng.random((500, 3)) * rng.choice([0.0, 1.0, 50.0], size=(500, 3))
    supply = rng.random(500) * 60
    assert np.array_equal(priority_shares(supply, needs), priority_shares(supply, needs.T, 0).T)
    assert np.array_equal(proportional_shares(needs), proportional_shares(needs.T, 0).T)
    owed_rows = np.zeros((500, 3))
    owed_columns = np.zeros((3, 500))
    for _ in range(20):
        units = rng.integers(0, 40, size=500)
        shares = priority_shares(supply, needs)
        by_rows = dispatch(units, shares, owed_rows)
        by_columns = dispatch(units, np.ascontiguousarray(shares.T), owed_columns, axis=0)
        assert np.array_equal(by_rows, by_columns.T)
        assert np.array_equal(by_rows.sum(axis=1), units)
    assert np.array_equal(owed_rows, owed_columns.T)


def test_line_shares_of_a_block_equal_the_shares_step_by_step():
    # a and b also need cards from a shared card line, so their usable needs of motors
    # read the card line's capacity, yield and shares: the block layout must too
    scenario = build_scenario(
        items={"missile": {"unit": "missiles"}, "motor": {"unit": "motors"}, "card": {}},
        lines={
            "motor": {
                "country": "US",
                "makes": "motor",
                "capacity": {"initial": 400},
                "routes": {"line": ["a", "b", "c"], "allocation": "priority"},
            },
            "card": {
                "country": "US",
                "makes": "card",
                "capacity": {"initial": 150},
                "routes": {"line": ["a", "b"], "allocation": "proportional"},
            },
            **{
                name: {
                    "country": "US",
                    "makes": "missile",
                    "capacity": {"initial": 100},
                    "inputs": {"motor": 1, "card": 2} if name != "c" else {"motor": 1},
                }
                for name in "abc"
            },
        },
    )
    network = compile_network(scenario)
    node = next(n for n in network.lines if n.name == "motor")
    rng = np.random.default_rng(4)
    capacity = rng.random((6, len(network.lines), 50)) * 10  # (steps, lines, reps)
    yields = rng.random((50, len(network.lines)))
    block = line_shares(
        network, node, lambda line: capacity[:, line], lambda line: yields[:, line], axis=-2
    )
    for step in range(6):
        one = destination_shares(network, node, capacity[step].T, yields)
        assert np.array_equal(block[step], one.T)


def test_vectorised_disruption_share_is_the_scalar_one():
    rng = np.random.default_rng(5)
    for _ in range(200):
        events = rng.integers(1, 4)
        start = rng.uniform(0, 10, events)
        end = start + rng.uniform(0, 6, events)
        lost = rng.uniform(0, 1, events)
        low, high = sorted(rng.uniform(0, 12, 2))
        many = disruption_shares_left(
            np.pad(start, (0, 3 - events), constant_values=np.inf)[None],
            np.pad(end, (0, 3 - events), constant_values=np.inf)[None],
            np.pad(lost, (0, 3 - events))[None],
            np.array([low]),
            np.array([high + 1e-3]),
        )
        assert many[0] == disruption_share_left(start, end, lost, low, high + 1e-3)
    # two events overlapping over the whole interval multiply
    both = disruption_share_left(
        np.array([0.0, 0.0]), np.array([9.0, 9.0]), np.array([0.5, 0.5]), 1, 2
    )
    assert both == pytest.approx(0.25)
