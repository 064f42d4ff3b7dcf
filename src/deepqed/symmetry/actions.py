r"""Group actions on arrays: cyclic shifts of images and permutations of tensor indices.

Section "Groups acting on arrays" of the chapter *Symmetry and equivariance*
(Definition `def-sym-action`). A permutation $\sigma$ of $[n]_0 = \{0, \dots, n - 1\}$ is stored as
the integer array ``perm`` with ``perm[i]`` $= \sigma(i)$; it acts on tensors of order $k$ by
$(\rho_k(\sigma)X)_{i_1\dots i_k} = X_{\sigma^{-1}(i_1)\dots\sigma^{-1}(i_k)}$, and the cyclic
shift $S_t$, $t\in\mathbb Z^2$, acts on images by $(S_tx)_{c,u} = x_{c,(u - t)\bmod n}$ (chapter 7).
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

from .._validation import Array, Integer, Pair, fail, received, validate

__all__ = [
    "symmetric_group",
    "permute_tensor",
    "permutation_representation",
    "shift",
    "shift_matrix",
]

_PERM = Array(shape=("n",), dtype="integer", numpy=True, low=0)


def _check_permutation(perm: np.ndarray) -> None:
    n = perm.shape[0]
    if perm.max() >= n or len(set(perm.tolist())) != n:
        fail("perm", f"be a permutation of 0, ..., {n - 1}", received(perm))


@validate(n=Integer(1, 8))
def symmetric_group(n: int) -> np.ndarray:
    r"""All $n!$ permutations of $[n]_0$, in lexicographic order; shape ``(n!, n)``, ``int64``
    (at most $n = 8$: $40320$ rows)."""
    return np.array(list(itertools.permutations(range(n))), dtype=np.int64).reshape(
        math.factorial(n), n
    )


@validate(X=Array(numpy=True, dtype="real"), perm=_PERM, k=Integer(0))
def permute_tensor(X: Any, perm: Any, k: int) -> np.ndarray:
    r"""$\rho_k(\sigma)X$: permute each of the first ``k`` axes of ``X`` (each of length $n$) by
    $\sigma$, $(\rho_k(\sigma)X)_{i_1\dots i_k\dots} = X_{\sigma^{-1}(i_1)\dots\sigma^{-1}(i_k)\dots}$
    (Definition `def-sym-action`; the remaining axes are channels). Shape of ``X`` and of the
    result: ``(n,)*k + channels``."""
    perm = np.asarray(perm)
    _check_permutation(perm)
    n = perm.shape[0]
    if X.ndim < k or any(s != n for s in X.shape[:k]):
        fail("X", f"have its first {k} axes of length {n}", f"shape {X.shape}")
    inverse = np.argsort(perm)
    out = X
    for axis in range(k):
        out = np.take(out, inverse, axis=axis)
    return out


@validate(perm=_PERM, k=Integer(0, 6))
def permutation_representation(perm: Any, k: int) -> np.ndarray:
    r"""The matrix of $\rho_k(\sigma)$ on $\mathbb R^{n^k}$ (row-major flattening of the
    multi-index), shape ``(n**k, n**k)``, entries $0$ and $1$ (``int64``):
    $\rho_k(\sigma) = P_\sigma^{\otimes k}$ with $(P_\sigma)_{ij} = [i = \sigma(j)]$."""
    perm = np.asarray(perm)
    _check_permutation(perm)
    n = perm.shape[0]
    P = np.zeros((n, n), dtype=np.int64)
    P[perm, np.arange(n)] = 1
    R = np.ones((1, 1), dtype=np.int64)
    for _ in range(k):
        R = np.kron(R, P)
    return R


@validate(x=Array(shape=("m", "C", "n_1", "n_2"), numpy=True, dtype="real"), t=Pair(Integer()))
def shift(x: Any, t: Any) -> np.ndarray:
    r"""The cyclic shift $S_t$ of chapter 7 on a batch of images:
    $(S_tx)_{\mu,c,u} = x_{\mu,c,(u - t)\bmod n}$. Shape of ``x`` and of the result:
    ``(m, C, n_1, n_2)``."""
    return np.roll(x, shift=t, axis=(-2, -1))


@validate(n=Pair(Integer(1)), t=Pair(Integer()))
def shift_matrix(n: Any, t: Any) -> np.ndarray:
    r"""The matrix of $S_t$ on $\mathbb R^{\Lambda_n}$ (row-major flattening), shape
    ``(n_1 n_2, n_1 n_2)``, entries $0$ and $1$ (``int64``)."""
    N = n[0] * n[1]
    u = np.arange(N).reshape(n)
    source = np.roll(u, shift=t, axis=(0, 1)).ravel()  # (S_t x)_u = x_{source[u]}
    M = np.zeros((N, N), dtype=np.int64)
    M[np.arange(N), source] = 1
    return M
