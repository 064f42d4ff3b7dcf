r"""Imbalances of networks with Euler activations (identity, ReLU, leaky ReLU).

Section "Conserved quantities of homogeneous networks" of the chapter *Regularisation*. For a hidden
unit $j$ of layer $l\in[L-1]$ of chapter 6's network $\theta = ((W^1, b^1), \dots, (W^L, b^L))$,

$$Q^l_j(\theta) = \|W^l_{j,:}\|^2 + (b^l_j)^2 - \|W^{l+1}_{:,j}\|^2 \qquad ({eq}`eq-reg-imbalance`).$$

Gradient flow conserves every $Q^l_j$ (Theorem `thm-reg-balanced`); a gradient step of size $\eta$
changes it by exactly $\eta^2Q^l_j(\mathrm d\theta)$ (Proposition `prop-reg-balanced-gd`).
"""

from __future__ import annotations

from typing import Any

from .._validation import Instance, validate
from ..nn import Parameters

__all__ = ["imbalances"]


@validate(theta=Instance(Parameters))
def imbalances(theta: Parameters) -> tuple[Any, ...]:
    r"""$(Q^1, \dots, Q^{L-1})$ with $Q^l\in\mathbb R^{n_l}$, $Q^l_j = \|W^l_{j,:}\|^2 + (b^l_j)^2 -
    \|W^{l+1}_{:,j}\|^2$ ({eq}`eq-reg-imbalance`). Works for any array library of ``theta``; an
    empty tuple for $L = 1$. Applied to a gradient $\mathrm d\theta$ it gives the drift per step
    divided by $\eta^2$ ({prf:ref}`prop-reg-balanced-gd`)."""
    L = len(theta.W)
    return tuple(
        (theta.W[l] ** 2).sum(axis=1) + theta.b[l] ** 2 - (theta.W[l + 1] ** 2).sum(axis=0)
        for l in range(L - 1)
    )
