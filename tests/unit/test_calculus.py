"""deepqed.calculus: vec, Kronecker Jacobians, matrix derivatives, convexity constants."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from deepqed import calculus
from deepqed._validation import ShapeError

DTYPES = [np.float32, np.float64]


def matrices(max_side=4):
    shape = st.tuples(st.integers(1, max_side), st.integers(1, max_side))
    return hnp.arrays(np.float64, shape, elements=st.floats(-10, 10))


@given(matrices())
def test_vec_is_column_major_and_unvec_inverts(X):
    v = calculus.vec(X)
    assert np.array_equal(v, X.reshape(-1, order="F"))
    assert np.array_equal(calculus.unvec(v, *X.shape), X)


@given(matrices(), matrices())
def test_vec_is_an_isometry(A, B):
    if A.shape == B.shape:
        assert calculus.vec(A) @ calculus.vec(B) == pytest.approx(np.sum(A * B), abs=1e-9)


@pytest.mark.parametrize("dtype", DTYPES)
def test_dtypes_are_kept(dtype):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((3, 2)).astype(dtype)
    assert calculus.vec(X).dtype == dtype
    assert calculus.unvec(calculus.vec(X), 3, 2).dtype == dtype
    assert calculus.commutation_matrix(3, 2, dtype).dtype == dtype
    A, B = rng.standard_normal((2, 3)).astype(dtype), rng.standard_normal((2, 4)).astype(dtype)
    assert calculus.jacobian_AXB(A, B).dtype == dtype
    assert calculus.jacobian_XW(A, 5).dtype == dtype
    S = (X @ X.T + 3 * np.eye(3)).astype(dtype)
    assert calculus.grad_logdet(S).dtype == dtype
    assert calculus.inverse_derivative(S, S).dtype == dtype
    assert calculus.grad_frobenius_residual(A.T, A, S[:, :3]).dtype == dtype


def test_dynamic_checks_name_the_argument():
    """Conditions that the declared constraints cannot express (the generated bad input of
    tests/unit/test_public_api.py covers types, shapes, dtypes and non-finite values)."""
    with pytest.raises(ValueError, match="'v'"):
        calculus.unvec(np.zeros(5), 2, 3)
    with pytest.raises(ValueError, match="'X' must be symmetric"):
        calculus.grad_logdet(np.array([[1.0, 2.0], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="'X' must be positive definite"):
        calculus.grad_logdet(-np.eye(2))
    with (
        pytest.raises(ValueError, match="'X' must be invertible"),
        pytest.warns(RuntimeWarning, match="ill-conditioned"),
    ):
        calculus.inverse_jacobian(np.zeros((2, 2)))
    with pytest.raises(ShapeError, match="'X'"):
        calculus.inverse_jacobian(np.zeros((2, 3)))
    with pytest.raises(ShapeError, match="'B'"):
        calculus.grad_frobenius_residual(np.zeros((2, 3)), np.zeros((3, 4)), np.zeros((2, 5)))
    with pytest.raises(ValueError, match="'y'"):
        calculus.logistic_loss(np.zeros(2), np.zeros((3, 2)), np.array([1.0, 0.0, 1.0]))
    with pytest.raises(ValueError, match="'Q' must be symmetric"):
        calculus.quadratic_constants(np.array([[1.0, 1.0], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="'sigma_prime'"):
        calculus.entrywise_jacobian(lambda Z: Z[0], np.zeros((2, 3)))
    with pytest.raises(TypeError, match="dtypes"):
        calculus.jacobian_AXB(np.zeros((2, 2)), np.zeros((2, 2), dtype=np.float32))


def test_ill_conditioned_inverse_warns():
    with pytest.warns(RuntimeWarning, match="ill-conditioned"):
        calculus.inverse_derivative(np.diag([1.0, 1e-12]), np.eye(2))


def test_commutation_matrix_small_case():
    # K_{2,2} swaps the two middle coordinates of vec
    assert np.array_equal(calculus.commutation_matrix(2, 2), np.eye(4)[[0, 2, 1, 3]])


def _torch_vec_jacobian(fn, X):
    J = torch.autograd.functional.jacobian(fn, torch.from_numpy(X)).numpy()
    p, q, m, n = J.shape
    return J.transpose(1, 0, 3, 2).reshape(p * q, m * n)


def test_jacobians_against_torch():
    rng = np.random.default_rng(1)
    A, B, X = rng.standard_normal((3, 4)), rng.standard_normal((2, 5)), rng.standard_normal((4, 2))
    ref = _torch_vec_jacobian(lambda T: torch.from_numpy(A) @ T @ torch.from_numpy(B), X)
    np.testing.assert_allclose(calculus.jacobian_AXB(A, B), ref, atol=1e-14)
    S = X.T @ X + np.eye(2)
    np.testing.assert_allclose(
        calculus.inverse_jacobian(S), _torch_vec_jacobian(torch.linalg.inv, S), atol=1e-12
    )
    np.testing.assert_allclose(
        calculus.entrywise_jacobian(lambda Z: np.cos(Z), X),
        _torch_vec_jacobian(torch.sin, X),
        atol=1e-14,
    )
    np.testing.assert_allclose(
        calculus.jacobian_fd(lambda Y: A @ Y @ B, X, 1e-4), calculus.jacobian_AXB(A, B), atol=1e-9
    )


def test_gradients_against_torch():
    rng = np.random.default_rng(2)
    A, X, B = rng.standard_normal((3, 4)), rng.standard_normal((4, 2)), rng.standard_normal((3, 2))
    Xt = torch.tensor(X, requires_grad=True)
    (g,) = torch.autograd.grad(((torch.from_numpy(A) @ Xt - torch.from_numpy(B)) ** 2).sum(), Xt)
    np.testing.assert_allclose(calculus.grad_frobenius_residual(A, X, B), g.numpy(), rtol=1e-12)
    A2 = rng.standard_normal((2, 4))
    assert np.array_equal(calculus.grad_trace_AX(A2), A2.T)
    Q, x = rng.standard_normal((4, 4)), rng.standard_normal(4)
    np.testing.assert_allclose(calculus.grad_quadratic_form(Q, x), (Q + Q.T) @ x, rtol=1e-13)
    H = rng.standard_normal((4, 4))
    S = Q @ Q.T + np.eye(4)
    np.testing.assert_allclose(
        calculus.inverse_derivative(S, H),
        -np.linalg.inv(S) @ H @ np.linalg.inv(S),
        rtol=1e-9,
        atol=1e-12,
    )
    np.testing.assert_allclose(calculus.grad_logdet(S), np.linalg.inv(S), rtol=1e-9, atol=1e-12)


def test_convexity_constants():
    rng = np.random.default_rng(3)
    U, _ = np.linalg.qr(rng.standard_normal((4, 4)))
    lam = np.array([-3.0, 0.5, 1.0, 2.0])
    mu, L = calculus.quadratic_constants((U * lam) @ U.T)
    assert mu == pytest.approx(-3.0) and L == pytest.approx(3.0)
    X = np.array([[2.0, 0.0], [0.0, 1.0], [2.0, 0.0], [0.0, 1.0]])
    assert calculus.logistic_smoothness(X, 0.25) == pytest.approx(0.75)
    w, y = rng.standard_normal(2), np.array([1.0, -1.0, -1.0, 1.0])
    # no overflow for huge margins
    assert np.isfinite(calculus.logistic_loss(1e4 * w, X, y))
    assert np.all(np.isfinite(calculus.logistic_loss_grad(1e4 * w, X, y)))
    wt = torch.tensor(w, requires_grad=True)
    val = torch.nn.functional.softplus(-torch.from_numpy(y) * (torch.from_numpy(X) @ wt)).mean()
    (g,) = torch.autograd.grad(val, wt)
    assert calculus.logistic_loss(w, X, y) == pytest.approx(float(val.detach()), rel=1e-13)
    np.testing.assert_allclose(calculus.logistic_loss_grad(w, X, y), g.numpy(), rtol=1e-12)
    np.testing.assert_allclose(calculus.gradient_step(w, g.numpy(), 2.0), w - g.numpy() / 2)
