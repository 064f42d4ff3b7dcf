"""Unit tests of ``deepqed.initialisation``: shapes, closed forms, limits, error messages."""

from __future__ import annotations

import math

import numpy as np
import pytest

from deepqed import initialisation as ini


def test_weight_gains_and_init_weights():
    w = np.array([4, 8, 2])
    np.testing.assert_allclose(ini.weight_gains(w, "glorot"), [2 * 4 / 12, 2 * 8 / 10])
    Ws = ini.init_weights(w, "he", np.random.default_rng(0))
    assert [W.shape for W in Ws] == [(8, 4), (2, 8)]
    Q = ini.init_weights(w, "orthogonal", np.random.default_rng(1), gain=2.0)
    np.testing.assert_allclose(Q[0].T @ Q[0], 2 * np.eye(4), atol=1e-12)  # orthonormal columns
    np.testing.assert_allclose(Q[1] @ Q[1].T, 2 * np.eye(2), atol=1e-12)  # orthonormal rows
    with pytest.raises(ValueError, match="'scheme'"):
        ini.init_weights(w, "xavier", np.random.default_rng(0))


def test_haar_batch_shape():
    Q = ini.haar_orthogonal(3, 5, np.random.default_rng(0), size=7)
    assert Q.shape == (7, 3, 5)
    np.testing.assert_allclose(
        Q @ np.swapaxes(Q, 1, 2), np.broadcast_to(np.eye(3), (7, 3, 3)), atol=1e-12
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_random_networks_shapes_and_dtype(dtype):
    w = np.array([3, 5, 4])
    x = np.ones(3, dtype=dtype)
    s = ini.random_networks(w, x, np.array([2.0, 2.0]), 0.0, "relu", 6, np.random.default_rng(0), x)
    assert [z.shape for z in s.Z] == [(6, 5), (6, 4)] and s.Z[0].dtype == dtype
    assert s.T is not None and np.all(s.A[0] >= 0)
    with pytest.raises(ValueError, match="'gains'"):
        ini.random_networks(w, x, np.array([2.0]), 0.0, "relu", 6, np.random.default_rng(0))


def test_relu_variance_recursion():
    np.testing.assert_allclose(
        ini.relu_variance_recursion(np.array([2.0, 1.0, 1.0]), 0.0, 1.0), [1.0, 0.5, 0.25]
    )


def test_exact_law_moments_and_cdf_limits():
    w = np.array([4, 8, 8])
    m1, m2 = ini.relu_norm_moments(w, 2.0)
    assert m1 == pytest.approx(2.0) and m2 / m1**2 == pytest.approx((1 + 5 / 8) ** 2)
    F = ini.relu_norm_log_cdf(np.array([-25.0, 12.0]), w, 2.0)
    atom = 1 - (1 - 2.0**-8) ** 2
    assert F[0] == pytest.approx(atom, abs=1e-6) and F[1] == pytest.approx(1.0, abs=1e-6)
    Y = ini.relu_norm_law_sample(w, 2.0, 200_000, np.random.default_rng(0))
    assert Y.mean() == pytest.approx(m1, rel=0.02)
    assert ini.fourth_moment_factor(np.array([], dtype=int)) == 1.0


def test_linear_cdf_is_a_distribution_function():
    y = np.linspace(-6, 4, 50)
    F = ini.linear_norm_log_cdf(y, 3, 4, 1.0)
    assert np.all(np.diff(F) >= -1e-9) and F[0] < 0.05 and F[-1] > 0.95


def test_normal_quadrature_moments():
    z, w = ini.normal_quadrature()
    assert w.sum() == pytest.approx(1.0, abs=1e-14)
    assert w @ z**2 == pytest.approx(1.0, abs=1e-13) and w @ z**4 == pytest.approx(3.0, abs=1e-12)


def test_relu_nngp_diagonal_and_correlation():
    X = np.random.default_rng(2).standard_normal((3, 4))
    K = ini.nngp_kernel(X, 4, 2.0, 0.0, "relu")
    np.testing.assert_allclose(np.diag(K), 2 * np.sum(X * X, axis=1) / 4)
    assert ini.relu_correlation(np.array([1.0 + 1e-15, -1.0 - 1e-15])) == pytest.approx([1.0, 0.0])
    lin = ini.nngp_kernel(X, 3, 1.5, 0.1, "identity")
    K1 = 0.1 + 1.5 * X @ X.T / 4
    np.testing.assert_allclose(lin, 0.1 + 1.5 * (0.1 + 1.5 * K1), rtol=1e-12)


def test_tanh_maps():
    q = ini.length_fixed_point(1.5, 0.05)
    assert ini.length_map(q, 1.5, 0.05, "tanh") == pytest.approx(q, rel=1e-12)
    assert float(ini.correlation_map(np.array(1.0), q, 1.5, 0.05, "tanh")) == pytest.approx(
        1.0, abs=1e-10
    )
    assert ini.length_fixed_point(0.8, 0.0) == 0.0
    assert ini.correlation_fixed_point(q, 1.5, 0.05, "tanh") == 1.0  # ordered
    b = ini.hermite_coefficients(q, "tanh", 80)
    np.testing.assert_allclose(b[::2], 0.0, atol=1e-14)  # tanh is odd
    assert ini.chi1(q, 1.5, "tanh") == pytest.approx(
        1.5 * np.sum(np.arange(81) * b**2) / q, rel=1e-9
    )


def test_jacobian_formulas():
    first, second, fourth = ini.gaussian_jacobian_moments(4, 1)
    assert (first, second, fourth) == pytest.approx((1.0, 2.25, 1.5))
    assert ini.fuss_catalan(3, 2) == 4 and ini.fuss_catalan(1, 3) == 5
    assert ini.lyapunov_exponent(2) == pytest.approx(-0.5 * 0.5772156649015329)
    assert ini.lyapunov_exponent(10**6) == pytest.approx(-0.5e-6, rel=1e-3)
    with pytest.raises(ValueError, match="'n'"):
        ini.lyapunov_exponent(0)
    assert math.isfinite(ini.lyapunov_exponent(3, 2.0))
