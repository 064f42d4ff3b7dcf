r"""The derivatives used in the book (Proposition ``prop-matrix-derivatives``, book/preliminaries).

Gradients have the shape of the variable (Frobenius inner product); Jacobian matrices use
column-stacking ``vec`` on both sides. Inverses are never formed where a solve suffices; the
Jacobian of :math:`X\mapsto X^{-1}` needs :math:`X^{-1}` itself and computes it by one LU solve.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.linalg

from .._validation import Array, Function, IllConditionedWarning, fail, validate

__all__ = [
    "grad_trace_AX",
    "grad_frobenius_residual",
    "grad_quadratic_form",
    "grad_logdet",
    "inverse_derivative",
    "inverse_jacobian",
    "entrywise_jacobian",
]

#: Condition numbers above this trigger a warning (about half the float64 digits lost).
ILL_CONDITIONED = 1e8

_SQUARE = Array(shape=("n", "n"), numpy=True)


def _warn_if_ill_conditioned(name: str, X: np.ndarray) -> None:
    c = np.linalg.cond(X.astype(np.float64))
    if not c < ILL_CONDITIONED:
        warnings.warn(
            f"argument {name!r} is ill-conditioned (condition number {c:.3g}); the "
            "result may have lost most of its digits",
            IllConditionedWarning,
            stacklevel=4,  # the caller of the validated public function
        )


def _check_symmetric(name: str, X: np.ndarray) -> None:
    """``fail`` unless ``X`` is symmetric to within 100 ulps of its largest entry."""
    scale = max(1.0, float(np.max(np.abs(X))))
    asym = float(np.max(np.abs(X - X.T)))
    if asym > 100 * np.finfo(X.dtype).eps * scale:
        fail(name, "be symmetric", f"max |X - X^T| = {asym:.3g}")


@validate(A=Array(ndim=2, numpy=True))
def grad_trace_AX(A: Any) -> np.ndarray:
    r""":math:`\nabla_X\operatorname{tr}(AX) = A^\top`.

    Arguments:
        A: shape (q, p) (X has shape (p, q)), float32 or float64.

    Returns:
        shape (p, q), the dtype of ``A``.
    """
    return np.array(A.T, copy=True)


@validate(
    A=Array(shape=("r", "p"), numpy=True),
    X=Array(shape=("p", "q"), numpy=True),
    B=Array(shape=("r", "q"), numpy=True),
)
def grad_frobenius_residual(A: Any, X: Any, B: Any) -> np.ndarray:
    r""":math:`\nabla_X\|AX - B\|_F^2 = 2A^\top(AX - B)`.

    Arguments:
        A: shape (r, p); X: shape (p, q); B: shape (r, q); one dtype, float32 or float64.

    Returns:
        shape (p, q), the dtype of the inputs.
    """
    return 2 * (A.T @ (A @ X - B))


@validate(A=_SQUARE, x=Array(shape=("n",), numpy=True))
def grad_quadratic_form(A: Any, x: Any) -> np.ndarray:
    r""":math:`\nabla_x\, x^\top Ax = (A + A^\top)x`.

    Arguments:
        A: shape (n, n); x: shape (n,); one dtype, float32 or float64.

    Returns:
        shape (n,), the dtype of the inputs.
    """
    return A @ x + A.T @ x


@validate(X=_SQUARE)
def grad_logdet(X: Any) -> np.ndarray:
    r""":math:`\nabla_X\log\det X = X^{-1}` for symmetric positive definite :math:`X` (the
    gradient on the space of symmetric matrices with the Frobenius inner product; it is symmetric).

    Computed from the Cholesky factor :math:`X = CC^\top` by triangular solves
    (``scipy.linalg.cho_solve``). Raises ``ValueError`` if ``X`` is not symmetric positive definite.

    Arguments:
        X: shape (n, n), float32 or float64, symmetric positive definite.

    Returns:
        shape (n, n), symmetric, the dtype of ``X``.
    """
    _check_symmetric("X", X)
    try:
        C = np.linalg.cholesky(X)
    except np.linalg.LinAlgError:
        fail("X", "be positive definite", "a matrix whose Cholesky factorisation fails")
    _warn_if_ill_conditioned("X", X)
    G = scipy.linalg.cho_solve((C, True), np.eye(X.shape[0], dtype=X.dtype))
    return ((G + G.T) / 2).astype(X.dtype)


@validate(X=_SQUARE, H=_SQUARE)
def inverse_derivative(X: Any, H: Any) -> np.ndarray:
    r""":math:`D(X\mapsto X^{-1})(X)[H] = -X^{-1}HX^{-1}`, by two solves with the LU factors of
    :math:`X` (no inverse formed).

    Arguments:
        X: shape (n, n), invertible; H: shape (n, n); one dtype, float32 or float64.

    Returns:
        shape (n, n), the dtype of the inputs.
    """
    _warn_if_ill_conditioned("X", X)
    try:
        Y = np.linalg.solve(X, H)  # X^{-1} H
        return -np.linalg.solve(X.T, Y.T).T  # -(X^{-1} H) X^{-1}
    except np.linalg.LinAlgError:
        fail("X", "be invertible", "a singular matrix")


@validate(X=_SQUARE)
def inverse_jacobian(X: Any) -> np.ndarray:
    r"""Jacobian matrix of :math:`X\mapsto X^{-1}`: :math:`-(X^{-\top}\otimes X^{-1})`.

    Arguments:
        X: shape (n, n), invertible, float32 or float64.

    Returns:
        shape (n², n²), the dtype of ``X``.
    """
    _warn_if_ill_conditioned("X", X)
    try:
        Xinv = np.linalg.solve(X, np.eye(X.shape[0], dtype=X.dtype))
    except np.linalg.LinAlgError:
        fail("X", "be invertible", "a singular matrix")
    return -np.kron(Xinv.T, Xinv)


@validate(sigma_prime=Function(), X=Array(ndim=2, numpy=True))
def entrywise_jacobian(sigma_prime: Callable[[np.ndarray], Any], X: Any) -> np.ndarray:
    r"""Jacobian matrix of :math:`X\mapsto\sigma(X)` (entrywise):
    :math:`\operatorname{diag}(\operatorname{vec}\sigma'(X))`.

    Arguments:
        sigma_prime: the derivative :math:`\sigma'`, applied entrywise to an array.
        X: shape (p, q), float32 or float64.

    Returns:
        shape (p q, p q), the dtype of ``X``.
    """
    d = np.asarray(sigma_prime(X))
    if d.shape != X.shape:
        fail("sigma_prime", f"return an array of the shape of X, {X.shape}", f"shape {d.shape}")
    return np.diag(d.astype(X.dtype).T.reshape(-1))
