"""A scenario compiled into the indexed network both engines simulate.

The scenario file speaks in names; engines want small integers and flat lists. This
module does that translation once: items, stocks (item × owner), lines in supply order
(every supplier before its consumers), each line's input stores and destinations, and the
demand streams at each stock. It holds no random numbers: those come from
:mod:`sim.sampling`, per replication.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from sim.calendar import Calendar
from sim.repair.network import EngineNetwork, ShipNetwork, compile_engines, compile_ships
from sim.scenario.model import Scenario
from sim.scenario.references import countries, order_lines


@dataclass(frozen=True)
class Destination:
    """Where a share of a line's output goes: a stock, or another line's input store."""

    kind: Literal["stock", "store"]
    index: int
    lane: str | None
    """Shipping lane crossed on the way (``JP-US``), or None within a country."""


@dataclass(frozen=True)
class Store:
    """The stock of one input item held at one consuming line."""

    line: int
    item: int
    per_unit: int
    initial: int = 0
    """Units in the store at the start (the line's stated ``initial.stores``)."""


@dataclass(frozen=True)
class LineNode:
    """One line, by index, with its inputs and destinations."""

    name: str
    index: int
    item: int
    country: str
    stores: tuple[int, ...]
    destinations: tuple[Destination, ...]
    allocation: Literal["split", "priority", "proportional"]
    split: tuple[float, ...]
    """Fixed shares of the destinations (for ``split``)."""
    ramp_start: dt.date | None
    """Start of ramp year 0, with the default filled in (:meth:`Line.ramp_year_zero`);
    None: the drawn opening day of each replication."""
    warm: bool
    """Whether the line begins warm when it is open at the start (scenario and line allow it)."""
    in_flow: int | None = None
    """Units stated in flow at the start (``initial.in_flow``), replacing the warm flow
    pipeline's count; None: the warm-start rule decides."""


@dataclass(frozen=True)
class Stream:
    """A stream of demand (or conflict consumption) at one stock."""

    name: str
    stock: int
    priority: int
    backordered: bool
    conflict: int | None
    """Index of the conflict that drives it, or None for peacetime demand."""
    demand: int | None = None
    """Index of the scenario's ``demand`` entry it is, or None for a conflict's."""


@dataclass(frozen=True)
class Network:
    """Everything the engines need to know about the scenario's structure."""

    scenario: Scenario
    calendar: Calendar
    items: tuple[str, ...]
    stocks: tuple[tuple[int, str], ...]
    """(item index, owner) pairs that hold stock."""
    lines: tuple[LineNode, ...]
    stores: tuple[Store, ...]
    streams: tuple[Stream, ...]
    lanes: tuple[str, ...]
    item_index: dict[str, int] = field(repr=False)
    stock_index: dict[tuple[int, str], int] = field(repr=False)
    ships: ShipNetwork | None = None
    """Fleets and yards, when the scenario models ship repair."""
    engines: tuple[EngineNetwork, ...] = ()
    """Engine types, when the scenario models engine repair."""

    @property
    def years(self) -> list[int]:
        """Calendar years simulated."""
        return self.scenario.year_list()

    def destinations(self) -> list[tuple[int, Destination]]:
        """Every (line index, destination) pair in line order: the shipping pipelines."""
        return [(line.index, d) for line in self.lines for d in line.destinations]

    def stream_order(self, stock: int) -> list[int]:
        """Indices of the streams at `stock` in service order: by priority, lower first,
        conflict consumption first at a tie (conflicts default to 0, demand to 1)."""
        members = [i for i, s in enumerate(self.streams) if s.stock == stock]
        return sorted(
            members, key=lambda i: (self.streams[i].priority, self.streams[i].backordered, i)
        )


def compile_network(scenario: Scenario) -> Network:
    """Translate a validated scenario into a :class:`Network`."""
    calendar = Calendar(scenario.start, scenario.years, scenario.time_step_days)
    items = tuple(scenario.items)
    item_index = {name: i for i, name in enumerate(items)}
    homes = countries(scenario)
    lanes = set(scenario.shipping_days)
    order = order_lines(scenario) or []
    line_index = {name: i for i, name in enumerate(order)}

    stock_keys: list[tuple[int, str]] = []

    def stock(item: int, owner: str) -> int:
        if (item, owner) not in stock_keys:
            stock_keys.append((item, owner))
        return stock_keys.index((item, owner))

    for item, owners in scenario.stockpiles.items():
        for owner in owners:
            stock(item_index[item], owner)

    stores: list[Store] = []
    store_of: dict[tuple[int, int], int] = {}
    for name in order:
        line = scenario.lines[name]
        held = line.initial.stores if line.initial is not None else {}
        for needed, per_unit in line.inputs.items():
            store_of[(line_index[name], item_index[needed])] = len(stores)
            stores.append(
                Store(line_index[name], item_index[needed], per_unit, held.get(needed, 0))
            )

    nodes = []
    for name in order:
        line = scenario.lines[name]
        routes = line.destination()
        made = item_index[line.makes]

        def lane(country: str, origin: str = line.country) -> str | None:
            # a delivery into another country crosses its lane whether or not that
            # country has a line; an owner with no lane from here (a customer) has none
            crossing = f"{origin}-{country}"
            if country == origin or (country not in homes and crossing not in lanes):
                return None
            return crossing

        destinations: list[Destination] = []
        split: list[float] = []
        for owner, share in routes.stock_shares().items():
            destinations.append(Destination("stock", stock(made, owner), lane(owner)))
            split.append(share)
        shares = routes.line_shares()
        for target in routes.lines():
            consumer = scenario.lines[target]
            store = store_of[(line_index[target], made)]
            destinations.append(Destination("store", store, lane(consumer.country)))
            split.append(shares.get(target, 0.0))
        allocation = routes.allocation or "split"
        nodes.append(
            LineNode(
                name=name,
                index=line_index[name],
                item=made,
                country=line.country,
                stores=tuple(store_of[(line_index[name], item_index[i])] for i in line.inputs),
                destinations=tuple(destinations),
                allocation=allocation,
                split=tuple(split),
                ramp_start=line.ramp_year_zero(scenario.start),
                warm=scenario.warm_start and line.warm,
                in_flow=None if line.initial is None else line.initial.in_flow,
            )
        )

    streams = [
        Stream(f"demand.{i}", stock(item_index[d.item], d.owner), d.priority, True, None, i)
        for i, d in enumerate(scenario.demand)
    ]
    for c, conflict in enumerate(scenario.conflicts):
        for item, owners in conflict.consumption_per_day.items():
            for owner in owners:
                name = f"conflicts.{conflict.name}.consumption_per_day.{item}.{owner}"
                at = stock(item_index[item], owner)
                streams.append(Stream(name, at, conflict.priority, False, c))

    return Network(
        scenario=scenario,
        calendar=calendar,
        items=items,
        stocks=tuple(stock_keys),
        lines=tuple(nodes),
        stores=tuple(stores),
        streams=tuple(streams),
        lanes=tuple(scenario.shipping_days),
        item_index=item_index,
        stock_index={key: i for i, key in enumerate(stock_keys)},
        ships=compile_ships(scenario.ship_repair),
        engines=compile_engines(scenario.engine_repair, scenario.start, calendar.horizon_days),
    )
