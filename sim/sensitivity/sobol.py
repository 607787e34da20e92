"""Variance-based (Sobol') sensitivity by a Saltelli design, with SALib's estimators.

For each studied input *i*, the **first-order index** S_i is the share of the metric's
variance that *i* explains on its own, and the **total-order index** ST_i the share it
has a hand in, interactions included; ST_i − S_i measures its interactions. Both come
with 95 % bootstrap intervals (SALib: Saltelli et al. 2010 estimators).

**Design.** SALib's Sobol'-sequence sample gives two base matrices A and B of N rows
and, for each input, A with that input's column from B. Here everything that is *not* a
studied input — per-event randomness (disruption events, unit failures, ship arrivals,
engine removals), yes/no draws (does a conflict happen) and any input left out with
``--input`` — is one more input, the **remainder**: rows of A and of every A-with-B_i
matrix are run as replications 0 … N − 1 and share their noise exactly, rows of B as
replications N … 2N − 1, and one more matrix (A's inputs, B's noise) gives the
remainder's own indices. The inputs' indices are then the usual Sobol' indices of a
model whose last input is "everything else", and the remainder's total index says how
much of the variance no studied input can explain. Cost: N·(D + 3) model runs for D
studied inputs.

One caveat, stated in the output: where changing an input changes *how many* random
numbers an event draw consumes (the Poisson count of a line's disruptions when its
``disruptions.per_year`` changes), the later event draws of that block are redrawn in
that matrix, so part of the noise leaks into that input's total-order index. First-order
indices are unaffected.

SALib is optional (``pip install 'dicas-sim[sensitivity]'``); the rank method and the
run report do not need it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from sim.errors import RunError
from sim.parameter_id import ParameterId
from sim.sensitivity.estimates import Estimate, InputSensitivity, MetricSensitivity, ranked

DEFAULT_BASE_SAMPLES = 256
"""N: with D inputs a study costs N·(D + 3) runs; 256 pins indices to about ±0.1."""
RESAMPLES = 200
"""Bootstrap resamples for SALib's confidence intervals."""
REMAINDER = ParameterId("", "(everything else)", "")
"""The pseudo-input standing for per-event noise and unstudied inputs."""
INSTALL_HINT = "pip install 'dicas-sim[sensitivity]'"


def require_salib() -> None:
    """Fail with the install command when SALib is missing (a one-line :class:`RunError`)."""
    try:
        importlib.import_module("SALib.analyze.sobol")
        importlib.import_module("SALib.sample.sobol")
    except ImportError:
        raise RunError(
            f"--method sobol needs SALib, which is not installed: {INSTALL_HINT}"
        ) from None


def check_base_samples(base_samples: int) -> None:
    """N must be a power of two of at least 2: Sobol' sequences lose balance otherwise."""
    if base_samples < 2 or base_samples & (base_samples - 1):
        raise ValueError(f"--samples must be a power of two (64, 128, 256, …), not {base_samples}")


@dataclass(frozen=True)
class Matrix:
    """One of the D + 3 matrices of the design: N rows of uniforms for the studied inputs."""

    design: dict[str, np.ndarray]
    """By input name (the stream a :class:`~sim.sensitivity.design.DesignSampler` replaces)."""
    noise_from_b: bool
    """Whether its rows run as replications N … 2N − 1 (B's noise) instead of 0 … N − 1."""


@dataclass(frozen=True)
class SobolDesign:
    """A Saltelli design over `inputs` plus the remainder, in SALib's row order."""

    inputs: list[ParameterId]
    base_samples: int
    sample: np.ndarray
    """SALib's sample, (N·(D + 3), D + 1); the last column stands for the remainder."""

    @property
    def runs(self) -> int:
        """Model runs the design needs: N·(D + 3)."""
        return self.sample.shape[0]

    @property
    def stride(self) -> int:
        """Rows per base sample in SALib's order: A, A_B1 … A_B(D+1), B."""
        return len(self.inputs) + 3

    def matrices(self) -> list[Matrix]:
        """The design's matrices, in SALib's order within each base sample."""
        remainder = len(self.inputs) + 1
        return [
            Matrix(
                {
                    parameter.name: self.sample[kind :: self.stride, i]
                    for i, parameter in enumerate(self.inputs)
                },
                noise_from_b=kind >= remainder,
            )
            for kind in range(self.stride)
        ]

    def assemble(self, outputs: Sequence[np.ndarray]) -> np.ndarray:
        """One matrix's outputs each (in :meth:`matrices` order) back in SALib's row order."""
        joined = np.empty(self.runs)
        for kind, values in enumerate(outputs):
            joined[kind :: self.stride] = values
        return joined


def saltelli_design(inputs: Sequence[ParameterId], base_samples: int, seed: int) -> SobolDesign:
    """SALib's scrambled Sobol'-sequence design for `inputs` and the remainder."""
    from SALib.sample import sobol as sobol_sample

    check_base_samples(base_samples)
    problem = _problem(inputs)
    sample = sobol_sample.sample(problem, base_samples, calc_second_order=False, seed=seed)
    return SobolDesign(list(inputs), base_samples, sample)


def _problem(inputs: Sequence[ParameterId]) -> dict:
    everything = [parameter.name for parameter in (*inputs, REMAINDER)]
    bounds = [[0.0, 1.0]] * len(everything)
    return {"num_vars": len(everything), "names": everything, "bounds": bounds}


def evaluate(
    design: SobolDesign, run_matrix: Callable[[Matrix, int], dict[str, np.ndarray]]
) -> dict[str, np.ndarray]:
    """Every metric at every design row, in SALib's order.

    `run_matrix(matrix, first_row)` runs one matrix as replications ``first_row`` …
    ``first_row + N − 1`` and returns metric → values.
    """
    results = [
        run_matrix(matrix, design.base_samples if matrix.noise_from_b else 0)
        for matrix in design.matrices()
    ]
    return {name: design.assemble([result[name] for result in results]) for name in results[0]}


def sobol_sensitivity(
    metric: str, unit: str, design: SobolDesign, outputs: np.ndarray, seed: int
) -> MetricSensitivity:
    """First- and total-order indices of each studied input, largest total order first.

    Raises ValueError when the metric is undefined in some run (a recovery that never
    happened): Sobol' indices need a value everywhere; the rank method does not.
    """
    from SALib.analyze import sobol as sobol_analyse

    outputs = np.asarray(outputs, dtype=float)
    missing = int(np.sum(~np.isfinite(outputs)))
    if missing:
        raise ValueError(
            f"{metric} has no value in {missing:,} of {outputs.size:,} runs; Sobol' indices "
            "need one in every run (use --method rank)"
        )
    inputs = design.inputs
    varies = bool(np.ptp(outputs) > 0)
    if not varies:
        nothing = [_undefined() for _ in inputs]
        order = ranked(inputs, nothing, "total_order", signed=False)
        return MetricSensitivity(metric, unit, "sobol", "total_order", outputs.size, False, order)
    indices = sobol_analyse.analyze(
        _problem(inputs),
        outputs,
        calc_second_order=False,
        num_resamples=RESAMPLES,
        conf_level=0.95,
        seed=np.random.default_rng(seed),
    )
    estimates = [
        {
            "first_order": _estimate(indices["S1"][i], indices["S1_conf"][i]),
            "total_order": _estimate(indices["ST"][i], indices["ST_conf"][i]),
        }
        for i in range(len(inputs) + 1)
    ]
    remainder = InputSensitivity(REMAINDER, 0, estimates[-1])
    order = ranked(inputs, estimates[:-1], "total_order", signed=False)
    return MetricSensitivity(
        metric, unit, "sobol", "total_order", outputs.size, True, order, remainder=remainder
    )


def _estimate(value: float, half_width: float) -> Estimate:
    return Estimate(float(value), float(value - half_width), float(value + half_width))


def _undefined() -> dict[str, Estimate]:
    return {"first_order": Estimate.undefined(), "total_order": Estimate.undefined()}
