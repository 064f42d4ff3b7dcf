r"""The geometry of a 2-D convolution: stride, zero or circular padding, dilation, output size.

Definition `def-cnn-cross-correlation` and Proposition `prop-cnn-output-size` of the chapter
*Convolutional networks*. Every size is a pair ``(height, width)``; an int ``k`` stands for
``(k, k)``. The constraints of the arguments are declared here once and shared by the package.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

import array_api_compat
import numpy as np

from .._validation import Array, Instance, Integer, Options, Pair, check, fail, validate

__all__ = ["Geometry", "output_size", "PADDING_MODES"]


def contiguous(A: Any) -> Any:
    """``A`` with its entries in row-major order in memory (a copy if they are not): a
    ``permute_dims`` of NumPy and PyTorch returns a strided view, and the products and copies
    that follow run faster on contiguous arrays. The values are unchanged; other array
    libraries are left alone (the array API has no notion of memory layout)."""
    if array_api_compat.is_numpy_array(A):
        return np.ascontiguousarray(A)
    if array_api_compat.is_torch_array(A):
        return A.contiguous()
    return A


def zeros(xp: Any, shape: tuple[int, ...], like: Any) -> Any:
    """Zeros of ``shape`` with the namespace, dtype and device of the array ``like``."""
    return xp.zeros(shape, dtype=like.dtype, device=array_api_compat.device(like))


PADDING_MODES = ("zeros", "circular")

#: Declared constraints shared by the package.
STRIDE = Pair(Integer(1))
PADDING = Pair(Integer(0))
DILATION = Pair(Integer(1))
KERNEL = Pair(Integer(1))
MODE = Options(*PADDING_MODES)


def images(*dims: str) -> Array:
    """A float32/float64 array of shape ``dims`` (named dimensions, unified in a call), of any
    array library of the array API (NumPy, PyTorch on CPU or CUDA, ``array_api_strict``)."""
    return Array(shape=dims)


@validate(n=Integer(1), k=Integer(1), stride=Integer(1), padding=Integer(0), dilation=Integer(1))
def output_size(n: int, k: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    r"""$\lfloor (n + 2p - d(k-1) - 1)/s\rfloor + 1$, the number of output positions along one axis.

    Implements Proposition `prop-cnn-output-size`: it is the number of $i\ge 0$ with
    $is + d(k-1) \le n + 2p - 1$ (the window fits in the padded input).

    Raises:
        ValueError: naming ``k`` when the dilated kernel $d(k-1)+1$ is larger than the padded
            input $n + 2p$ (no output position).
    """
    span = dilation * (k - 1) + 1
    if span > n + 2 * padding:
        fail(
            "k",
            f"give a dilated kernel d(k-1)+1 no larger than the padded input n + 2p = "
            f"{n + 2 * padding}",
            f"k = {k}, d = {dilation}: d(k-1)+1 = {span}",
        )
    return (n + 2 * padding - dilation * (k - 1) - 1) // stride + 1


@dataclass(frozen=True)
class Geometry:
    """Stride $s$, padding $p$, dilation $d$ (pairs: height, width) and the padding mode; an int
    stands for the pair ``(k, k)``."""

    stride: tuple[int, int] = (1, 1)
    padding: tuple[int, int] = (0, 0)
    dilation: tuple[int, int] = (1, 1)
    padding_mode: str = "zeros"

    __deepqed_constraints__ = {
        "stride": STRIDE,
        "padding": PADDING,
        "dilation": DILATION,
        "padding_mode": MODE,
    }

    def __post_init__(self) -> None:
        for name, value in check(self.__deepqed_constraints__, vars(self)).items():
            object.__setattr__(self, name, value)

    def out_shape(self, H: int, W: int, kh: int, kw: int, *, kernel: str = "W") -> tuple[int, int]:
        """$(n_1', n_2')$ by Proposition `prop-cnn-output-size` on each axis, for an input of
        size $(n_1, n_2) = $ ``(H, W)`` and a kernel ``(kh, kw)``; a ``ValueError`` names the
        argument ``kernel`` if the kernel does not fit, ``padding`` if circular padding exceeds
        the input."""
        if self.padding_mode == "circular" and (self.padding[0] > H or self.padding[1] > W):
            fail(
                "padding",
                f"be at most the input size {(H, W)} for circular padding",
                f"{self.padding}",
            )
        sizes = []
        for n, k, s, p, d in zip((H, W), (kh, kw), self.stride, self.padding, self.dilation):
            span = d * (k - 1) + 1
            if span > n + 2 * p:
                fail(
                    kernel,
                    f"have a dilated kernel d(k-1)+1 no larger than the padded input n + 2p = "
                    f"{n + 2 * p} on each axis",
                    f"kernel {(kh, kw)}, dilation {self.dilation}: d(k-1)+1 = {span}",
                )
            sizes.append((n + 2 * p - d * (k - 1) - 1) // s + 1)
        return sizes[0], sizes[1]


def shape4(name: str, value: Any) -> tuple[int, int, int, int]:
    """``value`` as a shape ``(m, C, n_1, n_2)`` of positive ints (an error naming ``name``
    otherwise): the dynamic check of a shape argument declared ``Instance((tuple, list))``."""
    if len(value) != 4 or any(
        isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Integral) for v in value
    ):
        fail(name, "be a shape (m, C, n_1, n_2) of integers", repr(tuple(value))[:60])
    if any(v < 1 for v in value):
        fail(name, "have positive entries (m, C, n_1, n_2)", repr(tuple(value)))
    return tuple(int(v) for v in value)  # type: ignore[return-value]


#: A shape argument (checked further by :func:`shape4`).
SHAPE = Instance((tuple, list), "a shape (m, C, n_1, n_2): a tuple of 4 positive integers")
