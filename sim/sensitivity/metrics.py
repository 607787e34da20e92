"""Which metrics a sensitivity study explains: the ones asked for, or the headline ones."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from sim.errors import Problem, ScenarioError
from sim.network import Network
from sim.outcomes import stocked_items
from sim.sensitivity.inputs import no_such

_REPAIR_HEADLINES = re.compile(r"^(ships\.delay_days|engines\.[^.]+\.availability)$")
"""Repair metrics that answer the analysts' first question (how late, how many grounded)."""


def check_metrics(known: Mapping[str, object], metrics: Sequence[str]) -> None:
    """Every metric in `metrics` must be one the scenario reports (``--metric:N: ...``)."""
    problems = [
        Problem("--metric", position, name, no_such("metric", name, list(known)))
        for position, name in enumerate(metrics, start=1)
        if name not in known
    ]
    if problems:
        raise ScenarioError(problems)


def headline_metrics(network: Network, known: Mapping[str, object]) -> list[str]:
    """The scenario's ``headline:`` metrics that it reports; else a default choice.

    The default is the stock of each end item on 31 December of the last year — what the
    analysts count — then mean ship maintenance delay and each engine type's aircraft
    availability when the scenario models repair.
    """
    chosen = [name for name in network.scenario.headline if name in known]
    if chosen:
        return chosen
    last = network.years[-1]
    stocks = [f"item.{network.items[item]}.stock_end.{last}" for item in stocked_items(network)]
    repair = [name for name in known if _REPAIR_HEADLINES.match(name)]
    return [name for name in stocks if name in known] + repair
