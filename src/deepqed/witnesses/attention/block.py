r"""Witnesses of Section "The transformer block": `def-att-block`, `thm-att-block-backward`."""

from __future__ import annotations

import numpy as np
import torch

from ... import attention
from ...registry import Figures, Witness
from ._common import TOL, adjoint_error, nan_max, relative_error, single_threaded, torch_block_loss

ACTS = ("gelu", "relu", "tanh")


def _instance(rng, dtype):
    h = int(rng.integers(1, 4))
    d = h * int(rng.integers(1, 4)) + (h if h == 1 else 0)  # d >= 2
    theta = attention.init_block(d, h, int(rng.integers(1, 9)), rng=rng, dtype=dtype)
    X = rng.standard_normal((int(rng.integers(1, 4)), int(rng.integers(1, 6)), d)).astype(dtype)
    return theta, X


def _torch(theta, X, dY, activation, causal, eps):
    params = [torch.from_numpy(a).requires_grad_() for a in theta.arrays()]
    Xt = torch.from_numpy(X).requires_grad_()
    loss = torch_block_loss(
        params, Xt, torch.from_numpy(dY), theta.attn.heads, activation, causal, eps
    )
    return loss, params, Xt


@single_threaded
def block_matches_torch(rng: np.random.Generator, *, forward=attention.block_forward) -> Figures:
    """Block output vs an independently written torch pre-LN block (``F.layer_norm``,
    ``F.multi_head_attention_forward``, ``F.linear``), compared through <dY, Y> for two random
    dY per instance (float32, float64, causal or not)."""
    errors, count = [], 0
    for dtype in (np.float64, np.float32):
        for causal in (False, True):
            theta, X = _instance(rng, dtype)
            act = str(rng.choice(ACTS))
            Y, _ = forward(theta, X, activation=act, causal=causal)
            for _ in range(2):
                dY = rng.standard_normal(Y.shape).astype(dtype)
                loss, _, _ = _torch(theta, X, dY, act, causal, attention.EPS)
                ref = float(loss.detach())
                ours = float(np.sum(Y.astype(np.float64) * dY))
                scale = float(np.linalg.norm(Y) * np.linalg.norm(dY))
                errors.append(abs(ours - ref) / scale / (5 * TOL[dtype]))
            count += 1
    return Figures(
        count,
        nan_max(errors),
        1.0,
        "abs(<dY, Y> - torch) / (norm(Y) norm(dY)) against a torch pre-LN block, divided by "
        "1e-4 (float32) or 5e-12 (float64)",
    )


@single_threaded
def block_backward_matches_autograd(
    rng: np.random.Generator, *, backward=attention.block_backward
) -> Figures:
    """All parameter gradients and dX vs torch autograd on the torch block (float32, float64,
    causal or not), and central differences of <U, Block(X)> in X (float64)."""
    errors, count = [], 0
    for dtype in (np.float64, np.float32):
        for causal in (False, True):
            theta, X = _instance(rng, dtype)
            act = str(rng.choice(ACTS))
            Y, cache = attention.block_forward(theta, X, activation=act, causal=causal)
            dY = rng.standard_normal(Y.shape).astype(dtype)
            loss, params, Xt = _torch(theta, X, dY, act, causal, attention.EPS)
            grads = torch.autograd.grad(loss, params + [Xt])
            dtheta, dX = backward(theta, cache, dY, activation=act)
            errors.append(
                relative_error(
                    list(dtheta.arrays()) + [dX], [g.numpy().astype(np.float64) for g in grads]
                )
                / (5 * TOL[dtype])
            )
            count += 1
    theta, X = _instance(rng, np.float64)
    Y, cache = attention.block_forward(theta, X, activation="tanh")
    U = rng.standard_normal(Y.shape)
    _, dX = backward(theta, cache, U, activation="tanh")
    errors.append(
        adjoint_error(
            lambda Z: attention.block_forward(theta, Z, activation="tanh")[0], X, dX, U, rng
        )
        / 1e-7
    )
    return Figures(
        count + 1,
        nan_max(errors),
        1.0,
        "relative error of block_backward vs torch autograd on an independent torch "
        "block (divided by 1e-4 float32, 5e-12 float64) and vs central differences "
        "(divided by 1e-7)",
    )


CLAIMS = (
    Witness(
        "def-att-block",
        block_matches_torch,
        "the pre-LN block equals an independently written torch block",
    ),
    Witness(
        "thm-att-block-backward",
        block_backward_matches_autograd,
        "block gradients equal torch autograd and central differences",
    ),
)
