"""The attention chapter's witnesses fail when handed deliberately broken implementations."""

from __future__ import annotations

import dataclasses
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


def _fails(figures) -> bool:
    return not figures.passed or math.isnan(figures.max_error)


# --- scaled dot-product attention ---------------------------------------------------------------
def sdpa_without_scale(Q, K, V, *, mask=None, causal=False):
    return attention.sdpa_forward(Q * math.sqrt(Q.shape[-1]), K, V, mask=mask, causal=causal)


def sdpa_ignoring_mask(Q, K, V, *, mask=None, causal=False):
    return attention.sdpa_forward(Q, K, V)


def sdpa_with_positions(Q, K, V, *, mask=None, causal=False):
    O, P = attention.sdpa_forward(Q, K, V, mask=mask, causal=causal)
    return O + 1e-3 * np.arange(O.shape[-2])[:, None], P


def softmax_backward_unweighted(dP, P):
    return P * (dP - dP.sum(axis=-1, keepdims=True))


def sdpa_backward_dK_unscaled(dO, Q, K, V, P):
    dQ, dK, dV = attention.sdpa_backward(dO, Q, K, V, P)
    return dQ, dK * math.sqrt(Q.shape[-1]), dV


SDPA_BROKEN = [
    (W_sdpa.sdpa_matches_torch, {"forward": sdpa_without_scale}),
    (W_sdpa.sdpa_matches_torch, {"forward": sdpa_ignoring_mask}),
    (W_sdpa.softmax_backward_matches_autograd, {"backward": softmax_backward_unweighted}),
    (W_sdpa.sdpa_backward_matches_autograd, {"backward": sdpa_backward_dK_unscaled}),
    (W_sdpa.attention_permutation_equivariance, {"forward": sdpa_with_positions}),
    (W_sdpa.masked_positions_get_no_weight_or_gradient, {"forward": sdpa_ignoring_mask}),
]


@pytest.mark.parametrize(
    ("witness", "kwargs"),
    SDPA_BROKEN,
    ids=["no-scale", "no-mask", "softmax-unweighted", "dK-unscaled", "positions", "mask-ignored"],
)
def test_sdpa_witnesses_fail_on_broken_code(witness, kwargs):
    assert _fails(witness(np.random.default_rng(0), **kwargs))


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


def test_mha_witnesses_fail_on_broken_code():
    rng = np.random.default_rng
    assert _fails(W_mha.mha_matches_torch(rng(0), forward=mha_heads_interleaved))
    assert _fails(
        W_mha.mha_backward_matches_autograd(rng(0), backward=mha_backward_without_output_bias)
    )
    assert _fails(W_mha.mha_parameter_count(rng(0), count=lambda d, h: 4 * d * d))


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


def test_layernorm_witnesses_fail_on_broken_code():
    rng = np.random.default_rng
    assert _fails(W_ln.layernorm_matches_torch(rng(0), forward=layernorm_unbiased))
    assert _fails(
        W_ln.layernorm_jacobian_and_backward(rng(0), jacobian=layernorm_jacobian_without_xhat)
    )
    assert _fails(
        W_ln.layernorm_jacobian_and_backward(rng(0), backward=layernorm_backward_without_mean)
    )


# --- residual stacks --------------------------------------------------------------------------
def stack_jacobian_without_identity(Ws, bs, x, *, residual):
    out, J = attention.stack_jacobian(Ws, bs, x, residual=False)
    return out, J


def stack_jacobian_transposed(Ws, bs, x, *, residual):
    return attention.stack_jacobian([W.T for W in Ws], bs, x, residual=residual)


def test_residual_witnesses_fail_on_broken_code():
    rng = np.random.default_rng
    assert _fails(
        W_res.residual_stack_singular_values(rng(0), jacobian=stack_jacobian_without_identity)
    )
    assert _fails(W_res.plain_stack_singular_values(rng(0), jacobian=stack_jacobian_transposed))


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


def test_block_witnesses_fail_on_broken_code():
    rng = np.random.default_rng
    assert _fails(W_block.block_matches_torch(rng(0), forward=block_post_ln))
    assert _fails(
        W_block.block_backward_matches_autograd(rng(0), backward=block_backward_without_skip)
    )


#: (witness, broken implementation): read by test_witnesses.py, which checks that every witness
#: of the book is shown to fail somewhere (the tests above assert that each one fails).
def singular_values_scaled(M):
    """Singular values off by a factor 1.5."""
    return 1.5 * np.linalg.svd(M, compute_uv=False)


def test_singular_value_witness_fails_on_broken_svd():
    assert _fails(
        W_res.perturbed_identity_singular_values(
            np.random.default_rng(0), singular_values=singular_values_scaled
        )
    )


BROKEN = SDPA_BROKEN + [
    (W_res.perturbed_identity_singular_values, {"singular_values": singular_values_scaled}),
    (W_mha.mha_matches_torch, {"forward": mha_heads_interleaved}),
    (W_mha.mha_backward_matches_autograd, {"backward": mha_backward_without_output_bias}),
    (W_mha.mha_parameter_count, {"count": lambda d, h: 4 * d * d}),
    (W_ln.layernorm_matches_torch, {"forward": layernorm_unbiased}),
    (W_ln.layernorm_jacobian_and_backward, {"jacobian": layernorm_jacobian_without_xhat}),
    (W_res.residual_stack_singular_values, {"jacobian": stack_jacobian_without_identity}),
    (W_res.plain_stack_singular_values, {"jacobian": stack_jacobian_transposed}),
    (W_block.block_matches_torch, {"forward": block_post_ln}),
    (W_block.block_backward_matches_autograd, {"backward": block_backward_without_skip}),
]
