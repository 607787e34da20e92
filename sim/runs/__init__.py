"""Runs: many replications of a scenario, and the runs built from runs.

* :mod:`~sim.runs.montecarlo` — a Monte Carlo run: replications in chunks through an
  engine (:mod:`sim.execution` decides where chunks run), summaries assembled;
* :mod:`~sim.runs.checkpoint` — finished chunks saved, so an interrupted run resumes;
  :mod:`~sim.runs.parts` — the wall time of each part of a resumed run;
* :mod:`~sim.runs.output_folder` — the output folder, written atomically;
* :mod:`~sim.runs.against` — a plan and its counterfactual with common random numbers;
* :mod:`~sim.runs.marginal` — each line run again with 10 % more capacity (``--marginal``);
* :mod:`~sim.runs.sweep` — one scenario run at several values of an input.

A chunk's computation itself is :func:`sim.simulation.simulate_chunk`, below all of these.
"""
