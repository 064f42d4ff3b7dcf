r"""Shared pieces of the attention witnesses: random instances, independent torch references, and
the tolerances of comparisons with them.

The torch references are written with ``torch.nn`` modules and ``torch.nn.functional`` from the
definitions (they never call deepqed code), always in float64, so agreement with them is
evidence, not a tautology. Tolerances follow :mod:`deepqed.witnesses._tolerances`: attention of
depth $d_k + n_k + d_v + 8$ (a score, a softmax row, a weighted sum), doubled for a gradient.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from .._common import nan_max, relative_error, single_threaded
from .._tolerances import perturbed_change, rounding_tolerance, unit_roundoff, worst_error

__all__ = [
    "nan_max",
    "relative_error",
    "single_threaded",
    "unit_roundoff",
    "worst_error",
    "torch_mha",
    "torch_attention",
    "torch_block_loss",
    "reference_tolerance",
    "as64",
]


def as64(*arrays: Any) -> list[torch.Tensor]:
    """float64 torch tensors of the given arrays (copies)."""
    return [torch.tensor(np.asarray(a, dtype=np.float64)) for a in arrays]


def reference_tolerance(
    reference: Any, inputs: Sequence[np.ndarray], N: int, dtype: Any, rng: np.random.Generator
) -> float:
    """$4N\\max(\\delta, u)$ of :mod:`deepqed.witnesses._tolerances` for the float64 ``reference``
    of ``inputs`` and a computation of depth ``N`` in ``dtype``."""
    return rounding_tolerance(N, perturbed_change(reference, list(inputs), dtype, rng), dtype)


def torch_attention(
    Q: torch.Tensor, K: torch.Tensor, V: torch.Tensor, M: torch.Tensor | None
) -> torch.Tensor:
    r"""$\operatorname{Attn}(Q, K, V; M)$ of Definition `def-att-sdpa` written with torch: scores
    $QK^\top/\sqrt{d_k} + M$, ``torch.softmax`` on the rows that have an unmasked entry, the
    zero row on the others (where ``torch.softmax`` would give NaN); differentiable by autograd
    with zero gradient through a fully masked row."""
    S = Q @ K.transpose(-1, -2) / Q.shape[-1] ** 0.5
    if M is not None:
        S = S + M
    full = torch.isinf(S).all(dim=-1, keepdim=True)  # no finite entry: a fully masked row
    P = torch.softmax(torch.where(full, torch.zeros_like(S), S), dim=-1)
    P = torch.where(full, torch.zeros_like(P), P)
    return P @ V


def torch_mha(
    W_in: np.ndarray, b_in: np.ndarray, W_O: np.ndarray, b_O: np.ndarray, heads: int
) -> torch.nn.MultiheadAttention:
    """A float64 ``torch.nn.MultiheadAttention`` (batch first) with the given weights copied in."""
    d = W_O.shape[0]
    mha = torch.nn.MultiheadAttention(d, heads, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        for p, a in zip(
            (mha.in_proj_weight, mha.in_proj_bias, mha.out_proj.weight, mha.out_proj.bias),
            (W_in, b_in, W_O, b_O),
        ):
            p.copy_(torch.from_numpy(np.asarray(a, dtype=np.float64)))
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
