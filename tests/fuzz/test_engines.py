"""Every valid generated scenario runs in both engines with units conserved.

The identities of docs/model.md ("Invariants the tests hold in every replication"),
checked on the raw tallies of each engine by :func:`tests.des.test_invariants.assert_conserved`.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings

from sim.des import run_tallies as des_tallies
from sim.network import compile_network
from sim.sampling import sample_parameters
from sim.scenario import Scenario
from sim.vector.production import run_tallies as vector_tallies
from tests.des.test_invariants import assert_conserved
from tests.fuzz.strategies import dump, valid_documents
from tests.fuzz.test_loading import load


@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(valid_documents())
def test_valid_scenarios_run_in_both_engines_conserving_units(document):
    scenario = load(dump(document))
    assert isinstance(scenario, Scenario), scenario
    network = compile_network(scenario)
    for tallies, count in (
        (vector_tallies(network, sample_parameters(network, scenario.seed, range(6))), 6),
        (des_tallies(network, sample_parameters(network, scenario.seed, range(2))), 2),
    ):
        assert tallies.line_started.shape[0] == count
        assert_conserved(network, tallies)
        assert np.all(np.isfinite(tallies.line_output))
