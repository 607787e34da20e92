"""The ``sim`` command (DESIGN §5).

I/O lives here and in :mod:`sim.report`; everything below is pure. Exit status: 0 done,
2 bad input (every problem printed as ``FILE:LINE: path: message``, no traceback),
1 anything else, with a one-line message.

Each command is a module of this package with an ``add_parser(commands)`` function that
registers its sub-parser and handler, so adding a command touches one file and the list
in :mod:`sim.cli.main`.
"""
