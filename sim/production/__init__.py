"""Production lines: the rules both engines apply, written once (as :mod:`sim.repair` is
for repair).

* :mod:`~sim.production.capacity` — a line's rate over time (ramp, growth cap, disruptions);
* :mod:`~sim.production.demand` — demand streams drawing on stocks;
* :mod:`~sim.production.allocation` — where a line's output goes (routes, shares, priority);
* :mod:`~sim.production.warm`, :mod:`~sim.production.initial` — the state on the start date:
  a warm line's pipeline, or the state a scenario states;
* :mod:`~sim.production.units` — the whole-unit rule for starting units;
* :mod:`~sim.production.orders` — contract awards that fund units;
* :mod:`~sim.production.surge` — wartime mobilisation of lines;
* :mod:`~sim.production.starvation` — which input a starved line was short of;
* :mod:`~sim.production.outcomes` — what one replication reports, by metric name from
  :mod:`sim.catalogue`.

The engines (:mod:`sim.des`, :mod:`sim.vector`) call these functions; none of them knows
which engine called.
"""
