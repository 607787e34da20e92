"""Bounds on what a scenario or a run may ask for, stated once so errors and docs agree.

Past these, memory, disk or integer ranges give out before a useful answer: 10¹²
replications spent memory planning chunks before simulating one; a capacity of 10¹⁵
overflowed the unit counts into negative deliveries; a million disruptions a year filled
23 GB. Each bound sits far above anything an analysis of real industry needs (the
largest public rates, 155 mm shells, are about 10⁶ a year), and an uncertain number must
stay within it but for a one-in-a-trillion tail (:func:`sim.scenario.distributions.within`).
docs/model.md, "Limits", lists them.
"""

from __future__ import annotations

from typing import Annotated

from sim.scenario.distributions import NumberSpec, within

MAX_REPLICATIONS = 10_000_000
"""Most replications in one run: ~13 KB of checkpoint per replication for the shipped
scenarios, so the largest run needs about 130 GB of disk for its checkpoints."""
MAX_UNITS_PER_YEAR = 10_000_000
"""Most items a year a line, a demand stream or a conflict (per day × 365) may ask for."""
MAX_UNITS = 1_000_000_000
"""Most items a stock may hold: 10⁹, so counts stay exact in float64 and int64."""
MAX_DAYS = 365_000
"""Longest duration of any kind (flow, shipping, repair, certification): 1,000 years, so
that the long tail of a lognormal duration (battle damage's default reaches 68,000 days
once in 10¹²) stays inside while infinity and overflow do not."""
MAX_EVENTS_PER_YEAR = 365
"""Most random events a year per source (disruptions, removals per engine, repairs per
fleet per ship): events are drawn up front, so their count sets the memory a run needs."""
MAX_FLEET_EVENTS_PER_YEAR = 100_000
"""Most emergent repairs or battle-damage repairs a year for a whole fleet or conflict."""
MAX_COUNT = 100_000
"""Most ships, berths, engines, spares or repair lines in one place."""
MAX_GROWTH = 10.0
"""Largest yearly growth of a line's rate (1,000 %)."""
MAX_FACTOR = 100.0
"""Largest multiplier (overrun, a yard's duration factor, a conflict's removal factor)."""
MAX_UNIT_COST_MUSD = 100_000.0
"""Largest unit cost, million US$ (an aircraft carrier is about 13,000)."""

Rate = Annotated[NumberSpec, within(0, MAX_UNITS_PER_YEAR, limit=True)]
DailyRate = Annotated[NumberSpec, within(0, MAX_UNITS_PER_YEAR / 365, limit=True)]
Quantity = Annotated[NumberSpec, within(0, MAX_UNITS, limit=True)]
Days = Annotated[NumberSpec, within(0, MAX_DAYS, limit=True)]
EventRate = Annotated[NumberSpec, within(0, MAX_EVENTS_PER_YEAR, limit=True)]
FleetEventRate = Annotated[NumberSpec, within(0, MAX_FLEET_EVENTS_PER_YEAR, limit=True)]
Count = Annotated[NumberSpec, within(0, MAX_COUNT, limit=True)]
Growth = Annotated[NumberSpec, within(0, MAX_GROWTH, limit=True)]
Factor = Annotated[NumberSpec, within(0, MAX_FACTOR, limit=True)]
UnitCost = Annotated[NumberSpec, within(0, MAX_UNIT_COST_MUSD, limit=True)]


def replications_problem(count: object) -> str | None:
    """Why `count` cannot be a replication count, or None if it can."""
    if isinstance(count, bool) or not isinstance(count, int):
        return "must be a whole number"
    if count < 1:
        return "must be at least 1"
    if count > MAX_REPLICATIONS:
        return f"must be at most {MAX_REPLICATIONS:,} (the limit of one run)"
    return None
