r"""Jacobians of deep stacks with and without residual connections.

Implements the objects of Lemma `lem-att-residual-sv`, Theorem `thm-att-residual-stack` and
Proposition `prop-att-plain-stack`. Layer $l$ is $F_l(x) = \tanh(W_lx + b_l)$ with
$W_l\in\mathbb R^{n\times n}$, $b_l\in\mathbb R^n$; the *residual* stack applies
$x\mapsto x + F_l(x)$, the *plain* stack $x\mapsto F_l(x)$, for $l = 1, \dots, L$. Since
$\tanh'\in(0, 1]$, $\|DF_l(x)\|_{op}\le\|W_l\|_{op}$.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._arrays import ShapeError, as_float_array

__all__ = ["stack_jacobian", "random_stack"]


def random_stack(
    n: int, eps: Sequence[float], *, rng: np.random.Generator
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    r"""Weights $W_l$ with $\|W_l\|_{op} = \varepsilon_l$ exactly (a Gaussian matrix rescaled by
    its largest singular value) and biases $\mathcal N(0, 1)$."""
    Ws, bs = [], []
    for e in eps:
        G = rng.standard_normal((n, n))
        Ws.append(e * G / np.linalg.norm(G, 2))
        bs.append(rng.standard_normal(n))
    return Ws, bs


def stack_jacobian(
    Ws: Sequence[Any], bs: Sequence[Any], x: Any, *, residual: bool
) -> tuple[np.ndarray, np.ndarray]:
    r"""Output and Jacobian of the stack at ``x`` (shape ``(n,)``).

    $J = \prod_{l=L}^{1}(I + D_l W_l)$ (residual) or $\prod_{l=L}^{1} D_lW_l$ (plain), with
    $D_l = \operatorname{diag}(1 - \tanh^2(W_lx^{l-1} + b_l))$ (Theorem `thm-att-residual-stack`).

    Returns:
        ``(x_L, J)`` of shapes ``(n,)`` and ``(n, n)``.
    """
    as_float_array("x", x, ndim=1, nonempty=True)
    n = x.shape[0]
    if len(Ws) != len(bs):
        raise ShapeError(
            f"arguments 'Ws' and 'bs' must have the same length, got {len(Ws)} and {len(bs)}"
        )
    J = np.eye(n, dtype=x.dtype)
    for l, (W, b) in enumerate(zip(Ws, bs), start=1):
        as_float_array(f"Ws[{l - 1}]", W, shape=(n, n))
        as_float_array(f"bs[{l - 1}]", b, shape=(n,))
        T = np.tanh(W @ x + b)
        DW = (1 - T * T)[:, None] * W
        if residual:
            x, J = x + T, J + DW @ J
        else:
            x, J = T, DW @ J
    return x, J
