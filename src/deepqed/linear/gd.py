r"""Gradient descent on least squares, and its spectral filter.

Section "Gradient descent on least squares" of the chapter *Linear models*. For
$f(w) = \frac12\|Xw-y\|^2$, $\nabla f(w) = X^\top(Xw - y)$, and {prf:ref}`alg-lin-gd` iterates
$w_{t+1} = w_t - \eta X^\top(Xw_t - y)$. $\beta = s_1^2 = \|X\|_{\mathrm{op}}^2$ and
$\mu = \lambda_{\min}(X^\top X)$ are the smoothness and strong convexity constants. From $w_0 = 0$,
$w_t = \sum_i g_t(s_i)(u_i^\top y)v_i$ with the filter
$g_t(s) = \bigl(1 - (1-\eta s^2)^t\bigr)/s$ ({prf:ref}`prop-lin-gd-filter`), to be compared with
ridge's $r_\lambda(s) = s/(s^2+\lambda)$ ({prf:ref}`thm-lin-early-stopping`).
"""

from __future__ import annotations

from typing import Any

import array_api_compat

from .._validation import Array, Integer, Optional, Real, fail, namespace, validate
from ._common import DESIGN, TARGETS, WEIGHTS

_ETA = Real(0, None, closed="neither")
#: Singular values $s_1, \dots, s_k$ (a vector, float32 or float64).
_SINGULAR = Array(shape=("k",))

__all__ = [
    "least_squares_gradient",
    "gd_least_squares",
    "smoothness_constant",
    "strong_convexity_constant",
    "gd_filter",
    "ridge_filter",
]


@validate(w=WEIGHTS, X=DESIGN, y=TARGETS)
def least_squares_gradient(w: Any, X: Any, y: Any) -> Any:
    r"""$\nabla f(w) = X^\top(Xw - y)$ for $f(w) = \frac12\|Xw-y\|^2$; shapes ``(n,)``,
    ``(m, n)``, ``(m,)``; returns shape ``(n,)``."""
    return X.T @ (X @ w - y)


@validate(X=DESIGN, y=TARGETS, eta=_ETA, steps=Integer(0), w0=Optional(WEIGHTS))
def gd_least_squares(X: Any, y: Any, eta: float, steps: int, w0: Any | None = None) -> Any:
    r"""The iterates of {prf:ref}`alg-lin-gd`: $w_{t+1} = w_t - \eta X^\top(Xw_t - y)$.

    Arguments:
        X: shape ``(m, n)``; y: shape ``(m,)``; one dtype, float32 or float64.
        eta: the step $\eta > 0$ (convergence needs $\eta < 2/\beta$,
            {prf:ref}`thm-lin-gd-convergence`).
        steps: the number $T\ge 0$ of steps.
        w0: $w_0$, shape ``(n,)``; default $0$.

    Returns:
        $(w_0, \dots, w_T)$ stacked, shape ``(T + 1, n)``, dtype of ``X``.
    """
    xp = namespace(X)
    T = steps
    w = xp.zeros(X.shape[1], dtype=X.dtype, device=array_api_compat.device(X)) if w0 is None else w0
    out = [w]
    g_y = X.T @ y  # X^T y once; each step costs two matrix-vector products
    for _ in range(T):
        w = w - eta * (X.T @ (X @ w) - g_y)
        out.append(w)
    return xp.stack(out)


@validate(X=DESIGN)
def smoothness_constant(X: Any) -> float:
    r"""$\beta = \|X\|_{\mathrm{op}}^2 = s_1^2$, the Lipschitz constant of $\nabla f$."""
    return float(namespace(X).linalg.svdvals(X)[0]) ** 2


@validate(X=DESIGN)
def strong_convexity_constant(X: Any) -> float:
    r"""$\mu = \lambda_{\min}(X^\top X) = s_n^2$ ($0$ when $m < n$)."""
    if X.shape[0] < X.shape[1]:
        return 0.0
    return float(namespace(X).linalg.svdvals(X)[-1]) ** 2


@validate(s=_SINGULAR, eta=_ETA, t=Integer(0))
def gd_filter(s: Any, eta: float, t: int) -> Any:
    r"""$g_t(s) = \bigl(1 - (1 - \eta s^2)^t\bigr)/s$, elementwise, for $s > 0$
    ({prf:ref}`prop-lin-gd-filter`).

    For $0 < \eta s^2 < 1$ it evaluates $1 - (1-x)^t = -\operatorname{expm1}(t\log(1-x))$, which
    keeps its relative accuracy when $x = \eta s^2$ is tiny.

    Arguments:
        s: singular values, shape ``(k,)``, positive, float32 or float64.
        eta: $\eta > 0$; t: the number of steps, $t\ge0$.

    Returns:
        shape ``(k,)``, dtype of ``s``.
    """
    xp = namespace(s)
    if bool(xp.any(s <= 0)):
        fail(
            "s", "have positive entries (singular values s_i > 0)", f"min(s) = {float(xp.min(s))!r}"
        )
    x = eta * s * s
    small = x < 1
    x_small = xp.where(small, x, xp.zeros_like(x))  # log1p(-x) only where it is finite
    one_minus = xp.where(small, -xp.expm1(t * xp.log1p(-x_small)), 1 - (1 - x) ** t)
    return one_minus / s


@validate(s=_SINGULAR, lam=_ETA)
def ridge_filter(s: Any, lam: float) -> Any:
    r"""$r_\lambda(s) = s/(s^2 + \lambda)$, elementwise ({prf:ref}`thm-lin-ridge-solution`);
    ``s`` of shape ``(k,)``, $\lambda > 0$."""
    return s / (s * s + lam)
