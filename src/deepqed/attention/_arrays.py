"""Constraints shared by the attention package: masks, and queries, keys and values with leading
batch axes (arrays of any array-API library, float32 or float64)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import array_api_compat
import numpy as np

from .._validation import Array, Constraint, Optional, ShapeError, fail, received

__all__ = ["MASK", "SEQUENCE_AXES", "agree", "check_qkv", "check_mask_shape", "check_mask_like"]

#: Queries, keys, values, their gradients and the weights: ``(..., n, d)`` with at most two
#: leading batch axes.
SEQUENCE_AXES = Array(ndim=(2, 3, 4))


@dataclass(frozen=True)
class _Mask(Constraint):
    """A mask: a boolean array (``True`` = may attend), or an additive floating array with entries
    in $\\mathbb R\\cup\\{-\\infty\\}$ (no NaN, no $+\\infty$). Its shape is checked by the function
    that uses it (it must broadcast to the scores)."""

    def describe(self) -> str:
        return "a boolean or an additive (entries in R or -inf) mask"

    def check(self, name: str, value: Any, ctx: Any) -> Any:
        kind = None
        if array_api_compat.is_array_api_obj(value) and not isinstance(
            value, (bool, int, float, complex, np.generic)
        ):
            xp = array_api_compat.array_namespace(value)
            for k, dtypes in (("bool", (xp.bool,)), ("floating", (xp.float32, xp.float64))):
                if value.dtype in dtypes:
                    kind = k
        if kind is None:
            fail(
                name,
                "be an array of dtype bool (True = may attend) or float32/float64 "
                "(additive, entries in R or -inf)",
                received(value),
                kind=TypeError,
            )
        if value.ndim < 2 or any(k == 0 for k in value.shape):
            raise ShapeError(
                f"argument {name!r} must have at least two axes (..., n_q, n_k), none empty, "
                f"got shape {tuple(value.shape)}"
            )
        if kind == "floating" and bool(xp.any(xp.isnan(value)) or xp.any(value == xp.inf)):
            fail(name, "have entries in R or -inf (an additive mask)", "NaN or +inf")
        return value


#: ``None``, or a boolean or additive mask.
MASK = Optional(_Mask())


def agree(a: str, x: np.ndarray, b: str, y: np.ndarray, what: str, same: bool) -> None:
    """Raise a ``ShapeError`` naming both arguments unless ``same`` (``what`` says which axes must
    agree, e.g. ``"the same leading batch axes"``)."""
    if not same:
        raise ShapeError(
            f"arguments {a!r} and {b!r} must have {what}, got shapes {tuple(x.shape)} and "
            f"{tuple(y.shape)}"
        )


def check_qkv(Q: np.ndarray, K: np.ndarray, V: np.ndarray) -> None:
    """``Q`` ``(..., n_q, d_k)``, ``K`` ``(..., n_k, d_k)``, ``V`` ``(..., n_k, d_v)`` with one
    set of leading batch axes (the constraints checked dtypes and the numbers of axes)."""
    agree("Q", Q, "K", K, "the same leading batch axes", Q.shape[:-2] == K.shape[:-2])
    agree("Q", Q, "V", V, "the same leading batch axes", Q.shape[:-2] == V.shape[:-2])
    agree("Q", Q, "K", K, "the same last axis d_k", Q.shape[-1] == K.shape[-1])
    agree("K", K, "V", V, "the same sequence axis n_k", K.shape[-2] == V.shape[-2])


def check_mask_shape(mask: np.ndarray | None, scores: tuple[int, ...]) -> None:
    """A mask broadcasts to the scores' shape ``(..., n_q, n_k)``."""
    if mask is None:
        return
    try:
        ok = np.broadcast_shapes(tuple(mask.shape), tuple(scores)) == tuple(scores)
    except ValueError:
        ok = False
    if not ok:
        raise ShapeError(
            f"argument 'mask' must broadcast to the scores' shape {tuple(scores)} "
            f"(..., n_q, n_k), got shape {tuple(mask.shape)}"
        )


def check_mask_like(mask: Any, Q: Any) -> None:
    """A mask comes from the library and device of the queries ``Q``."""
    if mask is None:
        return
    try:
        array_api_compat.array_namespace(mask, Q)
        same = array_api_compat.device(mask) == array_api_compat.device(Q)
    except TypeError:
        same = False
    if not same:
        fail(
            "mask",
            f"come from the library and device of the queries ({type(Q).__name__} on "
            f"{array_api_compat.device(Q)})",
            received(mask),
            kind=TypeError,
        )
