r"""Gradient descent on a linearised model: the closed form and its kernel-regression limit.

Section "Linearised training" of the chapter *Wide networks*. For a model linearised at
$\theta_0$, $f^{\mathrm{lin}}(x; \theta) = f(x; \theta_0) + \nabla_\theta f(x; \theta_0)^\top
(\theta - \theta_0)$, with Jacobian $J\in\mathbb R^{n\times P}$ on the training inputs,
$\Theta = JJ^\top$ and initial residual $r_0 = f(X; \theta_0) - y$, gradient descent with step
$\eta$ on $\frac12\|f^{\mathrm{lin}}(X; \theta) - y\|^2$ gives (Proposition `prop-wide-linearised`)

$$r_k = (I - \eta\Theta)^kr_0,\qquad
f^{\mathrm{lin}}(x; \theta_k) = f(x; \theta_0) - \Theta(x, X)\,G_kr_0,\qquad
G_k = \eta\sum_{j=0}^{k-1}(I - \eta\Theta)^j .$$

Both are evaluated through the eigendecomposition $\Theta = Q\operatorname{diag}(\lambda)Q^\top$,
with $G_k = Q\operatorname{diag}(g_k(\lambda))Q^\top$, $g_k(\lambda) = (1 - (1 - \eta\lambda)^k)/\lambda$
($= \eta k$ at $\lambda = 0$), computed as $-\operatorname{expm1}(k\log(1 - \eta\lambda))/\lambda$
where $0\le\eta\lambda < 1$ (no cancellation for small $\lambda$).
"""

from __future__ import annotations

import numpy as np

from .._validation import Array, Integer, Real, fail, received, validate

__all__ = ["linearised_residuals", "linearised_predictions", "kernel_regression_limit"]

_THETA = Array(shape=("n", "n"), numpy=True)
_ETA = Real(0, None, closed="neither")


def _eig(Theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if not np.allclose(
        Theta, Theta.T, rtol=0, atol=64 * np.finfo(Theta.dtype).eps * np.abs(Theta).max()
    ):
        fail("Theta", "be symmetric", received(Theta))
    lam, Q = np.linalg.eigh((Theta + Theta.T) / 2)
    return np.maximum(lam, 0), Q


def _g(lam: np.ndarray, eta: float, k: int) -> np.ndarray:
    x = eta * lam
    small = x < 1
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        g_small = -np.expm1(k * np.log1p(-np.where(small, x, 0))) / np.where(lam > 0, lam, 1)
        g_large = (1 - (1 - x) ** k) / np.where(lam > 0, lam, 1)
    g = np.where(small, g_small, g_large)
    return np.where(lam > 0, g, eta * k)


@validate(Theta=_THETA, r0=Array(shape=("n",), numpy=True), eta=_ETA, steps=Integer(0))
def linearised_residuals(Theta: np.ndarray, r0: np.ndarray, eta: float, steps: int) -> np.ndarray:
    r"""$r_k = (I - \eta\Theta)^kr_0$ for $k = 0, \dots$, ``steps``, shape ``(steps + 1, n)``."""
    lam, Q = _eig(Theta)
    c = Q.T @ r0
    k = np.arange(steps + 1, dtype=Theta.dtype)[:, None]
    with np.errstate(over="ignore"):
        return ((1 - eta * lam)[None, :] ** k * c) @ Q.T


@validate(
    Theta_test=Array(shape=("p", "n"), numpy=True),
    Theta=_THETA,
    f0=Array(shape=("p",), numpy=True),
    r0=Array(shape=("n",), numpy=True),
    eta=_ETA,
    steps=Integer(0),
)
def linearised_predictions(
    Theta_test: np.ndarray,
    Theta: np.ndarray,
    f0: np.ndarray,
    r0: np.ndarray,
    eta: float,
    steps: int,
) -> np.ndarray:
    r"""$f^{\mathrm{lin}}(x; \theta_k) = f(x; \theta_0) - \Theta(x, X)G_kr_0$ at $p$ points, with
    ``Theta_test`` $= \Theta(x, X)$ (shape ``(p, n)``), ``f0`` $= f(x; \theta_0)$ (shape ``(p,)``) and
    $k$ = ``steps``; shape ``(p,)``."""
    lam, Q = _eig(Theta)
    return f0 - Theta_test @ (Q @ (_g(lam, eta, steps) * (Q.T @ r0)))


@validate(
    Theta_test=Array(shape=("p", "n"), numpy=True),
    Theta=_THETA,
    f0=Array(shape=("p",), numpy=True),
    r0=Array(shape=("n",), numpy=True),
)
def kernel_regression_limit(
    Theta_test: np.ndarray, Theta: np.ndarray, f0: np.ndarray, r0: np.ndarray
) -> np.ndarray:
    r"""The limit $k\to\infty$ for $\Theta\succ0$ and $0 < \eta < 2/\lambda_{\max}(\Theta)$:
    $f(x; \theta_0) - \Theta(x, X)\Theta^{-1}r_0$ with ``Theta_test`` $= \Theta(x, X)$, kernel regression with the tangent kernel
    (Proposition `prop-wide-linearised`), shape ``(p,)``. Raises if $\Theta$ is singular to
    working precision."""
    lam, Q = _eig(Theta)
    if lam.min() <= Theta.shape[0] * np.finfo(Theta.dtype).eps * lam.max():
        fail("Theta", "be positive definite", f"smallest eigenvalue {lam.min():.3g}")
    return f0 - Theta_test @ (Q @ ((Q.T @ r0) / lam))
