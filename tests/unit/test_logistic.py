"""Unit tests of deepqed.linear.logistic: the stable loss, its derivatives (torch autograd), the
Newton fit (scikit-learn), gradient descent, label validation."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression

from deepqed import linear


def _problem(seed, m=30, n=3, dtype=np.float64):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, n))
    y = (rng.random(m) < 0.5).astype(np.float64)
    return X.astype(dtype), y.astype(dtype), rng.standard_normal(n).astype(dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_loss_matches_torch_and_keeps_dtype(dtype):
    X, y, w = _problem(0, dtype=dtype)
    ref = F.binary_cross_entropy_with_logits(torch.from_numpy(X @ w), torch.from_numpy(y))
    got = linear.logistic_loss(w, X, y)
    assert got.dtype == dtype and got.shape == ()
    assert float(got) == pytest.approx(float(ref), rel=1e-5 if dtype == np.float32 else 1e-12)


def test_loss_is_finite_and_relatively_accurate_at_extremes():
    X = np.array([[1000.0], [-1000.0], [40.0], [-40.0]])
    y = np.array([1.0, 0.0, 1.0, 0.0])
    losses = linear.logistic_losses(np.ones(1), X, y)
    np.testing.assert_allclose(losses[2:], np.exp(-40.0) * (1 - np.exp(-40.0) / 2), rtol=1e-15)
    assert np.all(np.isfinite(losses)) and losses[0] == 0.0
    wrong = linear.logistic_losses(np.ones(1), X, 1 - y)
    np.testing.assert_allclose(wrong[:2], 1000.0)


def test_gradient_and_hessian_vs_autograd():
    X, y, w = _problem(1)
    f = lambda t: F.binary_cross_entropy_with_logits(
        torch.from_numpy(X) @ t,  # noqa: E731
        torch.from_numpy(y),
    )
    wt = torch.from_numpy(w.copy()).requires_grad_(True)
    (g,) = torch.autograd.grad(f(wt), wt)
    H = torch.autograd.functional.hessian(f, torch.from_numpy(w.copy()))
    np.testing.assert_allclose(linear.logistic_gradient(w, X, y), g.numpy(), rtol=1e-12)
    np.testing.assert_allclose(linear.logistic_hessian(w, X, y), H.numpy(), rtol=1e-12, atol=1e-15)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 20), st.integers(1, 4), st.integers(0, 10_000))
def test_hessian_bounds_property(m, n, seed):
    rng = np.random.default_rng(seed)
    X, w = rng.standard_normal((m, n)), 3 * rng.standard_normal(n)
    y = (rng.random(m) < 0.5).astype(np.float64)
    ev = np.linalg.eigvalsh(linear.logistic_hessian(w, X, y))
    beta = np.linalg.norm(X, 2) ** 2
    assert ev.min() >= -1e-14 and ev.max() <= beta / (4 * m) * (1 + 1e-12)


def test_newton_matches_sklearn():
    X, y, _ = _problem(2, m=200)
    fit = linear.logistic_newton(X, y)
    ref = (
        LogisticRegression(C=np.inf, fit_intercept=False, solver="newton-cholesky", tol=1e-12)
        .fit(X, y)
        .coef_[0]
    )
    assert fit.converged and fit.iterations < 15
    np.testing.assert_allclose(fit.w, ref, rtol=1e-6)


def test_newton_warns_on_separable_data():
    X = np.array([[1.0], [2.0], [-1.0], [-3.0]])
    y = np.array([1.0, 1.0, 0.0, 0.0])
    with pytest.warns(linear.ConvergenceWarning, match="separable"):
        fit = linear.logistic_newton(X, y, max_iter=20)
    assert not fit.converged and fit.w[0] > 5


def test_gd_on_separable_data_norm_grows():
    X = np.array([[1.0, 0.2], [2.0, -0.5], [-1.0, 0.3], [-3.0, -0.1]])
    y = np.array([1.0, 1.0, 0.0, 0.0])
    W = linear.logistic_gd(X, y, 4 * 4 / np.linalg.norm(X, 2) ** 2, 2000)
    norms = np.linalg.norm(W, axis=1)
    assert np.all(np.diff(norms[1:]) > 0) and norms[-1] > norms[100] + 1
    assert W.shape == (2001, 2)


def test_labels_may_be_integers_or_floats():
    X, y, w = _problem(3)
    ref = linear.logistic_loss(w, X, y)
    assert linear.logistic_loss(w, X, y.astype(np.int64)) == ref
    assert linear.logistic_loss(w.astype(np.float32), X.astype(np.float32), y).dtype == np.float32
    with pytest.raises(ValueError, match=r"'y' must have entries in \{0, 1\}"):
        linear.logistic_gradient(w, X, 2 * y - 1)


def test_separability_finds_directions_and_certifies_their_absence():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((40, 3))
    y = (rng.random(40) < 0.5).astype(np.int64)
    assert linear.separability(X, y).unique_minimiser
    ys = (X @ np.array([1.0, -2.0, 0.5]) > 0).astype(np.int64)
    sep = linear.separability(X, ys)
    assert not sep.unique_minimiser and sep.value > 1
    assert np.all((2 * ys - 1) * (X @ sep.direction) >= -1e-9)
    Xk = np.hstack([X, X[:, :1]])  # rank 3 < n = 4: a direction in ker X
    sk = linear.separability(Xk, y)
    assert not sk.unique_minimiser and np.linalg.norm(Xk @ sk.direction) < 1e-12


def test_hessian_lipschitz_constant():
    X = np.array([[3.0, 4.0], [0.0, 1.0]])
    assert linear.hessian_lipschitz(X) == pytest.approx(3**0.5 / 18 * (125 + 1) / 2)
