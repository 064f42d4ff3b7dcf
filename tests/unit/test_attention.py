"""Scaled dot-product and multi-head attention (deepqed.attention.sdpa, .mha): values against
PyTorch, gradients against central differences, masks, shapes, dtypes and validation."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from deepqed import attention
from deepqed._validation import ShapeError


def qkv(rng, lead=(2, 3), n_q=4, n_k=5, d_k=3, d_v=2, dtype=np.float64):
    return (
        rng.standard_normal(lead + (n_q, d_k)).astype(dtype),
        rng.standard_normal(lead + (n_k, d_k)).astype(dtype),
        rng.standard_normal(lead + (n_k, d_v)).astype(dtype),
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("causal", [False, True])
def test_sdpa_matches_torch_and_keeps_dtype(dtype, causal):
    rng = np.random.default_rng(0)
    Q, K, V = qkv(rng, n_q=5, dtype=dtype)
    O, P = attention.sdpa_forward(Q, K, V, causal=causal)
    ref = F.scaled_dot_product_attention(*map(torch.from_numpy, (Q, K, V)), is_causal=causal)
    assert O.dtype == dtype and P.dtype == dtype and O.shape == (2, 3, 5, 2)
    tol = 1e-5 if dtype == np.float32 else 1e-13
    np.testing.assert_allclose(O, ref.numpy(), rtol=tol, atol=tol)


def test_boolean_and_additive_masks_agree():
    rng = np.random.default_rng(1)
    Q, K, V = qkv(rng)
    keep = rng.random((4, 5)) < 0.6
    keep[:, 0] = True
    O1, P1 = attention.sdpa_forward(Q, K, V, mask=keep)
    O2, P2 = attention.sdpa_forward(Q, K, V, mask=np.where(keep, 0.0, -np.inf))
    np.testing.assert_array_equal(P1, P2)
    assert np.all(P1[..., ~keep] == 0)
    np.testing.assert_allclose(P1.sum(axis=-1), 1.0)


def test_fully_masked_row_is_zero_with_zero_gradient():
    rng = np.random.default_rng(2)
    Q, K, V = qkv(rng)
    keep = np.ones((4, 5), dtype=bool)
    keep[2] = False
    O, P = attention.sdpa_forward(Q, K, V, mask=keep)
    assert np.all(O[..., 2, :] == 0) and np.all(P[..., 2, :] == 0)
    dQ, _, _ = attention.sdpa_backward(np.ones_like(O), Q, K, V, P)
    assert np.all(dQ[..., 2, :] == 0)


def test_softmax_rows_is_stable_for_huge_scores():
    S = np.array([[1000.0, 0.0, -np.inf], [-1e4, -1e4 + 1.0, 5.0]])
    P = attention.softmax_rows(S)
    assert np.all(np.isfinite(P))
    np.testing.assert_allclose(P.sum(axis=1), 1.0)


@given(seed=st.integers(0, 2**32 - 1), causal=st.booleans())
@settings(max_examples=20, deadline=None)
def test_sdpa_backward_is_adjoint_of_central_difference(seed, causal):
    rng = np.random.default_rng(seed)
    Q, K, V = qkv(rng, lead=(2,), n_q=3, n_k=3)
    O, P = attention.sdpa_forward(Q, K, V, causal=causal)
    U = rng.standard_normal(O.shape)
    grads = attention.sdpa_backward(U, Q, K, V, P)
    h = 1e-6
    for k, g in enumerate(grads):
        H = rng.standard_normal(g.shape)
        args_p = [Q, K, V]
        args_m = [Q, K, V]
        args_p[k] = args_p[k] + h * H
        args_m[k] = args_m[k] - h * H
        fd = (
            np.sum(U * attention.sdpa_forward(*args_p, causal=causal)[0])
            - np.sum(U * attention.sdpa_forward(*args_m, causal=causal)[0])
        ) / (2 * h)
        assert abs(np.sum(g * H) - fd) <= 1e-7 * (1 + abs(fd))


@given(seed=st.integers(0, 2**32 - 1))
@settings(max_examples=20, deadline=None)
def test_self_attention_is_permutation_equivariant(seed):
    rng = np.random.default_rng(seed)
    theta = attention.init_mha(6, 2, rng=rng)
    X = rng.standard_normal((2, 5, 6))
    perm = rng.permutation(5)
    Y, _ = attention.mha_forward(theta, X)
    Yp, _ = attention.mha_forward(theta, X[:, perm])
    np.testing.assert_allclose(Yp, Y[:, perm], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_mha_forward_backward_match_torch(dtype):
    rng = np.random.default_rng(3)
    d, h = 8, 2
    theta = attention.init_mha(d, h, rng=rng, dtype=dtype)
    X, X_kv = (rng.standard_normal((2, k, d)).astype(dtype) for k in (3, 4))
    mha = torch.nn.MultiheadAttention(
        d, h, batch_first=True, dtype=torch.float32 if dtype == np.float32 else torch.float64
    )
    with torch.no_grad():
        for p, a in zip(
            (mha.in_proj_weight, mha.in_proj_bias, mha.out_proj.weight, mha.out_proj.bias),
            theta.arrays(),
        ):
            p.copy_(torch.from_numpy(a))
    Xt, Xkvt = (torch.from_numpy(a).requires_grad_() for a in (X, X_kv))
    Yt = mha(Xt, Xkvt, Xkvt, need_weights=False)[0]
    Y, cache = attention.mha_forward(theta, X, X_kv)
    dY = rng.standard_normal(Y.shape).astype(dtype)
    Yt.backward(torch.from_numpy(dY))
    dtheta, dX, dX_kv = attention.mha_backward(theta, cache, dY)
    tol = 1e-4 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(Y, Yt.detach().numpy(), rtol=tol, atol=tol)
    np.testing.assert_allclose(dX, Xt.grad.numpy(), rtol=tol, atol=tol)
    np.testing.assert_allclose(dX_kv, Xkvt.grad.numpy(), rtol=tol, atol=tol)
    np.testing.assert_allclose(dtheta.W_in, mha.in_proj_weight.grad.numpy(), rtol=tol, atol=tol)
    assert Y.dtype == dX.dtype == dtheta.W_O.dtype == dtype


def test_mha_parameter_count():
    assert attention.mha_num_parameters(512, 8) == 4 * 512 * 512 + 4 * 512
    with pytest.raises(ValueError):
        attention.mha_num_parameters(10, 3)


def test_shapes_that_depend_on_other_arguments_name_both():
    """Shapes that only another argument determines (the generated bad input of
    tests/unit/test_public_api.py covers each argument on its own)."""
    rng = np.random.default_rng(4)
    Q, K, V = qkv(rng)
    with pytest.raises(ShapeError, match="'Q' and 'K'"):
        attention.sdpa_forward(Q, K[..., :2], V)
    with pytest.raises(ShapeError, match="'K' and 'V'"):
        attention.sdpa_forward(Q, K, V[..., :3, :])
    with pytest.raises(TypeError, match="different dtypes"):
        attention.sdpa_forward(Q, K.astype(np.float32), V)
    with pytest.raises(ShapeError, match="'mask'"):
        attention.sdpa_forward(Q, K, V, mask=np.ones((3, 3), dtype=bool))
    with pytest.raises(ValueError, match="'mask'"):
        attention.sdpa_forward(Q, K, V, mask=np.full((4, 5), np.inf))
    O, P = attention.sdpa_forward(Q, K, V)
    with pytest.raises(ShapeError, match="'P' and 'K'"):
        attention.sdpa_backward(O, Q, K, V, P[..., :4])
    with pytest.raises(TypeError, match="'dO'"):
        attention.sdpa_backward(O.astype(np.float32), Q, K, V, P)
    with pytest.raises(ValueError, match="'heads'"):
        attention.init_mha(6, 4, rng=rng)
    theta = attention.init_mha(6, 2, rng=rng)
    with pytest.raises(ShapeError, match="'X_q'"):
        attention.mha_forward(theta, rng.standard_normal((2, 3, 5)))


def test_residual_stack_jacobian_matches_finite_differences():
    rng = np.random.default_rng(5)
    Ws, bs = attention.random_stack(4, [0.5, 0.3, 0.9], rng=rng)
    x = rng.standard_normal(4)
    for residual in (True, False):
        _, J = attention.stack_jacobian(Ws, bs, x, residual=residual)
        h = 1e-6
        cols = [
            (
                attention.stack_jacobian(Ws, bs, x + h * e, residual=residual)[0]
                - attention.stack_jacobian(Ws, bs, x - h * e, residual=residual)[0]
            )
            / (2 * h)
            for e in np.eye(4)
        ]
        np.testing.assert_allclose(J, np.stack(cols, axis=1), atol=1e-8)
    assert all(math.isclose(np.linalg.norm(W, 2), e) for W, e in zip(Ws, [0.5, 0.3, 0.9]))


def test_mha_per_sample_mask_applies_to_its_sample_only():
    """A mask of shape (B, n_q, n_k) masks each sample with its own mask, for every head."""
    from deepqed import attention

    rng = np.random.default_rng(5)
    B, n, d, h = 3, 5, 8, 2
    theta = attention.init_mha(d, h, rng=rng)
    X = rng.standard_normal((B, n, d))
    mask = rng.random((B, n, n)) < 0.7
    mask[:, :, 0] = True
    Y, _ = attention.mha_forward(theta, X, mask=mask)
    for b in range(B):
        Yb, _ = attention.mha_forward(theta, X[b : b + 1], mask=mask[b])
        np.testing.assert_allclose(Y[b], Yb[0], rtol=1e-12, atol=1e-12)


def test_mha_rejects_a_mask_of_the_wrong_shape():
    from deepqed import attention
    from deepqed._validation import ShapeError

    rng = np.random.default_rng(6)
    theta = attention.init_mha(8, 2, rng=rng)
    X = rng.standard_normal((3, 5, 8))
    with pytest.raises(ShapeError, match=r"'mask'.*got shape \(2, 5, 5\)"):
        attention.mha_forward(theta, X, mask=np.ones((2, 5, 5), bool))
    with pytest.raises(ValueError, match="'heads'"):
        attention.mha_num_parameters(8, 0)
    with pytest.raises(ValueError, match="'heads' must divide"):
        attention.mha_num_parameters(8, 3)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", ["none", "bool", "additive", "causal", "fully masked"])
@pytest.mark.parametrize("width", [3, 80])  # the fast row maximum folds rows of at most 64
def test_fast_kernels_equal_the_plain_code(dtype, kind, width):
    """The kernels multi-head attention uses (in-place softmax, folded row maxima, outputs into
    views) against the plain sdpa_forward / sdpa_backward the book shows."""
    from deepqed.attention import _sdpa_fast

    rng = np.random.default_rng(7)
    Q, K, V = qkv(rng, lead=(2, 2), n_q=5, n_k=width, dtype=dtype)
    mask, causal = None, kind == "causal"
    if kind in ("bool", "fully masked"):
        mask = rng.random((5, width)) < 0.6
        if kind == "fully masked":
            mask[1] = False
    elif kind == "additive":
        mask = np.where(rng.random((5, width)) < 0.6, rng.standard_normal((5, width)), -np.inf)
        mask = mask.astype(dtype)
    O, P = attention.sdpa_forward(Q, K, V, mask=mask, causal=causal)
    O_fast = np.empty_like(O)
    _, P_fast = _sdpa_fast.forward(Q, K, V, mask, causal, out=O_fast)
    dO = rng.standard_normal(O.shape).astype(dtype)
    grads = attention.sdpa_backward(dO, Q, K, V, P)
    grads_fast = _sdpa_fast.backward(dO, Q, K, V, P_fast)
    tol = 1e-5 if dtype == np.float32 else 1e-13
    for ours, ref in ((O_fast, O), (P_fast, P), *zip(grads_fast, grads)):
        assert ours.dtype == dtype and ref.dtype == dtype
        np.testing.assert_allclose(ours, ref, rtol=tol, atol=tol)
