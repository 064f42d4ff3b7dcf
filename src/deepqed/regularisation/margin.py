r"""The maximum-margin direction and gradient descent on separable logistic regression.

Section "The logistic loss chooses the maximum margin" of the chapter *Regularisation*. Labels are
chapter 3's $y\in\{0, 1\}^m$ with $\tilde y = 2y - 1$; the homogeneous hard-margin problem
$\hat w = \operatorname{argmin}\{\|w\| : \tilde y_ix_i^\top w\ge1\}$ ({prf:ref}`def-reg-max-margin`)
is solved by chapter 4's SMO on the mirrored data $(x_i, \tilde y_i), (-x_i, -\tilde y_i)$
({prf:ref}`lem-reg-symmetrised`). Gradient descent on the mean logistic loss satisfies
$w_t = \hat w\log t + \rho_t$ with $\rho_t$ bounded ({prf:ref}`thm-reg-max-margin`); for almost every
data set whose support vectors span $\mathbb R^n$, $\rho_t\to\tilde w$, the $\tilde w$ with
$\frac\eta m e^{-\tilde y_ix_i^\top\tilde w} = \alpha_i$ on the support vectors (Soudry et al.
2018, their loss being the sum, step $\eta/m$); the chapter's witness observes
$\|w_t - \hat w\log t - \tilde w\|$ shrinking.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .. import svm
from .._validation import Array, Real, fail, validate
from ._common import DESIGN, LABELS01, STEP, WEIGHTS

__all__ = ["MaxMargin", "max_margin", "max_margin_dual", "logistic_gd_path", "residual_limit"]


class MaxMargin(NamedTuple):
    r"""$\hat w$ (shape ``(n,)``) and the multipliers $\alpha\ge0$ (shape ``(m,)``) with
    $\hat w = \sum_i\alpha_i\tilde y_ix_i$, and the offset $b^\star$ of the mirrored problem (zero
    up to the solver's tolerance, {prf:ref}`lem-reg-symmetrised`)."""

    w: np.ndarray
    alpha: np.ndarray
    b: float


@validate(X=DESIGN, y=LABELS01, tol=STEP)
def max_margin_dual(X: np.ndarray, y: np.ndarray, tol: float = 1e-10) -> MaxMargin:
    r"""The homogeneous hard-margin solution of {prf:ref}`def-reg-max-margin` with its multipliers,
    by chapter 4's ``svm.smo`` with ``C = inf`` on the mirrored data ({prf:ref}`lem-reg-symmetrised`;
    KKT tolerance ``tol``). ``X`` shape ``(m, n)``; computed in float64. Raises ``ValueError`` naming
    ``X`` if the data are not separable through the origin."""
    Z = (2.0 * y.astype(np.float64) - 1.0)[:, None] * X.astype(np.float64)
    m = Z.shape[0]
    # separable through the origin iff some w has Z w >= 1: a linear feasibility problem
    # (HiGHS) answers at once, where SMO on inseparable data would run to its iteration limit
    from scipy.optimize import linprog

    n = Z.shape[1]
    feasible = linprog(
        np.zeros(n), A_ub=-Z, b_ub=-np.ones(m), bounds=[(None, None)] * n, method="highs"
    )
    if feasible.status == 2:  # infeasible
        fail("X", "be linearly separable through the origin", "data the hard margin cannot fit")
    M = np.vstack([Z, -Z])
    labels = np.r_[np.ones(m), -np.ones(m)]
    try:
        sol = svm.smo(M @ M.T, labels, math.inf, tol=tol, max_iter=200_000)
    except ValueError:
        sol = None
    if sol is None or not sol.converged:
        fail("X", "be linearly separable through the origin", "data the hard margin cannot fit")
    a = sol.alpha[:m] + sol.alpha[m:]  # the mirror of z_i is -z_i with label -1: the same term
    w = a @ Z
    if np.min(Z @ w) < 1 - 1e3 * tol:
        fail("X", "be linearly separable through the origin", "data the hard margin cannot fit")
    return MaxMargin(w, a, float(sol.b))


@validate(X=DESIGN, y=LABELS01)
def max_margin(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    r"""$\hat w$ of {prf:ref}`def-reg-max-margin` (shape ``(n,)``, float64): see
    :func:`max_margin_dual`. The margin is $\gamma = 1/\|\hat w\|$."""
    return max_margin_dual(X, y).w


@validate(
    X=DESIGN,
    y=LABELS01,
    w0=WEIGHTS,
    eta=STEP,
    checkpoints=Array(ndim=1, dtype="integer", low=0, numpy=True, same_dtype=False),
)
def logistic_gd_path(
    X: np.ndarray, y: np.ndarray, w0: np.ndarray, eta: float, checkpoints: np.ndarray
) -> np.ndarray:
    r"""Gradient descent $w_{t+1} = w_t - \eta\nabla\mathcal L(w_t)$ on chapter 3's mean logistic loss
    from ``w0``, returning $w_t$ for every $t$ in ``checkpoints`` (nondecreasing), shape
    ``(len(checkpoints), n)``, float64. The gradient is $-\frac1m\sum_i\tilde y_ix_i
    \operatorname{sigmoid}(-\tilde y_ix_i^\top w)$, with $\operatorname{sigmoid}(-s) = \frac12(1 -
    \tanh(s/2))$ (no overflow)."""
    if np.any(np.diff(checkpoints) < 0):
        fail("checkpoints", "be nondecreasing", f"{checkpoints}")
    Z = (2.0 * y.astype(np.float64) - 1.0)[:, None] * X.astype(np.float64)
    step = eta / Z.shape[0]
    w = w0.astype(np.float64)
    out = np.empty((len(checkpoints), Z.shape[1]))
    t = 0
    for k, T in enumerate(checkpoints):
        while t < T:
            w = w + step * (Z.T @ (0.5 - 0.5 * np.tanh(0.5 * (Z @ w))))
            t += 1
        out[k] = w
    return out


@validate(X=DESIGN, y=LABELS01, eta=STEP, threshold=Real(0, None, closed="neither"))
def residual_limit(X: np.ndarray, y: np.ndarray, eta: float, threshold: float = 1e-8) -> np.ndarray:
    r"""$\tilde w$ with $\frac\eta me^{-\tilde y_ix_i^\top\tilde w} = \alpha_i$ for the support
    vectors ($\alpha_i >$ ``threshold``), when they form a basis of $\mathbb R^n$: Soudry et al.'s
    (2018) limit of the residual, $w_t - \hat w\log t\to\tilde w$ for almost every such data set
    (for the step $\eta/m$ of their summed loss).
    Raises ``ValueError`` naming ``X`` when they do not. Shape ``(n,)``, float64."""
    mm = max_margin_dual(X, y)
    Z = (2.0 * y.astype(np.float64) - 1.0)[:, None] * X.astype(np.float64)
    S = mm.alpha > threshold
    if S.sum() != Z.shape[1] or np.linalg.matrix_rank(Z[S]) < Z.shape[1]:
        fail("X", "have support vectors forming a basis of R^n", f"{int(S.sum())} support vectors")
    return np.linalg.solve(Z[S], np.log(eta / Z.shape[0] / mm.alpha[S]))
