"""The identity of an uncertain parameter: where the scenario declares it, what its value is.

A parameter is declared where it is drawn (:mod:`sim.sampling`, and the modules it calls
for orders, surges, costs and repair), and its identity travels with its draws
(:attr:`sim.parameters.Parameters.named`) to whoever reads them: sensitivity analysis and
the report's drivers read the section, entry, field and kind from here instead of
parsing a dotted name back (``.opens`` meant a date, until an investment's ``date`` did
too and was shown as a number of days).

The dotted :attr:`ParameterId.name` is still what people see, what ``--input`` patterns
and ``correlations:`` match, and, above all, the key of the parameter's random stream
(:func:`sim.streams.generator` hashes it): it must stay byte for byte what it was, or
every draw of every scenario moves.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from enum import Enum
from typing import TypeAlias

import numpy as np

from sim.scenario.distributions import Distribution, Shared


class Kind(Enum):
    """What a parameter's value is, and so how it reads."""

    NUMBER = "number"
    """A quantity: a rate, a fraction, a duration in days, a cost."""
    DATE = "date"
    """A day, drawn as days since the scenario's start: shown as a date, 'later' not
    'higher'."""
    COUNT = "count"
    """Whole things (berths, repair lines, stock, units awarded): drawn, then rounded."""


@dataclasses.dataclass(frozen=True)
class ParameterId:
    """One uncertain parameter of a scenario: ``lines``, ``pac3-us``, ``capacity.initial``.

    `section` is the scenario section that declares it (``lines``, ``ship_repair.yards``,
    ``conflicts``, ``shared``…); `id` the named entry within it (a line, a yard, a
    conflict; for a demand entry its item, owner and number, for a shipping lane the
    lane), or empty when the section itself holds the value; `field` the path within
    the entry (``capacity.growth_cap``), or empty when the entry is the value. The kind
    says how the value reads and is no part of the identity: a shared draw is one
    parameter whatever the places that use it.
    """

    section: str
    id: str
    field: str
    kind: Kind = dataclasses.field(default=Kind.NUMBER, compare=False)

    @property
    def name(self) -> str:
        """The dotted scenario path (``lines.pac3-us.capacity.initial``): the stream key."""
        return ".".join(part for part in (self.section, self.id, self.field) if part)

    def with_field(self, field: str, kind: Kind = Kind.NUMBER) -> ParameterId:
        """Another parameter of the same entry (``lines.pac3-us`` → ``….opens``)."""
        return ParameterId(self.section, self.id, field, kind)


def shared_draw(name: str, kind: Kind = Kind.NUMBER) -> ParameterId:
    """The shared draw ``shared.NAME``, read as the kind of the parameter that uses it."""
    return ParameterId("shared", name, "", kind)


def drawn_as(parameter: ParameterId, spec: Distribution) -> ParameterId:
    """The parameter whose stream `spec` is drawn from: `parameter` itself, or for a
    reference to a shared draw, the shared draw (the name sensitivity reports it by)."""
    return shared_draw(spec.shared, parameter.kind) if isinstance(spec, Shared) else parameter


Draw: TypeAlias = Callable[[ParameterId, Distribution], np.ndarray]
"""Draws a parameter for every replication of a chunk, and records the draws under its
identity when they vary (:func:`sim.sampling.sample_parameters`)."""
