"""How the model did against observed history: report.json's ``history`` and its section.

For every observation of the scenario's ``history:`` (:mod:`sim.scenario.history`) the run's
summary of that metric in that year gives the model's P5, median and P95, and the
observation is *inside* when P5 ≤ observed ≤ P95 (both ends included, so a model with
no spread that hits the value exactly counts). That is the question a reader of a
forecast asks: had we run this model then, would its 90 % band have held what happened?

One hit or miss proves little: with a calibrated model one observation in ten falls
outside its P5–P95 band by chance, so the section says how many fell inside and where
the others fell (below or above), not a verdict.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from sim import catalogue
from sim.errors import RunError
from sim.report.tables import MISSING, Table, format_number
from sim.runs.montecarlo import Run
from sim.scenario.model import Scenario

TITLE = "Against history"
INTRODUCTION = (
    "Each value observed in the past that the scenario lists (its history), against the "
    "model's spread for that metric and year. Inside means the observation lies within the model's "
    "P5–P95 band; a calibrated model leaves about one observation in ten outside by chance."
)


def history_records(
    scenario: Scenario,
    metrics: dict[str, dict[str, Any]],
    values: Mapping[str, np.ndarray] | None = None,
) -> dict[str, dict[str, dict[str, Any]]]:
    """report.json's ``history``: per metric (without year) and year, the observation and band.

    Each record has ``observed, p5, p50, p95, inside`` (the contract, DESIGN §8) and
    ``metric`` (the full name), ``unit``, ``mean``, ``position`` (below, inside, above),
    ``percentile_rank``, ``sources`` and ``note``. Percentiles are None, and so are
    ``inside`` and ``position``, when no replication defines the metric that year.
    `values` (per-replication metrics, when the run kept them) give the percentile rank:
    how far into the model's distribution the observation falls, which says more about
    a miss than 'outside' does.
    """
    records: dict[str, dict[str, dict[str, Any]]] = {}
    for name, series in scenario.history.items():
        by_year: dict[str, dict[str, Any]] = {}
        for year, observation, sources in series.observations():
            full = catalogue.in_year(name, year)
            summary = metrics.get(full) or {}
            band = {key: _finite(summary.get(key)) for key in ("p5", "p50", "p95", "mean")}
            position = _position(observation.value, band["p5"], band["p95"])
            by_year[str(year)] = {
                "metric": full,
                "observed": observation.value,
                "unit": summary.get("unit"),
                "p5": band["p5"],
                "p50": band["p50"],
                "p95": band["p95"],
                "mean": band["mean"],
                "inside": None if position is None else position == "inside",
                "position": position,
                "percentile_rank": _rank(observation.value, (values or {}).get(full)),
                "sources": sources,
                "note": observation.note or series.note,
            }
        records[name] = by_year
    return records


def kept_values(run: Run) -> Mapping[str, np.ndarray] | None:
    """Per-replication metric values, when the run kept them in memory (else None)."""
    try:
        return run.outcomes.metrics
    except RunError:
        return None


def _rank(observed: float, values: np.ndarray | None) -> float | None:
    """Mid-rank percentile of `observed` among the defined `values` (ties count half)."""
    if values is None:
        return None
    defined = values[np.isfinite(values)]
    if defined.size == 0:
        return None
    below = np.count_nonzero(defined < observed)
    tied = np.count_nonzero(defined == observed)
    return round(100.0 * (below + 0.5 * tied) / defined.size, 2)


def _finite(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else None


def _position(observed: float, low: float | None, high: float | None) -> str | None:
    """Where `observed` falls against the band [low, high]; None without a band."""
    if low is None or high is None:
        return None
    if observed < low:
        return "below"
    if observed > high:
        return "above"
    return "inside"


def observations(history: dict[str, dict[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Every record of report.json's ``history``, in scenario order and by year."""
    return [record for by_year in history.values() for record in by_year.values()]


def tally(history: dict[str, dict[str, dict[str, Any]]]) -> tuple[int, int]:
    """(observations inside the band, observations), over every metric and year."""
    records = observations(history)
    return sum(record["inside"] is True for record in records), len(records)


def verdict(history: dict[str, dict[str, dict[str, Any]]]) -> str:
    """'2 of 2 observations inside P5–P95.', naming any that fell outside and how."""
    inside, total = tally(history)
    sentence = f"{inside} of {total} observation{'' if total == 1 else 's'} inside P5–P95"
    misses = [
        f"{record['metric']} {record['position']} the band" + _at(record["percentile_rank"])
        for record in observations(history)
        if record["position"] in ("below", "above")
    ]
    undefined = sum(record["position"] is None for record in observations(history))
    if misses:
        sentence += " (" + "; ".join(misses) + ")"
    if undefined:
        sentence += f"; {undefined} with no model value"
    return sentence + "."


def _at(rank: float | None) -> str:
    """', at the model's 98.5th percentile' (nothing when the rank is unknown)."""
    if rank is None:
        return ""
    text = f"{rank:.1f}".removesuffix(".0")
    return f", at the model's {text}{_ordinal(text)} percentile"


def _ordinal(number: str) -> str:
    """The suffix of a percentile as written: '1st', '22nd', '13th', '98.5th'."""
    if "." in number or number.endswith(("11", "12", "13")):
        return "th"
    return {"1": "st", "2": "nd", "3": "rd"}.get(number[-1], "th")


def history_table(history: dict[str, dict[str, dict[str, Any]]]) -> Table:
    """One row per observation: what was seen, the model's band, and whether it held it."""
    rows = tuple(
        (
            record["metric"].rsplit(".", 1)[0],
            record["metric"].rsplit(".", 1)[1],
            format_number(record["observed"]),
            format_number(record["p5"]),
            format_number(record["p50"]),
            format_number(record["p95"]),
            _said(record["position"]),
            format_number(record.get("percentile_rank")),
            ", ".join(record["sources"]) or MISSING,
        )
        for record in observations(history)
    )
    header = ("Metric", "Year", "Observed", "P5", "Median", "P95", "Inside")
    return Table(
        header=(*header, "Observed at percentile", "Sources"),
        rows=rows,
        numeric=(False, False, True, True, True, True, False, True, False),
    )


def _said(position: str | None) -> str:
    if position is None:
        return MISSING
    return {"inside": "yes", "below": "no, below", "above": "no, above"}.get(position, MISSING)


def notes(scenario: Scenario) -> list[str]:
    """What the scenario says of how its observations were read, each note once."""
    said: list[str] = []
    for name, series in scenario.history.items():
        if series.note:
            said.append(f"{name}: {series.note}")
        said += [
            f"{name}.{year}: {observation.note}"
            for year, observation, _ in series.observations()
            if observation.note
        ]
    return said
