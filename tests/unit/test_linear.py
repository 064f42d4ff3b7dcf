"""Unit tests of deepqed.linear: least squares, ridge, gradient descent (values vs independent
references, shapes, dtypes, warnings, validation)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import Ridge

from deepqed import linear
from deepqed._validation import ShapeError


def _rank(rng, m, n, r):
    return rng.standard_normal((m, r)) @ rng.standard_normal((r, n))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_min_norm_matches_scipy_and_keeps_dtype(dtype):
    rng = np.random.default_rng(0)
    X = _rank(rng, 7, 5, 3).astype(dtype)
    y = rng.standard_normal(7).astype(dtype)
    w = linear.min_norm_least_squares(X, y)
    ref = scipy.linalg.lstsq(
        X.astype(np.float64), y.astype(np.float64), cond=10 * 7 * np.finfo(dtype).eps
    )[0]
    assert w.dtype == dtype and w.shape == (5,)
    tol = 1e-10 if dtype == np.float64 else 1e-3
    np.testing.assert_allclose(w, ref, rtol=tol, atol=tol)


def test_pinv_of_zero_and_shapes():
    Z = linear.pinv(np.zeros((3, 2)))
    assert Z.shape == (2, 3) and not Z.any()
    assert not linear.min_norm_least_squares(np.zeros((3, 2)), np.ones(3)).any()


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(0, 10_000))
def test_penrose_conditions_property(m, n, seed):
    rng = np.random.default_rng(seed)
    X = _rank(rng, m, n, int(rng.integers(1, min(m, n) + 1)))
    Z = linear.pinv(X)
    s = np.linalg.norm(X) * np.linalg.norm(Z)
    for lhs, rhs in ((X @ Z @ X, X), (Z @ X @ Z, Z), ((X @ Z).T, X @ Z), ((Z @ X).T, Z @ X)):
        assert np.linalg.norm(lhs - rhs) <= 1e-10 * (1 + s) * (1 + np.linalg.norm(rhs))


def test_normal_equations_full_rank_and_rank_deficient():
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((10, 4)), rng.standard_normal(10)
    np.testing.assert_allclose(
        linear.normal_equations(X, y), np.linalg.lstsq(X, y, rcond=None)[0], rtol=1e-10
    )
    X[:, 3] = X[:, 2]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", linear.IllConditionedWarning)
        with pytest.raises(np.linalg.LinAlgError, match="min_norm_least_squares"):
            linear.normal_equations(X, y)


def test_ill_conditioning_warns_in_float32_not_float64():
    rng = np.random.default_rng(2)
    Q1, _ = np.linalg.qr(rng.standard_normal((6, 3)))
    Q2, _ = np.linalg.qr(rng.standard_normal((3, 3)))
    X = (Q1 * np.array([1.0, 0.1, 1e-2])) @ Q2.T  # kappa(X)^2 = 1e4
    y = rng.standard_normal(6)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        linear.normal_equations(X, y)  # 1e4 < 9.5e7
    with pytest.warns(linear.IllConditionedWarning, match="float32"):
        linear.normal_equations(X.astype(np.float32), y.astype(np.float32))
    assert linear.condition_limit(np.float64) == pytest.approx(2**26.5)


@pytest.mark.parametrize(("m", "n"), [(12, 4), (4, 12), (1, 1)])
def test_ridge_matches_sklearn_and_svd(m, n):
    rng = np.random.default_rng(3)
    X, y = rng.standard_normal((m, n)), rng.standard_normal(m)
    ref = Ridge(alpha=0.7, fit_intercept=False, solver="svd").fit(X, y).coef_
    np.testing.assert_allclose(linear.ridge(X, y, 0.7), ref, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(linear.ridge_svd(X, y, 0.7), ref, rtol=1e-10, atol=1e-12)


def test_ridge_bias_covariance_consistent_with_svd_forms():
    rng = np.random.default_rng(4)
    X, w_star = rng.standard_normal((5, 7)), rng.standard_normal(7)
    b = linear.ridge_bias(X, w_star, 0.3)
    C = linear.ridge_covariance(X, 0.5, 0.3)
    bias2, var = linear.ridge_bias_variance(X, w_star, 0.5, 0.3)
    assert b @ b == pytest.approx(bias2, rel=1e-10)
    assert np.trace(C) == pytest.approx(var, rel=1e-10)
    assert np.allclose(C, C.T) and np.linalg.eigvalsh(C).min() > -1e-12


def test_gd_iterates_shape_dtype_and_zero_steps():
    rng = np.random.default_rng(5)
    X, y = rng.standard_normal((6, 3)).astype(np.float32), rng.standard_normal(6).astype(np.float32)
    W = linear.gd_least_squares(X, y, 0.01, 5)
    assert W.shape == (6, 3) and W.dtype == np.float32 and not W[0].any()
    assert linear.gd_least_squares(X, y, 0.01, 0).shape == (1, 3)


def test_gd_filter_stable_for_tiny_steps():
    s = np.array([1e-6, 1.0])
    g = linear.gd_filter(s, 1.0, 3)
    # 1 - (1 - 1e-12)^3 = 3e-12 - 3e-24 + ...: relative accuracy kept (no 1 - (1 - x) cancellation)
    assert g[0] * s[0] == pytest.approx(3e-12, rel=1e-9)
    assert g[1] == pytest.approx(1.0)
    np.testing.assert_allclose(linear.ridge_filter(s, 2.0), s / (s * s + 2.0))


def test_constants():
    X = np.array([[2.0, 1.0], [1.0, 2.0]])
    assert linear.smoothness_constant(X) == pytest.approx(9.0)
    assert linear.strong_convexity_constant(X) == pytest.approx(1.0)
    assert linear.strong_convexity_constant(np.ones((1, 2))) == 0.0
    assert linear.condition_number(X) == pytest.approx(3.0)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (
            lambda: linear.min_norm_least_squares(np.ones((3, 2)), np.ones(4)),
            ShapeError,
            r"'y' must have shape \(m,\) with m = 3",
        ),
        (
            lambda: linear.ridge(np.ones((3, 2)), np.ones(3, dtype=np.float32), 1.0),
            TypeError,
            "dtypes",
        ),
        (
            lambda: linear.gd_least_squares(np.ones((3, 2)), np.ones(3), 1.0, 2, np.ones(3)),
            ShapeError,
            "'w0'",
        ),
        (lambda: linear.gd_filter(np.array([0.0, 1.0]), 1.0, 2), ValueError, "'s'.*positive"),
        (
            lambda: linear.logistic_loss(np.ones(1), np.ones((2, 1)), np.array([1.0, -1.0])),
            ValueError,
            r"'y' must have entries in \{0, 1\}",
        ),
    ],
)
def test_checks_across_arguments_name_the_argument(call, error, match):
    """Checks that the generated bad input of tests/unit/test_public_api.py does not reach:
    agreement between arguments, and conditions on values."""
    with pytest.raises(error, match=match):
        call()
