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

from .._validation import ShapeError, check_array, check_same_namespace
from ..nn.activations import _softmax

__all__ = [
    "Loss",
    "LOSSES",
    "squared_error",
    "squared_error_grad",
    "softmax_cross_entropy",
    "softmax_cross_entropy_grad",
]


def _check(A: Any, Y: Any) -> Any:
    check_array("A", A, ndim=2, nonempty=True)  # m >= 1 samples, n_L >= 1 outputs
    check_array("Y", Y, ndim=2)
    if tuple(A.shape) != tuple(Y.shape):
        raise ShapeError(
            f"argument 'Y' must have the shape of 'A', {tuple(A.shape)} = (m, n_L), "
            f"got shape {tuple(Y.shape)}"
        )
    return check_same_namespace(A=A, Y=Y)


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


def _public(kernel: Callable[..., Any], doc: str) -> Callable[..., Any]:
    def f(A: Any, Y: Any) -> Any:
        return kernel(_check(A, Y), A, Y)

    f.__name__ = f.__qualname__ = kernel.__name__.lstrip("_")
    f.__doc__ = doc + (
        "\n\nArguments:\n    A: network outputs, shape ``(m, n_L)``.\n"
        "    Y: targets, shape ``(m, n_L)``, same namespace and dtype as ``A``.\n"
    )
    return f


squared_error = _public(
    _squared_error,
    r"""Mean squared error $\mathcal L = \frac1{m}\sum_i \tfrac12\|a_i - y_i\|_2^2$ (a 0-d array).""",
)
squared_error_grad = _public(
    _squared_error_grad,
    r"""Gradient $\partial\mathcal L/\partial A = (A - Y)/m$, shape ``(m, n_L)``.""",
)
softmax_cross_entropy = _public(
    _softmax_cross_entropy,
    r"""Cross-entropy of softmax, fused: $\frac1m\sum_i\bigl[(\mathbf 1^\top y_i)\operatorname{lse}(a_i) - \langle y_i, a_i\rangle\bigr]$.

    This equals $-\frac1m\sum_i\sum_k y_{ik}\log\operatorname{softmax}(a_i)_k$ and never forms
    $\log$ of a rounded-to-zero probability (Proposition `prop-stable-logsumexp`). Rows of ``Y`` are
    usually probability vectors (one-hot labels), but the formula holds for any real ``Y``.""",
)
softmax_cross_entropy_grad = _public(
    _softmax_cross_entropy_grad,
    r"""Gradient $\partial\mathcal L/\partial A = \bigl(\operatorname{softmax}(A)\odot(Y\mathbf 1)\mathbf 1^\top - Y\bigr)/m$,
    which is $(\operatorname{softmax}(A) - Y)/m$ when every row of ``Y`` sums to one.""",
)


@dataclass(frozen=True)
class Loss:
    """A batch loss $\\mathcal L(A, Y)$ and its gradient in $A$, as unvalidated kernels ``(xp, A, Y)``."""

    name: str
    value: Callable[..., Any]
    grad: Callable[..., Any]


LOSSES: dict[str, Loss] = {
    "squared_error": Loss("squared_error", _squared_error, _squared_error_grad),
    "cross_entropy": Loss("cross_entropy", _softmax_cross_entropy, _softmax_cross_entropy_grad),
}
"""The losses of Definitions `def-squared-error` and `def-cross-entropy`, by name."""
