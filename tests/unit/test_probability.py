"""deepqed.probability: conditional expectation, Hoeffding bounds, Clopper-Pearson."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from deepqed import probability
from deepqed._validation import ShapeError


@st.composite
def finite_spaces(draw):
    N = draw(st.integers(1, 10))
    w = np.array(draw(st.lists(st.floats(0, 5), min_size=N, max_size=N)))
    if w.sum() == 0:
        w[0] = 1.0
    X = np.array(draw(st.lists(st.floats(-100, 100), min_size=N, max_size=N)))
    labels = np.array(draw(st.lists(st.integers(0, 3), min_size=N, max_size=N)))
    return w / w.sum(), X, labels


@given(finite_spaces())
def test_condexp_defining_property_and_idempotence(space):
    p, X, labels = space
    Y = probability.conditional_expectation(p, X, labels)
    for c in np.unique(labels):
        G = labels == c
        assert np.sum(p * Y * G) == pytest.approx(np.sum(p * X * G), abs=1e-9)
        assert np.ptp(Y[G]) <= 1e-9 * (1 + np.abs(X).max())
    np.testing.assert_allclose(probability.conditional_expectation(p, Y, labels), Y, atol=1e-9)


def test_condexp_trivial_and_full_sigma_algebras():
    p = np.array([0.2, 0.3, 0.5])
    X = np.array([1.0, -2.0, 4.0])
    np.testing.assert_allclose(
        probability.conditional_expectation(p, X, np.zeros(3, int)), np.full(3, p @ X)
    )
    np.testing.assert_allclose(probability.conditional_expectation(p, X, np.arange(3)), X)
    Y = probability.conditional_expectation(np.array([0.0, 0.5, 0.5]), X, np.array([0, 1, 1]))
    np.testing.assert_allclose(Y, [0.0, 1.0, 1.0])  # null cell -> 0
    assert (
        probability.conditional_expectation(
            p.astype(np.float32), X.astype(np.float32), np.arange(3)
        ).dtype
        == np.float32
    )
    assert probability.l2_inner(p, X, X) == pytest.approx(p @ X**2)


def test_condexp_validation():
    with pytest.raises(ValueError, match="probability vector"):
        probability.conditional_expectation(np.array([0.5, 0.6]), np.zeros(2), np.zeros(2, int))
    with pytest.raises(ShapeError, match="'X'"):
        probability.conditional_expectation(np.array([0.5, 0.5]), np.zeros(3), np.zeros(2, int))
    with pytest.raises(ShapeError, match="'labels'"):
        probability.conditional_expectation(np.array([0.5, 0.5]), np.zeros(2), np.zeros(3, int))


def test_hoeffding_bound_and_sample_size():
    assert probability.hoeffding_bound(0.1, 50, 0.0, 1.0) == pytest.approx(math.exp(-1.0))
    assert probability.hoeffding_bound(0.0, 5, 0.0, 1.0, two_sided=True) == 1.0
    assert probability.hoeffding_sample_size(0.01, 0.05, 0.0, 1.0) == 18_445
    assert probability.hoeffding_sample_size(0.01, 0.05, -1.0, 1.0) == 73_778
    assert probability.hoeffding_mgf_bound(2.0, -1.0, 1.0) == pytest.approx(math.exp(2.0))
    assert probability.hoeffding_mgf_bound(1e3, 0.0, 1.0) == math.inf
    # the sum form with equal widths is the mean form at t = n t'
    assert probability.hoeffding_sum_bound(5 * 0.1, np.full(5, 2.0)) == pytest.approx(
        probability.hoeffding_bound(0.1, 5, -1.0, 1.0), rel=1e-15
    )
    assert probability.hoeffding_sum_bound(1.0, np.array([1.0, 0.5]), two_sided=True) == (
        pytest.approx(2 * math.exp(-2 / 1.25), rel=1e-15)
    )
    with pytest.raises(ValueError, match="'b' must be greater than a"):
        probability.hoeffding_bound(0.1, 5, 1.0, 1.0)
    with pytest.raises(ValueError, match="'widths'"):
        probability.hoeffding_sum_bound(0.1, np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match="'k'"):
        probability.clopper_pearson(np.array([3, 11]), 10)


@given(st.floats(1e-3, 1.0), st.floats(1e-6, 0.99), st.floats(0.1, 5.0))
def test_sample_size_is_least(eps, delta, width):
    n = probability.hoeffding_sample_size(eps, delta, 0.0, width)
    assert 2 * math.exp(-2 * n * eps**2 / width**2) <= delta
    assert n == 1 or 2 * math.exp(-2 * (n - 1) * eps**2 / width**2) > delta


def test_clopper_pearson_against_scipy():
    k, N = np.array([0, 3, 50, 100]), 100
    lo, hi = probability.clopper_pearson(k, N, alpha=0.05)
    for kk, l, h in zip(k, lo, hi):
        ref = stats.binomtest(int(kk), N).proportion_ci(0.95, method="exact")
        assert l == pytest.approx(ref.low, abs=1e-12) and h == pytest.approx(ref.high, abs=1e-12)


def test_tail_frequency_counts():
    k, N = probability.tail_frequency(
        np.array([0.1, 0.5, 0.9, 0.75]), 0.5, np.array([0.0, 0.2, 0.5])
    )
    assert N == 4 and list(k) == [3, 2, 0]
