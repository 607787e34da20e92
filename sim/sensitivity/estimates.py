"""What a sensitivity method says about one input and one metric, whatever the method.

Both methods (:mod:`sim.sensitivity.rank`, :mod:`sim.sensitivity.sobol`) reduce to the
same shape — per input, a few named estimates with 95 % confidence intervals and a rank —
so the JSON, the Markdown, the tornado chart and the run report's drivers section are
written once for both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sim.parameter_id import ParameterId


@dataclass(frozen=True)
class Estimate:
    """An index with its 95 % confidence interval; NaN everywhere when it is undefined."""

    value: float
    low: float
    high: float

    @classmethod
    def undefined(cls) -> Estimate:
        """No estimate: the metric or the input did not vary, or too few replications."""
        return cls(math.nan, math.nan, math.nan)

    @property
    def defined(self) -> bool:
        """Whether there is a number to show."""
        return math.isfinite(self.value)


@dataclass(frozen=True)
class InputSensitivity:
    """One uncertain input's effect on one metric."""

    input: ParameterId
    """The input: its scenario path and whether it is a number, a date or a count."""
    rank: int
    """1 for the input that drives the metric most; inputs with no estimate come last."""
    estimates: dict[str, Estimate]
    """By index name: ``spearman`` and ``srrc`` (rank), ``first_order`` and ``total_order``."""

    @property
    def name(self) -> str:
        """The input's scenario path, as in ``--set`` (``lines.amraam-jp.opens``)."""
        return self.input.name


@dataclass(frozen=True)
class MetricSensitivity:
    """Every studied input's effect on one metric, strongest first."""

    metric: str
    unit: str
    method: str
    """``rank`` or ``sobol``."""
    lead: str
    """The estimate that ranks the inputs (``spearman`` or ``total_order``)."""
    replications: int
    """Model runs in which the metric had a value (undefined ones are left out)."""
    varies: bool
    """False when the metric took one value in every run: nothing to attribute."""
    inputs: list[InputSensitivity]
    fit: dict[str, float] = field(default_factory=dict)
    """Method diagnostics: rank-regression R² (rank)."""
    remainder: InputSensitivity | None = None
    """Sobol: everything not studied (per-event noise and unstudied inputs) as one input."""

    def top(self, count: int) -> list[InputSensitivity]:
        """The `count` strongest drivers that have an estimate."""
        return [entry for entry in self.inputs if entry.estimates[self.lead].defined][:count]


def ranked(
    inputs: list[ParameterId], estimates: list[dict[str, Estimate]], key: str, signed: bool
) -> list[InputSensitivity]:
    """Inputs ordered by the size of estimate `key` (its absolute value when `signed`).

    Ties and undefined estimates keep the inputs' scenario order, so the ranking is
    deterministic.
    """

    def size(position: int) -> float:
        value = estimates[position][key].value
        if not math.isfinite(value):
            return -math.inf
        return abs(value) if signed else value

    order = sorted(range(len(inputs)), key=lambda position: -size(position))
    return [
        InputSensitivity(inputs[position], place, estimates[position])
        for place, position in enumerate(order, start=1)
    ]
