"""The scenario keys of costs: a line's unit cost and learning, and dated investments.

They live apart from :mod:`sim.scenario.model` (which only refers to them) so that costs stay
one concept in one package; docs/model.md, "Costs", states the rules.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from sim.costs.learning import LOWEST_SLOPE
from sim.scenario.distributions import DateSpec, NumberSpec, as_written, within
from sim.scenario.limits import MAX_UNITS, Days, UnitCost
from sim.scenario.sections import Name
from sim.scenario.sections import Section as _Section

LearningSlope = Annotated[NumberSpec, within(LOWEST_SLOPE, 1.0)]
"""Wright's learning slope: the unit cost's factor per doubling of cumulative output."""


class LineCost(_Section):
    """What a line's units cost: today's unit cost, the learning slope, the units made."""

    unit_cost_musd: UnitCost | None = Field(
        None,
        description=(
            "Million US$ for the line's next unit at the start (unit units_before + 1); "
            "default: the item's unit_cost_musd."
        ),
    )
    learning_slope: LearningSlope = Field(
        as_written(1.0),
        description=(
            "Wright's law: each doubling of the line's cumulative accepted units multiplies "
            f"the unit cost by this ({LOWEST_SLOPE}–1; 1, the default: no learning)."
        ),
    )
    units_before: Annotated[int, Field(ge=0, le=MAX_UNITS)] = Field(
        0,
        description=(
            "Units the line accepted before the start: where it is on its learning curve "
            "(0: a new line, whose first unit costs unit_cost_musd)."
        ),
    )
    source: list[Name] = Field(default_factory=list)


class Investment(_Section):
    """A one-off cost paid on a date: facilitisation, berths, depot lines, a SAR effort."""

    name: Name
    cost_musd: UnitCost = Field(description="Million US$, paid at once on its day.")
    date: DateSpec | None = Field(None, description="The day it is paid (date or distribution).")
    line: Name | None = Field(None, description="Paid on this line's opening day (as drawn).")
    yard: Name | None = Field(None, description="Paid on this ship-repair yard's opening day.")
    depot: str | None = Field(
        None,
        description=(
            "ENGINE_TYPE.DEPOT: paid on the day the depot opens (after certification); "
            "not paid in a replication where certification fails."
        ),
    )
    lead_days: Days | None = Field(
        None, description="With line, yard or depot: paid this many days before the opening."
    )
    country: Name | None = Field(
        None,
        description="Who pays; default: the country of the line, yard or depot.",
    )
    source: list[Name] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_day(self) -> Investment:
        given = [key for key in ("date", "line", "yard", "depot") if getattr(self, key) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of date, line, yard or depot (when it is paid); got "
                + (", ".join(given) or "none")
            )
        if self.date is not None and self.lead_days is not None:
            raise ValueError("lead_days goes with line, yard or depot, not with date")
        return self

    def anchor(self) -> tuple[str, str] | None:
        """('line' | 'yard' | 'depot', name) when paid at an opening; None for a date."""
        for key in ("line", "yard", "depot"):
            value = getattr(self, key)
            if value is not None:
                return key, value
        return None
