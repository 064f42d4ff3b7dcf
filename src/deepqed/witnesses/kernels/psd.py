r"""Witnesses of Section "Positive semi-definite kernels": `def-psd-kernel`, `def-standard-kernels`,
`prop-feature-map-kernel`, `thm-schur-product`, `thm-kernel-closure`, `prop-standard-kernels-psd`."""

from __future__ import annotations

import numpy as np

from ... import kernels
from ...registry import Figures, Witness
from ._common import min_eig_ratio, nan_max, random_kernels, single_threaded, sklearn_gram


def _data(rng, m=None, d=None):
    m = int(rng.integers(2, 40)) if m is None else m
    d = int(rng.integers(1, 6)) if d is None else d
    return rng.standard_normal((m, d)) * rng.choice([0.3, 1.0, 3.0])


@single_threaded
def gram_matches_sklearn(rng: np.random.Generator, *, gram=kernels.gram) -> Figures:
    """gram(k, X, Z) for each standard kernel vs sklearn.metrics.pairwise (arc-cosine: a loop)."""
    errors = []
    n = 8
    for _ in range(n):
        for k in random_kernels(rng):
            X, Z = _data(rng), None
            d = X.shape[1]
            Z = rng.standard_normal((int(rng.integers(1, 30)), d))
            if rng.random() < 0.3:
                X[0] = 0.0  # a zero row (arc-cosine: k = 0)
            for A, B in ((X, Z), (X, X)):
                ref = sklearn_gram(k, A, B)
                for dtype, eps in ((np.float64, 1e-12), (np.float32, 2e-5)):
                    got = np.asarray(gram(k, A.astype(dtype), None if B is A else B.astype(dtype)))
                    if got.shape != ref.shape or got.dtype != dtype:
                        errors.append(np.inf)
                        continue
                    scale = np.maximum(1.0, np.abs(ref))
                    errors.append(float(np.max(np.abs(got - ref) / scale)) / eps)
    return Figures(
        5 * n,
        nan_max(errors),
        1.0,
        "max |gram - sklearn.metrics.pairwise| / max(1, |ref|) in units of 1e-12 "
        "(float64) and 2e-5 (float32); 5 kernels, random parameters and data",
    )


@single_threaded
def feature_map_gram_is_psd(rng: np.random.Generator, *, inner=np.dot) -> Figures:
    r"""Random feature maps $\varphi(x) = \tanh(Ax + a)$; $c^\top Kc = \|\sum_i c_i\varphi(x_i)\|^2$
    and $\lambda_{\min}(K)\ge -$rounding."""
    errors = []
    n = 30
    for _ in range(n):
        m, d, p = int(rng.integers(2, 30)), int(rng.integers(1, 5)), int(rng.integers(1, 40))
        A, a = rng.standard_normal((p, d)), rng.standard_normal(p)
        X = rng.standard_normal((m, d))
        Phi = np.tanh(X @ A.T + a)  # rows phi(x_i)
        K = np.array([[float(inner(Phi[i], Phi[j])) for j in range(m)] for i in range(m)])
        c = rng.standard_normal(m)
        v = Phi.T @ c
        errors.append(abs(c @ K @ c - v @ v) / (1e-12 * max(1.0, v @ v)))
        errors.append(min_eig_ratio(K) / 100)
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "|c^T K c - ||sum c_i phi(x_i)||^2| in units of 1e-12 relative, and "
        "-lambda_min(K) in units of 100 n eps ||K||, random tanh feature maps",
    )


def _random_psd(rng, m):
    r = int(rng.integers(1, m + 1))
    B = rng.standard_normal((m, r))
    return B @ B.T


@single_threaded
def schur_product_is_psd(rng: np.random.Generator, *, product=np.multiply) -> Figures:
    r"""$\lambda_{\min}(A\odot B)\ge -$rounding for random PSD $A, B$ of random rank, and
    $c^\top(A\odot B)c = \sum_{k,l}\bigl(\sum_i c_iu_{ik}v_{il}\bigr)^2$ for $A = UU^\top$,
    $B = VV^\top$ (the proof's identity)."""
    errors = []
    n = 40
    for _ in range(n):
        m = int(rng.integers(1, 25))
        rA, rB = int(rng.integers(1, m + 1)), int(rng.integers(1, m + 1))
        U, V = rng.standard_normal((m, rA)), rng.standard_normal((m, rB))
        A, B = U @ U.T, V @ V.T  # A = sum_k u_k u_k^T
        H = np.asarray(product(A, B))
        errors.append(min_eig_ratio(H) / 100)
        c = rng.standard_normal(m)
        rhs = sum(float(np.sum(c * U[:, k] * V[:, l])) ** 2 for k in range(rA) for l in range(rB))
        errors.append(abs(c @ H @ c - rhs) / (1e-10 * max(1.0, rhs)))
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "-lambda_min(A o B) in units of 100 n eps ||.||; |c^T (A o B) c - "
        "sum_kl (sum_i c_i u_ki v_li)^2| in units of 1e-10 relative",
    )


@single_threaded
def closure_constructions_are_psd(rng: np.random.Generator, *, gram=kernels.gram) -> Figures:
    r"""Gram matrices of $k_1 + k_2$, $ck_1$, $k_1k_2$, $f(x)f(x')k_1$, $\sum_n a_nk_1^n$
    ($a_n\ge0$), $\exp(k_1)$ and of a pointwise limit (partial sums of $\exp$) on random data:
    $\lambda_{\min}\ge -$rounding."""
    errors = []
    n = 10
    for _ in range(n):
        ks = random_kernels(rng)
        X = _data(rng, m=int(rng.integers(2, 30)))
        X = X / max(1.0, float(np.max(np.abs(X))))  # keep exp(k) moderate
        G = [np.asarray(gram(k, X), dtype=np.float64) for k in ks]
        i, j = rng.choice(len(G), size=2)
        K1, K2 = G[i], G[j]
        a = rng.uniform(0, 1, size=4)
        f = np.sin(3 * X[:, 0]) + X[:, -1] ** 2  # any f: X -> R
        built = [
            K1 + K2,
            float(rng.uniform(0.1, 10)) * K1,
            K1 * K2,
            np.outer(f, f) * K1,
            sum(a[q] * K1**q for q in range(4)),
            np.exp(K1),
            sum(K1**q / np.prod(np.arange(1, q + 1)) for q in range(12)),
        ]
        errors.extend(min_eig_ratio(K) / 100 for K in built)
    return Figures(
        7 * n,
        nan_max(errors),
        1.0,
        "-lambda_min in units of 100 n eps ||K|| (eigvalsh) for sums, scalings, "
        "Hadamard products, f(x)f(x')k, nonneg. polynomials, exp, partial sums of exp",
    )


@single_threaded
def standard_kernels_are_psd(rng: np.random.Generator, *, gram=kernels.gram) -> Figures:
    """eigvalsh of the Gram matrix of each standard kernel, random data and parameters."""
    errors = []
    n = 10
    for _ in range(n):
        for k in random_kernels(rng):
            X = _data(rng)
            errors.append(min_eig_ratio(np.asarray(gram(k, X))) / 100)
    return Figures(
        5 * n,
        nan_max(errors),
        1.0,
        "-lambda_min(K) in units of 100 n eps ||K|| (numpy eigvalsh, float64), "
        "5 kernels with random parameters on random data",
    )


CLAIMS = (
    Witness(
        "def-psd-kernel",
        gram_matches_sklearn,
        "Gram matrices K_ij = k(x_i, z_j) vs sklearn.metrics.pairwise",
    ),
    Witness(
        "prop-feature-map-kernel",
        feature_map_gram_is_psd,
        "c^T K c = ||sum c_i phi(x_i)||^2 and eigvalsh >= 0 for random feature maps",
    ),
    Witness(
        "thm-schur-product",
        schur_product_is_psd,
        "eigvalsh(A o B) >= 0 and the proof's sum-of-squares identity",
    ),
    Witness(
        "thm-kernel-closure",
        closure_constructions_are_psd,
        "Gram matrices of the closure constructions are PSD (eigvalsh)",
    ),
    Witness(
        "def-standard-kernels",
        gram_matches_sklearn,
        "each standard kernel vs sklearn.metrics.pairwise",
    ),
    Witness(
        "prop-standard-kernels-psd",
        standard_kernels_are_psd,
        "eigvalsh of the standard kernels' Gram matrices >= -rounding",
    ),
)
