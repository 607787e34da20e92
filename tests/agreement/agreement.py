"""Run both engines on one scenario and hold them to agree (docs/model.md, "Engine agreement").

Two checks, because both engines draw identical parameters for replication i:

* **means**: for every ``item.*`` and ``line.*`` metric, the vector mean over many
  replications and the DES mean over fewer agree within
  ``Z·√(se_vector² + se_des²) + bound``, where ``bound`` is the mean over replications of
  the discretisation bound of :mod:`tests.agreement.bounds`;
* **pairs**: for the metrics whose bound holds in every replication, replication i of
  the vector run and replication i of the DES run differ by at most that replication's
  bound. This is the sharp check: Monte Carlo noise cancels, and a model difference shows
  up at once even where the mean test, loosened by noise, would miss it.

Z = 4: a suite compares several hundred means, many of them strongly correlated; at
z = 4 a two-sided normal tail is 6·10⁻⁵, so even several hundred independent comparisons
give a false alarm well under one time in twenty, while a real difference in the rules
(a unit lost, a delay applied twice) moves a mean by many standard errors. The seed is
fixed, so the suite passes or fails the same way on every run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.des import simulate as simulate_des
from sim.network import compile_network
from sim.sampling import sample_parameters
from sim.scenario.model import Scenario
from sim.vector import simulate as simulate_vector
from tests.agreement.bounds import PER_REPLICATION, Bounds, parse_metric

Z = 4.0


@dataclass
class MetricAgreement:
    """How one metric's means and pairs compare."""

    name: str
    vector_mean: float
    des_mean: float
    standard_error: float
    bound: float
    worst_pair: float
    """Largest |vector − DES| in one replication, as a share of that replication's bound."""

    @property
    def difference(self) -> float:
        return self.vector_mean - self.des_mean

    @property
    def normalised(self) -> float:
        """|difference| in standard errors of the difference of the means."""
        if self.standard_error > 0:
            return abs(self.difference) / self.standard_error
        return 0.0 if self.difference == 0 else np.inf

    @property
    def tolerance(self) -> float:
        return Z * self.standard_error + self.bound

    @property
    def means_agree(self) -> bool:
        return abs(self.difference) <= self.tolerance

    @property
    def pairs_agree(self) -> bool:
        return self.worst_pair <= 1.0

    def describe(self) -> str:
        return (
            f"{self.name}: vector {self.vector_mean:.4g}, des {self.des_mean:.4g}, "
            f"diff {self.difference:+.4g} (tolerance {self.tolerance:.4g} = {Z:g}×se "
            f"{self.standard_error:.3g} + bound {self.bound:.3g}); "
            f"worst pair {self.worst_pair:.2f} of its bound"
        )


def compare_engines(
    scenario: Scenario, vector_reps: int, des_reps: int, seed: int
) -> list[MetricAgreement]:
    """Run both engines with `seed` and compare every item and line metric."""
    network = compile_network(scenario)
    vector = simulate_vector(network, sample_parameters(network, seed, range(vector_reps)))
    parameters = sample_parameters(network, seed, range(des_reps))
    des = simulate_des(network, parameters)
    bounds = Bounds(network, parameters)
    results = []
    for name, values in vector.metrics.items():
        if not name.startswith(("item.", "line.")):
            continue
        bound = bounds.for_metric(name)
        v, d = values, des.metrics[name]
        worst = 0.0
        if parse_metric(name)[2] in PER_REPLICATION:
            with np.errstate(invalid="ignore", divide="ignore"):
                ratio = np.abs(v[:des_reps] - d) / bound
            worst = float(np.nanmax(ratio, initial=0.0))
            if np.any(np.isnan(v[:des_reps]) != np.isnan(d)):
                worst = np.inf
        v, d = v[~np.isnan(v)], d[~np.isnan(d)]
        if v.size < 2 or d.size < 2:
            continue
        standard_error = float(np.sqrt(v.var(ddof=1) / v.size + d.var(ddof=1) / d.size))
        results.append(
            MetricAgreement(
                name,
                float(v.mean()),
                float(d.mean()),
                standard_error,
                float(np.mean(bound)),
                worst,
            )
        )
    return results


def disagreements(results: list[MetricAgreement]) -> list[str]:
    """Descriptions of every metric whose means or pairs do not agree."""
    return [r.describe() for r in results if not (r.means_agree and r.pairs_agree)]


def summary(results: list[MetricAgreement]) -> str:
    """The closest calls, for the log: largest difference of means against its tolerance
    and in standard errors (among metrics that vary), and the worst pair."""
    tight = max(results, key=lambda r: abs(r.difference) / r.tolerance if r.tolerance else 0)
    varying = [r for r in results if r.standard_error > 1e-9 * max(abs(r.vector_mean), 1)]
    noisy = max(varying, key=lambda r: r.normalised)
    pairs = max(results, key=lambda r: r.worst_pair)
    return (
        f"{len(results)} metrics; largest |diff|/tolerance "
        f"{abs(tight.difference) / tight.tolerance:.2f} ({tight.name}); largest |diff|/se "
        f"{noisy.normalised:.2f} ({noisy.name}); worst pair {pairs.worst_pair:.2f} of its "
        f"bound ({pairs.name})"
    )
