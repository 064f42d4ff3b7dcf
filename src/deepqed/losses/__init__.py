r"""Loss functions on a batch and their gradients (Section "Losses" of the chapter
*Feedforward networks and backpropagation*).

A loss compares the network's outputs $A^L\in\mathbb R^{m\times n_L}$ (one row per sample) with
targets $Y\in\mathbb R^{m\times n_L}$; its *batch objective* is the mean of the per-sample losses
(Definition `def-empirical-risk`),

$$\mathcal L(A^L, Y) = \frac1m\sum_{i=1}^m \ell(a_i, y_i),$$

and ``*_grad`` returns $G^L = \partial\mathcal L/\partial A^L$, of shape ``(m, n_L)``
(Proposition `prop-loss-gradients`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .._validation import Array, Function, Instance, check, namespace, validate
from ..nn.activations import _softmax

__all__ = [
    "Loss",
    "LOSSES",
    "squared_error",
    "squared_error_grad",
    "softmax_cross_entropy",
    "softmax_cross_entropy_grad",
]

#: A batch of outputs and targets: ``A`` and ``Y`` of one shape ``(m, n_L)``, m, n_L >= 1.
_BATCH = validate(A=Array(shape=("m", "n_L")), Y=Array(shape=("m", "n_L")))


# --- squared error ----------------------------------------------------------------------------
def _squared_error(xp: Any, A: Any, Y: Any) -> Any:
    D = A - Y
    return 0.5 * xp.sum(D * D) / A.shape[0]  # (1/m) sum_i 1/2 |a_i - y_i|^2


def _squared_error_grad(xp: Any, A: Any, Y: Any) -> Any:
    return (A - Y) / A.shape[0]  # (A - Y)/m


# --- cross-entropy fused with softmax ---------------------------------------------------------
def _softmax_cross_entropy(xp: Any, A: Any, Y: Any) -> Any:
    # -sum_k y_k log softmax(a)_k = (sum_k y_k) lse(a) - <y, a>
    #   = <y, c 1 - a> + (sum_k y_k) log sum_k e^{a_k - c},  c = max_k a_k  (lse with the max shift;
    # grouping c - a_k avoids the cancellation of two large terms when |a| is large)
    c = xp.max(A, axis=1, keepdims=True)
    log_S = xp.log(xp.sum(xp.exp(A - c), axis=1))
    per_sample = xp.sum(Y * (c - A), axis=1) + xp.sum(Y, axis=1) * log_S
    return xp.sum(per_sample) / A.shape[0]


def _softmax_cross_entropy_grad(xp: Any, A: Any, Y: Any) -> Any:
    # (softmax(a) (sum_k y_k) - y)/m; equals (softmax(a) - y)/m when y is a probability vector
    return (_softmax(xp, A) * xp.sum(Y, axis=1, keepdims=True) - Y) / A.shape[0]


_ARGS = """

    Arguments:
        A: network outputs, shape ``(m, n_L)``.
        Y: targets, shape ``(m, n_L)``, the namespace and dtype of ``A``.
    """


@_BATCH
def squared_error(A: Any, Y: Any) -> Any:
    r"""Mean squared error $\mathcal L = \frac1{m}\sum_i \tfrac12\|a_i - y_i\|_2^2$ (a 0-d
    array)."""
    return _squared_error(namespace(A), A, Y)


@_BATCH
def squared_error_grad(A: Any, Y: Any) -> Any:
    r"""Gradient $\partial\mathcal L/\partial A = (A - Y)/m$, shape ``(m, n_L)``."""
    return _squared_error_grad(namespace(A), A, Y)


@_BATCH
def softmax_cross_entropy(A: Any, Y: Any) -> Any:
    r"""Cross-entropy of softmax, fused:
    $\frac1m\sum_i\bigl[(\mathbf 1^\top y_i)\operatorname{lse}(a_i) - \langle y_i, a_i\rangle\bigr]$.

    This equals $-\frac1m\sum_i\sum_k y_{ik}\log\operatorname{softmax}(a_i)_k$ and never forms
    $\log$ of a rounded-to-zero probability (Proposition `prop-stable-logsumexp`). Rows of ``Y``
    are usually probability vectors (one-hot labels), but the formula holds for any real ``Y``."""
    return _softmax_cross_entropy(namespace(A), A, Y)


@_BATCH
def softmax_cross_entropy_grad(A: Any, Y: Any) -> Any:
    r"""Gradient
    $\partial\mathcal L/\partial A = \bigl(\operatorname{softmax}(A)\odot(Y\mathbf 1)\mathbf 1^\top - Y\bigr)/m$,
    which is $(\operatorname{softmax}(A) - Y)/m$ when every row of ``Y`` sums to one."""
    return _softmax_cross_entropy_grad(namespace(A), A, Y)


for _f in (squared_error, squared_error_grad, softmax_cross_entropy, softmax_cross_entropy_grad):
    _f.__doc__ += _ARGS


@dataclass(frozen=True)
class Loss:
    """A batch loss $\\mathcal L(A, Y)$ and its gradient in $A$, as unvalidated kernels ``(xp, A, Y)``."""

    name: str
    value: Callable[..., Any]
    grad: Callable[..., Any]

    __deepqed_constraints__ = {"name": Instance(str), "value": Function(), "grad": Function()}

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))


LOSSES: dict[str, Loss] = {
    "squared_error": Loss("squared_error", _squared_error, _squared_error_grad),
    "cross_entropy": Loss("cross_entropy", _softmax_cross_entropy, _softmax_cross_entropy_grad),
}
"""The losses of Definitions `def-squared-error` and `def-cross-entropy`, by name."""
