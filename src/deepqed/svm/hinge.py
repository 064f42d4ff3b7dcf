r"""The hinge loss and the soft-margin primal objective.

For $X\in\mathbb R^{m\times d}$ (rows $x_i^\top$), $y\in\{-1,+1\}^m$, $w\in\mathbb R^d$,
$b\in\mathbb R$ and $C\in(0,\infty)$, the soft-margin primal objective ({prf:ref}`thm-svm-hinge`) is

$$
P(w, b) = \tfrac12\|w\|^2 + C\sum_{i=1}^m \operatorname{hinge}\bigl(y_i(\langle w, x_i\rangle + b)\bigr),
\qquad \operatorname{hinge}(s) = \max\{0, 1 - s\}.
$$

Shapes: ``X`` $(m, d)$, ``y`` $(m,)$, ``w`` $(d,)$; ``K`` $(m, m)$, ``alpha`` $(m,)$.
Computations are in the namespace, on the device and in the dtype of ``X`` (float32 or float64;
any array API namespace); :func:`kernel_primal_objective` computes in float64.
"""

from __future__ import annotations

from typing import Any

from .._host import labels_follow
from .._validation import Array, namespace, validate
from ._common import ALPHA, C_FINITE, GRAM, LABELS, OFFSET, SAMPLES, WEIGHTS, symmetric

__all__ = ["hinge", "primal_objective", "primal_subgradient", "kernel_primal_objective"]


@validate(s=Array())
def hinge(s: Any) -> Any:
    r"""$\operatorname{hinge}(s) = \max\{0, 1 - s\}$ componentwise ({prf:ref}`def-svm-soft-margin`); same shape, namespace, device and dtype."""
    xp = namespace(s)
    return xp.maximum(1 - s, xp.zeros_like(s))


_PRIMAL = validate(w=WEIGHTS, b=OFFSET, X=SAMPLES, y=LABELS, C=C_FINITE)


@labels_follow("X")
@_PRIMAL
def primal_objective(w: Any, b: float, X: Any, y: Any, C: float) -> float:
    r"""$P(w, b) = \frac12\|w\|^2 + C\sum_i\max\{0, 1 - y_i(\langle w, x_i\rangle + b)\}$ (equation `svm-hinge-primal`)."""
    xp = namespace(X)
    margins = xp.astype(y, X.dtype) * (X @ w + b)
    return float(0.5 * (w @ w) + C * xp.sum(hinge(margins)))


@labels_follow("X")
@_PRIMAL
def primal_subgradient(w: Any, b: float, X: Any, y: Any, C: float) -> tuple[Any, float]:
    r"""A subgradient $(g_w, g_b)\in\partial P(w, b)$ ({prf:ref}`prop-svm-subgradient`).

    With $A = \{i : y_i(\langle w, x_i\rangle + b) < 1\}$ (at a kink $y_i(\cdot) = 1$ the
    subgradient $0$ of the hinge term is taken):
    $g_w = w - C\sum_{i\in A}y_ix_i$ (shape $(d,)$), $g_b = -C\sum_{i\in A}y_i$.
    """
    xp = namespace(X)
    y = xp.astype(y, X.dtype)
    active = xp.astype(y * (X @ w + b) < 1, X.dtype)
    coeff = active * y
    return w - C * (X.T @ coeff), float(-C * xp.sum(coeff))


@labels_follow("K")
@validate(alpha=ALPHA, b=OFFSET, y=LABELS, K=GRAM, C=C_FINITE)
def kernel_primal_objective(alpha: Any, b: float, y: Any, K: Any, C: float) -> float:
    r"""$P$ at $w = \sum_i\alpha_iy_i\phi(x_i)$: $\frac12 v^\top Kv + C\sum_i\operatorname{hinge}(y_i((Kv)_i + b))$, $v = \alpha\odot y$.

    For the linear kernel $K = XX^\top$ this equals ``primal_objective(X.T @ v, b, X, y, C)``.
    """
    K = symmetric(K)
    xp = namespace(K)
    y = xp.astype(y, xp.float64)
    v = xp.astype(alpha, xp.float64) * y
    Kv = K @ v
    h = 1.0 - y * (Kv + b)
    return float(0.5 * v @ Kv + C * xp.sum(xp.maximum(h, xp.zeros_like(h))))
