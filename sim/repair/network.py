"""The repair sections compiled into indices: yards, fleets, depots as small integers.

Like :mod:`sim.network` for production, this holds no random numbers. It fixes the order
of yards and fleets (the order of the scenario file), which yards each fleet may use under
the routing rule, and the transit lane between a fleet's homeport and each yard.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sim.repair.booking import open_places
from sim.repair.references import eligible
from sim.repair.scenario import EngineType, ShipRepair


@dataclass(frozen=True)
class ShipNetwork:
    """Fleets and yards of a scenario's ``ship_repair`` section."""

    section: ShipRepair
    fleets: tuple[str, ...]
    yards: tuple[str, ...]
    allowed: np.ndarray
    """(fleets, yards) booleans: the yard may take the fleet's ships under the routing."""
    lanes: tuple[tuple[str | None, ...], ...]
    """lanes[fleet][yard]: transit lane from the homeport to the yard, None at home."""
    max_days: np.ndarray
    """(yards,) the longest planned availability each yard may take (inf: no limit)."""

    def yards_allowed(
        self,
        fleet: int | np.ndarray,
        planned: npt.ArrayLike,
        berths: np.ndarray,
        opens: np.ndarray,
        day: npt.ArrayLike,
    ) -> np.ndarray:
        """Yards a request may be sent to on `day`: eligible for its fleet under the
        routing rule, open with berths, and taking availabilities of its planned length.

        Arguments are per request (numbers, or arrays over replications); `berths` and
        `opens` have the yards last. Both engines ask this one function.
        """
        limit = np.asarray(planned, dtype=float)[..., None] <= self.max_days
        result: np.ndarray = self.allowed[fleet] & open_places(berths, opens, day) & limit
        return result

    @property
    def homeports(self) -> list[str]:
        """Homeport country of each fleet."""
        return [self.section.fleets[name].homeport for name in self.fleets]


@dataclass(frozen=True)
class EngineNetwork:
    """One engine type of a scenario's ``engine_repair`` section."""

    name: str
    section: EngineType
    depots: tuple[str, ...]
    installed: int
    """Engine positions on aircraft at the start."""
    change_days: tuple[float, ...] = ()
    """Days after the start on which the positions change (a fleet schedule), in order."""
    change_positions: tuple[int, ...] = ()
    """The positions from each of those days on."""

    @property
    def most_positions(self) -> int:
        """The most engine positions at any time: what the candidate removals are drawn for."""
        return max((self.installed, *self.change_positions))

    def positions_at(self, day: np.ndarray) -> np.ndarray:
        """Engine positions on `day` (a change applies from its day on)."""
        positions = np.array([self.installed, *self.change_positions])
        return positions[np.searchsorted(np.array(self.change_days), day, side="right")]

    def mean_positions(self, horizon: float) -> float:
        """The time-average of the positions over the horizon (the fixed number without a
        schedule, exactly)."""
        if not self.change_days:
            return float(self.installed)
        edges = np.array([0.0, *self.change_days, horizon])
        positions = np.array([self.installed, *self.change_positions], dtype=float)
        return float(positions @ np.diff(edges) / horizon)

    @property
    def spares(self) -> int:
        """Spare engines at the start."""
        return self.section.spares


def compile_ships(section: ShipRepair | None) -> ShipNetwork | None:
    """Index the ``ship_repair`` section (None when the scenario has none)."""
    if section is None:
        return None
    fleets, yards = tuple(section.fleets), tuple(section.yards)
    allowed = np.zeros((len(fleets), len(yards)), dtype=bool)
    lanes = []
    for f, fleet_name in enumerate(fleets):
        fleet = section.fleets[fleet_name]
        row = []
        for y, yard_name in enumerate(yards):
            yard = section.yards[yard_name]
            home = yard.country == fleet.homeport
            allowed[f, y] = eligible(yard, fleet_name) and (
                section.routing == "earliest_completion" or home
            )
            row.append(None if home else f"{fleet.homeport}-{yard.country}")
        lanes.append(tuple(row))
    limits = [section.yards[name].max_days for name in yards]
    max_days = np.array([np.inf if limit is None else limit for limit in limits])
    return ShipNetwork(section, fleets, yards, allowed, tuple(lanes), max_days)


def compile_engines(
    section: dict[str, EngineType], start: dt.date, horizon: float
) -> tuple[EngineNetwork, ...]:
    """Index each engine type of the ``engine_repair`` section; a fleet schedule becomes
    the positions at `start` and the changes within the `horizon` (days)."""
    engines = []
    for name, engine in section.items():
        schedule = engine.schedule()
        at_start = [positions for day, positions in schedule if day <= start]
        changes = [
            (float((day - start).days), positions)
            for day, positions in schedule
            if start < day and (day - start).days < horizon
        ]
        engines.append(
            EngineNetwork(
                name,
                engine,
                tuple(engine.depots),
                at_start[-1] if at_start else schedule[0][1],
                tuple(day for day, _ in changes),
                tuple(positions for _, positions in changes),
            )
        )
    return tuple(engines)
