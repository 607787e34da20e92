"""The JSON Schema of scenario files (``sim schema``), for editors and other tools.

It is generated from the pydantic models, so it cannot drift from what ``sim validate``
accepts, with what the models cannot say themselves:

* **``extends:``** A file that extends another is deep-merged onto it
  (:mod:`sim.scenario.variants`), so any key at any depth may be left to the base file: a line
  may change only its ``opens``. Such a file is checked against a *partial* schema, the
  same keys, types and descriptions with nothing required. So the top level describes
  every key through the partial definitions (``Partial<Model>``; editors complete from
  them), and a file without ``extends`` must also match the full ``Scenario`` (with its
  required keys, at every depth).
* **An identity** (``$id``), so that tools can tell this schema and its version apart.

The schema cannot check what needs the whole scenario (a route to a line that does not
exist, a cycle of inputs): ``sim validate`` does, with the file and line of each problem.
"""

from __future__ import annotations

import copy
from typing import Any

from sim import __version__
from sim.scenario.model import Scenario

SCHEMA_ID = f"urn:dicas-sim:scenario-schema:{__version__}"
"""The schema's identity: the simulator and its version (the schema changes with it)."""
PARTIAL = "Partial"
"""Prefix of the definitions with nothing required, for files that use ``extends``."""
DEFINITIONS = "#/$defs/"


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of scenario files, with or without ``extends``."""
    full = Scenario.model_json_schema(by_alias=True)
    full["properties"]["extends"] = {
        "type": "string",
        "description": (
            "A base scenario file (a path relative to this file, inside its folder) "
            "onto which this file is merged: keys given here replace or extend the base's."
        ),
    }
    definitions = full.pop("$defs", {})
    definitions["Scenario"] = full
    partial = {PARTIAL + name: _partial(body) for name, body in definitions.items()}
    top = partial[PARTIAL + "Scenario"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "DICAS capacity simulator scenario",
        "description": top.get("description", ""),
        "type": "object",
        "properties": top["properties"],
        "additionalProperties": False,
        "if": {"not": {"required": ["extends"]}},
        "then": {"$ref": DEFINITIONS + "Scenario"},
        "$defs": {**definitions, **partial},
    }


def _partial(node: Any) -> Any:
    """A copy of schema `node` with nothing required, referring to partial definitions."""
    if isinstance(node, list):
        return [_partial(item) for item in node]
    if isinstance(node, str) and node.startswith(DEFINITIONS):
        return DEFINITIONS + PARTIAL + node.removeprefix(DEFINITIONS)
    if not isinstance(node, dict):
        return copy.copy(node)
    return {key: _partial(value) for key, value in node.items() if key != "required"}
