"""Unit tests of ``deepqed.optimisation``: shapes, dtypes, algebraic identities, error messages."""

from __future__ import annotations

import math

import numpy as np
import pytest

from deepqed import optimisation as opt
from deepqed.gradcheck import central_difference


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gradient_descent_keeps_dtype_and_marks_divergence(dtype):
    xs = opt.gradient_descent(lambda x: 2 * x, np.ones(3, dtype=dtype), 0.25, 5)
    assert xs.shape == (6, 3) and xs.dtype == dtype
    np.testing.assert_allclose(xs[:, 0], 0.5 ** np.arange(6), rtol=1e-6)
    with np.errstate(over="ignore"):
        blow = opt.gradient_descent(lambda x: np.exp(x * x), np.full(1, 5.0), 1.0, 6)
    assert np.isnan(blow[-1]).all()  # overflow: the remaining rows are NaN


def test_pl_rate_factor_values_and_errors():
    assert opt.pl_rate_factor(1.0, 4.0, 0.25) == pytest.approx(0.75)
    assert opt.pl_rate_factor(2.0, 2.0, 0.5) == pytest.approx(0.0)
    with pytest.raises(ValueError, match="'eta'"):
        opt.pl_rate_factor(1.0, 4.0, 0.5)
    with pytest.raises(ValueError, match="'mu'"):
        opt.pl_rate_factor(5.0, 4.0, 0.1)


def test_least_squares_pl_constant_ignores_the_kernel():
    X = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 2.0]])
    assert opt.least_squares_pl_constant(X) == pytest.approx(4.0)
    with pytest.raises(ValueError, match="'X'"):
        opt.least_squares_pl_constant(np.zeros((2, 2)))


def test_sin_quadratic_derivative():
    x = np.linspace(-5, 5, 11)
    fd = [
        central_difference(
            lambda t: float(opt.sin_quadratic(np.asarray(t))), np.array(v), np.array(1.0), 1e-5
        )
        for v in x
    ]
    np.testing.assert_allclose(opt.sin_quadratic_grad(x), fd, atol=1e-7)


def test_tangent_kernel_is_the_gram_of_the_jacobian():
    rng = np.random.default_rng(0)
    W, a, X = rng.standard_normal((7, 3)), rng.choice([-1.0, 1.0], 7), rng.standard_normal((4, 3))
    J = opt.two_layer_jacobian(W, a, X)
    np.testing.assert_allclose(opt.tangent_kernel(W, a, X), J @ J.T, rtol=1e-12, atol=1e-14)
    v = rng.standard_normal(W.shape)
    fd = central_difference(lambda w: opt.two_layer_outputs(w, a, X), W, v, 1e-6)
    np.testing.assert_allclose(J @ v.ravel(), fd, atol=1e-8)


def test_wide_constants_refuse_a_singular_kernel():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((5, 2))
    with pytest.raises(ValueError, match="'W'"):
        opt.wide_constants(rng.standard_normal((2, 2)), np.ones(2), X, np.zeros(5))


def test_train_two_layer_records_every_step():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((3, 4))
    run = opt.train_two_layer(rng.standard_normal((20, 4)), np.ones(20), X, np.zeros(3), 0.1, 5)
    assert run.loss.shape == run.distance.shape == run.lambda_min.shape == (6,)
    assert run.distance[0] == 0 and run.loss[-1] < run.loss[0]


def test_sgd_least_squares_is_reproducible_and_moments_start_right():
    rng = np.random.default_rng(3)
    X, y = rng.standard_normal((8, 2)), rng.standard_normal(8)
    w0 = np.array([1.0, -1.0])
    a = opt.sgd_least_squares(X, y, 0.05, 10, w0, 4, np.random.default_rng(7))
    b = opt.sgd_least_squares(X, y, 0.05, 10, w0, 4, np.random.default_rng(7))
    assert a.shape == (11, 4, 2) and np.array_equal(a, b)
    mom = opt.sgd_least_squares_moments(X, y, 0.05, 3, w0)
    e0 = w0 - np.linalg.lstsq(X, y, rcond=None)[0]
    np.testing.assert_allclose(mom.second[0], np.outer(e0, e0))
    assert mom.sq_dist.shape == (4,)
    with pytest.raises(ValueError, match="'X'"):
        opt.sgd_least_squares_moments(np.ones((3, 2)), np.ones(3), 0.1, 2, np.zeros(2))


def test_sgd_bounds_refuse_large_steps():
    with pytest.raises(ValueError, match="'gamma'"):
        opt.sgd_strongly_convex_bound(1.0, 0.1, 1.0, 1.0, 1.0, 3)
    with pytest.raises(ValueError, match="'gamma'"):
        opt.sgd_nonconvex_bound(2.0, 1.0, 1.0, 1.0, 3)
    g, guarantee = opt.sgd_horizon_step(2.0, 1.0, 1.0, 100)
    assert g == pytest.approx(math.sqrt(2 / 200)) and guarantee > 0


def test_autoencoder_gradient_against_central_differences():
    rng = np.random.default_rng(4)
    U, _ = np.linalg.qr(rng.standard_normal((4, 4)))
    S = (U * np.array([4.0, 3.0, 2.0, 1.0])) @ U.T
    A, B = rng.standard_normal((4, 2)), rng.standard_normal((2, 4))
    dA, dB = rng.standard_normal(A.shape), rng.standard_normal(B.shape)
    gA, gB = opt.autoencoder_gradient(A, B, S)
    fd = central_difference(
        lambda t: opt.autoencoder_loss(A + t * dA, B + t * dB, S),
        np.array(0.0),
        np.array(1.0),
        1e-5,
    )
    assert float(np.sum(gA * dA) + np.sum(gB * dB)) == pytest.approx(float(fd), rel=1e-7)


def test_morse_index_counts():
    assert opt.autoencoder_morse_index(6, 3, np.array([1, 3, 4])) == (5, 9, 22)
    assert opt.autoencoder_morse_index(4, 2, np.array([0, 1])) == (0, 4, 12)
    with pytest.raises(ValueError, match="'I'"):
        opt.autoencoder_morse_index(4, 2, np.array([0, 0]))
    assert len(opt.index_sets(5, 2)) == 10


@pytest.mark.parametrize("n", [0, 1, 3, 6])
def test_walsh_hadamard_is_the_parity_matrix_and_an_involution(n):
    rng = np.random.default_rng(n)
    Y = rng.standard_normal((2**n, 3))
    H = opt.parity_matrix(n) if n else np.ones((1, 1))
    np.testing.assert_allclose(opt.walsh_hadamard(Y), H @ Y, atol=1e-12)
    np.testing.assert_allclose(opt.walsh_hadamard(opt.walsh_hadamard(Y)), 2**n * Y, atol=1e-11)
    with pytest.raises(ValueError, match="'Y'"):
        opt.walsh_hadamard(np.ones((3, 1)))


def test_parity_variance_identity():
    rng = np.random.default_rng(5)
    G = rng.standard_normal((16, 4))
    var, bound = opt.parity_gradient_variance(G)
    assert var == pytest.approx(bound - float(G[0] @ G[0]) / 16**2)


def test_learners_compose_to_a_gradient_step():
    rng = np.random.default_rng(6)
    W, b = rng.standard_normal((2, 3)), rng.standard_normal(2)
    layer = opt.gradient_learner(opt.affine_map(), 0.5)
    a, c = rng.standard_normal(3), rng.standard_normal(2)
    g = W @ a + b - c
    (W1, b1), req = layer.update((W, b), a, c), layer.request((W, b), a, c)
    np.testing.assert_allclose(W1, W - 0.5 * np.outer(g, a))
    np.testing.assert_allclose(b1, b - 0.5 * g)
    np.testing.assert_allclose(req, a - W.T @ g)
    both = opt.compose(layer, opt.gradient_learner(opt.activation_map("identity"), 0.5))
    np.testing.assert_allclose(both.request(((W, b), ()), a, c), req)
    with pytest.raises(TypeError, match="'f'"):
        opt.compose(None, layer)
