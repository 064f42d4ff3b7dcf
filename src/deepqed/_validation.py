"""Input validation shared by every numerical function.

Each public function of deepqed validates its arguments here, *before* any arithmetic, so that a
wrong argument is reported by name with the expected and the received shape or dtype, never as a
broadcasting error from deep inside NumPy or PyTorch.

Arrays may come from any namespace that ``array_api_compat`` recognises (NumPy, PyTorch on CPU or
CUDA, ``array_api_strict``). Only float32 and float64 are accepted (not float16 or bfloat16, whose
range and precision the stable formulas and the witnesses' tolerances do not cover).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import array_api_compat

__all__ = [
    "ShapeError",
    "IllConditionedWarning",
    "namespace",
    "check_array",
    "check_same_namespace",
]


class ShapeError(ValueError):
    """An array argument has the wrong shape."""


class IllConditionedWarning(RuntimeWarning):
    r"""A linear system or factorisation is so ill-conditioned that its solution may have lost
    most of its significant digits (each library function says which condition number it
    estimates and the limit it uses, typically $\kappa > 1/\sqrt u$ with $u$ the unit roundoff)."""


def _describe(x: Any) -> str:
    return type(x).__module__ + "." + type(x).__qualname__


def namespace(*arrays: Any) -> Any:
    """Return the array API namespace shared by ``arrays`` (ignoring ``None``)."""
    present = [a for a in arrays if a is not None]
    return array_api_compat.array_namespace(*present)


def check_array(
    name: str,
    x: Any,
    *,
    ndim: int | Sequence[int] | None = None,
    shape: Sequence[int | None | str] | None = None,
    allow_nonfinite: bool = False,
    nonempty: bool = False,
) -> Any:
    r"""Validate one array argument and return it unchanged.

    Arguments:
        name: the argument's name as the caller's signature spells it (used in messages).
        x: the argument.
        ndim: the allowed number of dimensions (one or several).
        shape: the expected shape; an entry ``None`` matches any size, a string entry names a
            dimension in the message (it also matches any size; callers compare named sizes).
        allow_nonfinite: accept NaN and infinities (default: reject them).
        nonempty: reject a size 0 along any axis (batch sizes and widths are in $\mathbb N$).

    Raises:
        TypeError: ``x`` is not an array, or its dtype is not float32 or float64.
        ShapeError: ``x`` has the wrong number of dimensions or the wrong shape, or (with
            ``nonempty``) no entries.
        ValueError: ``x`` contains NaN or an infinity.
    """
    if not array_api_compat.is_array_api_obj(x) or isinstance(x, (bool, int, float, complex)):
        raise TypeError(
            f"argument {name!r} must be an array (numpy.ndarray, torch.Tensor, ...), "
            f"got {_describe(x)}"
        )
    xp = array_api_compat.array_namespace(x)
    if x.dtype not in (xp.float32, xp.float64):  # not float16, bfloat16, ... (no stable formulas)
        raise TypeError(
            f"argument {name!r} must have dtype float32 or float64, got dtype {x.dtype}"
        )
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if x.ndim not in allowed:
            want = " or ".join(str(d) for d in allowed)
            raise ShapeError(
                f"argument {name!r} must have {want} dimension(s), got shape {tuple(x.shape)}"
            )
    if shape is not None:
        ok = len(shape) == x.ndim and all(
            s is None or isinstance(s, str) or s == r for s, r in zip(shape, x.shape)
        )
        if not ok:
            want = _format_shape("*" if s is None else str(s) for s in shape)
            raise ShapeError(
                f"argument {name!r} must have shape {want}, got shape {tuple(x.shape)}"
            )
    if nonempty and any(n == 0 for n in x.shape):
        raise ShapeError(
            f"argument {name!r} must have at least one entry along every axis, "
            f"got shape {tuple(x.shape)}"
        )
    if not allow_nonfinite and not _all_finite(xp, x):
        kind = "NaN" if bool(xp.any(xp.isnan(x))) else "an infinite value"
        raise ValueError(f"argument {name!r} contains {kind}")
    return x


def _format_shape(entries: Any) -> str:
    """``(a, b)``, and ``(a,)`` for one entry, as Python writes a tuple."""
    items = list(entries)
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


def _all_finite(xp: Any, x: Any) -> bool:
    """Whether every entry of ``x`` is finite (neither NaN nor an infinity).

    NaN and the infinities propagate through addition (``inf + (-inf)`` is NaN), so a finite sum
    proves every term finite, in any summation order. PyTorch computes that one reduction several
    times faster than ``isfinite(x).all()`` (whose ``isfinite`` builds temporaries); only when the
    sum is not finite (a non-finite entry, or finite entries whose sum overflows) does the
    elementwise test decide. NumPy's ``isfinite(x).all()`` is as fast as its sum (and a NumPy sum
    that overflows would warn), so other namespaces take the elementwise test directly.
    """
    if array_api_compat.is_torch_namespace(xp) and math.isfinite(float(xp.sum(x.detach()))):
        return True
    return bool(xp.all(xp.isfinite(x)))


def check_same_namespace(**arrays: Any) -> Any:
    """Return the namespace of the named arrays; raise ``TypeError`` naming them if they differ.

    Also rejects mixed dtypes (float32 with float64), which would otherwise promote silently.
    """
    items = [(k, v) for k, v in arrays.items() if v is not None]
    first_name, first = items[0]
    xp = array_api_compat.array_namespace(first)
    first_device = array_api_compat.device(first)
    for k, v in items[1:]:
        other = array_api_compat.array_namespace(v)
        if other is not xp:
            raise TypeError(
                f"arguments {first_name!r} and {k!r} come from different array libraries "
                f"({_describe(first)} and {_describe(v)})"
            )
        if v.dtype != first.dtype:
            raise TypeError(
                f"arguments {first_name!r} and {k!r} have different dtypes "
                f"({first.dtype} and {v.dtype}); convert one of them explicitly"
            )
        if array_api_compat.device(v) != first_device:
            raise TypeError(
                f"arguments {first_name!r} and {k!r} live on different devices "
                f"({first_device} and {array_api_compat.device(v)})"
            )
    return xp
