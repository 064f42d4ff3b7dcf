"""Unit tests of ``deepqed.approximation``: closed forms, exact constructions, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deepqed import approximation as A
from deepqed import nn


def _out(arch, theta, x):
    return nn.forward(arch, theta, np.asarray(x, dtype=float)[:, None]).output[:, 0]


def test_polynomial_space_dim_counts_monomials():
    for d in range(1, 4):
        for r in range(0, 4):
            monomials = [a for a in np.ndindex(*([r + 1] * d)) if sum(a) <= r]
            assert A.polynomial_space_dim(d, r) == len(monomials)


def test_difference_network_is_exact_for_polynomials_of_degree_k():
    # sigma = t^k / k!: N_h = x^k exactly (sigma^(k+2) = 0)
    k, h, b = 3, 0.3, 0.7
    w, bb, v = A.difference_network(k, h, b)
    x = np.linspace(-2, 2, 41)
    N = A.shallow_network(lambda t: t**3 / 6, w[:, None], bb, v, x[:, None])
    np.testing.assert_allclose(N, x**3, atol=1e-12)
    assert A.difference_error_bound(k, h, 2.0, 0.0) == 0.0


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0.05, 2.0), min_size=1, max_size=10), st.integers(0, 2**31))
def test_relu_interpolant_is_the_interpolant(gaps, seed):
    rng = np.random.default_rng(seed)
    t = np.concatenate([[-1.0], -1.0 + np.cumsum(gaps)])
    y = rng.standard_normal(t.size)
    arch, theta = A.relu_interpolant(t, y)
    assert arch.widths == (1, t.size - 1, 1)
    x = np.linspace(t[0], t[-1], 301)
    np.testing.assert_allclose(_out(arch, theta, x), np.interp(x, t, y), atol=1e-11)


def test_relu_interpolant_refuses_unsorted_knots():
    with pytest.raises(ValueError, match="'t'"):
        A.relu_interpolant(np.array([0.0, 2.0, 1.0]), np.zeros(3))
    with pytest.raises(ValueError, match="'t'"):
        A.relu_interpolant(np.array([0.0]), np.zeros(1))


@pytest.mark.parametrize("k", [0, 1, 2, 5, 11])
def test_sawtooth_closed_form_and_network(k):
    x = np.concatenate([np.arange(2 ** (k + 1) + 1) / 2 ** (k + 1), np.linspace(0, 1, 997)])
    ref = x.copy()
    for _ in range(k):
        ref = np.where(ref <= 0.5, 2 * ref, 2 - 2 * ref)
    dyadic = slice(0, 2 ** (k + 1) + 1)  # exact values there, rounding elsewhere
    np.testing.assert_array_equal(A.sawtooth(x, k)[dyadic], ref[dyadic])
    np.testing.assert_allclose(A.sawtooth(x, k), ref, atol=2.0 ** (k + 1) * 1.2e-16)
    if k:
        arch, theta = A.sawtooth_network(k)
        np.testing.assert_allclose(_out(arch, theta, x), ref, atol=2.0 ** (k + 2) * 1e-16)


def test_sawtooth_refuses_points_outside_the_unit_interval():
    with pytest.raises(ValueError, match="'x'"):
        A.sawtooth(np.array([0.5, 1.5]), 2)


@pytest.mark.parametrize("m", [1, 2, 4, 8])
def test_square_network_is_the_dyadic_interpolant(m):
    grid = np.arange(2**m + 1) / 2**m
    x = np.linspace(0, 1, 1001)
    arch, theta = A.square_network(m)
    f = _out(arch, theta, x)
    np.testing.assert_allclose(f, np.interp(x, grid, grid**2), atol=1e-14)
    np.testing.assert_allclose(f, A.square_approximation(x, m), atol=1e-14)
    assert arch.num_parameters == 12 * m - 2
    mids = (np.arange(2**m) + 0.5) / 2**m
    assert np.max(A.square_approximation(mids, m) - mids**2) == pytest.approx(2.0 ** (-2 * m - 2))


def test_product_error_is_attained_at_consecutive_grid_points():
    m = 3
    x, y = np.array([2 / 8]), np.array([3 / 8])
    assert (A.product_approximation(x, y, m) - x * y)[0] == pytest.approx(2.0 ** (-2 * m - 1))
    with pytest.raises(ValueError, match="'y'"):
        A.product_approximation(np.zeros(2), np.zeros(3), 1)


def test_bounds_formulas():
    assert A.telgarsky_bound(5, 1) == 0.25
    assert A.telgarsky_bound(3, 5) == pytest.approx(0.25 * (1 - 8 / 8))
    assert A.square_lower_bound(4) == 1 / 128
    assert A.interpolation_error_bound(0.5, 2.0) == 0.0625


def test_l1_distance_of_two_lines_crossing():
    x = np.array([0.0, 1.0])
    assert A.l1_distance(x, np.array([1.0, -1.0]), np.zeros(2)) == pytest.approx(0.5)
    assert A.l1_distance(x, np.array([1.0, 3.0]), np.zeros(2)) == pytest.approx(2.0)
    with pytest.raises(ValueError, match="'x'"):
        A.l1_distance(np.array([1.0, 0.0]), np.zeros(2), np.zeros(2))


def test_breakpoints_and_pieces_of_a_known_network():
    # f(x) = relu(x) - 2 relu(x - 1) + relu(x - 2): breakpoints 0, 1, 2 in (-1, 3)
    arch = nn.Architecture((1, 3, 1), ("relu", "identity"))
    theta = nn.Parameters(
        (np.ones((3, 1)), np.array([[1.0, -2.0, 1.0]])), (np.array([0.0, -1.0, -2.0]), np.zeros(1))
    )
    P = A.breakpoints(arch, theta, -1.0, 3.0)
    np.testing.assert_allclose(P, [-1.0, 0.0, 1.0, 2.0, 3.0])
    assert A.count_pieces(P, _out(arch, theta, P)) == 4 == A.piece_bound(arch)
    with pytest.raises(ValueError, match="'arch'"):
        A.breakpoints(
            nn.Architecture((2, 3, 1), ("relu", "identity")),
            nn.init_parameters(
                nn.Architecture((2, 3, 1), ("relu", "identity")), rng=np.random.default_rng(0)
            ),
            0.0,
            1.0,
        )
    with pytest.raises(ValueError, match="'hi'"):
        A.breakpoints(arch, theta, 1.0, 1.0)


def test_count_pieces_merges_collinear_nodes():
    x = np.array([0.0, 1.0, 2.0, 3.0, 5.0])
    assert A.count_pieces(x, 2 * x) == 1
    assert A.count_pieces(x, np.abs(x - 2)) == 2


def test_arccos2_special_values_and_maurey_constant():
    x = np.array([[1.0, 2.0]])
    assert A.arccos2_kernel(x, x)[0, 0] == pytest.approx(1.5 * 25)
    assert A.arccos2_kernel(x, -x)[0, 0] == pytest.approx(0.0, abs=1e-14)
    assert A.arccos2_kernel(x, np.zeros((1, 2)))[0, 0] == 0.0
    # x = x0: C = k2(x, x) - k1(x, x)^2 = 1.5 |x|^4 - |x|^4 / 4
    assert A.maurey_constant(x, x[0]) == pytest.approx(1.25 * 25)
    assert A.relu_integral_bound(x, 2.0, 4) == pytest.approx(4 * 5 / 8)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_interpolating_network_fits_the_data(dtype):
    rng = np.random.default_rng(3)
    X = rng.standard_normal((30, 4)).astype(dtype)
    y = rng.standard_normal(30).astype(dtype)
    arch, theta = A.interpolating_network(X, y, rng=rng)
    assert arch.widths == (4, 29, 1)
    f = nn.forward(arch, theta, X).output[:, 0]
    np.testing.assert_allclose(f, y, atol=1e-3 if dtype == np.float32 else 1e-10)
    arch, theta = A.interpolating_network(X[:1], y[:1], rng=rng)
    assert nn.forward(arch, theta, X[:1]).output[0, 0] == y[0]


def test_interpolating_network_refuses_repeated_points():
    X = np.zeros((3, 2))
    with pytest.raises(ValueError, match="'X'"):
        A.interpolating_network(X, np.zeros(3), rng=np.random.default_rng(0))


def test_depth_separation_example_of_the_text():
    # g = 1/2 has distance exactly 1/4 to every sawtooth
    for k in (1, 4, 9):
        x = np.arange(2**k + 1) / 2**k
        assert A.l1_distance(x, A.sawtooth(x, k), np.full(x.size, 0.5)) == pytest.approx(0.25)
    assert math.isclose(A.telgarsky_bound(9, 1), 0.25)
