r"""Scaled dot-product attention's fast path (private; unvalidated): the kernels that multi-head
attention calls, with in-place softmax, row maxima folded pairwise, and outputs written into
caller-provided views.

The equations are those of the plain code in :mod:`deepqed.attention.sdpa` (Definition
`def-att-sdpa`, Theorem `thm-att-sdpa-backward`); the tests compare the two to rounding. What
differs is how the work is arranged:

* the row maxima of a short last axis are folded pairwise (``max(T[..., :w/2], T[..., w/2:])``
  repeated), which NumPy vectorises across rows, instead of ``np.max(axis=-1)``, which pays a
  per-row overhead on short rows;
* the softmax overwrites the scores (max, subtract, exp, sum, divide, in place), and its backward
  overwrites $\mathrm dP$;
* the factor $1/\sqrt{d_k}$ is applied to the $(n, d)$ arrays $Q$, $\mathrm dQ$, $\mathrm dK$, not
  to the $(n_q, n_k)$ scores;
* ``out=`` arguments let multi-head attention write the heads' outputs and gradients directly into
  its concatenated arrays.
"""

from __future__ import annotations

import math

import numpy as np

from .sdpa import _additive_mask

__all__ = ["forward", "backward", "softmax_rows_", "row_max"]

_FOLD_MAX_WIDTH = 64


def row_max(S: np.ndarray) -> np.ndarray:
    """``np.max(S, axis=-1, keepdims=True)``; for short rows by pairwise folding."""
    if S.shape[-1] > _FOLD_MAX_WIDTH:
        return np.max(S, axis=-1, keepdims=True)
    T = S
    while T.shape[-1] > 1:
        w = T.shape[-1]
        m = w // 2
        U = np.maximum(T[..., :m], T[..., m : 2 * m])
        if w % 2:
            np.maximum(U[..., :1], T[..., 2 * m :], out=U[..., :1])
        T = U
    return T


def softmax_rows_(S: np.ndarray) -> np.ndarray:
    """The masked row-wise softmax of :func:`deepqed.attention.softmax_rows`, overwriting ``S``."""
    c = row_max(S)
    full = not np.all(np.isfinite(c))
    if full:
        c = np.where(np.isfinite(c), c, 0)  # a fully masked row: exp(-inf) = 0 below
    S -= c
    np.exp(S, out=S)
    Z = np.sum(S, axis=-1, keepdims=True)
    if full:
        Z[Z == 0] = 1  # 0 / 1 = 0: the zero row
    S /= Z
    return S


def _softmax_rows_backward_(dP: np.ndarray, P: np.ndarray) -> np.ndarray:
    """The row-wise softmax backward, overwriting ``dP`` with ``dS``."""
    r = np.einsum("...ij,...ij->...i", dP, P)  # r_i = sum_k dP_ik P_ik, no temporary
    dP -= r[..., None]
    dP *= P
    return dP


def forward(
    Q: np.ndarray,
    K: np.ndarray,
    V: np.ndarray,
    mask: np.ndarray | None,
    causal: bool,
    out: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``(O, P)``; ``out`` (any strides) receives O."""
    scale = Q.dtype.type(1 / math.sqrt(Q.shape[-1]))
    S = np.matmul(Q * scale, np.swapaxes(K, -1, -2))  # the factor on (n, d_k), not (n, n_k)
    M = _additive_mask(mask, causal, Q.shape[-2], K.shape[-2], S)
    if M is not None:
        S += M
    P = softmax_rows_(S)
    return np.matmul(P, V, out=out), P


def backward(
    dO: np.ndarray,
    Q: np.ndarray,
    K: np.ndarray,
    V: np.ndarray,
    P: np.ndarray,
    out: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(dQ, dK, dV)``; ``out = (dQ, dK, dV)`` (any strides) receives them."""
    dQ, dK, dV = (None, None, None) if out is None else out
    scale = Q.dtype.type(1 / math.sqrt(Q.shape[-1]))
    dV = np.matmul(np.swapaxes(P, -1, -2), dO, out=dV)
    dS = _softmax_rows_backward_(np.matmul(dO, np.swapaxes(V, -1, -2)), P)
    dQ = np.matmul(dS, K, out=dQ)
    dQ *= scale  # the factor 1/sqrt(d_k) on (n, d) arrays
    dK = np.matmul(np.swapaxes(dS, -1, -2), Q, out=dK)
    dK *= scale
    return dQ, dK, dV
