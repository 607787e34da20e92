"""Ship and engine repair (DESIGN §2.3–2.4): what both engines share.

The scenario sections, the compiled repair network, the per-replication draws of every
exogenous event, the booking rule of first-come-first-served multi-server queues, and the
tallies that turn event times into the metrics of DESIGN §2.5. The engines
(:mod:`sim.vector.ships`, :mod:`sim.des.ships`, …) only decide *when* things happen.
"""
