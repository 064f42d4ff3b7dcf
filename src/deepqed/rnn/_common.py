r"""Pieces shared by the recurrent networks: the declared shapes of sequences and states, the
sigmoid (any array-API namespace), and the in-place activations of the NumPy fused kernels.

Sequences are *time-major* and batches are rows: an input sequence is ``X`` of shape
``(T, m, d)`` (time steps, batch, input dimension), as in ``torch.nn.RNN`` with its default
``batch_first=False``; row ``i`` of ``X[t - 1]`` is $x_t^\top$ of sample $i$.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import Array, Optional, check, fail, namespace, received

__all__ = [
    "SEQUENCE",
    "STEPS",
    "INPUT",
    "STATE",
    "OPTIONAL_STATE",
    "check_grads",
    "check_steps",
    "sigmoid",
    "sigmoid_",
    "tanh_",
    "relu_",
]

#: Inputs ``X``, shape ``(T, m, d)``.
SEQUENCE = Array(shape=("T", "m", "d"))
#: Per-step arrays of the state's shape, ``(T, m, n)`` (the direct gradients ``G``).
STEPS = Array(shape=("T", "m", "n"))
#: One step's input ``X_t``, shape ``(m, d)``.
INPUT = Array(shape=("m", "d"))
#: A state ``(m, n)``.
STATE = Array(shape=("m", "n"))
#: An initial state ``(m, n)``, or ``None`` for zeros.
OPTIONAL_STATE = Optional(STATE)


def check_steps(name: str, H: Any, T: int) -> None:
    """``H`` (a stored sequence of states, already checked against the parameters) holds
    ``T + 1`` states."""
    if H.shape[0] != T + 1:
        fail(name, f"hold T + 1 = {T + 1} states along its first axis", received(H))


def check_grads(grads: Any) -> None:
    """The arrays $g_1, \\dots, g_K$ of a gradient: floating arrays (any array-API library),
    finite, of any shapes (dtypes may differ between arrays)."""
    check(
        {f"grads[{i}]": Array(same_dtype=False) for i in range(len(grads))},
        {f"grads[{i}]": g for i, g in enumerate(grads)},
    )


def sigmoid(a: Any) -> Any:
    r"""$\operatorname{sigmoid}(a) = 1/(1 + e^{-a})$, computed as $\tfrac12(1 + \tanh\tfrac a2)$,
    which never overflows (a new array of the namespace, device and dtype of ``a``)."""
    return 0.5 * (1.0 + namespace(a).tanh(0.5 * a))


def sigmoid_(a: np.ndarray) -> np.ndarray:
    r"""In place: $\operatorname{sigmoid}(a) = 1/(1 + e^{-a})$, four passes (negation, ``exp``,
    $+1$, reciprocal), accurate to a few ulps relative to the result wherever the result is a
    normal number (the form $\tfrac12(1 + \tanh\tfrac a2)$ of :func:`sigmoid` only to a few units
    of $u$ absolutely, and NumPy's ``exp`` costs half its ``tanh`` in float32, a third in
    float64).

    Where the result is subnormal or $e^{-a}$ overflows ($a < -87.3$ in float32, $-708.4$ in
    float64) it is within a quarter of the smallest normal number of the true value ($1/\infty =
    0$ where $e^{-a}$ overflows): call it under ``numpy.errstate(over="ignore", under="ignore")``
    (the fused kernels enter it once per sequence)."""
    np.negative(a, out=a)
    np.exp(a, out=a)
    a += 1.0
    return np.reciprocal(a, out=a)


def tanh_(a: np.ndarray) -> np.ndarray:
    """In place: ``tanh``."""
    return np.tanh(a, out=a)


def relu_(a: np.ndarray) -> np.ndarray:
    """In place: ``max(a, 0)``."""
    return np.maximum(a, 0.0, out=a)
