"""Real runs shared by the comparison tests: made once per session, they are the slow part."""

from __future__ import annotations

import pytest

from tests.compare.runs import real_run

REPLICATIONS = 500


@pytest.fixture(scope="session")
def real_runs(tmp_path_factory):
    """crn-a and crn-b share seed 7 and differ only in beta-us; crn-c uses seed 8."""
    folder = tmp_path_factory.mktemp("runs")
    return [
        real_run(folder, "crn-a", beta_initial=100, seed=7, replications=REPLICATIONS),
        real_run(folder, "crn-b", beta_initial=130, seed=7, replications=REPLICATIONS),
        real_run(folder, "crn-c", beta_initial=160, seed=8, replications=REPLICATIONS),
    ]
