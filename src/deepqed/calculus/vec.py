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

from .. import gradcheck
from .._validation import Array, Function, Integer, Options, Real, ShapeError, fail, validate

__all__ = ["vec", "unvec", "commutation_matrix", "jacobian_AXB", "jacobian_XW", "jacobian_fd"]

#: The float dtypes that may be asked for: a NumPy scalar type, a ``numpy.dtype`` or a name.
DTYPES = Options(
    np.float32, np.float64, np.dtype("float32"), np.dtype("float64"), "float32", "float64"
)


@validate(X=Array(shape=("p", "q"), numpy=True))
def vec(X: Any) -> np.ndarray:
    r"""Column-stacking :math:`\operatorname{vec}(X)\in\mathbb R^{pq}`,
    :math:`\operatorname{vec}(X)_{i+pj} = X_{ij}`.

    Arguments:
        X: shape (p, q), float32 or float64.

    Returns:
        shape (p q,), the dtype of ``X`` (a new array).
    """
    return np.array(X.T, copy=True).reshape(-1)


@validate(v=Array(ndim=1, numpy=True), p=Integer(1), q=Integer(1))
def unvec(v: Any, p: int, q: int) -> np.ndarray:
    r"""The inverse of :func:`vec`: the :math:`p\times q` matrix :math:`X` with
    :math:`X_{ij} = v_{i + pj}`.

    Arguments:
        v: shape (p q,), float32 or float64.
        p, q: positive integers, the number of rows and columns.

    Returns:
        shape (p, q), the dtype of ``v``.
    """
    if v.shape[0] != p * q:
        fail("v", f"have shape (p q,) = ({p * q},) for p = {p}, q = {q}", f"shape {v.shape}")
    return np.array(v.reshape(q, p).T, copy=True)


@validate(p=Integer(1), q=Integer(1), dtype=DTYPES)
def commutation_matrix(p: int, q: int, dtype: Any = np.float64) -> np.ndarray:
    r"""The commutation matrix :math:`K_{pq} = \sum_{i,j} E_{ij}\otimes E_{ij}^\top`, shape
    (p q, p q), the permutation matrix with :math:`K_{pq}\operatorname{vec}(A) =
    \operatorname{vec}(A^\top)` for every :math:`A\in\mathbb R^{p\times q}`
    (Definition ``def-commutation-matrix``): row :math:`j + qi` has its 1 in column :math:`i + pj`.

    Arguments:
        p, q: positive integers.
        dtype: ``numpy.float32`` or ``numpy.float64`` (or their names).
    """
    i, j = np.meshgrid(np.arange(p), np.arange(q), indexing="ij")
    K = np.zeros((p * q, p * q), dtype=np.dtype(dtype))
    K[(j + q * i).ravel(), (i + p * j).ravel()] = 1
    return K


@validate(A=Array(ndim=2, numpy=True), B=Array(ndim=2, numpy=True))
def jacobian_AXB(A: Any, B: Any) -> np.ndarray:
    r"""Jacobian matrix of :math:`X\mapsto AXB` with respect to vec: :math:`B^\top\otimes A`
    (Theorem ``thm-vec-kron``, Proposition ``prop-linear-jacobians``).

    Arguments:
        A: shape (r, p); B: shape (q, s); same dtype, float32 or float64 (X has shape (p, q)).

    Returns:
        shape (r s, p q), the dtype of ``A``.
    """
    return np.kron(B.T, A)


@validate(W=Array(ndim=2, numpy=True), m=Integer(1))
def jacobian_XW(W: Any, m: int) -> np.ndarray:
    r"""Jacobian matrix of :math:`X\mapsto XW` on :math:`\mathbb R^{m\times p}`:
    :math:`W^\top\otimes I_m` (Proposition ``prop-linear-jacobians``).

    Arguments:
        W: shape (p, n), float32 or float64; m: the number of rows of X (the batch size).

    Returns:
        shape (m n, m p), the dtype of ``W``.
    """
    return np.kron(W.T, np.eye(m, dtype=W.dtype))


@validate(f=Function(), X=Array(ndim=2, numpy=True), h=Real(0, None, closed="neither"))
def jacobian_fd(f: Callable[[np.ndarray], Any], X: Any, h: float = 1e-6) -> np.ndarray:
    r"""The Jacobian matrix of a map :math:`f:\mathbb R^{p\times q}\to\mathbb R^{r\times s}` at
    ``X`` by central differences, in the vec convention of Definition ``def-jacobian-vec``:
    column :math:`k = i + pj` is :math:`\operatorname{vec} D_hf(X)[E_{ij}] =
    \operatorname{vec}\bigl(f(X + hE_{ij}) - f(X - hE_{ij})\bigr)/(2h)`
    (``gradcheck.central_difference``), error :math:`O(h^2)` for :math:`f\in C^3`.

    Arguments:
        f: maps an array of shape (p, q) to an array of shape (r, s) (a vector of shape (r,) is
            read as (r, 1), a scalar as (1, 1)).
        X: shape (p, q), float32 or float64 (the differences are taken in float64).
        h: step, positive.

    Returns:
        shape (r s, p q), float64.
    """
    X = X.astype(np.float64)
    p, q = X.shape

    def F(Y: np.ndarray) -> np.ndarray:
        out = np.asarray(f(Y), dtype=np.float64)
        if out.ndim > 2:
            raise ShapeError(
                f"argument 'f' must return at most 2 dimensions, got shape {out.shape}"
            )
        return out.reshape(-1) if out.ndim < 2 else np.array(out.T).reshape(-1)

    cols = []
    for j in range(q):
        for i in range(p):
            E = np.zeros_like(X)
            E[i, j] = 1.0
            cols.append(gradcheck.central_difference(F, X, E, h))
    return np.stack(cols, axis=1)
