r"""Shared pieces of the CNN witnesses: random convolution geometries and an independent torch
reference written with ``torch.nn.functional`` (it never calls deepqed code)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from ..feedforward._common import nan_max, relative_error, single_threaded

__all__ = [
    "single_threaded",
    "nan_max",
    "relative_error",
    "random_conv",
    "torch_conv",
    "torch_conv_grads",
    "TOL",
]

#: Relative tolerances. float64: a few hundred roundings of 1.1e-16 in sums of at most ~10^3
#: terms; float32 (compared with float64 torch on the same float32 numbers): eps = 6e-8 times
#: the same growth. A wrong index or a missing term gives O(1) relative errors.
TOL = {"float64": 1e-11, "float32": 1e-5}


def random_conv(
    rng: np.random.Generator,
    dtype: Any = np.float64,
    *,
    max_size: int = 12,
    modes: Sequence[str] = ("zeros", "circular"),
) -> dict[str, Any]:
    """A random convolution problem: sizes, stride 1-3, padding 0-3, dilation 1-3, kernel 1-4,
    anisotropic (height and width drawn separately), with an output of at least one pixel."""
    while True:
        N, C_in, C_out = (int(v) for v in rng.integers(1, 5, size=3))
        H, W = (int(v) for v in rng.integers(1, max_size + 1, size=2))
        kh, kw = (int(v) for v in rng.integers(1, 5, size=2))
        s = tuple(int(v) for v in rng.integers(1, 4, size=2))
        d = tuple(int(v) for v in rng.integers(1, 4, size=2))
        p = tuple(int(v) for v in rng.integers(0, 4, size=2))
        mode = str(rng.choice(list(modes)))
        if mode == "circular" and (p[0] > H or p[1] > W):
            continue
        if d[0] * (kh - 1) + 1 > H + 2 * p[0] or d[1] * (kw - 1) + 1 > W + 2 * p[1]:
            continue
        X = rng.standard_normal((N, C_in, H, W)).astype(dtype)
        Wt = rng.standard_normal((C_out, C_in, kh, kw)).astype(dtype)
        b = rng.standard_normal(C_out).astype(dtype)
        return {
            "X": X,
            "W": Wt,
            "b": b,
            "stride": s,
            "padding": p,
            "dilation": d,
            "padding_mode": mode,
        }


def torch_conv(
    X: torch.Tensor,
    W: torch.Tensor,
    b: torch.Tensor | None,
    stride,
    padding,
    dilation,
    padding_mode: str,
) -> torch.Tensor:
    """``F.conv2d``; circular padding by ``F.pad(mode="circular")`` then no padding."""
    if padding_mode == "circular":
        X = F.pad(X, (padding[1], padding[1], padding[0], padding[0]), mode="circular")
        padding = (0, 0)
    return F.conv2d(X, W, b, stride=stride, padding=padding, dilation=dilation)


def torch_conv_grads(P: dict[str, Any], G: np.ndarray) -> tuple[np.ndarray, ...]:
    """(Z, dX, dW, db) from torch autograd in float64 on the (possibly float32) numbers of ``P``:
    the gradients of ``<Z, G>``."""
    X, W, b = (
        torch.tensor(np.asarray(P[k], dtype=np.float64), requires_grad=True)
        for k in ("X", "W", "b")
    )
    Z = torch_conv(X, W, b, P["stride"], P["padding"], P["dilation"], P["padding_mode"])
    dX, dW, db = torch.autograd.grad(Z, (X, W, b), torch.tensor(np.asarray(G, np.float64)))
    return tuple(t.detach().numpy() for t in (Z, dX, dW, db))


def rel(a: Any, ref: np.ndarray) -> float:
    """Relative error of one array (inf on a shape mismatch)."""
    return relative_error([a], [np.asarray(ref, dtype=np.float64)])


def conv_kwargs(P: dict[str, Any]) -> dict[str, Any]:
    return {k: P[k] for k in ("stride", "padding", "dilation", "padding_mode")}


def finite_or_nan(x: float) -> float:
    return x if math.isfinite(x) else math.inf
