"""Random Fourier features and random ReLU features (deepqed.kernels.rff, .random_features)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.kernel_ridge import KernelRidge
from sklearn.linear_model import Ridge

from deepqed import kernels
from deepqed._validation import ShapeError


def test_rff_shapes_dtypes_and_formula():
    rng = np.random.default_rng(0)
    for dtype in (np.float32, np.float64):
        p = kernels.rff_init(kernels.Gaussian(0.5), 3, 16, rng=rng, dtype=dtype)
        assert p.omega.shape == (16, 3) and p.b.shape == (16,) and p.omega.dtype == dtype
        assert np.all((p.b >= 0) & (p.b <= 2 * math.pi))
        X = rng.standard_normal((5, 3)).astype(dtype)
        Z = kernels.rff_features(p, X)
        assert Z.shape == (5, 16) and Z.dtype == dtype
        ref = math.sqrt(2 / 16) * np.cos(
            X.astype(np.float64) @ p.omega.T.astype(np.float64) + p.b.astype(np.float64)
        )
        np.testing.assert_allclose(
            Z,
            ref,
            rtol=1e-5 if dtype == np.float32 else 1e-12,
            atol=1e-6 if dtype == np.float32 else 1e-14,
        )
    Zt = kernels.rff_paired_features(p.omega.astype(np.float64), X.astype(np.float64))
    assert Zt.shape == (5, 32)
    T = X.astype(np.float64) @ p.omega.T.astype(np.float64)
    np.testing.assert_allclose(
        Zt @ Zt.T, np.cos(T[:, None, :] - T[None, :, :]).mean(axis=2), atol=1e-12
    )


@pytest.mark.parametrize(
    "k", [kernels.Gaussian(0.7), kernels.Laplacian(0.6)], ids=["gaussian", "laplacian"]
)
def test_rff_approximates_the_kernel(k):
    rng = np.random.default_rng(1)
    X = rng.standard_normal((10, 2)) * 0.7
    p = kernels.rff_init(k, 2, 200_000, rng=rng)
    Z = kernels.rff_features(p, X)
    assert np.max(np.abs(Z @ Z.T - kernels.gram(k, X))) < 0.02


def test_spectral_sample_moments_and_bounds():
    rng = np.random.default_rng(2)
    w = kernels.spectral_sample(kernels.Gaussian(1.5), 2, 100_000, rng=rng)
    assert abs(w.var() - 3.0) < 0.05
    assert kernels.spectral_second_moment(kernels.Gaussian(1.5), 2) == 6.0
    assert math.isinf(kernels.spectral_second_moment(kernels.Laplacian(1.0), 2))
    assert kernels.hoeffding_bound(400, 0.2) == pytest.approx(2 * math.exp(-2))
    assert kernels.rahimi_recht_bound(d=1, D=10, eps=0.1, diameter=1, sigma=1) > 1  # vacuous
    b = kernels.rahimi_recht_bound(d=1, D=4000, eps=0.2, diameter=2, sigma=1)
    assert b == pytest.approx(2**8 * 100 * math.exp(-4000 * 0.04 / 12))


def test_rff_validation():
    p = kernels.rff_init(kernels.Gaussian(), 3, 4, rng=np.random.default_rng(0))
    with pytest.raises(ShapeError, match="'X'"):
        kernels.rff_features(p, np.zeros((2, 5)))
    with pytest.raises(ShapeError, match="'b'"):
        kernels.rff_features(kernels.RFFParams(p.omega, p.b[:2]), np.zeros((2, 3)))


def test_relu_features_and_empirical_kernel():
    rng = np.random.default_rng(3)
    W = kernels.init_relu_weights(3, 50, rng=rng)
    X, Z = rng.standard_normal((4, 3)), rng.standard_normal((6, 3))
    Phi = kernels.relu_features(W, X)
    assert Phi.shape == (4, 50) and np.all(Phi >= 0)
    KN = kernels.empirical_relu_kernel(W, X, Z)
    ref = np.array([[np.mean(np.maximum(W @ x, 0) * np.maximum(W @ z, 0)) for z in Z] for x in X])
    np.testing.assert_allclose(KN, ref, rtol=1e-12, atol=1e-14)
    assert kernels.psd_check(kernels.empirical_relu_kernel(W, X)).is_psd
    Phi32 = kernels.relu_features(W.astype(np.float32), X.astype(np.float32))
    assert Phi32.dtype == np.float32
    with pytest.raises(ShapeError, match="'X'"):
        kernels.relu_features(W, np.zeros((2, 4)))


def test_empirical_kernel_converges_to_arccos():
    """Within 6 standard deviations of the bound Var k_N <= 3 |x|^2 |x'|^2 / (2N)."""
    rng = np.random.default_rng(4)
    X = rng.standard_normal((6, 3))
    N = 400_000
    W = kernels.init_relu_weights(3, N, rng=rng)
    n2 = np.sum(X * X, axis=1)
    bound = 6 * np.sqrt(1.5 * np.outer(n2, n2) / N)
    err = np.abs(kernels.empirical_relu_kernel(W, X) - kernels.gram(kernels.ArcCosine(), X))
    assert np.all(err <= bound)


@pytest.mark.parametrize("N", [5, 80])
def test_feature_ridge_equals_kernel_ridge(N):
    rng = np.random.default_rng(5)
    m, lam = 20, 0.05
    X, T = rng.standard_normal((m, 2)), rng.standard_normal((7, 2))
    y = np.cos(X[:, 0]) + X[:, 1]
    W = kernels.init_relu_weights(2, N, rng=rng)
    Phi, PhiT = kernels.relu_features(W, X), kernels.relu_features(W, T)
    v = kernels.feature_ridge(Phi, y, lam)
    ridge = Ridge(alpha=m * lam, fit_intercept=False, solver="svd").fit(Phi, y)
    np.testing.assert_allclose(v, ridge.coef_, rtol=1e-8, atol=1e-10)
    krr = KernelRidge(alpha=m * lam, kernel="precomputed").fit(Phi @ Phi.T, y)
    np.testing.assert_allclose(PhiT @ v, krr.predict(PhiT @ Phi.T), rtol=1e-8, atol=1e-10)
    alpha = np.linalg.solve(Phi @ Phi.T + m * lam * np.eye(m), y)
    assert v @ v == pytest.approx(alpha @ Phi @ Phi.T @ alpha)  # ||v|| = RKHS norm
    with pytest.raises(ValueError, match="'lam'"):
        kernels.feature_ridge(Phi, y, -1.0)
