r"""Witnesses of Section "Translation equivariance": `thm-cnn-equivariance-circular`,
`prop-cnn-equivariance-zero`, `prop-cnn-equivariance-stride`.

Shifts are written here with ``numpy.roll`` (circular) and with slicing (zero fill), independently
of the library."""

from __future__ import annotations

import math

import numpy as np

from ... import cnn
from ...registry import Witness
from .._common import Evidence, equal
from ._common import UNIT_ROUNDOFF, Worst, conv_bound, single_threaded

U64 = UNIT_ROUNDOFF["float64"]


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


def _bound(x, w, kw_) -> np.ndarray:
    """The rounding bound of ``conv2d(x, w, **kw_)`` (no bias), float64."""
    P = {
        "X": x,
        "W": w,
        "b": np.zeros(w.shape[0]),
        "stride": (1, 1),
        "padding": (0, 0),
        "dilation": (1, 1),
        "padding_mode": "zeros",
        **{k: _pair(v) if k != "padding_mode" else v for k, v in kw_.items()},
    }
    return conv_bound(P, U64).numpy()


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def _compare(worst: Worst, lhs, rhs, bound, at: str) -> None:
    """``max|lhs - rhs|`` against ``max bound`` (both sides computed by our convolution, each
    within its rounding bound of the exact value)."""
    if np.shape(lhs) != np.shape(rhs):
        worst.add(math.inf, 1.0, at + " (wrong shape)")
        return
    worst.add(float(np.max(np.abs(lhs - rhs), initial=0.0)), float(np.max(bound, initial=0.0)), at)


def _same_geometry(rng):
    """Kernel k and dilation d with d(k-1) even, p = d(k-1)/2 (output size = input size)."""
    while True:
        k, d = int(rng.integers(1, 6)), int(rng.integers(1, 4))
        if (d * (k - 1)) % 2 == 0:
            return k, d, d * (k - 1) // 2


@single_threaded
def equivariance_circular(
    rng: np.random.Generator, *, conv2d=cnn.conv2d, instances: int = 150
) -> Evidence:
    """K(S_t x) vs S_t(K x) with circular padding, stride 1, p = d(k-1)/2, random shifts t
    (including shifts larger than the image); both sides within the convolution's rounding bound
    of the exact values, which are equal."""
    worst = Worst()
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
        bound = _bound(x, w, kw_)
        _compare(worst, lhs, circular_shift(Kx, t), 2 * bound, f"n = {(H, W)}, t = {t}")
    return Evidence(
        instances,
        (
            worst.error(
                r"$\max|K_W(S_tx) - S_t(K_Wx)|$, circular padding, stride 1", units="absolute error"
            ),
        ),
    )


def interior(n: int, k: int, p: int, d: int) -> np.ndarray:
    """The indices i in {0, ..., n_out - 1} whose window avoids the padding: p <= i <= n - 1 + p - d(k-1)."""
    n_out = n + 2 * p - d * (k - 1)
    i = np.arange(n_out)
    return (i >= p) & (i <= n - 1 + p - d * (k - 1))


def _valid(n: int, t: int) -> np.ndarray:
    """i with 0 <= i - t < n."""
    i = np.arange(n)
    return (i - t >= 0) & (i - t < n)


@single_threaded
def equivariance_zero_interior(
    rng: np.random.Generator, *, conv2d=cnn.conv2d, instances: int = 150
) -> Evidence:
    """Zero padding, stride 1: K(T_t x) = T_t(K x) at every output index i = (i_1, i_2) in the
    interior set I with i - t in the output grid (part 1 of the proposition, which includes the
    indices with i - t in I)."""
    worst = Worst()
    used = 0
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
        mask = np.outer(Ih & _valid(len(Ih), t[0]), Iw & _valid(len(Iw), t[1]))
        if lhs.shape != rhs.shape:
            worst.add(math.inf, 1.0, "wrong shape")
            continue
        if mask.any():
            used += 1
            bound = 2 * np.maximum(_bound(x, w, kw_), zero_shift(_bound(x, w, kw_), t))
            _compare(
                worst, lhs[:, :, mask], rhs[:, :, mask], bound[:, :, mask], f"n = {(H, W)}, t = {t}"
            )
    return Evidence(
        used,
        (
            worst.error(
                r"$\max_{i\in I,\ i - t\in\Lambda_{n'}}|K_W(T_tx)_i - (T_tK_Wx)_i|$, zero padding, stride 1",
                units="absolute error",
            ),
        ),
    )


@single_threaded
def equivariance_zero_boundary_fails(
    rng: np.random.Generator, *, conv2d=cnn.conv2d, instances: int = 50
) -> Evidence:
    """The counterexample of part 2: W = 1 (3x3, p = 1), x = indicator of pixel (n_1 - 1, 0),
    t = (1, 0): (T_t K x)_{n_1-1,0} = 1 but (K T_t x)_{n_1-1,0} = 0 (sums of 0s and one 1:
    exact), over random n_1, n_2 >= 2 and channel counts."""
    worst_rhs = worst_lhs = (math.inf, "")
    for _ in range(instances):
        H, W = (int(v) for v in rng.integers(2, 12, size=2))
        C = int(rng.integers(1, 4))
        x = np.zeros((1, C, H, W))
        x[0, 0, H - 1, 0] = 1.0
        w = np.zeros((1, C, 3, 3))
        w[0, 0] = 1.0
        t = (1, 0)
        rhs = float(zero_shift(conv2d(x, w, padding=1), t)[0, 0, H - 1, 0])
        lhs = float(conv2d(zero_shift(x, t), w, padding=1)[0, 0, H - 1, 0])
        if abs(rhs - 1) >= abs(worst_rhs[0] - 1) or worst_rhs[0] == math.inf:
            worst_rhs = (rhs, f"n = {(H, W)}, C = {C}")
        if abs(lhs) >= abs(worst_lhs[0]) or worst_lhs[0] == math.inf:
            worst_lhs = (lhs, f"n = {(H, W)}, C = {C}")
    return Evidence(
        instances,
        (
            equal("$(T_tK_Wx)_{0,(n_1-1,0)}$ (claimed 1)", worst_rhs[0], 1.0, 0, at=worst_rhs[1]),
            equal("$(K_WT_tx)_{0,(n_1-1,0)}$ (claimed 0)", worst_lhs[0], 0.0, 0, at=worst_lhs[1]),
        ),
    )


@single_threaded
def equivariance_stride(
    rng: np.random.Generator, *, conv2d=cnn.conv2d, instances: int = 150
) -> Evidence:
    """Part 1: circular padding, stride s dividing n, p = d(k-1)/2: K(S_{s t} x) = S_t(K x) for
    random integer t (both axes). Part 2: for a random stride s != (1, 1) and a shift t that is not
    a multiple of s on some axis, the subsampling K (1x1 kernel 1, p = 0) and x = e_{(-t) mod n}
    give K(S_t x) = e_0 != 0 while K x = 0, so no shift of K x equals K(S_t x)."""
    worst = Worst()
    part2 = 0
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
            worst.add(math.inf, 1.0, "wrong output shape")
            continue
        bound = _bound(x, w, kw_)
        _compare(worst, lhs, circular_shift(Kx, t), 2 * bound, f"s = {(sh, sw)}, t = {t}")
        # part 2
        s2 = (int(rng.integers(1, 4)), int(rng.integers(2, 4)))[:: int(rng.choice([-1, 1]))]
        n2 = (s2[0] * int(rng.integers(1, 4)), s2[1] * int(rng.integers(1, 4)))
        t2 = [int(rng.integers(-7, 8)), int(rng.integers(-7, 8))]
        r = 0 if s2[0] > 1 else 1  # an axis with stride > 1
        if t2[r] % s2[r] == 0:
            t2[r] += 1
        e = np.zeros((1, 1, *n2))
        e[0, 0, (-t2[0]) % n2[0], (-t2[1]) % n2[1]] = 1.0
        one = np.ones((1, 1, 1, 1))
        K_shifted = conv2d(circular_shift(e, tuple(t2)), one, stride=s2)
        K_e = conv2d(e, one, stride=s2)
        part2 += int(not (K_shifted[0, 0, 0, 0] == 1.0 and not np.any(K_e)))
    return Evidence(
        instances,
        (
            worst.error(
                r"$\max|K_W(S_{s\odot t}x) - S_t(K_Wx)|$, circular padding, stride 1-3",
                units="absolute error",
            ),
            equal(
                "part 2: shifts $t$ not a multiple of $s$ where $K(S_te_{-t}) = e_0$, $Ke_{-t} = 0$ fails",
                part2,
                0,
                0,
                units="instances",
            ),
        ),
    )


CLAIMS = (
    Witness(
        "thm-cnn-equivariance-circular",
        equivariance_circular,
        "with circular padding and stride 1, convolution commutes with every cyclic shift",
        strength="exact",
    ),
    Witness(
        "prop-cnn-equivariance-zero",
        equivariance_zero_interior,
        "with zero padding, equivariance holds exactly on the interior index set",
        strength="exact",
    ),
    Witness(
        "prop-cnn-equivariance-zero",
        equivariance_zero_boundary_fails,
        "the boundary counterexample: zero padding breaks equivariance at the edge",
        strength="exact",
    ),
    Witness(
        "prop-cnn-equivariance-stride",
        equivariance_stride,
        "with stride s, shifts by multiples of s commute; for every other shift a counterexample",
        strength="exact",
    ),
)
