"""Bad input to the public API, generated from the declared constraints.

Every public function of the library is decorated with :func:`deepqed._validation.validate`, and
every public class that takes arguments validates them in ``__post_init__`` with
:func:`deepqed._validation.check` against a class attribute ``__deepqed_constraints__``; either
way the constraints are data, readable here. From them this module derives, for each argument,
values that must be refused (:func:`bad_values`): NaN and infinities, wrong numbers of
dimensions, lists, integer, boolean and half-precision dtypes, empty arrays, ``None``, values
outside an interval, non-integers where an integer is required, and so on.

Each library package has a file ``tests/unit/api/<package>.py`` exporting ``EXAMPLES``: a list of
:class:`Example` records (the callable and a function ``rng -> kwargs`` giving a valid call).
``tests/unit/test_public_api.py`` checks, for every package, that every public callable has an
example, that the valid call does not modify its inputs, and, with Hypothesis choosing the
argument and the bad value, that each bad value gives a ``TypeError`` or ``ValueError`` whose
message names the argument.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from deepqed import _validation as V


@dataclass(frozen=True)
class Example:
    """A valid call of ``target``: ``make(rng)`` returns its keyword arguments. ``skip`` names
    arguments whose bad values are not generated, each with the reason (say, an argument whose
    every value is valid)."""

    target: Callable[..., Any]
    make: Callable[[np.random.Generator], dict[str, Any]]
    skip: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return getattr(self.target, "__qualname__", repr(self.target))


def constraints_of(target: Any) -> dict[str, V.Constraint] | None:
    """The declared constraints of a function (its ``validate`` wrapper) or class."""
    return getattr(target, "__deepqed_constraints__", None)


def _float_array_bad(name: str, c: V.Array, good: Any) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    g = np.asarray(good)
    out.append(("a list", g.tolist()))
    out.append(("a Python float", 1.5))
    if c.ndim is not None or c.shape is not None:
        out.append(("one more dimension", g[None]))
    if c.dtype == "floating":
        out.append(("integer dtype", g.astype(np.int64)))
        out.append(("bool dtype", g.astype(bool)))
        out.append(("float16", g.astype(np.float16)))
        if c.finite and g.size:
            nan = g.copy()
            nan.flat[0] = np.nan
            out.append(("a NaN", nan))
            inf = g.copy()
            inf.flat[-1] = -np.inf
            out.append(("an infinity", inf))
    elif c.dtype == "integer":
        out.append(("float dtype", g.astype(np.float64)))
    if c.nonempty and g.ndim >= 1:
        out.append(("no entries", g[:0]))
    if c.values is not None and g.size:
        bad = g.copy()
        bad.flat[0] = max(c.values) + 7
        out.append(("a value outside the allowed set", bad))
    if c.low is not None and g.size:
        bad = g.copy()
        bad.flat[0] = c.low - 1
        out.append(("an entry below the lower bound", bad))
    if c.high is not None and g.size:
        bad = g.copy()
        bad.flat[0] = c.high + 1
        out.append(("an entry above the upper bound", bad))
    return out


def bad_values(name: str, c: V.Constraint, good: Any) -> list[tuple[str, Any]]:
    """``(description, value)`` pairs that the constraint ``c`` on argument ``name`` refuses."""
    out: list[tuple[str, Any]] = []
    optional = isinstance(c, V.Optional)
    inner = c.inner if optional else c
    if not optional:
        out.append(("None", None))
    if isinstance(inner, V.Array):
        if good is not None:
            out += _float_array_bad(name, inner, good)
    elif isinstance(inner, V.Real):
        out += [("NaN", math.nan), ("True", True), ("a string", "1"), ("a complex", 1j)]
        if not inner.inf:
            out.append(("infinity", math.inf))
        if inner.low is not None:
            out.append(("below the interval", inner.low - 1.0))
            if inner.closed in ("neither", "right"):
                out.append(("the open lower end", inner.low))
        if inner.high is not None:
            out.append(("above the interval", inner.high + 1.0))
            if inner.closed in ("neither", "left"):
                out.append(("the open upper end", inner.high))
    elif isinstance(inner, V.Integer):
        out += [("a float", 2.5), ("True", True), ("a string", "3"), ("a float 2.0", 2.0)]
        if inner.low is not None:
            out.append(("below the range", inner.low - 1))
        if inner.high is not None:
            out.append(("above the range", inner.high + 1))
    elif isinstance(inner, V.Pair):
        out += [("a float", 2.5), ("a triple", (1, 1, 1)), ("a string", "2")]
        if inner.item.low is not None:
            out.append(("below the range", inner.item.low - 1))
    elif isinstance(inner, V.Options):
        out += [("an unknown option", "no-such-option"), ("a number", 3)]
    elif isinstance(inner, V.Generator):
        out += [("an int seed", 3), ("a RandomState", np.random.RandomState(0))]
    elif isinstance(inner, V.Boolean):
        out += [("an int", 1), ("a string", "yes")]
    elif isinstance(inner, (V.Instance, V.Function)):
        out += [("an int", 3)]
    return out


def snapshot(kwargs: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of the arguments, to check later that a call did not modify them."""
    return copy.deepcopy(kwargs)


def same(a: Any, b: Any) -> bool:
    """Whether two argument values are equal (arrays exactly, NaN equal to NaN), recursively."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return (
            a.shape == b.shape and a.dtype == b.dtype and bool(np.array_equal(a, b, equal_nan=True))
        )
    if hasattr(a, "detach") and hasattr(b, "detach"):
        return same(a.detach().cpu().numpy(), b.detach().cpu().numpy())
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if hasattr(a, "__dataclass_fields__") and type(a) is type(b):
        return all(same(getattr(a, f), getattr(b, f)) for f in a.__dataclass_fields__)
    if isinstance(a, np.random.Generator):
        return True  # consumed on purpose
    try:
        return bool(a == b) or (a != a and b != b)
    except Exception:
        return a is b
