r"""Witnesses of Section "Convolution as a linear map": `def-cnn-cross-correlation`,
`prop-cnn-output-size`, `prop-cnn-im2col`, `prop-cnn-flip`, `thm-cnn-adjoint`.

Tolerances: the rounding bounds of :mod:`._common` for the two computations compared (ours in
the witness's dtype, the reference in float64 on the same numbers)."""

from __future__ import annotations

import math

import numpy as np
import scipy.signal
import torch
import torch.nn.functional as F

from ... import cnn
from ...registry import Witness
from .._common import Evidence, equal
from ._common import (
    UNIT_ROUNDOFF,
    Worst,
    conv_bound,
    conv_kwargs,
    gamma,
    random_conv,
    single_threaded,
    torch_conv,
)

U64 = UNIT_ROUNDOFF["float64"]


def _at(P) -> str:
    return (
        f"X {P['X'].shape}, W {P['W'].shape}, s {P['stride']}, p {P['padding']}, "
        f"d {P['dilation']}, {P['padding_mode']}"
    )


def _relative(worst: Worst, ours, ref, bound, at: str) -> None:
    ours, ref = np.asarray(ours, dtype=np.float64), np.asarray(ref, dtype=np.float64)
    if ours.shape != ref.shape:
        worst.add(math.inf, 1.0, at + " (wrong shape)")
        return
    scale = max(float(np.linalg.norm(ref)), 1e-300)
    worst.add(float(np.linalg.norm(ours - ref)) / scale, float(np.linalg.norm(bound)) / scale, at)


@single_threaded
def conv_matches_torch(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = np.dtype("float64"),
    conv2d=cnn.conv2d,
    instances: int = 80,
) -> Evidence:
    """``conv2d`` vs ``torch.nn.functional.conv2d`` (float64, same numbers) on random geometries,
    zero and circular padding; tolerance: the rounding bounds of both."""
    u = UNIT_ROUNDOFF[dtype.name]
    worst = Worst()
    wrong_dtype = 0
    for _ in range(instances):
        P = random_conv(rng, dtype)
        Z = conv2d(P["X"], P["W"], P["b"], **conv_kwargs(P))
        wrong_dtype += int(np.asarray(Z).dtype != dtype)
        ref = torch_conv(
            *(torch.tensor(np.asarray(P[k], np.float64)) for k in ("X", "W", "b")),
            P["stride"],
            P["padding"],
            P["dilation"],
            P["padding_mode"],
        ).numpy()
        bound = conv_bound(P, u) + conv_bound(P, U64)
        _relative(worst, Z, ref, bound.numpy(), _at(P))
    return Evidence(
        instances,
        (
            worst.error(r"$\|K_WX + b - \mathrm{F.conv2d}\| / \|\mathrm{F.conv2d}\|$"),
            equal("outputs not in the input's dtype", wrong_dtype, 0, 0, units="instances"),
        ),
        note="stride 1-3, padding 0-3 zero/circular, dilation 1-3, kernel 1-4, sizes 1-12",
    )


def _largest_index(n: int, k: int, s: int, p: int, d: int, n_out: int) -> int:
    """The largest index i s + a d read by the definition (i < n', a < k)."""
    return (n_out - 1) * s + (k - 1) * d


@single_threaded
def output_size_matches_enumeration(
    rng: np.random.Generator, *, output_size=cnn.output_size, instances: int = 1000
) -> Evidence:
    """Part 1: ``output_size(n, k, s, p, d)`` vs the number of i >= 0 with i s + d (k - 1) <= n +
    2p - 1, counted one by one, and vs the size of torch's output. Part 2: the largest index read
    is n + 2p - 1 - rho with rho = (n + 2p - d(k-1) - 1) mod s."""
    bad_count = bad_torch = bad_last = 0
    used = 0
    for _ in range(instances):
        n, k = int(rng.integers(1, 40)), int(rng.integers(1, 8))
        s, p, d = int(rng.integers(1, 6)), int(rng.integers(0, 6)), int(rng.integers(1, 5))
        if d * (k - 1) + 1 > n + 2 * p:
            continue
        used += 1
        count = sum(1 for i in range(n + 2 * p) if i * s + d * (k - 1) <= n + 2 * p - 1)
        n_out = output_size(n, k, s, p, d)
        bad_count += int(n_out != count)
        rho = (n + 2 * p - d * (k - 1) - 1) % s
        bad_last += int(_largest_index(n, k, s, p, d, count) != n + 2 * p - 1 - rho)
    for _ in range(50):
        n, k = int(rng.integers(3, 20)), int(rng.integers(1, 4))
        s, p, d = int(rng.integers(1, 4)), int(rng.integers(0, 3)), int(rng.integers(1, 3))
        if d * (k - 1) + 1 > n + 2 * p:
            continue
        used += 1
        shape = F.conv2d(
            torch.zeros(1, 1, n, 1),
            torch.zeros(1, 1, k, 1),
            stride=(s, 1),
            padding=(p, 0),
            dilation=(d, 1),
        ).shape
        bad_torch += int(output_size(n, k, s, p, d) != shape[2])
    return Evidence(
        used,
        (
            equal(
                "$(n, k, s, p, d)$ where the formula differs from the count of the index set",
                bad_count,
                0,
                0,
                units="instances",
            ),
            equal("... from torch's output height", bad_torch, 0, 0, units="instances"),
            equal(
                "the largest index read differs from $n + 2p - 1 - \\rho$",
                bad_last,
                0,
                0,
                units="instances",
            ),
        ),
    )


@single_threaded
def im2col_matches_unfold(
    rng: np.random.Generator, *, im2col=cnn.im2col, instances: int = 80
) -> Evidence:
    r"""Part 1 and 3: ``im2col`` vs ``torch.nn.functional.unfold`` (copies: exactly equal), and
    $W_2\operatorname{im2col}(X)$ vs ``F.conv2d`` on the whole batch (columns $(\mu, i)$). Part 2:
    the matrix of $K_W$ from its formula vs torch's Jacobian of the convolution (zero and circular
    padding), both exact sums of at most $k_1k_2$ entries of $W$."""
    copies, products, matrix = Worst(), Worst(), Worst()
    for t in range(instances):
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
        ).numpy()  # (m, C k_h k_w, L)
        ref = U.transpose(1, 0, 2).reshape(U.shape[1], -1)  # columns ordered (mu, l)
        if np.shape(cols) != ref.shape:
            copies.add(math.inf, 1.0, _at(P) + " (wrong shape)")
            continue
        copies.add(float(np.max(np.abs(cols - ref))), 0.0, _at(P))
        Z = torch_conv(
            torch.tensor(X),
            torch.tensor(W),
            None,
            P["stride"],
            P["padding"],
            P["dilation"],
            "zeros",
        ).numpy()
        Z2 = W.reshape(W.shape[0], -1) @ cols
        bound = 2 * conv_bound({**P, "b": np.zeros(W.shape[0])}, U64).numpy()
        _relative(
            products,
            Z2,
            Z.transpose(1, 0, 2, 3).reshape(W.shape[0], -1),
            bound.transpose(1, 0, 2, 3).reshape(W.shape[0], -1),
            _at(P),
        )
        if t < 25:  # part 2 on small instances (the matrix has C_out n' x C_in n entries)
            _check_matrix(matrix, {**P, "padding_mode": ("zeros", "circular")[t % 2]})
    return Evidence(
        instances,
        (
            copies.error(
                r"$\max|\mathrm{im2col}(X) - \mathrm{F.unfold}(X)|$", units="absolute error"
            ),
            products.error(
                r"$\|W_2\,\mathrm{im2col}(X) - \mathrm{F.conv2d}\| / \|\cdot\|$ (columns $(\mu, i)$)"
            ),
            matrix.error(
                r"$\max|[K_W]_{(o,i),(c,u)} - \partial(K_Wx)_{o,i}/\partial x_{c,u}|$ (torch Jacobian)",
                units="absolute error",
            ),
        ),
    )


def _check_matrix(worst: Worst, P) -> None:
    """The formula of part 2 against ``torch.autograd.functional.jacobian``."""
    W = P["W"]
    C_out, C_in, k1, k2 = W.shape
    n1, n2 = P["X"].shape[2:]
    if P["padding_mode"] == "circular" and (P["padding"][0] > n1 or P["padding"][1] > n2):
        return
    (s1, s2), (p1, p2), (d1, d2) = P["stride"], P["padding"], P["dilation"]
    o1 = (n1 + 2 * p1 - d1 * (k1 - 1) - 1) // s1 + 1
    o2 = (n2 + 2 * p2 - d2 * (k2 - 1) - 1) // s2 + 1
    M = np.zeros((C_out, o1, o2, C_in, n1, n2))
    for i1, i2, a1, a2 in np.ndindex(o1, o2, k1, k2):
        v1, v2 = s1 * i1 + d1 * a1 - p1, s2 * i2 + d2 * a2 - p2  # u = s i + d a - p
        if P["padding_mode"] == "circular":
            v1, v2 = v1 % n1, v2 % n2
        elif not (0 <= v1 < n1 and 0 <= v2 < n2):
            continue
        M[:, i1, i2, :, v1, v2] += W[:, :, a1, a2]
    x = torch.tensor(P["X"][:1])
    Wt = torch.tensor(W)

    def K(t):
        return torch_conv(t, Wt, None, P["stride"], P["padding"], P["dilation"], P["padding_mode"])

    J = torch.autograd.functional.jacobian(K, x).numpy()[0, :, :, :, 0]
    tol = gamma(k1 * k2, U64) * float(np.sum(np.abs(W))) * 2
    worst.add(float(np.max(np.abs(M - J))) if M.shape == J.shape else math.inf, tol, _at(P))


@single_threaded
def convolution_is_flipped_correlation(
    rng: np.random.Generator, *, conv2d=cnn.conv2d, instances: int = 80
) -> Evidence:
    """True convolution (``scipy.signal.convolve2d``, mode "valid") vs conv2d with the kernel
    flipped in both axes, one channel, stride 1; and ``scipy.signal.correlate2d`` vs conv2d."""
    conv, corr = Worst(), Worst()
    for _ in range(instances):
        H, W = (int(v) for v in rng.integers(3, 14, size=2))
        kh, kw = int(rng.integers(1, H + 1)), int(rng.integers(1, W + 1))
        x, w = rng.standard_normal((H, W)), rng.standard_normal((kh, kw))
        ours_conv = conv2d(x[None, None], np.ascontiguousarray(w[::-1, ::-1])[None, None])[0, 0]
        ours_corr = conv2d(x[None, None], w[None, None])[0, 0]
        bound = 2 * gamma(kh * kw, U64) * scipy.signal.correlate2d(np.abs(x), np.abs(w), "valid")
        at = f"x {x.shape}, w {w.shape}"
        _relative(conv, ours_conv, scipy.signal.convolve2d(x, w, mode="valid"), bound, at)
        _relative(corr, ours_corr, scipy.signal.correlate2d(x, w, mode="valid"), bound, at)
    return Evidence(
        instances,
        (
            conv.error(
                r"$\|K_{\bar w}x - (x * w)_{\mathrm{valid}}\| / \|\cdot\|$ (scipy.signal.convolve2d)"
            ),
            corr.error(r"$\|K_wx - $ scipy.signal.correlate2d$\| / \|\cdot\|$"),
        ),
    )


@single_threaded
def adjoint_identity(
    rng: np.random.Generator,
    *,
    conv_transpose2d=cnn.conv_transpose2d,
    conv2d=cnn.conv2d,
    instances: int = 150,
) -> Evidence:
    r"""$\langle Kx, y\rangle = \langle x, K^*y\rangle$ on random $x, y$ (no torch), float64,
    zero and circular padding: ``conv_transpose2d`` against ``conv2d`` and the definition of the
    adjoint. Both sides are sums of the products $W_{o,c,a}\tilde x_{c,s\odot i + d\odot a}
    y_{o,i}$: the left within $\gamma_{Q + N'}\sum|W||\tilde x||y|$ ($N'$ the entries of $Kx$),
    the right within $\gamma_{C_{out} + 9k_1k_2 + N}$ times the same sum ($N$ the entries of $x$;
    col2im's additions, circular margins folded)."""
    worst = Worst()
    for _ in range(instances):
        P = random_conv(rng)
        X, W = P["X"], P["W"]
        kw_ = conv_kwargs(P)
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
            worst.add(math.inf, 1.0, _at(P) + " (wrong shape)")
            continue
        lhs, rhs = float(np.sum(KX * Y)), float(np.sum(X * KsY))
        # sum over all products |W_{o,c,a}| |x~_{c, s i + d a}| |y_{o,i}| = <K_{|W|}|x~|, |y|>
        S = torch_conv(
            *(torch.tensor(np.abs(P[k])) for k in ("X", "W")),
            None,
            P["stride"],
            P["padding"],
            P["dilation"],
            P["padding_mode"],
        ).numpy()
        absolute = float(np.sum(S * np.abs(Y)))
        Q, k = W[0].size, W.shape[2] * W.shape[3]
        tol = (gamma(Q + KX.size, U64) + gamma(W.shape[0] + 9 * k + X.size, U64)) * absolute
        worst.add(abs(lhs - rhs), tol, _at(P))
    return Evidence(
        instances,
        (
            worst.error(
                r"$|\langle K_Wx, y\rangle - \langle x, K_W^*y\rangle|$", units="absolute error"
            ),
        ),
        note="float64, random geometry, zero and circular padding",
    )


@single_threaded
def conv_transpose_matches_torch(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = np.dtype("float64"),
    conv_transpose2d=cnn.conv_transpose2d,
    instances: int = 80,
) -> Evidence:
    """``conv_transpose2d`` vs ``torch.nn.functional.conv_transpose2d`` (zero padding, float64 on
    the same numbers), with the bound of $\\mathrm dX$ in Theorem `thm-cnn-conv-backward`."""
    from ._common import conv_backward_bounds

    u = UNIT_ROUNDOFF[dtype.name]
    worst = Worst()
    for _ in range(instances):
        P = random_conv(rng, dtype, modes=("zeros",))
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
        Y = rng.standard_normal((X.shape[0], W.shape[0], Ho, Wo)).astype(dtype)
        ours = conv_transpose2d(
            Y, W, stride=P["stride"], padding=P["padding"], dilation=P["dilation"], output_padding=r
        )
        ref = F.conv_transpose2d(
            torch.tensor(Y, dtype=torch.float64),
            torch.tensor(W, dtype=torch.float64),
            stride=P["stride"],
            padding=P["padding"],
            output_padding=r,
            dilation=P["dilation"],
        ).numpy()
        bound = conv_backward_bounds(P, Y, u)[0] + conv_backward_bounds(P, Y, U64)[0]
        _relative(worst, ours, ref, bound.numpy(), _at(P))
    return Evidence(
        instances,
        (worst.error(r"$\|K_W^*Y - \mathrm{F.conv\_transpose2d}(Y, W)\| / \|\cdot\|$"),),
        note="random stride/padding/dilation/output_padding",
    )


_D = ("float32", "float64")
CLAIMS = (
    Witness(
        "def-cnn-cross-correlation",
        conv_matches_torch,
        "conv2d agrees with torch's F.conv2d on random geometries",
        strength="exact",
        dtypes=_D,
    ),
    Witness(
        "prop-cnn-output-size",
        output_size_matches_enumeration,
        "the output-size formula counts the index set exactly; the last index read",
        strength="exact",
    ),
    Witness(
        "prop-cnn-im2col",
        im2col_matches_unfold,
        "im2col equals torch's unfold, W_2 im2col(X) the convolution, the matrix formula the Jacobian",
        strength="exact",
    ),
    Witness(
        "prop-cnn-flip",
        convolution_is_flipped_correlation,
        "convolution is cross-correlation with the flipped kernel (SciPy)",
        strength="exact",
    ),
    Witness(
        "thm-cnn-adjoint",
        adjoint_identity,
        "the adjoint identity <Kx, y> = <x, K*y> holds on random x, y",
        strength="exact",
    ),
    Witness(
        "thm-cnn-adjoint",
        conv_transpose_matches_torch,
        "the explicit adjoint equals torch's conv_transpose2d",
        strength="exact",
        dtypes=_D,
    ),
)
