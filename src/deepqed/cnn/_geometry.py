r"""The geometry of a 2-D convolution: stride, zero or circular padding, dilation, output size.

Definition `def-cnn-cross-correlation` and Proposition `prop-cnn-output-size` of the chapter
*Convolutional networks*. Every size is a pair ``(height, width)``; an int ``k`` stands for
``(k, k)``. Validation happens here, before any arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import ShapeError, check_array

__all__ = ["Geometry", "geometry", "output_size", "pair", "check_images", "PADDING_MODES"]

PADDING_MODES = ("zeros", "circular")


def pair(name: str, v: Any, *, least: int) -> tuple[int, int]:
    """``v`` as a pair of Python ints ``>= least``; ``name`` is used in the error message."""
    items = (v, v) if isinstance(v, (int, np.integer)) else tuple(v)
    if len(items) != 2 or not all(
        isinstance(x, (int, np.integer)) and not isinstance(x, bool) for x in items
    ):
        raise TypeError(f"argument {name!r} must be an int or a pair of ints, got {v!r}")
    if any(int(x) < least for x in items):
        raise ValueError(f"argument {name!r} must be >= {least}, got {v!r}")
    return int(items[0]), int(items[1])


def output_size(n: int, k: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    r"""$\lfloor (n + 2p - d(k-1) - 1)/s\rfloor + 1$, the number of output positions along one axis.

    Implements Proposition `prop-cnn-output-size`: it is the number of $i\ge 0$ with
    $is + d(k-1) \le n + 2p - 1$ (the window fits in the padded input).

    Raises:
        ValueError: a size or step is out of range, or the dilated kernel $d(k-1)+1$ is larger
            than the padded input $n + 2p$ (no output position).
    """
    for name, v, least in (
        ("n", n, 1),
        ("k", k, 1),
        ("stride", stride, 1),
        ("padding", padding, 0),
        ("dilation", dilation, 1),
    ):
        if not isinstance(v, (int, np.integer)) or isinstance(v, bool) or v < least:
            raise ValueError(f"argument {name!r} must be an int >= {least}, got {v!r}")
    span = dilation * (k - 1) + 1
    if span > n + 2 * padding:
        raise ValueError(
            f"the dilated kernel d(k-1)+1 = {span} is larger than the padded input "
            f"n + 2p = {n + 2 * padding}: no output position"
        )
    return (n + 2 * padding - dilation * (k - 1) - 1) // stride + 1


@dataclass(frozen=True)
class Geometry:
    """Stride $s$, padding $p$, dilation $d$ (pairs: height, width) and the padding mode."""

    stride: tuple[int, int] = (1, 1)
    padding: tuple[int, int] = (0, 0)
    dilation: tuple[int, int] = (1, 1)
    padding_mode: str = "zeros"

    def out_shape(self, H: int, W: int, kh: int, kw: int) -> tuple[int, int]:
        """$(n_1', n_2')$ by Proposition `prop-cnn-output-size` on each axis."""
        return (
            output_size(H, kh, self.stride[0], self.padding[0], self.dilation[0]),
            output_size(W, kw, self.stride[1], self.padding[1], self.dilation[1]),
        )


def geometry(
    stride: Any = 1, padding: Any = 0, dilation: Any = 1, padding_mode: str = "zeros"
) -> Geometry:
    """Validate and normalise the keyword arguments of a convolution."""
    if padding_mode not in PADDING_MODES:
        raise ValueError(
            f"argument 'padding_mode' must be one of {PADDING_MODES}, got {padding_mode!r}"
        )
    return Geometry(
        pair("stride", stride, least=1),
        pair("padding", padding, least=0),
        pair("dilation", dilation, least=1),
        padding_mode,
    )


def check_images(name: str, X: Any) -> np.ndarray:
    """A NumPy float32/float64 array of shape ``(m, C, n_1, n_2)`` with no empty axis."""
    if not isinstance(X, np.ndarray):
        raise TypeError(f"argument {name!r} must be a numpy.ndarray, got {type(X).__name__}")
    check_array(name, X, ndim=4, nonempty=True)
    return X


def check_same_dtype(**arrays: Any) -> None:
    """Raise ``TypeError`` naming the arguments if their dtypes differ."""
    items = [(k, v) for k, v in arrays.items() if v is not None]
    k0, v0 = items[0]
    for k, v in items[1:]:
        if v.dtype != v0.dtype:
            raise TypeError(
                f"arguments {k0!r} and {k!r} must have the same dtype, got {v0.dtype} and {v.dtype}"
            )


def check_shape(name: str, x: Any, shape: tuple[int, ...], meaning: str) -> None:
    if tuple(x.shape) != tuple(shape):
        raise ShapeError(
            f"argument {name!r} must have shape {tuple(shape)} = {meaning}, "
            f"got shape {tuple(x.shape)}"
        )
