r"""Rademacher complexities, computed exactly by enumerating the $2^n$ sign vectors.

Section "Rademacher complexity" of the chapter *Generalisation*. For a bounded set
$A\subseteq\mathbb R^n$ (one row per element),

$$
\mathfrak R(A) = \mathbb E\sup_{a\in A}\frac1n\langle\varepsilon, a\rangle
= \frac1{2^n}\sum_{\varepsilon\in\{-1,1\}^n}\max_{a\in A}\frac1n\langle\varepsilon, a\rangle
$$

({prf:ref}`def-gen-rademacher`), an average over finitely many sign vectors: for $n\le 20$ it is
computed exactly. The classes of the chapter have closed forms or exact algorithms: the linear
class $\{x\mapsto\langle w, x\rangle:\|w\|\le B\}$ ({prf:ref}`prop-gen-linear-class`), thresholds on
the line (through the maximum of a simple random walk), and two-layer ReLU networks of bounded path
norm in the plane ({prf:ref}`prop-gen-two-layer`).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from .._validation import Array, Integer, Real, fail, validate

__all__ = [
    "sign_vectors",
    "rademacher_complexity",
    "massart_bound",
    "linear_class_complexity",
    "linear_class_bounds",
    "threshold_rademacher",
    "path_norm_complexity",
    "path_norm_bound",
]

#: Largest n for which the 2^n sign vectors are enumerated.
MAX_ENUMERATION = 20


@validate(n=Integer(1, MAX_ENUMERATION))
def sign_vectors(n: int) -> np.ndarray:
    r"""All $\varepsilon\in\{-1, 1\}^n$, shape ``(2**n, n)``, float64 (row $k$ holds the binary
    digits of $k$ mapped $0\mapsto-1$, $1\mapsto1$)."""
    k = np.arange(2**n)[:, None]
    bits = (k >> np.arange(n)[None, :]) & 1
    return 2.0 * bits - 1.0


def _chunks(n: int, size: int = 1 << 14):
    E = sign_vectors(n)
    for s in range(0, E.shape[0], size):
        yield E[s : s + size]


@validate(A=Array(shape=("N", "n"), numpy=True))
def rademacher_complexity(A: np.ndarray) -> float:
    r"""$\mathfrak R(A) = 2^{-n}\sum_\varepsilon\max_{a\in A}\langle\varepsilon, a\rangle/n$ exactly
    ({prf:ref}`def-gen-rademacher`), for a finite set $A$ given by its $N$ rows, $n\le20$.

    Arguments:
        A: shape ``(N, n)``, float32 or float64 (computed in float64).
    """
    N, n = A.shape
    if n > MAX_ENUMERATION:
        fail("A", f"have at most {MAX_ENUMERATION} columns (2^n sign vectors)", f"n = {n}")
    A64 = A.astype(np.float64)
    total = 0.0
    for E in _chunks(n):
        total += float(np.sum(np.max(E @ A64.T, axis=1)))
    return total / (2**n * n)


@validate(A=Array(shape=("N", "n"), numpy=True))
def massart_bound(A: np.ndarray) -> float:
    r"""$\max_{a\in A}\|a\|\sqrt{2\log N}/n$, Massart's bound on $\mathfrak R(A)$ for a set of $N$
    points ({prf:ref}`lem-gen-massart`)."""
    N, n = A.shape
    r = float(np.max(np.linalg.norm(A.astype(np.float64), axis=1)))
    return r * math.sqrt(2 * math.log(N)) / n


@validate(X=Array(shape=("n", "d"), numpy=True), B=Real(0, None))
def linear_class_complexity(X: np.ndarray, B: float) -> float:
    r"""$\hat{\mathfrak R}_S(\mathcal F_B) = \frac Bn\,\mathbb E\bigl\|\sum_i\varepsilon_ix_i\bigr\|$ for
    $\mathcal F_B = \{x\mapsto\langle w, x\rangle : \|w\|\le B\}$ on the rows of ``X`` (the supremum
    over the ball is attained at $w = B\,v/\|v\|$, $v = \sum_i\varepsilon_ix_i$), exactly by
    enumeration ($n\le20$) ({prf:ref}`prop-gen-linear-class`)."""
    n = X.shape[0]
    if n > MAX_ENUMERATION:
        fail("X", f"have at most {MAX_ENUMERATION} rows (2^n sign vectors)", f"n = {n}")
    X64 = X.astype(np.float64)
    total = 0.0
    for E in _chunks(n):
        total += float(np.sum(np.linalg.norm(E @ X64, axis=1)))
    return B * total / (2**n * n)


@validate(X=Array(shape=("n", "d"), numpy=True), B=Real(0, None))
def linear_class_bounds(X: np.ndarray, B: float) -> tuple[float, float, float]:
    r"""The bounds of {prf:ref}`prop-gen-linear-class` and {prf:ref}`thm-gen-khintchine` on
    $\hat{\mathfrak R}_S(\mathcal F_B)$, with $s = (\sum_i\|x_i\|^2)^{1/2}$:
    ``(B s / (n sqrt 3), B s / (n sqrt 2), B s / n)`` (the lower bound proved here, the lower bound
    with the best constant, the upper bound)."""
    n = X.shape[0]
    s = float(np.sqrt(np.sum(X.astype(np.float64) ** 2)))
    return B * s / (n * math.sqrt(3)), B * s / (n * math.sqrt(2)), B * s / n


@validate(n=Integer(1))
def threshold_rademacher(n: int) -> float:
    r"""$\mathfrak R_n$ of the thresholds $\{x\mapsto\mathbf 1\{x > \theta\}:\theta\in[-\infty,
    \infty]\}$ on $n$ distinct points of the line: $\mathbb E\max_{0\le k\le n}S_k/n$ for the simple
    random walk $S_k$, where, by the reflection principle,
    $\mathbb E\max_kS_k = \sum_{r\ge1}\bigl(\Pr(S_n\ge r) + \Pr(S_n\ge r + 1)\bigr)$
    ({prf:ref}`lem-gen-symmetrisation`, {prf:ref}`cor-gen-vc-rademacher`).

    The class restricted to sorted points is the $n + 1$ vectors $(0, \dots, 0, 1, \dots, 1)$; with
    $\varepsilon$ in sorted order, $\max_k\sum_{i>k}\varepsilon_i = S_n - \min_kS_k$, whose mean is
    $\mathbb E\max_kS_k$ by symmetry.
    """
    r = np.arange(1, n + 1)

    # S_n = 2 K - n with K ~ Bin(n, 1/2): P(S_n >= r) = P(K >= (n + r) / 2)
    def tail(v):
        return stats.binom.sf(np.ceil((n + v) / 2) - 1, n, 0.5)

    return float(np.sum(tail(r) + tail(r + 1))) / n


def _relu_ridge_sup(X: np.ndarray, E: np.ndarray) -> np.ndarray:
    """max(0, max over unit u in the plane of sum_i eps_i ReLU(<u, x_i>)) for each row of E."""
    alpha = np.arctan2(X[:, 1], X[:, 0])
    crit = np.sort(np.mod(np.concatenate([alpha + np.pi / 2, alpha - np.pi / 2]), 2 * np.pi))
    crit = np.concatenate([crit, [crit[0] + 2 * np.pi]])
    U = np.stack([np.cos(crit[:-1]), np.sin(crit[:-1])], axis=1)  # arc starts, (K, 2)
    ends = np.maximum(U @ X.T, 0) @ E.T  # h at the critical angles, (K, R)
    best = np.max(ends, axis=0)
    mid = (crit[:-1] + crit[1:]) / 2
    active = (np.stack([np.cos(mid), np.sin(mid)], 1) @ X.T > 0).astype(float)  # (K, n)
    for k in range(crit.size - 1):
        V = E @ (active[k][:, None] * X)  # (R, 2): h(u) = <u, v> on the arc
        ang = np.mod(np.arctan2(V[:, 1], V[:, 0]) - crit[k], 2 * np.pi)
        inside = ang <= crit[k + 1] - crit[k]
        best = np.where(inside, np.maximum(best, np.linalg.norm(V, axis=1)), best)
    return np.maximum(best, 0.0)


@validate(X=Array(shape=("n", 2), numpy=True), B=Real(0, None))
def path_norm_complexity(X: np.ndarray, B: float) -> float:
    r"""$\hat{\mathfrak R}_S$ of the two-layer ReLU networks $x\mapsto\sum_jv_j
    \operatorname{ReLU}(\langle w_j, x\rangle)$ of any width with path norm
    $\sum_j\lvert v_j\rvert\|w_j\|\le B$, for points in the plane, exactly
    ({prf:ref}`prop-gen-two-layer`): the class is $B$ times the closed absolutely convex hull of the
    units $\pm\operatorname{ReLU}(\langle u, \cdot\rangle)$, $\|u\|\le1$, so the supremum is
    $B\max(P, Q)$ with $P = \sup_{\|u\|\le1}\sum_i\varepsilon_i\operatorname{ReLU}(\langle u,
    x_i\rangle)$ and $Q$ the same with $-\varepsilon$. On the unit circle the sum is $\langle u,
    v\rangle$ between consecutive angles where a unit switches ($v$ the signed sum of the active
    $x_i$), maximised at $v/\|v\|$ or at an end of the arc. Enumerates the $2^n$ sign vectors."""
    n = X.shape[0]
    if n > 16:
        fail("X", "have at most 16 rows (2^n sign vectors)", f"n = {n}")
    X64 = X.astype(np.float64)
    E = sign_vectors(n)
    P = _relu_ridge_sup(X64, E)
    Q = _relu_ridge_sup(X64, -E)
    return B * float(np.mean(np.maximum(P, Q))) / n


@validate(X=Array(shape=("n", "d"), numpy=True), B=Real(0, None))
def path_norm_bound(X: np.ndarray, B: float) -> float:
    r"""$\frac{2B}n\bigl(\sum_i\|x_i\|^2\bigr)^{1/2}$, the bound of {prf:ref}`prop-gen-two-layer`."""
    n = X.shape[0]
    return 2 * B * float(np.sqrt(np.sum(X.astype(np.float64) ** 2))) / n
