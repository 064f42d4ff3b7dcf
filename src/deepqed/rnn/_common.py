r"""Validation and in-place activations shared by the recurrent networks (NumPy).

Sequences are *time-major* and batches are rows: an input sequence is ``X`` of shape
``(T, m, d)`` (time steps, batch, input dimension), as in ``torch.nn.RNN`` with its default
``batch_first=False``; row ``i`` of ``X[t - 1]`` is $x_t^\top$ of sample $i$.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import ShapeError, check_array

__all__ = [
    "check_sequence",
    "check_matrix",
    "check_state",
    "sigmoid_",
    "tanh_",
    "relu_",
    "FLOAT_DTYPES",
]

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def _require_numpy(name: str, x: Any) -> None:
    if not isinstance(x, np.ndarray):
        raise TypeError(
            f"argument {name!r} must be a numpy.ndarray, got "
            f"{type(x).__module__}.{type(x).__qualname__}"
        )


def check_matrix(name: str, x: Any, shape: tuple[Any, ...], dtype: Any = None) -> np.ndarray:
    """A NumPy float32/float64 array of the given shape (``None``/str entries match any size)."""
    _require_numpy(name, x)
    check_array(name, x, shape=shape, nonempty=True)
    if dtype is not None and x.dtype != dtype:
        raise TypeError(
            f"argument {name!r} must have dtype {np.dtype(dtype)} (the dtype of the "
            f"parameters), got dtype {x.dtype}"
        )
    return x


def check_sequence(X: Any, d: int, dtype: Any, name: str = "X") -> tuple[int, int]:
    """``X`` of shape ``(T, m, d)`` and the parameters' dtype; returns ``(T, m)``."""
    _require_numpy(name, X)
    check_array(name, X, ndim=3, nonempty=True)
    if X.shape[2] != d:
        raise ShapeError(
            f"argument {name!r} must have shape (T, m, {d}) (d = {d} from the "
            f"parameters), got shape {tuple(X.shape)}"
        )
    if X.dtype != dtype:
        raise TypeError(
            f"argument {name!r} must have dtype {np.dtype(dtype)} (the dtype of the "
            f"parameters), got dtype {X.dtype}"
        )
    return X.shape[0], X.shape[1]


def check_state(name: str, H0: Any, m: int, n: int, dtype: Any) -> np.ndarray:
    """An initial state of shape ``(m, n)``; ``None`` means zeros."""
    if H0 is None:
        return np.zeros((m, n), dtype=dtype)
    return check_matrix(name, H0, (m, n), dtype)


def sigmoid_(a: np.ndarray) -> np.ndarray:
    r"""In place: $\operatorname{sigmoid}(a) = \tfrac12\bigl(1 + \tanh(a/2)\bigr)$ (no overflow)."""
    a *= 0.5
    np.tanh(a, out=a)
    a *= 0.5
    a += 0.5
    return a


def tanh_(a: np.ndarray) -> np.ndarray:
    """In place: ``tanh``."""
    return np.tanh(a, out=a)


def relu_(a: np.ndarray) -> np.ndarray:
    """In place: ``max(a, 0)``."""
    return np.maximum(a, 0.0, out=a)
