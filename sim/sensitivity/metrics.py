"""Which metrics a sensitivity study explains: the ones asked for, or the headline ones."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sim import catalogue
from sim.errors import Problem, ScenarioError
from sim.network import Network
from sim.production.outcomes import stocked_items
from sim.sensitivity.inputs import no_such


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

    The default is the catalogue's ``lead`` families (:func:`sim.catalogue.is_lead`): the
    stock of each end item on 31 December of the last year — what the analysts count —
    then mean ship maintenance delay and each engine type's engine positions filled when
    the scenario models repair.
    """
    chosen = [name for name in network.scenario.headline if name in known]
    if chosen:
        return chosen
    last = network.years[-1]
    stock = catalogue.ITEM_STOCK_END
    stocks = [stock.name(item=network.items[item], year=last) for item in stocked_items(network)]
    leads = [name for name in known if catalogue.is_lead(name, last)]
    return [name for name in stocks if name in known] + [
        name for name in leads if catalogue.family_of(name)[0] is not stock
    ]
