"""The pre-LN transformer block (deepqed.attention.block): gradients against central differences
and torch autograd, equivariance, dtypes, validation."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from deepqed import attention
from deepqed._validation import ShapeError
from deepqed.witnesses.attention._common import torch_block_loss


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("activation", ["gelu", "relu", "tanh"])
def test_block_gradients_match_torch(dtype, activation):
    rng = np.random.default_rng(0)
    theta = attention.init_block(8, 2, 12, rng=rng, dtype=dtype)
    X = rng.standard_normal((2, 5, 8)).astype(dtype)
    Y, cache = attention.block_forward(theta, X, activation=activation, causal=True)
    dY = rng.standard_normal(Y.shape).astype(dtype)
    dtheta, dX = attention.block_backward(theta, cache, dY, activation=activation)
    params = [torch.from_numpy(a).requires_grad_() for a in theta.arrays()]
    Xt = torch.from_numpy(X).requires_grad_()
    loss = torch_block_loss(params, Xt, torch.from_numpy(dY), 2, activation, True, attention.EPS)
    grads = torch.autograd.grad(loss, params + [Xt])
    tol = 2e-4 if dtype == np.float32 else 1e-11
    for ours, ref in zip(list(dtheta.arrays()) + [dX], grads):
        assert ours.dtype == dtype
        scale = float(np.abs(ref.numpy()).max()) or 1.0
        np.testing.assert_allclose(ours, ref.numpy(), rtol=tol, atol=tol * scale)


def test_block_input_gradient_matches_central_differences():
    rng = np.random.default_rng(1)
    theta = attention.init_block(6, 3, 10, rng=rng)
    X = rng.standard_normal((1, 4, 6))
    Y, cache = attention.block_forward(theta, X)
    U = rng.standard_normal(Y.shape)
    _, dX = attention.block_backward(theta, cache, U)
    for _ in range(3):
        H = rng.standard_normal(X.shape)
        h = 1e-5
        fd = (
            np.sum(U * attention.block_forward(theta, X + h * H)[0])
            - np.sum(U * attention.block_forward(theta, X - h * H)[0])
        ) / (2 * h)
        assert abs(np.sum(dX * H) - fd) <= 1e-7 * (1 + abs(fd))


def test_block_without_mask_is_permutation_equivariant():
    rng = np.random.default_rng(2)
    theta = attention.init_block(6, 2, 10, rng=rng)
    X = rng.standard_normal((2, 5, 6))
    perm = rng.permutation(5)
    np.testing.assert_allclose(
        attention.block_forward(theta, X[:, perm])[0],
        attention.block_forward(theta, X)[0][:, perm],
        atol=1e-12,
    )


def test_block_validation():
    rng = np.random.default_rng(3)
    theta = attention.init_block(6, 2, 10, rng=rng)
    with pytest.raises(ShapeError, match="'X'"):
        attention.block_forward(theta, rng.standard_normal((2, 5, 4)))
    with pytest.raises(ValueError, match="'activation'"):
        attention.block_forward(theta, rng.standard_normal((2, 5, 6)), activation="swish")
    with pytest.raises(ShapeError, match="'W2'"):
        attention.BlockParameters(
            theta.gamma1,
            theta.beta1,
            theta.attn,
            theta.gamma2,
            theta.beta2,
            theta.W1,
            theta.b1,
            theta.W2[:, :3],
            theta.b2,
        )
