"""Unit tests of ``deepqed.generalisation``: exact complexities, counts and closed forms."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from deepqed import generalisation as G
from deepqed import linear


def test_sign_vectors_are_all_distinct():
    E = G.sign_vectors(4)
    assert E.shape == (16, 4) and len({tuple(r) for r in E}) == 16
    assert set(np.unique(E)) == {-1.0, 1.0}


def test_rademacher_complexity_of_small_sets():
    assert G.rademacher_complexity(np.array([[1.0, 2.0, 3.0]])) == pytest.approx(0.0, abs=1e-15)
    # {e_1, -e_1} in R^n: E|eps_1| / n = 1/n
    A = np.vstack([np.eye(3)[:1], -np.eye(3)[:1]])
    assert G.rademacher_complexity(A) == pytest.approx(1 / 3)
    # all sign vectors: E sum |eps_i| / n = 1
    assert G.rademacher_complexity(G.sign_vectors(5)) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="'A'"):
        G.rademacher_complexity(np.zeros((2, 21)))


def test_massart_bound_value():
    A = np.vstack([np.eye(3)[:1], -np.eye(3)[:1]])
    assert G.massart_bound(A) == pytest.approx(math.sqrt(2 * math.log(2)) / 3)


def test_linear_class_of_one_point_and_of_two_equal_points():
    x = np.array([[3.0, 4.0]])
    assert G.linear_class_complexity(x, 2.0) == pytest.approx(10.0)
    assert G.linear_class_bounds(x, 2.0)[2] == pytest.approx(10.0)
    X = np.array([[1.0, 0.0], [1.0, 0.0]])
    # E|eps_1 + eps_2| = 1 = 2^(-1/2) sqrt(2)
    assert G.linear_class_complexity(X, 2.0) == pytest.approx(G.linear_class_bounds(X, 2.0)[1])


def test_threshold_rademacher_matches_enumeration():
    for n in (1, 3, 8):
        A = np.array([[1.0 if i >= k else 0.0 for i in range(n)] for k in range(n + 1)])
        assert G.threshold_rademacher(n) == pytest.approx(G.rademacher_complexity(A))


def test_path_norm_complexity_of_one_point():
    # one point x: sup over the class of |eps v ReLU(<u, x>)| = B ||x||
    x = np.array([[0.6, 0.8]])
    assert G.path_norm_complexity(x, 3.0) == pytest.approx(3.0)
    assert G.path_norm_bound(x, 3.0) == pytest.approx(6.0)


def test_bounds_formulas():
    assert G.mcdiarmid_bound(np.array([1.0]), np.ones(2))[0] == pytest.approx(math.exp(-1))
    assert G.rademacher_bound(0.1, 50, math.exp(-1)) == pytest.approx(0.2 + 0.1)
    assert G.empirical_rademacher_bound(0.0, 1, 2 * math.exp(-2)) == pytest.approx(3.0)
    assert G.margin_bound(0.1, 50, math.exp(-1), 0.5) == pytest.approx(0.4 + 0.1)
    np.testing.assert_allclose(
        G.ramp_loss(np.array([-1.0, 0.0, 0.25, 0.5, 2.0]), 0.5), [1, 1, 0.5, 0, 0]
    )
    assert G.sauer_bound(5, 2) == 16 and G.sauer_bound(3, 7) == 8
    assert G.cover_count(4, 2) == 8 and G.cover_count(3, 3) == 8
    assert G.ball_covering_bound(1.0, 0.5, 2) == 25.0
    assert G.two_layer_lipschitz(2.0, 0.0) == 2.0
    with pytest.raises(ValueError, match="'n'"):
        G.vc_rademacher_bound(2, 3)


def test_threshold_covering_number():
    assert G.threshold_covering_number(10, 1.0) == 1
    assert G.threshold_covering_number(10, 0.1) == 11  # radius below one step: every staircase
    assert G.threshold_covering_number(10, math.sqrt(0.1)) == math.ceil(11 / 3)


def test_dudley_bound_of_a_constant_step():
    radii = np.array([0.0, 1.0])
    assert G.dudley_bound(radii, np.array([math.log(4.0), 0.0]), 9, 0.5) == pytest.approx(
        2.0 + 12 * 0.5 * math.sqrt(math.log(4.0)) / 3
    )
    with pytest.raises(ValueError, match="'alpha'"):
        G.dudley_bound(np.array([0.5, 1.0]), np.zeros(2), 9, 0.1)


def test_shattering_counts():
    H = np.array(list(itertools.product((0, 1), repeat=3)))
    assert G.restrictions(H) == 8 and G.shattered_count(H) == 8
    thresholds = np.array([[1 if i >= k else 0 for i in range(4)] for k in range(5)])
    assert G.shattered_count(thresholds) == 5  # the empty set and the 4 singletons


@pytest.mark.parametrize("n,d", [(5, 2), (7, 3), (3, 4)])
def test_count_dichotomies_matches_linear_programming(n, d):
    X = np.random.default_rng(n * d).standard_normal((n, d))
    lp = sum(G.is_separable(X, np.array(y)) for y in itertools.product((-1.0, 1.0), repeat=n))
    assert G.count_dichotomies(X) == lp == G.cover_count(n, d)


def test_count_dichotomies_refuses_degenerate_points():
    X = np.array([[1.0, 0.0], [2.0, 0.0], [0.0, 1.0]])  # two points on a line through 0
    with pytest.raises(ValueError, match="'X'"):
        G.count_dichotomies(X)


def test_spectral_lipschitz_bound():
    W = (np.diag([3.0, 1.0]), np.array([[0.0, 2.0]]))
    assert G.spectral_lipschitz_bound(W) == pytest.approx(6.0)
    with pytest.raises(ValueError, match="'W\\[1\\]'"):
        G.spectral_lipschitz_bound((np.eye(2), np.ones((1, 3))))


def test_min_norm_risk_regimes_and_noiseless_projection():
    assert G.min_norm_risk(30, 10, 1.0, 5.0) == pytest.approx(10 / 19)
    assert G.min_norm_risk(30, 60, 0.0, 2.0) == pytest.approx(1.0)
    assert math.isinf(G.min_norm_risk(30, 30, 1.0, 1.0))
    assert G.min_norm_risk_limit(0.5, 1.0, 1.0) == pytest.approx(1.0)
    assert G.min_norm_risk_limit(2.0, 1.0, 1.0) == pytest.approx(1.5)
    # noiseless, overparametrised: the solution is the projection of beta on the row space
    rng = np.random.default_rng(0)
    X = rng.standard_normal((5, 12))
    beta = rng.standard_normal(12)
    w = linear.min_norm_least_squares(X, X @ beta)
    P = X.T @ np.linalg.solve(X @ X.T, X)
    np.testing.assert_allclose(w, P @ beta, atol=1e-12)
