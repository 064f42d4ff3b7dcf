"""Correct solutions of the chapter *Kernel methods* written differently from the references pass:
the checkers raise no false alarms (differences instead of the expansion, the library, another
formula for sin(theta), a Cholesky solve, the complex exponential)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg

from deepqed import kernels
from deepqed.exercises import check


def gaussian_by_differences(X, Z, gamma):
    D = np.sum((X[:, None, :] - Z[None, :, :]) ** 2, axis=2)
    return np.exp(-gamma * D)


def gaussian_library(X, Z, gamma):
    return kernels.gram(kernels.Gaussian(gamma), X, Z)


def gaussian_scipy(X, Z, gamma):
    from scipy.spatial.distance import cdist

    return np.exp(-gamma * cdist(X, Z, "sqeuclidean")).astype(X.dtype)


def arccos_sin_of_theta(X, Z):
    nx = np.linalg.norm(X, axis=1)[:, None]
    nz = np.linalg.norm(Z, axis=1)[None, :]
    N = nx * nz
    c = np.clip((X @ Z.T) / np.where(N > 0, N, 1), -1, 1)
    t = np.arccos(c)
    return np.where(N > 0, N * (np.sin(t) + (np.pi - t) * c) / (2 * np.pi), 0).astype(X.dtype)


def arccos_library(X, Z):
    return kernels.gram(kernels.ArcCosine(), X, Z)


def arccos_unit_rows(X, Z):
    nx = np.linalg.norm(X, axis=1)
    nz = np.linalg.norm(Z, axis=1)
    U = X / np.where(nx > 0, nx, 1)[:, None]
    V = Z / np.where(nz > 0, nz, 1)[:, None]
    c = np.clip(U @ V.T, -1, 1)
    t = np.arccos(c)
    K = np.outer(nx, nz) * (np.sin(t) + (np.pi - t) * c) / (2 * np.pi)
    return K.astype(X.dtype)


def krr_cholesky(K, y, K_test, lam):
    m = K.shape[0]
    A = K + m * lam * np.eye(m, dtype=K.dtype)
    return K_test @ scipy.linalg.cho_solve(scipy.linalg.cho_factor(A), y)


def krr_library(K, y, K_test, lam):
    return K_test @ kernels.shifted_solve(K, y, K.shape[0] * lam)


def rff_complex(X, omega, b):
    D = omega.shape[0]
    return (np.sqrt(2.0 / D) * np.real(np.exp(1j * (X @ omega.T + b)))).astype(X.dtype)


def rff_library(X, omega, b):
    return kernels.rff_features(kernels.RFFParams(omega, b), X)


ALTERNATIVES = [
    (gaussian_by_differences, "ex-ker-gaussian-gram"),
    (gaussian_library, "ex-ker-gaussian-gram"),
    (gaussian_scipy, "ex-ker-gaussian-gram"),
    (arccos_sin_of_theta, "ex-ker-arccos"),
    (arccos_library, "ex-ker-arccos"),
    (arccos_unit_rows, "ex-ker-arccos"),
    (krr_cholesky, "ex-ker-krr-predict"),
    (krr_library, "ex-ker-krr-predict"),
    (rff_complex, "ex-ker-rff-features"),
    (rff_library, "ex-ker-rff-features"),
]


@pytest.mark.parametrize(
    ("function", "exercise"), ALTERNATIVES, ids=[f.__name__ for f, _ in ALTERNATIVES]
)
def test_correct_alternative_passes(function, exercise):
    result = check(function, exercise)
    assert result.verdict == "passed", str(result)
