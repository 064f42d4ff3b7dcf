r"""Witnesses of Section "From kernels to networks": `prop-arccos-kernel`,
`prop-relu-kernel-limit`, `prop-random-feature-ridge`."""

from __future__ import annotations

import math

import numpy as np
from sklearn.kernel_ridge import KernelRidge
from sklearn.linear_model import Ridge

from ... import kernels
from ...registry import Figures, Witness
from ._common import nan_max, single_threaded


@single_threaded
def arccos_formula_monte_carlo(rng: np.random.Generator, *, gram=kernels.gram) -> Figures:
    r"""$\mathbb E[\operatorname{ReLU}(w^\top x)\operatorname{ReLU}(w^\top x')]$ by Monte Carlo over
    $w\sim N(0, I_d)$ ($2\cdot10^5$ draws) vs the arc-cosine formula (z-score), and the exact
    special cases $k(x, x) = \|x\|^2/2$, $k(x, -x) = 0$."""
    errors = []
    n = 3
    for _ in range(n):
        d = int(rng.integers(1, 6))
        X = rng.standard_normal((6, d)) * rng.uniform(0.5, 2)
        W = rng.standard_normal((200_000, d))
        A = np.maximum(X @ W.T, 0)  # (6, R)
        K = np.asarray(gram(kernels.ArcCosine(), X))
        for i in range(6):
            for j in range(i, 6):
                prod = A[i] * A[j]
                se = prod.std(ddof=1) / math.sqrt(prod.size)
                errors.append(abs(prod.mean() - K[i, j]) / max(5 * se, 1e-12))
        x = X[:1]
        kxx = float(np.asarray(gram(kernels.ArcCosine(), x))[0, 0])
        errors.append(abs(kxx - float(x[0] @ x[0]) / 2) / 1e-12)
        errors.append(abs(float(np.asarray(gram(kernels.ArcCosine(), x, -x))[0, 0])) / 1e-12)
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "|Monte Carlo mean (2e5 Gaussian w) - arc-cosine formula| in units of 5 "
        "standard errors; k(x, x) = |x|^2/2, k(x, -x) = 0 in units of 1e-12",
    )


@single_threaded
def empirical_kernel_converges(
    rng: np.random.Generator, *, empirical_relu_kernel=kernels.empirical_relu_kernel
) -> Figures:
    r"""$k_N$ from ``empirical_relu_kernel`` with $N = 2^{16}$ Gaussian rows vs the arc-cosine
    kernel (written here with ``math``): error in units of 5 standard errors
    $\operatorname{sd}/\sqrt N$ of the products."""
    errors = []
    n = 3
    N = 2**16
    for _ in range(n):
        d = int(rng.integers(1, 6))
        X = rng.standard_normal((5, d))
        W = rng.standard_normal((N, d))
        KN = np.asarray(empirical_relu_kernel(W, X))
        A = np.maximum(X @ W.T, 0)
        for i in range(5):
            for j in range(5):
                x, z = X[i], X[j]
                nx, nz = math.sqrt(float(x @ x)), math.sqrt(float(z @ z))
                c = max(-1.0, min(1.0, float(x @ z) / (nx * nz)))
                t = math.acos(c)
                ref = nx * nz * (math.sin(t) + (math.pi - t) * c) / (2 * math.pi)
                se = (A[i] * A[j]).std() / math.sqrt(N)
                errors.append(abs(KN[i, j] - ref) / max(5 * se, 1e-12))
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "|k_N(x, x') - arc-cosine kernel| with N = 65536 in units of 5 standard errors",
    )


@single_threaded
def feature_ridge_equals_kernel_ridge(
    rng: np.random.Generator,
    *,
    feature_ridge=kernels.feature_ridge,
    relu_features=kernels.relu_features,
) -> Figures:
    r"""Predictions of ridge regression on $\Phi = \operatorname{ReLU}(XW^\top)/\sqrt N$
    (library ``feature_ridge``, and ``sklearn.linear_model.Ridge(alpha=m*lam)``) vs
    ``KernelRidge(kernel="precomputed", alpha=m*lam)`` with $K_N = \Phi\Phi^\top$; $N < m$ and
    $N > m$."""
    errors = []
    n = 10
    for _ in range(n):
        m, d = int(rng.integers(5, 40)), int(rng.integers(1, 5))
        N = int(rng.choice([int(rng.integers(1, m)), int(rng.integers(m, 4 * m))]))
        X = rng.standard_normal((m, d))
        y = np.sin(X.sum(axis=1)) + 0.1 * rng.standard_normal(m)
        T = rng.standard_normal((12, d))
        W = rng.standard_normal((N, d))
        lam = float(10 ** rng.uniform(-3, -1))
        Phi = np.maximum(X @ W.T, 0) / math.sqrt(N)
        PhiT = np.maximum(T @ W.T, 0) / math.sqrt(N)
        ref = (
            KernelRidge(alpha=m * lam, kernel="precomputed")
            .fit(Phi @ Phi.T, y)
            .predict(PhiT @ Phi.T)
        )
        sk = Ridge(alpha=m * lam, fit_intercept=False, solver="svd").fit(Phi, y).predict(PhiT)
        v = np.asarray(feature_ridge(np.asarray(relu_features(W, X)), y, lam))
        ours = np.asarray(relu_features(W, T)) @ v
        scale = 1e-8 * max(1.0, float(np.max(np.abs(ref))))
        errors.append(float(np.max(np.abs(sk - ref))) / scale)
        errors.append(float(np.max(np.abs(ours - ref))) / scale)
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "max |random-feature ridge prediction (sklearn Ridge and deepqed) - KernelRidge"
        "(precomputed K_N)| in units of 1e-8 relative",
    )


CLAIMS = (
    Witness(
        "prop-arccos-kernel",
        arccos_formula_monte_carlo,
        "arc-cosine formula vs Monte Carlo over Gaussian weights",
    ),
    Witness(
        "prop-relu-kernel-limit",
        empirical_kernel_converges,
        "k_N at N = 65536 within 5 standard errors of the arc-cosine kernel",
    ),
    Witness(
        "prop-random-feature-ridge",
        feature_ridge_equals_kernel_ridge,
        "ridge on random ReLU features = KernelRidge with the empirical kernel",
    ),
)
