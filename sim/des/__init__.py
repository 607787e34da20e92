"""The SimPy discrete-event engine: the readable reference semantics of docs/model.md.

One replication at a time, in continuous time: lines are processes with a capacity
credit, units are events, delays are exact; yards and repair depots are SimPy resources
that ships and removed engines book when they are sent (``ships``, ``engines``). It
reads the same :class:`~sim.parameters.Parameters` and fills the same tallies as the
vector engine, so the two can be held to agree (tests/agreement).
"""

from sim.des.model import run_tallies, simulate

__all__ = ["run_tallies", "simulate"]
