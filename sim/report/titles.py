"""Figure titles for metrics, in the catalogue's words rather than their ids.

A panel titled ``item.PAC-3 MSE.stock_end.2035`` makes a reader decode a name meant for
scripts; "PAC-3 MSE stock at end of 2035" is what it means. The words are the ones the
comparison's tables and sentences use (:func:`sim.compare.measures.label`, from each
family's wording in :mod:`sim.catalogue`), so a figure and the text beside it name a
metric alike.
"""

from __future__ import annotations

from sim import catalogue
from sim.compare.measures import label, parse_metric, subject

EACH_YEAR = "each year"
"""What stands for the year in a panel that draws a yearly metric over every year."""


def metric_title(name: str, years: list[int]) -> str:
    """'PAC-3 MSE stock at end of 2035' for ``item.PAC-3 MSE.stock_end.2035``; a name
    the catalogue does not know is shown as it is rather than hidden."""
    try:
        return label(parse_metric(name), years)
    except catalogue.UnknownMetric:
        return name


def yearly_title(name: str, years: list[int]) -> str:
    """'PAC-3 MSE deliveries in each year' for ``item.PAC-3 MSE.deliveries``: a yearly
    metric named without its year (as a scenario's ``history:`` names it), drawn over
    every year of `years`."""
    try:
        metric = parse_metric(catalogue.in_year(name, years[0]))
    except catalogue.UnknownMetric:
        return name
    fields = {**metric.fields, "year": EACH_YEAR}
    return f"{subject(metric)} {metric.family.words(fields, years)}"
