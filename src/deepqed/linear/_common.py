r"""Validation and conditioning shared by the linear models (chapter *Linear models*).

The functions of :mod:`deepqed.linear` take NumPy arrays of dtype float32 or float64 and compute in
that dtype. A linear system or factorisation whose condition number exceeds
:func:`condition_limit` triggers an :class:`IllConditionedWarning`.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from .._validation import IllConditionedWarning, ShapeError, check_array

__all__ = [
    "IllConditionedWarning",
    "condition_limit",
    "warn_if_ill_conditioned",
    "check_design",
    "check_targets",
    "check_positive",
]


def condition_limit(dtype: Any) -> float:
    r"""$1/\sqrt u$ with $u = \varepsilon/2$ the unit roundoff of ``dtype`` (float32 or float64)."""
    return 1.0 / math.sqrt(float(np.finfo(dtype).eps) / 2)


def warn_if_ill_conditioned(kappa: float, dtype: Any, what: str) -> None:
    """Warn with :class:`IllConditionedWarning` when ``kappa > condition_limit(dtype)``."""
    limit = condition_limit(dtype)
    if not kappa <= limit:
        warnings.warn(
            f"{what} has condition number {kappa:.3g} > 1/sqrt(u) = {limit:.3g} for "
            f"{np.dtype(dtype).name}: fewer than half of the digits of the result are "
            "guaranteed",
            IllConditionedWarning,
            stacklevel=3,
        )


def _numpy(name: str, x: Any) -> None:
    if not isinstance(x, np.ndarray):
        raise TypeError(
            f"argument {name!r} must be a numpy.ndarray, got "
            f"{type(x).__module__}.{type(x).__qualname__}"
        )


def check_design(X: Any, name: str = "X") -> np.ndarray:
    """``X`` of shape ``(m, n)``, both sizes at least 1, float32 or float64, finite."""
    _numpy(name, X)
    return check_array(name, X, ndim=2, shape=("m", "n"), nonempty=True)


def check_targets(y: Any, X: np.ndarray, name: str = "y") -> np.ndarray:
    """``y`` of shape ``(m,)`` with ``m = X.shape[0]`` and the dtype of ``X``."""
    _numpy(name, y)
    check_array(name, y, ndim=1)
    if y.shape[0] != X.shape[0]:
        raise ShapeError(
            f"argument {name!r} must have shape ({X.shape[0]},) (one entry per row "
            f"of X), got shape {tuple(y.shape)}"
        )
    if y.dtype != X.dtype:
        raise TypeError(
            f"arguments 'X' and {name!r} have different dtypes ({X.dtype} and "
            f"{y.dtype}); convert one of them explicitly"
        )
    return y


def check_positive(name: str, value: Any, *, allow_zero: bool = False) -> float:
    """A finite real number, ``> 0`` (or ``>= 0`` with ``allow_zero``)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise TypeError(f"argument {name!r} must be a real number, got {type(value).__name__}")
    v = float(value)
    if not math.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        want = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"argument {name!r} must be finite and {want}, got {value!r}")
    return v


def check_steps(steps: Any) -> int:
    """A non-negative Python or NumPy integer."""
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"argument 'steps' must be a non-negative integer, got {steps!r}")
    return int(steps)
