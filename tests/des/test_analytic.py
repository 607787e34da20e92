"""Inside the DES: its state part-way through a replication, worked out by hand.

The rules themselves are tested in both engines in tests/test_production_rules.py; this
checks what only the event-driven engine can show, the state at a given moment.
"""

from __future__ import annotations

from sim.des.model import Replication
from sim.network import compile_network
from sim.production.demand import Requirements, recovery_windows
from sim.sampling import sample_parameters
from tests.conftest import build_scenario

MISSILE = {"PAC-3 MSE": {"unit": "missiles"}}


def test_arrivals_fill_backorders_in_priority_order():
    line = {
        "country": "US",
        "makes": "PAC-3 MSE",
        "capacity": {"initial": 1000},
        "opens": "2027-01-01",
    }
    scenario = build_scenario(
        years=2,
        items=MISSILE,
        lines={"pac3": line},
        demand=[
            {"item": "PAC-3 MSE", "owner": "US", "per_year": 120, "priority": 2},
            {"item": "PAC-3 MSE", "owner": "US", "per_year": 60, "priority": 1},
        ],
    )
    network = compile_network(scenario)
    parameters = sample_parameters(network, 1, range(1))
    model = Replication(
        network,
        parameters,
        0,
        Requirements(network, parameters),
        recovery_windows(network, parameters),
    )
    # by 1 January 2027 both streams are backordered in full (120 and 60); in the first 70
    # days of 2027 another 23 and 11 fall due and the line makes 191 units: priority 1's
    # 71 are filled first, priority 2 gets the remaining 120 of its 143
    model.env.run(until=365 + 70)
    assert model.stocks.backlog == [23, 0]
