"""The vector and DES engines agree on every ship and engine repair metric.

Repair has no time step: both engines are exact event algorithms over the same draws
(:mod:`sim.repair.draws`) and the same booking rule, so they must reach the same event
times in every replication. The check is therefore per replication, to floating-point
rounding (sums of the same numbers in a different order), which is far stronger than
agreement of means within Monte Carlo error — and it implies it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.des import simulate as simulate_des
from sim.loading import load_scenario
from sim.network import compile_network
from sim.sampling import sample_parameters
from sim.vector import simulate as simulate_vector
from tests.conftest import build_scenario

ROOT = Path(__file__).resolve().parents[2]
RELATIVE = 1e-9
"""Rounding only: sums of the same job times accumulated in a different order."""


def mixed() -> dict:
    """Ships from two homeports, three yards (one late, one limited), a certified hub,
    battle damage and a removal surge in a conflict."""
    return {
        "years": 4,
        "ship_repair": {
            "routing": "earliest_completion",
            "transit_days": {"US-JP": {"triangular": [11, 14, 18]}, "JP-US": 14},
            "yards": {
                "yokosuka": {"country": "JP", "berths": {"triangular": [2, 3, 4]}},
                "san-diego": {"country": "US", "berths": 2},
                "maizuru": {
                    "country": "JP",
                    "berths": 1,
                    "opens": "2026-12-01",
                    "fleets": ["west"],
                    "max_days": 180,
                    "duration_factor": {"uniform": [0.9, 1.2]},
                },
            },
            "fleets": {
                "west": {
                    "homeport": "US",
                    "ships": 12,
                    "cycle_days": 700,
                    "planned_days": {"triangular": [120, 180, 240]},
                    "overrun": {"lognormal": {"median": 1.1, "sigma": 0.2}},
                },
                "japan": {
                    "homeport": "JP",
                    "ships": 6,
                    "cycle_days": 600,
                    "planned_days": {"triangular": [100, 150, 200]},
                    "emergent_per_year": 4,
                    "emergent_days": {"exponential": {"mean": 20}},
                },
            },
        },
        "engine_repair": {
            "F110": {
                "installed": 40,
                "spares": 3,
                "removals_per_engine_year": {"uniform": [0.3, 0.6]},
                "depots": {
                    "tinker": {
                        "country": "US",
                        "lines": 3,
                        "turnaround_days": {"lognormal": {"median": 90, "sigma": 0.4}},
                        "transport_days": {"triangular": [5, 10, 21]},
                    },
                    "hub": {
                        "country": "JP",
                        "lines": 2,
                        "turnaround_days": {"triangular": [40, 60, 100]},
                        "transport_days": 1,
                        "certification": {"days": {"uniform": [300, 900]}, "success": 0.7},
                    },
                },
            }
        },
        "conflicts": [
            {
                "name": "war",
                "start": "2027-06-01",
                "days": 180,
                "ship_damage_per_year": 6,
                "ship_damage_fleets": ["japan"],
                "engine_removal_factor": 2.0,
            }
        ],
    }


def assert_same_repair_metrics(scenario, replications: int, seed: int = 5) -> None:
    network = compile_network(scenario)
    parameters = sample_parameters(network, seed, range(replications))
    vector = simulate_vector(network, parameters).metrics
    des = simulate_des(network, parameters).metrics
    names = [name for name in vector if name.startswith(("ships", "engines"))]
    assert names and sorted(names) == sorted(n for n in des if n.startswith(("ships", "engines")))
    for name in names:
        assert np.allclose(vector[name], des[name], rtol=RELATIVE, atol=1e-9, equal_nan=True), name


def test_engines_agree_per_replication_on_a_mixed_repair_scenario():
    assert_same_repair_metrics(build_scenario(**mixed()), replications=12)


def test_engines_agree_per_replication_with_fleet_schedules_and_a_factor_below_1():
    # fleets that shrink and grow (engines retiring with bare aircraft first, ships last
    # in first out) and a stand-down (factor 0.25) overlapping the surge (factor 2)
    data = mixed()
    data["engine_repair"]["F110"]["installed"] = {
        "2026-01-01": 40,
        "2026-09-01": 12,
        "2027-03-01": 30,
        "2028-06-01": 50,
    }
    data["ship_repair"]["fleets"]["west"]["ships"] = {"2026-01-01": 12, "2027-06-01": 5}
    data["conflicts"].append(
        {"name": "stand-down", "start": "2026-10-01", "days": 400, "engine_removal_factor": 0.25}
    )
    assert_same_repair_metrics(build_scenario(**data), replications=12)


@pytest.mark.parametrize("name", ["baseline", "co-production", "contingency"])
def test_engines_agree_per_replication_on_shipped_scenarios(name):
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    if scenario.ship_repair is None and not scenario.engine_repair:
        pytest.skip(f"{name}.yaml models no repair")
    assert_same_repair_metrics(scenario, replications=3)
