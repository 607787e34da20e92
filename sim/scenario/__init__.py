"""The scenario language: what an analyst may write, and what it means.

Everything a scenario file is made of, and nothing that simulates it:

* :mod:`~sim.scenario.model` — the pydantic models of DESIGN §4 (the file's shape and
  values), built from :mod:`~sim.scenario.sections`, :mod:`~sim.scenario.distributions`
  (uncertain numbers and dates) and :mod:`~sim.scenario.limits` (the ranges a number may take);
* :mod:`~sim.scenario.yamlsource` — YAML read with the line of every key, so a problem can
  be reported as ``FILE:LINE: path: message``; :mod:`~sim.scenario.messages` turns
  pydantic's errors into such messages;
* :mod:`~sim.scenario.variants` — ``extends:`` chains and ``--set`` overrides;
* :mod:`~sim.scenario.references` — the second pass, checking entries against each other;
* :mod:`~sim.scenario.history`, :mod:`~sim.scenario.sources` — observed history and the
  public sources a scenario cites; :mod:`~sim.scenario.schema` — the JSON Schema for editors.

Sections that belong to one part of the model live with it (repair's in
:mod:`sim.repair.scenario`, costs' in :mod:`sim.costs.scenario`, orders and surge in
:mod:`sim.production`). Reading a file runs every pass in :mod:`sim.loading`, which sits
above the simulation because its last check simulates one replication; this package sits
below everything, so engines, sampling and checks can all build on it.
"""
