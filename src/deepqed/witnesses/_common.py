r"""Pieces every chapter's witnesses share: one thread for torch and the BLAS, NaN-aware maxima,
the one relative error and the one central difference of the project (from
:mod:`deepqed.gradcheck`), and the factories of :mod:`deepqed.evidence`.

A witness module imports what it needs from here::

    from .._common import Evidence, error, upper, relative_error, adjoint_error, single_threaded
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import torch
from threadpoolctl import threadpool_limits

from ..evidence import Comparison, Evidence, equal, error, interval, lower, rate, upper
from ..gradcheck import adjoint_error, central_difference, check_vjp, relative_error

__all__ = [
    "single_threaded",
    "nan_max",
    "slope",
    "worst_error",
    "Comparison",
    "Evidence",
    "equal",
    "error",
    "interval",
    "lower",
    "rate",
    "upper",
    "adjoint_error",
    "central_difference",
    "check_vjp",
    "relative_error",
    "torch_softplus",
]


def single_threaded(check: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``check`` with one torch intra-op thread and one BLAS/OpenMP thread (``threadpoolctl``),
    restoring the previous settings afterwards.

    The witnesses' arrays are small; on a loaded machine thread barriers cost far more than the
    arithmetic (measured on 2 busy cores: 200 s instead of 15 s for the feedforward witness tests
    with torch's default threads, 31 s instead of 1.2 s for a kernel witness with a multi-threaded
    BLAS). Results do not depend on the thread count beyond rounding order, which the tolerances
    cover.
    """

    @functools.wraps(check)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        before = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            with threadpool_limits(limits=1):
                return check(*args, **kwargs)
        finally:
            torch.set_num_threads(before)

    return wrapper


def torch_softplus(s: torch.Tensor) -> torch.Tensor:
    r"""$\log(1 + e^s)$ in torch, smooth everywhere (``torch.logaddexp(0, s)``).

    ``torch.nn.functional.softplus`` returns $s$ itself above its ``threshold`` (20): off by
    up to $e^{-20}\approx 2\cdot10^{-9}$ there, and its second derivative jumps to 0, which
    an oracle compared at rounding level must not do."""
    return torch.logaddexp(torch.zeros_like(s), s)


def nan_max(values: Iterable[float]) -> float:
    """The maximum, NaN if any value is NaN (so that a NaN fails the witness)."""
    vals = [float(v) for v in values]
    return math.nan if any(math.isnan(v) for v in vals) else max(vals)


def slope(x: Any, y: Any) -> float:
    """The least-squares slope of ``log y`` against ``log x`` (a fitted rate)."""
    return float(
        np.polyfit(np.log(np.asarray(x, dtype=float)), np.log(np.asarray(y, dtype=float)), 1)[0]
    )


def worst_error(
    what: str,
    errors: Iterable[float],
    bounds: Iterable[float],
    *,
    units: str = "",
    at: Iterable[str] | None = None,
) -> Comparison:
    """The error comparison of the instance closest to its own tolerance: ``errors[i]`` against
    ``bounds[i]`` (each derived for instance ``i``), reported in the error's own units for the
    ``i`` with the largest ``errors[i] / bounds[i]`` (a NaN error is chosen first). It passes
    exactly when every instance passes."""
    errs, tols = [float(e) for e in errors], [float(b) for b in bounds]
    labels = list(at) if at is not None else [""] * len(errs)
    if not errs or len(errs) != len(tols) or len(labels) != len(errs):
        raise ValueError("worst_error needs as many bounds (and labels) as errors, at least one")

    def key(i: int) -> float:
        if math.isnan(errs[i]) or math.isnan(tols[i]):
            return math.inf
        return errs[i] / tols[i] if tols[i] > 0 else (math.inf if errs[i] > 0 else 0.0)

    i = max(range(len(errs)), key=key)
    return error(what, errs[i], tols[i] if tols[i] >= 0 else 0.0, units=units, at=labels[i])
