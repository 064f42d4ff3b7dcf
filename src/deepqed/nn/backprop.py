r"""Backpropagation in matrix form (Algorithm `alg-backprop`, Theorem `thm-backprop`).

For the batch objective $\mathcal L(\theta) = \frac1m\sum_i \ell(f_\theta(x_i), y_i)$ the algorithm
computes, with $G^L = \partial\mathcal L/\partial A^L$,

$$\Delta^l = G^l\odot\sigma_l'(Z^l),\qquad G^{l-1} = \Delta^l W^l,\qquad
\nabla_{W^l}\mathcal L = (\Delta^l)^\top A^{l-1},\qquad \nabla_{b^l}\mathcal L = (\Delta^l)^\top\mathbf 1_m,$$

for $l = L, \dots, 1$. Shapes: $\Delta^l, G^l\in\mathbb R^{m\times n_l}$.
"""

from __future__ import annotations

import math
from typing import Any

import array_api_compat
import numpy as np

from .. import losses as _losses
from .._validation import ShapeError, check_array, check_same_namespace
from .activations import ACTIVATIONS
from .mlp import (
    Architecture,
    Forward,
    Parameters,
    _check_input,
    _forward,
    _product,
    check_like,
    check_parameters,
)

__all__ = ["backprop", "loss_and_gradient", "sgd_step"]


def backprop(
    arch: Architecture, theta: Parameters, fwd: Forward, G: Any, *, xp: Any = None
) -> Parameters:
    r"""The backward sweep of Algorithm `alg-backprop`, given the forward pass and $G^L$.

    Arguments:
        arch, theta: the network.
        fwd: the output of :func:`deepqed.nn.forward` for the batch (``arch``, ``theta``).
        G: $G^L = \partial\mathcal L/\partial A^L$, shape ``(m, n_L)``; same namespace and
            dtype as ``theta``.
        xp: the array namespace of ``theta`` (optional; checked when given).

    Returns:
        $\nabla_\theta\mathcal L$ in a :class:`Parameters` container (same shapes as ``theta``):
        $\mathrm dW^l = (\Delta^l)^\top A^{l-1}$, shape ``(n_l, n_{l-1})``, and
        $\mathrm db^l = (\Delta^l)^\top\mathbf 1_m$, shape ``(n_l,)``.
    """
    ns = check_parameters(arch, theta)
    if xp is not None and _short_name(xp) != _short_name(ns):  # numpy or its compat wrapper
        raise TypeError(
            f"argument 'xp' must be the namespace of theta ({ns.__name__}), "
            f"got {getattr(xp, '__name__', xp)!r}"
        )
    _check_forward(arch, fwd)
    m = fwd.A[0].shape[0]
    check_array("G", G, shape=(m, arch.widths[-1]))
    check_same_namespace(G=G, X=fwd.A[0], W1=theta.W[0])
    return _backprop(ns, arch, theta, fwd, G)


def _short_name(module: Any) -> str:
    return str(getattr(module, "__name__", module)).rsplit(".", 1)[-1]


def _check_forward(arch: Architecture, fwd: Any) -> None:
    """``fwd`` is a :class:`Forward` for ``arch``: $Z^l, A^l$ of shape ``(m, n_l)``."""
    if not isinstance(fwd, Forward):
        raise TypeError(f"argument 'fwd' must be deepqed.nn.Forward, got {type(fwd).__name__}")
    L = arch.depth
    if len(fwd.A) != L + 1 or len(fwd.Z) != L + 1:
        raise ValueError(
            f"argument 'fwd' must hold A^0, ..., A^L and Z^1, ..., Z^L for L = {L}, "
            f"got {len(fwd.A)} and {len(fwd.Z) - 1}"
        )
    _check_input(arch, fwd.A[0])
    m = fwd.A[0].shape[0]
    for l in range(1, L + 1):
        for name, a in ((f"fwd.Z[{l}] (Z^{l})", fwd.Z[l]), (f"fwd.A[{l}] (A^{l})", fwd.A[l])):
            check_array(name, a, shape=(m, arch.widths[l]), allow_nonfinite=True)


def _backprop(xp: Any, arch: Architecture, theta: Parameters, fwd: Forward, G: Any) -> Parameters:
    """The sweep of :func:`backprop` on validated arguments."""
    L = arch.depth
    dW: list[Any] = [None] * L
    db: list[Any] = [None] * L
    for l in range(L, 0, -1):
        act = ACTIVATIONS[arch.activations[l - 1]]
        Delta = G * act.derivative(xp, fwd.Z[l], fwd.A[l])  # Delta^l = G^l . sigma_l'(Z^l)
        dW[l - 1] = Delta.T @ fwd.A[l - 1]  # grad_{W^l} = Delta^l^T A^{l-1}
        db[l - 1] = xp.sum(Delta, axis=0)  # grad_{b^l} = Delta^l^T 1_m
        if l > 1:
            G = _product(xp, Delta, theta.W[l - 1])  # G^{l-1} = Delta^l W^l
    return Parameters(tuple(dW), tuple(db))


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
    if not isinstance(loss, str) or loss not in _losses.LOSSES:
        raise ValueError(f"'loss' must be one of {sorted(_losses.LOSSES)}, got {loss!r}")
    xp = check_parameters(arch, theta)
    _check_input(arch, X)
    check_array("Y", Y, ndim=2)
    if tuple(Y.shape) != (X.shape[0], arch.widths[-1]):
        raise ShapeError(
            f"argument 'Y' must have shape (m, n_L) = ({X.shape[0]}, {arch.widths[-1]}), "
            f"got shape {tuple(Y.shape)}"
        )
    check_same_namespace(X=X, Y=Y, W1=theta.W[0])
    fwd = _forward(xp, arch, theta, X)
    spec = _losses.LOSSES[loss]
    value = spec.value(xp, fwd.output, Y)
    return value, _backprop(xp, arch, theta, fwd, spec.grad(xp, fwd.output, Y))


def sgd_step(theta: Parameters, grad: Parameters, eta: float) -> Parameters:
    r"""One gradient step $\theta \leftarrow \theta - \eta\,\nabla_\theta\mathcal L$ (a new container).

    Arguments:
        theta: the parameters.
        grad: $\nabla_\theta\mathcal L$ with ``theta``'s shapes, namespace and dtype (for example
            from :func:`loss_and_gradient`); NaN and infinities are passed through.
        eta: the step size $\eta > 0$, a finite real number.
    """
    if not isinstance(theta, Parameters):
        raise TypeError(
            f"argument 'theta' must be deepqed.nn.Parameters, got {type(theta).__name__}"
        )
    if isinstance(eta, bool) or not isinstance(eta, (int, float, np.integer, np.floating)):
        raise TypeError(
            f"argument 'eta' (the step size) must be a real number, got {type(eta).__name__}"
        )
    if not (math.isfinite(eta) and eta > 0):
        raise ValueError(f"argument 'eta' (the step size) must be positive and finite, got {eta!r}")
    check_like("grad", grad, theta, allow_nonfinite=True)
    eta = float(eta)
    return Parameters(
        tuple(_step(W, dW, eta) for W, dW in zip(theta.W, grad.W)),
        tuple(_step(b, db, eta) for b, db in zip(theta.b, grad.b)),
    )


def _step(w: Any, dw: Any, eta: float) -> Any:
    r"""$w - \eta\,\nabla w$ as a new array (``w``, ``dw``: same shape, namespace and dtype).

    Written as ``(-eta) dw``, then ``+= w`` in place on that fresh array: one allocation instead
    of two, which matters for large $W^l$ (a new large array costs page faults). PyTorch has the
    fused ``torch.add(w, dw, alpha=-eta)``: one allocation and one pass.
    """
    if array_api_compat.is_torch_array(w):
        import torch  # (already loaded: w is a tensor)

        return torch.add(w, dw, alpha=-eta)  # w - eta dw, one pass
    new = dw * (-eta)  # -eta grad (a fresh array) ...
    new += w  # ... + theta
    return new
