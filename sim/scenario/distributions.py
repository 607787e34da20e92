"""The distribution grammar of scenario files (DESIGN §4).

A value is either a plain number (fixed) or a one-key mapping naming a distribution:
``uniform: [low, high]``, ``triangular: [low, mode, high]``, ``normal: {mean, sd}``,
``lognormal: {median, sigma}`` or ``{mean, cv}``, ``exponential: {mean}``, ``beta: [a, b]``,
``pert: [low, mode, high]``, ``erlang: {mean, k}``, ``bernoulli: p`` (1 with probability
p, else 0: a yes/no event), or ``shared: NAME``, a reference to a named draw of the
scenario's top-level ``shared:`` mapping (one uncertain quantity used in several places,
equal wherever it is used in a replication). Dates may be uncertain too, with
``uniform``, ``triangular`` or ``pert`` over dates.

Every distribution samples by its exact inverse CDF (:meth:`ppf`) from uniforms. That
choice is deliberate: the same uniform drives the same named parameter in two scenarios,
so when scenario B widens a range the draws move monotonically and paired comparisons
keep their power (common random numbers), and rank-based sensitivity can read the
uniforms directly.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeAlias, TypeVar, cast

import numpy as np
import numpy.typing as npt
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from scipy import special

Value = TypeVar("Value", float, dt.date)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Fixed(_Strict):
    """A number that is not uncertain (written in YAML as the bare number)."""

    value: float

    def ppf(self, u: npt.ArrayLike) -> np.ndarray:
        return np.full(np.shape(u), self.value, dtype=float)

    def mean(self) -> float:
        return self.value

    def support(self) -> tuple[float, float]:
        return self.value, self.value


class Uniform(_Strict, Generic[Value]):
    """``uniform: [low, high]``."""

    uniform: tuple[Value, Value]

    @model_validator(mode="after")
    def _ordered(self) -> Uniform[Value]:
        low, high = self.uniform
        if low > high:
            raise ValueError(f"uniform range is reversed: low {_shown(low)} > high {_shown(high)}")
        return self

    def numeric(self, origin: dt.date | None = None) -> Uniform[float]:
        low, high = _numbers(self.uniform, origin)
        return Uniform[float](uniform=(low, high))

    # The draws are defined on numbers only: a range of dates is drawn through
    # `numeric` (days since an origin), so these take `self` as the float form.
    def ppf(self: Uniform[float], u: npt.ArrayLike) -> np.ndarray:
        low, high = self.uniform
        return low + (high - low) * np.asarray(u, dtype=float)

    def mean(self: Uniform[float]) -> float:
        return sum(self.uniform) / 2

    def support(self: Uniform[float]) -> tuple[float, float]:
        return self.uniform


class Triangular(_Strict, Generic[Value]):
    """``triangular: [low, mode, high]``."""

    triangular: tuple[Value, Value, Value]

    @model_validator(mode="after")
    def _ordered(self) -> Triangular[Value]:
        _check_three_point("triangular", self.triangular)
        return self

    def numeric(self, origin: dt.date | None = None) -> Triangular[float]:
        low, mode, high = _numbers(self.triangular, origin)
        return Triangular[float](triangular=(low, mode, high))

    def ppf(self: Triangular[float], u: npt.ArrayLike) -> np.ndarray:
        low, mode, high = self.triangular
        u = np.asarray(u, dtype=float)
        if high == low:
            return np.full(u.shape, low, dtype=float)
        split = (mode - low) / (high - low)
        lower = low + np.sqrt(u * (high - low) * (mode - low))
        upper = high - np.sqrt((1 - u) * (high - low) * (high - mode))
        return np.where(u < split, lower, upper)

    def mean(self: Triangular[float]) -> float:
        return sum(self.triangular) / 3

    def support(self: Triangular[float]) -> tuple[float, float]:
        return self.triangular[0], self.triangular[2]


class Pert(_Strict, Generic[Value]):
    """``pert: [low, mode, high]``: a beta on [low, high] with the mode given (λ = 4)."""

    pert: tuple[Value, Value, Value]

    @model_validator(mode="after")
    def _ordered(self) -> Pert[Value]:
        _check_three_point("pert", self.pert)
        return self

    def numeric(self, origin: dt.date | None = None) -> Pert[float]:
        low, mode, high = _numbers(self.pert, origin)
        return Pert[float](pert=(low, mode, high))

    def _shape(self: Pert[float]) -> tuple[float, float]:
        low, mode, high = self.pert
        span = high - low
        return 1 + 4 * (mode - low) / span, 1 + 4 * (high - mode) / span

    def ppf(self: Pert[float], u: npt.ArrayLike) -> np.ndarray:
        low, _, high = self.pert
        u = np.asarray(u, dtype=float)
        if high == low:
            return np.full(u.shape, low, dtype=float)
        alpha, beta = self._shape()
        result: np.ndarray = low + (high - low) * special.betaincinv(alpha, beta, u)
        return result

    def mean(self: Pert[float]) -> float:
        low, mode, high = self.pert
        return (low + 4 * mode + high) / 6

    def support(self: Pert[float]) -> tuple[float, float]:
        return self.pert[0], self.pert[2]


class _NormalParameters(_Strict):
    mean: float
    sd: float = Field(ge=0)


class Normal(_Strict):
    """``normal: {mean, sd}``. Unbounded: fields with a floor or ceiling reject it."""

    normal: _NormalParameters

    def ppf(self, u: npt.ArrayLike) -> np.ndarray:
        result: np.ndarray = self.normal.mean + self.normal.sd * special.ndtri(
            np.asarray(u, dtype=float)
        )
        return result

    def mean(self) -> float:
        return self.normal.mean

    def support(self) -> tuple[float, float]:
        if self.normal.sd == 0:
            return self.normal.mean, self.normal.mean
        return -math.inf, math.inf


class _LognormalParameters(_Strict):
    median: float | None = Field(default=None, gt=0)
    sigma: float | None = Field(default=None, ge=0)
    mean: float | None = Field(default=None, gt=0)
    cv: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_form(self) -> _LognormalParameters:
        by_median = self.median is not None and self.sigma is not None
        by_mean = self.mean is not None and self.cv is not None
        mixed = (self.median is not None or self.sigma is not None) and (
            self.mean is not None or self.cv is not None
        )
        if mixed or not (by_median or by_mean):
            raise ValueError("lognormal takes either {median, sigma} or {mean, cv}")
        return self

    def median_sigma(self) -> tuple[float, float]:
        if self.median is not None and self.sigma is not None:
            return self.median, self.sigma
        assert self.mean is not None and self.cv is not None
        sigma = math.sqrt(math.log1p(self.cv**2))
        return self.mean / math.sqrt(1 + self.cv**2), sigma


class Lognormal(_Strict):
    """``lognormal: {median, sigma}`` (sigma of the underlying normal) or ``{mean, cv}``."""

    lognormal: _LognormalParameters

    def ppf(self, u: npt.ArrayLike) -> np.ndarray:
        median, sigma = self.lognormal.median_sigma()
        result: np.ndarray = median * np.exp(sigma * special.ndtri(np.asarray(u, dtype=float)))
        return result

    def mean(self) -> float:
        median, sigma = self.lognormal.median_sigma()
        return median * math.exp(sigma**2 / 2)

    def support(self) -> tuple[float, float]:
        median, sigma = self.lognormal.median_sigma()
        return (median, median) if sigma == 0 else (0.0, math.inf)


class _ExponentialParameters(_Strict):
    mean: float = Field(gt=0)


class Exponential(_Strict):
    """``exponential: {mean}``."""

    exponential: _ExponentialParameters

    def ppf(self, u: npt.ArrayLike) -> np.ndarray:
        result: np.ndarray = -self.exponential.mean * np.log1p(-np.asarray(u, dtype=float))
        return result

    def mean(self) -> float:
        return self.exponential.mean

    def support(self) -> tuple[float, float]:
        return 0.0, math.inf


class Beta(_Strict):
    """``beta: [a, b]`` on [0, 1]."""

    beta: tuple[Annotated[float, Field(gt=0)], Annotated[float, Field(gt=0)]]

    def ppf(self, u: npt.ArrayLike) -> np.ndarray:
        a, b = self.beta
        result: np.ndarray = special.betaincinv(a, b, np.asarray(u, dtype=float))
        return result

    def mean(self) -> float:
        a, b = self.beta
        return a / (a + b)

    def support(self) -> tuple[float, float]:
        return 0.0, 1.0


class _ErlangParameters(_Strict):
    mean: float = Field(gt=0)
    k: int = Field(ge=1)


class Erlang(_Strict):
    """``erlang: {mean, k}``: the sum of k exponential phases, total mean `mean`."""

    erlang: _ErlangParameters

    def ppf(self, u: npt.ArrayLike) -> np.ndarray:
        k = self.erlang.k
        result: np.ndarray = (
            special.gammaincinv(k, np.asarray(u, dtype=float)) * self.erlang.mean / k
        )
        return result

    def mean(self) -> float:
        return self.erlang.mean

    def support(self) -> tuple[float, float]:
        return 0.0, math.inf


class Bernoulli(_Strict):
    """``bernoulli: p``: 1 with probability p, 0 otherwise (a yes/no event).

    Mostly useful as a shared draw: a probability field that refers to it (a
    certification's ``success``, a conflict's ``probability``) is then 1 or 0 in each
    replication, so every place that refers to it sees the same outcome of one event.
    """

    bernoulli: Annotated[float, Field(ge=0, le=1)]

    def ppf(self, u: npt.ArrayLike) -> np.ndarray:
        # 1 on the top p of the unit interval: the same uniform gives 1 for every p above
        # its distance from the top, so raising p turns 0s into 1s and never the reverse
        return (np.asarray(u, dtype=float) > 1.0 - self.bernoulli).astype(float)

    def mean(self) -> float:
        return self.bernoulli

    def support(self) -> tuple[float, float]:
        if self.bernoulli in (0.0, 1.0):
            return self.bernoulli, self.bernoulli
        return 0.0, 1.0


class Shared(_Strict):
    """``shared: NAME``: the named draw of the scenario's top-level ``shared:`` mapping.

    Every place that refers to one name gets the same value in a replication, because
    it is drawn once, from one random stream named ``shared.NAME`` (so editing any other
    input leaves it untouched). The reference behaves as the distribution it names, so
    range checks apply to it where it is used.
    """

    shared: str = Field(description="Name of a draw in the scenario's top-level 'shared:'.")
    _distribution: PlainDistribution | None = PrivateAttr(None)  # set by `_resolve`

    @model_validator(mode="after")
    def _resolve(self, info: ValidationInfo) -> Shared:
        named = (info.context or {}).get("shared") if info is not None else None
        if not isinstance(named, dict) or self.shared not in named:
            known = ", ".join(sorted(map(str, named))) if isinstance(named, dict) else ""
            raise ValueError(
                f"unknown shared draw '{self.shared}'"
                + (f"; 'shared:' defines {known}" if known else "; the scenario has no 'shared:'")
            )
        raw = named[self.shared]
        if isinstance(raw, dict) and "shared" in raw:
            raise ValueError(f"shared draw '{self.shared}' refers to another shared draw")
        try:
            self._distribution = _PLAIN_NUMBER.validate_python(raw)
        except ValidationError:
            raise ValueError(
                f"shared draw '{self.shared}' is not a valid distribution "
                f"(see shared.{self.shared})"
            ) from None
        return self

    @property
    def distribution(self) -> PlainDistribution:
        """The distribution the name stands for."""
        assert self._distribution is not None, "set by validation (_resolve) or it raised"
        return self._distribution

    @property
    def stream(self) -> str:
        """The random stream the draw comes from."""
        return f"shared.{self.shared}"

    def ppf(self, u: npt.ArrayLike) -> np.ndarray:
        return self.distribution.ppf(u)

    def mean(self) -> float:
        return self.distribution.mean()

    def support(self) -> tuple[float, float]:
        return self.distribution.support()


def _check_three_point(name: str, points: tuple[Any, Any, Any]) -> None:
    low, mode, high = points
    if not low <= mode <= high:
        raise ValueError(
            f"{name} needs low <= mode <= high, got {_shown(low)}, {_shown(mode)}, {_shown(high)}"
        )


def _shown(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _numbers(points: tuple[Any, ...], origin: dt.date | None) -> tuple[float, ...]:
    if origin is None:
        return tuple(float(point) for point in points)
    return tuple(float((point - origin).days) for point in points)


NUMBER_FORMS = (
    "uniform",
    "triangular",
    "normal",
    "lognormal",
    "exponential",
    "beta",
    "pert",
    "erlang",
    "bernoulli",
    "shared",
)
DATE_FORMS = ("uniform", "triangular", "pert")


def _tag(forms: tuple[str, ...], fixed: tuple[type, ...]) -> Callable[[Any], str | None]:
    def tag(value: Any) -> str | None:
        if isinstance(value, bool):
            return None
        if isinstance(value, (*fixed, Fixed)):
            return "fixed"
        if isinstance(value, dict) and len(value) == 1:
            (key,) = value
            return key if key in forms else None
        if isinstance(value, BaseModel):
            (key,) = type(value).model_fields
            return key
        return None

    return tag


def _wrap_number(value: Any) -> Any:
    return value if isinstance(value, Fixed) else Fixed(value=value)


_NUMBER_HINT = "a number or a one-key mapping: " + ", ".join(NUMBER_FORMS)
_DATE_HINT = "a date (YYYY-MM-DD) or a one-key mapping: " + ", ".join(DATE_FORMS)

_PLAIN_FORMS = (
    Annotated[Annotated[float, AfterValidator(_wrap_number)], Tag("fixed")]
    | Annotated[Uniform[float], Tag("uniform")]
    | Annotated[Triangular[float], Tag("triangular")]
    | Annotated[Normal, Tag("normal")]
    | Annotated[Lognormal, Tag("lognormal")]
    | Annotated[Exponential, Tag("exponential")]
    | Annotated[Beta, Tag("beta")]
    | Annotated[Pert[float], Tag("pert")]
    | Annotated[Erlang, Tag("erlang")]
    | Annotated[Bernoulli, Tag("bernoulli")]
)

PlainDistribution: TypeAlias = (
    Fixed
    | Uniform[float]
    | Triangular[float]
    | Normal
    | Lognormal
    | Exponential
    | Beta
    | Pert[float]
    | Erlang
    | Bernoulli
)
"""A `PlainNumberSpec` as validated: a distribution that is not a ``shared:`` reference."""

Distribution: TypeAlias = PlainDistribution | Shared
"""A number as validated: what a `NumberSpec` field holds once the scenario is read."""

DateDistribution: TypeAlias = Uniform[dt.date] | Triangular[dt.date] | Pert[dt.date]
"""An uncertain date as validated (a certain date stays a `datetime.date`)."""

if TYPE_CHECKING:
    # A type checker sees a spec as the value it is after validation: a bare number
    # in the YAML becomes `Fixed` (`_wrap_number`), so no field ever holds a float.
    # The runtime forms below describe the input instead, for pydantic: they give
    # the JSON schema and the error messages.
    PlainNumberSpec: TypeAlias = PlainDistribution
    NumberSpec: TypeAlias = Distribution
    DateSpec: TypeAlias = dt.date | DateDistribution
else:
    PlainNumberSpec = Annotated[
        _PLAIN_FORMS,
        Discriminator(
            _tag(NUMBER_FORMS[:-1], (int, float)),
            custom_error_type="distribution",
            custom_error_message="expected " + _NUMBER_HINT.removesuffix(", shared"),
        ),
    ]
    """A possibly uncertain number that is not a reference (what ``shared:`` defines)."""

    NumberSpec = Annotated[
        _PLAIN_FORMS | Annotated[Shared, Tag("shared")],
        Discriminator(
            _tag(NUMBER_FORMS, (int, float)),
            custom_error_type="distribution",
            custom_error_message=f"expected {_NUMBER_HINT}",
        ),
    ]
    """A possibly uncertain number, as written in a scenario file."""

    DateSpec = Annotated[
        Annotated[dt.date, Tag("fixed")]
        | Annotated[Uniform[dt.date], Tag("uniform")]
        | Annotated[Triangular[dt.date], Tag("triangular")]
        | Annotated[Pert[dt.date], Tag("pert")],
        Discriminator(
            _tag(DATE_FORMS, (dt.date, str)),
            custom_error_type="distribution",
            custom_error_message=f"expected {_DATE_HINT}",
        ),
    ]
    """A possibly uncertain date, as written in a scenario file."""

_PLAIN_NUMBER: TypeAdapter[PlainDistribution] = TypeAdapter(PlainNumberSpec)


def within(
    low: float = -math.inf, high: float = math.inf, *, limit: bool = False
) -> AfterValidator:
    """A validator that rejects distributions able to draw outside [low, high].

    Checking the support (not just the mean) is what keeps a replication from ever
    drawing, say, a negative capacity or a yield above one. A `limit` ceiling is a
    resource bound (:mod:`sim.scenario.limits`), not a meaning: an unbounded distribution (an
    exponential, a lognormal) passes it if it stays below it but for its
    one-in-a-trillion tail.
    """

    def check(spec: Distribution) -> Distribution:
        lowest, highest = spec.support()
        if lowest < low:
            raise ValueError(_range_message(spec, f">= {_bound(low)}", lowest))
        if limit and math.isinf(highest) and math.isfinite(high):
            highest = far_tail(spec)  # exponential, lognormal: bounded in practice
        if highest > high:
            raise ValueError(_range_message(spec, f"<= {_bound(high)}", highest))
        return spec

    return AfterValidator(check)


FAR_TAIL = 1e-12
"""Upper-tail probability past which an unbounded distribution is not checked against a
field's ceiling: one draw in a trillion (a run of 10⁷ replications draws far fewer)."""


def far_tail(spec: Distribution) -> float:
    """The value an unbounded distribution exceeds with probability :data:`FAR_TAIL`."""
    with np.errstate(over="ignore"):  # a tail past float range is simply unbounded
        value = float(np.asarray(spec.ppf(np.array([1.0 - FAR_TAIL])))[0])
    return value if math.isfinite(value) else math.inf


def _bound(value: float) -> str:
    """A bound as people write it: 0.5, 365, 10,000,000."""
    return f"{value:,.0f}" if value == int(value) and abs(value) >= 10_000 else f"{value:g}"


def _range_message(spec: Distribution, bound: str, value: float) -> str:
    if isinstance(spec, Fixed):
        return f"must be {bound}"
    if math.isinf(value):
        reach = "is unbounded"
    elif value > 0 and math.isinf(spec.support()[1]):
        reach = f"is unbounded (past {value:g} once in {1 / FAR_TAIL:.0e} draws)"
    else:
        reach = f"can draw {value:g}"
    if isinstance(spec, Shared):
        form = next(iter(type(spec.distribution).model_fields))
        return f"must be {bound}, but shared draw '{spec.shared}' ({form}) {reach}"
    form = next(iter(type(spec).model_fields))
    return f"must be {bound}, but this {form} distribution {reach}"


def as_written(value: float | dict[str, Any]) -> Distribution:
    """A field's default written as in a scenario file (``1.0``, ``{lognormal: {...}}``).

    Scenario sections validate their defaults (``validate_default``), so the field holds
    the distribution the default validates into, as for a value read from YAML, while
    ``sim schema`` shows the default as written. Only a type checker needs telling.
    """
    return cast("Distribution", value)


NonNegative = Annotated[NumberSpec, within(0)]
Fraction = Annotated[NumberSpec, within(0, 1)]


def date_distribution(spec: dt.date | DateDistribution, origin: dt.date) -> Distribution:
    """A date spec as a distribution of days since `origin`."""
    if isinstance(spec, dt.date):
        return Fixed(value=float((spec - origin).days))
    return spec.numeric(origin)


def quantiles(spec: Distribution, u: np.ndarray) -> np.ndarray:
    """`spec`'s inverse CDF at `u`, kept inside its support despite rounding."""
    low, high = spec.support()
    result: np.ndarray = np.clip(spec.ppf(u), low, high)
    return result


def is_fixed(spec: Distribution) -> bool:
    """Whether the value is certain (no randomness to draw)."""
    low, high = spec.support()
    return low == high


__all__ = [
    "Bernoulli",
    "DateDistribution",
    "DateSpec",
    "Distribution",
    "Fixed",
    "Fraction",
    "NonNegative",
    "NumberSpec",
    "PlainDistribution",
    "PlainNumberSpec",
    "Shared",
    "as_written",
    "date_distribution",
    "is_fixed",
    "quantiles",
    "within",
]
