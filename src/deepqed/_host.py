"""Explicit conversion between an array API namespace and NumPy, for the few routines that
genuinely need NumPy or SciPy (a LAPACK driver, a linear programme, a sequential solver loop), and
the check that labels live with the data they label.

Such a routine converts its arguments with :func:`to_numpy`, computes on the host, and returns
its result with :func:`from_numpy` in the caller's namespace and on the caller's device. On NumPy
input both are the identity (no copy), so the NumPy path is unchanged. Generic code does not
use them: it computes in the namespace of its inputs (``array_api_compat.array_namespace``).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import array_api_compat
import numpy as np

from ._validation import fail, received

__all__ = ["to_numpy", "from_numpy", "labels_follow"]


def to_numpy(x: Any) -> np.ndarray:
    """The entries of the array ``x`` as a ``numpy.ndarray`` of the same dtype (a copy to the host
    for a device array; ``x`` itself if it is one already)."""
    if isinstance(x, np.ndarray):
        return x
    if array_api_compat.is_torch_array(x):
        return x.detach().cpu().numpy()
    if array_api_compat.is_cupy_array(x):
        return x.get()
    return np.from_dlpack(x)  # any other namespace on the host


def from_numpy(a: Any, like: Any, dtype: Any = None) -> Any:
    """``a`` (a ``numpy.ndarray`` or scalar) as an array of the namespace and device of ``like``,
    of dtype ``dtype`` of that namespace (default: the dtype matching ``a``'s). For NumPy
    ``like`` and ``dtype`` equal to ``a``'s dtype, ``a`` itself."""
    if isinstance(like, np.ndarray):
        out = np.asarray(a)
        return out if dtype is None else out.astype(dtype, copy=False)
    xp = array_api_compat.array_namespace(like)
    if dtype is None:
        dtype = getattr(xp, np.asarray(a).dtype.name)
    return xp.asarray(np.asarray(a), dtype=dtype, device=array_api_compat.device(like))


def labels_follow(
    data: str, labels: str = "y"
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a validated function (above its ``validate``) so that the array argument
    ``labels`` must come from the library and live on the device of the array argument ``data``.

    Labels take no part in the dtype agreement of a call's floating arrays (they may be integers),
    so :func:`deepqed._validation.validate` does not compare their library; a ``TypeError`` naming
    ``labels`` does. Arguments that are not arrays are left to ``validate``."""

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        names = list(inspect.signature(fn).parameters)
        i_y, i_X = names.index(labels), names.index(data)

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            y = args[i_y] if i_y < len(args) else kwargs.get(labels)
            X = args[i_X] if i_X < len(args) else kwargs.get(data)
            if type(y) is np.ndarray and type(X) is np.ndarray:
                return fn(*args, **kwargs)  # the common case, decided at once
            if (
                _is_array(y)
                and _is_array(X)
                and (
                    array_api_compat.array_namespace(y) is not array_api_compat.array_namespace(X)
                    or array_api_compat.device(y) != array_api_compat.device(X)
                )
            ):
                fail(
                    labels,
                    f"be an array of the library and device of {data!r}",
                    received(y),
                    kind=TypeError,
                )
            return fn(*args, **kwargs)

        return wrapper

    return decorate


def _is_array(x: Any) -> bool:
    return array_api_compat.is_array_api_obj(x) and not isinstance(
        x, (bool, int, float, complex, np.generic)
    )
