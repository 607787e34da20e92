"""``--precision``: how many replications a question needs, decided by the numbers.

The run adds rounds of replications until the 95 % confidence interval of every
headline metric is narrow enough, or ``--max-reps`` is reached.

**The rule.** A headline metric is precise enough when the half-width of its 95 % CI
is at most ``precision × max(|mean|, 1)`` in the metric's own unit: within 1 % of the
mean for ``--precision 0.01``, except that a mean below one unit is held to an
absolute half-width of ``precision`` units. That covers the metrics whose mean is 0 (a
shortfall that never happens has every replication at 0, a half-width of 0, and passes)
and keeps a rare event averaging 0.02 missiles from demanding millions of replications
to pin down to 1 % of itself; fractions (utilisation, shares) are held to ``precision``
absolute, one percentage point at 0.01. A metric needs values in at least two
replications to have an interval at all; until then it is not precise.

**The rounds.** Each round's total is predicted from the CI shrinking as 1/√n —
n · (half-width / target)² for the worst metric, plus 10 % — at least one block of
replications more and at most four times as many, rounded to whole blocks. Every total
is a prefix of the same replications, so a run that stops at n replications reports
exactly what ``sim run --reps n`` reports.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Sequence
from dataclasses import dataclass

from sim.errors import Problem, ScenarioError
from sim.network import Network
from sim.scenario.model import Scenario
from sim.scenario.variants import read_document
from sim.sensitivity.metrics import headline_metrics as default_headline
from sim.streams import BLOCK

MARGIN = 1.1
GROWTH = 4
DEFAULT_MAX_REPLICATIONS = 100_000


def target_half_width(mean: float, precision: float) -> float:
    """The widest 95 % CI half-width accepted for a metric with this `mean`."""
    return precision * max(abs(mean), 1.0)


@dataclass(frozen=True)
class Check:
    """One headline metric against the target."""

    metric: str
    mean: float | None
    half_width: float | None
    target: float | None
    defined: int
    """Replications in which the metric has a value."""

    @property
    def met(self) -> bool:
        """Whether this metric is precise enough."""
        if self.defined < 2:
            return False
        # the half-width and target are None only for a metric with no value
        assert self.half_width is not None and self.target is not None
        return self.half_width <= self.target

    def as_dict(self) -> dict:
        """JSON-ready, for report.json."""
        return {
            "mean": self.mean,
            "half_width": self.half_width,
            "target": self.target,
            "met": self.met,
        }


def check(summaries: dict[str, dict], metrics: Sequence[str], precision: float) -> list[Check]:
    """Each of `metrics` (names in `summaries`) against the rule."""
    checks = []
    for name in metrics:
        summary = summaries[name]
        count = int(summary["n"])
        if count == 0:
            checks.append(Check(name, None, None, None, 0))
            continue
        low, high = summary["ci95"]
        half = (high - low) / 2
        mean = summary["mean"]
        checks.append(Check(name, mean, half, target_half_width(mean, precision), count))
    return checks


def next_total(current: int, checks: Sequence[Check], maximum: int) -> int:
    """Replications for the next round: enough by the 1/√n rule for the worst metric."""
    needed = current + BLOCK
    for entry in checks:
        if entry.met:
            continue
        half, target = entry.half_width, entry.target
        if entry.defined >= 2 and target is not None and half is not None and target > 0 < half:
            ratio = half / target
            needed = max(needed, math.ceil(current * ratio * ratio * MARGIN))
        else:
            needed = max(needed, 2 * current)
    needed = min(needed, GROWTH * current)
    return min(maximum, math.ceil(needed / BLOCK) * BLOCK)


def headline_metrics(network: Network, available: Sequence[str]) -> list[str]:
    """The scenario's ``headline:`` list, checked against the run's metrics, or the default.

    The default is the report's own (:func:`sim.sensitivity.metrics.headline_metrics`):
    each end item's stock on 31 December of the last year, ship repair's mean delay and
    each engine type's aircraft availability. An unknown name in the list is bad input
    (exit 2), located at its line of the scenario file.
    """
    scenario = network.scenario
    known = set(available)
    unknown = [(i, name) for i, name in enumerate(scenario.headline) if name not in known]
    if unknown:
        raise ScenarioError(
            _locate(scenario, ("headline", i), f"{name}: {unknown_metric(name, available)}")
            for i, name in unknown
        )
    return default_headline(network, dict.fromkeys(available)) or list(available)[:4]


def unknown_metric(name: str, available: Sequence[str]) -> str:
    """'no such metric (did you mean …?)': most wrong names are typos of a real one."""
    close = difflib.get_close_matches(name, list(available), n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    return f"no such metric{hint}"


def _locate(scenario: Scenario, path: tuple, message: str) -> Problem:
    """A problem at `path` of the scenario's files (line 1 if they cannot be read again)."""
    try:
        _, source, _ = read_document(scenario.file, scenario.allow_extends_outside)
    except (OSError, ScenarioError):
        return Problem(scenario.file, 1, ".".join(map(str, path)), message)
    return source.problem(path, message)


def precision_note(precision: dict) -> str:
    """'Precision 1 % reached with 4,250 replications.' or what fell short (the
    terminal summary and the report's Run section say the same)."""
    target = f"{100 * precision['target']:g} %"
    count = f"{precision['replications']:,} replications"
    if precision["met"]:
        return f"Precision {target} reached with {count}."
    short = [name for name, entry in precision["metrics"].items() if not entry["met"]]
    listed = ", ".join(short[:3]) + (", …" if len(short) > 3 else "")
    widest = max(
        (entry for entry in precision["metrics"].values() if not entry["met"]),
        key=lambda entry: entry["half_width"] / max(entry["target"], 1e-300),
    )
    reached = f"{100 * widest['half_width'] / max(abs(widest['mean']), 1.0):.2g} %"
    return (
        f"Precision {target} not reached within --max-reps ({count}); still too wide: "
        f"{listed} (the widest at ±{reached})."
    )
