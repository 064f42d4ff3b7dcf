r"""Multi-head attention in PyTorch's ``nn.MultiheadAttention`` parametrisation, forward/backward.

Implements Definition `def-att-mha` and Proposition `prop-att-mha-backward`. Shapes (batch first):
``X_q``: ``(B, n_q, d)`` queries' inputs, ``X_kv``: ``(B, n_k, d)`` keys'/values' inputs
(``X_kv = X_q`` for self-attention), ``d`` = d_model, ``h`` heads of width ``d_h = d / h``.

Parameters (:class:`MHAParameters`): ``W_in`` of shape ``(3d, d)`` is the stack
$[W_Q; W_K; W_V]$ and ``b_in`` of shape ``(3d,)`` the stack $[b_Q; b_K; b_V]$, exactly torch's
``in_proj_weight`` and ``in_proj_bias``; ``W_O`` ``(d, d)`` and ``b_O`` ``(d,)`` are
``out_proj.weight`` and ``out_proj.bias``. Head $r$ uses rows $r d_h, \dots, (r+1)d_h - 1$ of
$W_Q, W_K, W_V$.

Mask convention: as in :mod:`.sdpa`, a boolean ``mask`` is ``True`` where attention is
*allowed* (torch's ``nn.MultiheadAttention`` uses the opposite convention for boolean
``attn_mask``: pass ``~mask`` there).

Arrays come from any array-API library (NumPy, torch on CPU or CUDA, ...); results keep the
namespace, device and dtype of the inputs. NumPy arrays run the heads through the kernels of
:mod:`._sdpa_fast`, which write into the concatenated arrays; other libraries run the plain
kernels of :mod:`.sdpa` and concatenate the heads by a transpose and a reshape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import (
    Array,
    Boolean,
    DType,
    Generator,
    Instance,
    Integer,
    Optional,
    Real,
    ShapeError,
    check,
    check_against,
    fail,
    namespace,
    received,
    validate,
)
from . import _sdpa_fast
from ._arrays import MASK, check_mask_like
from .sdpa import _additive_mask, _sdpa, _sdpa_backward

__all__ = [
    "MHAParameters",
    "MHACache",
    "init_mha",
    "mha_forward",
    "mha_backward",
    "mha_num_parameters",
]


@dataclass(frozen=True)
class MHAParameters:
    """$\\theta = (W_{in}, b_{in}, W_O, b_O)$ and the number of heads ``h``."""

    W_in: np.ndarray  # (3d, d) = [W_Q; W_K; W_V]
    b_in: np.ndarray  # (3d,)   = [b_Q; b_K; b_V]
    W_O: np.ndarray  # (d, d)
    b_O: np.ndarray  # (d,)
    heads: int

    __deepqed_constraints__ = {
        "W_in": Array(shape=("3d", "d")),
        "b_in": Array(shape=("3d",)),
        "W_O": Array(shape=("d", "d")),
        "b_O": Array(shape=("d",)),
        "heads": Integer(1),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))
        d = self.W_O.shape[0]
        if self.W_in.shape[0] != 3 * d:
            fail("W_in", f"have 3d = {3 * d} rows (d = {d} from 'W_O')", received(self.W_in))
        _check_heads(d, self.heads)

    @property
    def d_model(self) -> int:
        return self.W_O.shape[0]

    @property
    def W_Q(self) -> np.ndarray:
        return self.W_in[: self.d_model, :]

    @property
    def W_K(self) -> np.ndarray:
        return self.W_in[self.d_model : 2 * self.d_model, :]

    @property
    def W_V(self) -> np.ndarray:
        return self.W_in[2 * self.d_model :, :]

    def arrays(self) -> tuple[np.ndarray, ...]:
        return (self.W_in, self.b_in, self.W_O, self.b_O)

    def map(self, f: Any) -> MHAParameters:
        """Apply ``f`` to every array (for example to convert to another namespace)."""
        return MHAParameters(*(f(a) for a in self.arrays()), self.heads)


def _check_heads(d: int, heads: int) -> None:
    if d % heads:
        fail("heads", f"divide d_model = {d}", received(heads))


@validate(d=Integer(1), heads=Integer(1))
def mha_num_parameters(d: int, heads: int) -> int:
    r"""$4d^2 + 4d$ (Proposition `prop-att-mha-cost`); independent of the number of heads, which
    must divide $d$."""
    _check_heads(d, heads)
    return 4 * d * d + 4 * d


@validate(
    d=Integer(1),
    heads=Integer(1),
    rng=Generator(),
    dtype=DType(),
    bias_scale=Real(0, None),
)
def init_mha(
    d: int,
    heads: int,
    *,
    rng: np.random.Generator,
    dtype: Any = np.float64,
    bias_scale: float = 0.1,
) -> MHAParameters:
    r"""Weights with entries $\mathcal N(0, 1/d)$, biases $\mathcal N(0, \text{bias\_scale}^2)$;
    ``heads`` must divide ``d``. Returns NumPy arrays; convert with :meth:`MHAParameters.map`."""
    _check_heads(d, heads)

    def draw(*shape: int, scale: float) -> np.ndarray:
        return (scale * rng.standard_normal(shape)).astype(dtype)

    return MHAParameters(
        draw(3 * d, d, scale=d**-0.5),
        draw(3 * d, scale=bias_scale),
        draw(d, d, scale=d**-0.5),
        draw(d, scale=bias_scale),
        heads,
    )


@dataclass(frozen=True)
class MHACache:
    """What the backward pass needs: inputs, per-head Q, K, V ``(B, h, n, d_h)``, weights P
    ``(B, h, n_q, n_k)`` and the concatenated heads C ``(B, n_q, d)``."""

    X_q: np.ndarray
    X_kv: np.ndarray | None  # None for self-attention (X_kv = X_q)
    Q: np.ndarray
    K: np.ndarray
    V: np.ndarray
    P: np.ndarray
    C: np.ndarray

    __deepqed_constraints__ = {
        "X_q": Array(shape=("B", "n_q", "d"), finite=False),
        "X_kv": Optional(Array(shape=("B", "n_k", "d"), finite=False)),
        "Q": Array(shape=("B", "h", "n_q", "d_h"), finite=False),
        "K": Array(shape=("B", "h", "n_k", "d_h"), finite=False),
        "V": Array(shape=("B", "h", "n_k", "d_h"), finite=False),
        "P": Array(shape=("B", "h", "n_q", "n_k"), finite=False),
        "C": Array(shape=("B", "n_q", "d"), finite=False),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))


def _split(T: np.ndarray, h: int) -> np.ndarray:
    """(B, n, d) -> (B, h, n, d_h), a view."""
    B, n, d = T.shape
    return T.reshape(B, n, h, d // h).transpose(0, 2, 1, 3)


@validate(
    theta=Instance(MHAParameters),
    X_q=Array(shape=("B", "n_q", "d")),
    X_kv=Optional(Array(shape=("B", "n_k", "d"))),
    mask=MASK,
    causal=Boolean(),
)
def mha_forward(
    theta: MHAParameters, X_q: Any, X_kv: Any = None, *, mask: Any = None, causal: bool = False
) -> tuple[np.ndarray, MHACache]:
    r"""$\operatorname{MHA}(X_q, X_{kv}) = \operatorname{concat}_r(O_r)\,W_O^\top + \mathbf 1 b_O^\top$
    with $O_r = \operatorname{Attn}(X_qW_{Q,r}^\top + \mathbf 1 b_{Q,r}^\top, \dots)$
    (Definition `def-att-mha`).

    Arguments:
        theta: the parameters. X_q: ``(B, n_q, d)``. X_kv: ``(B, n_k, d)`` or ``None``
            (self-attention). mask, causal: as in :func:`.sdpa.sdpa_forward`; ``mask`` of shape
            ``(n_q, n_k)`` (the same for every sample and head), ``(B, n_q, n_k)`` (one per
            sample, the same for every head) or ``(B or 1, h or 1, n_q, n_k)``.

    Returns:
        ``(Y, cache)``, ``Y`` of shape ``(B, n_q, d)``.
    """
    check_against(theta, "theta", X_q=(("B", "n_q", "d"), X_q), X_kv=(("B", "n_k", "d"), X_kv))
    check_mask_like(mask, X_q)
    if not isinstance(X_q, np.ndarray):
        return _forward_xp(theta, X_q, X_kv, mask, causal)
    d, h = theta.d_model, theta.heads
    B, n_q, _ = X_q.shape
    if X_kv is None:
        QKV = X_q.reshape(B * n_q, d) @ theta.W_in.T  # one product for Q, K, V
        QKV += theta.b_in
        QKV = QKV.reshape(B, n_q, 3, h, d // h).transpose(2, 0, 3, 1, 4)  # (3, B, h, n, d_h)
        Q, K, V = QKV[0], QKV[1], QKV[2]
    else:
        Q = _split(X_q @ theta.W_Q.T + theta.b_in[:d], h)
        KV = X_kv.reshape(-1, d) @ theta.W_in[d:].T
        KV += theta.b_in[d:]
        KV = KV.reshape(B, X_kv.shape[1], 2, h, d // h).transpose(2, 0, 3, 1, 4)
        K, V = KV[0], KV[1]
    mask = _check_mask(mask, B, h, n_q, K.shape[-2])
    C = np.empty((B, n_q, d), dtype=X_q.dtype)  # the heads, concatenated:
    heads = C.reshape(B, n_q, h, d // h).transpose(0, 2, 1, 3)  # O_r is written into C E_r
    _, P = _sdpa_fast.forward(Q, K, V, mask, causal, out=heads)
    Y = C.reshape(B * n_q, d) @ theta.W_O.T
    Y += theta.b_O
    return Y.reshape(B, n_q, d), MHACache(X_q, X_kv, Q, K, V, P, C)


def _check_mask(mask: Any, B: int, h: int, n_q: int, n_k: int) -> Any:
    """The mask with a head axis if it had one per sample; ``ShapeError`` for a wrong shape."""
    if mask is None:
        return None
    given = tuple(mask.shape)
    if mask.ndim == 3:  # one mask per sample: add the head axis
        mask = (
            mask[:, None]
            if isinstance(mask, np.ndarray)
            else namespace(mask).expand_dims(mask, axis=1)
        )
    ok = (
        mask.ndim in (2, 4)
        and tuple(mask.shape[-2:]) == (n_q, n_k)
        and (mask.ndim == 2 or (mask.shape[0] in (1, B) and mask.shape[1] in (1, h)))
    )
    if not ok:
        raise ShapeError(
            f"argument 'mask' must have shape ({n_q}, {n_k}), ({B}, {n_q}, {n_k})"
            f" or ({B} or 1, {h} or 1, {n_q}, {n_k}), got shape {given}"
        )
    return mask


def _heads(xp: Any, T: Any, h: int) -> Any:
    """(B, n, d) -> (B, h, n, d_h), any namespace."""
    B, n, d = T.shape
    return xp.permute_dims(xp.reshape(T, (B, n, h, d // h)), (0, 2, 1, 3))


def _concat_heads(xp: Any, T: Any) -> Any:
    """(B, h, n, d_h) -> (B n, h d_h): the heads side by side, any namespace."""
    B, h, n, dh = T.shape
    return xp.reshape(xp.permute_dims(T, (0, 2, 1, 3)), (B * n, h * dh))


def _forward_xp(theta: MHAParameters, X_q: Any, X_kv: Any, mask: Any, causal: bool) -> Any:
    """:func:`mha_forward` for arrays other than NumPy's: the plain kernels of :mod:`.sdpa`."""
    xp = namespace(X_q)
    d, h = theta.d_model, theta.heads
    B, n_q, _ = X_q.shape
    if X_kv is None:
        QKV = xp.reshape(X_q, (B * n_q, d)) @ theta.W_in.T + theta.b_in  # one product
        QKV = xp.permute_dims(xp.reshape(QKV, (B, n_q, 3, h, d // h)), (2, 0, 3, 1, 4))
        Q, K, V = QKV[0, ...], QKV[1, ...], QKV[2, ...]
    else:
        n_k = X_kv.shape[1]
        Q = _heads(xp, X_q @ theta.W_Q.T + theta.b_in[:d], h)
        KV = xp.reshape(X_kv, (B * n_k, d)) @ theta.W_in[d:, :].T + theta.b_in[d:]
        KV = xp.permute_dims(xp.reshape(KV, (B, n_k, 2, h, d // h)), (2, 0, 3, 1, 4))
        K, V = KV[0, ...], KV[1, ...]
    mask = _check_mask(mask, B, h, n_q, K.shape[-2])
    O, P = _sdpa(Q, K, V, _additive_mask(mask, causal, n_q, K.shape[-2], Q))
    C = _concat_heads(xp, O)
    Y = xp.reshape(C @ theta.W_O.T + theta.b_O, (B, n_q, d))
    return Y, MHACache(X_q, X_kv, Q, K, V, P, xp.reshape(C, (B, n_q, d)))


def _backward_xp(theta: MHAParameters, cache: MHACache, dY: Any) -> Any:
    """:func:`mha_backward` for arrays other than NumPy's: the plain kernels of :mod:`.sdpa`."""
    xp = namespace(dY)
    X_q = cache.X_q
    B, n_q, d = X_q.shape
    h = theta.heads
    dY2 = xp.reshape(dY, (B * n_q, d))
    dW_O = dY2.T @ xp.reshape(cache.C, (B * n_q, d))
    db_O = xp.sum(dY2, axis=0)
    dO = _heads(xp, xp.reshape(dY2 @ theta.W_O, (B, n_q, d)), h)
    dQ, dK, dV = _sdpa_backward(dO, cache.Q, cache.K, cache.V, cache.P)
    X2 = xp.reshape(X_q, (B * n_q, d))
    if cache.X_kv is None:
        dQKV = xp.concat(
            [_concat_heads(xp, dQ), _concat_heads(xp, dK), _concat_heads(xp, dV)], axis=1
        )
        dW_in = dQKV.T @ X2
        db_in = xp.sum(dQKV, axis=0)
        return (
            MHAParameters(dW_in, db_in, dW_O, db_O, h),
            xp.reshape(dQKV @ theta.W_in, (B, n_q, d)),
            None,
        )
    n_k = cache.X_kv.shape[1]
    dQ2 = _concat_heads(xp, dQ)
    dKV = xp.concat([_concat_heads(xp, dK), _concat_heads(xp, dV)], axis=1)
    Xkv2 = xp.reshape(cache.X_kv, (B * n_k, d))
    dW_in = xp.concat([dQ2.T @ X2, dKV.T @ Xkv2])
    db_in = xp.concat([xp.sum(dQ2, axis=0), xp.sum(dKV, axis=0)])
    dX_q = xp.reshape(dQ2 @ theta.W_Q, (B, n_q, d))
    dX_kv = xp.reshape(dKV @ theta.W_in[d:, :], (B, n_k, d))
    return MHAParameters(dW_in, db_in, dW_O, db_O, h), dX_q, dX_kv


@validate(
    theta=Instance(MHAParameters),
    cache=Instance(MHACache),
    dY=Array(shape=("B", "n_q", "d")),
)
def mha_backward(
    theta: MHAParameters, cache: MHACache, dY: Any
) -> tuple[MHAParameters, np.ndarray, np.ndarray | None]:
    r"""Gradients of $\mathcal L(Y)$ for $Y = \operatorname{MHA}(X_q, X_{kv})$
    (Proposition `prop-att-mha-backward`).

    Arguments:
        theta, cache: as returned by :func:`mha_forward`. dY: ``(B, n_q, d)``, $\nabla_Y\mathcal L$.

    Returns:
        ``(dtheta, dX_q, dX_kv)``: gradients in an :class:`MHAParameters`, ``(B, n_q, d)``, and
        ``(B, n_k, d)`` (``None`` for self-attention, whose whole input gradient is ``dX_q``).
    """
    X_q, C = cache.X_q, cache.C
    check_against(
        theta,
        "theta",
        dY=(("B", "n_q", "d"), dY),
        **{"cache.X_q": (("B", "n_q", "d"), X_q), "cache.C": (("B", "n_q", "d"), C)},
    )
    if cache.Q.shape[1] != theta.heads:
        fail("cache", f"hold h = {theta.heads} heads (from 'theta')", f"{cache.Q.shape[1]} heads")
    if not isinstance(dY, np.ndarray):
        return _backward_xp(theta, cache, dY)
    B, n_q, d = X_q.shape
    h = theta.heads
    dY2 = dY.reshape(B * n_q, d)
    dW_O = dY2.T @ C.reshape(B * n_q, d)
    db_O = dY2.sum(axis=0)
    dO = _split((dY2 @ theta.W_O).reshape(B, n_q, d), h)
    dh = d // h
    if cache.X_kv is None:
        # dQ, dK, dV are written into one (B n, 3d) array in the layout of [Q, K, V]
        dQKV = np.empty((B, n_q, 3, h, dh), dtype=X_q.dtype)
        views = dQKV.transpose(2, 0, 3, 1, 4)
        _sdpa_fast.backward(
            dO, cache.Q, cache.K, cache.V, cache.P, out=(views[0], views[1], views[2])
        )
        dQKV = dQKV.reshape(B * n_q, 3 * d)
        X2 = X_q.reshape(B * n_q, d)
        dW_in = dQKV.T @ X2
        db_in = dQKV.sum(axis=0)
        dX_q = (dQKV @ theta.W_in).reshape(B, n_q, d)
        dX_kv = None
    else:
        dQ, dK, dV = _sdpa_fast.backward(dO, cache.Q, cache.K, cache.V, cache.P)
        X_kv = cache.X_kv
        n_k = X_kv.shape[1]
        dQ2 = dQ.transpose(0, 2, 1, 3).reshape(B * n_q, d)
        dKV = np.stack((dK, dV)).transpose(1, 3, 0, 2, 4).reshape(B * n_k, 2 * d)
        Xkv2 = X_kv.reshape(B * n_k, d)
        dW_in = np.concatenate((dQ2.T @ X_q.reshape(B * n_q, d), dKV.T @ Xkv2))
        db_in = np.concatenate((dQ2.sum(axis=0), dKV.sum(axis=0)))
        dX_q = (dQ2 @ theta.W_Q).reshape(B, n_q, d)
        dX_kv = (dKV @ theta.W_in[d:]).reshape(B, n_k, d)
    return MHAParameters(dW_in, db_in, dW_O, db_O, h), dX_q, dX_kv
