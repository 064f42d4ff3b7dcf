r"""Functional and geometric margins of a linear classifier ({prf:ref}`def-svm-margin`).

For $X\in\mathbb R^{m\times d}$ (rows $x_i^\top$), $y\in\{-1,+1\}^m$, $w\in\mathbb R^d\setminus\{0\}$ and
$b\in\mathbb R$: the functional margin of sample $i$ is $y_i(\langle w, x_i\rangle + b)$, its geometric
margin $y_i(\langle w, x_i\rangle + b)/\|w\|$ (the signed distance of $x_i$ to the hyperplane
$\{x: \langle w, x\rangle + b = 0\}$, positive on the correct side); the margins of the data set are
the minima over $i$.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._validation import check_array
from ._checks import check_labels

__all__ = ["functional_margins", "geometric_margin"]


def functional_margins(w: Any, b: float, X: Any, y: Any) -> np.ndarray:
    r"""$\bigl(y_i(\langle w, x_i\rangle + b)\bigr)_{i\in[m]}$, shape $(m,)$, dtype of ``X``."""
    check_array("X", X, ndim=2, nonempty=True)
    m, d = X.shape
    check_array("w", w, shape=(d,))
    if isinstance(b, bool) or not isinstance(b, (int, float, np.floating)) or not math.isfinite(b):
        raise ValueError(f"argument 'b' must be a finite real number, got {b!r}")
    y = check_labels("y", y, m, both=False).astype(X.dtype)
    return y * (X @ w.astype(X.dtype) + X.dtype.type(b))


def geometric_margin(w: Any, b: float, X: Any, y: Any) -> float:
    r"""$\gamma(w, b) = \min_i y_i(\langle w, x_i\rangle + b)/\|w\|$; requires $w\ne0$."""
    margins = functional_margins(w, b, X, y)
    norm = float(np.linalg.norm(w))
    if norm == 0.0:
        raise ValueError("argument 'w' must be nonzero (the geometric margin divides by ||w||)")
    return float(np.min(margins)) / norm
