"""``sim bench``: how fast the simulation core is, measured on the machine it runs on.

The brief promises that the NumPy engine keeps Monte Carlo runs fast on a laptop CPU;
this package measures that promise rather than asserting it in timed unit tests, which
would be flaky on a shared machine. Every number is a median of repeats with its spread,
and carries a description of the machine (:mod:`sim.bench.machine`).

* :mod:`sim.bench.timing`: repeats, medians and spreads;
* :mod:`sim.bench.memory`: resident peak memory of a run or of a whole command;
* :mod:`sim.bench.machine`: CPU, cores, versions, date and commit;
* :mod:`sim.bench.engines`: both engines and the random-number floor on one scenario;
* :mod:`sim.bench.end_to_end`: ``sim run`` in a child process, report included;
* :mod:`sim.bench.synthetic`: scenarios of any number of lines, for the lines series;
* :mod:`sim.bench.scaling`: replications, horizon and lines series;
* :mod:`sim.bench.targets`: the issue's targets, met or not;
* :mod:`sim.bench.suite`: the whole suite, quick or full, as one JSON-ready record;
* :mod:`sim.bench.document`, :mod:`sim.bench.figures`, :mod:`sim.bench.write`: output.
"""
