"""Conservation identities of docs/model.md, and random networks to hold the engines to.

Used by the conservation tests of both engines (tests/test_conservation.py) and by the
fuzzing of their agreement (tests/fuzz): units are neither made nor lost on the way, and
every unit of demand and conflict consumption due is met, lost or still owed.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from sim.production.demand import Requirements

ITEMS = {"missile": {"unit": "missiles"}, "motor": {"unit": "motors"}, "card": {"unit": "cards"}}


@st.composite
def networks(draw) -> dict:
    """Random valid production scenarios: components feeding missile lines, with everything on."""
    countries = ["US", "JP"]
    years = draw(st.integers(1, 3))

    def line(makes: str) -> dict:
        spec = {
            "country": draw(st.sampled_from(countries)),
            "makes": makes,
            "capacity": {
                "initial": draw(st.integers(0, 800)),
                "target": draw(st.integers(0, 1500)),
                "growth_cap": draw(st.sampled_from([0, 0.1, 0.3, {"uniform": [0.1, 0.3]}])),
            },
            "yield": draw(st.sampled_from([1, 0.9, 0.5, {"beta": [9, 1]}])),
            "flow_days": draw(st.sampled_from([0, 30, 200, {"triangular": [10, 40, 90]}])),
        }
        if draw(st.booleans()):
            spec["opens"] = draw(
                st.sampled_from(["2026-06-01", {"uniform": ["2026-01-01", "2027-06-01"]}])
            )
        if draw(st.booleans()):
            spec["funded_per_year"] = draw(st.integers(0, 600))
        if draw(st.booleans()):
            spec["disruptions"] = {
                "per_year": 2,
                "days": {"exponential": {"mean": 30}},
                "capacity_lost": draw(st.sampled_from([1, 0.5])),
            }
        return spec

    consumers = {f"missile-{i}": line("missile") for i in range(draw(st.integers(1, 3)))}
    lines = dict(consumers)
    for component in draw(st.lists(st.sampled_from(["motor", "card"]), unique=True, max_size=2)):
        supplier = line(component)
        targets = sorted(draw(st.sets(st.sampled_from(sorted(consumers)), min_size=1)))
        policy = draw(st.sampled_from(["split", "priority", "proportional"]))
        if policy == "split":
            supplier["routes"] = {"line": {t: 1 / len(targets) for t in targets}}
            supplier["routes"]["line"][targets[0]] += 1 - sum(supplier["routes"]["line"].values())
        else:
            supplier["routes"] = {"line": targets, "allocation": policy}
        for target in targets:
            consumers[target].setdefault("inputs", {})[component] = draw(st.integers(1, 3))
        lines[f"{component}-line"] = supplier
    first = next(iter(consumers))
    if draw(st.booleans()):
        lines[first]["routes"] = {"stock": {"US": 0.5, "JP": 0.5}}
    return {
        "years": years,
        "time_step_days": draw(st.sampled_from([7, 1, 30])),
        "items": ITEMS,
        "lines": lines,
        "shipping_days": {
            "JP-US": draw(st.sampled_from([0, 25, {"uniform": [20, 40]}])),
            "US-JP": 14,
        },
        "stockpiles": {"missile": {"US": draw(st.integers(0, 500)), "JP": 100}},
        "demand": [
            {
                "item": "missile",
                "owner": "US",
                "per_year": draw(st.integers(0, 900)),
                "priority": 2,
            },
            {
                "item": "missile",
                "owner": "US",
                "per_year": 50,
                "priority": 1,
                "start": "2026-06-01",
            },
        ],
        "conflicts": [
            {
                "name": "war",
                "start": {"uniform": ["2026-02-01", "2026-10-01"]},
                "days": 90,
                "probability": 0.5,
                "consumption_per_day": {"missile": {"US": 5, "JP": 1}},
                # default (ahead of all demand), between the two streams, or behind both
                **draw(st.sampled_from([{}, {"priority": 1}, {"priority": 2}, {"priority": 3}])),
            }
        ],
    }


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
    assert_starvation_shared(network, t)


def assert_starvation_shared(network, t) -> None:
    """Starved days by input (sim.production.starvation): none negative, and per line
    max over inputs ≤ the line's starved days ≤ sum over inputs (0 without inputs)."""
    assert np.all(t.store_starved_days >= 0)
    for line in network.lines:
        starved = t.line_starved_days[:, line.index]
        if not line.stores:
            assert np.all(starved == 0)
            continue
        by_input = t.store_starved_days[:, list(line.stores)]
        assert np.all(by_input.max(axis=1) <= starved + 1e-6)
        assert np.all(starved <= by_input.sum(axis=1) + 1e-6)


def assert_requirements_accounted(network, parameters, t) -> None:
    """Every unit of demand and conflict consumption due within the horizon is accounted
    for, per item: conflict units were fired or lost (conflict consumed + conflict
    shortfall), peacetime units were met or are still on backorder; and the split
    metrics add up to the totals."""
    total = Requirements(network, parameters).total()
    for i in range(len(network.items)):
        streams = [j for j, s in enumerate(network.streams) if network.stocks[s.stock][0] == i]
        conflict = [j for j in streams if not network.streams[j].backordered]
        peacetime = [j for j in streams if network.streams[j].backordered]
        fired, lost = t.item_conflict_consumed[:, i], t.item_conflict_shortfall[:, i]
        assert np.all(fired >= 0) and np.all(lost >= 0)
        assert np.array_equal(fired + lost, total[:, conflict].sum(axis=1))
        met = t.item_consumed[:, i] - fired
        assert np.array_equal(met + t.item_backorder[:, i], total[:, peacetime].sum(axis=1))
        assert np.all(lost <= t.item_shortfall[:, i].sum(axis=1))
