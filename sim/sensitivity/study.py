"""A sensitivity study from start to finish: check the request, run the model, analyse.

Everything the user can get wrong — a metric the scenario does not report, an
``--input`` pattern that matches nothing, a scenario with nothing uncertain, a Sobol'
sample size that is not a power of two, SALib missing — is checked before the long run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from sim.errors import Problem, ScenarioError
from sim.network import Network, compile_network
from sim.parameter_id import ParameterId
from sim.scenario.model import Scenario
from sim.sensitivity import sobol
from sim.sensitivity.design import CHUNK, probe_metrics, simulate_rows
from sim.sensitivity.estimates import MetricSensitivity
from sim.sensitivity.inputs import input_ranges, run_inputs, scenario_inputs, select_inputs
from sim.sensitivity.metrics import check_metrics, headline_metrics
from sim.sensitivity.rank import rank_sensitivity

METHODS = ("rank", "sobol")
RANGE_REPLICATIONS = 1000
"""Draws used to describe a Sobol' input's range (P5–P95) in the output."""

Progress = Callable[[int], None]
"""Called with the number of model runs just finished."""


@dataclass(frozen=True)
class Request:
    """What to study, checked against the scenario (see :func:`plan`)."""

    scenario: Scenario
    network: Network
    method: str
    metrics: list[str]
    units: dict[str, str]
    inputs: list[ParameterId]
    """Studied inputs, in scenario order."""
    seed: int
    size: int
    """Replications (rank) or the Sobol' base sample N."""

    @property
    def model_runs(self) -> int:
        """How many replications the study simulates."""
        if self.method == "sobol":
            return self.size * (len(self.inputs) + 3)
        return self.size


@dataclass(frozen=True)
class Study:
    """A finished study: the request, each metric's sensitivities, and what it cost."""

    request: Request
    results: list[MetricSensitivity]
    ranges: dict[ParameterId, tuple[float, float]]
    """P5 and P95 of each studied input's draws."""
    wall_seconds: float


def plan(
    scenario: Scenario,
    metrics: Sequence[str],
    method: str = "rank",
    size: int | None = None,
    seed: int | None = None,
    patterns: Sequence[str] = (),
) -> Request:
    """Check a study before running it; raise ScenarioError (bad input) on any problem.

    `size` is the replication count for ``rank`` (default: the scenario's) and the base
    sample N for ``sobol`` (default :data:`sobol.DEFAULT_BASE_SAMPLES`).
    """
    if method not in METHODS:
        raise ValueError(f"unknown method '{method}'")
    if method == "sobol":
        sobol.require_salib()
    seed = scenario.seed if seed is None else seed
    network = compile_network(scenario)
    units = probe_metrics(network, seed)
    chosen = list(dict.fromkeys(metrics)) or headline_metrics(network, units)
    check_metrics(units, chosen)
    uncertain = scenario_inputs(network, seed)
    if not uncertain:
        message = "nothing in this scenario is uncertain: there is no input to rank"
        raise ScenarioError([Problem(scenario.file, 1, "", message)])
    inputs = select_inputs(uncertain, patterns)
    if method == "sobol":
        size = sobol.DEFAULT_BASE_SAMPLES if size is None else size
        try:
            sobol.check_base_samples(size)
        except ValueError as error:
            raise ScenarioError([Problem("--samples", 1, "", str(error))]) from None
    else:
        size = scenario.replications if size is None else size
    return Request(scenario, network, method, chosen, units, inputs, seed, size)


def carry_out(request: Request, progress: Progress | None = None, chunk_size: int = CHUNK) -> Study:
    """Run the model for `request` and compute every metric's sensitivities."""
    began = time.perf_counter()
    if request.method == "sobol":
        results, ranges = _sobol(request, progress, chunk_size)
    else:
        results, ranges = _rank(request, progress, chunk_size)
    return Study(request, results, ranges, time.perf_counter() - began)


def _rank(
    request: Request, progress: Progress | None, chunk_size: int
) -> tuple[list[MetricSensitivity], dict[ParameterId, tuple[float, float]]]:
    """One ordinary run (replications 0 … n − 1, as ``sim run``), keeping its input draws."""
    outcomes, every = simulate_rows(
        request.network, request.seed, range(request.size), None, chunk_size, progress
    )
    inputs = {parameter: every[parameter] for parameter in request.inputs}
    metrics = outcomes.metrics
    results = [
        rank_sensitivity(name, request.units[name], inputs, metrics[name])
        for name in request.metrics
    ]
    return results, input_ranges(inputs)


def _sobol(
    request: Request, progress: Progress | None, chunk_size: int
) -> tuple[list[MetricSensitivity], dict[ParameterId, tuple[float, float]]]:
    design = sobol.saltelli_design(request.inputs, request.size, request.seed)

    def run_matrix(matrix: sobol.Matrix, first_row: int) -> dict[str, np.ndarray]:
        rows = range(first_row, first_row + request.size)
        outcomes, _ = simulate_rows(
            request.network, request.seed, rows, matrix.design, chunk_size, progress
        )
        return {name: outcomes.metrics[name] for name in request.metrics}

    outputs = sobol.evaluate(design, run_matrix)
    results = []
    for position, name in enumerate(request.metrics, start=1):
        try:
            results.append(
                sobol.sobol_sensitivity(
                    name, request.units[name], design, outputs[name], request.seed
                )
            )
        except ValueError as error:
            raise ScenarioError([Problem("--metric", position, name, str(error))]) from None
    draws = run_inputs(request.network, request.seed, range(RANGE_REPLICATIONS))
    return results, input_ranges({parameter: draws[parameter] for parameter in request.inputs})
