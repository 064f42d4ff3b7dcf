"""Unit tests of deepqed.svm: values against independent references (scikit-learn, SciPy, closed
forms), shapes, dtypes, validation errors and properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize
from sklearn.metrics import hinge_loss
from sklearn.svm import SVC

from deepqed import svm
from deepqed._validation import ShapeError


def _blobs(rng, m=30, d=2, shift=1.5):
    y = np.where(np.arange(m) % 2 == 0, 1.0, -1.0)
    X = rng.standard_normal((m, d)) + shift * y[:, None] / math.sqrt(d)
    return X, y


def _rbf(X, gamma=0.5):
    return np.exp(-gamma * np.sum((X[:, None] - X[None]) ** 2, axis=-1))


# --- hinge and primal ---------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_hinge_values_shape_dtype(dtype):
    s = np.array([-2.0, 0.0, 0.5, 1.0, 3.0], dtype=dtype)
    out = svm.hinge(s)
    assert out.dtype == dtype and out.shape == s.shape
    np.testing.assert_array_equal(out, np.array([3.0, 1.0, 0.5, 0.0, 0.0], dtype=dtype))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_primal_objective_vs_sklearn_hinge_loss(dtype):
    rng = np.random.default_rng(0)
    X, y = _blobs(rng, 25, 3)
    w, b, C = rng.standard_normal(3), 0.3, 2.5
    ref = 0.5 * w @ w + C * len(y) * hinge_loss(y, X @ w + b)
    got = svm.primal_objective(w.astype(dtype), b, X.astype(dtype), y, C)
    assert got == pytest.approx(ref, rel=1e-5 if dtype == np.float32 else 1e-13)


def test_primal_subgradient_is_gradient_off_kinks():
    rng = np.random.default_rng(1)
    X, y = _blobs(rng, 20, 3)
    w, b, C = rng.standard_normal(3), 0.1, 0.7
    g_w, g_b = svm.primal_subgradient(w, b, X, y, C)
    h = 1e-6
    P = svm.primal_objective
    fd = [(P(w + h * e, b, X, y, C) - P(w - h * e, b, X, y, C)) / (2 * h) for e in np.eye(3)]
    np.testing.assert_allclose(g_w, fd, rtol=1e-6, atol=1e-6)
    fd_b = (P(w, b + h, X, y, C) - P(w, b - h, X, y, C)) / (2 * h)
    assert g_b == pytest.approx(fd_b, rel=1e-6, abs=1e-6)
    assert g_w.shape == (3,) and isinstance(g_b, float)


def test_kernel_primal_equals_linear_primal():
    rng = np.random.default_rng(2)
    X, y = _blobs(rng, 15, 2)
    alpha = rng.random(15)
    w = svm.primal_weights(alpha, y, X)
    assert svm.kernel_primal_objective(alpha, 0.2, y, X @ X.T, 1.3) == pytest.approx(
        svm.primal_objective(w, 0.2, X, y, 1.3), rel=1e-12
    )


# --- margins ------------------------------------------------------------------------------------
def test_geometric_margin_is_distance():
    X = np.array([[3.0, 4.0], [0.0, 0.0]])
    y = np.array([1.0, -1.0])
    w, b = np.array([0.6, 0.8]), -1.0
    np.testing.assert_allclose(svm.functional_margins(w, b, X, y), [4.0, 1.0])
    assert svm.geometric_margin(w, b, X, y) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="nonzero"):
        svm.geometric_margin(np.zeros(2), 0.0, X, y)


# --- dual ---------------------------------------------------------------------------------------
def test_dual_objective_and_gradient_vs_finite_differences():
    rng = np.random.default_rng(3)
    X, y = _blobs(rng, 12, 3)
    K, alpha = X @ X.T, rng.random(12)
    G = svm.dual_gradient(alpha, y, K)
    h = 1e-6
    fd = [
        -(svm.dual_objective(alpha + h * e, y, K) - svm.dual_objective(alpha - h * e, y, K))
        / (2 * h)
        for e in np.eye(12)
    ]
    np.testing.assert_allclose(G, fd, rtol=1e-6, atol=1e-7)


def test_kkt_violation_zero_at_libsvm_optimum_and_positive_at_zero():
    rng = np.random.default_rng(4)
    X, y = _blobs(rng, 30, 2)
    K, C = X @ X.T, 1.0
    ref = SVC(kernel="precomputed", C=C, tol=1e-10).fit(K, y)
    alpha = np.zeros(30)
    alpha[ref.support_] = np.abs(ref.dual_coef_[0])
    assert svm.kkt_violation(alpha, y, K, C) < 1e-5
    assert svm.kkt_violation(np.zeros(30), y, K, C) == pytest.approx(2.0)  # s = y at alpha = 0


def test_index_sets_by_hand():
    alpha, y = np.array([0.0, 1.0, 0.5, 0.0]), np.array([1.0, 1.0, -1.0, -1.0])
    up, low = svm.index_sets(alpha, y, 1.0)
    np.testing.assert_array_equal(up, [True, False, True, False])
    np.testing.assert_array_equal(low, [False, True, True, True])


def test_duality_gap_formula():
    rng = np.random.default_rng(5)
    X, y = _blobs(rng, 10, 2)
    K, C = X @ X.T, 0.8
    alpha = np.where(y > 0, 0.3, 0.3)
    gap = svm.duality_gap(alpha, 0.1, y, K, C)
    ref = svm.kernel_primal_objective(alpha, 0.1, y, K, C) - svm.dual_objective(alpha, y, K)
    assert gap == pytest.approx(ref, rel=1e-12) and gap >= 0


def test_dual_feasibility_error():
    y = np.array([1.0, -1.0])
    assert svm.dual_feasibility_error(np.array([0.5, 0.5]), y, 1.0) == 0.0
    assert svm.dual_feasibility_error(np.array([1.5, 1.5]), y, 1.0) == pytest.approx(0.5)
    assert svm.dual_feasibility_error(np.array([0.5, 0.2]), y, math.inf) == pytest.approx(0.3)


# --- smo ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("kernel", ["linear", "rbf"])
@pytest.mark.parametrize("C", [0.1, 1.0, 10.0])
def test_smo_matches_svc(kernel, C):
    rng = np.random.default_rng(6)
    X, y = _blobs(rng, 60, 3, shift=1.0)
    K = X @ X.T if kernel == "linear" else _rbf(X)
    sol = svm.smo(K, y, C, tol=1e-8)
    assert sol.converged and sol.kkt_violation <= 1e-8
    ref = SVC(kernel="precomputed", C=C, tol=1e-8).fit(K, y)
    scale = 1e-5 * max(1.0, float(np.abs(K).max()))
    np.testing.assert_allclose(
        svm.decision_function(sol.alpha, sol.b, y, K), ref.decision_function(K), atol=scale
    )
    coef = np.zeros(60)
    coef[ref.support_] = ref.dual_coef_[0]
    np.testing.assert_allclose(sol.alpha * y, coef, atol=scale)
    assert abs(y @ sol.alpha) < 1e-12 * C * 60
    assert np.all((sol.alpha >= 0) & (sol.alpha <= C))


def test_smo_result_is_frozen_and_float64():
    rng = np.random.default_rng(7)
    X, y = _blobs(rng, 10, 2)
    sol = svm.smo((X @ X.T).astype(np.float32), y.astype(np.int64), 1.0)
    assert sol.alpha.dtype == np.float64 and isinstance(sol.b, float)
    with pytest.raises(AttributeError):
        sol.b = 0.0  # type: ignore[misc]


def test_smo_hard_margin_matches_slsqp():
    X = np.array([[1.0, 1.0], [2.0, 2.0], [-1.0, 0.0], [0.0, -1.0]])
    y = np.array([1.0, 1.0, -1.0, -1.0])
    sol = svm.smo(X @ X.T, y, math.inf, tol=1e-12)
    np.testing.assert_allclose(svm.primal_weights(sol.alpha, y, X), [2 / 3, 2 / 3], atol=1e-10)
    assert sol.b == pytest.approx(-1 / 3, abs=1e-10)
    np.testing.assert_allclose(sol.alpha, [4 / 9, 0, 2 / 9, 2 / 9], atol=1e-10)
    A = np.hstack([y[:, None] * X, y[:, None]])
    res = minimize(
        lambda z: 0.5 * z[:2] @ z[:2],
        np.zeros(3),
        method="SLSQP",
        constraints=[{"type": "ineq", "fun": lambda z: A @ z - 1}],
    )
    np.testing.assert_allclose(res.x[:2], [2 / 3, 2 / 3], atol=1e-6)


def test_smo_hard_margin_non_separable_raises():
    X = np.array([[0.0], [0.0], [1.0]])
    y = np.array([1.0, -1.0, 1.0])
    with pytest.raises(ValueError, match="not separable"):
        svm.smo(X @ X.T, y, math.inf)


def test_smo_max_iter_reports_not_converged():
    rng = np.random.default_rng(8)
    X, y = _blobs(rng, 40, 2, shift=0.5)
    sol = svm.smo(_rbf(X), y, 10.0, tol=1e-10, max_iter=3)
    assert sol.iterations == 3 and not sol.converged and sol.kkt_violation > 1e-10


def test_smo_converges_for_a_few_hundred_samples():
    rng = np.random.default_rng(9)
    X, y = _blobs(rng, 300, 5, shift=1.0)
    K = _rbf(X, 0.2)
    sol = svm.smo(K, y, 1.0)
    assert sol.converged and sol.kkt_violation <= 1e-6  # the default tol


def test_two_variable_step_and_selection():
    rng = np.random.default_rng(10)
    X, y = _blobs(rng, 8, 2)
    K = X @ X.T
    alpha = np.zeros(8)
    i, j = svm.select_working_set(alpha, y, K, 1.0)
    assert y[i] == 1.0 and y[j] == -1.0  # at alpha = 0, s = y: i in I_up has y = 1
    new = svm.two_variable_step(alpha, y, K, 1.0, i, j)
    assert abs(y @ new) < 1e-15 and np.count_nonzero(new) == 2
    f = lambda a: 0.5 * (a * y) @ K @ (a * y) - a.sum()  # noqa: E731
    assert f(new) < f(alpha)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.05, 20.0))
def test_smo_solution_satisfies_kkt_property(seed, C):
    rng = np.random.default_rng(seed)
    X, y = _blobs(rng, int(rng.integers(2, 25)), 2, shift=float(rng.uniform(0, 2)))
    K = X @ X.T
    sol = svm.smo(K, y, C, tol=1e-7)
    assert sol.converged
    assert svm.kkt_violation(sol.alpha, y, K, C) <= 1e-7 + 1e-12
    assert 0 <= svm.duality_gap(sol.alpha, sol.b, y, K, C) <= C * len(y) * 1e-7 + 1e-9


# --- validation ---------------------------------------------------------------------------------
def test_checks_on_values_name_the_argument():
    """The checks that depend on values or on several arguments (the generated bad input of
    tests/unit/test_public_api.py covers the rest)."""
    K, y = np.eye(3), np.array([1.0, -1.0, 1.0])
    with pytest.raises(ValueError, match="'K' must be symmetric"):
        svm.smo(np.array([[1.0, 0.5, 0], [0, 1, 0], [0, 0, 1]]), y, 1.0)
    with pytest.raises(ValueError, match=r"'y' must have entries in \{-1, 1\}"):
        svm.smo(K, np.array([1.0, 0.0, -1.0]), 1.0)
    with pytest.raises(ValueError, match="'y' must contain both labels"):
        svm.smo(K, np.ones(3), 1.0)
    with pytest.raises(ShapeError, match="'y'"):
        svm.smo(K, np.array([1.0, -1.0]), 1.0)
    with pytest.raises(ValueError, match="'j' must differ"):
        svm.two_variable_step(np.zeros(3), y, K, 1.0, 1, 1)
    with pytest.raises(ValueError, match=r"'i' must be an index in \[0, 3\)"):
        svm.two_variable_step(np.zeros(3), y, K, 1.0, 3, 1)
    with pytest.raises(ValueError, match="'alpha' must lie in the box"):
        svm.two_variable_step(np.array([2.0, 1.0, 1.0]), y, K, 1.0, 0, 1)
    with pytest.raises(ShapeError, match="'K_test_train'"):
        svm.decision_function(np.zeros(2), 0.0, np.array([1, -1]), np.zeros((4, 3)))
    with pytest.raises(ValueError, match="'w' must be nonzero"):
        svm.geometric_margin(np.zeros(2), 0.0, np.ones((3, 2)), y)
