"""Observed history in a scenario: what really happened, to hold the model against.

A scenario that starts in the past can say what was later observed, by year, for any
yearly metric the run reports (``history:``). The run then reports, per observation,
where it fell in the model's spread (:mod:`sim.report.history`): a hindcast is the
plainest test of whether a forecast's band can be trusted.

The file form is meant to read like a table copied from a source::

    history:
      item.PAC-3 MSE.deliveries:            # a report.json metric without its year
        2024: {value: 510, source: [bi-2024], note: "about 500-517"}
        2025: 620
        source: [lm-2025-deliveries]        # backs every year of this metric

A year maps to the observed number, or to ``{value, source, note}`` when that year has
its own sources. Checks, each reported as ``FILE:LINE: path: message``: years are
whole years within the horizon, values are finite and not negative, every source key
exists, every observation has at least one source (an observation without one is an
anecdote), and the metric is one the scenario reports for that year.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Any

from pydantic import ConfigDict, Field, model_validator

from sim.scenario.sections import Name, Section
from sim.scenario.yamlsource import Path_

Finding = tuple[Path_, str]

_YEAR = re.compile(r"^[0-9]{4}$")
Year = Annotated[str, Field(pattern=_YEAR.pattern)]
"""A calendar year as written (a key of the YAML mapping, so text)."""


class Observation(Section):
    """One observed value of a metric in one year, with what backs it."""

    value: float = Field(ge=0, allow_inf_nan=False, description="The observed number.")
    source: list[Name] = Field(
        default_factory=list, description="Source keys for this year (added to the metric's)."
    )
    note: str | None = Field(None, description="How the value was read or derived.")


def _series_schema(schema: dict[str, Any]) -> None:
    """Describe the series as written (years as keys), not as held (``years``)."""
    years = schema["properties"].pop("years")
    schema["required"] = [key for key in schema.get("required", []) if key != "years"]
    observation: dict[str, Any] = next(iter(years.get("patternProperties", {}).values()), {})
    schema["patternProperties"] = {
        _YEAR.pattern: {
            "anyOf": [{"type": "number", "minimum": 0}, observation],
            "description": years.get("description", ""),
        }
    }


class HistorySeries(Section):
    """Observed values of one yearly metric: ``{<year>: <value>, source: [...]}``."""

    model_config = ConfigDict(json_schema_extra=_series_schema)

    source: list[Name] = Field(
        default_factory=list, description="Source keys that back every year of this metric."
    )
    note: str | None = Field(None, description="How the series was read or derived.")
    years: dict[Year, Observation] = Field(
        description="Observed value by year: a number, or {value, source, note}."
    )

    @model_validator(mode="before")
    @classmethod
    def _years_as_keys(cls, data: Any) -> Any:
        """Gather the year keys the file writes beside ``source`` into ``years``."""
        if not isinstance(data, dict):
            return data
        # anything but a year stays a key of its own, so a typo is an unknown key
        kept = {key: value for key, value in data.items() if not _YEAR.match(str(key))}
        years = {
            key: {"value": value} if _is_number(value) else value
            for key, value in data.items()
            if _YEAR.match(str(key))
        }
        return {**kept, "years": years}

    def observations(self) -> Iterator[tuple[int, Observation, list[str]]]:
        """(year, observation, its source keys: the metric's, then the year's), by year."""
        for year in sorted(self.years, key=int):
            observation = self.years[year]
            keys = list(dict.fromkeys([*self.source, *observation.source]))
            yield int(year), observation, keys


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


HISTORY_DESCRIPTION = (
    "Observed values of yearly report metrics, to hold the model against (a hindcast). "
    "Keys are report.json metric names without the year, e.g. 'item.PAC-3 MSE.deliveries'; "
    "each maps years to observed numbers, plus 'source: [keys]' for every year and an "
    "optional 'note'. A year may instead map to {value, source, note} to cite its own "
    "sources. Years must lie within the horizon; every observation needs a source. "
    "sim run reports each observation against the model's P5-P95 band ('Against history')."
)


def check_history(scenario: Any) -> list[Finding]:
    """Years within the horizon and sources that exist, for every observation.

    Whether each metric is one the scenario reports is :func:`check_history_metrics`'s
    question, asked only once the rest of the scenario is sound.
    """
    findings: list[Finding] = []
    first, last = scenario.start_year, scenario.start_year + scenario.years - 1
    known = list(scenario.sources)
    for metric, series in scenario.history.items():
        base = ("history", metric)
        for index, key in enumerate(series.source):
            if key not in scenario.sources:
                findings.append(((*base, "source", index), _unknown_source(key, known)))
        for year, observation, keys in series.observations():
            path = (*base, str(year))
            if not first <= year <= last:
                findings.append((path, f"year {year} is outside the horizon {first}-{last}"))
            for index, key in enumerate(observation.source):
                if key not in scenario.sources:
                    findings.append(((*path, "source", index), _unknown_source(key, known)))
            if not keys:
                findings.append(
                    (path, "no source: give 'source: [keys]' for the metric or for this year")
                )
    return findings


def _unknown_source(key: str, known: list[str]) -> str:
    listing = ", ".join(known) if known else "none are defined"
    return f"unknown source '{key}' (known: {listing})"
