r"""Diagonal linear networks: the potential $\Psi_\alpha$ and the limit of gradient flow.

Section "Kernel and rich regimes of diagonal linear networks" of the chapter *Regularisation*. The
network $w = u\odot u - v\odot v$ trained by gradient flow on $f(w) = \frac12\|Xw - y\|^2$ from
$u = v = \alpha\mathbf 1$ converges to $w^\infty_\alpha = \operatorname{argmin}\{\Psi_\alpha(w) : Xw = y\}$
(Theorem `thm-reg-diagonal`), $\Psi_\alpha(w) = \alpha^2\sum_iq(w_i/\alpha^2)$,
$q(z) = 2 - \sqrt{4 + z^2} + z\operatorname{arcsinh}(z/2)$, and
$w^\infty_\alpha = 2\alpha^2\sinh(X^\top\nu^\ast)$ where $\nu^\ast$ minimises the strictly convex
$J(\nu) = 2\alpha^2\sum_i\cosh((X^\top\nu)_i) - y^\top\nu$.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog

from .._validation import Array, Integer, fail, validate
from ._common import DESIGN, SCALE, STEP, TARGETS, WEIGHTS

__all__ = [
    "potential",
    "diagonal_gradient",
    "diagonal_gd",
    "diagonal_limit",
    "min_l1_interpolant",
]


def _q(z: np.ndarray) -> np.ndarray:
    # 2 - sqrt(4 + z^2) = -z^2/(2 + sqrt(4 + z^2)): no cancellation near 0
    return -z * z / (2 + np.sqrt(4 + z * z)) + z * np.arcsinh(z / 2)


@validate(w=Array(ndim=1, numpy=True), alpha=SCALE)
def potential(w: np.ndarray, alpha: float) -> np.ndarray:
    r"""$\Psi_\alpha(w) = \alpha^2\sum_iq(w_i/\alpha^2)$ of {eq}`eq-reg-potential`, with
    $2 - \sqrt{4 + z^2}$ evaluated as $-z^2/(2 + \sqrt{4 + z^2})$ (no cancellation for small $z$).
    ``w`` of shape ``(n,)``; a 0-d array of its dtype."""
    a2 = alpha * alpha
    return np.asarray(a2 * np.sum(_q(w / a2)), dtype=w.dtype)


@validate(u=WEIGHTS, v=WEIGHTS, X=DESIGN, y=TARGETS)
def diagonal_gradient(
    u: np.ndarray, v: np.ndarray, X: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    r"""$(\nabla_uF, \nabla_vF) = (2u\odot r, -2v\odot r)$ with $r = X^\top(Xw - y)$,
    $w = u\odot u - v\odot v$ ({prf:ref}`def-reg-diagonal`). Shapes ``(n,)``."""
    r = X.T @ (X @ (u * u - v * v) - y)
    return 2 * u * r, -2 * v * r


@validate(X=DESIGN, y=TARGETS, alpha=SCALE, eta=STEP, steps=Integer(0))
def diagonal_gd(X: np.ndarray, y: np.ndarray, alpha: float, eta: float, steps: int) -> np.ndarray:
    r"""$w = u\odot u - v\odot v$ after ``steps`` gradient steps of size ``eta`` on
    $F(u, v)$ from $u = v = \alpha\mathbf 1$ ({prf:ref}`def-reg-diagonal`). Shape ``(n,)``, dtype
    of ``X``."""
    u = np.full(X.shape[1], alpha, dtype=X.dtype)
    v = u.copy()
    for _ in range(steps):
        r = X.T @ (X @ (u * u - v * v) - y)
        u, v = u - 2 * eta * u * r, v + 2 * eta * v * r
    return u * u - v * v


@validate(X=DESIGN, y=TARGETS, alpha=SCALE, tol=STEP)
def diagonal_limit(X: np.ndarray, y: np.ndarray, alpha: float, tol: float = 1e-12) -> np.ndarray:
    r"""$w^\infty_\alpha = 2\alpha^2\sinh(X^\top\nu^\ast)$ of {prf:ref}`thm-reg-diagonal`, with
    $\nu^\ast$ the minimiser of $J(\nu) = 2\alpha^2\sum_i\cosh((X^\top\nu)_i) - y^\top\nu$ found by
    Newton's method, backtracking on $\|\nabla J\|$, stopped when $\|Xw - y\|\le$ ``tol`` $\cdot(\|y\| + \|X\|_{\mathrm{op}}\|w\|)$. Requires $X$ of rank $m$. Computed in float64; shape ``(n,)``."""
    X64, y64 = X.astype(np.float64), y.astype(np.float64)
    m = X64.shape[0]
    if np.linalg.matrix_rank(X64) < m:
        fail("X", "have rank m (full row rank)", f"rank {np.linalg.matrix_rank(X64)} < m = {m}")
    a2 = alpha * alpha
    norm_X = float(np.linalg.norm(X64, 2))

    def residual(nu: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        with np.errstate(over="ignore", invalid="ignore"):
            w = 2 * a2 * np.sinh(X64.T @ nu)
            return w, X64 @ w - y64

    nu = np.zeros(m)
    w, grad = residual(nu)
    for _ in range(1000):
        size = float(np.linalg.norm(grad))
        if size <= tol * (float(np.linalg.norm(y64)) + norm_X * float(np.linalg.norm(w))):
            return w.astype(X.dtype, copy=False)
        hess = 2 * a2 * (X64 * np.cosh(X64.T @ nu)) @ X64.T
        step = np.linalg.solve(hess, -grad)
        t = 1.0
        while True:  # backtrack on the merit ||grad J||, for which the Newton step descends
            w_new, grad_new = residual(nu + t * step)
            with np.errstate(over="ignore", invalid="ignore"):
                shrunk = np.linalg.norm(grad_new) <= (1 - 1e-4 * t) * size
            if shrunk or t < 1e-30:
                break
            t *= 0.5
        if t < 1e-30:
            break
        nu, w, grad = nu + t * step, w_new, grad_new
    fail("alpha", "allow Newton's method to converge in 1000 steps", f"{alpha}")
    raise AssertionError  # unreachable


@validate(X=DESIGN, y=TARGETS)
def min_l1_interpolant(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    r"""A minimiser of $\|w\|_1$ subject to $Xw = y$ (the rich-regime limit of
    {prf:ref}`prop-reg-regimes`), as the linear program $\min\mathbf 1^\top(w^+ + w^-)$,
    $X(w^+ - w^-) = y$, $w^\pm\ge0$, solved by HiGHS (``scipy.optimize.linprog``). Shape ``(n,)``,
    float64; raises ``ValueError`` naming ``y`` if no interpolant exists."""
    X64 = X.astype(np.float64)
    n = X64.shape[1]
    res = linprog(
        np.ones(2 * n),
        A_eq=np.hstack([X64, -X64]),
        b_eq=y.astype(np.float64),
        bounds=(0, None),
        method="highs",
    )
    if res.status != 0:
        fail("y", "be interpolable (y in the range of X)", res.message)
    return res.x[:n] - res.x[n:]
