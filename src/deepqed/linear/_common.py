r"""Constraints and conditioning shared by the linear models (chapter *Linear models*).

The functions of :mod:`deepqed.linear` take NumPy arrays of dtype float32 or float64 and compute in
that dtype; their arguments are declared once here (:mod:`deepqed._validation`). A linear system
or factorisation whose condition number exceeds :func:`condition_limit` triggers an
:class:`IllConditionedWarning`.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from .._validation import Array, IllConditionedWarning, Options, validate

__all__ = [
    "IllConditionedWarning",
    "condition_limit",
    "warn_if_ill_conditioned",
    "DESIGN",
    "TARGETS",
    "WEIGHTS",
    "LABELS01",
]

#: The design matrix $X$, one sample per row: shape ``(m, n)``, float32 or float64, finite.
DESIGN = Array(shape=("m", "n"), numpy=True)
#: Targets $y$, shape ``(m,)``, the dtype of ``X``.
TARGETS = Array(shape=("m",), numpy=True)
#: A parameter vector $w$ (or $w_0$, $w^*$), shape ``(n,)``, the dtype of ``X``.
WEIGHTS = Array(shape=("n",), numpy=True)
#: Labels $y\in\{0, 1\}^m$ of logistic regression: integers or floats, compared exactly.
LABELS01 = Array(shape=("m",), dtype="real", values=(0, 1), same_dtype=False, numpy=True)


def _condition_limit(dtype: Any) -> float:
    return 1.0 / math.sqrt(float(np.finfo(dtype).eps) / 2)


@validate(dtype=Options(np.float32, np.float64))
def condition_limit(dtype: Any) -> float:
    r"""$1/\sqrt u$ with $u = \varepsilon/2$ the unit roundoff of ``dtype`` (``numpy.float32``
    or ``numpy.float64``; for an array ``X`` pass ``X.dtype.type``)."""
    return _condition_limit(dtype)


def warn_if_ill_conditioned(kappa: float, dtype: Any, what: str) -> None:
    """Warn with :class:`IllConditionedWarning` when ``kappa > condition_limit(dtype)``."""
    limit = _condition_limit(dtype)
    if not kappa <= limit:
        warnings.warn(
            f"{what} has condition number {kappa:.3g} > 1/sqrt(u) = {limit:.3g} for "
            f"{np.dtype(dtype).name}: fewer than half of the digits of the result are "
            "guaranteed",
            IllConditionedWarning,
            stacklevel=4,
        )
