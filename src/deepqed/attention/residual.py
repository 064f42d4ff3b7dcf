r"""Jacobians of deep stacks with and without residual connections.

Implements the objects of Lemma `lem-att-residual-sv`, Theorem `thm-att-residual-stack` and
Proposition `prop-att-plain-stack`. Layer $l$ is $F_l(x) = \tanh(W_lx + b_l)$ with
$W_l\in\mathbb R^{n\times n}$, $b_l\in\mathbb R^n$; the *residual* stack applies
$x\mapsto x + F_l(x)$, the *plain* stack $x\mapsto F_l(x)$, for $l = 1, \dots, L$. Since
$\tanh'\in(0, 1]$, $\|DF_l(x)\|_{op}\le\|W_l\|_{op}$.

:func:`random_stack` draws NumPy float64 arrays from a NumPy ``Generator``; :func:`stack_jacobian`
takes arrays of any array-API library and returns them in its namespace, device and dtype.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from array_api_compat import device

from .._validation import (
    Array,
    Boolean,
    Generator,
    Instance,
    Integer,
    Real,
    check,
    fail,
    namespace,
    validate,
)

__all__ = ["stack_jacobian", "random_stack"]

_SEQUENCE = Instance((list, tuple), "a list or tuple")


@validate(
    n=Integer(1), eps=Instance((list, tuple, np.ndarray), "a sequence of reals"), rng=Generator()
)
def random_stack(
    n: int, eps: Sequence[float], *, rng: np.random.Generator
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    r"""Weights $W_l$ with $\|W_l\|_{op} = \varepsilon_l$ exactly (a Gaussian matrix rescaled by
    its largest singular value) and biases $\mathcal N(0, 1)$, float64, one layer per entry of
    ``eps`` (each $\varepsilon_l\ge0$)."""
    eps = [
        check({f"eps[{l}]": Real(0, None)}, {f"eps[{l}]": e})[f"eps[{l}]"]
        for l, e in enumerate(np.asarray(eps, dtype=object).ravel().tolist())
    ]
    Ws, bs = [], []
    for e in eps:
        G = rng.standard_normal((n, n))
        Ws.append(e * G / np.linalg.norm(G, 2))
        bs.append(rng.standard_normal(n))
    return Ws, bs


@validate(Ws=_SEQUENCE, bs=_SEQUENCE, x=Array(shape=("n",)), residual=Boolean())
def stack_jacobian(
    Ws: Sequence[Any], bs: Sequence[Any], x: Any, *, residual: bool
) -> tuple[np.ndarray, np.ndarray]:
    r"""Output and Jacobian of the stack at ``x`` (shape ``(n,)``).

    $J = \prod_{l=L}^{1}(I + D_l W_l)$ (residual) or $\prod_{l=L}^{1} D_lW_l$ (plain), with
    $D_l = \operatorname{diag}(1 - \tanh^2(W_lx^{l-1} + b_l))$ (Theorem `thm-att-residual-stack`).

    Arguments:
        Ws: the weights $W_l$, each of shape ``(n, n)``; bs: the biases $b_l$, each ``(n,)``, as
            many as ``Ws``, all of the dtype of ``x``.
        x: the input, shape ``(n,)``.
        residual: the residual stack $x\mapsto x + F_l(x)$, or the plain one $x\mapsto F_l(x)$.

    Returns:
        ``(x_L, J)`` of shapes ``(n,)`` and ``(n, n)``.
    """
    if len(Ws) != len(bs):
        fail("bs", f"hold as many biases as 'Ws' has weights, {len(Ws)}", f"{len(bs)}")
    constraints: dict[str, Any] = {"x": Array(shape=("n",))}
    values: dict[str, Any] = {"x": x}
    for l, (W, b) in enumerate(zip(Ws, bs)):
        constraints[f"Ws[{l}]"] = Array(shape=("n", "n"))
        constraints[f"bs[{l}]"] = Array(shape=("n",))
        values[f"Ws[{l}]"], values[f"bs[{l}]"] = W, b
    check(constraints, values)
    xp = namespace(x)
    J = xp.eye(x.shape[0], dtype=x.dtype, device=device(x))
    for W, b in zip(Ws, bs):
        T = xp.tanh(W @ x + b)
        DW = (1 - T * T)[:, None] * W
        if residual:
            x, J = x + T, J + DW @ J
        else:
            x, J = T, DW @ J
    return x, J
