r"""vec, unvec, the commutation matrix and the Jacobians of linear matrix maps.

Implements Definitions ``def-vec-kron`` and ``def-commutation-matrix`` and the Jacobians of
Proposition ``prop-linear-jacobians`` (book/preliminaries). ``vec`` stacks columns:
:math:`\operatorname{vec}(X)_{i + pj} = X_{ij}` (0-based) for :math:`X\in\mathbb R^{p\times q}`,
i.e. NumPy's ``reshape(order="F")``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._validation import ShapeError, check_array

__all__ = ["vec", "unvec", "commutation_matrix", "jacobian_AXB", "jacobian_XW", "jacobian_fd"]


def vec(X: Any) -> np.ndarray:
    r"""Column-stacking :math:`\operatorname{vec}(X)\in\mathbb R^{pq}`,
    :math:`\operatorname{vec}(X)_{i+pj} = X_{ij}`.

    Arguments:
        X: shape (p, q), float32 or float64.

    Returns:
        shape (p q,), the dtype of ``X`` (a new array).
    """
    X = check_array("X", X, ndim=2)
    return np.array(X.T, copy=True).reshape(-1)


def unvec(v: Any, p: int, q: int) -> np.ndarray:
    r"""The inverse of :func:`vec`: the :math:`p\times q` matrix :math:`X` with
    :math:`X_{ij} = v_{i + pj}`.

    Arguments:
        v: shape (p q,), float32 or float64.
        p, q: positive integers, the number of rows and columns.

    Returns:
        shape (p, q), the dtype of ``v``.
    """
    for name, k in (("p", p), ("q", q)):
        if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or k < 1:
            raise ValueError(f"argument {name!r} must be a positive integer, got {k!r}")
    v = check_array("v", v, shape=(int(p) * int(q),))
    return np.array(v.reshape(int(q), int(p)).T, copy=True)


def commutation_matrix(p: int, q: int, dtype: Any = np.float64) -> np.ndarray:
    r"""The commutation matrix :math:`K_{pq} = \sum_{i,j} E_{ij}\otimes E_{ij}^\top`, shape
    (p q, p q), the permutation matrix with :math:`K_{pq}\operatorname{vec}(A) =
    \operatorname{vec}(A^\top)` for every :math:`A\in\mathbb R^{p\times q}`
    (Definition ``def-commutation-matrix``): row :math:`j + qi` has its 1 in column :math:`i + pj`.
    """
    for name, k in (("p", p), ("q", q)):
        if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or k < 1:
            raise ValueError(f"argument {name!r} must be a positive integer, got {k!r}")
    if np.dtype(dtype) not in (np.float32, np.float64):
        raise TypeError(f"argument 'dtype' must be float32 or float64, got {np.dtype(dtype)}")
    p, q = int(p), int(q)
    i, j = np.meshgrid(np.arange(p), np.arange(q), indexing="ij")
    K = np.zeros((p * q, p * q), dtype=dtype)
    K[(j + q * i).ravel(), (i + p * j).ravel()] = 1
    return K


def jacobian_AXB(A: Any, B: Any) -> np.ndarray:
    r"""Jacobian matrix of :math:`X\mapsto AXB` with respect to vec: :math:`B^\top\otimes A`
    (Theorem ``thm-vec-kron``, Proposition ``prop-linear-jacobians``).

    Arguments:
        A: shape (r, p); B: shape (q, s); same dtype, float32 or float64 (X has shape (p, q)).

    Returns:
        shape (r s, p q), the dtype of ``A``.
    """
    A = check_array("A", A, ndim=2)
    B = check_array("B", B, ndim=2)
    if A.dtype != B.dtype:
        raise TypeError(
            f"arguments 'A' and 'B' must have the same dtype, got {A.dtype} and {B.dtype}"
        )
    return np.kron(B.T, A)


def jacobian_XW(W: Any, m: int) -> np.ndarray:
    r"""Jacobian matrix of :math:`X\mapsto XW` on :math:`\mathbb R^{m\times p}`:
    :math:`W^\top\otimes I_m` (Proposition ``prop-linear-jacobians``).

    Arguments:
        W: shape (p, n), float32 or float64; m: the number of rows of X (the batch size).

    Returns:
        shape (m n, m p), the dtype of ``W``.
    """
    W = check_array("W", W, ndim=2)
    if not isinstance(m, (int, np.integer)) or isinstance(m, bool) or m < 1:
        raise ValueError(f"argument 'm' must be a positive integer, got {m!r}")
    return np.kron(W.T, np.eye(int(m), dtype=W.dtype))


def jacobian_fd(f: Callable[[np.ndarray], Any], X: Any, h: float = 1e-6) -> np.ndarray:
    r"""The Jacobian matrix of a map :math:`f:\mathbb R^{p\times q}\to\mathbb R^{r\times s}` at
    ``X`` by central differences, in the vec convention of Definition ``def-jacobian-vec``:
    column :math:`k = i + pj` is :math:`\operatorname{vec}\bigl(f(X + hE_{ij}) -
    f(X - hE_{ij})\bigr)/(2h)`, error :math:`O(h^2)` for :math:`f\in C^3`.

    Arguments:
        f: maps an array of shape (p, q) to an array of shape (r, s) (a vector of shape (r,) is
            read as (r, 1), a scalar as (1, 1)).
        X: shape (p, q), float64.
        h: step, positive.

    Returns:
        shape (r s, p q), float64.
    """
    X = check_array("X", X, ndim=2)
    if not h > 0:
        raise ValueError(f"argument 'h' must be positive, got {h!r}")
    p, q = X.shape

    def F(Y: np.ndarray) -> np.ndarray:
        out = np.asarray(f(Y), dtype=np.float64)
        if out.ndim > 2:
            raise ShapeError(f"f must return at most 2 dimensions, got shape {out.shape}")
        return out.reshape(-1, 1).reshape(-1) if out.ndim < 2 else np.array(out.T).reshape(-1)

    cols = []
    for j in range(q):
        for i in range(p):
            E = np.zeros_like(X, dtype=np.float64)
            E[i, j] = h
            cols.append((F(X + E) - F(X - E)) / (2 * h))
    return np.stack(cols, axis=1)
