r"""Witnesses of Section "Convolution as a linear map": `def-cnn-cross-correlation`,
`prop-cnn-output-size`, `prop-cnn-im2col`, `prop-cnn-flip`, `thm-cnn-adjoint`."""

from __future__ import annotations

import math

import numpy as np
import scipy.signal
import torch
import torch.nn.functional as F

from ... import cnn
from ...registry import Figures, Witness
from ._common import TOL, conv_kwargs, nan_max, random_conv, rel, single_threaded, torch_conv


def _conv_vs_torch(rng, conv2d, instances, dtype) -> Figures:
    errors = []
    for _ in range(instances):
        P = random_conv(rng, dtype)
        Z = conv2d(P["X"], P["W"], P["b"], **conv_kwargs(P))
        if np.asarray(Z).dtype != dtype:
            return Figures(instances, math.inf, TOL[np.dtype(dtype).name], "wrong output dtype")
        ref = torch_conv(
            *(torch.tensor(np.asarray(P[k], np.float64)) for k in ("X", "W", "b")),
            P["stride"],
            P["padding"],
            P["dilation"],
            P["padding_mode"],
        )
        errors.append(rel(Z, ref.numpy()))
    name = np.dtype(dtype).name
    return Figures(
        instances,
        nan_max(errors),
        TOL[name],
        f"relative error of conv2d ({name}) vs F.conv2d (float64, same numbers); "
        "stride 1-3, padding 0-3 zero/circular, dilation 1-3, kernel 1-4, sizes 1-12",
    )


@single_threaded
def conv_matches_torch(
    rng: np.random.Generator, *, conv2d=cnn.conv2d, instances: int = 100
) -> Figures:
    """``conv2d`` vs ``torch.nn.functional.conv2d`` on random geometries, float64, zero and
    circular padding."""
    return _conv_vs_torch(rng, conv2d, instances, np.float64)


@single_threaded
def conv_matches_torch_float32(
    rng: np.random.Generator, *, conv2d=cnn.conv2d, instances: int = 100
) -> Figures:
    """Float32 ``conv2d`` vs float64 ``F.conv2d`` on the same (float32) numbers."""
    return _conv_vs_torch(rng, conv2d, instances, np.float32)


def output_size_matches_enumeration(
    rng: np.random.Generator, *, output_size=cnn.output_size, instances: int = 1000
) -> Figures:
    """``output_size(n, k, s, p, d)`` vs the number of i >= 0 with i s + d (k - 1) <= n + 2p - 1,
    counted one by one, and vs the size of torch's output."""
    bad = 0
    for _ in range(instances):
        n, k = int(rng.integers(1, 40)), int(rng.integers(1, 8))
        s, p, d = int(rng.integers(1, 6)), int(rng.integers(0, 6)), int(rng.integers(1, 5))
        if d * (k - 1) + 1 > n + 2 * p:
            continue
        count = sum(1 for i in range(n + 2 * p) if i * s + d * (k - 1) <= n + 2 * p - 1)
        bad += output_size(n, k, s, p, d) != count
    for _ in range(50):
        n, k = int(rng.integers(3, 20)), int(rng.integers(1, 4))
        s, p, d = int(rng.integers(1, 4)), int(rng.integers(0, 3)), int(rng.integers(1, 3))
        if d * (k - 1) + 1 > n + 2 * p:
            continue
        shape = F.conv2d(
            torch.zeros(1, 1, n, 1),
            torch.zeros(1, 1, k, 1),
            stride=(s, 1),
            padding=(p, 0),
            dilation=(d, 1),
        ).shape
        bad += output_size(n, k, s, p, d) != shape[2]
    return Figures(
        instances + 50,
        float(bad),
        0.0,
        "number of (n, k, s, p, d) where the formula differs from the enumeration of "
        "the index set or from torch's output height",
    )


@single_threaded
def im2col_matches_unfold(
    rng: np.random.Generator, *, im2col=cnn.im2col, instances: int = 100
) -> Figures:
    """``im2col`` vs ``torch.nn.functional.unfold`` (zero padding), and W_2 im2col(X) vs
    F.conv2d: the factorisation Z = W_2 im2col(X)."""
    errors = []
    for _ in range(instances):
        P = random_conv(rng, modes=("zeros",))
        X, W = P["X"], P["W"]
        kh, kw = W.shape[2:]
        cols = im2col(X, (kh, kw), stride=P["stride"], padding=P["padding"], dilation=P["dilation"])
        U = F.unfold(
            torch.tensor(X),
            (kh, kw),
            dilation=P["dilation"],
            padding=P["padding"],
            stride=P["stride"],
        ).numpy()  # (N, C k_h k_w, L)
        ref = U.transpose(1, 0, 2).reshape(U.shape[1], -1)  # columns ordered (n, l)
        errors.append(rel(cols, ref))
        Z = F.conv2d(
            torch.tensor(X),
            torch.tensor(W),
            stride=P["stride"],
            padding=P["padding"],
            dilation=P["dilation"],
        ).numpy()
        if np.shape(cols) == ref.shape:
            Z2 = W.reshape(W.shape[0], -1) @ cols
            errors.append(rel(Z2, Z.transpose(1, 0, 2, 3).reshape(W.shape[0], -1)))
    return Figures(
        instances,
        nan_max(errors),
        TOL["float64"],
        "relative error of im2col vs F.unfold, and of W_2 im2col(X) vs F.conv2d, "
        "float64, random stride/padding/dilation",
    )


def convolution_is_flipped_correlation(
    rng: np.random.Generator, *, conv2d=cnn.conv2d, instances: int = 100
) -> Figures:
    """True convolution (scipy.signal.convolve2d, mode "valid") vs conv2d with the kernel
    flipped in both axes, one channel, stride 1; and scipy.signal.correlate2d vs conv2d."""
    errors = []
    for _ in range(instances):
        H, W = (int(v) for v in rng.integers(3, 14, size=2))
        kh, kw = int(rng.integers(1, H + 1)), int(rng.integers(1, W + 1))
        x, w = rng.standard_normal((H, W)), rng.standard_normal((kh, kw))
        ours_conv = conv2d(x[None, None], np.ascontiguousarray(w[::-1, ::-1])[None, None])[0, 0]
        ours_corr = conv2d(x[None, None], w[None, None])[0, 0]
        errors.append(rel(ours_conv, scipy.signal.convolve2d(x, w, mode="valid")))
        errors.append(rel(ours_corr, scipy.signal.correlate2d(x, w, mode="valid")))
    return Figures(
        instances,
        nan_max(errors),
        TOL["float64"],
        "relative error of conv2d(x, flip(w)) vs scipy.signal.convolve2d and of "
        "conv2d(x, w) vs scipy.signal.correlate2d, float64, mode 'valid'",
    )


def adjoint_identity(
    rng: np.random.Generator,
    *,
    conv_transpose2d=cnn.conv_transpose2d,
    conv2d=cnn.conv2d,
    instances: int = 200,
) -> Figures:
    """<K x, y> = <x, K* y> on random x, y (no torch), float64, zero and circular padding:
    ``conv_transpose2d`` against ``conv2d`` and the definition of the adjoint."""
    errors = []
    for _ in range(instances):
        P = random_conv(rng)
        X, W = P["X"], P["W"]
        kw_ = {k: P[k] for k in ("stride", "padding", "dilation", "padding_mode")}
        KX = conv2d(X, W, **kw_)
        Y = rng.standard_normal(KX.shape)
        r = tuple(
            (n + 2 * p - d * (k - 1) - 1) % s
            for n, p, d, k, s in zip(
                X.shape[2:], P["padding"], P["dilation"], W.shape[2:], P["stride"]
            )
        )
        KsY = conv_transpose2d(Y, W, output_padding=r, **kw_)
        if np.shape(KsY) != X.shape:
            errors.append(math.inf)
            continue
        lhs, rhs = float(np.sum(KX * Y)), float(np.sum(X * KsY))
        errors.append(abs(lhs - rhs) / (np.linalg.norm(KX) * np.linalg.norm(Y) + 1e-300))
    return Figures(
        instances,
        nan_max(errors),
        1e-13,
        "|<Kx, y> - <x, K*y>| / (||Kx|| ||y||), float64, random geometry, zero and "
        "circular padding",
    )


@single_threaded
def conv_transpose_matches_torch(
    rng: np.random.Generator, *, conv_transpose2d=cnn.conv_transpose2d, instances: int = 100
) -> Figures:
    """``conv_transpose2d`` vs ``torch.nn.functional.conv_transpose2d`` (zero padding), float64."""
    errors = []
    for _ in range(instances):
        P = random_conv(rng, modes=("zeros",))
        X, W = P["X"], P["W"]
        Ho, Wo = (
            cnn.output_size(n, k, s, p, d)
            for n, k, s, p, d in zip(
                X.shape[2:], W.shape[2:], P["stride"], P["padding"], P["dilation"]
            )
        )
        r = tuple(
            (n + 2 * p - d * (k - 1) - 1) % s
            for n, p, d, k, s in zip(
                X.shape[2:], P["padding"], P["dilation"], W.shape[2:], P["stride"]
            )
        )
        Y = rng.standard_normal((X.shape[0], W.shape[0], Ho, Wo))
        ours = conv_transpose2d(
            Y, W, stride=P["stride"], padding=P["padding"], dilation=P["dilation"], output_padding=r
        )
        ref = F.conv_transpose2d(
            torch.tensor(Y),
            torch.tensor(W),
            stride=P["stride"],
            padding=P["padding"],
            output_padding=r,
            dilation=P["dilation"],
        ).numpy()
        errors.append(rel(ours, ref))
    return Figures(
        instances,
        nan_max(errors),
        TOL["float64"],
        "relative error of conv_transpose2d vs F.conv_transpose2d, float64, random "
        "stride/padding/dilation/output_padding",
    )


CLAIMS = (
    Witness(
        "def-cnn-cross-correlation",
        conv_matches_torch,
        "conv2d agrees with torch's F.conv2d on random geometries (float64)",
    ),
    Witness(
        "def-cnn-cross-correlation",
        conv_matches_torch_float32,
        "conv2d agrees with torch's F.conv2d on random geometries (float32)",
    ),
    Witness(
        "prop-cnn-output-size",
        output_size_matches_enumeration,
        "the output-size formula counts the index set exactly",
    ),
    Witness(
        "prop-cnn-im2col",
        im2col_matches_unfold,
        "im2col equals torch's unfold and W_2 im2col(X) equals the convolution",
    ),
    Witness(
        "prop-cnn-flip",
        convolution_is_flipped_correlation,
        "convolution is cross-correlation with the flipped kernel (SciPy)",
    ),
    Witness(
        "thm-cnn-adjoint",
        adjoint_identity,
        "the adjoint identity <Kx, y> = <x, K*y> holds on random x, y",
    ),
    Witness(
        "thm-cnn-adjoint",
        conv_transpose_matches_torch,
        "the explicit adjoint equals torch's conv_transpose2d",
    ),
)
