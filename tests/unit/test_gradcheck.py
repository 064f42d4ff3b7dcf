"""Gradient checking tools (deepqed.gradcheck)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import SMOOTH, float_arrays, networks

from deepqed import gradcheck, nn
from deepqed._validation import ShapeError


@given(
    M=float_arrays((3, 4), bound=2.0),
    x=float_arrays((4,), bound=2.0),
    v=float_arrays((4,), bound=2.0),
    h=st.floats(1e-3, 1.0),
)
@settings(max_examples=50, deadline=None)
def test_central_difference_exact_for_quadratics(M, x, v, h):
    # f(x) = (M x) * (M x): the h^2 term of a quadratic cancels in the central difference
    f = lambda t: (M @ t) ** 2  # noqa: E731
    exact = 2 * (M @ x) * (M @ v)
    np.testing.assert_allclose(gradcheck.central_difference(f, x, v, h), exact, atol=1e-10)
    fd = gradcheck.forward_difference(f, x, v, h)
    np.testing.assert_allclose(fd, exact + h * (M @ v) ** 2, atol=1e-10)  # O(h) term


def test_error_orders():
    x, v = np.array([0.3, -0.2]), np.array([1.0, 2.0])
    f = lambda t: np.sin(t).sum()  # noqa: E731
    exact = float(np.cos(x) @ v)
    err_c = [abs(gradcheck.central_difference(f, x, v, h) - exact) for h in (1e-2, 1e-3)]
    err_f = [abs(gradcheck.forward_difference(f, x, v, h) - exact) for h in (1e-2, 1e-3)]
    assert 80 < err_c[0] / err_c[1] < 120  # h^2: factor 100
    assert 8 < err_f[0] / err_f[1] < 12  # h: factor 10


@given(
    M=float_arrays((3, 5), bound=3.0),
    x=float_arrays((5,)),
    u=float_arrays((3,)),
    v=float_arrays((5,)),
)
@settings(max_examples=50, deadline=None)
def test_check_vjp_linear_map(M, x, u, v):
    lhs, rhs = gradcheck.check_vjp(lambda t: M @ t, lambda w: M.T @ w, x, u, v, 0.5)
    assert math.isclose(lhs, rhs, rel_tol=1e-9, abs_tol=1e-9)


def test_check_vjp_detects_wrong_adjoint():
    rng = np.random.default_rng(0)
    M = rng.standard_normal((4, 4))
    x, u, v = rng.standard_normal((3, 4))
    lhs, rhs = gradcheck.check_vjp(lambda t: M @ t, lambda w: M @ w, x, u, v, 1e-3)  # not M^T
    assert abs(lhs - rhs) > 1e-3
    with pytest.raises(ShapeError, match="'u'"):
        gradcheck.check_vjp(lambda t: M @ t, lambda w: M.T @ w, x, np.ones(3), v, 1e-3)
    with pytest.raises(ShapeError, match="'vjp\\(u\\)'"):
        gradcheck.check_vjp(lambda t: M @ t, lambda w: w[:2], x, u, v, 1e-3)


@given(net=networks(activations=SMOOTH, max_depth=3, max_width=6), seed=st.integers(0, 99))
@settings(max_examples=30, deadline=None)
def test_random_direction_and_loss_difference(net, seed):
    arch, theta, X, Y = net
    V = gradcheck.random_direction(theta, rng=np.random.default_rng(seed))
    assert math.isclose(gradcheck.inner(V, V), 1.0, rel_tol=1e-12)
    assert [a.shape for a in V.arrays()] == [a.shape for a in theta.arrays()]
    moved = gradcheck.perturb(theta, V, 0.5)
    for t, d, p in zip(theta.arrays(), V.arrays(), moved.arrays()):
        np.testing.assert_array_equal(p, t + 0.5 * d)
    _, grad = nn.loss_and_gradient(arch, theta, X, Y)
    cd = gradcheck.loss_directional_difference(arch, theta, X, Y, V, 1e-5)
    assert abs(cd - gradcheck.inner(grad, V)) <= 1e-7 * (1 + math.sqrt(gradcheck.inner(grad, grad)))


def test_inner_is_flat_dot_product():
    rng = np.random.default_rng(3)
    arch = nn.Architecture((3, 2, 2), ("relu", "identity"))
    P = nn.init_parameters(arch, rng=rng)
    Q = gradcheck.random_direction(P, rng=rng)
    flat = lambda T: np.concatenate([a.ravel() for a in T.arrays()])  # noqa: E731
    assert math.isclose(gradcheck.inner(P, Q), float(flat(P) @ flat(Q)), rel_tol=1e-13)
    assert gradcheck.inner(P, Q) == gradcheck.inner(Q, P)


def test_errors_name_arguments():
    arch = nn.Architecture((3, 2), ("relu",))
    theta = nn.init_parameters(arch, rng=np.random.default_rng(0))
    other = nn.init_parameters(nn.Architecture((3, 3), ("relu",)), rng=np.random.default_rng(0))
    with pytest.raises(ShapeError, match=r"'V\[0\]'.*\(2, 3\).*\(3, 3\)"):
        gradcheck.perturb(theta, other, 0.1)
    with pytest.raises(TypeError, match="'V'"):
        gradcheck.inner(theta, theta.arrays())
    deeper = nn.init_parameters(
        nn.Architecture((3, 2, 2), ("relu", "relu")), rng=np.random.default_rng(0)
    )
    with pytest.raises(ValueError, match="'V' must hold 1 layers"):
        gradcheck.perturb(theta, deeper, 0.1)
    with pytest.raises(TypeError, match="'rng'"):
        gradcheck.random_direction(theta, rng=0)
    with pytest.raises(ValueError, match="'loss'"):
        gradcheck.loss_directional_difference(
            arch, theta, np.ones((1, 3)), np.ones((1, 2)), theta, 1e-3, "hinge"
        )
    with pytest.raises(ShapeError, match="'Y'"):
        gradcheck.loss_directional_difference(
            arch, theta, np.ones((1, 3)), np.ones((2, 2)), theta, 1e-3
        )
    with pytest.raises(ShapeError, match=r"'v'.*\(3,\).*\(2,\)"):
        gradcheck.forward_difference(np.sin, np.ones(3), np.ones(2), 1e-3)
