"""Kernels, Gram matrices and the PSD check (deepqed.kernels.kernels)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.metrics import pairwise

from deepqed import kernels
from deepqed._validation import ShapeError

KERNELS = [
    kernels.Linear(),
    kernels.Polynomial(3, 0.5, 1.5),
    kernels.Gaussian(0.7),
    kernels.Laplacian(0.4),
    kernels.ArcCosine(),
]


def _reference(k, X, Z):
    if isinstance(k, kernels.Linear):
        return X @ Z.T
    if isinstance(k, kernels.Polynomial):
        return pairwise.polynomial_kernel(X, Z, degree=k.degree, gamma=k.gamma, coef0=k.c)
    if isinstance(k, kernels.Gaussian):
        return pairwise.rbf_kernel(X, Z, gamma=k.gamma)
    if isinstance(k, kernels.Laplacian):
        return pairwise.laplacian_kernel(X, Z, gamma=k.gamma)
    out = np.zeros((len(X), len(Z)))
    for i, x in enumerate(X):
        for j, z in enumerate(Z):
            nx, nz = np.linalg.norm(x), np.linalg.norm(z)
            if nx and nz:
                t = math.acos(max(-1.0, min(1.0, x @ z / (nx * nz))))
                out[i, j] = nx * nz * (math.sin(t) + (math.pi - t) * math.cos(t)) / (2 * math.pi)
    return out


@pytest.mark.parametrize("k", KERNELS, ids=lambda k: type(k).__name__)
@pytest.mark.parametrize("dtype,tol", [(np.float64, 1e-12), (np.float32, 1e-5)])
def test_gram_matches_references(k, dtype, tol):
    rng = np.random.default_rng(0)
    X, Z = rng.standard_normal((7, 3)), rng.standard_normal((5, 3))
    X[2] = 0.0
    for A, B in ((X, Z), (X, None)):
        K = kernels.gram(k, A.astype(dtype), None if B is None else B.astype(dtype))
        ref = _reference(k, A, A if B is None else B)
        assert K.dtype == dtype and K.shape == ref.shape
        np.testing.assert_allclose(K, ref, rtol=tol, atol=tol)


@pytest.mark.parametrize("k", KERNELS, ids=lambda k: type(k).__name__)
def test_gram_is_symmetric_and_psd(k):
    X = np.random.default_rng(1).standard_normal((30, 4))
    K = kernels.gram(k, X)
    assert np.array_equal(K, K.T) or np.max(np.abs(K - K.T)) < 1e-12
    check = kernels.psd_check(K)
    assert check.is_psd, check


def test_gaussian_diagonal_is_one_and_entries_at_most_one():
    """Squared distances are clipped at 0: no entry above 1 even for nearly equal points."""
    X = 1e4 + np.random.default_rng(2).standard_normal((20, 3)) * 1e-4
    for dtype in (np.float32, np.float64):
        K = kernels.gram(kernels.Gaussian(3.0), X.astype(dtype))
        assert np.all(np.diag(K) == 1) and np.all(K <= 1) and np.all(K >= 0)
        D = kernels.squared_distances(X.astype(dtype), X[::-1].astype(dtype))
        assert np.all(D >= 0)


def test_arccos_special_values():
    x = np.array([[1.0, 2.0, -0.5]])
    A = kernels.ArcCosine()
    assert kernels.gram(A, x)[0, 0] == pytest.approx(float(x[0] @ x[0]) / 2, rel=1e-14)
    assert abs(kernels.gram(A, x, -x)[0, 0]) < 1e-15
    assert kernels.gram(A, x, 3.0 * x)[0, 0] == pytest.approx(1.5 * float(x[0] @ x[0]))
    assert np.all(np.isfinite(kernels.gram(A, np.zeros((2, 3)), x)))


def test_psd_check_detects_an_indefinite_matrix():
    K = np.array([[1.0, 2.0], [2.0, 1.0]])  # eigenvalues 3, -1
    assert not kernels.psd_check(K).is_psd
    assert kernels.psd_check(K).min_eigenvalue == pytest.approx(-1.0)
    assert not kernels.psd_check(np.array([[1.0, 0.5], [0.0, 1.0]])).is_psd  # not symmetric


@given(
    X=hnp.arrays(
        np.float64, st.tuples(st.integers(1, 8), st.integers(1, 4)), elements=st.floats(-5, 5)
    ),
    gamma=st.floats(0.05, 5),
)
@settings(max_examples=60)
def test_gaussian_gram_psd_property(X, gamma):
    K = kernels.gram(kernels.Gaussian(gamma), X)
    assert np.all(np.diag(K) == 1)
    assert kernels.psd_check(K).is_psd


def test_checks_across_arguments_name_the_argument():
    """Agreement between arguments, which the generated bad input of
    tests/unit/test_public_api.py does not reach."""
    X = np.zeros((3, 2))
    with pytest.raises(ShapeError, match="'Z'"):
        kernels.gram(kernels.Linear(), X, np.zeros((3, 4)))
    with pytest.raises(TypeError, match="dtypes"):
        kernels.gram(kernels.Linear(), X, np.zeros((1, 2), dtype=np.float32))
    with pytest.raises(ShapeError, match="'K'"):
        kernels.psd_check(np.zeros((2, 3)))
