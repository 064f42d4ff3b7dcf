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

from .._validation import IllConditionedWarning, ShapeError, check_array

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


def _same_dtype(**arrays: Any) -> None:
    dtypes = {name: a.dtype for name, a in arrays.items()}
    if len(set(dtypes.values())) > 1:
        raise TypeError(
            "arguments must share one dtype, got "
            + ", ".join(f"{k}: {v}" for k, v in dtypes.items())
        )


def _square(name: str, X: Any) -> np.ndarray:
    X = check_array(name, X, ndim=2, nonempty=True)
    if X.shape[0] != X.shape[1]:
        raise ShapeError(f"argument {name!r} must be square (n, n), got shape {X.shape}")
    return X


def _warn_if_ill_conditioned(name: str, X: np.ndarray) -> None:
    c = np.linalg.cond(X.astype(np.float64))
    if not c < ILL_CONDITIONED:
        warnings.warn(
            f"argument {name!r} is ill-conditioned (condition number {c:.3g}); the "
            "result may have lost most of its digits",
            IllConditionedWarning,
            stacklevel=3,
        )


def grad_trace_AX(A: Any) -> np.ndarray:
    r""":math:`\nabla_X\operatorname{tr}(AX) = A^\top`.

    Arguments:
        A: shape (q, p) (X has shape (p, q)), float32 or float64.

    Returns:
        shape (p, q), the dtype of ``A``.
    """
    A = check_array("A", A, ndim=2)
    return np.array(A.T, copy=True)


def grad_frobenius_residual(A: Any, X: Any, B: Any) -> np.ndarray:
    r""":math:`\nabla_X\|AX - B\|_F^2 = 2A^\top(AX - B)`.

    Arguments:
        A: shape (r, p); X: shape (p, q); B: shape (r, q); one dtype, float32 or float64.

    Returns:
        shape (p, q), the dtype of the inputs.
    """
    A = check_array("A", A, ndim=2)
    X = check_array("X", X, shape=(A.shape[1], None))
    B = check_array("B", B, shape=(A.shape[0], X.shape[1]))
    _same_dtype(A=A, X=X, B=B)
    return 2 * (A.T @ (A @ X - B))


def grad_quadratic_form(A: Any, x: Any) -> np.ndarray:
    r""":math:`\nabla_x\, x^\top Ax = (A + A^\top)x`.

    Arguments:
        A: shape (n, n); x: shape (n,); one dtype, float32 or float64.

    Returns:
        shape (n,), the dtype of the inputs.
    """
    A = _square("A", A)
    x = check_array("x", x, shape=(A.shape[0],))
    _same_dtype(A=A, x=x)
    return A @ x + A.T @ x


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
    X = _square("X", X)
    tol = 100 * np.finfo(X.dtype).eps * max(1.0, float(np.max(np.abs(X))))
    if np.max(np.abs(X - X.T)) > tol:
        raise ValueError("argument 'X' must be symmetric")
    try:
        C = np.linalg.cholesky(X)
    except np.linalg.LinAlgError:
        raise ValueError("argument 'X' must be positive definite (Cholesky failed)") from None
    _warn_if_ill_conditioned("X", X)
    G = scipy.linalg.cho_solve((C, True), np.eye(X.shape[0], dtype=X.dtype))
    return ((G + G.T) / 2).astype(X.dtype)


def inverse_derivative(X: Any, H: Any) -> np.ndarray:
    r""":math:`D(X\mapsto X^{-1})(X)[H] = -X^{-1}HX^{-1}`, by two solves with the LU factors of
    :math:`X` (no inverse formed).

    Arguments:
        X: shape (n, n), invertible; H: shape (n, n); one dtype, float32 or float64.

    Returns:
        shape (n, n), the dtype of the inputs.
    """
    X = _square("X", X)
    H = check_array("H", H, shape=X.shape)
    _same_dtype(X=X, H=H)
    _warn_if_ill_conditioned("X", X)
    Y = np.linalg.solve(X, H)  # X^{-1} H
    return -np.linalg.solve(X.T, Y.T).T  # -(X^{-1} H) X^{-1}


def inverse_jacobian(X: Any) -> np.ndarray:
    r"""Jacobian matrix of :math:`X\mapsto X^{-1}`: :math:`-(X^{-\top}\otimes X^{-1})`.

    Arguments:
        X: shape (n, n), invertible, float32 or float64.

    Returns:
        shape (n², n²), the dtype of ``X``.
    """
    X = _square("X", X)
    _warn_if_ill_conditioned("X", X)
    Xinv = np.linalg.solve(X, np.eye(X.shape[0], dtype=X.dtype))
    return -np.kron(Xinv.T, Xinv)


def entrywise_jacobian(sigma_prime: Callable[[np.ndarray], Any], X: Any) -> np.ndarray:
    r"""Jacobian matrix of :math:`X\mapsto\sigma(X)` (entrywise):
    :math:`\operatorname{diag}(\operatorname{vec}\sigma'(X))`.

    Arguments:
        sigma_prime: the derivative :math:`\sigma'`, applied entrywise to an array.
        X: shape (p, q), float32 or float64.

    Returns:
        shape (p q, p q), the dtype of ``X``.
    """
    X = check_array("X", X, ndim=2)
    d = np.asarray(sigma_prime(X), dtype=X.dtype)
    if d.shape != X.shape:
        raise ShapeError(f"sigma_prime(X) must have the shape of X {X.shape}, got {d.shape}")
    return np.diag(d.T.reshape(-1))
