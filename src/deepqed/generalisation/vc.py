r"""Shattering and dichotomies: the combinatorics of VC dimension.

Section "VC dimension" of the chapter *Generalisation*. :func:`shattered_count` counts the subsets
of $[n]$ that a finite class of binary vectors shatters (Pajor's form of the Sauer–Shelah lemma,
{prf:ref}`lem-gen-sauer`), and :func:`count_dichotomies` counts the labellings of a point set that
a halfspace realises, from the cells of a hyperplane arrangement ({prf:ref}`thm-gen-cover`);
:func:`is_separable` decides one labelling by linear programming, with a certificate either way.
"""

from __future__ import annotations

import itertools

import numpy as np
from scipy.optimize import linprog

from .._validation import Array, Boolean, fail, validate

__all__ = ["restrictions", "shattered_count", "is_separable", "count_dichotomies"]


@validate(H=Array(shape=("N", "n"), dtype="integer", values=(0, 1), numpy=True))
def restrictions(H: np.ndarray) -> int:
    r"""$\lvert\mathcal H\rvert$: the number of distinct rows of a 0-1 matrix (the restriction of a
    class to $n$ points, one row per hypothesis) ({prf:ref}`def-gen-growth`)."""
    return int(np.unique(H, axis=0).shape[0])


@validate(H=Array(shape=("N", "n"), dtype="integer", values=(0, 1), numpy=True))
def shattered_count(H: np.ndarray) -> int:
    r"""The number of subsets $I\subseteq[n]$ (the empty set included) shattered by the rows of ``H``:
    $\{h|_I : h\in\mathcal H\} = \{0, 1\}^I$ ({prf:ref}`def-gen-growth`). Exhaustive over the $2^n$
    subsets ($n\le16$)."""
    N, n = H.shape
    if n > 16:
        fail("H", "have at most 16 columns", f"n = {n}")
    rows = np.unique(H, axis=0)
    count = 0
    for size in range(n + 1):
        if 2**size > rows.shape[0]:
            break
        for I in itertools.combinations(range(n), size):
            if np.unique(rows[:, list(I)], axis=0).shape[0] == 2**size:
                count += 1
    return count


def _separates(A: np.ndarray) -> bool | None:
    r"""Whether some $w$ has $Aw > 0$ entrywise: ``True`` with a certificate $w$ (every entry of
    $Aw\ge\frac12$ after solving $Aw\ge1$), ``False`` with a Gordan certificate $\lambda\ge0$,
    $\sum\lambda = 1$, $\|A^\top\lambda\|\le10^{-9}\sum_i\lambda_i\|a_i\|$, ``None`` if neither
    certificate holds (a nearly degenerate configuration)."""
    m, k = A.shape
    res = linprog(np.zeros(k), A_ub=-A, b_ub=-np.ones(m), bounds=[(None, None)] * k, method="highs")
    if res.status == 0 and np.all(A @ res.x >= 0.5):
        return True
    res = linprog(
        np.zeros(m),
        A_eq=np.vstack([A.T, np.ones((1, m))]),
        b_eq=np.concatenate([np.zeros(k), [1.0]]),
        bounds=[(0, None)] * m,
        method="highs",
    )
    if res.status == 0:
        lam = res.x
        scale = float(lam @ np.linalg.norm(A, axis=1))
        if np.linalg.norm(A.T @ lam) <= 1e-9 * max(scale, 1e-300):
            return False
    return None


@validate(X=Array(shape=("n", "d"), numpy=True), y=Array(shape=("n",), numpy=True))
def is_separable(X: np.ndarray, y: np.ndarray) -> bool:
    r"""Whether some $w$ has $y_i\langle w, x_i\rangle > 0$ for all $i$ (a homogeneous halfspace
    realises the labels $y\in\{-1, 1\}^n$), decided by linear programming with a certificate either
    way (a strictly separating $w$, or Gordan's alternative $\lambda\ge0$, $\lambda\ne0$,
    $\sum_i\lambda_iy_ix_i = 0$). Raises ``ValueError`` when neither certificate can be confirmed
    (points in a nearly degenerate position)."""
    out = _separates(y.astype(np.float64)[:, None] * X.astype(np.float64))
    if out is None:
        fail("X", "be in a position where separability can be certified", "a nearly degenerate set")
    return bool(out)


@validate(X=Array(shape=("n", "d"), numpy=True), affine=Boolean())
def count_dichotomies(X: np.ndarray, affine: bool = False) -> int:
    r"""The number of labellings $y\in\{-1, 1\}^n$ of the rows of ``X`` realised by homogeneous
    halfspaces $\operatorname{sign}\langle w, x\rangle$ (``affine=False``) or by affine ones
    $\operatorname{sign}(\langle w, x\rangle + b)$ (``affine=True``: the points lifted to $(x, 1)$),
    with no point on the boundary, for points in general position (every $\min(n, d)$ of them, lifted
    if affine, linearly independent) ({prf:ref}`thm-gen-cover`).

    The realised labellings are the sign vectors of the open cells of the arrangement of the
    hyperplanes $\{w : \langle w, x_i\rangle = 0\}$. For $n\ge d - 1$ every cell has in its closure a
    ray $\pm r$ where $d - 1$ of the hyperplanes meet (the kernel of those $d - 1$ points); near $r$
    the other points keep the signs of $\langle x_k, r\rangle$ and the $d - 1$ meeting ones take all
    $2^{d-1}$ signs. The function collects these sign vectors over all $\binom n{d-1}$ rays and both
    orientations. Raises ``ValueError`` if some $\lvert\langle x_k, r\rangle\rvert\le10^{-9}\|x_k\|$
    (the points are not in general position, to rounding). $n\le 20$, $d\le 6$.
    """
    Z = X.astype(np.float64)
    n = Z.shape[0]
    if affine:
        Z = np.hstack([Z, np.ones((n, 1))])
    d = Z.shape[1]
    if n > 20 or d > 7:
        fail("X", "have at most 20 rows and 6 columns", f"shape {X.shape}")
    if n <= d - 1:
        if np.linalg.matrix_rank(Z) < n:
            fail("X", "be in general position (linearly independent rows)", "dependent rows")
        return 2**n
    norms = np.linalg.norm(Z, axis=1)
    patterns: set[tuple[int, ...]] = set()
    free = list(itertools.product((-1, 1), repeat=d - 1))
    for I in itertools.combinations(range(n), d - 1):
        r = np.linalg.svd(Z[list(I)])[2][-1] if d > 1 else np.ones(1)
        s = Z @ r
        rest = np.ones(n, dtype=bool)
        rest[list(I)] = False
        if np.any(np.abs(s[rest]) <= 1e-9 * norms[rest]):
            fail("X", "be in general position", "a point on a hyperplane spanned by others")
        base = np.sign(s).astype(int)
        for orient in (1, -1):
            for signs in free:
                v = orient * base
                v[list(I)] = signs
                patterns.add(tuple(v))
    return len(patterns)
