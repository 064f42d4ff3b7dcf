"""Unit tests of ``deepqed.cnn.pool``: values and gradients against torch, the tie convention,
shapes and validation."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from deepqed import cnn


@st.composite
def pool_problems(draw):
    k = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    s = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    n = (draw(st.integers(k[0], k[0] + 6)), draw(st.integers(k[1], k[1] + 6)))
    ties = draw(st.booleans())
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    X = (
        rng.integers(0, 3, size=(2, 2, *n)).astype(float)
        if ties
        else rng.standard_normal((2, 2, *n))
    )
    return X, k, s


@settings(max_examples=80, deadline=None)
@given(pool_problems())
def test_pooling_forward_and_backward_match_torch(problem):
    X, k, s = problem
    Xt = torch.tensor(X, requires_grad=True)
    for ours, ref_fn in ((cnn.avg_pool2d, F.avg_pool2d), (cnn.max_pool2d, F.max_pool2d)):
        np.testing.assert_allclose(ours(X, k, s), ref_fn(Xt, k, s).detach().numpy(), rtol=1e-12)
    G = np.random.default_rng(0).standard_normal(cnn.max_pool2d(X, k, s).shape)
    Z, idx = cnn.max_pool2d_forward(X, k, s)
    (ref,) = torch.autograd.grad(F.max_pool2d(Xt, k, s), Xt, torch.tensor(G))
    np.testing.assert_allclose(cnn.max_pool2d_backward(G, idx, X.shape, k, s), ref.numpy())
    (ref,) = torch.autograd.grad(F.avg_pool2d(Xt, k, s), Xt, torch.tensor(G))
    np.testing.assert_allclose(
        cnn.avg_pool2d_backward(G, X.shape, k, s), ref.numpy(), rtol=1e-12, atol=1e-14
    )


def test_tie_goes_to_the_first_maximiser_in_row_major_order():
    X = np.array([[[[0.0, 5.0], [5.0, 5.0]]]])
    Z, idx = cnn.max_pool2d_forward(X, 2)
    assert idx.item() == 1 and Z.item() == 5.0
    dX = cnn.max_pool2d_backward(np.array([[[[2.0]]]]), idx, X.shape, 2)
    np.testing.assert_array_equal(dX, [[[[0.0, 2.0], [0.0, 0.0]]]])


def test_overlapping_windows_add_up():
    X = np.array([[[[0.0, 9.0, 0.0]]]])  # both windows of width 2 select the 9
    Z, idx = cnn.max_pool2d_forward(X, (1, 2), (1, 1))
    dX = cnn.max_pool2d_backward(np.ones_like(Z), idx, X.shape, (1, 2), (1, 1))
    np.testing.assert_array_equal(dX, [[[[0.0, 2.0, 0.0]]]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtypes(dtype):
    X = np.random.default_rng(0).standard_normal((1, 2, 6, 6)).astype(dtype)
    assert cnn.avg_pool2d(X, 2).dtype == dtype and cnn.max_pool2d(X, 3).dtype == dtype
    Z, idx = cnn.max_pool2d_forward(X, 2)
    assert cnn.max_pool2d_backward(np.ones_like(Z), idx, X.shape, 2).dtype == dtype


def test_dynamic_checks_name_the_argument():
    X = np.zeros((1, 1, 4, 4))
    with pytest.raises(ValueError, match="'kernel_size' must have a dilated kernel"):
        cnn.max_pool2d(X, 5)
    with pytest.raises(ValueError, match=r"'G' must have the output shape.*\(1, 1, 2, 2\)"):
        cnn.avg_pool2d_backward(np.zeros((1, 1, 3, 3)), X.shape, 2)
    Z, idx = cnn.max_pool2d_forward(X, 2)
    with pytest.raises(ValueError, match=r"'idx' must hold window offsets .* \[0, 4\)"):
        cnn.max_pool2d_backward(np.ones_like(Z), idx + 4, X.shape, 2)  # once a zero gradient
    with pytest.raises(ValueError, match="'input_shape' must have positive entries"):
        cnn.max_pool2d_backward(np.ones_like(Z), idx, (1, 1, 4, 0), 2)
