r"""Constraints and conditioning shared by the linear models (chapter *Linear models*).

The functions of :mod:`deepqed.linear` take arrays of any array API namespace (NumPy, PyTorch on
CPU or CUDA, ...) of dtype float32 or float64 and compute in that namespace, on that device and in
that dtype; their arguments are declared once here (:mod:`deepqed._validation`). A linear system
or factorisation whose condition number exceeds :func:`condition_limit` triggers an
:class:`IllConditionedWarning`.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import array_api_compat
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
    "eps",
    "zero_dim",
]

#: The design matrix $X$, one sample per row: shape ``(m, n)``, float32 or float64, finite, of any
#: array API namespace.
DESIGN = Array(shape=("m", "n"))
#: Targets $y$, shape ``(m,)``, the dtype of ``X``.
TARGETS = Array(shape=("m",))
#: A parameter vector $w$ (or $w_0$, $w^*$), shape ``(n,)``, the dtype of ``X``.
WEIGHTS = Array(shape=("n",))
#: Labels $y\in\{0, 1\}^m$ of logistic regression: integers or floats, compared exactly.
LABELS01 = Array(shape=("m",), dtype="real", values=(0, 1), same_dtype=False)


def eps(X: Any) -> float:
    """The machine epsilon of the dtype of the array ``X`` (of any namespace)."""
    return float(array_api_compat.array_namespace(X).finfo(X.dtype).eps)


def zero_dim(xp: Any, value: Any, X: Any) -> Any:
    """A reduction's ``value`` as a 0-dimensional array of the dtype of ``X``: NumPy reductions
    return scalars, other namespaces 0-dimensional arrays already (kept as they are, so that an
    autograd graph through them survives)."""
    if array_api_compat.is_numpy_namespace(xp):
        return np.asarray(value, dtype=X.dtype)
    return value


def _limit(eps: float) -> float:
    return 1.0 / math.sqrt(eps / 2)


def _condition_limit(dtype: Any) -> float:
    return _limit(float(np.finfo(dtype).eps))


@validate(dtype=Options(np.float32, np.float64))
def condition_limit(dtype: Any) -> float:
    r"""$1/\sqrt u$ with $u = \varepsilon/2$ the unit roundoff of ``dtype`` (``numpy.float32``
    or ``numpy.float64``; for a NumPy array ``X`` pass ``X.dtype.type``). The limit depends on
    the format alone: an array of another namespace in float32 (float64) has the limit of
    ``numpy.float32`` (``numpy.float64``)."""
    return _condition_limit(dtype)


def warn_if_ill_conditioned(kappa: float, X: Any, what: str) -> None:
    """Warn with :class:`IllConditionedWarning` when ``kappa`` exceeds the condition limit of the
    dtype of the array ``X``."""
    limit = _limit(eps(X))
    if not kappa <= limit:
        warnings.warn(
            f"{what} has condition number {kappa:.3g} > 1/sqrt(u) = {limit:.3g} for "
            f"{str(X.dtype).rsplit('.', 1)[-1]}: fewer than half of the digits of the result are "
            "guaranteed",
            IllConditionedWarning,
            stacklevel=4,
        )
