r"""Shared pieces of the preliminaries' witnesses: one torch thread, NaN-aware maxima, slopes."""

from __future__ import annotations

import numpy as np

from .._common import nan_max, single_threaded  # noqa: F401  (shared by every chapter)


def slope(h: np.ndarray, err: np.ndarray) -> float:
    """Least-squares slope of log(err) against log(h)."""
    return float(np.polyfit(np.log(h), np.log(err), 1)[0])


def col_major_jacobian(J: np.ndarray) -> np.ndarray:
    r"""Reshape a torch-style Jacobian of shape ``out_shape + in_shape`` (matrices, row-major
    indexing) into the matrix :math:`J_{\mathrm{vec}}` with column-stacking ``vec`` on both sides:
    entry ``(k + p l, i + m j)`` is ``J[k, l, i, j]`` for outputs of shape (p, q), inputs (m, n)."""
    p, q, m, n = J.shape
    return J.transpose(1, 0, 3, 2).reshape(p * q, m * n)
