r"""Witnesses of Section "The transformer block": `def-att-block`, `thm-att-block-backward`."""

from __future__ import annotations

import numpy as np
import torch

from ... import attention
from ...registry import Witness
from .._common import Evidence
from .._tolerances import adjoint_check
from ._common import (
    reference_tolerance,
    relative_error,
    single_threaded,
    torch_block_loss,
    unit_roundoff,
    worst_error,
)
from .layernorm import amplification

ACTS = ("gelu", "relu", "tanh")


def _instance(rng, dtype):
    h = int(rng.integers(1, 4))
    d = h * int(rng.integers(1, 4)) + (h if h == 1 else 0)  # d >= 2
    theta = attention.init_block(d, h, int(rng.integers(1, 9)), rng=rng, dtype=dtype)
    X = rng.standard_normal((int(rng.integers(1, 4)), int(rng.integers(1, 6)), d)).astype(dtype)
    return theta, X


def _depth(theta, X) -> int:
    d, n, d_ff = theta.attn.d_model, X.shape[1], theta.W1.shape[0]
    return 2 * (2 * d + 8) + 3 * d + n + 16 + d + d_ff + 8  # two LNs, MHA, the feed-forward layer


def _ln_rounding(theta, X, dtype) -> float:
    """The relative rounding the two layer norms add when a row's offset is large against its
    spread (:func:`.layernorm.amplification`): $4(2d + 8)u(A_1 + A_2)$, with $A_1$ from the rows
    of $X$ and $A_2$ from those of $H = X + \\operatorname{MHA}(\\operatorname{LN}_1(X))$."""
    X64 = np.asarray(X, dtype=np.float64)
    a = theta.attn
    attn = attention.MHAParameters(*(np.asarray(v, dtype=np.float64) for v in a.arrays()), a.heads)
    gamma1, beta1 = (np.asarray(v, dtype=np.float64) for v in (theta.gamma1, theta.beta1))
    U1, _ = attention.layernorm_forward(X64, gamma1, beta1, attention.EPS)
    H = X64 + attention.mha_forward(attn, U1)[0]
    A = amplification(X64, attention.EPS) + amplification(H, attention.EPS)
    return 4 * (2 * X.shape[-1] + 8) * unit_roundoff(dtype) * A


def _torch(arrays, heads, activation, causal, eps, grad=False):
    """``<dY, Block(X)>`` by the torch block of ``torch_block_loss`` (float64), and with
    ``grad`` its gradients in the parameters and ``X``; ``arrays`` = parameters, X, dY."""
    params = [
        torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad) for a in arrays[:-2]
    ]
    Xt = torch.tensor(np.asarray(arrays[-2], dtype=np.float64), requires_grad=grad)
    dY = torch.tensor(np.asarray(arrays[-1], dtype=np.float64))
    loss = torch_block_loss(params, Xt, dY, heads, activation, causal, eps)
    if not grad:
        return np.array([float(loss.detach())])
    return [g.numpy() for g in torch.autograd.grad(loss, params + [Xt])]


@single_threaded
def block_matches_torch(
    rng: np.random.Generator, *, dtype: np.dtype, forward=attention.block_forward
) -> Evidence:
    """Block output against an independently written torch pre-LN block (``F.layer_norm``,
    ``F.multi_head_attention_forward``, ``F.linear``) in float64, compared through
    $\\langle dY, Y\\rangle$ for two random $dY$ per instance, causal or not."""
    records = []
    for causal in (False, True):
        for _ in range(3):
            theta, X = _instance(rng, dtype)
            act = str(rng.choice(ACTS))
            Y, _ = forward(theta, X, activation=act, causal=causal)
            for _ in range(2):
                dY = rng.standard_normal(Y.shape).astype(dtype)
                arrays = (*theta.arrays(), X, dY)
                ref = lambda a: _torch(a, theta.attn.heads, act, causal, attention.EPS)  # noqa: E731
                tol = reference_tolerance(ref, arrays, _depth(theta, X) + Y.size, dtype, rng)
                tol += _ln_rounding(theta, X, dtype)
                ours = np.array([float(np.sum(np.asarray(Y, np.float64) * dY))])
                records.append(
                    (
                        relative_error(ours, ref(arrays)),
                        tol,
                        f"shape {X.shape}, {act}, causal = {causal}",
                    )
                )
    return Evidence(
        6,
        (worst_error("$\\langle dY, Y\\rangle$ against a torch pre-LN block (float64)", records),),
    )


@single_threaded
def block_backward_matches_autograd(
    rng: np.random.Generator, *, dtype: np.dtype, backward=attention.block_backward
) -> Evidence:
    """All parameter gradients and $dX$ against torch autograd on the torch block (float64,
    causal or not), and, in float64, against central differences of $\\langle U,
    \\operatorname{Block}(X)\\rangle$ in $X$ (the adjoint identity)."""
    records, fd = [], []
    for causal in (False, True):
        for _ in range(2):
            theta, X = _instance(rng, dtype)
            act = str(rng.choice(ACTS))
            Y, cache = attention.block_forward(theta, X, activation=act, causal=causal)
            dY = rng.standard_normal(Y.shape).astype(dtype)
            dtheta, dX = backward(theta, cache, dY, activation=act)
            arrays = (*theta.arrays(), X, dY)
            ref = lambda a: _torch(a, theta.attn.heads, act, causal, attention.EPS, grad=True)  # noqa: E731
            tol = reference_tolerance(ref, arrays, 2 * _depth(theta, X), dtype, rng)
            tol += 2 * _ln_rounding(theta, X, dtype)
            records.append(
                (
                    relative_error(list(dtheta.arrays()) + [dX], ref(arrays)),
                    tol,
                    f"shape {X.shape}, {act}, causal = {causal}",
                )
            )
    if dtype == np.float64:
        for _ in range(3):
            theta, X = _instance(rng, np.float64)
            Y, cache = attention.block_forward(theta, X, activation="tanh")
            U = rng.standard_normal(Y.shape)
            _, dX = backward(theta, cache, U, activation="tanh")
            f = lambda Z: attention.block_forward(theta, Z, activation="tanh")[0]  # noqa: E731
            # every output entry is computed from terms of the size of the largest output
            size = np.abs(Y) + float(np.max(np.abs(Y)))
            err, tol = adjoint_check(
                f, lambda u: dX, X, U, rng.standard_normal(X.shape), 1e-4, _depth(theta, X), size
            )
            fd.append((err, tol, f"shape {X.shape}, tanh"))
    comparisons = [
        worst_error("block gradients against autograd of a torch block (float64)", records)
    ]
    if fd:
        comparisons.append(
            worst_error(
                "$\\langle dX, H\\rangle$ against central differences",
                fd,
                units="relative discrepancy",
            )
        )
    return Evidence(len(records) + len(fd), tuple(comparisons))


CLAIMS = (
    Witness(
        "def-att-block",
        block_matches_torch,
        "the pre-LN block equals an independently written torch block",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "thm-att-block-backward",
        block_backward_matches_autograd,
        "block gradients equal torch autograd and central differences",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
)
