"""Unit tests of ``deepqed.regularisation``: closed forms, optimality conditions, error messages."""

from __future__ import annotations

import numpy as np
import pytest

from deepqed import linear, nn
from deepqed import regularisation as reg


@pytest.fixture
def rng():
    return np.random.default_rng(20261207)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dropout_ridge_is_stationary(rng, dtype):
    X, y = rng.standard_normal((7, 4)).astype(dtype), rng.standard_normal(7).astype(dtype)
    w = reg.dropout_ridge(X, y, 0.7)
    assert w.dtype == dtype
    D = np.sum(X.astype(float) ** 2, axis=0)
    grad = X.T.astype(float) @ (X.astype(float) @ w - y) + (0.3 / 0.7) * D * w
    assert np.linalg.norm(grad) <= 1e3 * np.finfo(dtype).eps * np.linalg.norm(X.T @ y)


def test_input_noise_ridge_is_chapter_3_ridge(rng):
    X, y = rng.standard_normal((6, 3)), rng.standard_normal(6)
    np.testing.assert_allclose(reg.input_noise_ridge(X, y, 0.5), linear.ridge(X, y, 6 * 0.25))


def test_dropout_needs_nonzero_columns(rng):
    X = rng.standard_normal((5, 3))
    X[:, 1] = 0
    with pytest.raises(ValueError, match="'X'"):
        reg.dropout_ridge(X, rng.standard_normal(5), 0.5)


def test_modified_flow_of_quadratic_is_flow_of_modified_quadratic(rng):
    A = np.diag([0.5, 1.0, 2.0])
    theta0 = rng.standard_normal(3)
    phi, psi = reg.quadratic_flows(A, theta0, 1.5, 0.2)
    np.testing.assert_allclose(phi, np.exp(-1.5 * np.diag(A)) * theta0, rtol=1e-14)
    np.testing.assert_allclose(psi, np.exp(-1.5 * (np.diag(A) + 0.1 * np.diag(A) ** 2)) * theta0)


def test_quadratic_flows_reject_asymmetric(rng):
    with pytest.raises(ValueError, match="'A'"):
        reg.quadratic_flows(np.array([[1.0, 1.0], [0.0, 1.0]]), np.ones(2), 1.0, 0.1)


def test_logistic_flow_at_h_zero_is_gradient_flow_limit_of_small_steps(rng):
    X = rng.standard_normal((8, 2))
    y = (rng.random(8) < 0.5).astype(float)
    theta0 = rng.standard_normal(2)
    flow = reg.logistic_flow(X, y, theta0, 1.0, 0.0)
    gd = reg.gradient_descent(lambda t: linear.logistic_gradient(t, X, y), theta0, 5e-4, 2000)
    assert np.linalg.norm(gd - flow) < 5e-3


def test_imbalances_shapes_and_values():
    arch = nn.Architecture((2, 3, 4, 1), ("relu", "relu", "identity"))
    theta = nn.init_parameters(arch, rng=np.random.default_rng(0))
    Q = reg.imbalances(theta)
    assert [q.shape for q in Q] == [(3,), (4,)]
    np.testing.assert_allclose(
        Q[0], (theta.W[0] ** 2).sum(axis=1) + theta.b[0] ** 2 - (theta.W[1] ** 2).sum(axis=0)
    )


def test_max_margin_rejects_inseparable():
    X = np.array([[1.0, 0.0], [2.0, 0.0]])
    with pytest.raises(ValueError, match="'X'"):
        reg.max_margin(X, np.array([1, 0]))


def test_max_margin_known_case():
    # two points on the axes: w_hat = (1, 1), margin 1/sqrt(2)
    X = np.array([[1.0, 0.0], [0.0, -1.0]])
    np.testing.assert_allclose(reg.max_margin(X, np.array([1, 0])), [1.0, 1.0], atol=1e-8)


def test_potential_is_quadratic_near_zero_and_l1_like_far():
    w = np.array([1e-3, -2e-3])
    np.testing.assert_allclose(float(reg.potential(w, 1.0)), np.sum(w**2) / 4, rtol=1e-6)
    big = np.array([5.0, -3.0])
    alpha = 1e-4
    q = float(reg.potential(big, alpha))
    z = np.abs(big)
    approx = np.sum(z * np.log(z / alpha**2) - z)
    assert approx <= q <= approx + 2 * 2 * alpha**2


def test_diagonal_gd_tends_to_the_limit(rng):
    X = rng.standard_normal((2, 4))
    y = rng.standard_normal(2)
    eta = 0.02 / np.linalg.norm(X, 2) ** 2
    w_gd = reg.diagonal_gd(X, y, 1.0, eta, 6000)
    w_lim = reg.diagonal_limit(X, y, 1.0)
    assert np.linalg.norm(w_gd - w_lim) < 0.05 * np.linalg.norm(w_lim)


def test_diagonal_limit_needs_full_row_rank(rng):
    X = np.ones((2, 4))
    with pytest.raises(ValueError, match="'X'"):
        reg.diagonal_limit(X, np.ones(2), 1.0)


def test_min_l1_interpolant_is_sparse_when_target_is(rng):
    X = rng.standard_normal((12, 20))
    w = np.zeros(20)
    w[[2, 9]] = [1.0, -2.0]
    np.testing.assert_allclose(reg.min_l1_interpolant(X, X @ w), w, atol=1e-8)
