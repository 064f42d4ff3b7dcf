r"""Witnesses of Section "Multi-head attention": `def-att-mha`, `prop-att-mha-cost`,
`prop-att-mha-backward`."""

from __future__ import annotations

import numpy as np
import torch
from torch.utils.flop_counter import FlopCounterMode, sdpa_backward_flop_count, sdpa_flop_count

from ... import attention
from ...registry import Witness
from .._common import Evidence, error
from ._common import (
    as64,
    reference_tolerance,
    relative_error,
    single_threaded,
    torch_mha,
    worst_error,
)

MODES = ("self", "causal", "cross", "masked")


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


def _depth(theta, X) -> int:
    d, n = theta.d_model, X.shape[1]
    return 3 * d + n + 16  # projections, attention of one head, output projection


def _torch_call(mha, mode, X, X_kv, keep):
    """torch's MultiheadAttention for ``mode``; its boolean attn_mask marks *forbidden* pairs."""
    if mode == "cross":
        return mha(X, X_kv, X_kv, need_weights=False)[0]
    n = X.shape[1]
    bad = None
    if mode == "causal":
        bad = torch.triu(torch.ones(n, n, dtype=torch.bool), 1)
    elif mode == "masked":
        bad = torch.from_numpy(~keep)
    return mha(X, X, X, need_weights=False, attn_mask=bad)[0]


def _keep(rng, n):
    keep = rng.random((n, n)) < 0.7
    keep[np.arange(n), np.arange(n)] = True  # no fully masked row (torch's MHA gives NaN there)
    return keep


@single_threaded
def mha_matches_torch(
    rng: np.random.Generator, *, dtype: np.dtype, forward=attention.mha_forward
) -> Evidence:
    """MHA forward against ``torch.nn.MultiheadAttention`` in float64 with copied weights:
    self-attention without mask, with the causal mask and with a boolean mask, and
    cross-attention."""
    records = []
    for mode in MODES:
        for _ in range(2):
            theta, X, X_kv = _instance(rng, dtype)
            keep = _keep(rng, X.shape[1])

            def ref(a, mode=mode, keep=keep, h=theta.heads):
                mha = torch_mha(*a[:4], h)
                with torch.no_grad():
                    return _torch_call(mha, mode, *as64(a[4], a[5]), keep).numpy()

            inputs = (*theta.arrays(), X, X_kv)
            if mode == "cross":
                Y, _ = forward(theta, X, X_kv)
            else:
                Y, _ = forward(
                    theta, X, mask=keep if mode == "masked" else None, causal=mode == "causal"
                )
            tol = reference_tolerance(ref, inputs, _depth(theta, X), dtype, rng)
            records.append(
                (
                    relative_error(Y, ref(inputs)),
                    tol,
                    f"d = {theta.d_model}, h = {theta.heads}, {mode}",
                )
            )
    return Evidence(
        len(records), (worst_error("MHA against torch.nn.MultiheadAttention (float64)", records),)
    )


@single_threaded
def mha_parameter_count(
    rng: np.random.Generator, *, count=attention.mha_num_parameters
) -> Evidence:
    """$4d^2 + 4d$ against the number of entries of torch's ``nn.MultiheadAttention`` parameters;
    the multiply-adds $4Bnd^2 + 2Bn^2d$ (forward) and $8Bnd^2 + 4Bn^2d$ (backward) against PyTorch's
    own flop counts (``torch.utils.flop_counter``: ``FlopCounterMode`` on the module for the
    projections, ``sdpa_flop_count`` and ``sdpa_backward_flop_count`` for attention, whose backward
    count includes one recomputation of the scores, $Bn^2d$, that a backward reusing $P$ does not
    need)."""
    params, fwd, bwd = [], [], []
    for _ in range(4):
        h = int(rng.integers(1, 5))
        d = h * int(rng.integers(1, 9))
        B, n = (int(v) for v in rng.integers(1, 6, size=2))
        mha = torch.nn.MultiheadAttention(d, h, batch_first=True, dtype=torch.float64)
        params.append(abs(count(d, h) - sum(p.numel() for p in mha.parameters())))
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
        fwd.append(abs(forward - (4 * B * n * d * d + 2 * B * n * n * d)))
        bwd.append(abs(backward - (8 * B * n * d * d + 4 * B * n * n * d)))
    return Evidence(
        4,
        (
            error(
                "$4d^2 + 4d$ against torch's parameter count",
                float(max(params)),
                0.0,
                units="parameters",
            ),
            error(
                "$4Bnd^2 + 2Bn^2d$ against torch's forward flop count / 2",
                float(max(fwd)),
                0.0,
                units="multiply-adds",
            ),
            error(
                "$8Bnd^2 + 4Bn^2d$ against torch's backward flop count / 2",
                float(max(bwd)),
                0.0,
                units="multiply-adds",
            ),
        ),
    )


@single_threaded
def mha_backward_matches_autograd(
    rng: np.random.Generator, *, dtype: np.dtype, backward=attention.mha_backward
) -> Evidence:
    """Gradients of $\\langle dY, \\operatorname{MHA}(X_q, X_{kv})\\rangle$ with respect to all
    parameters and inputs against torch autograd on ``nn.MultiheadAttention`` in float64 with
    copied weights (self-attention without and with masks, cross-attention)."""
    records = []
    for mode in MODES:
        for _ in range(2):
            theta, X, X_kv = _instance(rng, dtype)
            keep = _keep(rng, X.shape[1])
            if mode == "cross":
                Y, cache = attention.mha_forward(theta, X, X_kv)
            else:
                Y, cache = attention.mha_forward(
                    theta, X, mask=keep if mode == "masked" else None, causal=mode == "causal"
                )
            dY = rng.standard_normal(Y.shape).astype(dtype)

            def ref(a, mode=mode, keep=keep, h=theta.heads):
                mha = torch_mha(*a[:4], h)
                Xt, Xkvt = (t.requires_grad_() for t in as64(a[4], a[5]))
                out = _torch_call(mha, mode, Xt, Xkvt, keep)
                params = [
                    mha.in_proj_weight,
                    mha.in_proj_bias,
                    mha.out_proj.weight,
                    mha.out_proj.bias,
                ]
                inputs = params + [Xt] + ([Xkvt] if mode == "cross" else [])
                return [g.numpy() for g in torch.autograd.grad(out, inputs, torch.from_numpy(a[6]))]

            inputs = (*theta.arrays(), X, X_kv, dY)
            dtheta, dX, dX_kv = backward(theta, cache, dY)
            ours = list(dtheta.arrays()) + [dX] + ([dX_kv] if mode == "cross" else [])
            tol = reference_tolerance(ref, inputs, 2 * _depth(theta, X), dtype, rng)
            records.append(
                (
                    relative_error(ours, ref(inputs)),
                    tol,
                    f"d = {theta.d_model}, h = {theta.heads}, {mode}",
                )
            )
    return Evidence(
        len(records),
        (
            worst_error(
                "MHA gradients (all parameters and inputs) against autograd (float64)", records
            ),
        ),
    )


CLAIMS = (
    Witness(
        "def-att-mha",
        mha_matches_torch,
        "multi-head attention equals torch.nn.MultiheadAttention with copied weights",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "prop-att-mha-cost",
        mha_parameter_count,
        "4d^2 + 4d parameters (torch's count) and 4Bnd^2 + 2Bn^2d multiply-adds",
        strength="exact",
    ),
    Witness(
        "prop-att-mha-backward",
        mha_backward_matches_autograd,
        "MHA gradients equal torch autograd with copied weights",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
)
