"""Per-replication draws of every uncertain parameter, keyed by what they drive.

Randomness is organised so that a report is bit-identical for a seed whatever the chunk
size, worker count or backend, and so that two scenarios run with one seed share draws:

* every random stream is named by the parameter it drives (``lines.pac3-us.growth_cap``,
  the :attr:`~sim.parameter_id.ParameterId.name` of the identity it is declared with,
  which also says whether it is a number, a date or a count; the per-event streams and
  the yes/no draws, which nothing reads back, are named by their dotted name alone)
  and by a *block* of :data:`BLOCK` consecutive replications; its seed is
  ``SeedSequence(seed, spawn_key=(block, *hash(name)))``. Streams never depend on call
  order, so adding a line to scenario B leaves every draw A and B share untouched;
* draws are always made for whole blocks and sliced afterwards, so a chunk that starts
  or ends inside a block sees exactly the numbers the whole block would;
* scalar parameters use the inverse CDF of one uniform each (see
  :mod:`sim.scenario.distributions`), so the same uniform drives the same parameter in both
  scenarios even when its range changes.

Within a block, draws are vectorised: this is what lets the NumPy engine stay fast.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.correlation import RankCorrelations
from sim.costs.draws import CostDraws, sample_costs
from sim.network import Network
from sim.parameter_id import Draw, Kind, ParameterId, drawn_as
from sim.production.capacity import line_ramp
from sim.production.orders import OrderBook, appropriation_delays, fiscal_year_starts, sample_orders
from sim.production.surge import SurgeWindows, sample_surges
from sim.production.warm import rate_at_start, route_rates, units_within
from sim.repair.draws import EngineDraws, ShipDraws, sample_engines, sample_ships
from sim.scenario.distributions import Distribution, date_distribution, is_fixed, quantiles

if TYPE_CHECKING:
    from sim.scenario.model import Disruptions as DisruptionSection

BLOCK = 250
"""Replications per random-number block; chunks are cut on these boundaries."""

NEVER = np.int64(2**62)
"""Sentinel unit index: a failure that never comes."""


def open_uniforms(u: np.ndarray) -> np.ndarray:
    """Uniforms from [0, 1) moved off 0, so inverse CDFs never see 0 (or 1)."""
    result: np.ndarray = np.maximum(u, 2.0**-54)
    return result


def _name_key(name: str) -> tuple[int, ...]:
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=16).digest()
    return tuple(int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4))


def generator(seed: int, name: str, block: int) -> np.random.Generator:
    """The random stream for parameter `name` in replication block `block`."""
    sequence = np.random.SeedSequence(seed, spawn_key=(block, *_name_key(name)))
    return np.random.Generator(np.random.PCG64(sequence))


class Sampler:
    """Draws named parameters for whole blocks of replications."""

    correlations: RankCorrelations = RankCorrelations(())
    """Rank correlations between inputs (none unless the scenario asks for some)."""

    def __init__(self, seed: int, first_block: int, blocks: int):
        self.seed = seed
        self.first_block = first_block
        self.blocks = blocks
        self.size = blocks * BLOCK

    def generators(self, name: str) -> list[np.random.Generator]:
        """One stream per block, in replication order."""
        return [generator(self.seed, name, self.first_block + b) for b in range(self.blocks)]

    def uniforms(self, name: str) -> np.ndarray:
        """One uniform on the open interval (0, 1) per replication."""
        return open_uniforms(np.concatenate([g.random(BLOCK) for g in self.generators(name)]))

    def draw(self, parameter: ParameterId, spec: Distribution) -> np.ndarray:
        """One draw of `spec` per replication, by inverse CDF.

        A reference to a shared draw (``{shared: NAME}``) is drawn from the stream
        ``shared.NAME`` instead of its own, so every place that refers to it gets the
        same values.
        """
        if is_fixed(spec):
            return np.full(self.size, spec.support()[0])
        stream = drawn_as(parameter, spec).name
        if stream in self.correlations:
            return quantiles(spec, self.correlations.uniforms(stream, self.uniforms))
        return quantiles(spec, self.uniforms(stream))


@dataclass
class Disruptions:
    """Disruption events of one line: arrays (reps, events), padded with empty events."""

    start: np.ndarray
    end: np.ndarray
    lost: np.ndarray


@dataclass
class Parameters:
    """Everything random in a chunk of replications; both engines consume this."""

    replications: range
    rates: list[np.ndarray]
    """Per line: capacity per year in each ramp year, (reps, ramp years)."""
    ramp_edges: list[np.ndarray]
    """Per line: day offsets of its ramp-year edges, (reps, ramp years + 1): one row
    broadcast to every replication, or one per replication when growth counts from a
    drawn opening day (:func:`sim.production.capacity.line_ramp`)."""
    opens: np.ndarray
    """(reps, lines): day each line opens."""
    flow_days: np.ndarray
    yield_: np.ndarray
    funded: np.ndarray
    """(reps, lines): orders cap in units per year (inf when unfunded-capped)."""
    failures: list[np.ndarray | None]
    """Per line: sorted indices of the units that fail acceptance (reps, k), or None."""
    disruptions: list[Disruptions | None]
    shipping_days: dict[str, np.ndarray]
    stock_initial: np.ndarray
    """(reps, stocks)."""
    stream_rate: np.ndarray
    """(reps, streams): units per year (demand) or per day (conflicts)."""
    stream_start: np.ndarray
    stream_end: np.ndarray
    conflict_happens: np.ndarray
    """(reps, conflicts) booleans."""
    conflict_start: np.ndarray
    conflict_end: np.ndarray
    """(reps, conflicts) day each conflict starts and ends (whether or not it happens)."""
    unit_cost: np.ndarray
    """(reps, items) in million US$, NaN where not given."""
    warm_rate: np.ndarray
    """(reps, lines) units a day a warm line ran at before the start (0: it starts empty),
    the rate of its warm flow pipeline (:mod:`sim.production.warm`)."""
    warm_route_rate: np.ndarray
    """(reps, routes, in :meth:`Network.destinations` order) accepted units a day each
    route of a warm line carried before the start: its warm shipping pipeline."""
    surge: SurgeWindows | None = None
    """Per (replication, line) wartime surge windows (:mod:`sim.production.surge`); None when the
    scenario has no surge, so that engines skip it at no cost."""
    orders: list[OrderBook | None] = field(default_factory=list)
    """Per line: its awards (:mod:`sim.production.orders`), or None when its starts are not gated
    by orders (empty when the caller built parameters without them: no line is)."""
    named: dict[ParameterId, np.ndarray] = field(default_factory=dict)
    """Every uncertain scalar drawn, by its parameter (for sensitivity analysis): a
    reference to a shared draw is recorded once, as the shared draw."""
    ships: ShipDraws | None = None
    """Availability requests and yard draws, when the scenario models ship repair."""
    engines: list[EngineDraws] = field(default_factory=list)
    """Candidate removals and depot draws per engine type."""
    costs: CostDraws | None = None
    """Unit costs, learning and investments, when the scenario prices anything."""

    def by_name(self) -> dict[str, np.ndarray]:
        """The uncertain scalars drawn, by dotted name (as ``--input`` patterns and
        ``correlations:`` call them)."""
        return {parameter.name: values for parameter, values in self.named.items()}

    def take(self, rows: slice) -> Parameters:
        """The same parameters for a subset of replications.

        Every field but ``replications`` is cut, so a field added to the class is taken
        with the rest (arrays and the draws of repair by their replication axis, lists and
        mappings of them element by element).
        """

        # Any: each field is cut into a value of its own type, which differ by field
        def cut(value: object) -> Any:
            if isinstance(value, np.ndarray):
                return value[rows]
            if isinstance(value, ShipDraws | EngineDraws | SurgeWindows | CostDraws | OrderBook):
                return value.take(rows)
            if isinstance(value, Disruptions):
                return Disruptions(value.start[rows], value.end[rows], value.lost[rows])
            if isinstance(value, list):
                return [None if v is None else cut(v) for v in value]
            if isinstance(value, dict):
                return {k: cut(v) for k, v in value.items()}
            return value

        chosen = range(len(self.replications))[rows]
        first = self.replications.start
        return Parameters(
            replications=range(first + chosen.start, first + chosen.stop),
            **{
                part.name: cut(getattr(self, part.name))
                for part in fields(self)
                if part.name != "replications"
            },
        )


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
