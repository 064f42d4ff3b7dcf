r"""Stochastic gradient descent: constant steps, noise floors, nonconvex stationarity.

Section "Stochastic gradient descent" of the chapter *Optimisation and trainability*. For a finite
sum $f(x) = \frac1m\sum_{i=1}^m f_i(x)$, Algorithm `alg-opt-sgd` draws $i_k$ uniformly from $[m]$,
independently of the past, and steps $x_{k+1} = x_k - \gamma\nabla f_{i_k}(x_k)$. For least
squares, $f_i(w) = \frac12(x_i^\top w - y_i)^2$ with the rows $x_i^\top$ of $X\in\mathbb R^{m\times d}$,
so $f(w) = \frac1{2m}\|Xw - y\|^2$ and $\nabla f_i(w) = x_i(x_i^\top w - y_i)$.

The bounds: Theorem `thm-opt-sgd-strongly-convex`
($\mathbb E\|x_k - x^\star\|^2\le(1 - \gamma\mu)^k\|x_0 - x^\star\|^2 + 2\gamma\sigma_\star^2/\mu$)
and Theorem `thm-opt-sgd-nonconvex`; the exact second moments of SGD on least squares are
Proposition `prop-opt-sgd-lsq-moments`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._validation import Array, Generator, Integer, Real, fail, validate

__all__ = [
    "sgd_least_squares",
    "LeastSquaresMoments",
    "sgd_least_squares_moments",
    "least_squares_sgd_constants",
    "sgd_strongly_convex_bound",
    "sgd_nonconvex_bound",
    "sgd_horizon_step",
]

_LSQ = dict(X=Array(shape=("m", "d"), numpy=True), y=Array(shape=("m",), numpy=True))


@validate(
    gamma=Real(0, None, closed="neither"),
    steps=Integer(0),
    w0=Array(shape=("d",), numpy=True),
    runs=Integer(1),
    rng=Generator(),
    **_LSQ,
)
def sgd_least_squares(
    X: np.ndarray,
    y: np.ndarray,
    gamma: float,
    steps: int,
    w0: np.ndarray,
    runs: int,
    rng: np.random.Generator,
) -> np.ndarray:
    r"""``runs`` independent runs of Algorithm `alg-opt-sgd` on $f_i(w) = \frac12(x_i^\top w - y_i)^2$,
    side by side: $w_{k+1} = w_k - \gamma x_{i_k}(x_{i_k}^\top w_k - y_{i_k})$, $i_k$ uniform on
    $[m]$, independent across steps and runs.

    Arguments:
        X: rows $x_i^\top$, shape ``(m, d)``; y: shape ``(m,)``; w0: the start, shape ``(d,)``.
        gamma: the step $\gamma > 0$; steps: $T\ge 0$; runs: $R\ge 1$.
        rng: draws the indices, one array of shape ``(T, R)`` (``rng.integers(0, m, (T, R))``).

    Returns:
        The iterates, shape ``(T + 1, R, d)``, dtype of ``X``.
    """
    m, d = X.shape
    idx = rng.integers(0, m, size=(steps, runs))
    out = np.empty((steps + 1, runs, d), dtype=X.dtype)
    w = np.broadcast_to(w0, (runs, d)).astype(X.dtype)
    out[0] = w
    g = X.dtype.type(gamma)
    for k in range(steps):
        Xi = X[idx[k]]  # (R, d)
        resid = np.einsum("rd,rd->r", Xi, w) - y[idx[k]]
        w = w - g * resid[:, None] * Xi
        out[k + 1] = w
    return out


@dataclass(frozen=True)
class LeastSquaresMoments:
    r"""The exact moments of SGD on least squares (Proposition `prop-opt-sgd-lsq-moments`).

    Attributes:
        mean: $\mathbb E[w_k - w^\star]$, shape ``(T + 1, d)``.
        second: $\mathbb E[(w_k - w^\star)(w_k - w^\star)^\top]$, shape ``(T + 1, d, d)``.
        sq_dist: $\mathbb E\|w_k - w^\star\|^2 = \operatorname{tr}$ of ``second``, shape
            ``(T + 1,)``.
    """

    mean: np.ndarray
    second: np.ndarray
    sq_dist: np.ndarray


def _minimiser(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    s = np.linalg.svd(X, compute_uv=False)
    if s[-1] <= max(X.shape) * np.finfo(np.float64).eps * s[0] or X.shape[0] < X.shape[1]:
        fail(
            "X", "have full column rank (a unique minimiser w*)", f"shape {X.shape}, rank-deficient"
        )
    return np.linalg.lstsq(X, y, rcond=None)[0]


@validate(
    gamma=Real(0, None, closed="neither"),
    steps=Integer(0),
    w0=Array(shape=("d",), numpy=True),
    **_LSQ,
)
def sgd_least_squares_moments(
    X: np.ndarray, y: np.ndarray, gamma: float, steps: int, w0: np.ndarray
) -> LeastSquaresMoments:
    r"""$\mathbb E e_k$ and $\mathbb E e_ke_k^\top$ for $e_k = w_k - w^\star$ (Proposition
    `prop-opt-sgd-lsq-moments`), by the exact linear recursions, with $H = \frac1mX^\top X$,
    $\rho_i = y_i - x_i^\top w^\star$ and $M_i = I - \gamma x_ix_i^\top$:

    $$\mathbb E e_{k+1} = (I - \gamma H)\,\mathbb E e_k,\qquad
    S_{k+1} = \frac1m\sum_i\Bigl(M_iS_kM_i + \gamma\rho_i\bigl(M_i\,\mathbb E e_k\,x_i^\top +
    x_i\,\mathbb E e_k^\top M_i\bigr) + \gamma^2\rho_i^2x_ix_i^\top\Bigr).$$

    Computed in float64. ``X`` must have full column rank (so that $w^\star$ is unique)."""
    X64, y64 = X.astype(np.float64), y.astype(np.float64)
    m, d = X64.shape
    w_star = _minimiser(X64, y64)
    rho = y64 - X64 @ w_star
    I = np.eye(d)
    M = I[None] - gamma * np.einsum("id,ie->ide", X64, X64)  # (m, d, d)
    H = X64.T @ X64 / m
    noise = gamma**2 * np.einsum("i,id,ie->de", rho**2, X64, X64) / m
    mu = w0.astype(np.float64) - w_star
    S = np.outer(mu, mu)
    means, seconds = [mu], [S]
    for _ in range(steps):
        Mm = M @ mu  # (m, d)
        cross = gamma * np.einsum("i,id,ie->de", rho, Mm, X64) / m
        S = np.einsum("ide,ef,ifg->dg", M, S, M) / m + cross + cross.T + noise
        mu = mu - gamma * (H @ mu)
        means.append(mu)
        seconds.append(S)
    second = np.array(seconds)
    return LeastSquaresMoments(np.array(means), second, np.trace(second, axis1=1, axis2=2))


@validate(**_LSQ)
def least_squares_sgd_constants(X: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    r"""$(\mu, L_{\max}, \sigma_\star^2)$ for SGD on $f_i(w) = \frac12(x_i^\top w - y_i)^2$:
    $\mu = \lambda_{\min}(\frac1mX^\top X)$ (strong convexity of $f$),
    $L_{\max} = \max_i\|x_i\|^2$ (each $f_i$ is convex and $\|x_i\|^2$-smooth) and
    $\sigma_\star^2 = \frac1m\sum_i\|\nabla f_i(w^\star)\|^2 = \frac1m\sum_i\rho_i^2\|x_i\|^2$
    (Theorem `thm-opt-sgd-strongly-convex`). ``X`` must have full column rank."""
    X64, y64 = X.astype(np.float64), y.astype(np.float64)
    m = X64.shape[0]
    w_star = _minimiser(X64, y64)
    rho = y64 - X64 @ w_star
    sq = np.sum(X64**2, axis=1)
    mu = float(np.linalg.eigvalsh(X64.T @ X64 / m)[0])
    return mu, float(sq.max()), float(np.mean(rho**2 * sq))


@validate(
    gamma=Real(0, None, closed="neither"),
    mu=Real(0, None, closed="neither"),
    L_max=Real(0, None, closed="neither"),
    sigma2=Real(0, None),
    dist0=Real(0, None),
    steps=Integer(0),
)
def sgd_strongly_convex_bound(
    gamma: float, mu: float, L_max: float, sigma2: float, dist0: float, steps: int
) -> np.ndarray:
    r"""$\bigl((1 - \gamma\mu)^k\|x_0 - x^\star\|^2 + 2\gamma\sigma_\star^2/\mu\bigr)_{k=0}^T$ with
    ``dist0`` $= \|x_0 - x^\star\|^2$ and ``sigma2`` $= \sigma_\star^2$, shape ``(T + 1,)``
    (Theorem `thm-opt-sgd-strongly-convex`). Requires $\gamma\le 1/(2L_{\max})$."""
    if gamma > 1.0 / (2.0 * L_max) * (1 + 1e-12):
        fail("gamma", f"be <= 1/(2 L_max) = {1 / (2 * L_max):g}", repr(gamma))
    k = np.arange(steps + 1, dtype=np.float64)
    return (1.0 - gamma * mu) ** k * dist0 + 2.0 * gamma * sigma2 / mu


@validate(
    gamma=Real(0, None, closed="neither"),
    L=Real(0, None, closed="neither"),
    gap0=Real(0, None),
    sigma2=Real(0, None),
    steps=Integer(1),
)
def sgd_nonconvex_bound(gamma: float, L: float, gap0: float, sigma2: float, steps: int) -> float:
    r"""The bound of Theorem `thm-opt-sgd-nonconvex` on $\frac1T\sum_{k<T}\mathbb E\|\nabla f(x_k)\|^2$:

    $$\frac{f(x_0) - f^\star + TL\gamma^2\sigma^2/2}{\gamma(1 - L\gamma/2)\,T},\qquad
    0 < \gamma < 2/L,$$

    with ``gap0`` $= f(x_0) - f^\star$, ``sigma2`` $= \sigma^2$, ``steps`` $= T$."""
    if gamma >= 2.0 / L:
        fail("gamma", f"be < 2/L = {2.0 / L:g}", repr(gamma))
    return (gap0 + steps * L * gamma**2 * sigma2 / 2.0) / (gamma * (1.0 - L * gamma / 2.0) * steps)


@validate(
    L=Real(0, None, closed="neither"),
    gap0=Real(0, None, closed="neither"),
    sigma2=Real(0, None),
    steps=Integer(1),
)
def sgd_horizon_step(L: float, gap0: float, sigma2: float, steps: int) -> tuple[float, float]:
    r"""The step $\gamma_T = \min\{1/L, \sqrt{2(f(x_0) - f^\star)/(L\sigma^2T)}\}$ of Corollary
    `cor-opt-sgd-rate` and its guarantee $4L\Delta/T + 2\sigma\sqrt{2L\Delta/T}$ on
    $\min_{k<T}\mathbb E\|\nabla f(x_k)\|^2$ ($\Delta$ = ``gap0``): returns
    ``(gamma, guarantee)``."""
    gamma = 1.0 / L if sigma2 == 0 else min(1.0 / L, math.sqrt(2.0 * gap0 / (L * sigma2 * steps)))
    guarantee = 4.0 * L * gap0 / steps + 2.0 * math.sqrt(sigma2 * 2.0 * L * gap0 / steps)
    return gamma, guarantee
