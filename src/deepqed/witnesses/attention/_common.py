r"""Shared pieces of the attention witnesses: random instances and independent torch references.

The torch references are written with ``torch.nn`` modules and ``torch.nn.functional`` from the
definitions (they never call deepqed code), so agreement with them is evidence, not a tautology.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import torch
import torch.nn.functional as F

from ..feedforward._common import nan_max, relative_error, single_threaded

__all__ = [
    "nan_max",
    "relative_error",
    "single_threaded",
    "torch_mha",
    "torch_block_loss",
    "adjoint_error",
    "TORCH_DTYPES",
    "TOL",
]

TORCH_DTYPES = {np.float32: torch.float32, np.float64: torch.float64}
#: relative tolerances against torch, by dtype
TOL = {np.float32: 2e-5, np.float64: 1e-12}


def torch_mha(
    W_in: np.ndarray, b_in: np.ndarray, W_O: np.ndarray, b_O: np.ndarray, heads: int
) -> torch.nn.MultiheadAttention:
    """A ``torch.nn.MultiheadAttention`` (batch first) with the given weights copied in."""
    d = W_O.shape[0]
    dtype = TORCH_DTYPES[W_O.dtype.type]
    mha = torch.nn.MultiheadAttention(d, heads, batch_first=True, dtype=dtype)
    with torch.no_grad():
        mha.in_proj_weight.copy_(torch.from_numpy(W_in))
        mha.in_proj_bias.copy_(torch.from_numpy(b_in))
        mha.out_proj.weight.copy_(torch.from_numpy(W_O))
        mha.out_proj.bias.copy_(torch.from_numpy(b_O))
    return mha


def torch_block_loss(
    params: Sequence[torch.Tensor],
    X: torch.Tensor,
    dY: torch.Tensor,
    heads: int,
    activation: str,
    causal: bool,
    eps: float,
) -> torch.Tensor:
    r"""$\langle dY, \operatorname{Block}(X)\rangle$ for a pre-LN block written with torch:
    ``F.layer_norm``, ``F.multi_head_attention_forward`` (torch's own MHA), ``F.linear`` and the
    activation from ``torch.nn.functional``."""
    g1, be1, W_in, b_in, W_O, b_O, g2, be2, W1, b1, W2, b2 = params
    d = X.shape[-1]
    act = {
        "gelu": lambda z: F.gelu(z, approximate="none"),
        "relu": F.relu,
        "tanh": torch.tanh,
        "sigmoid": torch.sigmoid,
        "identity": lambda z: z,
    }[activation]
    U1 = F.layer_norm(X, (d,), g1, be1, eps)
    mask = torch.triu(torch.ones(X.shape[1], X.shape[1], dtype=torch.bool), 1) if causal else None
    Ut = U1.transpose(0, 1)  # (n, B, d): the functional API's layout
    M, _ = F.multi_head_attention_forward(
        Ut,
        Ut,
        Ut,
        d,
        heads,
        W_in,
        b_in,
        None,
        None,
        False,
        0.0,
        W_O,
        b_O,
        training=False,
        need_weights=False,
        attn_mask=mask,
    )
    H = X + M.transpose(0, 1)
    U2 = F.layer_norm(H, (d,), g2, be2, eps)
    Y = H + F.linear(act(F.linear(U2, W1, b1)), W2, b2)
    return (Y * dY).sum()


def adjoint_error(
    f: Callable[[np.ndarray], np.ndarray],
    x: np.ndarray,
    grad: np.ndarray,
    u: np.ndarray,
    rng: np.random.Generator,
    h: float = 1e-5,
    directions: int = 3,
) -> float:
    r"""Relative error of $\langle\nabla(u\cdot f)(x), v\rangle$ (the code's backward ``grad``)
    against the central difference of $t\mapsto\langle u, f(x + tv)\rangle$, float64, for random
    unit $v$; the error is divided by $\|\text{grad}\|$ (a scale of the directional derivative)."""
    errors = []
    scale = float(np.linalg.norm(grad)) + 1e-300
    for _ in range(directions):
        v = rng.standard_normal(x.shape)
        v /= np.linalg.norm(v)
        fd = (np.sum(u * f(x + h * v)) - np.sum(u * f(x - h * v))) / (2 * h)
        errors.append(abs(float(np.sum(grad * v)) - fd) / scale)
    return max(errors)
