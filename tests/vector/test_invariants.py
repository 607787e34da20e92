"""Conservation and bounds that must hold in every replication of any valid network."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.sampling import sample_parameters
from tests.conftest import build_scenario, tallies_of

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


def assert_requirements_accounted(network, parameters, t) -> None:
    """Every unit of demand and conflict consumption due within the horizon is accounted
    for, per item: conflict units were fired or lost (conflict consumed + conflict
    shortfall), peacetime units were met or are still on backorder; and the split
    metrics add up to the totals."""
    from sim.demand import Requirements

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


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(), st.integers(0, 2**32))
def test_conservation_in_every_replication(sections, seed):
    scenario = build_scenario(**sections)
    network, t = tallies_of(scenario, replications=20, seed=seed)
    assert_requirements_accounted(network, sample_parameters(network, seed, range(20)), t)

    # units started (+ a warm start's opening pipeline, started before the horizon)
    # = delivered + still in flow + scrapped, per line
    output = t.line_output.sum(axis=2)
    started = t.line_started + t.line_in_flow_start
    assert np.array_equal(started, output + t.line_in_flow + t.line_scrapped)
    # what lines deliver (and was at sea at the start) arrives at a stock or store, or is
    # still at sea
    for i in range(len(network.items)):
        makers = [line.index for line in network.lines if line.item == i]
        made = output[:, makers].sum(axis=1) + t.item_in_transit_start[:, i]
        assert np.array_equal(made, t.item_deliveries[:, i].sum(axis=1) + t.item_in_transit[:, i])
    # stock = initial + deliveries to stock − consumption met, per item, at the end
    for i in range(len(network.items)):
        members = [s for s, (item, _) in enumerate(network.stocks) if item == i]
        if not members:
            continue
        start = t.stock_initial[:, members].sum(axis=1)
        end = t.stock_end[:, members, -1].sum(axis=1)
        assert np.array_equal(end, start + t.item_to_stock[:, i] - t.item_consumed[:, i])
    # inputs consumed never exceed inputs received
    for store in network.stores:
        received = t.item_deliveries[:, store.item].sum(axis=1)
        used = sum(
            t.line_started[:, line.index] * s.per_unit
            for line in network.lines
            for s in [network.stores[e] for e in line.stores]
            if s.item == store.item
        )
        assert np.all(used <= received)
    assert np.all(t.stock_end >= 0)
    assert np.all(t.stock_monthly >= 0)
    assert np.all(t.item_in_stores >= 0)
    # a line never starts more than its capacity allows (capacity already capped by the ramp)
    assert np.all(t.line_started <= np.floor(t.line_capacity + 1e-6))


@settings(max_examples=30, deadline=None)
@given(
    initial=st.integers(0, 3000),
    target=st.integers(0, 3000),
    growth=st.floats(0, 1),
    years=st.integers(1, 6),
    step=st.sampled_from([1, 7, 30]),
)
def test_capacity_never_exceeds_the_growth_capped_schedule(initial, target, growth, years, step):
    line = {
        "country": "US",
        "makes": "missile",
        "capacity": {"initial": initial, "target": target, "growth_cap": growth},
        "disruptions": {"per_year": 1, "days": 20},
    }
    scenario = build_scenario(years=years, time_step_days=step, items=ITEMS, lines={"m": line})
    _, t = tallies_of(scenario, replications=5)
    schedule = np.array([min(target, initial * (1 + growth) ** n) for n in range(years)])
    assert np.all(np.cumsum(t.line_output[:, 0], axis=1) <= np.cumsum(schedule)[None, :] + 1e-6)
