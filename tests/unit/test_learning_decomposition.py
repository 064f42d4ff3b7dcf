"""deepqed.learning: bias-variance estimates (Proposition prop-learn-mc-unbiased), the excess-risk
decomposition (Definition def-learn-excess) and the finite-class bound
(Theorem thm-learn-finite-class)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate
from strategies import float_arrays

from deepqed import learning
from deepqed._validation import ShapeError


@given(data=st.data())
@settings(max_examples=40, deadline=None)
def test_bias_plus_variance_is_mean_squared_deviation(data):
    R, n = data.draw(st.integers(2, 6)), data.draw(st.integers(1, 5))
    F = data.draw(float_arrays((R, n), bound=10.0))
    f_star = data.draw(float_arrays((n,), bound=10.0))
    bv = learning.bias_variance_decomposition(F, f_star, np.zeros(n))
    np.testing.assert_allclose(
        bv.bias2 + bv.variance, np.mean((F - f_star) ** 2, axis=0), rtol=1e-10, atol=1e-10
    )
    np.testing.assert_allclose(bv.variance, np.var(F, axis=0, ddof=1), rtol=1e-12, atol=1e-12)
    assert np.all(bv.variance >= 0)


def test_bias_variance_dtype_means_and_validation():
    F = np.array([[1.0, 2.0], [3.0, 6.0]], dtype=np.float32)
    bv = learning.bias_variance_decomposition(F, np.zeros(2, np.float32), np.ones(2, np.float32))
    assert bv.bias2.dtype == bv.variance.dtype == np.float32
    # column 0: mean 2, var 2, bias2 = 4 - 1 = 3; column 1: mean 4, var 8, bias2 = 16 - 4 = 12
    np.testing.assert_allclose(bv.bias2, [3, 12])
    np.testing.assert_allclose(bv.variance, [2, 8])
    assert bv.means() == pytest.approx({"bias2": 7.5, "variance": 5.0, "noise": 1.0, "total": 13.5})
    with pytest.raises(ValueError, match="'F' must have R >= 2"):
        learning.bias_variance_decomposition(np.zeros((1, 3)), np.zeros(3), np.zeros(3))
    with pytest.raises(ShapeError, match="'f_star'"):
        learning.bias_variance_decomposition(np.zeros((2, 3)), np.zeros(2), np.zeros(3))
    with pytest.raises(ValueError, match="'noise'"):
        learning.bias_variance_decomposition(np.zeros((2, 3)), np.zeros(3), -np.ones(3))


def test_bias_variance_of_sample_mean_by_simulation():
    rng = np.random.default_rng(0)
    n, R, theta, sigma = 5, 20_000, 1.5, 2.0
    F = np.mean(theta + sigma * rng.standard_normal((R, 3, n)), axis=2)  # Ybar at 3 "points"
    bv = learning.bias_variance_decomposition(F, np.full(3, theta), np.full(3, sigma**2))
    np.testing.assert_allclose(bv.variance, sigma**2 / n, rtol=5 * math.sqrt(2 / R))
    assert np.all(np.abs(bv.bias2) < 1e-3)  # bias 0; sd of the estimate ~ var/R


def test_excess_decomposition_terms_and_validation():
    e = learning.excess_risk_decomposition(0.5, 0.6, 0.4, 0.3)
    assert (e.optimization, e.estimation, e.approximation) == pytest.approx((-0.1, 0.2, 0.1))
    assert e.total == pytest.approx(0.2)
    with pytest.raises(ValueError, match="'risk_best'.*Bayes"):
        learning.excess_risk_decomposition(0.5, 0.6, 0.2, 0.3)
    with pytest.raises(ValueError, match="'risk_erm'.*minimiser"):
        learning.excess_risk_decomposition(0.5, 0.3, 0.4, 0.3)


def test_squared_risk_is_the_closed_form():
    """R(a + b x) = a^2 + b^2/3 + 1/2 - 2b/pi + sigma^2 under the sine model (E over U[-1, 1])."""
    a, b, sigma = 0.3, -0.7, 0.4
    risk = learning.squared_risk(learning.sine_model(sigma), lambda x: a + b * x)
    assert risk == pytest.approx(a**2 + b**2 / 3 + 0.5 - 2 * b / math.pi + sigma**2, rel=1e-14)


@pytest.mark.parametrize("p", [0, 1, 3, 6])
def test_legendre_projection_is_least_squares_in_l2(p):
    a, b = -1.0, 2.0
    f = np.exp
    c = learning.legendre_projection(f, p, domain=(a, b))
    # normal equations in the monomial basis of x with scipy quad
    G = np.array(
        [
            [integrate.quad(lambda x: x ** (i + j), a, b)[0] for j in range(p + 1)]
            for i in range(p + 1)
        ]
    )
    m = np.array([integrate.quad(lambda x: np.exp(x) * x**i, a, b)[0] for i in range(p + 1)])
    mono = np.linalg.solve(G, m)
    xs = np.linspace(a, b, 11)
    np.testing.assert_allclose(
        learning.predict_polynomial(c, xs, domain=(a, b)),
        np.polynomial.polynomial.polyval(xs, mono),
        atol=1e-8,
    )


def test_legendre_projection_reproduces_polynomials():
    c = learning.legendre_projection(lambda x: 3 * x**4 - x + 2, 6, domain=(0.0, 1.0))
    xs = np.linspace(0, 1, 9)
    np.testing.assert_allclose(
        learning.predict_polynomial(c, xs, domain=(0, 1)), 3 * xs**4 - xs + 2, atol=1e-12
    )


@given(n=st.integers(1, 10**6), M=st.integers(1, 10**6), delta=st.floats(1e-9, 0.999))
@settings(max_examples=50, deadline=None)
def test_uniform_bound_inverts_the_tail(n, M, delta):
    eps = learning.uniform_deviation_bound(n, M, delta)
    assert 2 * M * math.exp(-2 * n * eps**2) == pytest.approx(delta, rel=1e-9)


@given(eps=st.floats(1e-3, 0.5), M=st.integers(1, 10**6), delta=st.floats(1e-9, 0.999))
@settings(max_examples=50, deadline=None)
def test_sample_size_is_least(eps, M, delta):
    n = learning.finite_class_sample_size(eps, M, delta)
    assert 2 * M * math.exp(-2 * n * eps**2) <= delta
    assert n == 1 or 2 * M * math.exp(-2 * (n - 1) * eps**2) > delta
    assert learning.uniform_deviation_bound(n, M, delta) <= eps * (1 + 1e-12)


def test_finite_class_sample_size_example():
    assert learning.finite_class_sample_size(0.05, 1000, 0.01) == 2442
