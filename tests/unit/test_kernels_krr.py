"""Kernel ridge regression and the kernel SVM (deepqed.kernels.krr, deepqed.kernels.ksvm)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.kernel_ridge import KernelRidge
from sklearn.svm import SVC

from deepqed import kernels
from deepqed._validation import ShapeError


def _data(seed=0, m=30, d=2):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-2, 2, size=(m, d))
    y = np.sin(X.sum(axis=1)) + 0.1 * rng.standard_normal(m)
    return X, y


@pytest.mark.parametrize(
    "k,name,params",
    [
        (kernels.Gaussian(0.8), "rbf", {"gamma": 0.8}),
        (kernels.Laplacian(0.5), "laplacian", {"gamma": 0.5}),
        (kernels.Polynomial(3, 0.4, 1.0), "polynomial", {"degree": 3, "gamma": 0.4, "coef0": 1.0}),
        (kernels.Linear(), "linear", {}),
    ],
)
def test_krr_matches_sklearn_with_alpha_m_lambda(k, name, params):
    X, y = _data()
    lam = 0.01
    T = np.random.default_rng(5).uniform(-2, 2, size=(9, 2))
    model = kernels.krr_fit(k, X, y, lam)
    ref = KernelRidge(alpha=len(X) * lam, kernel=name, **params).fit(X, y)
    np.testing.assert_allclose(kernels.krr_predict(model, T), ref.predict(T), rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(model.alpha, ref.dual_coef_, rtol=1e-7, atol=1e-9)


def test_krr_float32_keeps_dtype():
    X, y = _data()
    model = kernels.krr_fit(kernels.Gaussian(1.0), X.astype(np.float32), y.astype(np.float32), 0.1)
    assert model.alpha.dtype == np.float32
    pred = kernels.krr_predict(model, X[:4].astype(np.float32))
    assert pred.dtype == np.float32
    ref = kernels.krr_predict(kernels.krr_fit(kernels.Gaussian(1.0), X, y, 0.1), X[:4])
    np.testing.assert_allclose(pred, ref, rtol=1e-4, atol=1e-5)


def test_krr_solution_is_stationary_and_norm_is_consistent():
    X, y = _data(1)
    lam = 0.03
    k = kernels.Gaussian(1.3)
    model = kernels.krr_fit(k, X, y, lam)
    K = kernels.gram(k, X)
    m = len(X)
    grad = 2 / m * K @ ((K + m * lam * np.eye(m)) @ model.alpha - y)
    assert np.max(np.abs(grad)) < 1e-10
    assert kernels.rkhs_norm(model) ** 2 == pytest.approx(model.alpha @ K @ model.alpha)
    J = kernels.krr_objective(K, y, model.alpha, lam)
    for _ in range(5):  # any perturbation in the span increases the objective
        a = model.alpha + 1e-3 * np.random.default_rng(_).standard_normal(m)
        assert kernels.krr_objective(K, y, a, lam) > J


def test_ill_conditioning_warns():
    Q = np.linalg.qr(np.random.default_rng(0).standard_normal((5, 5)))[0]
    K = (Q * np.array([1.0, 0.5, 0.0, 0.0, 0.0])) @ Q.T  # PSD, rank 2
    with pytest.warns(kernels.IllConditionedWarning, match="ill-conditioned"):
        kernels.shifted_solve(K, np.ones(5), 1e-15)
    with pytest.warns(kernels.IllConditionedWarning, match="float32"):
        kernels.shifted_solve(K.astype(np.float32), np.ones(5, dtype=np.float32), 1e-6)
    X = np.linspace(0, 1, 60)[:, None]
    y = np.sin(X[:, 0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kernels.krr_fit(kernels.Gaussian(0.01), X, y, 1e-2)


def test_krr_checks_across_arguments_name_the_argument():
    X, y = _data()
    with pytest.raises(ShapeError, match="'y'"):
        kernels.krr_fit(kernels.Gaussian(), X, y[:-1], 0.1)
    with pytest.raises(TypeError, match="dtypes"):
        kernels.krr_fit(kernels.Gaussian(), X, y.astype(np.float32), 0.1)
    model = kernels.krr_fit(kernels.Gaussian(), X, y, 0.1)
    T = X[:3].copy()
    T[1, 0] = np.nan  # a NaN in the test set is named as such, not as the training set
    with pytest.raises(ValueError, match="'X_test' must be finite"):
        kernels.krr_predict(model, T)
    with pytest.raises(ShapeError, match="'X_test'"):
        kernels.krr_predict(model, np.zeros((2, X.shape[1] + 1)))
    with pytest.raises(ValueError, match="'X_test' must have dtype float64"):
        kernels.krr_predict(model, X[:2].astype(np.float32))


def test_kernel_svm_matches_svc():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((60, 2))
    y = np.where(np.sum(X**2, axis=1) > 1.0, 1.0, -1.0)
    model = kernels.ksvm_fit(kernels.Gaussian(1.0), X, y, 2.0, tol=1e-8)
    assert model.converged
    assert np.all(model.alpha >= -1e-12) and np.all(model.alpha <= 2.0 + 1e-12)
    assert abs(model.alpha @ y) < 1e-8
    T = rng.standard_normal((20, 2))
    ref = SVC(kernel="rbf", gamma=1.0, C=2.0, tol=1e-8).fit(X, y).decision_function(T)
    np.testing.assert_allclose(kernels.ksvm_decision(model, T), ref, atol=1e-4)


def test_kernel_svm_checks_on_values_name_the_argument():
    X = np.zeros((4, 2))
    with pytest.raises(ValueError, match="'y'"):
        kernels.ksvm_fit(kernels.Gaussian(), X, np.array([0.0, 1, 1, -1]), 1.0)
    with pytest.raises(ValueError, match="'y' must contain both labels"):
        kernels.ksvm_fit(kernels.Gaussian(), X, np.ones(4), 1.0)
    with pytest.raises(ShapeError, match="'y'"):
        kernels.ksvm_fit(kernels.Gaussian(), X, np.ones(3), 1.0)
