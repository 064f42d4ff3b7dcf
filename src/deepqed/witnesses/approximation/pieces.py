r"""Witnesses of Sections "Counting pieces" and "Depth separation": `def-apx-pieces`,
`alg-apx-breakpoints`, `thm-apx-pieces`, `prop-apx-sawtooth`, `thm-apx-depth-separation`.

References: piecewise linear functions built with a known number of pieces in exact (dyadic)
arithmetic; activation patterns of the forward pass (``nn.forward``) at points inside every
interval; the tent map iterated directly; the trapezoid rule with the zeros of the integrand added
as nodes (exact for piecewise linear integrands) for $L^1$ distances."""

from __future__ import annotations

import math

import numpy as np

from ... import approximation, nn
from ...registry import Witness
from ._common import Evidence, equal, error, gamma, lower, single_threaded, upper


@single_threaded
def pieces_of_built_functions(
    rng: np.random.Generator, *, count_pieces=approximation.count_pieces
) -> Evidence:
    r"""Continuous piecewise linear functions built with $p$ affine pieces (integer slopes,
    consecutive ones distinct; dyadic breakpoints, each piece cut by extra collinear nodes):
    ``count_pieces`` (with ``rtol = 0``; all values are exact in floating point) returns $p$."""
    worst, n = 0, 12
    for _ in range(n):
        p = int(rng.integers(1, 30))
        slopes = [int(rng.integers(-5, 6))]
        for _ in range(p - 1):
            s = int(rng.integers(-5, 5))
            slopes.append(s if s < slopes[-1] else s + 1)  # any integer in [-5, 5] but the last
        lengths = rng.integers(1, 5, size=p)  # in units of 1/8
        nodes, values, x = [0.0], [float(rng.integers(-4, 5))], 0.0
        y = values[0]
        for s, ell in zip(slopes, lengths):
            cuts = int(rng.choice([1, 2, 4]))  # the piece is split into `cuts` segments
            for _ in range(cuts):
                x += ell / 8 / cuts
                y += s * ell / 8 / cuts
                nodes.append(x)
                values.append(y)
        got = int(count_pieces(np.array(nodes), np.array(values)))
        worst = max(worst, abs(got - p))
    return Evidence(
        n, (error("largest |counted pieces - built pieces|", float(worst), 0.0, units="pieces"),)
    )


def _random_net(rng: np.random.Generator) -> tuple[nn.Architecture, nn.Parameters]:
    L = int(rng.integers(2, 5))
    widths = (1, *[int(rng.integers(1, 7)) for _ in range(L - 1)], 1)
    arch = nn.Architecture(widths, ("relu",) * (L - 1) + ("identity",))
    W = tuple(rng.standard_normal((widths[l], widths[l - 1])) for l in range(1, L + 1))
    b = tuple(rng.standard_normal(widths[l]) for l in range(1, L + 1))
    return arch, nn.Parameters(W, b)


def _patterns(arch, theta, x: np.ndarray) -> np.ndarray:
    """The activation pattern (which hidden units are positive) at each point, shape (m, units)."""
    Z = nn.forward(arch, theta, x[:, None]).Z
    return np.concatenate([Z[l] > 0 for l in range(1, arch.depth)], axis=1)


@single_threaded
def breakpoints_are_exact(
    rng: np.random.Generator, *, breakpoints=approximation.breakpoints
) -> Evidence:
    r"""For random one-input ReLU networks (depth 2 to 4, widths 1 to 6, Gaussian parameters) on
    $[-3, 3]$: inside every interval of the returned partition the activation pattern of the
    forward pass is the same at 7 points (at relative positions $10^{-6}$, $1 - 10^{-6}$ and 5
    uniform ones: no switch was missed by more than $10^{-6}$ of the interval, while the
    algorithm's roots are accurate to rounding), and the patterns of any two neighbouring
    intervals differ (every returned point is a switch)."""
    missed, spurious, n, intervals = 0, 0, 12, 0
    for _ in range(n):
        arch, theta = _random_net(rng)
        P = breakpoints(arch, theta, -3.0, 3.0)
        p, q = P[:-1], P[1:]
        keep = (q - p) > 1e-9
        rel = np.concatenate([[1e-6, 1 - 1e-6], rng.uniform(0, 1, 5)])
        pts = p[keep, None] + (q - p)[keep, None] * rel[None, :]
        pats = _patterns(arch, theta, pts.ravel()).reshape(pts.shape[0], rel.size, -1)
        missed += int(np.count_nonzero(np.any(pats != pats[:, :1], axis=(1, 2))))
        mids = _patterns(arch, theta, (p + q)[keep] / 2)
        spurious += int(np.count_nonzero(np.all(mids[1:] == mids[:-1], axis=1)))
        intervals += int(keep.sum())
    return Evidence(
        n,
        (
            error(
                "intervals whose activation pattern is not constant",
                float(missed),
                0.0,
                units="intervals",
                at=f"{intervals} intervals",
            ),
            error(
                "returned points with the same pattern on both sides",
                float(spurious),
                0.0,
                units="points",
            ),
        ),
    )


@single_threaded
def piece_count_bound(
    rng: np.random.Generator,
    *,
    piece_bound=approximation.piece_bound,
    breakpoints=approximation.breakpoints,
) -> Evidence:
    r"""Random one-input ReLU networks: the number of intervals of the exact partition (hence of
    affine pieces) is at most $\prod_l(n_l + 1)$; one hidden layer with $n$ units switching at
    distinct points of $[-3, 3]$ and nonzero output weights has exactly $n + 1$ pieces (the
    bound, attained). ``piece_bound`` is checked against the product computed here."""
    ratios, formula, n = [], 0, 10
    for _ in range(n):
        arch, theta = _random_net(rng)
        P = breakpoints(arch, theta, -3.0, 3.0)
        vals = nn.forward(arch, theta, P[:, None]).output[:, 0]
        pieces = approximation.count_pieces(P, vals, 1e-9)
        bound = int(piece_bound(arch))
        formula = max(formula, abs(bound - math.prod(w + 1 for w in arch.widths[1:-1])))
        ratios.append((max(pieces, len(P) - 1), bound, arch.widths))
    attained = []
    for _ in range(4):
        k = int(rng.integers(1, 12))
        roots = np.sort(rng.uniform(-2.9, 2.9, k))
        w = rng.choice([-1.0, 1.0], k) * rng.uniform(0.5, 2, k)
        arch = nn.Architecture((1, k, 1), ("relu", "identity"))
        v = rng.choice([-1.0, 1.0], k) * rng.uniform(0.5, 2, k)
        theta = nn.Parameters((w[:, None], v[None, :]), (-w * roots, np.zeros(1)))
        P = breakpoints(arch, theta, -3.0, 3.0)
        vals = nn.forward(arch, theta, P[:, None]).output[:, 0]
        attained.append((approximation.count_pieces(P, vals, 1e-9), int(piece_bound(arch)), k))
    i = int(np.argmax([r / b for r, b, _ in ratios]))
    j = int(np.argmax([abs(r - b) for r, b, _ in attained]))
    return Evidence(
        n + len(attained),
        (
            upper(
                "intervals of the partition against $\\prod_l(n_l + 1)$",
                float(ratios[i][0]),
                float(ratios[i][1]),
                units="pieces",
                at=f"widths {ratios[i][2]}",
            ),
            equal(
                "pieces of one hidden layer of n units switching inside",
                float(attained[j][0]),
                float(attained[j][1]),
                0.0,
                units="pieces",
                at=f"n = {attained[j][2]}",
                attains=True,
            ),
            error("piece_bound against the product", float(formula), 0.0, units="pieces"),
        ),
    )


def _tent_iterate(x: np.ndarray, k: int) -> np.ndarray:
    for _ in range(k):
        x = np.where(x <= 0.5, 2 * x, 2 - 2 * x)
    return x


@single_threaded
def sawtooth_exact(
    rng: np.random.Generator,
    *,
    sawtooth_network=approximation.sawtooth_network,
    sawtooth=approximation.sawtooth,
) -> Evidence:
    r"""$\Delta^k$, $k\le12$: the network of ``sawtooth_network`` (forward pass) and the closed form
    ``sawtooth`` against the tent map $u\mapsto\min(2u, 2 - 2u)$ iterated $k$ times, at 2000
    uniform and all dyadic points $j2^{-k-1}$ (tolerance $2^{k+2}u$: each composition at most
    doubles an error); the number of affine pieces on $[0, 1]$ from the exact partition and
    ``count_pieces``, and independently the number of monotone runs of the values at the points
    $j2^{-k-1}$, both against $2^k$."""
    u = np.finfo(np.float64).eps / 2
    err, count_err, runs_err, n = 0.0, 0, 0, 6
    ks = []
    for _ in range(n):
        k = int(rng.integers(1, 13))
        ks.append(k)
        dyadic = np.arange(2 ** (k + 1) + 1) / 2 ** (k + 1)
        x = np.concatenate([rng.uniform(0, 1, 2000), dyadic])
        arch, theta = sawtooth_network(k)
        net = nn.forward(arch, theta, x[:, None]).output[:, 0]
        ref = _tent_iterate(x, k)
        err = max(
            err,
            float(np.max(np.abs(net - ref))) / 2 ** (k + 2),
            float(np.max(np.abs(sawtooth(x, k) - ref))) / 2 ** (k + 2),
        )
        P = approximation.breakpoints(arch, theta, 0.0, 1.0)
        vals = nn.forward(arch, theta, P[:, None]).output[:, 0]
        count_err = max(count_err, abs(approximation.count_pieces(P, vals, 1e-12) - 2**k))
        d = np.sign(np.diff(ref[-dyadic.size :]))
        runs = 1 + int(np.count_nonzero(d[1:] != d[:-1]))
        runs_err = max(runs_err, abs(runs - 2**k))
    return Evidence(
        n,
        (
            error(
                "$\\max|\\Delta^k_{\\mathrm{net}} - T^k|/2^{k+2}$ and the same for the closed form",
                err,
                u,
                units="absolute error, divided by 2^(k+2)",
            ),
            error(
                "largest |pieces of the network on [0, 1] - 2^k|",
                float(count_err),
                0.0,
                units="pieces",
                at=f"k in {sorted(set(ks))}",
            ),
            error(
                "largest |monotone runs at the points j 2^{-k-1} - 2^k|",
                float(runs_err),
                0.0,
                units="pieces",
            ),
        ),
    )


def _trapezoid_with_crossings(x: np.ndarray, d: np.ndarray) -> tuple[float, float]:
    """The integral of |d| for d affine between the nodes: the zeros of d inside segments are
    added as nodes, then the trapezoid rule (exact for a function affine between its nodes) is
    applied to |d|. Returns the integral and the integral of |d| computed without cancellation
    (its scale for rounding)."""
    d0, d1 = d[:-1], d[1:]
    cross = d0 * d1 < 0
    z = x[:-1][cross] + (x[1:] - x[:-1])[cross] * d0[cross] / (d0[cross] - d1[cross])
    xs = np.concatenate([x, z])
    ds = np.concatenate([np.abs(d), np.zeros(z.size)])
    order = np.argsort(xs, kind="stable")
    xs, ds = xs[order], ds[order]
    val = float(np.sum(np.diff(xs) * (ds[:-1] + ds[1:]) / 2))
    return val, max(val, 1e-300)


def _tooth_matching(k: int, teeth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A function equal to Delta^k on the given teeth (indices in [0, 2^(k-1))) and 1/2 elsewhere,
    as nodes and values."""
    w = 2.0 ** (1 - k)
    nodes, vals = [0.0], [0.5]
    for j in sorted(teeth):
        a = j * w
        for x, v in ((a, 0.5), (a, 0.0), (a + w / 2, 1.0), (a + w, 0.0), (a + w, 0.5)):
            nodes.append(x)
            vals.append(v)
    nodes.append(1.0)
    vals.append(0.5)
    # at a repeated node (two values would be a jump) keep the tooth's own value, 0
    out_x: list[float] = []
    out_y: list[float] = []
    for xi, yi in zip(nodes, vals):
        if out_x and xi == out_x[-1]:
            out_y[-1] = yi if yi != 0.5 else out_y[-1]
            continue
        out_x.append(xi)
        out_y.append(yi)
    return np.array(out_x), np.array(out_y)


@single_threaded
def depth_separation_bound(
    rng: np.random.Generator,
    *,
    telgarsky_bound=approximation.telgarsky_bound,
    l1_distance=approximation.l1_distance,
) -> Evidence:
    r"""$\int_0^1|\Delta^k - g|$ (exact, ``l1_distance`` on the merged nodes, checked against
    the trapezoid rule on the nodes and the zeros of $\Delta^k - g$) against $\frac14(1 - 2(t - 1)/2^k)$ for $g$ with $t$ pieces: random
    $g$; $g$ equal to $\Delta^k$ on random teeth and $\frac12$ elsewhere (the best a few pieces can
    do); and $g\equiv\frac12$, $t = 1$, where the integral is $\frac14$ (attainment)."""
    ratios, quad_err, att, n = [], 0.0, [], 0
    for _ in range(6):
        k = int(rng.integers(3, 11))
        cases = []
        t = int(rng.integers(2, 2 ** (k - 1)))
        gx = np.sort(np.concatenate([[0.0, 1.0], rng.uniform(0, 1, t - 1)]))
        cases.append((gx, rng.uniform(0, 1, gx.size)))
        r = int(rng.integers(1, max(2, 2 ** (k - 3))))
        cases.append(_tooth_matching(k, rng.choice(2 ** (k - 1), size=r, replace=False)))
        cases.append((np.array([0.0, 1.0]), np.array([0.5, 0.5])))
        for gx, gy in cases:
            n += 1
            pieces = approximation.count_pieces(gx, gy)
            saw = np.arange(2**k + 1) / 2**k
            x = np.unique(np.concatenate([gx, saw]))
            hk = approximation.sawtooth(x, k)
            g = np.interp(x, gx, gy)
            val = float(l1_distance(x, hk, g))
            ref, scale = _trapezoid_with_crossings(x, hk - g)
            quad_err = max(quad_err, abs(val - ref) / scale)
            bound = float(telgarsky_bound(k, pieces))
            tol = gamma(x.size + 4) * val  # a sum of x.size non-negative terms
            ratios.append((val, bound, k, pieces, tol))
            if pieces == 1:
                att.append((val, bound, k, tol))
    i = int(np.argmin([v / b if b > 0 else np.inf for v, b, _, _, _ in ratios]))
    j = int(np.argmax([abs(v - b) for v, b, _, _ in att]))
    v, b, k, t, tol = ratios[i]
    return Evidence(
        n,
        (
            lower(
                r"$\int_0^1|\Delta^k - g|$ against $\frac14(1 - 2(t-1)/2^k)$",
                v,
                b,
                slack=tol,
                units="L1 distance",
                at=f"k = {k}, t = {t}",
            ),
            equal(
                r"$\int_0^1|\Delta^k - \frac12|$ against the bound at $t = 1$",
                att[j][0],
                att[j][1],
                att[j][3],
                units="L1 distance",
                at=f"k = {att[j][2]}",
                attains=True,
            ),
            error(
                "exact L1 distance against the trapezoid rule with the crossings as nodes",
                quad_err,
                64 * 2**-53 * 2**11,
            ),
        ),
    )


CLAIMS = (
    Witness(
        "def-apx-pieces",
        pieces_of_built_functions,
        "count_pieces on functions built with a known number of pieces",
        strength="exact",
    ),
    Witness(
        "alg-apx-breakpoints",
        breakpoints_are_exact,
        "activation patterns constant inside every interval and different across every point",
        strength="exact",
    ),
    Witness(
        "thm-apx-pieces",
        piece_count_bound,
        "pieces of random networks against prod (n_l + 1); equality for one hidden layer",
        strength="sharp",
    ),
    Witness(
        "prop-apx-sawtooth",
        sawtooth_exact,
        "the sawtooth network against the iterated tent map; exactly 2^k pieces",
        strength="exact",
    ),
    Witness(
        "thm-apx-depth-separation",
        depth_separation_bound,
        "exact L1 distances of t-piece functions to the sawtooth against the bound; equality at t = 1",
        strength="sharp",
    ),
)
