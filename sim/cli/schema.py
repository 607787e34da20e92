"""``sim schema``: print the JSON Schema of scenario files."""

from __future__ import annotations

import argparse
import json
import sys


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register ``sim schema``."""
    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of scenario files",
        description=(
            "Print the JSON Schema (draft 2020-12) of scenario files, for editor completion "
            "and checks as you type. Save it (sim schema > scenario.schema.json) and put "
            "'# yaml-language-server: $schema=scenario.schema.json' on the first line of a "
            "scenario. Files with extends: are checked as partial files. The schema checks "
            "keys and types; sim validate also checks what needs the whole scenario."
        ),
    )
    schema.set_defaults(handler=handle)


def handle(arguments: argparse.Namespace) -> int:
    """Write the schema to standard output."""
    # imported when the command runs, not when `sim --help` builds the parsers (start-up)
    from sim.scenario.schema import json_schema

    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")
    return 0
