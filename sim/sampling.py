"""Per-replication draws of every uncertain parameter, keyed by what they drive.

Each parameter is drawn from its own named stream (:mod:`sim.streams`: why a report is
bit-identical for a seed whatever the chunking, and why two scenarios run with one seed
share their draws), for whole blocks of replications, vectorised within a block: this
is what lets the NumPy engine stay fast. The result is a
:class:`~sim.parameters.Parameters`, which both engines read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from sim.correlation import RankCorrelations
from sim.costs.draws import sample_costs
from sim.network import Network
from sim.parameter_id import Draw, Kind, ParameterId, drawn_as
from sim.parameters import Disruptions, Parameters
from sim.production.capacity import line_ramp
from sim.production.orders import OrderBook, appropriation_delays, fiscal_year_starts, sample_orders
from sim.production.surge import sample_surges
from sim.production.warm import rate_at_start, route_rates, units_within
from sim.repair.draws import sample_engines, sample_ships
from sim.scenario.distributions import Distribution, date_distribution, is_fixed, quantiles
from sim.streams import BLOCK, Sampler, open_uniforms

if TYPE_CHECKING:
    from sim.scenario.model import Disruptions as DisruptionSection

NEVER = np.int64(2**62)
"""Sentinel unit index: a failure that never comes."""


def sample_parameters(
    network: Network,
    seed: int,
    replications: range,
    sampler_type: Callable[[int, int, int], Sampler] = Sampler,
) -> Parameters:
    """Draw every parameter for `replications` (a range of replication indices).

    `sampler_type` builds the :class:`Sampler` from (seed, first block, blocks); a
    subclass may supply its own uniforms for chosen parameters (a sensitivity design,
    :mod:`sim.sensitivity.design`) while every other draw stays as it is.
    """
    first_block = replications.start // BLOCK
    last_block = (replications.stop - 1) // BLOCK
    sampler = sampler_type(seed, first_block, last_block - first_block + 1)
    if network.scenario.correlations:
        sampler.correlations = RankCorrelations.of(network.scenario)
    whole = _sample_blocks(network, sampler)
    offset = replications.start - first_block * BLOCK
    return whole.take(slice(offset, offset + len(replications)))


def _sample_blocks(network: Network, sampler: Sampler) -> Parameters:
    scenario, calendar = network.scenario, network.calendar
    named: dict[ParameterId, np.ndarray] = {}

    def draw(parameter: ParameterId, spec: Distribution) -> np.ndarray:
        values = sampler.draw(parameter, spec)
        if not is_fixed(spec):
            named.setdefault(drawn_as(parameter, spec), values)
        return values

    origin = scenario.start
    size = sampler.size
    rates, ramp_edges, failures, disruptions = [], [], [], []
    opens, flow, yields, funded = (np.zeros((size, len(network.lines))) for _ in range(4))
    start_rate = np.zeros((size, len(network.lines)))
    unit_bounds: list[tuple[np.ndarray, np.ndarray]] = []
    warm_rate = np.zeros_like(start_rate)
    for node in network.lines:
        line = scenario.lines[node.name]
        key = ParameterId("lines", node.name, "")
        capacity = line.capacity
        initial = draw(key.with_field("capacity.initial"), capacity.initial)
        target = (
            draw(key.with_field("capacity.target"), capacity.target) if capacity.target else initial
        )
        growth = draw(key.with_field("capacity.growth_cap"), capacity.growth_cap)
        i = node.index
        opens[:, i] = draw(
            key.with_field("opens", Kind.DATE), date_distribution(line.opens or origin, origin)
        )
        edges, line_rates, horizon_capacity = line_ramp(
            calendar, node.ramp_start, opens[:, i], initial, target, growth
        )
        ramp_edges.append(edges)
        rates.append(line_rates)
        flow[:, i] = draw(key.with_field("flow_days"), line.flow_days)
        yields[:, i] = draw(key.with_field("yield"), line.yield_)
        funded[:, i] = (
            np.inf
            if line.funded_per_year is None
            else draw(key.with_field("funded_per_year"), line.funded_per_year)
        )
        start_rate[:, i] = rate_at_start(
            network.calendar, edges, line_rates, opens[:, i], funded[:, i]
        )
        if node.warm:
            warm_rate[:, i] = start_rate[:, i]
        most_units = horizon_capacity + 2
        warm_units = (
            units_within(warm_rate[:, i], flow[:, i])
            if node.in_flow is None
            else np.full(size, node.in_flow, dtype=np.int64)
        )
        unit_bounds.append((most_units, warm_units))
        failures.append(
            _failures(
                sampler, f"{key.name}.yield.units", 1.0 - yields[:, i], most_units, warm_units
            )
        )
        disruptions.append(
            None
            if line.disruptions is None
            else _disruptions(sampler, key, line.disruptions, draw, calendar.horizon_days)
        )

    warm_route_rate = route_rates(network, start_rate, warm_rate, yields)
    orders = _orders(network, draw, size)
    shipping = {
        lane: draw(ParameterId("shipping_days", lane, ""), spec)
        for lane, spec in scenario.shipping_days.items()
    }

    stock_initial = np.zeros((size, len(network.stocks)))
    for item, owners in scenario.stockpiles.items():
        for owner, spec in owners.items():
            s = network.stock_index[(network.item_index[item], owner)]
            stock = ParameterId("stockpiles", item, owner, Kind.COUNT)
            stock_initial[:, s] = np.rint(draw(stock, spec))

    conflicts = scenario.conflicts
    happens = np.zeros((size, len(conflicts)), dtype=bool)
    conflict_start = np.zeros((size, len(conflicts)))
    conflict_days = np.zeros((size, len(conflicts)))
    for c, conflict in enumerate(conflicts):
        key = ParameterId("conflicts", conflict.name, "")
        chance = draw(key.with_field("probability"), conflict.probability)
        happens[:, c] = (
            sampler.uniforms(f"{key.name}.happens") < chance if not np.all(chance >= 1) else True
        )
        conflict_start[:, c] = draw(
            key.with_field("start", Kind.DATE), date_distribution(conflict.start, origin)
        )
        conflict_days[:, c] = draw(key.with_field("days"), conflict.days)

    rate = np.zeros((size, len(network.streams)))
    start = np.zeros((size, len(network.streams)))
    end = np.full((size, len(network.streams)), calendar.horizon_days)
    seen: dict[tuple[str, str], int] = {}
    for j, stream in enumerate(network.streams):
        if stream.demand is not None:
            demand = scenario.demand[stream.demand]
            count = seen[(demand.item, demand.owner)] = (
                seen.get((demand.item, demand.owner), -1) + 1
            )
            entry = ParameterId("demand", f"{demand.item}.{demand.owner}.{count}", "per_year")
            rate[:, j] = draw(entry, demand.per_year)
            start[:, j] = calendar.day(demand.start) if demand.start else 0.0
            end[:, j] = calendar.day(demand.end) if demand.end else calendar.horizon_days
        else:
            k = stream.conflict
            assert k is not None  # a stream is a demand entry's or a conflict's
            item_index, owner = network.stocks[stream.stock]
            item = network.items[item_index]
            spec = conflicts[k].consumption_per_day[item][owner]
            consumption = ParameterId(
                "conflicts", conflicts[k].name, f"consumption_per_day.{item}.{owner}"
            )
            rate[:, j] = draw(consumption, spec) * happens[:, k]
            start[:, j] = conflict_start[:, k]
            end[:, j] = conflict_start[:, k] + conflict_days[:, k]

    unit_cost = np.full((size, len(network.items)), np.nan)
    for i, item in enumerate(network.items):
        cost = scenario.items[item].unit_cost_musd
        if cost is not None:
            unit_cost[:, i] = draw(ParameterId("items", item, "unit_cost_musd"), cost)

    conflict_draws = (conflicts, happens, conflict_start, conflict_start + conflict_days)
    surge = None
    if any(conflict.surge is not None for conflict in conflicts):
        surge, supplemental = sample_surges(
            scenario,
            {node.name: node.index for node in network.lines},
            draw,
            sampler.uniforms,
            *conflict_draws[1:],
        )
        for award in supplemental:  # a surge's own appropriation, released as it begins
            book = orders[award.line]
            assert book is not None  # checked: a surge's orders go to lines with orders
            orders[award.line] = book.with_award(award.day, award.day, award.units)
    if surge is not None:
        for i in surge.lines():
            # a surging line starts more units than its capacity: the acceptance fates
            # reach further (the same stream, so the positions a no-surge run draws stay)
            most_units, warm_units = unit_bounds[i]
            extra = np.ceil((surge.factor[:, i] - 1.0) * most_units)
            units = f"lines.{network.lines[i].name}.yield.units"
            chance = 1.0 - yields[:, i]
            failures[i] = _failures(sampler, units, chance, most_units, warm_units + extra)
    ships = (
        None
        if network.ships is None
        else sample_ships(network.ships, sampler, draw, calendar, conflict_draws)
    )
    engines = [
        sample_engines(engine, sampler, draw, conflict_draws, calendar.horizon_days)
        for engine in network.engines
    ]

    costs = sample_costs(
        network,
        draw,
        size,
        unit_cost,
        opens,
        None if ships is None else ships.opens,
        {engine.name: draws.opens for engine, draws in zip(network.engines, engines, strict=True)},
    )

    return Parameters(
        replications=range(sampler.first_block * BLOCK, sampler.first_block * BLOCK + size),
        rates=rates,
        ramp_edges=ramp_edges,
        opens=opens,
        flow_days=flow,
        yield_=yields,
        funded=funded,
        failures=failures,
        disruptions=disruptions,
        shipping_days=shipping,
        stock_initial=stock_initial,
        stream_rate=rate,
        stream_start=start,
        stream_end=end,
        conflict_happens=happens,
        conflict_start=conflict_start,
        conflict_end=conflict_start + conflict_days,
        unit_cost=unit_cost,
        warm_rate=warm_rate,
        warm_route_rate=warm_route_rate,
        surge=surge,
        orders=orders,
        named=named,
        ships=ships,
        engines=engines,
        costs=costs,
    )


def _orders(network: Network, draw: Draw, size: int) -> list[OrderBook | None]:
    """Each line's awards (None for a line without orders), drawn by
    :mod:`sim.production.orders`."""
    scenario = network.scenario
    if all(scenario.lines[node.name].orders is None for node in network.lines):
        return [None] * len(network.lines)
    delay = appropriation_delays(scenario.appropriations, draw, size)
    starts = fiscal_year_starts(scenario.fiscal_years)
    books: list[OrderBook | None] = []
    for node in network.lines:
        line = scenario.lines[node.name]
        books.append(
            None
            if line.orders is None
            else sample_orders(
                node.name,
                line.orders,
                line.award_to_start_days,
                starts[line.country],
                line.country,
                scenario.start,
                draw,
                delay,
            )
        )
    return books


def _failures(
    sampler: Sampler,
    name: str,
    chance: np.ndarray,
    most_units: np.ndarray,
    warm_units: np.ndarray | None = None,
) -> np.ndarray | None:
    """Indices of the units that fail acceptance, as a sorted array per replication.

    Drawing the failures as positions in the sequence of units (geometric gaps) instead of
    a binomial per step is exact, costs one draw per *failure* rather than per step, and
    gives both engines the very same fate for every unit. Positions are stored in 32 bits
    when no line can start 2³¹ units (half the memory; the same values): a position past
    that, like the padding, is one no unit reaches.

    `warm_units` (units in a warm flow pipeline, which finish first) only extend how far
    the positions reach: the width of each draw is set by `most_units` alone, so a warm
    start appends positions and never moves one a cold start would draw.
    """
    if not np.any(chance > 0):
        return None
    dtype = np.int32 if float(np.max(most_units)) < np.iinfo(np.int32).max else np.int64
    never = np.iinfo(dtype).max
    blocks = []
    for b, rng in enumerate(sampler.generators(name)):
        rows = slice(b * BLOCK, (b + 1) * BLOCK)
        p, bound = chance[rows, None], most_units[rows]
        expected = float(np.max(p[:, 0] * bound))
        if warm_units is not None:
            bound = bound + warm_units[rows]
        width = int(expected + 6 * np.sqrt(expected) + 8)
        parts: list[np.ndarray] = []
        last = np.full((BLOCK, 1), -1, dtype=np.int64)
        while not parts or np.any(last[:, 0] < bound):
            u = open_uniforms(rng.random((BLOCK, width)))
            with np.errstate(divide="ignore", invalid="ignore"):
                gaps = np.log(u)
                gaps /= np.log1p(-p)
            np.floor(gaps, out=gaps)
            gaps += 1
            np.minimum(gaps, NEVER / 4, out=gaps)
            gaps[~(p[:, 0] > 0)] = NEVER / 4
            gaps = gaps.astype(np.int64)
            part = np.cumsum(gaps, axis=1)
            part += last
            np.minimum(part, NEVER, out=part)
            parts.append(part)
            last = part[:, -1:]
        blocks.append(parts)
    width = max(sum(part.shape[1] for part in parts) for parts in blocks)
    failures = np.full((sampler.size, width), never, dtype=dtype)
    for b, parts in enumerate(blocks):
        column = 0
        for part in parts:
            target = failures[b * BLOCK : (b + 1) * BLOCK, column : column + part.shape[1]]
            np.minimum(part, never, out=target, casting="unsafe")
            column += part.shape[1]
    return failures


def _disruptions(
    sampler: Sampler, line: ParameterId, spec: DisruptionSection, draw: Draw, horizon_days: float
) -> Disruptions:
    """Disruption events over the horizon: a Poisson number, uniform start times."""
    per_year = draw(line.with_field("disruptions.per_year"), spec.per_year)
    mean_events = per_year * horizon_days / 365.25
    starts, lengths, losts = [], [], []
    for b, rng in enumerate(sampler.generators(f"{line.name}.disruptions")):
        rows = slice(b * BLOCK, (b + 1) * BLOCK)
        count = rng.poisson(mean_events[rows])
        width = max(int(count.max()), 1)
        start = rng.random((BLOCK, width)) * horizon_days
        length = quantiles(spec.days, open_uniforms(rng.random((BLOCK, width))))
        lost = quantiles(spec.capacity_lost, open_uniforms(rng.random((BLOCK, width))))
        empty = np.arange(width)[None, :] >= count[:, None]
        starts.append(np.where(empty, np.inf, start))
        lengths.append(np.where(empty, 0.0, length))
        losts.append(np.where(empty, 0.0, lost))
    width = max(s.shape[1] for s in starts)

    def pad(parts: list[np.ndarray], fill: float) -> np.ndarray:
        return np.concatenate(
            [np.pad(p, ((0, 0), (0, width - p.shape[1])), constant_values=fill) for p in parts]
        )

    start, length = pad(starts, np.inf), pad(lengths, 0.0)
    return Disruptions(start=start, end=start + length, lost=pad(losts, 0.0))
