"""Named shared draws (docs/model.md, "Randomness"): one uncertain number or event,
defined once under ``shared:`` and referred to as ``{shared: NAME}``, is equal wherever
it is used, in every replication, in both engines."""

from __future__ import annotations

import numpy as np
import pytest

from sim.loading import load_scenario
from sim.network import compile_network
from sim.sampling import sample_parameters
from sim.scenario.distributions import Bernoulli
from sim.scenario.schema import json_schema
from sim.simulation import simulate_chunk
from tests.conftest import build_scenario
from tests.engines import ENGINES

CHANCE = 0.6


def two_hubs(shared: bool):
    """Two engine types, each with a hub that opens after certification: by one shared
    decision and date, or (``shared=False``) by a draw of its own each."""
    if shared:
        certification = {"days": {"shared": "hub-days"}, "success": {"shared": "hub-approved"}}
    else:
        certification = {"days": {"uniform": [100, 600]}, "success": CHANCE}
    depots = {
        "tinker": {"country": "US", "lines": 2, "turnaround_days": 60},
        "hub": {
            "country": "JP",
            "lines": 2,
            "turnaround_days": 30,
            "certification": certification,
        },
    }
    pool = {"spares": 2, "removals_per_engine_year": 1.0, "depots": depots}
    return build_scenario(
        years=3,
        shared={"hub-approved": {"bernoulli": CHANCE}, "hub-days": {"uniform": [100, 600]}},
        engine_repair={"F100": {"installed": 20, **pool}, "F110": {"installed": 10, **pool}},
    )


def test_a_shared_draw_is_equal_wherever_it_is_used_in_every_replication():
    network = compile_network(two_hubs(shared=True))
    parameters = sample_parameters(network, 7, range(2000))
    f100, f110 = (engine.opens[:, 1] for engine in parameters.engines)
    np.testing.assert_array_equal(f100, f110)
    opened = np.isfinite(f100)
    # the decision itself is still a draw with the stated chance: within 4 standard errors
    se = np.sqrt(CHANCE * (1 - CHANCE) / opened.size)
    assert abs(opened.mean() - CHANCE) < 4 * se
    # one input for sensitivity analysis, named by the shared draw
    assert {"shared.hub-approved", "shared.hub-days"} <= parameters.by_name().keys()
    assert not any(name.endswith("certification.days") for name in parameters.by_name())


def test_separate_draws_are_not_tied():
    # the contrast: independent certifications open together in ~0.36 of replications
    network = compile_network(two_hubs(shared=False))
    f100, f110 = (
        engine.opens[:, 1] for engine in sample_parameters(network, 7, range(2000)).engines
    )
    assert np.mean(np.isfinite(f100) != np.isfinite(f110)) > 0.4


@pytest.mark.parametrize("engine", ENGINES)
def test_both_engines_open_the_hubs_in_the_same_replications(engine):
    network = compile_network(two_hubs(shared=True))
    metrics = simulate_chunk(network, 7, range(60), engine).metrics
    f100, f110 = (metrics[f"engines.{t}.depot.hub.opened"] for t in ("F100", "F110"))
    np.testing.assert_array_equal(f100, f110)
    assert 0 < f100.mean() < 1
    repaired = [metrics[f"engines.{t}.depot.hub.repairs"] > 0 for t in ("F100", "F110")]
    assert not np.any(repaired[0] & (f100 == 0)) and not np.any(repaired[1] & (f110 == 0))


def test_a_shared_draw_leaves_every_other_draw_where_it_was():
    # common random numbers stay keyed by name: tying the hubs moves nothing else
    tied, untied = (
        sample_parameters(compile_network(two_hubs(shared)), 7, range(250))
        for shared in (True, False)
    )
    for a, b in zip(tied.engines, untied.engines, strict=True):
        for field in ("candidate", "keep", "turnaround", "outbound", "lines"):
            np.testing.assert_array_equal(getattr(a, field), getattr(b, field), err_msg=field)
        np.testing.assert_array_equal(a.opens[:, 0], b.opens[:, 0])  # Tinker: no certification
    for parameter, values in untied.named.items():
        if "certification" not in parameter.field:
            np.testing.assert_array_equal(tied.named[parameter], values, err_msg=parameter.name)


def test_co_production_opens_the_f100_and_f110_hubs_in_the_same_replications():
    scenario = load_scenario("scenarios/co-production.yaml")
    network = compile_network(scenario)
    engines = sample_parameters(network, scenario.seed, range(1000)).engines
    hubs = [
        engine.opens[:, network.engines[i].depots.index("japan-hub")]
        for i, engine in enumerate(engines)
    ]
    np.testing.assert_array_equal(hubs[0], hubs[1])
    assert 0.5 < np.isfinite(hubs[0]).mean() < 0.7


def test_bernoulli_is_one_on_the_top_p_of_the_unit_interval():
    u = np.array([0.01, 0.39, 0.41, 0.99])
    np.testing.assert_array_equal(Bernoulli(bernoulli=0.6).ppf(u), [0, 0, 1, 1])
    assert Bernoulli(bernoulli=1.0).support() == (1.0, 1.0)
    assert Bernoulli(bernoulli=0.25).mean() == 0.25


def test_the_schema_documents_shared_draws():
    schema = json_schema()
    assert "shared" in schema["properties"]
    assert "{shared: NAME}" in schema["properties"]["shared"]["description"]
