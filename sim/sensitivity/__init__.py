"""Sensitivity analysis: which uncertain inputs drive a metric (``sim sensitivity``).

* :mod:`~sim.sensitivity.rank` — Spearman ρ and standardised rank regression from one run;
* :mod:`~sim.sensitivity.sobol` — first- and total-order Sobol' indices from a Saltelli
  design (SALib, optional);
* :mod:`~sim.sensitivity.study` — checking a request and carrying it out;
* :mod:`~sim.sensitivity.write` — ``sensitivity.json``/``.md``/``.html`` and tornado charts.

The run report's "What drives the headline numbers" section (:mod:`sim.report.drivers`)
uses the rank method on the run's own replications. Nothing is imported here: the report
builds on this package and this package's writers build on the report.
"""
