r"""The arguments shared by the support vector machine functions, declared once
(:mod:`deepqed._validation`), and the two checks that depend on values: a Gram matrix must be
symmetric, and the solver needs both labels.

Labels $y\in\{-1, +1\}^m$ may be integers or floats (compared exactly); they take no part in the
dtype agreement of the floating arrays of a call.
"""

from __future__ import annotations

from typing import Any

from .._validation import Array, Real, fail, namespace

__all__ = ["LABELS", "GRAM", "ALPHA", "SAMPLES", "WEIGHTS", "C_FINITE", "C_HARD", "OFFSET"]

#: Labels $y\in\{-1, +1\}^m$, shape ``(m,)``.
LABELS = Array(shape=("m",), dtype="real", values=(-1, 1), same_dtype=False)
#: A Gram matrix $K\in\mathbb R^{m\times m}$ (symmetric: checked by :func:`symmetric`).
GRAM = Array(shape=("m", "m"))
#: Dual variables $\alpha\in\mathbb R^m$.
ALPHA = Array(shape=("m",))
#: Samples $X\in\mathbb R^{m\times d}$, one per row.
SAMPLES = Array(shape=("m", "d"))
#: A weight vector $w\in\mathbb R^d$.
WEIGHTS = Array(shape=("d",))
#: $C\in(0, \infty)$.
C_FINITE = Real(0, None, closed="neither")
#: $C\in(0, \infty]$ (``math.inf``: the hard margin).
C_HARD = Real(0, None, closed="neither", inf=True)
#: An offset $b\in\mathbb R$.
OFFSET = Real()


def symmetric(K: Any) -> Any:
    r"""The float64 matrix $\frac12(K + K^\top)$ of a validated square ``K`` (in its namespace and
    on its device), which must be
    symmetric up to rounding: $\max_{ij}|K_{ij} - K_{ji}|\le 100\,\varepsilon\max(1,
    \max_{ij}|K_{ij}|)$, $\varepsilon$ the machine epsilon of ``K.dtype`` (a product ``X @ X.T``
    need not be exactly symmetric)."""
    xp = namespace(K)
    K64 = xp.astype(K, xp.float64, copy=False)
    asym = float(xp.max(xp.abs(K64 - K64.T)))
    scale = max(1.0, float(xp.max(xp.abs(K64))))
    if asym > 100.0 * float(xp.finfo(K.dtype).eps) * scale:
        fail("K", "be symmetric", f"max |K - K^T| = {asym:.3g}")
    return 0.5 * (K64 + K64.T)


def both_labels(y: Any) -> None:
    """Both labels must occur (otherwise $y^\\top\\alpha = 0$ forces $\\alpha = 0$ and the offset
    is not determined by the data)."""
    xp = namespace(y)
    if not (bool(xp.any(y > 0)) and bool(xp.any(y < 0))):
        fail("y", "contain both labels -1 and +1", f"only {int(y[0]):+d}")
