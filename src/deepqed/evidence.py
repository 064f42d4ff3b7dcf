r"""What a witness measured: comparisons with their kind, units, tolerance and, for a bound, ratio.

A witness (:class:`deepqed.registry.Witness`) returns :class:`Evidence`: how many random instances
it drew, and the :class:`Comparison`\ s it made. Each comparison says in its own units

* **what** was compared (a short text; TeX between ``$`` is allowed),
* its **kind**:

  ``equal``
      ``|measured - reference| <= tolerance``: an identity checked to rounding (a gradient
      against autograd: the measured relative error against the reference 0; a closed form
      against its value);
  ``upper``
      ``measured <= reference + tolerance``: a bound from above (``reference`` is the bound,
      ``tolerance`` the rounding slack, usually 0); its **ratio** is ``measured / reference``;
  ``lower``
      ``measured >= reference - tolerance``: a bound from below, ratio ``measured / reference``;
  ``rate``
      a fitted slope or rate: ``|measured - reference| <= tolerance`` (``reference`` the proved
      rate);
  ``interval``
      a confidence interval ``[low, high]`` of level ``level`` for an estimated quantity
      (``measured`` its point estimate) that must contain ``reference``;

* and optionally the **units** (``"relative error"``, ``"probability"``, ...), the parameters of
  the worst instance (``at``), and whether the comparison checks that a bound is **attained** or
  approached (``attains``): a sharp bound's witness pairs a bound comparison with an attaining
  one, so that the same bound with a weakened constant fails.

The factory functions :func:`equal`, :func:`error`, :func:`upper`, :func:`lower`, :func:`rate` and
:func:`interval` build comparisons; a witness returns ``Evidence(instances, (c1, c2, ...))``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

__all__ = [
    "KINDS",
    "Comparison",
    "Evidence",
    "equal",
    "error",
    "interval",
    "lower",
    "rate",
    "upper",
    "worst",
]

#: The kinds of comparison.
KINDS = ("equal", "upper", "lower", "rate", "interval")


def _real(name: str, x: Any) -> float:
    if isinstance(x, bool):
        raise TypeError(f"{name} must be a real number, got bool")
    try:
        return float(x)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a real number, got {type(x).__name__}") from None


@dataclass(frozen=True)
class Comparison:
    """One measured quantity compared with its reference (see the module docstring)."""

    what: str
    kind: str
    measured: float
    reference: float
    tolerance: float = 0.0
    units: str = ""
    at: str = ""
    attains: bool = False
    low: float | None = None
    high: float | None = None
    level: float | None = None
    dtype: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        if not self.what:
            raise ValueError("a comparison must say what it compares ('what' is empty)")
        for name in ("measured", "reference", "tolerance"):
            object.__setattr__(self, name, _real(name, getattr(self, name)))
        if not (self.tolerance >= 0):  # NaN too
            raise ValueError(f"tolerance must be >= 0, got {self.tolerance}")
        if self.kind == "interval":
            if self.low is None or self.high is None or self.level is None:
                raise ValueError("an interval comparison needs low, high and level")
            object.__setattr__(self, "low", _real("low", self.low))
            object.__setattr__(self, "high", _real("high", self.high))
            if not 0 < self.level < 1:
                raise ValueError(f"level must lie in (0, 1), got {self.level}")

    @property
    def passed(self) -> bool:
        """Whether the comparison holds (a NaN anywhere fails)."""
        m, r, t = self.measured, self.reference, self.tolerance
        if self.kind in ("equal", "rate"):
            return bool(abs(m - r) <= t)
        if self.kind == "upper":
            return bool(m <= r + t)
        if self.kind == "lower":
            return bool(m >= r - t)
        assert self.low is not None and self.high is not None
        return bool(self.low - t <= r <= self.high + t)

    @property
    def deviation(self) -> float:
        """How far ``measured`` is from ``reference`` in the direction that matters: ``|m - r|``
        for ``equal`` and ``rate``, ``m - r`` for ``upper`` (negative when the bound holds with
        room to spare), ``r - m`` for ``lower``, and for ``interval`` the distance of the
        reference outside the interval (0 inside)."""
        m, r = self.measured, self.reference
        if self.kind in ("equal", "rate"):
            return abs(m - r)
        if self.kind == "upper":
            return m - r
        if self.kind == "lower":
            return r - m
        assert self.low is not None and self.high is not None
        return max(self.low - r, r - self.high, 0.0)

    @property
    def ratio(self) -> float | None:
        """``measured / reference`` for a bound (``upper``/``lower``), else ``None``; NaN when the
        bound is 0 (no ratio is defined)."""
        if self.kind not in ("upper", "lower"):
            return None
        if self.reference == 0:
            return math.nan
        return self.measured / self.reference

    @property
    def usage(self) -> float:
        """The fraction of the tolerance used, ``deviation / tolerance`` (for ``upper``/``lower``
        with no slack, the sign of the deviation); larger is closer to failing. Used to pick the
        comparison shown as a witness's worst error."""
        d, t = self.deviation, self.tolerance
        if math.isnan(d):
            return math.inf
        if t > 0:
            return d / t
        return math.inf if d > 0 else (0.0 if d == 0 else -1.0)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["passed"] = self.passed
        d["ratio"] = self.ratio
        for k, v in d.items():  # JSON has no NaN or infinity
            if isinstance(v, float) and not math.isfinite(v):
                d[k] = str(v)
        return d

    def describe(self) -> str:
        """One line of plain text: what, measured, relation, reference, units."""
        u = f" {self.units}" if self.units else ""
        at = f" at {self.at}" if self.at else ""
        dt = f" [{self.dtype}]" if self.dtype else ""
        m = _g(self.measured)
        if self.kind == "equal":
            rel = f"{m} vs {_g(self.reference)}{u}, tolerance {_g(self.tolerance)}"
        elif self.kind == "rate":
            rel = f"slope {m} vs {_g(self.reference)}, tolerance {_g(self.tolerance)}"
        elif self.kind in ("upper", "lower"):
            sign = "≤" if self.kind == "upper" else "≥"
            rel = f"{m} {sign} {_g(self.reference)}{u} (ratio {_g(self.ratio)})"
        else:
            rel = (
                f"{_g(self.reference)} in [{_g(self.low)}, {_g(self.high)}]{u} "
                f"({100 * (self.level or 0):g}% interval, estimate {m})"
            )
        return f"{self.what}{dt}: {rel}{at}"


def _g(x: float | None) -> str:
    return "—" if x is None else f"{x:.3g}"


@dataclass(frozen=True)
class Evidence:
    """What one run of a witness found: ``instances`` random instances and its comparisons.

    The witness passes when it drew at least one instance, made at least one comparison, and
    every comparison holds.
    """

    instances: int
    comparisons: tuple[Comparison, ...]
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "comparisons", tuple(self.comparisons))
        if not all(isinstance(c, Comparison) for c in self.comparisons):
            raise TypeError("comparisons must be Comparison records")
        if isinstance(self.instances, bool) or not isinstance(self.instances, int):
            raise TypeError(f"instances must be an int, got {type(self.instances).__name__}")

    @property
    def passed(self) -> bool:
        return (
            self.instances > 0
            and bool(self.comparisons)
            and all(c.passed for c in self.comparisons)
        )

    def with_dtype(self, dtype: str) -> Evidence:
        """The same evidence with every comparison tagged with ``dtype``."""
        return replace(self, comparisons=tuple(replace(c, dtype=dtype) for c in self.comparisons))


def worst(comparisons: Iterable[Comparison]) -> Comparison | None:
    """The comparison closest to failing (largest :attr:`Comparison.usage`), failed ones first."""
    items = list(comparisons)
    if not items:
        return None
    return max(items, key=lambda c: (not c.passed, c.usage))


# --- factories ---------------------------------------------------------------------------------
def equal(
    what: str,
    measured: float,
    reference: float,
    tolerance: float,
    *,
    units: str = "",
    at: str = "",
    attains: bool = False,
) -> Comparison:
    """``|measured - reference| <= tolerance``."""
    return Comparison(what, "equal", measured, reference, tolerance, units, at, attains)


def error(
    what: str,
    err: float,
    tolerance: float,
    *,
    units: str = "relative error",
    at: str = "",
) -> Comparison:
    """A measured error (a norm of a difference) that must be at most ``tolerance``: an
    ``equal`` comparison against the reference 0."""
    return Comparison(what, "equal", err, 0.0, tolerance, units, at)


def upper(
    what: str,
    measured: float,
    bound: float,
    *,
    slack: float = 0.0,
    units: str = "",
    at: str = "",
) -> Comparison:
    """``measured <= bound + slack`` (``slack``: rounding in the bound's evaluation)."""
    return Comparison(what, "upper", measured, bound, slack, units, at)


def lower(
    what: str,
    measured: float,
    bound: float,
    *,
    slack: float = 0.0,
    units: str = "",
    at: str = "",
) -> Comparison:
    """``measured >= bound - slack``."""
    return Comparison(what, "lower", measured, bound, slack, units, at)


def rate(what: str, slope: float, expected: float, tolerance: float, *, at: str = "") -> Comparison:
    """A fitted slope (or rate) within ``tolerance`` of the proved one."""
    return Comparison(what, "rate", slope, expected, tolerance, "", at)


def interval(
    what: str,
    estimate: float,
    low: float,
    high: float,
    reference: float,
    *,
    level: float,
    units: str = "",
    at: str = "",
    attains: bool = False,
) -> Comparison:
    """A confidence interval ``[low, high]`` (level ``level``) of an estimated quantity that must
    contain ``reference``."""
    return Comparison(
        what,
        "interval",
        estimate,
        reference,
        0.0,
        units,
        at,
        attains,
        low=low,
        high=high,
        level=level,
    )
