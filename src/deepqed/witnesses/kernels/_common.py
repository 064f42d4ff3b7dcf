r"""Shared pieces of the kernel witnesses: random data, kernels written independently of the
library (as scikit-learn's pairwise kernels or as explicit double loops), Monte Carlo helpers."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats
from sklearn.metrics import pairwise

from ...kernels import ArcCosine, Gaussian, Laplacian, Linear, Polynomial
from .._common import nan_max, single_threaded  # noqa: F401  (shared by every chapter)


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
    K = np.empty((X.shape[0], Z.shape[0]))
    for i, x in enumerate(X):
        for j, z in enumerate(Z):
            nx, nz = math.sqrt(float(x @ x)), math.sqrt(float(z @ z))
            if nx == 0 or nz == 0:
                K[i, j] = 0.0
                continue
            c = max(-1.0, min(1.0, float(x @ z) / (nx * nz)))
            t = math.acos(c)
            K[i, j] = nx * nz * (math.sin(t) + (math.pi - t) * c) / (2 * math.pi)
    return K


def min_eig_ratio(K: np.ndarray) -> float:
    r"""$\max(0, -\lambda_{\min}) / (n\,\varepsilon\max(1, \|K\|_2))$ with eigenvalues by
    ``numpy.linalg.eigvalsh`` of the symmetrised float64 matrix (0 for a PSD matrix up to
    rounding; the witnesses accept up to 100)."""
    K = np.asarray(K, dtype=np.float64)
    ev = np.linalg.eigvalsh((K + K.T) / 2)
    scale = K.shape[0] * 2.0**-52 * max(1.0, float(np.max(np.abs(ev))))
    return max(0.0, -float(ev[0])) / scale


def binomial_lower(k: int, n: int, level: float = 1e-3) -> float:
    """Clopper–Pearson lower confidence bound (one-sided, ``level``) for a binomial proportion
    from ``k`` successes in ``n`` trials; 0 when ``k = 0``."""
    if k <= 0:
        return 0.0
    return float(stats.beta.ppf(level, k, n - k + 1))
