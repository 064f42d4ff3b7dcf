"""Unit tests of ``deepqed.wide``: shapes, closed forms, limits, error messages."""

from __future__ import annotations

import math

import numpy as np
import pytest

from deepqed import initialisation as ini
from deepqed import kernels, wide


def test_h_infinity_closed_form_at_known_angles():
    X = np.array([[1.0, 0.0], [0.5, math.sqrt(3) / 2], [0.0, 2.0], [-3.0, 0.0], [0.0, 0.0]])
    H = wide.h_infinity(X)
    np.testing.assert_allclose(np.diag(H), [0.5, 0.5, 2.0, 4.5, 0.0], atol=1e-15)
    assert H[0, 1] == pytest.approx(1 / 6, rel=1e-14)
    assert H[0, 2] == pytest.approx(0.0, abs=1e-15)
    assert abs(H[0, 3]) < 1e-15  # opposite inputs: p = 0, exactly up to rounding
    np.testing.assert_array_equal(H, H.T)
    V = wide.h0_variance(X)
    assert V[0, 1] == pytest.approx(0.25 * (1 / 3) * (2 / 3), rel=1e-14)
    assert V[4].max() == 0.0


def test_h_infinity_is_accurate_for_nearly_parallel_inputs():
    x = np.array([1.0, 2.0, 3.0])
    X = np.stack([x, 2.5 * x, -0.4 * x])
    H = wide.h_infinity(X)
    G = X @ X.T
    np.testing.assert_allclose(H[0, 1], G[0, 1] / 2, rtol=1e-14)
    assert abs(H[0, 2]) <= 1e-15 * abs(G[0, 2])


def test_gram_is_the_jacobian_product():
    rng = np.random.default_rng(0)
    X, W, a = rng.standard_normal((4, 3)), rng.standard_normal((7, 3)), rng.standard_normal(7)
    for gamma in (0.0, 0.5, 1.0):
        J = wide.two_layer_jacobian(X, W, a, gamma).reshape(4, -1)
        np.testing.assert_allclose(wide.two_layer_gram(X, W, a, gamma), J @ J.T, rtol=1e-13)
    H = wide.two_layer_gram(X.astype(np.float32), W.astype(np.float32), a.astype(np.float32))
    assert H.dtype == np.float32


def test_ntk_limit_matches_the_nngp_kernel_and_the_two_layer_case():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((5, 3))
    c_w = 2.0
    np.testing.assert_allclose(wide.ntk_limit(X, 1, c_w), c_w * X @ X.T / 3, rtol=1e-14)
    S1 = c_w * X @ X.T / 3
    # depth 2: Theta = Sigma^1 * c_w kappa_0(Sigma^1) + Sigma^2, Sigma^2 = chapter 13's K^2
    K2 = ini.nngp_kernel(X, 2, c_w, 0.0, "relu")
    kappa0 = wide.h_infinity(X) / np.where(X @ X.T != 0, X @ X.T, 1)
    # chapter 13 computes K^2 by Gauss–Legendre quadrature: agreement to its accuracy
    np.testing.assert_allclose(wide.ntk_limit(X, 2, c_w), S1 * c_w * kappa0 + K2, rtol=1e-7)
    # c_w = 1 and one input coordinate scale: H^inf + the arc-cosine kernel of chapter 5
    Xs = X * math.sqrt(3)
    np.testing.assert_allclose(
        wide.ntk_limit(Xs, 2, 1.0),
        wide.h_infinity(X) + kernels.ArcCosine().matrix(X, X),
        rtol=1e-10,
    )


def test_mlp_errors_name_the_argument():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="'widths'"):
        wide.mlp_init(np.array([3, 4, 2]), rng)
    Ws = wide.mlp_init(np.array([3, 4, 1]), rng)
    with pytest.raises(ValueError, match="'Ws'"):
        wide.mlp_ntk(rng.standard_normal((2, 5)), Ws)
    with pytest.raises(ValueError, match="'Ws'"):
        wide.mlp_ntk(rng.standard_normal((2, 3)), [Ws[0].astype(np.float32), Ws[1]])


def test_linearised_closed_form_limits():
    rng = np.random.default_rng(2)
    J = rng.standard_normal((4, 9))
    Theta, K = J @ J.T, rng.standard_normal((2, 9)) @ J.T
    f0, r0 = rng.standard_normal(2), rng.standard_normal(4)
    eta = 1 / np.linalg.eigvalsh(Theta)[-1]
    np.testing.assert_allclose(wide.linearised_predictions(K, Theta, f0, r0, eta, 0), f0)
    np.testing.assert_allclose(
        wide.linearised_predictions(K, Theta, f0, r0, eta, 10**7),
        wide.kernel_regression_limit(K, Theta, f0, r0),
        rtol=1e-9,
    )
    R = wide.linearised_residuals(Theta, r0, eta, 3)
    np.testing.assert_allclose(R[3], np.linalg.matrix_power(np.eye(4) - eta * Theta, 3) @ r0)
    # a zero eigenvalue: G_k = eta k on the kernel of Theta, and no division by zero
    P = np.diag([2.0, 0.0])
    out = wide.linearised_predictions(np.eye(2), P, np.zeros(2), np.ones(2), 0.25, 5)
    np.testing.assert_allclose(out, [-(1 - 0.5**5) / 2, -0.25 * 5])
    with pytest.raises(ValueError, match="'Theta'"):
        wide.kernel_regression_limit(np.eye(2), P, np.zeros(2), np.ones(2))


def test_two_layer_gd_descends_and_records_movement():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((5, 4))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    y = rng.choice([-1.0, 1.0], 5)
    W = rng.standard_normal((256, 4))
    a = rng.choice([-1.0, 1.0], 256)
    run = wide.two_layer_gd(X, y, W, a, 0.5, 50)
    loss = np.sum((run.U - y) ** 2, axis=1)
    assert loss[-1] < 0.5 * loss[0]
    assert run.movement[0] == 0 and run.movement[-1] > 0
    assert np.array_equal(W, W)  # input not modified
    np.testing.assert_allclose(run.U[0], wide.two_layer_output(X, W, a))


def test_lazy_flow_approaches_its_linearisation():
    rng = np.random.default_rng(4)
    X, y = rng.standard_normal((4, 3)) / math.sqrt(3), rng.standard_normal(4)
    W0, a = rng.standard_normal((16, 3)), rng.choice([-1.0, 1.0], 16)
    d = [
        np.abs(r.V - r.V_lin).max()
        for r in (wide.lazy_flow(X, y, W0, a, al, 1.0, 50) for al in (10.0, 100.0))
    ]
    assert d[1] < d[0] / 5
    run = wide.lazy_flow(X, y, W0, a, 10.0, 1.0, 50)
    np.testing.assert_allclose(run.V[0], -y)  # centred: h(W_0) = 0
    M, Lam = wide.lazy_constants(X, 16)
    assert M == pytest.approx(np.linalg.norm(X))


def test_bounds_formulas():
    r, mv = wide.flow_bounds(2.0, 0.5, 0.0, 1.0)
    assert (r, mv) == (2.0, 0.0)
    assert wide.flow_bounds(2.0, 0.5, 1e9, 1.0)[1] == pytest.approx(4.0)
    assert wide.lazy_bounds(2.0, 0.5, 1.0, 3.0, 4.0) == pytest.approx((1.5, 4.5))
    assert wide.du_width(10, 0.1, 0.1) == pytest.approx(1e6 / (1e-4 * 1e-3))
    assert wide.du_movement_bound(4, 100, 1.0, 0.5) == pytest.approx(4 * 2 / (10 * 0.5))
