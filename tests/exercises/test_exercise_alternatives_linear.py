"""Correct solutions of the chapter *Linear models* written differently from the references pass:
the checkers raise no false alarms (other formulas, SciPy, the dual form, a spectral form)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg
import scipy.special

from deepqed.exercises import check


def min_norm_via_pinv(X, y, rcond):
    return np.linalg.pinv(X, rcond=rcond) @ y


def min_norm_via_lstsq(X, y, rcond):
    return np.linalg.lstsq(X, y, rcond=rcond)[0]


def min_norm_via_scipy(X, y, rcond):
    return scipy.linalg.lstsq(X, y, cond=rcond, lapack_driver="gelsd")[0]


def ridge_augmented(X, y, lam):
    n = X.shape[1]
    A = np.vstack([X, np.eye(n, dtype=X.dtype) * X.dtype.type(np.sqrt(lam))])
    b = np.concatenate([y, np.zeros(n, dtype=X.dtype)])
    return np.linalg.lstsq(A, b, rcond=None)[0]


def ridge_push_through(X, y, lam):
    m = X.shape[0]
    return X.T @ np.linalg.solve(X @ X.T + lam * np.eye(m, dtype=X.dtype), y)


def ridge_cholesky(X, y, lam):
    A = X.T @ X + lam * np.eye(X.shape[1], dtype=X.dtype)
    return scipy.linalg.cho_solve(scipy.linalg.cho_factor(A), X.T @ y).astype(X.dtype)


def ridge_spectral(X, y, lam):
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    return Vt.T @ (s / (s * s + lam) * (U.T @ y))


def logistic_via_log_expit(z, y):
    return -scipy.special.log_expit((2 * y - 1) * z)


def logistic_two_branches(z, y):
    t = -(2 * y - 1) * z
    return np.maximum(t, 0) + np.log1p(np.exp(-np.abs(t)))


def gd_in_place(X, y, eta, t):
    w = np.zeros(X.shape[1], dtype=X.dtype)
    g_y = X.T @ y
    for _ in range(t):
        w -= eta * (X.T @ (X @ w) - g_y)
    return w


def gd_spectral(X, y, eta, t):
    U, s, Vt = np.linalg.svd(X.astype(np.float64), full_matrices=False)
    keep = s > 0
    # 1 - (1 - eta s^2)^t without cancellation (for s near 0 the plain formula loses every digit)
    x = eta * s[keep] ** 2  # in (0, 1]
    small = np.minimum(x, 0.5)
    g = np.where(x < 0.5, -np.expm1(t * np.log1p(-small)), 1 - (1 - x) ** t) / s[keep]
    return (Vt[keep].T @ (g * (U[:, keep].T @ y.astype(np.float64)))).astype(X.dtype)


ALTERNATIVES = [
    (min_norm_via_pinv, "ex-lin-min-norm"),
    (min_norm_via_lstsq, "ex-lin-min-norm"),
    (min_norm_via_scipy, "ex-lin-min-norm"),
    (ridge_augmented, "ex-lin-ridge"),
    (ridge_push_through, "ex-lin-ridge"),
    (ridge_cholesky, "ex-lin-ridge"),
    (ridge_spectral, "ex-lin-ridge"),
    (logistic_via_log_expit, "ex-lin-logistic-loss"),
    (logistic_two_branches, "ex-lin-logistic-loss"),
    (gd_in_place, "ex-lin-gd-steps"),
    (gd_spectral, "ex-lin-gd-steps"),
]


@pytest.mark.parametrize(
    ("function", "exercise"), ALTERNATIVES, ids=[f.__name__ for f, _ in ALTERNATIVES]
)
def test_correct_alternative_passes(function, exercise):
    result = check(function, exercise)
    assert result.verdict == "passed", str(result)
