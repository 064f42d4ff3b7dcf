"""Layer normalisation (deepqed.attention.layernorm): forward and backward against
torch.nn.LayerNorm, the closed-form Jacobian, invariances, validation."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from deepqed import attention
from deepqed._validation import ShapeError


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("eps", [0.0, 1e-5, 0.3])
def test_forward_backward_match_torch(dtype, eps):
    rng = np.random.default_rng(0)
    X = (3 * rng.standard_normal((2, 3, 6)) + 1).astype(dtype)
    gamma, beta = (rng.standard_normal(6).astype(dtype) for _ in range(2))
    ln = torch.nn.LayerNorm(
        6, eps=eps, dtype=torch.float32 if dtype == np.float32 else torch.float64
    )
    with torch.no_grad():
        ln.weight.copy_(torch.from_numpy(gamma))
        ln.bias.copy_(torch.from_numpy(beta))
    Xt = torch.from_numpy(X).requires_grad_()
    Yt = ln(Xt)
    dY = rng.standard_normal(X.shape).astype(dtype)
    Yt.backward(torch.from_numpy(dY))
    Y, cache = attention.layernorm_forward(X, gamma, beta, eps)
    dX, dgamma, dbeta = attention.layernorm_backward(dY, gamma, cache)
    tol = 1e-4 if dtype == np.float32 else 1e-12
    for ours, ref in ((Y, Yt), (dX, Xt.grad), (dgamma, ln.weight.grad), (dbeta, ln.bias.grad)):
        np.testing.assert_allclose(ours, ref.detach().numpy(), rtol=tol, atol=tol)
        assert ours.dtype == dtype


@given(seed=st.integers(0, 2**32 - 1), eps=st.sampled_from([0.0, 1e-5, 1.0]))
@settings(max_examples=25, deadline=None)
def test_jacobian_properties(seed, eps):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 8))
    x, gamma = rng.standard_normal(n) + 1, rng.standard_normal(n)
    J = attention.layernorm_jacobian(x, gamma, eps)
    h = 1e-6
    cols = [
        (
            attention.layernorm_forward(x + h * e, gamma, 0 * gamma, eps)[0]
            - attention.layernorm_forward(x - h * e, gamma, 0 * gamma, eps)[0]
        )
        / (2 * h)
        for e in np.eye(n)
    ]
    np.testing.assert_allclose(J, np.stack(cols, axis=1), atol=1e-6)
    np.testing.assert_allclose(J @ np.ones(n), 0, atol=1e-12)
    if eps == 0.0:
        np.testing.assert_allclose(J @ x, 0, atol=1e-10)
        Y0 = attention.layernorm_forward(x, gamma, gamma, 0.0)[0]
        Y1 = attention.layernorm_forward(2.5 * x - 3, gamma, gamma, 0.0)[0]
        np.testing.assert_allclose(Y1, Y0, atol=1e-12)


def test_constant_row_without_eps_is_rejected():
    with pytest.raises(ValueError, match="'X' must have no constant row"):
        attention.layernorm_forward(np.ones((2, 3)), np.ones(3), np.zeros(3), 0.0)
    Y, _ = attention.layernorm_forward(np.ones((2, 3)), np.ones(3), np.zeros(3), 1e-5)
    assert np.all(Y == 0)


def test_gamma_and_beta_must_match_the_rows():
    X = np.ones((2, 3)) + np.arange(3)
    with pytest.raises(ShapeError, match="'gamma'"):
        attention.layernorm_forward(X, np.ones(4), np.zeros(3))
    with pytest.raises(TypeError, match="different dtypes"):
        attention.layernorm_forward(X, np.ones(3, dtype=np.float32), np.zeros(3))
    _, cache = attention.layernorm_forward(X, np.ones(3), np.zeros(3))
    for gamma in (np.array(2.0), np.ones(4), 2.0):  # a scalar gamma no longer broadcasts
        with pytest.raises((TypeError, ValueError), match="'gamma'"):
            attention.layernorm_backward(np.ones((2, 3)), gamma, cache)
    with pytest.raises(ValueError, match="'dY'"):
        attention.layernorm_backward(np.ones((3, 3)), np.ones(3), cache)
