r"""Scaled dot-product attention, forward and backward side by side, as the book writes them.

Implements Definition `def-att-sdpa`, Lemma `lem-att-softmax-backward` and Theorem
`thm-att-sdpa-backward`. Arrays carry any number of leading batch axes (``...``: for example
``(batch,)`` or ``(batch, heads)``, at most two), then the sequence axis, then the feature axis:

* ``Q``: ``(..., n_q, d_k)`` queries, ``K``: ``(..., n_k, d_k)`` keys, ``V``: ``(..., n_k, d_v)``
  values;
* ``P``: ``(..., n_q, n_k)`` attention weights, ``O``: ``(..., n_q, d_v)`` output.

Masks: ``mask`` is either boolean (``True`` = the query may attend to the key, the convention of
``torch.nn.functional.scaled_dot_product_attention``) or additive (a float array $M$ with entries
in $\mathbb R\cup\{-\infty\}$ added to the scores), broadcastable to ``(..., n_q, n_k)``;
``causal=True`` additionally masks every key $j > i$ for query $i$. A row whose every entry is
masked gets the weights $0$ (so the output row is $0$ and no gradient flows through it), which is
what PyTorch's ``scaled_dot_product_attention`` returns.

Arrays come from any array-API library (NumPy, torch on CPU or CUDA, ...); results keep the
namespace, device and dtype of the inputs. The kernels :func:`_softmax_rows`, :func:`_sdpa` and
:func:`_sdpa_backward` are the plain code that the book shows; on NumPy arrays multi-head
attention runs the same equations in the faster kernels of :mod:`._sdpa_fast`, which the tests
compare with these.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from array_api_compat import device

from .._validation import Array, Boolean, Integer, fail, namespace, validate
from ._arrays import MASK, SEQUENCE_AXES, agree, check_mask_like, check_mask_shape, check_qkv

__all__ = [
    "softmax_rows",
    "softmax_rows_backward",
    "attention_scores",
    "sdpa_forward",
    "sdpa_backward",
    "causal_mask",
]


# --- the plain kernels (shown in the book) ---------------------------------------------------
def _softmax_rows(S):
    """Row-wise softmax of scores in R or -inf (Definition def-att-sdpa): each row shifted by its
    maximum; a fully masked row (every entry -inf) gives the zero row."""
    xp = namespace(S)  # NumPy, torch, ...
    c = xp.max(S, axis=-1, keepdims=True)  # row maxima, -inf on a fully masked row
    c = xp.where(c == -xp.inf, xp.zeros_like(c), c)
    E = xp.exp(S - c)  # e^(S_ij - c_i), exactly 0 where S_ij = -inf
    Z = xp.sum(E, axis=-1, keepdims=True)
    return E / xp.where(Z == 0, xp.ones_like(Z), Z)  # a fully masked row: 0 / 1 = 0


def _sdpa(Q, K, V, M):
    """O = softmax(Q K^T / sqrt(d_k) + M) V and the weights P (M: None or additive)."""
    xp = namespace(Q, K, V)
    S = Q @ xp.matrix_transpose(K) / math.sqrt(Q.shape[-1])
    if M is not None:
        S = S + M
    P = _softmax_rows(S)
    return P @ V, P


def _sdpa_backward(dO, Q, K, V, P):
    """Theorem thm-att-sdpa-backward: (dQ, dK, dV) from dO and the forward pass's weights P."""
    xp = namespace(dO, Q, K, V, P)
    dV = xp.matrix_transpose(P) @ dO
    dP = dO @ xp.matrix_transpose(V)
    dS = P * (dP - xp.sum(dP * P, axis=-1, keepdims=True))
    dQ = dS @ K / math.sqrt(Q.shape[-1])
    dK = xp.matrix_transpose(dS) @ Q / math.sqrt(Q.shape[-1])
    return dQ, dK, dV


def _additive_mask(mask: Any, causal: bool, n_q: int, n_k: int, like: Any) -> Any:
    """The additive mask $M$ of Definition `def-att-sdpa` (0 where attention is allowed, $-\\infty$
    elsewhere, or the given additive entries), combined with the causal mask, in the namespace,
    device and dtype of the array ``like``; ``None`` for no mask."""
    if not isinstance(like, np.ndarray):
        return _additive_mask_xp(mask, causal, n_q, n_k, like)
    dtype = like.dtype
    M = None
    if mask is not None:
        M = np.where(mask, 0.0, -np.inf) if mask.dtype == np.bool_ else mask
        M = M.astype(dtype, copy=False)
    if causal:
        C = np.where(causal_mask(n_q, n_k), 0.0, -np.inf).astype(dtype)
        M = C if M is None else M + C
    return M


def _additive_mask_xp(mask: Any, causal: bool, n_q: int, n_k: int, like: Any) -> Any:
    """:func:`_additive_mask` in the namespace, device and dtype of the array ``like``."""
    xp, dev = namespace(like), device(like)
    M = None
    if mask is not None:
        if mask.dtype == xp.bool:
            zero = xp.zeros(mask.shape, dtype=like.dtype, device=dev)
            M = xp.where(mask, zero, zero - xp.inf)
        else:
            M = xp.astype(mask, like.dtype)
    if causal:
        i = xp.arange(n_q, device=dev)[:, None]
        j = xp.arange(n_k, device=dev)[None, :]
        zero = xp.zeros((n_q, n_k), dtype=like.dtype, device=dev)
        C = xp.where(j <= i, zero, zero - xp.inf)
        M = C if M is None else M + C
    return M


# --- the public functions ---------------------------------------------------------------------
@validate(n_q=Integer(1), n_k=Integer(1))
def causal_mask(n_q: int, n_k: int) -> np.ndarray:
    r"""Boolean mask of shape ``(n_q, n_k)``: entry $(i, j)$ is ``True`` iff $j \le i$ (a NumPy
    array; the functions build it in the queries' namespace themselves when ``causal=True``)."""
    return np.tri(n_q, n_k, dtype=bool)


def _check_scores(name: str, S: np.ndarray) -> None:
    xp = namespace(S)
    if bool(xp.any(xp.isnan(S))) or bool(xp.any(S == xp.inf)):
        fail(name, "have entries in R or -inf", "NaN or +inf")


@validate(S=Array(ndim=(1, 2, 3, 4), finite=False))
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
    _check_scores("S", S)
    return _softmax_rows(S)


@validate(dP=Array(ndim=(1, 2, 3, 4)), P=Array(ndim=(1, 2, 3, 4)))
def softmax_rows_backward(dP: np.ndarray, P: np.ndarray) -> np.ndarray:
    r"""Row-wise softmax Jacobian applied to the upstream gradient (Lemma `lem-att-softmax-backward`).

    $dS = P \odot \bigl(dP - (dP\odot P)\mathbf 1\,\mathbf 1^\top\bigr)$, i.e. row $i$ is
    $J(s_i)\,dP_i$ with $J(s) = \operatorname{diag}(s) - ss^\top$ (Proposition
    `prop-softmax-jacobian`). ``dP`` and ``P`` have one shape ``(..., n_q, n_k)``; returns ``dS``
    of the same shape (a new array).
    """
    agree("dP", dP, "P", P, "the same shape", dP.shape == P.shape)
    return P * (dP - namespace(P).sum(dP * P, axis=-1, keepdims=True))


@validate(Q=SEQUENCE_AXES, K=SEQUENCE_AXES, mask=MASK, causal=Boolean())
def attention_scores(
    Q: np.ndarray, K: np.ndarray, *, mask: Any = None, causal: bool = False
) -> np.ndarray:
    r"""$S = QK^\top/\sqrt{d_k} + M$, shape ``(..., n_q, n_k)`` (Definition `def-att-sdpa`)."""
    agree("Q", Q, "K", K, "the same leading batch axes", Q.shape[:-2] == K.shape[:-2])
    agree("Q", Q, "K", K, "the same last axis d_k", Q.shape[-1] == K.shape[-1])
    scores = tuple(Q.shape[:-1]) + (K.shape[-2],)
    check_mask_shape(mask, scores)
    check_mask_like(mask, Q)
    S = Q @ namespace(Q, K).matrix_transpose(K) / math.sqrt(Q.shape[-1])
    M = _additive_mask(mask, causal, Q.shape[-2], K.shape[-2], S)
    return S if M is None else S + M


@validate(Q=SEQUENCE_AXES, K=SEQUENCE_AXES, V=SEQUENCE_AXES, mask=MASK, causal=Boolean())
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
    check_qkv(Q, K, V)
    check_mask_shape(mask, tuple(Q.shape[:-1]) + (K.shape[-2],))
    check_mask_like(mask, Q)
    M = _additive_mask(mask, causal, Q.shape[-2], K.shape[-2], Q)
    return _sdpa(Q, K, V, M)


@validate(dO=SEQUENCE_AXES, Q=SEQUENCE_AXES, K=SEQUENCE_AXES, V=SEQUENCE_AXES, P=SEQUENCE_AXES)
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
    check_qkv(Q, K, V)
    agree(
        "P", P, "Q", Q, "shapes (..., n_q, n_k) and (..., n_q, d_k)", P.shape[:-1] == Q.shape[:-1]
    )
    agree("P", P, "K", K, "shapes (..., n_q, n_k) and (..., n_k, d_k)", P.shape[-1] == K.shape[-2])
    agree(
        "dO",
        dO,
        "Q",
        Q,
        "shapes (..., n_q, d_v) and (..., n_q, d_k)",
        dO.shape[:-1] == Q.shape[:-1],
    )
    agree("dO", dO, "V", V, "the same last axis d_v", dO.shape[-1] == V.shape[-1])
    return _sdpa_backward(dO, Q, K, V, P)
