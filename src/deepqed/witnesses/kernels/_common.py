r"""Shared pieces of the kernel witnesses: random data, kernels written independently of the
library (scikit-learn's pairwise kernels, explicit loops with ``math``), rounding constants and
confidence bounds."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats
from sklearn.metrics import pairwise

from ...kernels import ArcCosine, Gaussian, Laplacian, Linear, Polynomial
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

#: The unit roundoff of float64.
U64 = 2.0**-53


def random_kernels(rng: np.random.Generator) -> list:
    """One random instance of each standard kernel (random gamma, degree, c)."""
    return [
        Linear(),
        Polynomial(
            degree=int(rng.integers(1, 5)),
            gamma=float(rng.uniform(0.2, 2)),
            c=float(rng.uniform(0, 2)),
        ),
        Gaussian(gamma=float(rng.uniform(0.1, 3))),
        Laplacian(gamma=float(rng.uniform(0.1, 3))),
        ArcCosine(),
    ]


def arccos_exact(x: np.ndarray, z: np.ndarray) -> float:
    """The arc-cosine kernel of one pair, with ``math`` (clipped cosine; 0 for a zero vector)."""
    nx, nz = math.sqrt(float(x @ x)), math.sqrt(float(z @ z))
    if nx == 0 or nz == 0:
        return 0.0
    c = max(-1.0, min(1.0, float(x @ z) / (nx * nz)))
    t = math.acos(c)
    return nx * nz * (math.sin(t) + (math.pi - t) * c) / (2 * math.pi)


def sklearn_gram(kernel, X: np.ndarray, Z: np.ndarray) -> np.ndarray:
    """The Gram matrix from ``sklearn.metrics.pairwise`` (arc-cosine: an explicit double loop
    with ``math`` functions); never calls deepqed."""
    if isinstance(kernel, Linear):
        return pairwise.linear_kernel(X, Z)
    if isinstance(kernel, Polynomial):
        return pairwise.polynomial_kernel(
            X, Z, degree=kernel.degree, gamma=kernel.gamma, coef0=kernel.c
        )
    if isinstance(kernel, Gaussian):
        return pairwise.rbf_kernel(X, Z, gamma=kernel.gamma)
    if isinstance(kernel, Laplacian):
        return pairwise.laplacian_kernel(X, Z, gamma=kernel.gamma)
    return np.array([[arccos_exact(x, z) for z in Z] for x in X])


def min_eigenvalue(K: np.ndarray) -> tuple[float, float]:
    r"""$\lambda_{\min}$ of the symmetrised float64 matrix (``numpy.linalg.eigvalsh``) and its
    rounding scale $n\,\varepsilon\max(1, \|K\|_2)$: a backward stable symmetric eigensolver is exact
    for a matrix within $O(n\varepsilon\|K\|_2)$ (Higham 2002, §2.5 and Weyl's inequality)."""
    K = np.asarray(K, dtype=np.float64)
    ev = np.linalg.eigvalsh((K + K.T) / 2)
    return float(ev[0]), 10 * K.shape[0] * 2.0**-52 * max(1.0, float(np.max(np.abs(ev))))


def binomial_lower(k: int, n: int, level: float = 1e-3) -> float:
    """Clopper–Pearson lower confidence bound (one-sided, ``level``) for a binomial proportion
    from ``k`` successes in ``n`` trials; 0 when ``k = 0``."""
    if k <= 0:
        return 0.0
    return float(stats.beta.ppf(level, k, n - k + 1))


def binomial_upper(k: int, n: int, level: float = 1e-3) -> float:
    """Clopper–Pearson upper confidence bound (one-sided, ``level``); 1 when ``k = n``."""
    if k >= n:
        return 1.0
    return float(stats.beta.isf(level, k + 1, n - k))
