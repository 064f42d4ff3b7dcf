r"""Shared pieces of the preliminaries' witnesses: the unit roundoff and the rounding constants
$\gamma_k$ that their tolerances are derived from, and the reordering of torch Jacobians into the
book's vec convention.

Tolerances follow the standard model of floating-point arithmetic, $\mathrm{fl}(a\circ b) =
(a\circ b)(1 + \delta)$, $|\delta|\le u$: a sum of $k$ products computed in any order differs
from the exact sum by at most $\gamma_k\sum|a_ib_i|$, $\gamma_k = ku/(1 - ku)$ (Higham, *Accuracy
and Stability of Numerical Algorithms*, 2nd ed., SIAM 2002, chapters 2 and 3).
"""

from __future__ import annotations

from typing import Any

import numpy as np


def unit_roundoff(dtype: Any) -> float:
    """$u = 2^{-24}$ for float32, $2^{-53}$ for float64."""
    return float(np.finfo(np.dtype(dtype)).eps) / 2


def gamma(k: int, dtype: Any = np.float64) -> float:
    r"""$\gamma_k = ku/(1 - ku)$, the rounding constant of a sum of $k$ products."""
    u = unit_roundoff(dtype)
    return k * u / (1 - k * u)


def col_major_jacobian(J: np.ndarray) -> np.ndarray:
    r"""Reshape a torch-style Jacobian of shape ``out_shape + in_shape`` (matrices, row-major
    indexing) into the matrix :math:`J_{\mathrm{vec}}` with column-stacking ``vec`` on both sides:
    entry ``(k + p l, i + m j)`` is ``J[k, l, i, j]`` for outputs of shape (p, q), inputs (m, n)."""
    p, q, m, n = J.shape
    return J.transpose(1, 0, 3, 2).reshape(p * q, m * n)
