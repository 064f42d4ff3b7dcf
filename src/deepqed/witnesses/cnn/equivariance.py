r"""Witnesses of Section "Translation equivariance": `thm-cnn-equivariance-circular`,
`prop-cnn-equivariance-zero`, `prop-cnn-equivariance-stride`.

Shifts are written here with ``numpy.roll`` (circular) and with slicing (zero fill), independently
of the library."""

from __future__ import annotations

import math

import numpy as np

from ... import cnn
from ...registry import Figures, Witness
from ._common import nan_max


def circular_shift(x: np.ndarray, t: tuple[int, int]) -> np.ndarray:
    """(S_t x)_{n,c,u,v} = x_{n,c,(u - t_1) mod H,(v - t_2) mod W}."""
    return np.roll(x, t, axis=(2, 3))


def zero_shift(x: np.ndarray, t: tuple[int, int]) -> np.ndarray:
    """(T_t x)_{n,c,u,v} = x_{n,c,u - t_1,v - t_2} if that index exists, else 0."""
    out = np.zeros_like(x)
    H, W = x.shape[2:]
    t1, t2 = t
    src_u = slice(max(0, -t1), min(H, H - t1))
    dst_u = slice(max(0, t1), min(H, H + t1))
    src_v = slice(max(0, -t2), min(W, W - t2))
    dst_v = slice(max(0, t2), min(W, W + t2))
    if src_u.start < src_u.stop and src_v.start < src_v.stop:
        out[:, :, dst_u, dst_v] = x[:, :, src_u, src_v]
    return out


def _relative(diff: np.ndarray, ref: np.ndarray) -> float:
    """max abs(diff) / max abs(ref) (NaN-safe: a NaN in diff gives NaN)."""
    return float(np.max(np.abs(diff))) / max(float(np.max(np.abs(ref))), 1e-300)


def _same_geometry(rng):
    """Kernel k and dilation d with d(k-1) even, p = d(k-1)/2 (output size = input size)."""
    while True:
        k, d = int(rng.integers(1, 6)), int(rng.integers(1, 4))
        if (d * (k - 1)) % 2 == 0:
            return k, d, d * (k - 1) // 2


def equivariance_circular(
    rng: np.random.Generator, *, conv2d=cnn.conv2d, instances: int = 150
) -> Figures:
    """max abs(K(S_t x) - S_t(K x)) / max abs(K x) with circular padding, stride 1, p = d(k-1)/2,
    random shifts t (including shifts larger than the image)."""
    errors = []
    for _ in range(instances):
        (kh, dh, ph), (kw, dw, pw) = _same_geometry(rng), _same_geometry(rng)
        H = int(rng.integers(max(ph, dh * (kh - 1) + 1 - 2 * ph, 1), 14))
        W = int(rng.integers(max(pw, dw * (kw - 1) + 1 - 2 * pw, 1), 14))
        C_in, C_out = (int(v) for v in rng.integers(1, 4, size=2))
        x = rng.standard_normal((1, C_in, H, W))
        w = rng.standard_normal((C_out, C_in, kh, kw))
        t = (int(rng.integers(-2 * H, 2 * H + 1)), int(rng.integers(-2 * W, 2 * W + 1)))
        kw_ = {"padding": (ph, pw), "dilation": (dh, dw), "padding_mode": "circular"}
        Kx = conv2d(x, w, **kw_)
        lhs = conv2d(circular_shift(x, t), w, **kw_)
        if lhs.shape != Kx.shape:
            errors.append(math.inf)
            continue
        errors.append(_relative(lhs - circular_shift(Kx, t), Kx))
    return Figures(
        instances,
        nan_max(errors),
        1e-13,
        "max abs(K S_t x - S_t K x) / max abs(K x), circular padding, stride 1, "
        "p = d(k-1)/2, float64",
    )


def interior(n: int, k: int, p: int, d: int) -> np.ndarray:
    """The indices i in {0, ..., n_out - 1} whose window avoids the padding: p <= i <= n - 1 + p - d(k-1)."""
    n_out = n + 2 * p - d * (k - 1)
    i = np.arange(n_out)
    return (i >= p) & (i <= n - 1 + p - d * (k - 1))


def equivariance_zero_interior(
    rng: np.random.Generator, *, conv2d=cnn.conv2d, instances: int = 150
) -> Figures:
    """Zero padding, stride 1: K(T_t x) = T_t(K x) at every output index i = (i_1, i_2) in the
    interior set I with i - t in the output grid (part 1 of the proposition, which includes the
    indices with i - t in I); measured as a max relative error over those indices."""
    errors = []
    for _ in range(instances):
        kh, kw = (int(v) for v in rng.integers(1, 5, size=2))
        dh, dw = (int(v) for v in rng.integers(1, 3, size=2))
        ph, pw = (int(v) for v in rng.integers(0, 4, size=2))
        H = int(rng.integers(dh * (kh - 1) + 1, 16))
        W = int(rng.integers(dw * (kw - 1) + 1, 16))
        x = rng.standard_normal((1, 2, H, W))
        w = rng.standard_normal((3, 2, kh, kw))
        t = (int(rng.integers(-3, 4)), int(rng.integers(-3, 4)))
        kw_ = {"padding": (ph, pw), "dilation": (dh, dw)}
        Kx = conv2d(x, w, **kw_)
        lhs = conv2d(zero_shift(x, t), w, **kw_)
        rhs = zero_shift(Kx, t)
        Ih, Iw = interior(H, kh, ph, dh), interior(W, kw, pw, dw)
        mask_h = Ih & _valid(len(Ih), t[0])  # i_1 in I_1, i_1 - t_1 in [n_1']_0
        mask_w = Iw & _valid(len(Iw), t[1])
        mask = np.outer(mask_h, mask_w)
        if lhs.shape != rhs.shape:
            errors.append(math.inf)
            continue
        if mask.any():
            errors.append(_relative((lhs - rhs)[:, :, mask], Kx))
    return Figures(
        len(errors),
        nan_max(errors),
        1e-13,
        "max abs(K T_t x - T_t K x) over indices i in I with i - t in the output grid, "
        "relative to max abs(K x); zero padding, stride 1, float64",
    )


def _valid(n: int, t: int) -> np.ndarray:
    """i with 0 <= i - t < n."""
    i = np.arange(n)
    return (i - t >= 0) & (i - t < n)


def equivariance_zero_boundary_fails(
    rng: np.random.Generator, *, conv2d=cnn.conv2d, instances: int = 50
) -> Figures:
    """The counterexample of the proposition: W = 1 (3x3, p = 1), x = indicator of pixel
    (H-1, 0), t = (1, 0): (T_t K x)_{H-1,0} = 1 but (K T_t x)_{H-1,0} = 0. Error: the distance of
    the measured difference from 1, over random H, W >= 2 and random channel counts."""
    errors = []
    for _ in range(instances):
        H, W = (int(v) for v in rng.integers(2, 12, size=2))
        C = int(rng.integers(1, 4))
        x = np.zeros((1, C, H, W))
        x[0, 0, H - 1, 0] = 1.0
        w = np.zeros((1, C, 3, 3))
        w[0, 0] = 1.0
        t = (1, 0)
        rhs = zero_shift(conv2d(x, w, padding=1), t)[0, 0, H - 1, 0]
        lhs = conv2d(zero_shift(x, t), w, padding=1)[0, 0, H - 1, 0]
        errors.append(abs(float(rhs - lhs) - 1.0))
    return Figures(
        instances,
        nan_max(errors),
        1e-15,
        "abs((T_t K x - K T_t x)_{H-1,0} - 1) for the counterexample (zero padding "
        "breaks equivariance at the boundary), float64",
    )


def equivariance_stride(
    rng: np.random.Generator, *, conv2d=cnn.conv2d, instances: int = 150
) -> Figures:
    """Circular padding, stride s, H and W multiples of s, p = d(k-1)/2: K(S_{s t} x) = S_t(K x)
    for random integer t (both axes)."""
    errors = []
    for _ in range(instances):
        (kh, dh, ph), (kw, dw, pw) = _same_geometry(rng), _same_geometry(rng)
        sh, sw = (int(v) for v in rng.integers(1, 4, size=2))
        H, W = sh * int(rng.integers(1, 6)), sw * int(rng.integers(1, 6))
        if ph > H or pw > W:  # circular padding needs p <= the input size
            H, W = sh * (ph + 1), sw * (pw + 1)
        x = rng.standard_normal((2, 2, H, W))
        w = rng.standard_normal((2, 2, kh, kw))
        t = (int(rng.integers(-6, 7)), int(rng.integers(-6, 7)))
        kw_ = {
            "stride": (sh, sw),
            "padding": (ph, pw),
            "dilation": (dh, dw),
            "padding_mode": "circular",
        }
        Kx = conv2d(x, w, **kw_)
        lhs = conv2d(circular_shift(x, (sh * t[0], sw * t[1])), w, **kw_)
        if lhs.shape != Kx.shape or Kx.shape[2:] != (H // sh, W // sw):
            errors.append(math.inf)
            continue
        errors.append(_relative(lhs - circular_shift(Kx, t), Kx))
    return Figures(
        instances,
        nan_max(errors),
        1e-13,
        "max abs(K S_{st} x - S_t K x) / max abs(K x), circular padding, stride 1-3, float64",
    )


CLAIMS = (
    Witness(
        "thm-cnn-equivariance-circular",
        equivariance_circular,
        "with circular padding and stride 1, convolution commutes with every cyclic shift",
    ),
    Witness(
        "prop-cnn-equivariance-zero",
        equivariance_zero_interior,
        "with zero padding, equivariance holds exactly on the interior index set",
    ),
    Witness(
        "prop-cnn-equivariance-zero",
        equivariance_zero_boundary_fails,
        "the boundary counterexample: zero padding breaks equivariance at the edge",
    ),
    Witness(
        "prop-cnn-equivariance-stride",
        equivariance_stride,
        "with stride s, shifts by multiples of s commute with the convolution",
    ),
)
