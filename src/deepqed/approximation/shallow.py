r"""Shallow networks: ridge features, polynomial activations, difference-quotient networks.

Section "Universal approximation" of the chapter *Approximation*. A shallow network with $N$
units, activation $\sigma:\mathbb R\to\mathbb R$, input weights $W\in\mathbb R^{N\times d}$ (rows
$w_j^\top$), biases $b\in\mathbb R^N$ and output weights $v\in\mathbb R^N$ computes
({prf:ref}`def-apx-shallow`)

$$
f(x) = \sum_{j=1}^N v_j\,\sigma(\langle w_j, x\rangle + b_j) + c,
\qquad F = \Phi v + c\mathbf 1_m,\quad \Phi_{ij} = \sigma(\langle w_j, x_i\rangle + b_j),
$$

for a batch $X\in\mathbb R^{m\times d}$ with rows $x_i^\top$. The *ridge-feature matrix* $\Phi$
(shape ``(m, N)``) is :func:`ridge_features`; :func:`shallow_network` evaluates $F$.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._validation import Array, Function, Integer, Real, namespace, validate

__all__ = [
    "ridge_features",
    "shallow_network",
    "polynomial_space_dim",
    "difference_network",
    "difference_error_bound",
]


@validate(
    sigma=Function(),
    W=Array(shape=("N", "d")),
    b=Array(shape=("N",)),
    X=Array(shape=("m", "d")),
)
def ridge_features(sigma: Any, W: Any, b: Any, X: Any) -> Any:
    r"""$\Phi_{ij} = \sigma(\langle w_j, x_i\rangle + b_j)$ ({prf:ref}`def-apx-shallow`).

    Arguments:
        sigma: the activation, applied entrywise to an array of shape ``(m, N)``.
        W: input weights, shape ``(N, d)`` (row $j$ is $w_j^\top$).
        b: biases, shape ``(N,)``.
        X: inputs, shape ``(m, d)``, one per row; the dtype of ``W``.

    Returns:
        $\Phi$, shape ``(m, N)``.
    """
    return sigma(X @ W.T + b)


@validate(
    sigma=Function(),
    W=Array(shape=("N", "d")),
    b=Array(shape=("N",)),
    v=Array(shape=("N",)),
    X=Array(shape=("m", "d")),
    c=Real(),
)
def shallow_network(sigma: Any, W: Any, b: Any, v: Any, X: Any, c: float = 0.0) -> Any:
    r"""$f(x_i) = \sum_j v_j\,\sigma(\langle w_j, x_i\rangle + b_j) + c$ for every row of ``X``:
    $F = \Phi v + c\mathbf 1_m$, shape ``(m,)`` ({prf:ref}`def-apx-shallow`).

    The realization of the architecture $(d, N, 1)$ with activations $(\sigma, \mathrm{id})$,
    $W^1 = W$, $b^1 = b$, $W^2 = v^\top$, $b^2 = c$ ({prf:ref}`def-realization`).
    """
    xp = namespace(X)
    return sigma(X @ W.T + b) @ v + xp.asarray(c, dtype=X.dtype)


@validate(d=Integer(1), r=Integer(0))
def polynomial_space_dim(d: int, r: int) -> int:
    r"""$\dim\mathcal P_r(\mathbb R^d) = \binom{d + r}{r}$, the number of monomials
    $x^\alpha$ with $|\alpha|\le r$ in $d$ variables ({prf:ref}`lem-apx-ridge-polynomials`)."""
    return math.comb(d + r, r)


@validate(k=Integer(0), h=Real(0, None, closed="neither"), b=Real())
def difference_network(k: int, h: float, b: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""The width-$(k+1)$ network of the $k$-th central difference in the weight
    ({prf:ref}`lem-apx-difference-quotients`):

    $$
    N_h(x) = h^{-k}\sum_{j=0}^k(-1)^{k-j}\binom kj\,\sigma\bigl((j - k/2)hx + b\bigr)
    \;\longrightarrow\; \sigma^{(k)}(b)\,x^k\quad(h\to0).
    $$

    Returns:
        ``(w, b, v)``, each of shape ``(k + 1,)``, float64: input weights $w_j = (j - k/2)h$,
        biases $b_j = b$ and output weights $v_j = (-1)^{k-j}\binom kj h^{-k}$, so that
        ``shallow_network(sigma, w[:, None], b, v, X)`` is $N_h$ at the rows of ``X`` (``d = 1``).
    """
    j = np.arange(k + 1, dtype=np.float64)
    w = (j - k / 2) * h
    v = np.array([(-1) ** (k - i) * math.comb(k, i) for i in range(k + 1)], dtype=np.float64)
    return w, np.full(k + 1, float(b)), v / h**k


@validate(
    k=Integer(0),
    h=Real(0, None, closed="neither"),
    R=Real(0, None),
    M=Real(0, None),
)
def difference_error_bound(k: int, h: float, R: float, M: float) -> float:
    r"""$\frac{k h^2}{24}R^{k+2}M$: the bound of {prf:ref}`lem-apx-difference-quotients` on
    $\sup_{|x|\le R}|N_h(x) - \sigma^{(k)}(b)x^k|$, where $M\ge\sup|\sigma^{(k+2)}|$ on
    $[b - kRh/2, b + kRh/2]$."""
    return k * h**2 * R ** (k + 2) * M / 24
