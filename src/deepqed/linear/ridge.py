r"""Ridge regression (Tikhonov regularisation) and its bias and covariance under a fixed design.

Section "Ridge regression" of the chapter *Linear models*. For $\lambda > 0$ the objective
$f_\lambda(w) = \frac12\|Xw - y\|^2 + \frac\lambda2\|w\|^2$ has the unique minimiser
$\hat w_\lambda = (X^\top X + \lambda I_n)^{-1}X^\top y = \sum_i \frac{s_i}{s_i^2+\lambda}(u_i^\top
y)\,v_i$ ({prf:ref}`thm-lin-ridge-solution`). Under $y = Xw^* + \varepsilon$,
$\mathbb E\varepsilon = 0$, $\operatorname{Cov}\varepsilon = \sigma^2 I_m$
({prf:ref}`prop-lin-ridge-bias-covariance`):
$\mathbb E\hat w_\lambda - w^* = -\lambda(X^\top X + \lambda I_n)^{-1}w^*$ and
$\operatorname{Cov}\hat w_\lambda = \sigma^2(X^\top X+\lambda I_n)^{-1}X^\top X(X^\top X+\lambda
I_n)^{-1}$.
"""

from __future__ import annotations

from typing import Any

import array_api_compat
import numpy as np
import scipy.linalg

from .._host import from_numpy, to_numpy
from .._validation import Real, namespace, validate
from ._common import DESIGN, TARGETS, WEIGHTS, warn_if_ill_conditioned, zero_dim

#: $\lambda > 0$ (finite); the noise level $\sigma\ge 0$.
_LAM = Real(0, None, closed="neither")
_SIGMA = Real(0, None)

__all__ = [
    "ridge_objective",
    "ridge",
    "ridge_svd",
    "ridge_bias",
    "ridge_covariance",
    "ridge_bias_variance",
]


@validate(w=WEIGHTS, X=DESIGN, y=TARGETS, lam=Real(0, None))
def ridge_objective(w: Any, X: Any, y: Any, lam: float) -> Any:
    r"""$f_\lambda(w) = \frac12\|Xw-y\|^2 + \frac\lambda2\|w\|^2$ ({prf:ref}`def-lin-ridge`);
    shapes ``(n,)``, ``(m, n)``, ``(m,)``; a 0-dimensional array of the dtype of ``X``."""
    r = X @ w - y
    return zero_dim(namespace(X), 0.5 * (r @ r) + 0.5 * lam * (w @ w), X)


def _shifted_gram_solve(X: Any, lam: float, B: Any) -> Any:
    r"""$(X^\top X + \lambda I_n)^{-1}B$ by a Cholesky solve, warning if ill-conditioned.

    SciPy's Cholesky (LAPACK) needs NumPy: arrays of another namespace are copied to the host and
    the solution returned in the namespace and on the device of ``X``."""
    like, X, B = X, to_numpy(X), to_numpy(B)
    n = X.shape[1]
    G = X.T @ X + lam * np.eye(n, dtype=X.dtype)
    s = np.linalg.svd(X, compute_uv=False)
    s_min = s[-1] if X.shape[0] >= n else 0.0
    warn_if_ill_conditioned(float((s[0] ** 2 + lam) / (s_min**2 + lam)), X, "X^T X + lam I")
    c = scipy.linalg.cho_factor(G, lower=True, check_finite=False)
    return from_numpy(
        scipy.linalg.cho_solve(c, B, check_finite=False).astype(X.dtype, copy=False), like
    )


@validate(X=DESIGN, y=TARGETS, lam=_LAM)
def ridge(X: Any, y: Any, lam: float) -> Any:
    r"""$\hat w_\lambda$ of {prf:ref}`thm-lin-ridge-solution`, by one Cholesky solve.

    For $n \le m$ it solves $(X^\top X + \lambda I_n)w = X^\top y$; for $n > m$ the smaller system
    $(XX^\top + \lambda I_m)\alpha = y$ and returns $X^\top\alpha$ (the same vector, by the
    push-through identity of {prf:ref}`thm-lin-ridge-solution`). Warns with
    :class:`~deepqed.linear.IllConditionedWarning` when the system's condition number
    $(s_1^2+\lambda)/(s_{\min}^2+\lambda)$ exceeds the dtype's limit.

    The Cholesky factorisation is SciPy's (LAPACK), which needs NumPy: arrays of another namespace
    are copied to the host for the solve, and the result is returned in the namespace and on the
    device of ``X`` (likewise in :func:`ridge_bias` and :func:`ridge_covariance`).

    Arguments:
        X: shape ``(m, n)``; y: shape ``(m,)``; one dtype, float32 or float64.
        lam: $\lambda > 0$.

    Returns:
        $\hat w_\lambda$, shape ``(n,)``, dtype of ``X``.
    """
    if X.shape[1] <= X.shape[0]:
        return _shifted_gram_solve(X, lam, X.T @ y)
    return X.T @ _shifted_gram_solve(X.T, lam, y)


@validate(X=DESIGN, y=TARGETS, lam=_LAM)
def ridge_svd(X: Any, y: Any, lam: float) -> Any:
    r"""$\hat w_\lambda = \sum_{i} \frac{s_i}{s_i^2+\lambda}(u_i^\top y)\, v_i$ (thin SVD of $X$;
    {prf:ref}`thm-lin-ridge-solution`). Shapes as in :func:`ridge`."""
    U, s, Vt = namespace(X).linalg.svd(X, full_matrices=False)
    return Vt.T @ (s / (s * s + lam) * (U.T @ y))


@validate(X=DESIGN, w_star=WEIGHTS, lam=_LAM)
def ridge_bias(X: Any, w_star: Any, lam: float) -> Any:
    r"""$\mathbb E\hat w_\lambda - w^* = -\lambda(X^\top X+\lambda I_n)^{-1}w^*$
    ({prf:ref}`prop-lin-ridge-bias-covariance`), by a solve.

    Arguments:
        X: shape ``(m, n)``; w_star: $w^*$, shape ``(n,)``, dtype of ``X``; lam: $\lambda > 0$.

    Returns:
        shape ``(n,)``, dtype of ``X``.
    """
    return -lam * _shifted_gram_solve(X, lam, w_star)


@validate(X=DESIGN, sigma=_SIGMA, lam=_LAM)
def ridge_covariance(X: Any, sigma: float, lam: float) -> Any:
    r"""$\operatorname{Cov}\hat w_\lambda = \sigma^2 BB^\top$ with
    $B = (X^\top X+\lambda I_n)^{-1}X^\top$ (one solve with $m$ right-hand sides;
    {prf:ref}`prop-lin-ridge-bias-covariance`).

    Arguments:
        X: shape ``(m, n)``; sigma: the noise standard deviation $\sigma\ge0$; lam: $\lambda>0$.

    Returns:
        shape ``(n, n)``, symmetric positive semi-definite, dtype of ``X``.
    """
    B = _shifted_gram_solve(X, lam, X.T)
    C = sigma**2 * (B @ B.T)
    return namespace(X).astype(0.5 * (C + C.T), X.dtype, copy=False)


@validate(X=DESIGN, w_star=WEIGHTS, sigma=_SIGMA, lam=_LAM)
def ridge_bias_variance(X: Any, w_star: Any, sigma: float, lam: float) -> tuple[float, float]:
    r"""Squared bias and variance of $\hat w_\lambda$ from the SVD
    ({prf:ref}`thm-lin-ridge-tradeoff`):

    $$\|\mathbb E\hat w_\lambda - w^*\|^2
    = \sum_{i=1}^{n}\Bigl(\frac{\lambda}{s_i^2+\lambda}\Bigr)^2
    (v_i^\top w^*)^2, \qquad \operatorname{tr}\operatorname{Cov}\hat w_\lambda
    = \sigma^2\sum_{i=1}^{n}\frac{s_i^2}{(s_i^2+\lambda)^2},$$

    with $v_1, \dots, v_n$ an orthonormal basis of right singular vectors ($s_i = 0$ for $i > m$).

    Arguments:
        X: shape ``(m, n)``; w_star: shape ``(n,)``; sigma $\ge 0$; lam $> 0$.

    Returns:
        ``(bias2, variance)``, Python floats.
    """
    xp = namespace(X)
    f64 = xp.float64
    _, s, Vt = xp.linalg.svd(X, full_matrices=True)
    zeros = xp.zeros(X.shape[1] - s.shape[0], dtype=f64, device=array_api_compat.device(X))
    s2 = xp.concat([xp.astype(s, f64) ** 2, zeros])  # s_i = 0 for i > m
    c = xp.astype(Vt, f64) @ xp.astype(w_star, f64)
    bias2 = float(xp.sum((lam / (s2 + lam)) ** 2 * c * c))
    variance = float(sigma**2 * xp.sum(s2 / (s2 + lam) ** 2))
    return bias2, variance
