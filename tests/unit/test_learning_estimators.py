"""deepqed.learning estimators: polynomial least squares (Definition def-learn-polyls) and k-NN
regression (Definition def-learn-knn)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import eval_legendre
from sklearn.linear_model import LinearRegression
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures

from deepqed import learning


@pytest.mark.parametrize("p", [0, 1, 2, 5, 12])
def test_legendre_features_are_scipy_legendre(p):
    x = np.linspace(-3, 5, 17)
    Phi = learning.legendre_features(x, p, domain=(-3, 5))
    t = (2 * x - 2) / 8
    ref = np.stack([eval_legendre(j, t) for j in range(p + 1)], axis=-1)
    np.testing.assert_allclose(Phi, ref, atol=1e-13)


def test_legendre_features_are_orthogonal_under_uniform():
    t, w = np.polynomial.legendre.leggauss(30)
    Phi = learning.legendre_features(t, 8)
    G = 0.5 * (Phi * w[:, None]).T @ Phi
    np.testing.assert_allclose(G, np.diag(1 / (2 * np.arange(9) + 1)), atol=1e-14)


@given(seed=st.integers(0, 2**32 - 1), p=st.integers(0, 6))
@settings(max_examples=30, deadline=None)
def test_polynomial_regression_is_sklearn_polynomial_least_squares(seed, p):
    rng = np.random.default_rng(seed)
    n = p + 1 + int(rng.integers(0, 20))
    x = rng.uniform(-1, 1, size=n)
    y = rng.standard_normal(n)
    xt = rng.uniform(-1, 1, size=9)
    ref = (
        make_pipeline(PolynomialFeatures(p), LinearRegression(fit_intercept=False))
        .fit(x[:, None], y)
        .predict(xt[:, None])
    )
    got = learning.polynomial_regression(x, y, xt, p)
    np.testing.assert_allclose(got, ref, atol=1e-6 * (1 + np.abs(ref).max()))


def test_polynomial_interpolates_polynomials_and_batches():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 3, size=(4, 10))
    y = 1 - 2 * x + 0.5 * x**3
    xt = np.linspace(0, 3, 7)
    F = learning.polynomial_regression(x, y, xt, 3, domain=(0, 3))
    assert F.shape == (4, 7)
    np.testing.assert_allclose(F, np.broadcast_to(1 - 2 * xt + 0.5 * xt**3, (4, 7)), atol=1e-10)
    for r in range(4):  # batch row r = single fit r
        np.testing.assert_allclose(
            F[r], learning.polynomial_regression(x[r], y[r], xt, 3, domain=(0, 3))
        )


def test_polynomial_float32():
    rng = np.random.default_rng(1)
    x = rng.uniform(-1, 1, size=30).astype(np.float32)
    y = np.sin(3 * x).astype(np.float32)
    F = learning.polynomial_regression(x, y, x, 5)
    assert F.dtype == np.float32
    F64 = learning.polynomial_regression(
        x.astype(np.float64), y.astype(np.float64), x.astype(np.float64), 5
    )
    np.testing.assert_allclose(F, F64, atol=1e-4)


def test_polynomial_validation_and_rank_warning():
    with pytest.raises(ValueError, match="'degree' must be at most n - 1 = 2"):
        learning.fit_polynomial(np.zeros(3), np.zeros(3), 3)
    with pytest.raises(ValueError, match="'y'"):
        learning.fit_polynomial(np.zeros(3), np.zeros(4), 1)
    with pytest.raises(ValueError, match="'domain'"):
        learning.legendre_features(np.zeros(3), 1, domain=(1, 1))
    with pytest.raises(ValueError, match="'domain'"):
        learning.legendre_features(np.zeros(3), 1, domain=(0.0, math.nan))
    with pytest.warns(RuntimeWarning, match="rank deficient"):
        learning.fit_polynomial(np.array([0.5, 0.5, 0.5]), np.array([1.0, 2.0, 3.0]), 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        learning.fit_polynomial(np.array([0.1, 0.5, 0.9]), np.array([1.0, 2.0, 3.0]), 2)


@given(seed=st.integers(0, 2**32 - 1), d=st.integers(1, 3), n=st.integers(1, 25))
@settings(max_examples=30, deadline=None)
def test_knn_is_sklearn(seed, d, n):
    rng = np.random.default_rng(seed)
    k = int(rng.integers(1, n + 1))
    X, y, Xt = rng.standard_normal((n, d)), rng.standard_normal(n), rng.standard_normal((6, d))
    ref = KNeighborsRegressor(n_neighbors=k, algorithm="brute").fit(X, y).predict(Xt)
    np.testing.assert_allclose(learning.knn_regression(X, y, Xt, k), ref, atol=1e-13)


def test_knn_ties_break_by_index_and_extremes():
    X = np.array([[0.0], [1.0], [-1.0], [2.0]])
    y = np.array([10.0, 20.0, 30.0, 40.0])
    # from 0: distances 0, 1, 1, 2 -> neighbours 0, then 1 (index 1 before index 2)
    np.testing.assert_allclose(learning.knn_regression(X, y, np.array([[0.0]]), 2), [15.0])
    np.testing.assert_allclose(learning.knn_regression(X, y, np.array([[5.0]]), 4), [25.0])
    np.testing.assert_allclose(learning.knn_regression(X, y, X, 1), y)


def test_knn_batches_and_dtype():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((3, 10, 2)).astype(np.float32)
    y = rng.standard_normal((3, 10)).astype(np.float32)
    Xt = rng.standard_normal((5, 2)).astype(np.float32)
    F = learning.knn_regression(X, y, Xt, 3)
    assert F.shape == (3, 5) and F.dtype == np.float32
    for r in range(3):
        np.testing.assert_allclose(F[r], learning.knn_regression(X[r], y[r], Xt, 3))
    with pytest.raises(ValueError, match="'k'"):
        learning.knn_regression(X, y, Xt, 11)
    with pytest.raises(ValueError, match="'X_test'"):
        learning.knn_regression(X, y, Xt[:, :1], 3)
    with pytest.raises(ValueError, match="'y'"):
        learning.knn_regression(X, y[:, :4], Xt, 3)
