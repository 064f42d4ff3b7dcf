r"""Witnesses of Section "Squares and products": `prop-apx-square`, `prop-apx-square-lower`,
`cor-apx-product`.

References: $x^2$ and $xy$ computed directly (in float64), NumPy's ``interp`` on the dyadic grid,
and the maximum of $|x^2 - (\alpha x + \beta)|$ on an interval in closed form (at the ends or at
the vertex $x = \alpha/2$)."""

from __future__ import annotations

import numpy as np

from ... import approximation, nn
from ...registry import Witness
from ._common import Evidence, equal, error, gamma, lower, single_threaded


@single_threaded
def square_error_exact(
    rng: np.random.Generator,
    dtype: np.dtype = np.dtype("float64"),
    *,
    square_network=approximation.square_network,
) -> Evidence:
    r"""The network of ``square_network(m)`` (forward pass in ``dtype``) at every midpoint
    $(2j + 1)2^{-m-1}$, every grid point $j2^{-m}$ and 1000 uniform points: (1) it equals NumPy's
    ``interp`` of $x^2$ on the grid $j2^{-m}$ and the closed form ``square_approximation``
    (tolerance $16(m + 3)u$: $m + 1$ layers of sums of at most 3 terms of size $\le 2$);
    (2) $\max(f_m - x^2)\cdot 2^{2m+2} = 1$ (tolerance $16(m+3)u\,4^{m+1}$) and
    $\min(f_m - x^2)\ge 0$ up to the same rounding; (3) the architecture is $(1, 3, \dots, 3, 1)$
    with $m$ hidden layers and the parameters number $12m - 2$ (counted from the arrays).
    $m\le10$ in float64, $m\le4$ in float32."""
    u = float(np.finfo(dtype).eps) / 2
    top = 10 if dtype == np.float64 else 4
    eq_err, scaled, low, shape_err, n = 0.0, [], 0.0, 0, 5
    for _ in range(n):
        m = int(rng.integers(1, top + 1))
        grid = np.arange(2**m + 1) / 2**m
        mids = (np.arange(2**m) + 0.5) / 2**m
        x = np.concatenate([grid, mids, rng.uniform(0, 1, 1000)]).astype(dtype)
        arch, theta = square_network(m)
        count = sum(int(W.size) for W in theta.W) + sum(int(b.size) for b in theta.b)
        shape_err = max(
            shape_err, int(tuple(arch.widths) != (1, *[3] * m, 1)) + abs(count - (12 * m - 2))
        )
        theta = theta.map(lambda a: a.astype(dtype))
        f = nn.forward(arch, theta, x[:, None]).output[:, 0].astype(np.float64)
        x64 = x.astype(np.float64)
        tol = 16 * (m + 3) * u
        interp = np.interp(x64, grid, grid**2)
        closed = approximation.square_approximation(x64, m)
        eq_err = max(
            eq_err, float(np.max(np.abs(f - interp))) / tol, float(np.max(np.abs(f - closed))) / tol
        )
        e = f - x64 * x64
        scaled.append((float(np.max(e)) * 4.0 ** (m + 1), tol * 4.0 ** (m + 1), m))
        low = max(low, float(-np.min(e)) / tol)
    k = int(np.argmax([abs(s - 1) / t for s, t, _ in scaled]))
    s, t, m = scaled[k]
    return Evidence(
        n,
        (
            error(
                "network against interp of $x^2$ and the closed form, in units of $16(m+3)u$",
                eq_err,
                1.0,
                units="rounding units",
            ),
            equal(
                r"$\max_{[0,1]}(f_m - x^2)\cdot 2^{2m+2}$", s, 1.0, t, units="ratio", at=f"m = {m}"
            ),
            error(r"$\max(x^2 - f_m, 0)$ in units of $16(m+3)u$", low, 1.0, units="rounding units"),
            error(
                "widths other than $(1, 3, \\dots, 3, 1)$, and parameters other than $12m - 2$",
                shape_err,
                0,
                units="count",
            ),
        ),
    )


def _sup_square_error(nodes: np.ndarray, vals: np.ndarray) -> float:
    """max over [0, 1] of |x^2 - g| for g affine between the nodes: per segment, at the ends and at
    the vertex x = alpha / 2 of x^2 - alpha x - beta when it lies inside."""
    a = np.diff(vals) / np.diff(nodes)
    b = vals[:-1] - a * nodes[:-1]
    ends = np.abs(nodes**2 - vals)
    v = np.clip(a / 2, nodes[:-1], nodes[1:])
    inner = np.abs(v * v - a * v - b)
    return float(max(np.max(ends), np.max(inner)))


@single_threaded
def square_lower_bound(
    rng: np.random.Generator, *, square_lower_bound=approximation.square_lower_bound
) -> Evidence:
    r"""$\sup_{[0,1]}|x^2 - g|$ (closed form per affine piece) against $1/(8t^2)$ for continuous
    piecewise linear $g$ with $t$ pieces: the interpolant of $x^2$ on $t$ random pieces shifted by
    half its error, and random perturbations of the optimum; the interpolant on $t$ equal pieces
    shifted down by $1/(8t^2)$ attains the bound (equality to rounding)."""
    ratios, att, n = [], [], 0
    for _ in range(8):
        t = int(rng.integers(1, 41))
        uniform = np.linspace(0, 1, t + 1)
        opt = uniform**2 - 1 / (8 * t * t)
        cases = [(uniform, opt, True)]
        knots = np.sort(np.concatenate([[0.0, 1.0], rng.uniform(0, 1, t - 1)]))
        if np.all(np.diff(knots) > 0):
            e = max(np.diff(knots)) ** 2 / 4
            cases.append((knots, knots**2 - e / 2, False))
        cases.append((uniform, opt + rng.normal(0, 0.1 / t**2, t + 1), False))
        for nodes, vals, optimal in cases:
            n += 1
            pieces = approximation.count_pieces(nodes, vals)
            sup = _sup_square_error(nodes, vals)
            bound = float(square_lower_bound(pieces))
            ratios.append((sup, bound, pieces))
            if optimal:
                att.append((sup, bound, pieces))
    i = int(np.argmin([s / b for s, b, _ in ratios]))
    j = int(np.argmax([abs(s - b) / b for s, b, _ in att]))
    return Evidence(
        n,
        (
            lower(
                r"$\sup_{[0,1]}|x^2 - g|$ against $1/(8t^2)$",
                ratios[i][0],
                ratios[i][1],
                slack=gamma(4) * 2,
                units="sup error",
                at=f"t = {ratios[i][2]}",
            ),
            equal(
                r"the shifted uniform interpolant against $1/(8t^2)$",
                att[j][0],
                att[j][1],
                gamma(8) * 2,
                units="sup error",
                at=f"t = {att[j][2]}",
                attains=True,
            ),
        ),
    )


@single_threaded
def product_error_exact(
    rng: np.random.Generator, *, product_approximation=approximation.product_approximation
) -> Evidence:
    r"""$\max|P_m(x, y) - xy|$ over the lattice $(j2^{-m-1}, k2^{-m-1})$ (which contains the
    maximisers: $x, y$ neighbouring grid points, $(x + y)/2$ a midpoint) times $2^{2m+1}$ equals 1,
    and no uniform random point of $[0, 1]^2$ does worse; the lower bound: $\min(P_m - xy)$ over
    the lattice (which contains the minimisers: $x, y$ neighbouring midpoints, $(x + y)/2$ a grid
    point) times $2^{2m+2}$ equals $-1$, and no random point goes below; $m\le7$. Tolerance
    $64(m + 3)u\,4^{m+1}$ (three evaluations of $f_m$, each of $m$ terms)."""
    u = 2.0**-53
    vals, lows, n = [], [], 5
    for _ in range(n):
        m = int(rng.integers(1, 8))
        g = np.arange(2 ** (m + 1) + 1) / 2 ** (m + 1)
        X, Y = np.meshgrid(g, g)
        d_lat = product_approximation(X.ravel(), Y.ravel(), m) - (X * Y).ravel()
        lat = float(np.max(np.abs(d_lat)))
        x, y = rng.uniform(0, 1, 20000), rng.uniform(0, 1, 20000)
        d_ran = product_approximation(x, y, m) - x * y
        ran = float(np.max(np.abs(d_ran)))
        tol = 64 * (m + 3) * u * 4.0 ** (m + 1)
        vals.append((lat * 2.0 ** (2 * m + 1), ran * 2.0 ** (2 * m + 1), tol, m))
        lows.append(
            (float(np.min(d_lat)) * 4.0 ** (m + 1), float(np.min(d_ran)) * 4.0 ** (m + 1), tol, m)
        )
    k = int(np.argmax([abs(a - 1) / t for a, _, t, _ in vals]))
    a, _, t, m = vals[k]
    worst_random = max(b - 1 - t for _, b, t, _ in vals)
    j = int(np.argmax([abs(a + 1) / t for a, _, t, _ in lows]))
    lo, _, lo_t, lo_m = lows[j]
    below_random = max(-1 - b - t for _, b, t, _ in lows)
    return Evidence(
        n,
        (
            equal(
                r"$\max_{\mathrm{lattice}}|P_m - xy|\cdot 2^{2m+1}$",
                a,
                1.0,
                t,
                units="ratio",
                at=f"m = {m}",
            ),
            error(
                r"random points: $\max(|P_m - xy|\cdot2^{2m+1} - 1, 0)$",
                max(worst_random, 0.0),
                0.0,
                units="ratio",
            ),
            equal(
                r"$\min_{\mathrm{lattice}}(P_m - xy)\cdot 2^{2m+2}$",
                lo,
                -1.0,
                lo_t,
                units="ratio",
                at=f"m = {lo_m}",
            ),
            error(
                r"random points: $\max(-1 - (P_m - xy)\cdot2^{2m+2}, 0)$",
                max(below_random, 0.0),
                0.0,
                units="ratio",
            ),
        ),
    )


CLAIMS = (
    Witness(
        "prop-apx-square",
        square_error_exact,
        "the width-3 network equals the interpolant of x^2; its error times 2^(2m+2) is 1",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "prop-apx-square-lower",
        square_lower_bound,
        "sup |x^2 - g| of t-piece functions against 1/(8t^2); equality for the shifted interpolant",
        strength="sharp",
    ),
    Witness(
        "cor-apx-product",
        product_error_exact,
        "max |P_m - xy| times 2^(2m+1) is 1 and min (P_m - xy) times 2^(2m+2) is -1",
        strength="exact",
    ),
)
