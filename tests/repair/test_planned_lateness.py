"""GAO's late share counts planned availabilities; emergent repairs are reported apart.

A case small enough to work by hand, in both engines: six ships on a one-year cycle whose
planned availabilities always overrun by half (so every one is late), and emergent
repairs sent to a yard with berths to spare and no transit (so none waits, none is
late). The planned late share is then exactly 1, and the share over all availabilities
is the planned share of the work completed.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.loading import parse_scenario
from sim.runs.montecarlo import run
from sim.scenario.yamlsource import read_yaml
from tests.engines import ENGINES

SCENARIO = """\
name: lateness
start_year: 2026
years: 3
seed: 4
ship_repair:
  routing: home
  yards:
    yard: {country: US, berths: 40}
  fleets:
    ships:
      homeport: US
      ships: 6
      cycle_days: 365
      planned_days: 30
      overrun: 1.5
      emergent_per_year: 12
      emergent_days: {exponential: {mean: 10}}
"""


@pytest.fixture(scope="module", params=ENGINES)
def metrics(request) -> dict:
    data, source = read_yaml("lateness.yaml", SCENARIO)
    return run(parse_scenario(data, source), 40, engine=request.param).outcomes.metrics


def test_every_planned_availability_is_late(metrics):
    assert np.all(metrics["ships.planned_late_share"] == 1.0)
    assert np.all(metrics["ships.fleet.ships.planned_late_share"] == 1.0)
    # each overran its 30 planned days by half: 15 days late, no queue, no transit
    assert np.allclose(metrics["ships.planned_delay_days"], 15.0)


def test_the_share_over_all_work_is_the_planned_share_of_what_was_completed(metrics):
    planned = metrics["ships.planned_availabilities"]
    everything = metrics["ships.availabilities"]
    assert np.all(planned < everything)  # emergent repairs happened, and were on time
    assert np.allclose(metrics["ships.late_share"], planned / everything)
