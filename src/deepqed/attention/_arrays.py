"""Validation helpers of the attention package (NumPy arrays, float32 or float64)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import ShapeError, check_array

__all__ = ["as_float_array", "check_dtype_match", "ShapeError"]


def as_float_array(name: str, x: Any, **kwargs: Any) -> np.ndarray:
    """:func:`deepqed._validation.check_array`, then require a ``numpy.ndarray``."""
    check_array(name, x, **kwargs)
    if not isinstance(x, np.ndarray):
        raise TypeError(
            f"argument {name!r} must be a numpy.ndarray, got {type(x).__module__}."
            f"{type(x).__qualname__}"
        )
    return x


def check_dtype_match(**arrays: np.ndarray) -> np.dtype:
    """Return the common dtype of the named arrays; raise ``TypeError`` naming two that differ."""
    items = [(k, v) for k, v in arrays.items() if v is not None]
    first_name, first = items[0]
    for k, v in items[1:]:
        if v.dtype != first.dtype:
            raise TypeError(
                f"arguments {first_name!r} and {k!r} have different dtypes "
                f"({first.dtype} and {v.dtype}); convert one of them explicitly"
            )
    return first.dtype
