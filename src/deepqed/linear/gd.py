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

import numpy as np

from .._validation import check_array
from ._common import check_design, check_positive, check_steps, check_targets

__all__ = [
    "least_squares_gradient",
    "gd_least_squares",
    "smoothness_constant",
    "strong_convexity_constant",
    "gd_filter",
    "ridge_filter",
]


def least_squares_gradient(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    r"""$\nabla f(w) = X^\top(Xw - y)$ for $f(w) = \frac12\|Xw-y\|^2$; shapes ``(n,)``,
    ``(m, n)``, ``(m,)``; returns shape ``(n,)``."""
    X = check_design(X)
    y = check_targets(y, X)
    w = check_targets(w, X.T, name="w")
    return X.T @ (X @ w - y)


def gd_least_squares(
    X: np.ndarray, y: np.ndarray, eta: float, steps: int, w0: np.ndarray | None = None
) -> np.ndarray:
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
    X = check_design(X)
    y = check_targets(y, X)
    eta = check_positive("eta", eta)
    T = check_steps(steps)
    w = np.zeros(X.shape[1], dtype=X.dtype) if w0 is None else check_targets(w0, X.T, "w0")
    out = np.empty((T + 1, X.shape[1]), dtype=X.dtype)
    out[0] = w
    g_y = X.T @ y  # X^T y once; each step costs two matrix-vector products
    e = X.dtype.type(eta)
    for t in range(T):
        w = w - e * (X.T @ (X @ w) - g_y)
        out[t + 1] = w
    return out


def smoothness_constant(X: np.ndarray) -> float:
    r"""$\beta = \|X\|_{\mathrm{op}}^2 = s_1^2$, the Lipschitz constant of $\nabla f$."""
    X = check_design(X)
    return float(np.linalg.svd(X, compute_uv=False)[0]) ** 2


def strong_convexity_constant(X: np.ndarray) -> float:
    r"""$\mu = \lambda_{\min}(X^\top X) = s_n^2$ ($0$ when $m < n$)."""
    X = check_design(X)
    if X.shape[0] < X.shape[1]:
        return 0.0
    return float(np.linalg.svd(X, compute_uv=False)[-1]) ** 2


def gd_filter(s: np.ndarray, eta: float, t: int) -> np.ndarray:
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
    if not isinstance(s, np.ndarray):
        raise TypeError(f"argument 's' must be a numpy.ndarray, got {type(s).__name__}")
    check_array("s", s, ndim=1)
    if np.any(s <= 0):
        raise ValueError("argument 's' must have positive entries (singular values s_i > 0)")
    eta = check_positive("eta", eta)
    t = check_steps(t)
    x = eta * s * s
    small = x < 1
    one_minus = np.empty_like(s)
    one_minus[small] = -np.expm1(t * np.log1p(-x[small]))
    one_minus[~small] = 1 - (1 - x[~small]) ** t
    return one_minus / s


def ridge_filter(s: np.ndarray, lam: float) -> np.ndarray:
    r"""$r_\lambda(s) = s/(s^2 + \lambda)$, elementwise ({prf:ref}`thm-lin-ridge-solution`);
    ``s`` of shape ``(k,)``, $\lambda > 0$."""
    if not isinstance(s, np.ndarray):
        raise TypeError(f"argument 's' must be a numpy.ndarray, got {type(s).__name__}")
    check_array("s", s, ndim=1)
    lam = check_positive("lam", lam)
    return s / (s * s + lam)
