r"""Noise as a penalty: input noise and dropout on a linear model.

Section "Noise as a penalty" of the chapter *Regularisation*. With $f(w) = \frac12\|Xw - y\|^2$:

* input noise of level $s$ (Proposition `prop-reg-input-noise`):
  $\mathbb E\frac12\|(X + \Xi)w - y\|^2 = f(w) + \frac{ms^2}2\|w\|^2$, minimised by ridge with
  $\lambda = ms^2$;
* dropout with keep probability $p$ (Proposition `prop-reg-dropout`):
  $\mathbb E\frac12\|\tilde Xw - y\|^2 = f(w) + \frac{1-p}{2p}w^\top Dw$,
  $D = \operatorname{Diag}(\|X_{:,j}\|^2)$, minimised by
  $\hat w_p = (X^\top X + \frac{1-p}pD)^{-1}X^\top y$.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg

from .. import linear
from .._validation import Real, fail, validate
from ._common import DESIGN, TARGETS, WEIGHTS

__all__ = ["input_noise_objective", "input_noise_ridge", "dropout_objective", "dropout_ridge"]

_KEEP = Real(0, 1, closed="right")
_LEVEL = Real(0, None)


@validate(w=WEIGHTS, X=DESIGN, y=TARGETS, s=_LEVEL)
def input_noise_objective(w: np.ndarray, X: np.ndarray, y: np.ndarray, s: float) -> np.ndarray:
    r"""$\frac12\|Xw - y\|^2 + \frac{ms^2}2\|w\|^2$, the expected noisy objective of
    {prf:ref}`prop-reg-input-noise`. Shapes ``(n,)``, ``(m, n)``, ``(m,)``; a 0-d array of the
    dtype of ``X``."""
    r = X @ w - y
    m = X.shape[0]
    return np.asarray(0.5 * (r @ r) + 0.5 * m * s * s * (w @ w), dtype=X.dtype)


@validate(X=DESIGN, y=TARGETS, s=Real(0, None, closed="neither"))
def input_noise_ridge(X: np.ndarray, y: np.ndarray, s: float) -> np.ndarray:
    r"""The minimiser of the expected noisy objective: chapter 3's ridge estimator with
    $\lambda = ms^2$ (``linear.ridge``). Shape ``(n,)``, dtype of ``X``."""
    return linear.ridge(X, y, X.shape[0] * s * s)


@validate(w=WEIGHTS, X=DESIGN, y=TARGETS, p=_KEEP)
def dropout_objective(w: np.ndarray, X: np.ndarray, y: np.ndarray, p: float) -> np.ndarray:
    r"""$\frac12\|Xw - y\|^2 + \frac{1-p}{2p}\sum_jw_j^2\|X_{:,j}\|^2$, the expected dropout objective
    of {prf:ref}`prop-reg-dropout` (keep probability ``p``). A 0-d array of the dtype of ``X``."""
    r = X @ w - y
    D = np.sum(X * X, axis=0)
    return np.asarray(0.5 * (r @ r) + 0.5 * (1 - p) / p * (D @ (w * w)), dtype=X.dtype)


@validate(X=DESIGN, y=TARGETS, p=Real(0, 1, closed="neither"))
def dropout_ridge(X: np.ndarray, y: np.ndarray, p: float) -> np.ndarray:
    r"""$\hat w_p = (X^\top X + \frac{1-p}pD)^{-1}X^\top y$ ({prf:ref}`prop-reg-dropout`), by a
    Cholesky solve; requires $p < 1$ and no zero column of $X$ (then the matrix is positive
    definite). Shape ``(n,)``, dtype of ``X``."""
    D = np.sum(X * X, axis=0)
    if np.any(D == 0):
        fail("X", "have no zero column (the dropout penalty is then definite)", "a zero column")
    G = X.T @ X + (1 - p) / p * np.diag(D)
    c = scipy.linalg.cho_factor(G, lower=True, check_finite=False)
    return scipy.linalg.cho_solve(c, X.T @ y, check_finite=False).astype(X.dtype, copy=False)
