"""The ``sim`` executable's entry point: Ctrl-C at any moment is one line and status 130.

Importing the command line takes a good part of a second (NumPy, rich, the commands);
a Ctrl-C in that time would otherwise print a traceback from deep inside an import. So
the entry point imports nothing heavy itself and catches the interrupt around everything.
"""

from __future__ import annotations

import sys

from sim.exit_status import INTERRUPTED


def main() -> int:
    """Run ``sim`` with the process's arguments; return the exit status."""
    try:
        # imported inside the try: a Ctrl-C while NumPy and the commands load is caught too
        from sim.cli.main import main as command_line

        return command_line()
    except KeyboardInterrupt:
        sys.stderr.write("sim: interrupted\n")
        return INTERRUPTED
