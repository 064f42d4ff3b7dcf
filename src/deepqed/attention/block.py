r"""A pre-LN transformer block, forward and backward in closed form.

Implements Definition `def-att-block` and Theorem `thm-att-block-backward`. The variant is
*pre-LN* (layer normalisation inside the residual branches, as in GPT-2 and most current
models):

$$H = X + \operatorname{MHA}(\operatorname{LN}_1(X)),\qquad
Y = H + \sigma\bigl(\operatorname{LN}_2(H)W_1^\top + \mathbf 1b_1^\top\bigr)W_2^\top + \mathbf 1b_2^\top,$$

with self-attention, row-wise layer norms and $\sigma$ from :data:`deepqed.nn.ACTIVATIONS`
(GELU by default). Shapes: ``X``, ``H``, ``Y``: ``(B, n, d)``; ``W1``: ``(d_ff, d)``,
``b1``: ``(d_ff,)``, ``W2``: ``(d, d_ff)``, ``b2``: ``(d,)``. Arrays come from any array-API
library; results keep its namespace, device and dtype.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from .._validation import (
    Array,
    Boolean,
    DType,
    Generator,
    Instance,
    Integer,
    Options,
    Real,
    check,
    check_against,
    namespace,
    validate,
)
from ..nn import ACTIVATIONS
from . import layernorm as _ln
from .layernorm import EPS, LayerNormCache
from .mha import MHACache, MHAParameters, _check_heads, init_mha, mha_backward, mha_forward

__all__ = ["BlockParameters", "BlockCache", "init_block", "block_forward", "block_backward"]


@dataclass(frozen=True)
class BlockParameters:
    """The parameters of a pre-LN block (Definition `def-att-block`)."""

    gamma1: np.ndarray  # (d,)
    beta1: np.ndarray  # (d,)
    attn: MHAParameters
    gamma2: np.ndarray  # (d,)
    beta2: np.ndarray  # (d,)
    W1: np.ndarray  # (d_ff, d)
    b1: np.ndarray  # (d_ff,)
    W2: np.ndarray  # (d, d_ff)
    b2: np.ndarray  # (d,)

    __deepqed_constraints__ = {
        "gamma1": Array(shape=("d",)),
        "beta1": Array(shape=("d",)),
        "attn": Instance(MHAParameters),
        "gamma2": Array(shape=("d",)),
        "beta2": Array(shape=("d",)),
        "W1": Array(shape=("d_ff", "d")),
        "b1": Array(shape=("d_ff",)),
        "W2": Array(shape=("d", "d_ff")),
        "b2": Array(shape=("d",)),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))
        check_against(self.attn, "attn", gamma1=(("d",), self.gamma1))

    def arrays(self) -> tuple[np.ndarray, ...]:
        """All arrays in a fixed order (the attention's four in the middle)."""
        out: list[np.ndarray] = []
        for f in fields(self):
            v = getattr(self, f.name)
            out.extend(v.arrays() if isinstance(v, MHAParameters) else (v,))
        return tuple(out)

    def map(self, f: Any) -> BlockParameters:
        """Apply ``f`` to every array (for example to convert to another namespace)."""
        return BlockParameters(
            **{
                k.name: (v.map(f) if isinstance(v, MHAParameters) else f(v))
                for k in fields(self)
                for v in (getattr(self, k.name),)
            }
        )


@validate(d=Integer(1), heads=Integer(1), d_ff=Integer(1), rng=Generator(), dtype=DType())
def init_block(
    d: int, heads: int, d_ff: int, *, rng: np.random.Generator, dtype: Any = np.float64
) -> BlockParameters:
    r"""Random parameters: weights $\mathcal N(0, 1/\text{fan-in})$, small random $\gamma-1$,
    $\beta$ and biases (so that no parameter sits at a special value); ``heads`` divides ``d``.
    Returns NumPy arrays; convert with :meth:`BlockParameters.map`."""
    _check_heads(d, heads)

    def n(*shape: int, scale: float, mean: float = 0.0) -> np.ndarray:
        return (mean + scale * rng.standard_normal(shape)).astype(dtype)

    return BlockParameters(
        n(d, scale=0.1, mean=1.0),
        n(d, scale=0.1),
        init_mha(d, heads, rng=rng, dtype=dtype),
        n(d, scale=0.1, mean=1.0),
        n(d, scale=0.1),
        n(d_ff, d, scale=d**-0.5),
        n(d_ff, scale=0.1),
        n(d, d_ff, scale=d_ff**-0.5),
        n(d, scale=0.1),
    )


@dataclass(frozen=True)
class BlockCache:
    """Intermediate arrays of :func:`block_forward` kept for :func:`block_backward`."""

    ln1: LayerNormCache
    attn: MHACache
    ln2: LayerNormCache
    U2: np.ndarray  # LN_2(H), (B, n, d)
    Z: np.ndarray  # U2 W1^T + b1, (B, n, d_ff)
    A: np.ndarray  # sigma(Z), (B, n, d_ff)

    __deepqed_constraints__ = {
        "ln1": Instance(LayerNormCache),
        "attn": Instance(MHACache),
        "ln2": Instance(LayerNormCache),
        "U2": Array(shape=("B", "n", "d"), finite=False),
        "Z": Array(shape=("B", "n", "d_ff"), finite=False),
        "A": Array(shape=("B", "n", "d_ff"), finite=False),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))


@validate(
    theta=Instance(BlockParameters),
    X=Array(shape=("B", "n", "d")),
    activation=Options(*ACTIVATIONS),
    causal=Boolean(),
    eps=Real(0, None),
)
def block_forward(
    theta: BlockParameters,
    X: Any,
    *,
    activation: str = "gelu",
    causal: bool = False,
    eps: float = EPS,
) -> tuple[np.ndarray, BlockCache]:
    r"""$Y = \operatorname{Block}_\theta(X)$ (Definition `def-att-block`); ``X`` ``(B, n, d)``.

    Returns ``(Y, cache)`` with ``Y`` of shape ``(B, n, d)``."""
    check_against(theta.attn, "theta.attn", X=(("B", "n", "d"), X))
    xp, act = namespace(X), ACTIVATIONS[activation]
    U1, ln1 = _ln._forward(X, theta.gamma1, theta.beta1, eps)
    M, attn = mha_forward(theta.attn, U1, causal=causal)
    H = X + M
    U2, ln2 = _ln._forward(H, theta.gamma2, theta.beta2, eps, "X")
    Z = U2 @ theta.W1.T
    Z += theta.b1
    A = act.sigma(xp, Z)
    Y = A @ theta.W2.T
    Y += theta.b2
    Y += H
    return Y, BlockCache(ln1, attn, ln2, U2, Z, A)


@validate(
    theta=Instance(BlockParameters),
    cache=Instance(BlockCache),
    dY=Array(shape=("B", "n", "d")),
    activation=Options(*ACTIVATIONS),
)
def block_backward(
    theta: BlockParameters, cache: BlockCache, dY: Any, *, activation: str = "gelu"
) -> tuple[BlockParameters, np.ndarray]:
    r"""Gradients of $\mathcal L(Y)$ for $Y = \operatorname{Block}_\theta(X)$
    (Theorem `thm-att-block-backward`):

    $dZ = (dY\,W_2)\odot\sigma'(Z)$, $dW_2 = \sum dY^\top A$, $dW_1 = \sum dZ^\top U_2$,
    $dH = dY + \operatorname{LN}_2^*(dZ\,W_1)$, $dX = dH + \operatorname{LN}_1^*(\operatorname{MHA}^*(dH))$,
    where $^*$ denotes the backward maps (transposed Jacobians) of the sub-layers.

    Returns ``(dtheta, dX)``."""
    check_against(
        theta.attn,
        "theta.attn",
        dY=(("B", "n", "d"), dY),
        **{"cache.U2": (("B", "n", "d"), cache.U2)},
    )
    xp, act = namespace(dY), ACTIVATIONS[activation]
    d = theta.attn.d_model
    dY2 = xp.reshape(dY, (-1, d))
    A2 = xp.reshape(cache.A, (-1, cache.A.shape[-1]))
    dW2 = dY2.T @ A2
    db2 = xp.sum(dY2, axis=0)
    dZ = (dY2 @ theta.W2) * act.derivative(xp, xp.reshape(cache.Z, A2.shape), A2)
    dW1 = dZ.T @ xp.reshape(cache.U2, (-1, d))
    db1 = xp.sum(dZ, axis=0)
    dU2 = xp.reshape(dZ @ theta.W1, dY.shape)
    dH_ln, dgamma2, dbeta2 = _ln._backward(dU2, theta.gamma2, cache.ln2)
    dH = dY + dH_ln
    dattn, dU1, _ = mha_backward(theta.attn, cache.attn, dH)
    dX_ln, dgamma1, dbeta1 = _ln._backward(dU1, theta.gamma1, cache.ln1)
    dX = dH + dX_ln
    return BlockParameters(dgamma1, dbeta1, dattn, dgamma2, dbeta2, dW1, db1, dW2, db2), dX
