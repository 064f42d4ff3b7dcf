r"""Permutation-equivariant linear maps between tensor powers: the orbit basis, its dimension,
and the Deep Sets layer.

Section "Permutations" of the chapter *Symmetry and equivariance* (Theorem `thm-sym-bell`,
Corollary `cor-sym-deepsets`). A linear map $L:\mathbb R^{n^k}\to\mathbb R^{n^l}$ is a tensor
$T\in\mathbb R^{n^{l + k}}$, $L(X)_j = \sum_iT_{j,i}X_i$; it is $S_n$-equivariant iff $T$ is constant
on the orbits of $S_n$ acting diagonally on $[n]_0^{l + k}$, which are the *equality patterns*:
the set partitions of the $l + k$ positions into at most $n$ blocks.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from .._validation import Array, Integer, namespace, validate

__all__ = [
    "stirling2",
    "equivariant_dimension",
    "equality_pattern",
    "orbit_basis",
    "deepsets_layer",
    "deepsets_projection",
]


@validate(m=Integer(0), j=Integer(0))
def stirling2(m: int, j: int) -> int:
    r"""The Stirling number of the second kind $S(m, j)$: the number of partitions of an
    $m$-set into $j$ nonempty blocks, by $S(m, j) = jS(m - 1, j) + S(m - 1, j - 1)$,
    $S(0, 0) = 1$."""
    row = [1] + [0] * j  # S(0, .)
    for _ in range(m):
        row = [0] + [q * row[q] + row[q - 1] for q in range(1, j + 1)]
    return row[j]


@validate(n=Integer(1), k=Integer(0), l=Integer(0))
def equivariant_dimension(n: int, k: int, l: int) -> int:
    r"""$\dim\operatorname{Hom}_{S_n}\bigl(\mathbb R^{n^k}, \mathbb R^{n^l}\bigr) =
    \sum_{j=0}^{\min(n, k + l)}S(k + l, j)$ (Theorem `thm-sym-bell`); the Bell number
    $B_{k+l}$ when $n\ge k + l$."""
    m = k + l
    return sum(stirling2(m, j) for j in range(min(n, m) + 1))


def _canonical(index: tuple[int, ...]) -> tuple[int, ...]:
    first: dict[int, int] = {}
    return tuple(first.setdefault(v, len(first)) for v in index)


@validate(index=Array(ndim=1, dtype="integer", numpy=True, low=0, nonempty=False))
def equality_pattern(index: Any) -> tuple[int, ...]:
    r"""The equality pattern of a multi-index $(i_1, \dots, i_m)$: its restricted growth string
    (the block of each position, blocks numbered by first appearance); two multi-indices lie in
    one $S_n$-orbit iff their patterns agree."""
    return _canonical(tuple(int(v) for v in index))


@validate(n=Integer(1, 12), k=Integer(0, 8), l=Integer(0, 8))
def orbit_basis(n: int, k: int, l: int) -> np.ndarray:
    r"""The orbit basis of $\operatorname{Hom}_{S_n}(\mathbb R^{n^k}, \mathbb R^{n^l})$: for each
    equality pattern $\pi$ of $l + k$ positions with at most $n$ blocks, the indicator tensor
    $T^\pi_{j,i} = [\text{pattern}(j, i) = \pi]$. Shape ``(d,) + (n,)*l + (n,)*k`` with
    $d$ = ``equivariant_dimension(n, k, l)``, entries $0$/$1$ (``int64``); patterns in
    lexicographic order. At most $n^{k+l}\le 10^6$ entries per basis element."""
    m = k + l
    if n**m > 10**6:
        from .._validation import fail

        fail("n", "satisfy n**(k + l) <= 10**6", f"n = {n}, k + l = {m}")
    patterns: dict[tuple[int, ...], int] = {}
    labels = np.empty(n**m, dtype=np.int64)
    for flat, index in enumerate(itertools.product(range(n), repeat=m)):
        labels[flat] = patterns.setdefault(_canonical(index), len(patterns))
    order = sorted(patterns, key=lambda p: p)
    rank = np.empty(len(order), dtype=np.int64)
    for r, p in enumerate(order):
        rank[patterns[p]] = r
    basis = np.zeros((len(order), n**m), dtype=np.int64)
    basis[rank[labels], np.arange(n**m)] = 1
    return basis.reshape((len(order),) + (n,) * m)


@validate(
    X=Array(shape=("m", "n", "C")),
    Lam=Array(shape=("C", "D")),
    Gam=Array(shape=("C", "D")),
    b=Array(shape=("D",)),
)
def deepsets_layer(X: Any, Lam: Any, Gam: Any, b: Any) -> Any:
    r"""The permutation-equivariant linear layer of Corollary `cor-sym-deepsets`, set by set:

    $$Z = X\Lambda + \mathbf 1\mathbf 1^\top X\Gamma + \mathbf 1b^\top ,$$

    ``X`` of shape ``(m, n, C)`` ($m$ sets of $n$ elements with $C$ channels), ``Lam``, ``Gam``
    of shape ``(C, D)``, ``b`` of shape ``(D,)``; returns ``Z`` of shape ``(m, n, D)``. NumPy or
    torch (differentiable)."""
    xp = namespace(X, Lam, Gam, b)
    return X @ Lam + xp.sum(X, axis=1, keepdims=True) @ Gam + b


@validate(A=Array(ndim=4, numpy=True))
def deepsets_projection(A: Any) -> tuple[np.ndarray, np.ndarray]:
    r"""The Reynolds projection (Theorem `thm-sym-reynolds`) of a linear map
    $A:\mathbb R^{n\times C}\to\mathbb R^{n\times D}$, given as ``A`` of shape ``(n, D, n, C)``
    with $Z_{j,d} = \sum_{i,c}A_{j,d,i,c}X_{i,c}$, onto the Deep Sets layers of Corollary
    `cor-sym-deepsets`: returns $(\Lambda, \Gamma)$ of shape ``(C, D)`` with

    $$\Gamma = \frac1{n(n - 1)}\sum_{i\ne j}A_{j,\cdot,i,\cdot}^\top,\qquad
    \Lambda = \frac1n\sum_iA_{i,\cdot,i,\cdot}^\top - \Gamma$$

    ($\Gamma = 0$ when $n = 1$)."""
    n = A.shape[0]
    if A.shape[2] != n:
        from .._validation import fail

        fail("A", "have shape (n, D, n, C)", f"shape {A.shape}")
    diag = np.einsum("idic->cd", A) / n
    if n == 1:
        return diag, np.zeros_like(diag)
    off = (np.einsum("jdic->cd", A) - np.einsum("idic->cd", A)) / (n * (n - 1))
    return diag - off, off
