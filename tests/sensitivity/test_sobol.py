"""Sobol' indices: SALib's estimators on our design, checked where the answer is known.

Tolerances come from SALib's bootstrap half-widths: a 95 % half-width is 1.96 standard
errors, so "within 4 standard errors" is ``4 / 1.96`` half-widths.
"""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest

from sim.errors import RunError
from sim.parameter_id import ParameterId
from sim.sensitivity import sobol
from sim.sensitivity.study import carry_out, plan
from tests.sensitivity.scenarios import DRIVER, UNRELATED, needs_salib, two_lines

STANDARD_ERRORS = 4 / 1.96
"""Allowed distance from the truth, in 95 % half-widths (4 standard errors)."""


def within(estimate, truth: float) -> bool:
    half = (estimate.high - estimate.low) / 2
    return abs(estimate.value - truth) <= STANDARD_ERRORS * half + 1e-12


def by_name(result):
    return {entry.name: entry.estimates for entry in result.inputs}


def analytic(base_samples: int, model, names, noise_sd: float = 0.0, seed: int = 5):
    """Indices of `model(columns)` + noise, the noise indexed by replication like the engine's."""
    design = sobol.saltelli_design([ParameterId("", n, "") for n in names], base_samples, seed)
    noise = np.random.default_rng(seed).standard_normal(2 * base_samples) * noise_sd

    def run_matrix(matrix, first_row):
        return {"y": model(matrix.design) + noise[first_row : first_row + base_samples]}

    outputs = sobol.evaluate(design, run_matrix)
    return sobol.sobol_sensitivity("y", "", design, outputs["y"], seed)


@needs_salib
def test_a_linear_model_with_noise_gives_its_variance_shares():
    """y = 4a + 2b + 0c + ε: shares (16, 4, 0)/12 and σ² of the total variance."""
    variance = 16 / 12 + 4 / 12 + 0.25
    result = analytic(
        2048, lambda u: 4 * u["a"] + 2 * u["b"] + 0 * u["c"], ["a", "b", "c"], noise_sd=0.5
    )
    indices = by_name(result)
    for name, share in (("a", 16 / 12 / variance), ("b", 4 / 12 / variance), ("c", 0.0)):
        for key in ("first_order", "total_order"):
            assert within(indices[name][key], share), (name, key, indices[name][key])
    for key in ("first_order", "total_order"):
        assert within(result.remainder.estimates[key], 0.25 / variance), key
    assert [entry.name for entry in result.inputs] == ["a", "b", "c"]


def ishigami(u):
    x = {name: -math.pi + 2 * math.pi * u[name] for name in ("x1", "x2", "x3")}
    return np.sin(x["x1"]) + 7 * np.sin(x["x2"]) ** 2 + 0.1 * x["x3"] ** 4 * np.sin(x["x1"])


ISHIGAMI = {
    "x1": (0.3139, 0.5576),
    "x2": (0.4424, 0.4424),
    "x3": (0.0, 0.2437),
}
"""The Ishigami function's first- and total-order indices (a = 7, b = 0.1)."""


@needs_salib
def test_the_ishigami_function_gives_its_known_indices():
    """Interactions: x3 acts only with x1, so its first order is 0 and its total is not."""
    indices = by_name(analytic(4096, ishigami, list(ISHIGAMI)))
    for name, (first, total) in ISHIGAMI.items():
        assert within(indices[name]["first_order"], first), name
        assert within(indices[name]["total_order"], total), name


def scenario_study(base_samples: int, disrupted: bool, chunk_size: int = 2000):
    request = plan(
        two_lines(disrupted=disrupted), ["item.X.deliveries"], "sobol", base_samples, seed=3
    )
    return request, carry_out(request, chunk_size=chunk_size)


@needs_salib
def test_on_a_noise_free_scenario_one_input_explains_everything():
    request, study = scenario_study(64, disrupted=False)
    assert request.model_runs == 64 * (2 + 3)
    (result,) = study.results
    indices = by_name(result)
    assert result.inputs[0].name == DRIVER
    for key in ("first_order", "total_order"):
        assert within(indices[DRIVER][key], 1.0), indices[DRIVER][key]
        assert indices[UNRELATED][key].value == 0.0
        assert result.remainder.estimates[key].value == 0.0


@needs_salib
def test_on_a_disrupted_scenario_the_noise_gets_its_share():
    _, study = scenario_study(64, disrupted=True)
    (result,) = study.results
    indices = by_name(result)
    assert result.inputs[0].name == DRIVER
    for entry in [*indices.values(), result.remainder.estimates]:
        for estimate in entry.values():
            assert estimate.low <= 1 and estimate.high >= 0
    assert indices[UNRELATED]["total_order"].value == 0.0
    assert result.remainder.estimates["total_order"].low > 0
    assert indices[DRIVER]["first_order"].low > 0.3


@needs_salib
@pytest.mark.slow
def test_on_a_disrupted_scenario_first_orders_and_noise_add_up():
    """No interaction to speak of: S_a + S_noise ≈ 1 and S ≈ ST for each (larger N)."""
    _, study = scenario_study(1024, disrupted=True)
    (result,) = study.results
    driver, noise = by_name(result)[DRIVER], result.remainder.estimates
    total = driver["first_order"].value + noise["first_order"].value
    spread = (
        math.hypot(*(e["first_order"].high - e["first_order"].low for e in (driver, noise))) / 2
    )
    assert abs(total - 1) <= STANDARD_ERRORS * spread
    for estimates in (driver, noise):
        total = estimates["total_order"]
        assert total.value - estimates["first_order"].value <= STANDARD_ERRORS * (
            total.high - total.low
        )


@needs_salib
def test_indices_do_not_depend_on_chunking():
    _, small = scenario_study(64, disrupted=True, chunk_size=250)
    _, large = scenario_study(64, disrupted=True, chunk_size=2000)
    assert by_name(small.results[0]) == by_name(large.results[0])
    assert small.results[0].remainder == large.results[0].remainder


def test_base_samples_must_be_a_power_of_two():
    sobol.check_base_samples(256)
    for wrong in (0, 1, 100, 255):
        with pytest.raises(ValueError, match="power of two"):
            sobol.check_base_samples(wrong)


@needs_salib
def test_a_metric_undefined_in_some_runs_is_refused():
    design = sobol.saltelli_design([ParameterId("", "a", "")], 8, 1)
    outputs = np.ones(design.runs)
    outputs[3] = np.nan
    with pytest.raises(ValueError, match="no value in 1 of"):
        sobol.sobol_sensitivity("m", "", design, outputs, 1)


def test_missing_salib_is_a_one_line_failure_with_the_install_command(monkeypatch):
    for name in [name for name in sys.modules if name.split(".")[0] == "SALib"] + ["SALib"]:
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(RunError, match=r"pip install 'dicas-sim\[sensitivity\]'"):
        sobol.require_salib()
