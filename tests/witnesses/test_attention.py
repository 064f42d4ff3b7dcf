"""The attention chapter's witnesses, each handed deliberately broken implementations and bounds
with weakened constants (``BROKEN``; also read by ``test_witnesses.py``)."""

from __future__ import annotations

import dataclasses
import inspect
import math

import numpy as np
import pytest

from deepqed import attention
from deepqed.attention import block as B
from deepqed.nn import ACTIVATIONS
from deepqed.witnesses.attention import block as W_block
from deepqed.witnesses.attention import layernorm as W_ln
from deepqed.witnesses.attention import mha as W_mha
from deepqed.witnesses.attention import residual as W_res
from deepqed.witnesses.attention import sdpa as W_sdpa


def run(check, **kwargs):
    """Evidence of ``check`` at seed 0, over both dtypes when it takes one (passed only if every
    dtype passed)."""
    if "dtype" not in inspect.signature(check).parameters:
        return check(np.random.default_rng(0), **kwargs)
    runs = [
        check(np.random.default_rng(0), dtype=np.dtype(d), **kwargs) for d in ("float32", "float64")
    ]
    return runs[0] if not runs[0].passed else runs[1]


# --- scaled dot-product attention ---------------------------------------------------------------
def sdpa_without_scale(Q, K, V, *, mask=None, causal=False):
    return attention.sdpa_forward(Q * math.sqrt(Q.shape[-1]), K, V, mask=mask, causal=causal)


def sdpa_ignoring_mask(Q, K, V, *, mask=None, causal=False):
    return attention.sdpa_forward(Q, K, V)


def sdpa_boolean_part_of_additive_mask(Q, K, V, *, mask=None, causal=False):
    """Reads an additive mask as a boolean one: its finite entries are dropped."""
    if mask is not None and mask.dtype != bool:
        mask = np.isfinite(mask)
    return attention.sdpa_forward(Q, K, V, mask=mask, causal=causal)


def sdpa_uniform_on_fully_masked_rows(Q, K, V, *, mask=None, causal=False):
    """A fully masked row gets uniform weights (softmax of a constant row) instead of 0."""
    O, P = attention.sdpa_forward(Q, K, V, mask=mask, causal=causal)
    full = P.sum(axis=-1) == 0
    if np.any(full):
        P = P.copy()
        P[full] = 1.0 / K.shape[-2]
        O = P @ V
    return O, P


def sdpa_with_positions(Q, K, V, *, mask=None, causal=False):
    O, P = attention.sdpa_forward(Q, K, V, mask=mask, causal=causal)
    return O + 1e-3 * np.arange(O.shape[-2])[:, None], P


def softmax_backward_unweighted(dP, P):
    return P * (dP - dP.sum(axis=-1, keepdims=True))


def sdpa_backward_dK_unscaled(dO, Q, K, V, P):
    dQ, dK, dV = attention.sdpa_backward(dO, Q, K, V, P)
    return dQ, dK * math.sqrt(Q.shape[-1]), dV


def sdpa_backward_unmasked(dO, Q, K, V, P):
    """Recomputes the weights without the mask (gradients through masked pairs)."""
    _, P_all = attention.sdpa_forward(Q, K, V)
    return attention.sdpa_backward(dO, Q, K, V, P_all)


SDPA_BROKEN = [
    (W_sdpa.sdpa_matches_torch, {"forward": sdpa_without_scale}, "no 1/sqrt(d_k)"),
    (W_sdpa.sdpa_matches_torch, {"forward": sdpa_ignoring_mask}, "mask ignored"),
    (
        W_sdpa.sdpa_matches_torch,
        {"forward": sdpa_boolean_part_of_additive_mask},
        "additive mask read as boolean",
    ),
    (
        W_sdpa.sdpa_matches_torch,
        {"forward": sdpa_uniform_on_fully_masked_rows},
        "uniform weights on fully masked rows",
    ),
    (
        W_sdpa.softmax_backward_matches_autograd,
        {"backward": softmax_backward_unweighted},
        "unweighted row sum",
    ),
    (
        W_sdpa.sdpa_backward_matches_autograd,
        {"backward": sdpa_backward_dK_unscaled},
        "dK without 1/sqrt(d_k)",
    ),
    (
        W_sdpa.sdpa_backward_matches_autograd,
        {"backward": sdpa_backward_unmasked},
        "weights without the mask in the backward",
    ),
    (
        W_sdpa.attention_permutation_equivariance,
        {"forward": sdpa_with_positions},
        "position-dependent output",
    ),
    (
        W_sdpa.masked_positions_get_no_weight_or_gradient,
        {"forward": sdpa_ignoring_mask},
        "mask ignored",
    ),
    (
        W_sdpa.masked_positions_get_no_weight_or_gradient,
        {"forward": sdpa_uniform_on_fully_masked_rows},
        "uniform weights on fully masked rows",
    ),
]


# --- multi-head attention ---------------------------------------------------------------------
def mha_heads_interleaved(theta, X_q, X_kv=None, *, mask=None, causal=False):
    """Splits d into heads as (d_h, h) instead of (h, d_h): a wrong head layout."""
    d, h = theta.d_model, theta.heads
    perm = np.arange(d).reshape(d // h, h).T.ravel()
    W_in = theta.W_in.reshape(3, d, d)[:, perm].reshape(3 * d, d)
    b_in = theta.b_in.reshape(3, d)[:, perm].ravel()
    wrong = attention.MHAParameters(W_in, b_in, theta.W_O, theta.b_O, h)
    return attention.mha_forward(wrong, X_q, X_kv, mask=mask, causal=causal)


def mha_backward_without_output_bias(theta, cache, dY):
    """Forgets the gradient of the output bias b_O (returns 0 for it)."""
    dtheta, dX, dX_kv = attention.mha_backward(theta, cache, dY)
    return dataclasses.replace(dtheta, b_O=np.zeros_like(dtheta.b_O)), dX, dX_kv


MHA_BROKEN = [
    (W_mha.mha_matches_torch, {"forward": mha_heads_interleaved}, "heads interleaved"),
    (
        W_mha.mha_backward_matches_autograd,
        {"backward": mha_backward_without_output_bias},
        "no gradient for b_O",
    ),
    (W_mha.mha_parameter_count, {"count": lambda d, h: 4 * d * d}, "biases not counted"),
]


# --- layer normalisation ----------------------------------------------------------------------
def layernorm_unbiased(X, gamma, beta, eps=attention.EPS):
    n = X.shape[-1]
    Y, cache = attention.layernorm_forward(X * math.sqrt((n - 1) / n), gamma, beta, eps)
    return Y, cache


def layernorm_jacobian_without_xhat(x, gamma, eps=attention.EPS):
    n = x.shape[0]
    s = np.sqrt(np.var(x) + eps)
    return (gamma / s)[:, None] * (np.eye(n) - 1 / n)


def layernorm_backward_without_mean(dY, gamma, cache):
    G = dY * gamma
    dX = (G - cache.X_hat * np.mean(G * cache.X_hat, axis=-1, keepdims=True)) * cache.inv_s
    axes = tuple(range(dY.ndim - 1))
    return dX, np.sum(dY * cache.X_hat, axis=axes), np.sum(dY, axis=axes)


LN_BROKEN = [
    (W_ln.layernorm_matches_torch, {"forward": layernorm_unbiased}, "unbiased variance"),
    (
        W_ln.layernorm_jacobian_and_backward,
        {"jacobian": layernorm_jacobian_without_xhat},
        "Jacobian without the x_hat term",
    ),
    (
        W_ln.layernorm_jacobian_and_backward,
        {"backward": layernorm_backward_without_mean},
        "backward without the mean term",
    ),
]


# --- residual stacks --------------------------------------------------------------------------
def stack_jacobian_without_identity(Ws, bs, x, *, residual):
    return attention.stack_jacobian(Ws, bs, x, residual=False)


def stack_jacobian_transposed(Ws, bs, x, *, residual):
    return attention.stack_jacobian([W.T for W in Ws], bs, x, residual=residual)


def singular_values_scaled(M):
    """Singular values off by a factor 1.5."""
    return 1.5 * np.linalg.svd(M, compute_uv=False)


PI, PR, SI, DI, PB = (
    W_res.perturbation_interval,
    W_res.product_interval,
    W_res.stack_interval,
    W_res.depth_interval,
    W_res.plain_bound,
)

RESIDUAL_BROKEN = [
    (
        W_res.perturbed_identity_singular_values,
        {"singular_values": singular_values_scaled},
        "singular values times 1.5",
    ),
    (
        W_res.perturbed_identity_singular_values,
        {"perturbation_interval": lambda e: (1 - 2 * e, 1 + 2 * e)},
        "[1 - 2 eps, 1 + 2 eps]",
    ),
    (
        W_res.perturbed_identity_singular_values,
        {"product_interval": lambda sa, sb: (PR(sa, sb)[0] / 2, PR(sa, sb)[1])},
        "product lower bound halved",
    ),
    (
        W_res.residual_stack_singular_values,
        {"jacobian": stack_jacobian_without_identity},
        "identity path dropped",
    ),
    (
        W_res.residual_stack_singular_values,
        {"bounds": lambda eps: (SI(eps)[0], SI(eps)[1] ** 2)},
        "upper bound squared",
    ),
    (
        W_res.residual_stack_singular_values,
        {"bounds": lambda eps: (SI(eps)[0] / 2, SI(eps)[1])},
        "lower bound halved",
    ),
    (
        W_res.depth_scaled_stack,
        {"bounds": lambda S: (DI(S)[0], math.exp(2 * S))},
        "e^(2S) instead of e^S",
    ),
    (
        W_res.depth_scaled_stack,
        {"bounds": lambda S: (1 - 2 * S, DI(S)[1])},
        "1 - 2S instead of 1 - S",
    ),
    (
        W_res.depth_scaled_stack,
        {"bounds": lambda S: (1 - S / 2, DI(S)[1])},
        "1 - S/2 instead of 1 - S (too strong)",
    ),
    (
        W_res.plain_stack_singular_values,
        {"jacobian": stack_jacobian_transposed},
        "W transposed",
    ),
    (W_res.plain_stack_singular_values, {"bound": lambda e: 2 * PB(e)}, "plain bound times 2"),
    (
        W_res.plain_stack_singular_values,
        {"bound": lambda e: float(np.prod(np.sqrt(e)))},
        "plain bound with the exponent halved",
    ),
]


# --- the block --------------------------------------------------------------------------------
def block_post_ln(theta, X, *, activation="gelu", causal=False, eps=attention.EPS):
    """The post-LN variant: LN after the residual sums (not the block of def-att-block)."""
    M, _ = attention.mha_forward(theta.attn, X, causal=causal)
    H, _ = attention.layernorm_forward(X + M, theta.gamma1, theta.beta1, eps)
    A = ACTIVATIONS[activation].sigma(np, H @ theta.W1.T + theta.b1)
    Y, _ = attention.layernorm_forward(
        H + A @ theta.W2.T + theta.b2, theta.gamma2, theta.beta2, eps
    )
    return Y, None


def block_backward_without_skip(theta, cache, dY, *, activation="gelu"):
    """Drops the direct path dY -> dX of the two skip connections from dX."""
    dtheta, dX = B.block_backward(theta, cache, dY, activation=activation)
    return dtheta, dX - dY


BLOCK_BROKEN = [
    (W_block.block_matches_torch, {"forward": block_post_ln}, "post-LN block"),
    (
        W_block.block_backward_matches_autograd,
        {"backward": block_backward_without_skip},
        "skip connections dropped from dX",
    ),
]

#: (witness, broken implementation, bug): read by test_witnesses.py, which checks that every
#: witness of the book is shown to fail somewhere.
BROKEN = SDPA_BROKEN + MHA_BROKEN + LN_BROKEN + RESIDUAL_BROKEN + BLOCK_BROKEN


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize(
    "check,broken,bug", BROKEN, ids=[f"{c.__name__}:{b}" for c, _, b in BROKEN]
)
def test_witness_detects_broken_implementation(check, broken, bug):
    out = run(check, **broken)
    assert not out.passed, f"{check.__name__} did not detect: {bug} ({out})"


@pytest.mark.parametrize("check", sorted({c for c, _, _ in BROKEN}, key=lambda c: c.__name__))
def test_witness_passes_with_the_library(check):
    assert run(check).passed
