r"""Backpropagation in matrix form (Algorithm `alg-backprop`, Theorem `thm-backprop`).

For the batch objective $\mathcal L(\theta) = \frac1m\sum_i \ell(f_\theta(x_i), y_i)$ the algorithm
computes, with $G^L = \partial\mathcal L/\partial A^L$,

$$\Delta^l = G^l\odot\sigma_l'(Z^l),\qquad G^{l-1} = \Delta^l W^l,\qquad
\nabla_{W^l}\mathcal L = (\Delta^l)^\top A^{l-1},\qquad \nabla_{b^l}\mathcal L = (\Delta^l)^\top\mathbf 1_m,$$

for $l = L, \dots, 1$. Shapes: $\Delta^l, G^l\in\mathbb R^{m\times n_l}$.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import losses as _losses
from .._validation import Array, Boolean, Instance, Options, validate
from .activations import ACTIVATIONS
from .mlp import (
    Architecture,
    Forward,
    Parameters,
    _forward,
    _product,
    _unchecked,
    check_network,
)

__all__ = ["backprop", "loss_and_gradient"]

#: The names of the losses of ``deepqed.losses.LOSSES`` (written out: ``deepqed.losses`` imports
#: this package, so its table may not exist yet when this module is imported; a unit test checks
#: that the two agree).
LOSS = Options("squared_error", "cross_entropy")


@validate(
    arch=Instance(Architecture),
    theta=Instance(Parameters),
    fwd=Instance(Forward, "a deepqed.nn.Forward (the output of deepqed.nn.forward)"),
    G=Array(shape=("m", "n_L")),
    input_gradient=Boolean(),
)
def backprop(
    arch: Architecture, theta: Parameters, fwd: Forward, G: Any, *, input_gradient: bool = False
) -> Parameters | tuple[Parameters, Any]:
    r"""The backward sweep of Algorithm `alg-backprop`, given the forward pass and $G^L$.

    Arguments:
        arch, theta: the network.
        fwd: the output of :func:`deepqed.nn.forward` for the batch (``arch``, ``theta``).
        G: $G^L = \partial\mathcal L/\partial A^L$, shape ``(m, n_L)``; same namespace and
            dtype as ``theta``.
        input_gradient: also return $G^0 = \Delta^1 W^1 = \partial\mathcal L/\partial X$
            (step 3.4 carried out for $l = 1$; Theorem `thm-backprop`).

    Returns:
        $\nabla_\theta\mathcal L$ in a :class:`Parameters` container (same shapes as ``theta``):
        $\mathrm dW^l = (\Delta^l)^\top A^{l-1}$, shape ``(n_l, n_{l-1})``, and
        $\mathrm db^l = (\Delta^l)^\top\mathbf 1_m$, shape ``(n_l,)``; with ``input_gradient``,
        the pair ``(grad, G0)`` with $G^0$ of shape ``(m, n_0)``.
    """
    L = arch.depth
    shapes = {"G": (G, ("m", f"n_{L}"))}
    for l in range(L + 1):
        shapes[f"fwd.A[{l}]"] = (fwd.A[l], ("m", f"n_{l}"))
    xp = check_network(arch, theta, **shapes)
    return _backprop(xp, arch, theta, fwd, G, input_gradient=input_gradient)


def _backprop(
    xp: Any,
    arch: Architecture,
    theta: Parameters,
    fwd: Forward,
    G: Any,
    *,
    input_gradient: bool = False,
) -> Any:
    """The sweep of :func:`backprop` on validated arguments."""
    L = arch.depth
    dW: list[Any] = [None] * L
    db: list[Any] = [None] * L
    for l in range(L, 0, -1):
        act = ACTIVATIONS[arch.activations[l - 1]]
        Delta = _hadamard(G, act.derivative(xp, fwd.Z[l], fwd.A[l]))  # G^l . sigma_l'(Z^l)
        dW[l - 1] = Delta.T @ fwd.A[l - 1]  # grad_{W^l} = Delta^l^T A^{l-1}
        db[l - 1] = xp.sum(Delta, axis=0)  # grad_{b^l} = Delta^l^T 1_m
        if l > 1 or input_gradient:
            G = _product(xp, Delta, theta.W[l - 1])  # G^{l-1} = Delta^l W^l
    grad = _unchecked(Parameters, W=tuple(dW), b=tuple(db))
    return (grad, G) if input_gradient else grad


def _hadamard(G: Any, D: Any) -> Any:
    r"""$G\odot D$ for $D$ a new array of $G$'s shape (``Activation.derivative``'s result): on NumPy
    multiplied into $D$ in place, the same numbers (multiplication commutes) without a third
    ``(m, n_l)`` array. Only where $D$ and $G$ have the same memory order: ``G * D`` would take
    that order too, so that the sums over $\Delta^l$ that follow add in the same order."""
    if (
        type(D) is np.ndarray
        and D.shape == G.shape
        and D.dtype == G.dtype
        and D.flags.c_contiguous == G.flags.c_contiguous
        and D.flags.f_contiguous == G.flags.f_contiguous
    ):
        D *= G
        return D
    return G * D


@validate(
    arch=Instance(Architecture),
    theta=Instance(Parameters),
    X=Array(shape=("m", "n_0")),
    Y=Array(shape=("m", "n_L")),
    loss=LOSS,
)
def loss_and_gradient(
    arch: Architecture, theta: Parameters, X: Any, Y: Any, loss: str = "squared_error"
) -> tuple[Any, Parameters]:
    r"""$\mathcal L(\theta)$ and $\nabla_\theta\mathcal L(\theta)$ by forward pass and backpropagation.

    Arguments:
        arch: the architecture.
        theta: parameters for ``arch`` (NumPy, torch, ...; float32 or float64).
        X: inputs, shape ``(m, n_0)``.
        Y: targets, shape ``(m, n_L)``.
        loss: ``"squared_error"`` or ``"cross_entropy"`` (softmax cross-entropy on $A^L$).

    Returns:
        ``(value, grad)``: a 0-d array and a :class:`Parameters` of gradients.
    """
    xp = check_network(arch, theta, X=(X, ("m", "n_0")), Y=(Y, ("m", f"n_{arch.depth}")))
    fwd = _forward(xp, arch, theta, X)
    spec = _losses.LOSSES[loss]
    value = spec.value(xp, fwd.output, Y)
    return value, _backprop(xp, arch, theta, fwd, spec.grad(xp, fwd.output, Y))
