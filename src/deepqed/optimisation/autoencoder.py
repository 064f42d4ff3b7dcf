r"""The landscape of the linear autoencoder.

Section "A nonconvex landscape without spurious minima" of the chapter *Optimisation and
trainability*. For a covariance $\Sigma\in\mathbb S^n_{++}$ with distinct eigenvalues
$\lambda_1 > \dots > \lambda_n > 0$ and eigenvectors $u_1, \dots, u_n$, and $1\le k < n$,

$$E(A, B) = \operatorname{tr}\bigl((I - AB)\,\Sigma\,(I - AB)^\top\bigr),\qquad
A\in\mathbb R^{n\times k},\ B\in\mathbb R^{k\times n},$$

is the mean squared reconstruction error $\frac1m\sum_i\|x_i - ABx_i\|^2$ of data with
$\frac1m\sum_ix_ix_i^\top = \Sigma$. Theorem `thm-opt-autoencoder`: its critical points have
$AB = P_I$, the orthogonal projection onto $\operatorname{span}\{u_i : i\in I\}$ with
$|I|\le k$; those with $\operatorname{rank}A = k$ have a Hessian with exactly
$\#\{(i, j)\in I\times I^c : j < i\}$ negative eigenvalues and $k^2$ zero eigenvalues.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from .._validation import Array, Integer, fail, validate

__all__ = [
    "autoencoder_loss",
    "autoencoder_gradient",
    "autoencoder_critical_point",
    "autoencoder_critical_value",
    "autoencoder_morse_index",
    "index_sets",
]

_AB = dict(
    A=Array(shape=("n", "k"), numpy=True),
    B=Array(shape=("k", "n"), numpy=True),
    Sigma=Array(shape=("n", "n"), numpy=True),
)


@validate(**_AB)
def autoencoder_loss(A: np.ndarray, B: np.ndarray, Sigma: np.ndarray) -> float:
    r"""$E(A, B) = \operatorname{tr}((I - AB)\Sigma(I - AB)^\top)$."""
    D = np.eye(A.shape[0], dtype=A.dtype) - A @ B
    return float(np.sum((D @ Sigma) * D))


@validate(**_AB)
def autoencoder_gradient(
    A: np.ndarray, B: np.ndarray, Sigma: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    r"""$(\nabla_AE, \nabla_BE) = \bigl(-2(I - AB)\Sigma B^\top,\ -2A^\top(I - AB)\Sigma\bigr)$ for
    symmetric $\Sigma$; shapes ``(n, k)`` and ``(k, n)``."""
    R = (np.eye(A.shape[0], dtype=A.dtype) - A @ B) @ Sigma
    return -2.0 * R @ B.T, -2.0 * A.T @ R


def _check_index_set(I: np.ndarray, n: int, k: int) -> tuple[int, ...]:
    idx = tuple(int(i) for i in I)
    if len(set(idx)) != len(idx):
        fail("I", "have distinct entries", f"{idx}")
    if len(idx) > k:
        fail("I", f"have at most k = {k} entries", f"{len(idx)} entries")
    if any(not 0 <= i < n for i in idx):
        fail("I", f"have entries in 0, ..., {n - 1}", f"{idx}")
    return idx


@validate(
    U=Array(shape=("n", "n"), numpy=True),
    I=Array(ndim=1, dtype="integer", numpy=True, nonempty=False),
    C=Array(shape=("k", "k"), numpy=True),
)
def autoencoder_critical_point(
    U: np.ndarray, I: np.ndarray, C: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    r"""The critical point $(A, B) = (U_I C, C^{-1}U_I^\top)$ of Theorem `thm-opt-autoencoder`,
    with $U_I$ the columns $u_i$, $i\in I$ (0-based) of the orthogonal matrix ``U`` of
    eigenvectors, in the order given, and $C\in GL_k$. When $|I| < k$, the missing columns of
    $U_I$ are zero (a rank-deficient critical point). Raises ``ValueError`` naming ``C`` if it is
    singular to working precision."""
    n, k = U.shape[0], C.shape[0]
    idx = _check_index_set(I, n, k)
    if np.linalg.cond(C) > 1 / np.finfo(C.dtype).eps:
        fail("C", "be invertible", "a singular matrix")
    UI = np.zeros((n, k), dtype=U.dtype)
    UI[:, : len(idx)] = U[:, list(idx)]
    return UI @ C, np.linalg.solve(C, UI.T)


@validate(
    eigenvalues=Array(ndim=1, numpy=True),
    I=Array(ndim=1, dtype="integer", numpy=True, nonempty=False),
)
def autoencoder_critical_value(eigenvalues: np.ndarray, I: np.ndarray) -> float:
    r"""$E = \sum_{j\notin I}\lambda_j$, the value at every critical point with $AB = P_I$."""
    n = eigenvalues.shape[0]
    idx = _check_index_set(I, n, n)
    return float(sum(eigenvalues[j] for j in range(n) if j not in idx))


@validate(n=Integer(2), k=Integer(1), I=Array(ndim=1, dtype="integer", numpy=True))
def autoencoder_morse_index(n: int, k: int, I: np.ndarray) -> tuple[int, int, int]:
    r"""The inertia (negative, zero, positive eigenvalue counts) of the Hessian of $E$ at a
    critical point with $\operatorname{rank}A = k$ and $AB = P_I$, $|I| = k$, eigenvalues in
    decreasing order $\lambda_0 > \lambda_1 > \dots$ (0-based): $\nu_- = \#\{(i, j): i\in I,
    j\notin I, j < i\}$, $\nu_0 = k^2$, $\nu_+ = 2nk - \nu_- - k^2$ (Theorem
    `thm-opt-autoencoder`)."""
    if k >= n:
        fail("k", f"be < n = {n}", repr(k))
    idx = _check_index_set(I, n, k)
    if len(idx) != k:
        fail("I", f"have exactly k = {k} entries (a rank-k critical point)", f"{len(idx)}")
    neg = sum(1 for i in idx for j in range(n) if j not in idx and j < i)
    return neg, k * k, 2 * n * k - neg - k * k


@validate(n=Integer(2), k=Integer(1))
def index_sets(n: int, k: int) -> list[tuple[int, ...]]:
    r"""All $\binom nk$ index sets $I\subseteq\{0, \dots, n-1\}$ with $|I| = k$, in lexicographic
    order; the first, $(0, \dots, k-1)$, is the top-$k$ eigenspace."""
    if k >= n:
        fail("k", f"be < n = {n}", repr(k))
    return list(combinations(range(n), k))
