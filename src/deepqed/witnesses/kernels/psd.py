r"""Witnesses of Section "Positive semi-definite kernels": `def-psd-kernel`, `def-standard-kernels`,
`prop-feature-map-kernel`, `thm-schur-product`, `thm-kernel-closure`, `prop-standard-kernels-psd`.

PSD-ness is an inequality with constant $0$ ($\lambda_{\min}\ge0$). It is checked within the
eigensolver's rounding (:func:`._common.min_eigenvalue`) and shown attained: Gram matrices of data
with a repeated point, and products of low-rank factors, are singular, and their smallest eigenvalue
is $0$ to rounding.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.linalg

from ... import kernels
from ...registry import Witness
from ._common import (
    U64,
    Evidence,
    arccos_exact,
    equal,
    lower,
    min_eigenvalue,
    random_kernels,
    single_threaded,
    sklearn_gram,
    worst_error,
)

F64 = np.dtype("float64")


def _data(rng, m=None, d=None):
    m = int(rng.integers(2, 40)) if m is None else m
    d = int(rng.integers(1, 6)) if d is None else d
    return rng.standard_normal((m, d)) * rng.choice([0.3, 1.0, 3.0])


def _pointwise(k, x: np.ndarray, z: np.ndarray) -> float:
    """k(x, z) for one pair, from the definition, with ``math``."""
    if isinstance(k, kernels.Linear):
        return math.fsum(float(a) * float(b) for a, b in zip(x, z))
    if isinstance(k, kernels.Polynomial):
        return (k.gamma * math.fsum(float(a) * float(b) for a, b in zip(x, z)) + k.c) ** k.degree
    if isinstance(k, kernels.Gaussian):
        return math.exp(-k.gamma * math.fsum((float(a) - float(b)) ** 2 for a, b in zip(x, z)))
    if isinstance(k, kernels.Laplacian):
        return math.exp(-k.gamma * math.fsum(abs(float(a) - float(b)) for a, b in zip(x, z)))
    return arccos_exact(np.asarray(x, F64), np.asarray(z, F64))


def _bounds(k, A: np.ndarray, B: np.ndarray, value: np.ndarray, dtype) -> np.ndarray:
    r"""Rounding bounds for the entries of ``gram(k, A, B)`` computed in a dtype of unit roundoff u,
    given the exact values: inner products ($\gamma_{d+4}\lvert x\rvert^\top\lvert z\rvert$);
    squared distances by the
    expansion after centring at a mean of the rows (any centre $c$ with $\lvert c\rvert\le R$, $R$
    the largest
    row norm: error at most $2\gamma_{d+6}(\lvert x\rvert + \lvert z\rvert + 2R)^2$, propagated
    through $\exp$);
    $\ell^1$ distances; the arc-cosine formula, whose derivative in $\cos\theta$ is
    $\lvert x\rvert\lvert z\rvert(\pi - \theta)/(2\pi)\le\lvert x\rvert\lvert z\rvert/2$. Values of
    $\exp$ below the dtype's smallest normal
    number may underflow: that number is added."""
    u, tiny = float(np.finfo(dtype).eps) / 2, float(np.finfo(dtype).tiny)
    d = A.shape[1]
    g = (d + 6) * u / (1 - (d + 6) * u)
    A, B = np.abs(np.asarray(A, F64)), np.abs(np.asarray(B, F64))
    value = np.abs(np.asarray(value, F64))
    dot = A @ B.T
    if isinstance(k, kernels.Linear):
        return g * dot
    if isinstance(k, kernels.Polynomial):
        base = k.gamma * dot + k.c
        return (
            k.degree
            * (g * k.gamma * dot + 2 * u * base)
            * base ** (k.degree - 1)
            * (1 + 4 * k.degree * u)
            + 4 * k.degree * u * value
        )
    na, nb = np.sqrt(np.sum(A * A, axis=1)), np.sqrt(np.sum(B * B, axis=1))
    if isinstance(k, kernels.Gaussian):
        R = max(float(np.max(na)), float(np.max(nb)))
        err = 2 * g * (na[:, None] + nb[None, :] + 2 * R) ** 2
        with np.errstate(divide="ignore"):
            dist = -np.log(value) / k.gamma
        low = np.maximum(dist - err, 0.0)
        return (
            np.exp(-k.gamma * low) * np.minimum(k.gamma * err * (1 + 2 * u), 1.0)
            + 4 * u * value
            + tiny
        )
    if isinstance(k, kernels.Laplacian):
        l1 = np.sum(A, axis=1)[:, None] + np.sum(B, axis=1)[None, :]
        return value * k.gamma * g * l1 * (1 + 2 * u) + 4 * u * value + tiny
    return 2 * g * dot + 16 * u * na[:, None] * nb[None, :]


@single_threaded
def gram_is_pointwise(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = F64,
    gram=kernels.gram,
    psd_check=kernels.psd_check,
) -> Evidence:
    r"""The definition: ``gram(k, X, Z)[i, j]`` vs $k(x_i, z_j)$ evaluated pair by pair from the
    formula with ``math`` (five kernels, random parameters, zero rows and parallel rows included),
    each entry within its rounding bound in the dtype; and ``psd_check``'s verdict ("every Gram
    matrix is symmetric PSD") vs independent certificates: a Cholesky factorisation of
    $K + \tau I$ for matrices $BB^\top$ of random rank rounded to the dtype ($\tau = 2mu\max\lvert
    K_{ij}\rvert$
    plus the eigensolver's rounding, $u$ the dtype's unit roundoff), and a vector with $c^\top Kc < 0$ (an
    eigenvector from ``numpy.linalg.eigh``) for symmetric matrices with a negative eigenvalue of
    at least $\|K\|_2/10$."""
    u = float(np.finfo(dtype).eps) / 2
    errs, tols, at = [], [], []
    agree, total = 0, 0
    n = 6
    for _ in range(n):
        for k in random_kernels(rng):
            m, p, d = int(rng.integers(1, 12)), int(rng.integers(1, 12)), int(rng.integers(1, 5))
            X = (_data(rng, m, d)).astype(dtype)
            Z = (_data(rng, p, d)).astype(dtype)
            if m > 1:
                X[0] = 0.0  # a zero row
                X[1] = (float(rng.choice([-2.5, 0.5, 3.0])) * Z[0]).astype(dtype)  # parallel
            K = np.asarray(gram(k, X, Z))
            if K.shape != (m, p) or K.dtype != dtype:
                errs.append(math.inf)
                tols.append(0.0)
                at.append(type(k).__name__)
                continue
            ref = np.array([[_pointwise(k, X[i], Z[j]) for j in range(p)] for i in range(m)])
            errs += list(np.abs(K.astype(F64) - ref).ravel())
            tols += list(_bounds(k, X, Z, ref, dtype).ravel())
            at += [f"{type(k).__name__}, d = {d}"] * (m * p)
        for _ in range(2):
            m = int(rng.integers(2, 15))
            B = rng.standard_normal((m, int(rng.integers(1, m + 1))))
            P = (B @ B.T).astype(dtype)
            ev, V = np.linalg.eigh(rng.standard_normal((m, m)) + rng.standard_normal((m, m)).T)
            S = (V * np.r_[-np.max(np.abs(ev)) * rng.uniform(0.1, 1), ev[1:]]) @ V.T
            S = ((S + S.T) / 2).astype(dtype)
            total += 2
            lam, scale = min_eigenvalue(P)
            # BB^T rounded to the dtype is within m u max|P| of a PSD matrix (in the 2-norm)
            shift = 2 * scale + 2 * m * u * float(np.max(np.abs(P)))
            try:
                scipy.linalg.cholesky(P.astype(F64) + shift * np.eye(m), lower=True)
                certified_psd = True
            except np.linalg.LinAlgError:
                certified_psd = False
            agree += int(certified_psd and psd_check(P).is_psd)
            w, Vs = np.linalg.eigh(S.astype(F64))
            c = Vs[:, 0]
            agree += int(float(c @ S.astype(F64) @ c) < 0 and not psd_check(S).is_psd)
    return Evidence(
        n,
        (
            worst_error("$|K_{ij} - k(x_i, z_j)|$ (pointwise, math)", errs, tols, at=at),
            equal(
                "psd_check verdicts confirmed by a certificate", agree, total, 0.0, units="matrices"
            ),
        ),
    )


@single_threaded
def gram_matches_sklearn(
    rng: np.random.Generator, *, dtype: np.dtype = F64, gram=kernels.gram
) -> Evidence:
    r"""``gram(k, X, Z)`` for each standard kernel vs ``sklearn.metrics.pairwise`` (arc-cosine: a
    loop with ``math``), entrywise within both computations' rounding bounds; and the Gaussian
    Gram matrix of rows with norms up to $10^4$ repeated exactly: diagonal and repeated entries
    exactly $1$ (repeated points at squared distance exactly $0$), no entry above $1$."""
    errs, tols, at = [], [], []
    over = 0.0
    n = 8
    for _ in range(n):
        for k in random_kernels(rng):
            X = _data(rng).astype(dtype)
            Z = rng.standard_normal((int(rng.integers(1, 30)), X.shape[1])).astype(dtype)
            for A, B in ((X, Z), (X, X)):
                ref = sklearn_gram(k, A.astype(F64), B.astype(F64))
                got = np.asarray(gram(k, A, None if B is A else B))
                if got.shape != ref.shape or got.dtype != dtype:
                    errs.append(math.inf)
                    tols.append(0.0)
                    at.append(type(k).__name__)
                    continue
                errs += list(np.abs(got.astype(F64) - ref).ravel())
                tols += list((_bounds(k, A, B, ref, dtype) + _bounds(k, A, B, ref, F64)).ravel())
                at += [type(k).__name__] * ref.size
        big = (rng.standard_normal((4, 3)) * 10.0 ** rng.uniform(2, 4)).astype(dtype)
        big = np.vstack([big, big[:2]])  # exact duplicates of large norm
        G = np.asarray(gram(kernels.Gaussian(float(rng.uniform(0.1, 2))), big))
        over = max(
            over,
            float(np.max(G)) - 1.0,
            float(np.max(np.abs(np.diag(G) - 1))),
            float(np.max(np.abs(G[4:, :2][[0, 1], [0, 1]] - 1))),
        )
    return Evidence(
        n,
        (
            worst_error("$|K - K_{\\mathrm{sklearn}}|$ entrywise", errs, tols, at=at),
            equal(
                "Gaussian Gram of repeated large rows: excess over 1, off-1 diagonal and repeats",
                max(over, 0.0),
                0.0,
                0.0,
            ),
        ),
    )


@single_threaded
def feature_map_gram_is_psd(rng: np.random.Generator, *, inner=np.dot) -> Evidence:
    r"""Random feature maps $\varphi(x) = \tanh(Ax + a)\in\mathbb R^p$: $c^\top Kc = \|\sum_ic_i
    \varphi(x_i)\|^2$ within rounding; $\lambda_{\min}(K)\ge0$ within the eigensolver's rounding,
    and $= 0$ when $m > p$ (the constant $0$ attained)."""
    e_q, t_q, mins, att = [], [], [], []
    n = 30
    for t in range(n):
        m, d = int(rng.integers(2, 30)), int(rng.integers(1, 5))
        p = int(rng.integers(1, m)) if t % 2 else int(rng.integers(1, 40))
        A, a = rng.standard_normal((p, d)), rng.standard_normal(p)
        X = rng.standard_normal((m, d))
        Phi = np.tanh(X @ A.T + a)  # rows phi(x_i)
        K = np.array([[float(inner(Phi[i], Phi[j])) for j in range(m)] for i in range(m)])
        c = rng.standard_normal(m)
        v = Phi.T @ c
        e_q.append(abs(float(c @ K @ c) - float(v @ v)))
        t_q.append(4 * (m + p) * U64 * float(np.abs(c) @ np.abs(Phi) @ np.abs(Phi).T @ np.abs(c)))
        lam, scale = min_eigenvalue(K)
        mins.append((lam, scale))
        if m > p:
            att.append((lam, scale))
    low = min(mins, key=lambda q: q[0] / q[1])
    top = max(att, key=lambda q: abs(q[0]) / q[1])
    return Evidence(
        n,
        (
            worst_error("$|c^\\top Kc - \\|\\sum_ic_i\\varphi(x_i)\\|^2|$", e_q, t_q),
            lower("$\\lambda_{\\min}(K)$", low[0], 0.0, slack=low[1]),
            equal(
                "$\\lambda_{\\min}(K)$ with $m > p$ features (singular)",
                top[0],
                0.0,
                top[1],
                attains=True,
            ),
        ),
    )


@single_threaded
def schur_product_is_psd(rng: np.random.Generator, *, product=np.multiply) -> Evidence:
    r"""$\lambda_{\min}(A\odot B)\ge0$ for random PSD $A = UU^\top$, $B = VV^\top$ of random ranks
    (within rounding), $= 0$ when $\operatorname{rank}A\cdot\operatorname{rank}B < n$ (the rank of
    $A\odot B$ is at most that product), and the proof's identity $c^\top(A\odot B)c =
    \sum_{k,l}(\sum_ic_iU_{ik}V_{il})^2$."""
    e_q, t_q, mins, att = [], [], [], []
    n = 40
    for _ in range(n):
        m = int(rng.integers(1, 25))
        rA, rB = int(rng.integers(1, m + 1)), int(rng.integers(1, m + 1))
        U, V = rng.standard_normal((m, rA)), rng.standard_normal((m, rB))
        A, B = U @ U.T, V @ V.T
        H = np.asarray(product(A, B))
        lam, scale = min_eigenvalue(H)
        mins.append((lam, scale))
        if rA * rB < m:
            att.append((lam, scale))
        c = rng.standard_normal(m)
        rhs = sum(float(np.sum(c * U[:, k] * V[:, l])) ** 2 for k in range(rA) for l in range(rB))
        e_q.append(abs(float(c @ H @ c) - rhs))
        t_q.append(
            8
            * (m + rA + rB)
            * U64
            * float(np.abs(c) @ (np.abs(U) @ np.abs(U).T * (np.abs(V) @ np.abs(V).T)) @ np.abs(c))
        )
    low = min(mins, key=lambda q: q[0] / q[1])
    top = max(att, key=lambda q: abs(q[0]) / q[1]) if att else (0.0, 1.0)
    return Evidence(
        n,
        (
            lower("$\\lambda_{\\min}(A\\odot B)$", low[0], 0.0, slack=low[1]),
            equal(
                "$\\lambda_{\\min}(A\\odot B)$ with $\\operatorname{rank}A\\operatorname{rank}B < n$",
                top[0],
                0.0,
                top[1],
                attains=True,
            ),
            worst_error(
                "$c^\\top(A\\odot B)c$ vs $\\sum_{k,l}(\\sum_ic_iU_{ik}V_{il})^2$", e_q, t_q
            ),
        ),
    )


@single_threaded
def closure_constructions_are_psd(rng: np.random.Generator, *, gram=kernels.gram) -> Evidence:
    r"""Gram matrices of $k_1 + k_2$, $ak_1$, $k_1k_2$, $f(x)f(x')k_1$, $\sum_qa_qk_1^q$ ($a_q\ge0$),
    $\exp(ak_1)$ ($a = 1/\max(1, \max_{ij}\lvert K_{1,ij}\rvert)$, so that $\exp$ does not
    overflow) and a
    pointwise limit (partial sums of $\exp$) on random data with a repeated point:
    $\lambda_{\min}\ge0$ within rounding, and $= 0$ (the repeated point makes every Gram matrix
    singular)."""
    mins = []
    n = 10
    for _ in range(n):
        ks = random_kernels(rng)
        X = _data(rng, m=int(rng.integers(2, 30)))
        X = X / max(1.0, float(np.max(np.abs(X))))  # keep exp(k) moderate
        X = np.vstack([X, X[:1]])  # a repeated point
        G = [np.asarray(gram(k, X), dtype=np.float64) for k in ks]
        i, j = rng.choice(len(G), size=2)
        K1, K2 = G[i], G[j]
        a = rng.uniform(0, 1, size=4)
        f = np.sin(3 * X[:, 0]) + X[:, -1] ** 2  # any f: X -> R
        # exp of a positive multiple of k_1 (itself a kernel), scaled so that exp does not overflow
        # (a polynomial kernel of degree 4 reaches about 10^5 on these points)
        E1 = K1 / max(1.0, float(np.max(np.abs(K1))))
        built = [
            K1 + K2,
            float(rng.uniform(0.1, 10)) * K1,
            K1 * K2,
            np.outer(f, f) * K1,
            sum(a[q] * K1**q for q in range(4)),
            np.exp(E1),
            sum(E1**q / math.factorial(q) for q in range(12)),
        ]
        mins += [min_eigenvalue(K) for K in built]
    low = min(mins, key=lambda q: q[0] / q[1])
    top = max(mins, key=lambda q: abs(q[0]) / q[1])
    return Evidence(
        7 * n,
        (
            lower(
                "$\\lambda_{\\min}$ of the constructions' Gram matrices", low[0], 0.0, slack=low[1]
            ),
            equal(
                "largest $|\\lambda_{\\min}|$ (a repeated point: singular)",
                top[0],
                0.0,
                top[1],
                attains=True,
            ),
        ),
    )


@single_threaded
def standard_kernels_are_psd(rng: np.random.Generator, *, gram=kernels.gram) -> Evidence:
    r"""$\lambda_{\min}$ of the Gram matrix of each standard kernel on random data with a repeated
    point (``numpy.linalg.eigvalsh``, float64): $\ge0$ within rounding, and $= 0$ (singular)."""
    mins = []
    n = 10
    for _ in range(n):
        for k in random_kernels(rng):
            X = _data(rng)
            X = np.vstack([X, X[-1:]])
            mins.append(min_eigenvalue(np.asarray(gram(k, X))))
    low = min(mins, key=lambda q: q[0] / q[1])
    top = max(mins, key=lambda q: abs(q[0]) / q[1])
    return Evidence(
        5 * n,
        (
            lower(
                "$\\lambda_{\\min}$ of the standard kernels' Gram matrices",
                low[0],
                0.0,
                slack=low[1],
            ),
            equal(
                "largest $|\\lambda_{\\min}|$ (a repeated point: singular)",
                top[0],
                0.0,
                top[1],
                attains=True,
            ),
        ),
    )


CLAIMS = (
    Witness(
        "def-psd-kernel",
        gram_is_pointwise,
        "Gram matrices entry by entry from the formulas; psd_check's verdicts vs certificates",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "prop-feature-map-kernel",
        feature_map_gram_is_psd,
        "c^T K c = ||sum c_i phi(x_i)||^2; lambda_min >= 0, = 0 with fewer features than points",
        strength="sharp",
    ),
    Witness(
        "thm-schur-product",
        schur_product_is_psd,
        "lambda_min(A o B) >= 0, = 0 at low rank; the proof's sum-of-squares identity",
        strength="sharp",
    ),
    Witness(
        "thm-kernel-closure",
        closure_constructions_are_psd,
        "Gram matrices of the closure constructions are PSD, singular at a repeated point",
        strength="sharp",
    ),
    Witness(
        "def-standard-kernels",
        gram_matches_sklearn,
        "each standard kernel vs sklearn.metrics.pairwise; Gaussian entries never above 1",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "prop-standard-kernels-psd",
        standard_kernels_are_psd,
        "eigvalsh of the standard kernels' Gram matrices >= -rounding, = 0 at a repeated point",
        strength="sharp",
    ),
)
