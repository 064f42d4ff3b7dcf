"""Activations, softmax and logsumexp (deepqed.nn.activations): algebraic properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import ACTIVATION_NAMES, SMOOTH, dtypes, float_arrays, matrices

from deepqed import gradcheck, nn

PUBLIC = {name: (getattr(nn, name), getattr(nn, name + "_prime")) for name in ACTIVATION_NAMES}


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
@given(Z=matrices(bound=20.0), dtype=dtypes())
@settings(max_examples=25, deadline=None)
def test_shape_and_dtype_preserved(name, Z, dtype):
    Z = Z.astype(dtype)
    sigma, sigma_prime = PUBLIC[name]
    for out in (sigma(Z), sigma_prime(Z)):
        assert out.shape == Z.shape and out.dtype == Z.dtype
        assert np.all(np.isfinite(out))


@pytest.mark.parametrize("name", SMOOTH)
@given(z=float_arrays((5,), bound=8.0))
@settings(max_examples=30, deadline=None)
def test_derivative_is_central_difference(name, z):
    sigma, sigma_prime = PUBLIC[name]
    h = 1e-5
    cd = gradcheck.central_difference(sigma, z, np.ones_like(z), h)  # elementwise: v = 1
    np.testing.assert_allclose(sigma_prime(z), cd, atol=1e-8, rtol=1e-7)


@pytest.mark.parametrize("name", ["relu", "leaky_relu"])
@given(z=float_arrays((6,), bound=8.0).filter(lambda z: np.all(np.abs(z) > 1e-3)))
@settings(max_examples=30, deadline=None)
def test_kinked_derivative_away_from_zero(name, z):
    sigma, sigma_prime = PUBLIC[name]
    cd = gradcheck.central_difference(sigma, z, np.ones_like(z), 1e-4)
    np.testing.assert_allclose(sigma_prime(z), cd, rtol=1e-9, atol=1e-12)


def test_conventions_at_zero():
    zero = np.zeros(4)
    assert np.all(nn.relu_prime(zero) == 0.0)
    assert np.all(nn.leaky_relu_prime(zero) == 0.01)
    assert np.all(nn.leaky_relu_prime(zero, 0.3) == 0.3)
    t = torch.zeros(4, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(torch.relu(t).sum(), t)
    assert np.array_equal(g.numpy(), nn.relu_prime(zero))


@given(z=float_arrays((7,), bound=30.0))
@settings(max_examples=50, deadline=None)
def test_sigmoid_identities(z):
    s = nn.sigmoid(z)
    assert np.all((s >= 0) & (s <= 1))
    np.testing.assert_allclose(nn.sigmoid(-z), 1 - s, atol=1e-15)
    np.testing.assert_allclose(nn.tanh(z), 2 * nn.sigmoid(2 * z) - 1, atol=1e-15)  # tanh-sigmoid
    np.testing.assert_allclose(nn.softplus_prime(z), s, atol=0)
    np.testing.assert_allclose(nn.relu(z) - nn.relu(-z), z, atol=0)
    np.testing.assert_allclose(nn.gelu(z) - nn.gelu(-z), z, atol=1e-13)


def test_no_overflow_at_extreme_inputs():
    z = np.array([-1e4, -800.0, 0.0, 800.0, 1e4])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s, sp = nn.sigmoid(z), nn.softplus(z)
    assert s[0] == 0.0 and s[-1] == 1.0 and sp[-1] == 1e4 and sp[0] == 0.0


@given(Z=matrices(bound=50.0), c=st.floats(-100, 100))
@settings(max_examples=50, deadline=None)
def test_softmax_rows_are_probability_vectors_and_shift_invariant(Z, c):
    S = nn.softmax(Z)
    assert np.all(S >= 0)
    np.testing.assert_allclose(S.sum(axis=1), 1.0, rtol=1e-14)
    np.testing.assert_allclose(nn.softmax(Z + c), S, atol=1e-12)
    lse = nn.logsumexp(Z)
    assert np.all(lse >= Z.max(axis=1) - 1e-12)
    assert np.all(lse <= Z.max(axis=1) + math.log(Z.shape[1]) + 1e-12)
    np.testing.assert_allclose(nn.logsumexp(Z + c), lse + c, atol=1e-12 * (1 + abs(c)))
    np.testing.assert_allclose(np.exp(Z - lse[:, None]), S, atol=1e-14)


@given(z=float_arrays((6,), bound=10.0))
@settings(max_examples=50, deadline=None)
def test_softmax_jacobian_properties(z):
    J = nn.softmax_jacobian(z)
    s = nn.softmax(z[None, :])[0]
    np.testing.assert_array_equal(J, J.T)  # symmetric
    np.testing.assert_allclose(J @ np.ones(6), 0.0, atol=1e-15)  # J 1 = 0
    assert np.linalg.eigvalsh(J).min() >= -1e-15  # PSD
    np.testing.assert_allclose(J, np.diag(s) - np.outer(s, s), atol=0)


@given(z=float_arrays((5,), bound=5.0), v=float_arrays((5,), bound=1.0))
@settings(max_examples=40, deadline=None)
def test_softmax_jacobian_is_derivative(z, v):
    cd = gradcheck.central_difference(lambda t: nn.softmax(t[None, :])[0], z, v, 1e-5)
    np.testing.assert_allclose(nn.softmax_jacobian(z) @ v, cd, atol=1e-9)


def test_activation_table_derivative_agrees():
    Z = np.random.default_rng(0).standard_normal((4, 3)) * 3
    for act in nn.ACTIVATIONS.values():
        np.testing.assert_allclose(
            act.derivative(np, Z, act.sigma(np, Z)), act.sigma_prime(np, Z), atol=1e-15
        )


@pytest.mark.parametrize("name", sorted(nn.ACTIVATIONS))
def test_table_derivative_is_a_new_array(name):
    """The backward sweep multiplies G into ``derivative``'s result in place (NumPy), so it must be
    a new array of Z's shape and dtype, sharing no memory with Z or A."""
    act = nn.ACTIVATIONS[name]
    Z = np.random.default_rng(1).standard_normal((5, 4)).astype(np.float32)
    A = act.sigma(np, Z)
    Z0, A0 = Z.copy(), A.copy()
    D = act.derivative(np, Z, A)
    assert isinstance(D, np.ndarray) and D.shape == Z.shape and D.dtype == Z.dtype
    assert not np.shares_memory(D, Z) and not np.shares_memory(D, A)
    D *= 3.0
    np.testing.assert_array_equal(Z, Z0)
    np.testing.assert_array_equal(A, A0)


@pytest.mark.parametrize("dtype,eps", [(np.float64, 2.0**-53), (np.float32, 2.0**-24)])
def test_saturating_derivatives_are_relatively_accurate(dtype, eps):
    """sigma' and tanh' in the saturated range, against mpmath with 30 digits: relative error of
    a few units of the unit roundoff, where sigma(1 - sigma) and 1 - tanh^2 lose every digit."""
    import mpmath

    top = 700.0 if dtype == np.float64 else 80.0  # e^{-|z|} still a normal number
    z = np.concatenate([np.linspace(-top, top, 201), [-1e-30, 0.0, 1e-30]]).astype(dtype)
    with mpmath.workdps(30):
        for f, exact in (
            (nn.sigmoid_prime, lambda t: mpmath.exp(-abs(t)) / (1 + mpmath.exp(-abs(t))) ** 2),
            (nn.tanh_prime, lambda t: 1 / mpmath.cosh(t) ** 2 if abs(t) < top / 2 else None),
        ):
            out = f(z)
            assert out.dtype == dtype
            for o, t in zip(out, z):
                ref = exact(mpmath.mpf(float(t)))
                if ref is None:  # tanh' = 4 sigma'(2z) underflows below the normal range
                    continue
                assert abs(mpmath.mpf(float(o)) - ref) <= 8 * eps * ref, (f.__name__, t)
