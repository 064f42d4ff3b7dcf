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
from typing import Any

import array_api_compat
import numpy as np
import scipy.linalg

from .._host import from_numpy, to_numpy
from .._validation import (
    Array,
    IllConditionedWarning,
    Instance,
    Real,
    ShapeError,
    check,
    fail,
    namespace,
    received,
    validate,
)
from .kernels import KERNEL, SAMPLES, Kernel, _gram

__all__ = [
    "IllConditionedWarning",
    "KRRModel",
    "shifted_solve",
    "krr_fit",
    "krr_predict",
    "rkhs_norm",
    "krr_objective",
]


#: $\lambda > 0$, finite.
LAM = Real(0, None, closed="neither")
_TARGETS = Array(shape=("m",))


def _shifted_solve(K: Any, y: Any, shift: float) -> Any:
    """The solve of :func:`shifted_solve` on validated arguments (on the host, in LAPACK; the
    result in the namespace and on the device of ``K``)."""
    like, K, y = K, to_numpy(K), to_numpy(y)
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
            stacklevel=4,
        )
    alpha, info = potrs(c, y, lower=True)
    return from_numpy(np.asarray(alpha, dtype=K.dtype), like)


@validate(K=Array(shape=("m", "m")), y=_TARGETS, shift=LAM)
def shifted_solve(K: Any, y: Any, shift: float) -> Any:
    r"""Solve $(K + s I)\,\alpha = y$ for symmetric PSD $K$ and $s > 0$ by Cholesky.

    Warns :class:`IllConditionedWarning` when LAPACK's estimate of the reciprocal condition
    number (``pocon``, 1-norm) is below $100\varepsilon$, i.e. when the relative error bound
    $\kappa\varepsilon$ exceeds $1\%$. Raises ``numpy.linalg.LinAlgError`` if $K + sI$ is not
    numerically positive definite.

    The factorisation and the estimate are LAPACK's (``potrf``, ``pocon``, ``potrs`` through
    SciPy), which need NumPy: arrays of another namespace are copied to the host, and ``alpha`` is
    returned in the namespace and on the device of ``K`` (likewise in :func:`krr_fit` and
    :func:`~deepqed.kernels.feature_ridge`).

    Arguments:
        K: shape ``(m, m)``; y: shape ``(m,)``; both of one dtype (float32 or float64);
        shift: $s > 0$.

    Returns:
        ``alpha`` of shape ``(m,)`` and the dtype of ``K``.
    """
    return _shifted_solve(K, y, shift)


@dataclass(frozen=True)
class KRRModel:
    r"""A fitted kernel ridge regression $\hat f = \sum_i\alpha_i k(\cdot, x_i)$.

    Attributes: ``kernel``; ``X`` shape ``(m, d)``; ``alpha`` shape ``(m,)``; ``lam`` $=\lambda$.
    """

    kernel: Kernel
    X: Any
    alpha: Any
    lam: float

    __deepqed_constraints__ = {"kernel": KERNEL, "X": SAMPLES, "alpha": _TARGETS, "lam": LAM}

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))


def _test_points(model_X: Any, X_test: Any) -> None:
    """``X_test`` must have the width and dtype of the training inputs."""
    if X_test.shape[1] != model_X.shape[1]:
        fail(
            "X_test",
            f"have shape (m_test, {model_X.shape[1]}) (d of the training inputs)",
            f"shape {tuple(X_test.shape)}",
            kind=ShapeError,
        )
    if namespace(X_test) is not namespace(model_X) or array_api_compat.device(
        X_test
    ) != array_api_compat.device(model_X):
        fail(
            "X_test",
            "be an array of the library and device of the training inputs",
            received(X_test),
            kind=TypeError,
        )
    if X_test.dtype != model_X.dtype:
        fail("X_test", f"have dtype {model_X.dtype} (of the training inputs)", f"{X_test.dtype}")


@validate(kernel=KERNEL, X=SAMPLES, y=_TARGETS, lam=LAM)
def krr_fit(kernel: Kernel, X: Any, y: Any, lam: float) -> KRRModel:
    r"""Fit kernel ridge regression: $\alpha = (K + m\lambda I_m)^{-1}y$ (Proposition
    `prop-krr-closed-form`).

    Arguments:
        kernel: a kernel of :mod:`deepqed.kernels`.
        X: shape ``(m, d)``, float32 or float64.
        y: shape ``(m,)``, same dtype.
        lam: $\lambda > 0$ (scikit-learn's ``alpha`` is $m\lambda$).
    """
    m = X.shape[0]
    K = _gram(kernel, X)
    return KRRModel(kernel, X, _shifted_solve(K, y, m * lam), lam)


@validate(model=Instance(KRRModel), X_test=Array(shape=("m_test", "d")))
def krr_predict(model: KRRModel, X_test: Any) -> Any:
    r"""$\hat f(x) = \sum_i\alpha_i k(x, x_i)$ for each row $x^\top$ of ``X_test``
    (shape ``(m_test, d)``, the width and dtype of the training inputs); returns shape
    ``(m_test,)``."""
    _test_points(model.X, X_test)
    return _gram(model.kernel, X_test, model.X) @ model.alpha


@validate(model=Instance(KRRModel))
def rkhs_norm(model: KRRModel) -> float:
    r"""$\|\hat f\|_{\mathcal H_k} = \sqrt{\alpha^\top K\alpha}$ (Lemma `lem-rkhs-span-norm`),
    computed in float64 and clipped at $0$ against rounding."""
    xp = namespace(model.X)
    K = xp.astype(_gram(model.kernel, model.X), xp.float64)
    a = xp.astype(model.alpha, xp.float64)
    return math.sqrt(max(float(a @ K @ a), 0.0))


@validate(K=Array(shape=("m", "m")), y=_TARGETS, alpha=_TARGETS, lam=LAM)
def krr_objective(K: Any, y: Any, alpha: Any, lam: float) -> float:
    r"""$J\bigl(\sum_i\alpha_ik(\cdot, x_i)\bigr) = \frac1m\|K\alpha - y\|^2
    + \lambda\,\alpha^\top K\alpha$
    for ``K`` shape ``(m, m)``, ``y``, ``alpha`` shape ``(m,)``."""
    m = K.shape[0]
    r = K @ alpha - y
    return float(r @ r) / m + lam * float(alpha @ K @ alpha)
