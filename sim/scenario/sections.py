"""Building blocks shared by every part of the scenario language.

They live apart from :mod:`sim.scenario.model` so that the repair sections
(:mod:`sim.repair.scenario`) can use them without an import cycle.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,3}$")]
"""A country code as used in shipping lanes (``US``, ``JP``)."""

Name = Annotated[str, StringConstraints(min_length=1, max_length=80, pattern=r"^[^.\s][^.]*$")]
"""A free-text name of an item, line, yard or source; dots are reserved for metric paths."""

Lane = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,3}-[A-Z]{2,3}$")]
"""A route between two countries, ``FROM-TO`` (``JP-US``)."""


class Section(BaseModel):
    """A mapping in a scenario file: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, frozen=True, validate_default=True
    )
