r"""Validation of the arguments shared by the support vector machine functions.

Labels $y \in \{-1, +1\}^m$ may be given as integers or floats; they are returned as float64.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._validation import ShapeError, check_array

__all__ = ["check_labels", "check_C", "check_gram"]


def check_labels(name: str, y: Any, m: int | None = None, *, both: bool = True) -> np.ndarray:
    r"""Validate labels $y\in\{-1,+1\}^m$ (shape ``(m,)``); return them as a float64 array.

    With ``both`` (default) both classes must occur (otherwise the constraint $y^\top\alpha = 0$
    forces $\alpha = 0$ and the offset $b$ is not determined by the data).
    """
    if not isinstance(y, np.ndarray) and hasattr(y, "__array__"):
        y = np.asarray(y)
    if not isinstance(y, np.ndarray):
        raise TypeError(
            f"argument {name!r} must be a numpy.ndarray of labels, got "
            f"{type(y).__module__}.{type(y).__qualname__}"
        )
    if y.dtype.kind not in "iuf":
        raise TypeError(f"argument {name!r} must have an integer or float dtype, got {y.dtype}")
    if y.ndim != 1 or (m is not None and y.shape[0] != m):
        want = "(m,)" if m is None else f"({m},)"
        raise ShapeError(f"argument {name!r} must have shape {want}, got shape {y.shape}")
    y = y.astype(np.float64)
    if not np.all((y == 1.0) | (y == -1.0)):
        bad = y[(y != 1.0) & (y != -1.0)][0]
        raise ValueError(f"argument {name!r} must contain only the labels -1 and +1, got {bad}")
    if both and (not np.any(y > 0) or not np.any(y < 0)):
        raise ValueError(f"argument {name!r} must contain both labels -1 and +1")
    return y


def check_C(C: Any, *, allow_inf: bool = True) -> float:
    r"""Validate the regularisation constant $C\in(0, \infty]$ ($\infty$: hard margin)."""
    if isinstance(C, bool) or not isinstance(C, (int, float, np.integer, np.floating)):
        raise TypeError(f"argument 'C' must be a positive real number, got {type(C).__name__}")
    C = float(C)
    if math.isnan(C) or C <= 0.0 or (C == math.inf and not allow_inf):
        allowed = "(0, inf]" if allow_inf else "(0, inf)"
        raise ValueError(f"argument 'C' must lie in {allowed}, got {C}")
    return C


def check_gram(K: Any) -> np.ndarray:
    r"""Validate a Gram matrix $K\in\mathbb R^{m\times m}$: finite, float, square, symmetric.

    Symmetry is tested as $\max_{ij}|K_{ij} - K_{ji}| \le 100\,\varepsilon\max(1, \max_{ij}|K_{ij}|)$
    with $\varepsilon$ the machine epsilon of ``K.dtype`` (rounding in a product ``X @ X.T`` may
    break exact symmetry); the float64 matrix $\frac12(K + K^\top)$ is returned.
    """
    check_array("K", K, ndim=2, nonempty=True)
    if not isinstance(K, np.ndarray):
        raise TypeError("argument 'K' must be a numpy.ndarray")
    if K.shape[0] != K.shape[1]:
        raise ShapeError(f"argument 'K' must have shape (m, m), got shape {K.shape}")
    K64 = K.astype(np.float64, copy=False)
    asym = float(np.max(np.abs(K64 - K64.T)))
    scale = max(1.0, float(np.max(np.abs(K64))))
    if asym > 100.0 * float(np.finfo(K.dtype).eps) * scale:
        raise ValueError(f"argument 'K' must be symmetric, got max |K - K^T| = {asym:.3g}")
    return 0.5 * (K64 + K64.T)
