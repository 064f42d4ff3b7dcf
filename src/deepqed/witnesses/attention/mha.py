r"""Witnesses of Section "Multi-head attention": `def-att-mha`, `prop-att-mha-cost`,
`prop-att-mha-backward`."""

from __future__ import annotations

import numpy as np
import torch
from torch.utils.flop_counter import FlopCounterMode, sdpa_backward_flop_count, sdpa_flop_count

from ... import attention
from ...registry import Figures, Witness
from ._common import TOL, nan_max, relative_error, single_threaded, torch_mha


def _instance(rng, dtype):
    h = int(rng.integers(1, 4))
    d = h * int(rng.integers(1, 4))
    B, n_q, n_k = (int(v) for v in rng.integers(1, 5, size=3))
    theta = attention.init_mha(d, h, rng=rng, dtype=dtype)
    return (
        theta,
        rng.standard_normal((B, n_q, d)).astype(dtype),
        rng.standard_normal((B, n_k, d)).astype(dtype),
    )


@single_threaded
def mha_matches_torch(rng: np.random.Generator, *, forward=attention.mha_forward) -> Figures:
    """MHA forward vs ``torch.nn.MultiheadAttention`` with copied weights: self-attention (with and
    without a causal mask) and cross-attention, float32 and float64."""
    errors, count = [], 0
    for dtype in (np.float64, np.float32):
        for mode in ("self", "causal", "cross"):
            theta, X, X_kv = _instance(rng, dtype)
            mha = torch_mha(*theta.arrays(), theta.heads)
            Xt, Xkvt = torch.from_numpy(X), torch.from_numpy(X_kv)
            with torch.no_grad():
                if mode == "cross":
                    ref = mha(Xt, Xkvt, Xkvt, need_weights=False)[0]
                    Y, _ = forward(theta, X, X_kv)
                else:
                    n = X.shape[1]
                    # torch's boolean attn_mask marks the *forbidden* pairs
                    bad = (
                        torch.triu(torch.ones(n, n, dtype=torch.bool), 1)
                        if mode == "causal"
                        else None
                    )
                    ref = mha(Xt, Xt, Xt, need_weights=False, attn_mask=bad)[0]
                    Y, _ = forward(theta, X, causal=mode == "causal")
            errors.append(relative_error([Y], [ref.numpy().astype(np.float64)]) / TOL[dtype])
            count += 1
    return Figures(
        count,
        nan_max(errors),
        1.0,
        "relative error of mha_forward vs torch.nn.MultiheadAttention (copied weights) "
        "divided by 2e-5 (float32) or 1e-12 (float64)",
    )


@single_threaded
def mha_parameter_count(rng: np.random.Generator, *, count=attention.mha_num_parameters) -> Figures:
    """4d^2 + 4d vs the number of entries of torch's ``nn.MultiheadAttention`` parameters; the
    multiply-adds 4Bnd^2 + 2Bn^2d (forward) and 8Bnd^2 + 4Bn^2d (backward) vs PyTorch's own flop
    counts (``torch.utils.flop_counter``: ``FlopCounterMode`` on the module for the projections,
    ``sdpa_flop_count`` and ``sdpa_backward_flop_count`` for attention, whose backward count
    includes one recomputation of the scores, Bn^2d, that a backward reusing P does not need)."""
    errors = []
    for _ in range(4):
        h = int(rng.integers(1, 5))
        d = h * int(rng.integers(1, 9))
        B, n = (int(v) for v in rng.integers(1, 6, size=2))
        mha = torch.nn.MultiheadAttention(d, h, batch_first=True, dtype=torch.float64)
        errors.append(abs(count(d, h) - sum(p.numel() for p in mha.parameters())))
        X = torch.zeros(B, n, d, dtype=torch.float64, requires_grad=True)
        with FlopCounterMode(display=False) as forward_count:  # counts mm/addmm, not SDPA
            Y = mha(X, X, X, need_weights=False)[0]
        with FlopCounterMode(display=False) as backward_count:
            Y.backward(torch.ones_like(Y))
        shape = (B, h, n, d // h)
        forward = (forward_count.get_total_flops() + sdpa_flop_count(shape, shape, shape)) // 2
        backward = (
            backward_count.get_total_flops() + sdpa_backward_flop_count(shape, shape, shape, shape)
        ) // 2 - B * n * n * d
        errors.append(abs(forward - (4 * B * n * d * d + 2 * B * n * n * d)))
        errors.append(abs(backward - (8 * B * n * d * d + 4 * B * n * n * d)))
    return Figures(
        4,
        float(max(errors)),
        0.0,
        "parameter count 4d^2 + 4d vs torch.nn.MultiheadAttention's numel(); "
        "multiply-adds of forward and backward vs torch.utils.flop_counter",
    )


@single_threaded
def mha_backward_matches_autograd(
    rng: np.random.Generator, *, backward=attention.mha_backward
) -> Figures:
    """Gradients of <dY, MHA(X_q, X_kv)> with respect to all parameters and inputs vs torch
    autograd on ``nn.MultiheadAttention`` with copied weights (self-, causal and cross-attention,
    float32 and float64)."""
    errors, count = [], 0
    for dtype in (np.float64, np.float32):
        for mode in ("self", "causal", "cross"):
            theta, X, X_kv = _instance(rng, dtype)
            mha = torch_mha(*theta.arrays(), theta.heads)
            Xt = torch.from_numpy(X).requires_grad_()
            if mode == "cross":
                Xkvt = torch.from_numpy(X_kv).requires_grad_()
                ref = mha(Xt, Xkvt, Xkvt, need_weights=False)[0]
                Y, cache = attention.mha_forward(theta, X, X_kv)
                inputs = [Xt, Xkvt]
            else:
                n = X.shape[1]
                bad = (
                    torch.triu(torch.ones(n, n, dtype=torch.bool), 1) if mode == "causal" else None
                )
                ref = mha(Xt, Xt, Xt, need_weights=False, attn_mask=bad)[0]
                Y, cache = attention.mha_forward(theta, X, causal=mode == "causal")
                inputs = [Xt]
            dY = rng.standard_normal(Y.shape).astype(dtype)
            params = [mha.in_proj_weight, mha.in_proj_bias, mha.out_proj.weight, mha.out_proj.bias]
            grads = torch.autograd.grad(ref, params + inputs, torch.from_numpy(dY))
            dtheta, dX, dX_kv = backward(theta, cache, dY)
            ours = list(dtheta.arrays()) + [dX] + ([dX_kv] if mode == "cross" else [])
            errors.append(
                relative_error(ours, [g.numpy().astype(np.float64) for g in grads]) / TOL[dtype]
            )
            count += 1
    return Figures(
        count,
        nan_max(errors),
        1.0,
        "relative error of mha_backward (all parameters and inputs) vs torch autograd "
        "on nn.MultiheadAttention, divided by 2e-5 (float32) or 1e-12 (float64)",
    )


CLAIMS = (
    Witness(
        "def-att-mha",
        mha_matches_torch,
        "multi-head attention equals torch.nn.MultiheadAttention with copied weights",
    ),
    Witness(
        "prop-att-mha-cost",
        mha_parameter_count,
        "4d^2 + 4d parameters (torch's count) and 4Bnd^2 + 2Bn^2d multiply-adds",
    ),
    Witness(
        "prop-att-mha-backward",
        mha_backward_matches_autograd,
        "MHA gradients equal torch autograd with copied weights",
    ),
)
