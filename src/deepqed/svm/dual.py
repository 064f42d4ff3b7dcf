r"""The dual of the soft-margin support vector machine and its optimality measures.

For labels $y\in\{-1,+1\}^m$, a Gram matrix $K\in\mathbb R^{m\times m}$ ($K_{ik} = k(x_i, x_k)$;
$K = XX^\top$ for the linear kernel) and $C\in(0,\infty]$, the dual problem
({prf:ref}`thm-svm-dual`) is

$$
\max_{\alpha\in\mathbb R^m}\; D(\alpha) = \mathbf 1_m^\top\alpha - \tfrac12(\alpha\odot y)^\top K(\alpha\odot y)
\quad\text{s.t.}\quad 0\le\alpha_i\le C,\quad y^\top\alpha = 0 .
$$

The solver minimises $f = -D$, whose gradient is $G = \nabla f(\alpha) = y\odot K(\alpha\odot y) - \mathbf 1_m$.
With $I_{\mathrm{up}}(\alpha) = \{t: \alpha_t < C, y_t = 1\}\cup\{t: \alpha_t > 0, y_t = -1\}$ and
$I_{\mathrm{low}}(\alpha) = \{t: \alpha_t < C, y_t = -1\}\cup\{t: \alpha_t > 0, y_t = 1\}$, with
$s_t = -y_tG_t$, $\beta_{\mathrm{up}}(\alpha) = \max_{t\in I_{\mathrm{up}}}s_t$ and
$\beta_{\mathrm{low}}(\alpha) = \min_{t\in I_{\mathrm{low}}}s_t$, the maximal KKT violation is
$\operatorname{viol}(\alpha) = (\beta_{\mathrm{up}}(\alpha) - \beta_{\mathrm{low}}(\alpha))_+$ ({prf:ref}`def-svm-kkt-violation`).

Shapes: ``alpha``, ``y``, ``G`` $(m,)$; ``K`` $(m, m)$; ``X`` $(m, d)$; ``w`` $(d,)$. Arrays are
of any array API namespace (NumPy, PyTorch on CPU or CUDA, ...); results are computed in float64
in the namespace and on the device of the arguments (:func:`primal_weights` in the dtype of ``X``).
"""

from __future__ import annotations

import math
from typing import Any

from .._host import labels_follow
from .._validation import namespace, validate
from ._common import ALPHA, C_FINITE, C_HARD, GRAM, LABELS, OFFSET, SAMPLES, symmetric

__all__ = [
    "dual_objective",
    "dual_gradient",
    "index_sets",
    "kkt_violation",
    "offset",
    "primal_weights",
    "dual_feasibility_error",
    "duality_gap",
]


def _gradient(alpha: Any, y: Any, K: Any) -> Any:
    """G = y * K(alpha * y) - 1 in float64 (K already symmetrised, y float64)."""
    return y * (K @ (alpha * y)) - 1.0


def _f64(alpha: Any, y: Any) -> tuple[Any, Any]:
    xp = namespace(alpha)
    return xp.astype(alpha, xp.float64, copy=False), xp.astype(y, xp.float64, copy=False)


@labels_follow("alpha")
@validate(alpha=ALPHA, y=LABELS, K=GRAM)
def dual_objective(alpha: Any, y: Any, K: Any) -> float:
    r"""$D(\alpha) = \mathbf 1^\top\alpha - \frac12(\alpha\odot y)^\top K(\alpha\odot y)$ (equation `svm-dual`).

    Arguments: ``alpha`` $(m,)$, ``y`` $(m,)$ in $\{-1, +1\}$, ``K`` $(m, m)$ symmetric.
    Feasibility of ``alpha`` is not required (see :func:`dual_feasibility_error`).
    """
    K = symmetric(K)
    alpha, y = _f64(alpha, y)
    v = alpha * y
    return float(namespace(alpha).sum(alpha) - 0.5 * v @ (K @ v))


@labels_follow("alpha")
@validate(alpha=ALPHA, y=LABELS, K=GRAM)
def dual_gradient(alpha: Any, y: Any, K: Any) -> Any:
    r"""$G = \nabla f(\alpha) = y\odot K(\alpha\odot y) - \mathbf 1_m$, the gradient of $f = -D$; shape $(m,)$."""
    alpha, y = _f64(alpha, y)
    return _gradient(alpha, y, symmetric(K))


def _masks(alpha: Any, y: Any, C: float) -> tuple[Any, Any]:
    pos, neg = y > 0, y < 0
    below, above = alpha < C, alpha > 0
    up = (pos & below) | (neg & above)
    low = (neg & below) | (pos & above)
    return up, low


@labels_follow("alpha")
@validate(alpha=ALPHA, y=LABELS, C=C_HARD)
def index_sets(alpha: Any, y: Any, C: float) -> tuple[Any, Any]:
    r"""Boolean masks of $I_{\mathrm{up}}(\alpha)$ and $I_{\mathrm{low}}(\alpha)$, each of shape $(m,)$."""
    alpha, y = _f64(alpha, y)
    return _masks(alpha, y, C)


def _violation(alpha: Any, y: Any, G: Any, C: float) -> tuple[float, float]:
    """``(beta_up(alpha), beta_low(alpha))``; an empty maximum is -inf and an empty minimum +inf."""
    xp = namespace(alpha)
    up, low = _masks(alpha, y, C)
    s = -y * G
    beta_up = float(xp.max(s[up])) if bool(xp.any(up)) else -math.inf
    beta_low = float(xp.min(s[low])) if bool(xp.any(low)) else math.inf
    return beta_up, beta_low


@labels_follow("alpha")
@validate(alpha=ALPHA, y=LABELS, K=GRAM, C=C_HARD)
def kkt_violation(alpha: Any, y: Any, K: Any, C: float) -> float:
    r"""$\operatorname{viol}(\alpha) = \max\{\beta_{\mathrm{up}}(\alpha) - \beta_{\mathrm{low}}(\alpha), 0\}$, the maximal violation of the KKT conditions.

    Implements {prf:ref}`def-svm-kkt-violation`. For a feasible ``alpha`` it is $0$ exactly when
    ``alpha`` solves the dual ({prf:ref}`prop-svm-kkt-violation`). Returns $0$ when $I_{\mathrm{up}}$
    or $I_{\mathrm{low}}$ is empty.
    """
    alpha, y = _f64(alpha, y)
    beta_up, beta_low = _violation(alpha, y, _gradient(alpha, y, symmetric(K)), C)
    gap = beta_up - beta_low
    return 0.0 if math.isinf(gap) or gap < 0 else float(gap)


def _offset(alpha: Any, y: Any, G: Any, C: float) -> float:
    xp = namespace(alpha)
    free = (alpha > 0) & (alpha < C)
    if bool(xp.any(free)):
        return float(xp.mean(-y[free] * G[free]))
    beta_up, beta_low = _violation(alpha, y, G, C)
    if math.isinf(beta_up) and math.isinf(beta_low):
        return 0.0
    if math.isinf(beta_up):  # I_up empty: the KKT conditions only ask b <= beta_low
        return beta_low
    if math.isinf(beta_low):  # I_low empty: they only ask b >= beta_up
        return beta_up
    return 0.5 * (beta_up + beta_low)


@labels_follow("alpha")
@validate(alpha=ALPHA, y=LABELS, K=GRAM, C=C_HARD)
def offset(alpha: Any, y: Any, K: Any, C: float) -> float:
    r"""The offset $b$ of {prf:ref}`prop-svm-offset`.

    $b = \frac1{|F|}\sum_{i\in F} -y_iG_i$ over the free support vectors
    $F = \{i: 0<\alpha_i<C\}$ (each term equals $y_i - \sum_k\alpha_ky_kK_{ik}$); if $F = \emptyset$,
    the midpoint $\frac12(\beta_{\mathrm{up}}(\alpha) + \beta_{\mathrm{low}}(\alpha))$ of the interval of offsets allowed by the KKT
    conditions.
    """
    alpha, y = _f64(alpha, y)
    return _offset(alpha, y, _gradient(alpha, y, symmetric(K)), C)


@labels_follow("X")
@validate(alpha=ALPHA, y=LABELS, X=SAMPLES)
def primal_weights(alpha: Any, y: Any, X: Any) -> Any:
    r"""$w = \sum_i\alpha_iy_ix_i = X^\top(\alpha\odot y)$, shape $(d,)$ (linear kernel, equation `svm-w-from-alpha`)."""
    return X.T @ (alpha * namespace(X).astype(y, X.dtype))


@labels_follow("alpha")
@validate(alpha=ALPHA, y=LABELS, C=C_HARD)
def dual_feasibility_error(alpha: Any, y: Any, C: float) -> float:
    r"""$\max\{|y^\top\alpha|, \max_i(-\alpha_i)_+, \max_i(\alpha_i - C)_+\}$: $0$ iff ``alpha`` is dual feasible."""
    alpha, y = _f64(alpha, y)
    xp = namespace(alpha)
    zero = xp.zeros_like(alpha)
    lower = float(xp.max(xp.maximum(-alpha, zero)))
    upper = 0.0 if math.isinf(C) else float(xp.max(xp.maximum(alpha - C, zero)))
    return max(abs(float(y @ alpha)), lower, upper)


@labels_follow("alpha")
@validate(alpha=ALPHA, b=OFFSET, y=LABELS, K=GRAM, C=C_FINITE)
def duality_gap(alpha: Any, b: float, y: Any, K: Any, C: float) -> float:
    r"""$P(w, b) - D(\alpha)$ at $w = \sum_i\alpha_iy_i\phi(x_i)$, computed as $\sum_i\bigl(C(r_i)_+ - \alpha_ir_i\bigr)$.

    Here $r_i = 1 - y_i\bigl((K(\alpha\odot y))_i + b\bigr)$; for a dual feasible ``alpha`` each
    term is $\ge 0$ and the sum equals $P - D$ ({prf:ref}`prop-svm-gap-bound`). Summing the
    nonnegative terms avoids the cancellation of subtracting two nearly equal objective values.
    """
    K = symmetric(K)
    alpha, y = _f64(alpha, y)
    r = 1.0 - y * (K @ (alpha * y) + b)
    xp = namespace(r)
    return float(xp.sum(C * xp.maximum(r, xp.zeros_like(r)) - alpha * r))
