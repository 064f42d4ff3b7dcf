r"""Tolerances derived from rounding-error analysis, for witnesses that compare a computation with
an independent float64 reference on the same inputs.

**Rounding against a reference.** A computation of depth $N$ (the number of roundings along the
longest chain from an input to an output: a dot product of length $n$ counts $n$, a recurrence
over $T$ steps $T$ times its step) that is backward stable in precision $u$ returns the exact
result for inputs perturbed relatively by at most about $Nu$ (Higham, *Accuracy and Stability of
Numerical Algorithms*, 2nd ed., SIAM 2002, Sections 1.5–1.6 and 3.1). Its relative distance from
the exact result is therefore at most about $N$ times the relative change $\delta$ of the result
under a relative input perturbation of size $u$. :func:`perturbed_change` estimates $\delta$ by
evaluating the float64 reference at inputs multiplied entrywise by $1 + ur$, $r$ uniform on
$[-1, 1]$ (in float64 by $1 + sur$ with $s = 2^{13}$, the change divided by $s$: see there;
statistical condition estimation: Kenney and Laub, *Small-sample statistical condition
estimates for general matrix functions*, SIAM J. Sci. Comput. 15(1), 1994), and
:func:`rounding_tolerance` allows $4N\max(\delta, u)$: the factor covers second-order terms, the
reference's own float64 rounding and a random perturbation's underestimate of the worst one.

**Central differences.** :func:`adjoint_check` compares $\langle u, D_hf(x)[v]\rangle$ with the
backward function's $\langle J^\top u, v\rangle$ (the identity of
:func:`deepqed.gradcheck.check_vjp`). Its tolerance is the sum of the truncation error of the
central difference, estimated by Richardson's comparison of the steps $h$ and $2h$ (the error is
$ch^2 + O(h^4)$, so the difference of the two quotients is $3ch^2$), and the rounding of the two
evaluations of $f$, $N u\langle|u|, m\rangle/h$ with $m$ a bound on the size of the terms each
entry of $f$ is computed from (by default $|f(x)|$); both divided by the scale
$\|J^\top u\|\|v\| + |\langle u, D_hf(x)[v]\rangle|$ of :func:`deepqed.gradcheck.adjoint_error`,
and doubled.

**The worst instance.** A witness compares many random instances, each with its own tolerance;
:func:`worst_error` reports the one closest to failing (the largest error-to-tolerance ratio) in
its own units, with the instance's parameters.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..evidence import Comparison, error
from ..gradcheck import check_vjp, relative_error

__all__ = [
    "unit_roundoff",
    "perturbed_change",
    "rounding_tolerance",
    "worst_error",
    "adjoint_check",
]


def unit_roundoff(dtype: Any) -> float:
    """$u = 2^{-24}$ (float32) or $2^{-53}$ (float64): half the machine epsilon."""
    return float(np.finfo(np.dtype(dtype)).eps) / 2


def perturbed_change(
    reference: Callable[[list[np.ndarray]], Any],
    inputs: Sequence[Any],
    dtype: Any,
    rng: np.random.Generator,
    samples: int = 2,
) -> float:
    """The largest relative change (:func:`deepqed.gradcheck.relative_error`) of
    ``reference(inputs)`` (float64, an array or a sequence of arrays) over ``samples``
    perturbations that multiply every input entry by $1 + ur$, $r$ uniform on $[-1, 1]$, with
    $u$ the unit roundoff of ``dtype``.

    In float64 such a factor cannot be formed: $1 + ur$ rounds to 1 unless $r < -1/2$ (for
    $u = 2^{-53}$), which would move a quarter of the entries, all one way. The perturbations are
    therefore made $s$ times larger, $s = \\max(1, 2^{-40}/u)$ ($2^{13}$ for float64, 1 for
    float32), where float64 holds them to a relative $2^{-12}$, and the change is divided by $s$:
    its first-order part, which is what $\\delta$ estimates."""
    base = [np.asarray(a, dtype=np.float64) for a in inputs]
    ref = reference(base)
    u = unit_roundoff(dtype)
    s = max(1.0, 2.0**-40 / u)
    worst = 0.0
    for _ in range(samples):
        moved = [a * (1.0 + s * u * rng.uniform(-1.0, 1.0, a.shape)) for a in base]
        worst = max(worst, relative_error(reference(moved), ref) / s)
    return worst


def rounding_tolerance(depth: int, change: float, dtype: Any) -> float:
    """$4N\\max(\\delta, u)$: the relative tolerance for a computation of depth $N$ = ``depth``
    whose reference changes by $\\delta$ = ``change`` under relative input perturbations of
    size $u$ (the unit roundoff of ``dtype``)."""
    return 4.0 * depth * max(change, unit_roundoff(dtype))


def worst_error(
    what: str,
    records: Sequence[tuple[float, float, str]],
    *,
    units: str = "relative error",
) -> Comparison:
    """The comparison ``error(what, err, tol)`` of the record ``(err, tol, at)`` with the largest
    ratio ``err / tol`` (a NaN error counts as the worst)."""

    def key(r: tuple[float, float, str]) -> float:
        err, tol, _ = r
        if math.isnan(err):
            return math.inf
        return err / tol if tol > 0 else (math.inf if err > 0 else 0.0)

    err, tol, at = max(records, key=key)
    return error(what, err, tol, units=units, at=at)


def adjoint_check(
    f: Callable[[Any], Any],
    vjp: Callable[[Any], Any],
    x: Any,
    u: Any,
    v: Any,
    h: float,
    depth: int,
    magnitude: Any = None,
) -> tuple[float, float]:
    r"""``(err, tol)`` for the adjoint identity at step ``h`` (float64 arrays): ``err`` the
    discrepancy of :func:`deepqed.gradcheck.adjoint_error`, ``tol`` twice the Richardson estimate
    of the truncation error plus the rounding of the two evaluations of ``f`` (a computation of
    depth ``depth``), both on the scale of ``adjoint_error``. ``magnitude`` (broadcastable to
    $f(x)$; default $|f(x)|$) bounds the size of the terms each entry of $f$ is computed from, on
    which its rounding error depends (larger than $|f(x)|$ where terms cancel)."""
    lhs, rhs = check_vjp(f, vjp, x, u, v, h)
    lhs2, _ = check_vjp(f, vjp, x, u, v, 2 * h)
    JTu = np.asarray(vjp(u), dtype=np.float64)
    scale = float(np.linalg.norm(JTu)) * float(np.linalg.norm(v)) + abs(lhs)
    if not (math.isfinite(lhs) and math.isfinite(rhs)):
        return math.nan, 0.0
    if scale == 0.0:
        return 0.0, 1.0
    truncation = abs(lhs2 - lhs) / 3.0
    size = np.abs(f(x)) if magnitude is None else np.broadcast_to(magnitude, np.shape(u))
    rounding = depth * unit_roundoff(np.float64) * float(np.sum(np.abs(u) * size)) / h
    floor = 4 * depth * unit_roundoff(np.float64)  # the rounding of the two sides' inner products
    return abs(lhs - rhs) / scale, max(2.0 * (truncation + rounding) / scale, floor)
