r"""Shared pieces of the SVM witnesses: random data sets, independent reference solvers, and
certified accuracy.

The references never call :mod:`deepqed.svm`: the soft- and hard-margin quadratic programs are
solved by SciPy's SLSQP from their constrained form, and the dual by scikit-learn's ``SVC``
(LIBSVM, with an iteration limit; it keeps kernel values in single precision, so its solutions are
accurate to about $10^{-7}$ relative).

Accuracy is certified by duality instead of being assumed. For any dual feasible $\alpha$ and any
$(w, b)$, weak duality gives $D(\alpha)\le\min P\le P(w, b)$, and since $P(\cdot, b)$ is
$1$-strongly convex in $w$ while $0\in\partial P(w^\star, b^\star)$,
$P(w, b) - \min P\ge\frac12\|w - w^\star\|^2$. So a pair with gap $G = P(w, b) - D(\alpha)$ has
$\|w - w^\star\|\le\sqrt{2G}$, and two such pairs have weight vectors within
$\sqrt{2G_1} + \sqrt{2G_2}$ of each other, in the feature space of $K$ (the norm of
$\sum_i(v_i - v'_i)\phi(x_i)$ is $\sqrt{(v - v')^\top K(v - v')}$). The unique minimiser
$w^\star$ is the invariant the witnesses compare, never one of several dual solutions or one end of
an interval of optimal offsets.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy.optimize import minimize
from sklearn.exceptions import ConvergenceWarning
from sklearn.svm import SVC

from .._common import (  # noqa: F401  (shared by every chapter)
    Evidence,
    equal,
    error,
    interval,
    lower,
    nan_max,
    single_threaded,
    upper,
    worst_error,
)

__all__ = [
    "blobs",
    "separable",
    "rbf_gram",
    "random_problem",
    "svc_alpha",
    "slsqp_soft_margin",
    "slsqp_hard_margin",
    "random_feasible_alpha",
    "primal",
    "dual",
    "gap",
    "feature_distance",
    "offset_interval",
    "U64",
]

#: The unit roundoff of float64.
U64 = 2.0**-53


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
    K: np.ndarray, y: np.ndarray, C: float, tol: float = 1e-8
) -> tuple[np.ndarray, float, SVC]:
    r"""LIBSVM's dual solution (at most $10^6$ iterations): ``dual_coef_`` holds $\alpha_iy_i$ on
    the support, ``intercept_`` is $b$. Its accuracy is certified by the caller (:func:`gap`)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ref = SVC(kernel="precomputed", C=C, tol=tol, max_iter=1_000_000).fit(K, y)
    alpha = np.zeros(len(y))
    alpha[ref.support_] = ref.dual_coef_[0] * y[ref.support_]
    alpha = np.clip(alpha, 0.0, C)
    alpha[alpha >= (1 - 1e-12) * C] = C  # bounded support vectors, exactly at the bound
    return alpha, float(ref.intercept_[0]), ref


def primal(alpha: np.ndarray, b: float, y: np.ndarray, K: np.ndarray, C: float) -> float:
    r"""$P(w, b)$ at $w = \sum_i\alpha_iy_i\phi(x_i)$: $\frac12v^\top Kv + C\sum_i(1 -
    y_i((Kv)_i + b))_+$, $v = \alpha\odot y$, written out here."""
    v = alpha * y
    Kv = K @ v
    return float(0.5 * v @ Kv + C * np.sum(np.maximum(1.0 - y * (Kv + b), 0.0)))


def dual(alpha: np.ndarray, y: np.ndarray, K: np.ndarray) -> float:
    r"""$D(\alpha) = \mathbf 1^\top\alpha - \frac12v^\top Kv$, written out here."""
    v = alpha * y
    return float(np.sum(alpha) - 0.5 * v @ K @ v)


def gap(alpha: np.ndarray, b: float, y: np.ndarray, K: np.ndarray, C: float) -> float:
    r"""$P - D$ at a dual feasible $\alpha$ (projected onto $y^\top\alpha = 0$ by the caller), plus
    the rounding of both evaluations ($4\gamma_{m+2}$ times the sums of absolute values): an upper
    bound on the suboptimality of $\alpha$ and of $(w, b)$."""
    v = alpha * y
    aK = np.abs(K)
    m = len(y)
    g_round = (
        4
        * (m + 2)
        * U64
        * (
            float(np.abs(v) @ aK @ np.abs(v))
            + np.sum(alpha)
            + C * float(np.sum(1 + aK @ np.abs(v) + abs(b)))
        )
    )
    infeasible = abs(b) * abs(float(y @ alpha))  # D <= P + b y^T alpha for y^T alpha != 0
    return max(primal(alpha, b, y, K, C) - dual(alpha, y, K), 0.0) + g_round + infeasible


def feature_distance(v1: np.ndarray, v2: np.ndarray, K: np.ndarray) -> float:
    r"""$\|\sum_i(v_{1,i} - v_{2,i})\phi(x_i)\|$ in the feature space of $K$."""
    d = v1 - v2
    return math.sqrt(max(float(d @ K @ d), 0.0))


def offset_interval(
    alpha: np.ndarray, y: np.ndarray, K: np.ndarray, C: float
) -> tuple[float, float]:
    r"""$[\beta_{\mathrm{up}}(\alpha), \beta_{\mathrm{low}}(\alpha)]$ written out here (ordered, as
    an approximate $\alpha$ may have $\beta_{\mathrm{up}} > \beta_{\mathrm{low}}$ by its
    violation)."""
    s = y - K @ (alpha * y)
    up = ((y > 0) & (alpha < C)) | ((y < 0) & (alpha > 0))
    low = ((y < 0) & (alpha < C)) | ((y > 0) & (alpha > 0))
    a = float(np.max(s[up])) if np.any(up) else -math.inf
    b = float(np.min(s[low])) if np.any(low) else math.inf
    return min(a, b), max(a, b)


def slsqp_soft_margin(
    X: np.ndarray, y: np.ndarray, C: float
) -> tuple[np.ndarray, float, np.ndarray, float]:
    r"""Solve problem (svm-soft-margin) in its constrained form by SLSQP: ``(w, b, xi, value)``;
    ``xi`` is raised to the hinge vector, so that the point is feasible and ``value`` is an upper
    bound on the minimum."""
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
    w, b = res.x[:d], float(res.x[d])
    xi = np.maximum(np.maximum(res.x[d + 1 :], 0.0), 1.0 - y * (X @ w + b))
    return w, b, xi, float(0.5 * w @ w + C * np.sum(xi))


def slsqp_hard_margin(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    r"""Solve problem (svm-hard-margin) by SLSQP and scale the result to feasibility
    (every $y_i(\langle w, x_i\rangle + b)\ge1$): ``(w, b)``."""
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
    z = res.x
    low = float(np.min(A @ z))
    if 0.0 < low < 1.0:
        z = z / low
    return z[:d], float(z[d])


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
