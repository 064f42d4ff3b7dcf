r"""Shared pieces of the preliminaries' witnesses: one torch thread, NaN-aware maxima, slopes."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch


def single_threaded(check: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``check`` with one torch intra-op thread, restoring the previous setting afterwards
    (the tensors are tiny; thread barriers would dominate on a loaded machine)."""
    @functools.wraps(check)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        before = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return check(*args, **kwargs)
        finally:
            torch.set_num_threads(before)
    return wrapper


def nan_max(values: Sequence[float]) -> float:
    """The maximum, NaN if any value is NaN (so that a NaN fails the witness)."""
    vals = [float(v) for v in values]
    return math.nan if any(math.isnan(v) for v in vals) else max(vals)


def slope(h: np.ndarray, err: np.ndarray) -> float:
    """Least-squares slope of log(err) against log(h)."""
    return float(np.polyfit(np.log(h), np.log(err), 1)[0])


def col_major_jacobian(J: np.ndarray) -> np.ndarray:
    r"""Reshape a torch-style Jacobian of shape ``out_shape + in_shape`` (matrices, row-major
    indexing) into the matrix :math:`J_{\mathrm{vec}}` with column-stacking ``vec`` on both sides:
    entry ``(k + p l, i + m j)`` is ``J[k, l, i, j]`` for outputs of shape (p, q), inputs (m, n)."""
    p, q, m, n = J.shape
    return J.transpose(1, 0, 3, 2).reshape(p * q, m * n)
