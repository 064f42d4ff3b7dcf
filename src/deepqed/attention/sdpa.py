r"""Scaled dot-product attention, forward and backward side by side.

Implements Definition `def-att-sdpa`, Lemma `lem-att-softmax-backward` and Theorem
`thm-att-sdpa-backward`. Arrays carry any number of leading batch axes (``...``: for example
``(batch,)`` or ``(batch, heads)``), then the sequence axis, then the feature axis:

* ``Q``: ``(..., n_q, d_k)`` queries, ``K``: ``(..., n_k, d_k)`` keys, ``V``: ``(..., n_k, d_v)``
  values;
* ``P``: ``(..., n_q, n_k)`` attention weights, ``O``: ``(..., n_q, d_v)`` output.

Masks: ``mask`` is either boolean (``True`` = the query may attend to the key, the convention of
``torch.nn.functional.scaled_dot_product_attention``) or additive (a float array $M$ with entries
in $\mathbb R\cup\{-\infty\}$ added to the scores), broadcastable to ``(..., n_q, n_k)``;
``causal=True`` additionally masks every key $j > i$ for query $i$. A row whose every entry is
masked gets the weights $0$ (so the output row is $0$ and no gradient flows through it), which is
what PyTorch's ``scaled_dot_product_attention`` returns.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._arrays import ShapeError, as_float_array, check_dtype_match

__all__ = [
    "softmax_rows",
    "softmax_rows_backward",
    "attention_scores",
    "sdpa_forward",
    "sdpa_backward",
    "causal_mask",
]


def causal_mask(n_q: int, n_k: int) -> np.ndarray:
    r"""Boolean mask of shape ``(n_q, n_k)``: entry $(i, j)$ is ``True`` iff $j \le i$."""
    return np.tri(n_q, n_k, dtype=bool)


def softmax_rows(S: np.ndarray) -> np.ndarray:
    r"""Row-wise softmax on the last axis, stable, with $-\infty$ entries allowed.

    $P_{ij} = e^{S_{ij} - c_i} / \sum_l e^{S_{il} - c_i}$ with $c_i = \max_l S_{il}$
    (Definition `def-softmax` and Proposition `prop-stable-logsumexp` of the feedforward chapter);
    a row with every entry $-\infty$ gives the zero row (Definition `def-att-sdpa`).

    Arguments:
        S: shape ``(..., n_q, n_k)``; finite or $-\infty$ entries (not NaN, not $+\infty$).

    Returns:
        P, shape ``(..., n_q, n_k)``, dtype of ``S`` (a new array; ``S`` is not modified); each
        row a probability vector or zero.
    """
    return _softmax_rows_inplace(np.array(S, copy=True))


def _row_max(S: np.ndarray) -> np.ndarray:
    """``np.max(S, axis=-1, keepdims=True)``; for short rows by pairwise folding, which NumPy
    vectorises across rows (its reduction along a short last axis pays a per-row overhead)."""
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


_FOLD_MAX_WIDTH = 64


def _softmax_rows_inplace(S: np.ndarray) -> np.ndarray:
    """:func:`softmax_rows`, overwriting ``S`` (one pass each: max, subtract, exp, sum, divide)."""
    c = _row_max(S)
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


def softmax_rows_backward(dP: np.ndarray, P: np.ndarray) -> np.ndarray:
    r"""Row-wise softmax Jacobian applied to the upstream gradient (Lemma `lem-att-softmax-backward`).

    $dS = P \odot \bigl(dP - (dP\odot P)\mathbf 1\,\mathbf 1^\top\bigr)$, i.e. row $i$ is
    $J(s_i)\,dP_i$ with $J(s) = \operatorname{diag}(s) - ss^\top$ (Proposition
    `prop-softmax-jacobian`). ``dP`` and ``P`` have shape ``(..., n_q, n_k)``; returns ``dS`` of
    the same shape (a new array).
    """
    return _softmax_rows_backward_inplace(np.array(dP, copy=True), P)


def _softmax_rows_backward_inplace(dP: np.ndarray, P: np.ndarray) -> np.ndarray:
    """:func:`softmax_rows_backward`, overwriting ``dP`` with ``dS``."""
    r = np.einsum("...ij,...ij->...i", dP, P)  # r_i = sum_k dP_ik P_ik, no temporary
    dP -= r[..., None]
    dP *= P
    return dP


def _validate_qkv(Q: Any, K: Any, V: Any) -> tuple[int, int]:
    as_float_array("Q", Q, ndim=(2, 3, 4), nonempty=True)
    as_float_array("K", K, ndim=Q.ndim, nonempty=True)
    as_float_array("V", V, ndim=Q.ndim, nonempty=True)
    check_dtype_match(Q=Q, K=K, V=V)
    lead = Q.shape[:-2]
    if K.shape[:-2] != lead or V.shape[:-2] != lead:
        raise ShapeError(
            f"arguments 'Q', 'K', 'V' must share their batch axes, got shapes "
            f"{Q.shape}, {K.shape}, {V.shape}"
        )
    if K.shape[-1] != Q.shape[-1]:
        raise ShapeError(
            f"argument 'K' must have shape (..., n_k, d_k) with d_k = {Q.shape[-1]} "
            f"(the last axis of 'Q'), got shape {K.shape}"
        )
    if V.shape[-2] != K.shape[-2]:
        raise ShapeError(
            f"argument 'V' must have shape (..., n_k, d_v) with n_k = {K.shape[-2]} "
            f"(the sequence axis of 'K'), got shape {V.shape}"
        )
    return Q.shape[-2], K.shape[-2]


def _apply_mask(S: np.ndarray, mask: Any, causal: bool, n_q: int, n_k: int) -> np.ndarray:
    """Add the additive mask, or set the scores that a boolean mask excludes to -inf (in place)."""
    if mask is not None:
        if not isinstance(mask, np.ndarray):
            raise TypeError(f"argument 'mask' must be a numpy.ndarray, got {type(mask).__name__}")
        try:
            ok = np.broadcast_shapes(mask.shape, S.shape) == S.shape
        except ValueError:
            ok = False
        if not ok:
            raise ShapeError(
                f"argument 'mask' must broadcast to shape {S.shape} (..., n_q, n_k), "
                f"got shape {mask.shape}"
            )
        if mask.dtype == np.bool_:
            np.copyto(S, -np.inf, where=~mask)
        else:
            as_float_array("mask", mask, allow_nonfinite=True)
            if np.any(np.isnan(mask)) or np.any(mask == np.inf):
                raise ValueError(
                    "argument 'mask' (additive) must have entries in R or -inf, got NaN or +inf"
                )
            S += mask.astype(S.dtype, copy=False)
    if causal:
        np.copyto(S, -np.inf, where=~causal_mask(n_q, n_k))
    return S


def attention_scores(
    Q: np.ndarray, K: np.ndarray, *, mask: Any = None, causal: bool = False
) -> np.ndarray:
    r"""$S = QK^\top/\sqrt{d_k} + M$, shape ``(..., n_q, n_k)`` (Definition `def-att-sdpa`)."""
    _validate_qkv(Q, K, K[..., :1])
    S = np.matmul(Q * Q.dtype.type(1 / math.sqrt(Q.shape[-1])), np.swapaxes(K, -1, -2))
    return _apply_mask(S, mask, causal, Q.shape[-2], K.shape[-2])


def sdpa_forward(
    Q: Any, K: Any, V: Any, *, mask: Any = None, causal: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    r"""Scaled dot-product attention $O = \operatorname{softmax}(QK^\top/\sqrt{d_k} + M)\,V$.

    Implements Definition `def-att-sdpa`; softmax is taken row by row (last axis), stably.

    Arguments:
        Q: ``(..., n_q, d_k)``; K: ``(..., n_k, d_k)``; V: ``(..., n_k, d_v)``; same dtype
            (float32 or float64), at most two leading batch axes.
        mask: ``None``, boolean (``True`` = attend) or additive (entries in R or -inf),
            broadcastable to ``(..., n_q, n_k)``.
        causal: also mask the keys $j > i$ for query $i$.

    Returns:
        ``(O, P)``: output ``(..., n_q, d_v)`` and attention weights ``(..., n_q, n_k)`` (kept for
        :func:`sdpa_backward`).
    """
    _validate_qkv(Q, K, V)
    return _forward(Q, K, V, mask, causal)


def _forward(
    Q: np.ndarray,
    K: np.ndarray,
    V: np.ndarray,
    mask: Any,
    causal: bool,
    out: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`sdpa_forward` without validation; ``out`` (any strides) receives O."""
    scale = Q.dtype.type(1 / math.sqrt(Q.shape[-1]))
    S = np.matmul(Q * scale, np.swapaxes(K, -1, -2))  # the factor on (n, d_k), not (n, n_k)
    if mask is not None or causal:
        S = _apply_mask(S, mask, causal, Q.shape[-2], K.shape[-2])
    P = _softmax_rows_inplace(S)
    return np.matmul(P, V, out=out), P


def sdpa_backward(
    dO: Any, Q: np.ndarray, K: np.ndarray, V: np.ndarray, P: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Gradients of $\mathcal L(O)$ with respect to $Q, K, V$ (Theorem `thm-att-sdpa-backward`).

    With $dO = \nabla_O\mathcal L$ and the weights $P$ of the forward pass:

    $$dV = P^\top dO,\quad dP = dO\,V^\top,\quad dS = P\odot(dP - \operatorname{rowsum}(dP\odot P)),
    \quad dQ = dS\,K/\sqrt{d_k},\quad dK = dS^\top Q/\sqrt{d_k}.$$

    Arguments:
        dO: ``(..., n_q, d_v)``; Q, K, V, P: as passed to and returned by :func:`sdpa_forward`.

    Returns:
        ``(dQ, dK, dV)`` with the shapes of ``Q``, ``K``, ``V``.
    """
    as_float_array("dO", dO, shape=Q.shape[:-1] + (V.shape[-1],))
    check_dtype_match(Q=Q, dO=dO)
    return _backward(dO, Q, K, V, P)


def _backward(
    dO: np.ndarray,
    Q: np.ndarray,
    K: np.ndarray,
    V: np.ndarray,
    P: np.ndarray,
    out: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`sdpa_backward` without validation; ``out = (dQ, dK, dV)`` (any strides)."""
    dQ, dK, dV = (None, None, None) if out is None else out
    scale = Q.dtype.type(1 / math.sqrt(Q.shape[-1]))
    dV = np.matmul(np.swapaxes(P, -1, -2), dO, out=dV)
    dS = _softmax_rows_backward_inplace(np.matmul(dO, np.swapaxes(V, -1, -2)), P)
    dQ = np.matmul(dS, K, out=dQ)
    dQ *= scale  # the factor 1/sqrt(d_k) on (n, d) arrays
    dK = np.matmul(np.swapaxes(dS, -1, -2), Q, out=dK)
    dK *= scale
    return dQ, dK, dV
