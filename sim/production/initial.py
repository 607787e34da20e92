"""A line's stated initial state: units in flow and in its input stores on the start date.

By default a line open at the start begins warm (:mod:`sim.production.warm`): its flow pipeline as
after running at its rate at the start, its input stores empty. A scenario that knows
better states it on the line::

    initial: {in_flow: 40, stores: {SRM: 120}}

``in_flow`` replaces the warm flow pipeline's count (the shipping pipelines out of the
line stay warm); ``stores`` puts units of an input in the line's store. This module holds
the scenario section and the checks that need the rest of the scenario; the rule for when
stated units finish is in :mod:`sim.production.warm` (:func:`sim.production.warm.stated_exit_days`,
:func:`sim.production.warm.stated_entered`), shared by both engines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from sim.errors import ECHO_LIMIT, shown
from sim.scenario.distributions import date_distribution
from sim.scenario.limits import MAX_UNITS
from sim.scenario.sections import Name, Section
from sim.scenario.yamlsource import Path_

if TYPE_CHECKING:  # the scenario's validation calls this module
    from sim.scenario.model import Line, Scenario

Units = Annotated[int, Field(ge=0, le=MAX_UNITS)]
"""A stated count of whole units."""


class LineInitial(Section):
    """What a line holds on the start date, where the scenario knows it (default: warm)."""

    in_flow: Units | None = Field(
        None,
        description=(
            "Units in flow (started, not finished) at the start, instead of the warm "
            "pipeline's count. They finish evenly over the line's flow time, before any "
            "unit started in the horizon: the j-th of N at j × flow_days / N days. Only "
            "for a line open at the start."
        ),
    )
    stores: dict[Name, Units] = Field(
        default_factory=dict,
        description=(
            "Units of each input item in the line's store at the start (default 0): "
            "a buffer the line draws on before deliveries arrive."
        ),
    )
    source: list[Name] = Field(default_factory=list)


Finding = tuple[Path_, str]


def check_line_initial(scenario: Scenario) -> Iterator[Finding]:
    """Stated initial states that the rest of the scenario contradicts."""
    for name, line in scenario.lines.items():
        initial = line.initial
        if initial is None:
            continue
        path = ("lines", name, "initial")
        inputs = list(line.inputs)
        for item in initial.stores:
            if item not in line.inputs:
                listing = shown(", ".join(inputs), 3 * ECHO_LIMIT) if inputs else "none"
                yield (
                    (*path, "stores", item),
                    f"'{shown(item)}' is not an input of this line (inputs: {listing})",
                )
        if initial.in_flow and not open_at_start(line, scenario.start):
            yield (
                (*path, "in_flow"),
                "a line that may open after the start has nothing in flow at the start: "
                "state in_flow only for a line open at the start (its 'opens' on or "
                "before it in every replication)",
            )


def open_at_start(line: Line, start: dt.date) -> bool:
    """Whether the line is open on the start date in every replication."""
    if line.opens is None:
        return True
    return date_distribution(line.opens, start).support()[1] <= 0
