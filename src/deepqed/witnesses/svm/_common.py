r"""Shared pieces of the SVM witnesses: random data sets and independent reference solvers.

The references never call :mod:`deepqed.svm`: the soft- and hard-margin quadratic programs are
solved by SciPy's SLSQP from their constrained form, and the dual by scikit-learn's ``SVC`` (LIBSVM).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import minimize
from sklearn.svm import SVC

from .._common import nan_max  # noqa: F401  (shared by every chapter)

__all__ = [
    "blobs",
    "separable",
    "rbf_gram",
    "random_problem",
    "svc_alpha",
    "slsqp_soft_margin",
    "slsqp_hard_margin",
    "random_feasible_alpha",
    "nan_max",
]


def blobs(
    rng: np.random.Generator, m: int, d: int, *, shift: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """Two overlapping Gaussian classes, means at +-shift/sqrt(d) * 1_d; both labels present."""
    y = np.where(rng.random(m) < 0.5, 1.0, -1.0)
    y[0], y[1] = 1.0, -1.0
    X = rng.standard_normal((m, d)) + np.outer(y, np.full(d, shift / math.sqrt(d)))
    return X, y


def separable(rng: np.random.Generator, m: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    """Labels of a random hyperplane, samples kept at distance >= 0.3 from it (separable)."""
    u = rng.standard_normal(d)
    u /= np.linalg.norm(u)
    c = rng.uniform(-0.5, 0.5)
    X = np.empty((0, d))
    while X.shape[0] < m:
        Z = 2.0 * rng.standard_normal((4 * m, d))
        X = np.vstack([X, Z[np.abs(Z @ u + c) >= 0.3]])
    X = X[:m]
    y = np.where(X @ u + c > 0, 1.0, -1.0)
    if np.all(y == y[0]):  # make sure both labels occur
        X[0] -= 2 * (X[0] @ u + c) * u
        y[0] = -y[0]
    return X, y


def rbf_gram(X: np.ndarray, Z: np.ndarray | None = None, gamma: float = 0.5) -> np.ndarray:
    r"""$\exp(-\gamma\|x - z\|^2)$ for all pairs, by explicit differences."""
    Z = X if Z is None else Z
    return np.exp(-gamma * np.sum((X[:, None, :] - Z[None, :, :]) ** 2, axis=-1))


def random_problem(
    rng: np.random.Generator, i: int, *, m: tuple[int, int] = (8, 40)
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """``(X, y, K, C)``: linear kernel for even ``i``, Gaussian kernel for odd ``i``."""
    mm = int(rng.integers(m[0], m[1] + 1))
    d = int(rng.integers(2, 6))
    X, y = blobs(rng, mm, d, shift=float(rng.uniform(0.5, 2.5)))
    K = X @ X.T if i % 2 == 0 else rbf_gram(X, gamma=float(rng.uniform(0.1, 1.0)))
    C = float(10 ** rng.uniform(-1, 1))
    return X, y, K, C


def svc_alpha(
    K: np.ndarray, y: np.ndarray, C: float, tol: float = 1e-10
) -> tuple[np.ndarray, float, SVC]:
    r"""LIBSVM's dual solution: ``dual_coef_`` holds $\alpha_iy_i$ on the support, ``intercept_`` $b$."""
    ref = SVC(kernel="precomputed", C=C, tol=tol).fit(K, y)
    alpha = np.zeros(len(y))
    alpha[ref.support_] = ref.dual_coef_[0] * y[ref.support_]
    return alpha, float(ref.intercept_[0]), ref


def slsqp_soft_margin(
    X: np.ndarray, y: np.ndarray, C: float
) -> tuple[np.ndarray, float, np.ndarray, float]:
    r"""Solve problem (svm-soft-margin) in its constrained form by SLSQP: ``(w, b, xi, value)``."""
    m, d = X.shape
    A = np.hstack([y[:, None] * X, y[:, None], np.eye(m)])  # rows: y_i x_i, y_i, e_i

    def obj(z: np.ndarray) -> float:
        return 0.5 * z[:d] @ z[:d] + C * np.sum(z[d + 1 :])

    def grad(z: np.ndarray) -> np.ndarray:
        return np.r_[z[:d], 0.0, np.full(m, C)]

    cons = [{"type": "ineq", "fun": lambda z: A @ z - 1.0, "jac": lambda z: A}]
    bounds = [(None, None)] * (d + 1) + [(0.0, None)] * m
    z0 = np.r_[np.zeros(d + 1), np.ones(m)]
    res = minimize(
        obj,
        z0,
        jac=grad,
        constraints=cons,
        bounds=bounds,
        method="SLSQP",
        options={"ftol": 1e-14, "maxiter": 1000},
    )
    z = res.x
    return z[:d], float(z[d]), z[d + 1 :], float(obj(z))


def slsqp_hard_margin(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    r"""Solve problem (svm-hard-margin) by SLSQP: ``(w, b)``."""
    m, d = X.shape
    A = np.hstack([y[:, None] * X, y[:, None]])
    cons = [{"type": "ineq", "fun": lambda z: A @ z - 1.0, "jac": lambda z: A}]
    res = minimize(
        lambda z: 0.5 * z[:d] @ z[:d],
        np.zeros(d + 1),
        jac=lambda z: np.r_[z[:d], 0.0],
        constraints=cons,
        method="SLSQP",
        options={"ftol": 1e-14, "maxiter": 1000},
    )
    return res.x[:d], float(res.x[d])


def random_feasible_alpha(rng: np.random.Generator, y: np.ndarray, C: float) -> np.ndarray:
    r"""A random $\alpha\in[0, C]^m$ with $y^\top\alpha = 0$ (some coordinates at 0 or C)."""
    alpha = C * rng.random(len(y))
    alpha[rng.random(len(y)) < 0.2] = 0.0
    alpha[rng.random(len(y)) < 0.2] = C
    pos, neg = y > 0, y < 0
    sp, sn = alpha[pos].sum(), alpha[neg].sum()
    if sp > sn:  # scale the heavier class down; stays in the box
        alpha[pos] *= sn / sp
    elif sn > 0:
        alpha[neg] *= sp / sn
    return alpha
