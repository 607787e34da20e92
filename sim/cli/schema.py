"""``sim schema``: print the JSON Schema of scenario files."""

from __future__ import annotations

import argparse
import json
import sys


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register ``sim schema``."""
    schema = commands.add_parser("schema", help="print the JSON Schema of scenario files")
    schema.set_defaults(handler=handle)


def handle(arguments: argparse.Namespace) -> int:
    """Write the schema to standard output."""
    from sim.scenario import json_schema

    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")
    return 0
