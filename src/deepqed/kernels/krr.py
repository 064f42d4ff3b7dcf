r"""Kernel ridge regression (Proposition `prop-krr-closed-form`).

For data $x_1,\dots,x_m\in\mathbb R^d$ (rows of $X$), targets $y\in\mathbb R^m$, a kernel $k$ with
RKHS $\mathcal H_k$ and $\lambda>0$, kernel ridge regression minimises

$$
J(f) = \frac1m\sum_{i=1}^m\bigl(f(x_i) - y_i\bigr)^2 + \lambda\|f\|_{\mathcal H_k}^2
$$

over $\mathcal H_k$. The minimiser is $\hat f = \sum_i\alpha_i k(\cdot, x_i)$ with

$$
\alpha = (K + m\lambda I_m)^{-1}y,\qquad K_{ij} = k(x_i, x_j),
$$

computed by a Cholesky factorisation (never an inverse). scikit-learn's ``KernelRidge(alpha=a)``
minimises $\sum_i(f(x_i) - y_i)^2 + a\|f\|^2$, i.e. the same problem with $a = m\lambda$.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import scipy.linalg

from .._validation import IllConditionedWarning, ShapeError, check_array, check_same_namespace
from .kernels import Kernel, gram

__all__ = [
    "IllConditionedWarning",
    "KRRModel",
    "shifted_solve",
    "krr_fit",
    "krr_predict",
    "rkhs_norm",
    "krr_objective",
]


def shifted_solve(K: np.ndarray, y: np.ndarray, shift: float) -> np.ndarray:
    r"""Solve $(K + s I)\,\alpha = y$ for symmetric PSD $K$ and $s > 0$ by Cholesky.

    Warns :class:`IllConditionedWarning` when LAPACK's estimate of the reciprocal condition
    number (``pocon``, 1-norm) is below $100\varepsilon$, i.e. when the relative error bound
    $\kappa\varepsilon$ exceeds $1\%$. Raises ``numpy.linalg.LinAlgError`` if $K + sI$ is not
    numerically positive definite.

    Arguments:
        K: shape ``(m, m)``; y: shape ``(m,)``; both of one dtype (float32 or float64).

    Returns:
        ``alpha`` of shape ``(m,)`` and the dtype of ``K``.
    """
    A = K + shift * np.eye(K.shape[0], dtype=K.dtype)
    potrf, pocon, potrs = scipy.linalg.lapack.get_lapack_funcs(("potrf", "pocon", "potrs"), (A,))
    anorm = float(np.max(np.sum(np.abs(A), axis=0)))
    c, info = potrf(A, lower=True)
    if info != 0:
        raise np.linalg.LinAlgError(
            f"K + {shift:g} I is not numerically positive definite (Cholesky failed at pivot {info})"
        )
    rcond, _ = pocon(c, anorm, uplo="L")
    eps = float(np.finfo(K.dtype).eps)
    if rcond < 100 * eps:
        warnings.warn(
            f"K + {shift:g} I is ill-conditioned (estimated condition number {1 / rcond:.3g}, "
            f"dtype {K.dtype}); the solution may be inaccurate. Increase lambda or use float64.",
            IllConditionedWarning,
            stacklevel=3,
        )
    alpha, info = potrs(c, y, lower=True)
    return np.asarray(alpha, dtype=K.dtype)


@dataclass(frozen=True)
class KRRModel:
    r"""A fitted kernel ridge regression $\hat f = \sum_i\alpha_i k(\cdot, x_i)$.

    Attributes: ``kernel``; ``X`` shape ``(m, d)``; ``alpha`` shape ``(m,)``; ``lam`` $=\lambda$.
    """

    kernel: Kernel
    X: np.ndarray
    alpha: np.ndarray
    lam: float


def _check_lam(lam: float) -> float:
    if (
        isinstance(lam, bool)
        or not isinstance(lam, (int, float, np.floating, np.integer))
        or not math.isfinite(lam)
        or lam <= 0
    ):
        raise ValueError(f"'lam' (lambda) must be a finite number > 0, got {lam!r}")
    return float(lam)


def krr_fit(kernel: Kernel, X: np.ndarray, y: np.ndarray, lam: float) -> KRRModel:
    r"""Fit kernel ridge regression: $\alpha = (K + m\lambda I_m)^{-1}y$ (Proposition
    `prop-krr-closed-form`).

    Arguments:
        kernel: a kernel of :mod:`deepqed.kernels`.
        X: shape ``(m, d)``, float32 or float64.
        y: shape ``(m,)``, same dtype.
        lam: $\lambda > 0$ (scikit-learn's ``alpha`` is $m\lambda$).
    """
    lam = _check_lam(lam)
    check_array("X", X, ndim=2, nonempty=True)
    check_array("y", y, shape=("m",))
    check_same_namespace(X=X, y=y)
    if y.shape[0] != X.shape[0]:
        raise ShapeError(
            f"argument 'y' must have shape ({X.shape[0]},) (m = X.shape[0]), got shape {y.shape}"
        )
    m = X.shape[0]
    K = gram(kernel, X)
    return KRRModel(kernel, X, shifted_solve(K, y, m * lam), lam)


def krr_predict(model: KRRModel, X_test: np.ndarray) -> np.ndarray:
    r"""$\hat f(x) = \sum_i\alpha_i k(x, x_i)$ for each row $x^\top$ of ``X_test``
    (shape ``(m_test, d)``); returns shape ``(m_test,)``."""
    return gram(model.kernel, X_test, model.X) @ model.alpha


def rkhs_norm(model: KRRModel) -> float:
    r"""$\|\hat f\|_{\mathcal H_k} = \sqrt{\alpha^\top K\alpha}$ (Lemma `lem-rkhs-span-norm`),
    computed in float64 and clipped at $0$ against rounding."""
    K = gram(model.kernel, model.X).astype(np.float64)
    a = model.alpha.astype(np.float64)
    return math.sqrt(max(float(a @ K @ a), 0.0))


def krr_objective(K: np.ndarray, y: np.ndarray, alpha: np.ndarray, lam: float) -> float:
    r"""$J\bigl(\sum_i\alpha_ik(\cdot, x_i)\bigr) = \frac1m\|K\alpha - y\|^2
    + \lambda\,\alpha^\top K\alpha$
    for ``K`` shape ``(m, m)``, ``y``, ``alpha`` shape ``(m,)``."""
    m = K.shape[0]
    r = K @ alpha - y
    return float(r @ r) / m + lam * float(alpha @ K @ alpha)
