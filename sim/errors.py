"""Errors a user can fix, reported the way a compiler reports them.

Every problem in a scenario file is a :class:`Problem` carrying the file, the line and the
dotted path of the offending key, so that the command line can print
``FILE:LINE: dotted.path: message`` and an editor can jump straight to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ECHO_LIMIT = 40
"""Most characters of a user's key or value that an error message repeats."""


def shown(value: object, limit: int = ECHO_LIMIT) -> str:
    """`value` as text fit to repeat in a message: printable, cut to `limit` characters.

    A scenario may come from someone else; its keys and values end up in error output.
    Cutting them keeps one bad line one line, and keeps a file that was never meant to be
    read as a scenario (``extends: /etc/passwd``) from being printed back in full.
    """
    text = "".join(character if character.isprintable() else "?" for character in str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file."""

    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        location = f"{self.file}:{self.line}"
        path = ".".join(shown(part) for part in self.path.split(".")) if self.path else ""
        return f"{location}: {path}: {self.message}" if path else f"{location}: {self.message}"


class ScenarioError(Exception):
    """A scenario file (or an override of one) cannot be used as it stands.

    Carries every problem found, not just the first, so a user fixes them in one pass.
    """

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(problem) for problem in self.problems))


class RunError(Exception):
    """A run could not finish for a reason other than bad input (disk full, I/O)."""


class RunFolderError(Exception):
    """A folder given as a finished run (``sim compare``) cannot be read as one.

    Bad input, like a broken scenario file: the folder is missing, is not the output of
    ``sim run``, or holds a damaged ``report.json`` or ``replications.csv``. The message
    names the file and says what is wrong in one line.
    """
