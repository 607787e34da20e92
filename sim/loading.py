"""Reading a scenario file: the models, then the checks across entries, files and runs.

Loading is three passes, like a compiler's. Pydantic checks the *shape* and the *values*
of each entry (:mod:`sim.scenario.model`); :mod:`sim.scenario.references` checks what the
entries say about *each other* (dangling names, cycles, missing shipping lanes), and
correlations are checked against the uncertain inputs the scenario really has; last,
every ``history:`` metric must be one a run reports, which is learnt from one simulated
replication (:func:`sim.simulation.metric_names`), so names are spelled in one place
only. Every pass
reports each problem as ``FILE:LINE: dotted.path: message``.

The loader sits above the simulation for that last pass; the scenario models sit below
everything, so engines, sampling and the checks can all build on them.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from sim import catalogue
from sim.correlation import check_correlations
from sim.errors import Problem, ScenarioError
from sim.network import compile_network
from sim.scenario.history import Finding
from sim.scenario.messages import problems_from_validation
from sim.scenario.model import Scenario, headline_year_problems
from sim.scenario.references import check_references
from sim.scenario.variants import apply_overrides, read_document
from sim.scenario.yamlsource import SourceMap
from sim.sensitivity.inputs import scenario_inputs
from sim.simulation import metric_names


def parse_scenario(data: object, source: SourceMap) -> Scenario:
    """Validate plain data read from `source` as a scenario, or raise ScenarioError."""
    if not isinstance(data, dict):
        raise ScenarioError([source.problem((), "a scenario must be a YAML mapping of keys")])
    try:
        shared = data.get("shared")
        scenario = Scenario.model_validate(
            data, context={"shared": shared if isinstance(shared, dict) else {}}
        )
    except ValidationError as error:
        raise ScenarioError(problems_from_validation(error, data, source, Scenario)) from None
    problems = [source.problem(path, message) for path, message in check_references(scenario)]
    problems += [source.problem(path, msg) for path, msg in headline_year_problems(scenario)]
    if not problems and scenario.correlations:
        problems = [
            source.problem(path, message)
            for path, message in check_correlations(scenario, lambda: _input_names(scenario))
        ]
    if problems:
        raise ScenarioError(problems)
    # only a sound scenario can be simulated to learn the metrics it reports
    problems = [source.problem(path, message) for path, message in check_history_metrics(scenario)]
    if problems:
        raise ScenarioError(problems)
    scenario._file = source.file
    return scenario


def _input_names(scenario: Scenario) -> list[str]:
    """The scenario's uncertain inputs, by the names correlations refer to them by
    (drawn without the correlations, which may not hold together yet)."""
    independent = scenario.model_copy(update={"correlations": []})
    inputs = scenario_inputs(compile_network(independent), scenario.seed)
    return [parameter.name for parameter in inputs]


def load_scenario(
    path: str | Path, overrides: Sequence[str] = (), allow_extends_outside: bool = False
) -> Scenario:
    """Read and validate a scenario file, with its ``extends:`` chain and `overrides`.

    `overrides` are ``PATH=VALUE`` strings (``sim run --set``). ``extends:`` may follow
    files outside the scenario's folder only with `allow_extends_outside`
    (:mod:`sim.scenario.variants`). Raises :class:`~sim.errors.ScenarioError` listing every problem
    with its file and line.
    """
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ScenarioError([Problem(str(path), 1, "", "no such file")]) from None
    except OSError as error:
        raise ScenarioError([Problem(str(path), 1, "", f"cannot read: {error}")]) from None
    data, source, files = read_document(path, allow_extends_outside)
    if overrides:
        if not isinstance(data, dict):
            raise ScenarioError([source.problem((), "a scenario must be a YAML mapping of keys")])
        data = apply_overrides(data, source, list(overrides))
    scenario = parse_scenario(data, source)
    scenario._sha256 = hashlib.sha256(raw).hexdigest()
    scenario._files = [str(file) for file in files]
    scenario._overrides = list(overrides)
    scenario._allow_extends_outside = allow_extends_outside
    canonical = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    scenario._effective_sha256 = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    scenario._document = json.loads(json.dumps(data, default=str, ensure_ascii=False))
    return scenario


def check_history_metrics(scenario: Scenario) -> list[Finding]:
    """Every history metric must be reported, every year, by a run of the scenario.

    The names come from one simulated replication, so they are exactly the names a run
    reports (DESIGN §6), defined in one place (:mod:`sim.production.outcomes` and the repair
    metrics, through :mod:`sim.catalogue`) rather than guessed here. Only yearly metrics
    can take history.
    """
    if not scenario.history:
        return []
    reported = set(metric_names(compile_network(scenario), scenario.seed))
    yearly = sorted(
        {base for name in reported if (base := catalogue.without_year(name)) is not None}
    )
    findings: list[Finding] = []
    for metric in scenario.history:
        if metric not in yearly:
            findings.append((("history", metric), _no_such_metric(scenario, metric, yearly)))
    return findings


ANY_YEAR = 2000
"""A year to complete a yearly metric's name with, to find its family (any year will do)."""


def _no_such_metric(scenario: Scenario, metric: str, yearly: list[str]) -> str:
    """Why `metric` has no yearly values: an unknown item or line, or an unknown measure."""
    fields: dict[str, str | int] = {}
    with contextlib.suppress(catalogue.UnknownMetric):  # any year: the family is the same
        fields = catalogue.family_of(catalogue.in_year(metric, ANY_YEAR))[1]
    for field, known in (("item", scenario.items), ("line", scenario.lines)):
        if field in fields and fields[field] not in known:
            return f"unknown {field} '{fields[field]}' (known: {', '.join(known) or 'none'})"
    close = difflib.get_close_matches(metric, yearly, n=3, cutoff=0.6)
    hint = f"did you mean {', '.join(close)}?" if close else _families(yearly)
    return f"this scenario reports no yearly metric '{metric}' ({hint})"


def _families(yearly: list[str]) -> str:
    """'yearly measures here: deliveries, output, stock_end' — each family's measure."""
    families = (catalogue.family_of(catalogue.in_year(name, ANY_YEAR))[0] for name in yearly)
    measures = sorted({family.measure for family in families})
    return "yearly measures here: " + ", ".join(measures) if measures else "it has none"
