r"""Witnesses of Section "Rademacher complexity": `def-gen-rademacher`,
`lem-gen-rademacher-calculus`, `lem-gen-massart`, `lem-gen-contraction`, `prop-gen-linear-class`,
`thm-gen-khintchine`, `prop-gen-two-layer`.

References: Monte Carlo over independent sign vectors (normal intervals of level $1 - 10^{-6}$);
exact enumeration of the $2^n$ sign vectors done here, independently of the library; a dense grid
of directions for the two-layer class."""

from __future__ import annotations

import math

import numpy as np

from ... import generalisation
from ...registry import Witness
from ._common import (
    LEVEL,
    Evidence,
    equal,
    error,
    gamma,
    interval,
    lower,
    mean_interval,
    single_threaded,
    upper,
)


def _signs(n: int) -> np.ndarray:
    """All sign vectors, written here (not the library's)."""
    return np.array(np.meshgrid(*[[-1.0, 1.0]] * n, indexing="ij")).reshape(n, -1).T


def _exact(A: np.ndarray) -> float:
    n = A.shape[1]
    return float(np.mean(np.max(_signs(n) @ A.T, axis=1))) / n


def _random_sets(rng: np.random.Generator, count: int) -> list[np.ndarray]:
    out = []
    for k in range(count):
        n, N = int(rng.integers(2, 11)), int(rng.integers(1, 25))
        kind = k % 3
        if kind == 0:
            A = rng.standard_normal((N, n)) * rng.uniform(0.2, 3)
        elif kind == 1:
            A = rng.choice([-1.0, 1.0], (N, n))
        else:
            A = rng.standard_normal((N, n)) + rng.standard_normal(n) * 5  # far from the origin
        out.append(A)
    return out


@single_threaded
def rademacher_exact_vs_monte_carlo(
    rng: np.random.Generator, *, rademacher_complexity=generalisation.rademacher_complexity
) -> Evidence:
    r"""``rademacher_complexity`` (enumeration of $\{-1, 1\}^n$) against the Monte Carlo mean of
    $\max_{a\in A}\langle\varepsilon, a\rangle/n$ over 40 000 independent sign vectors, with its
    interval of level $1 - 10^{-6}$, for random finite sets (Gaussian, signs, far from the origin);
    and $\mathfrak R(\{a\}) = 0$ to rounding."""
    comps, worst, single = [], None, 0.0
    for A in _random_sets(rng, 6):
        n = A.shape[1]
        E = rng.choice([-1.0, 1.0], (40_000, n))
        est, lo, hi = mean_interval(np.max(E @ A.T, axis=1) / n)
        c = interval(
            r"Monte Carlo $\mathbb E\max_a\langle\varepsilon, a\rangle/n$ against the exact "
            r"$\mathfrak R(A)$",
            est,
            lo,
            hi,
            float(rademacher_complexity(A)),
            level=LEVEL,
            at=f"n = {n}, N = {A.shape[0]}",
        )
        if worst is None or c.deviation > worst.deviation:
            worst = c
        single = max(single, abs(float(rademacher_complexity(A[:1]))) / float(np.abs(A[0]).sum()))
    comps += [worst, error(r"$\mathfrak R(\{a\})/\|a\|_1$", single, 1e-15)]
    return Evidence(6 * 40_000, tuple(comps))


@single_threaded
def rademacher_calculus_exact(
    rng: np.random.Generator, *, rademacher_complexity=generalisation.rademacher_complexity
) -> Evidence:
    r"""For random finite sets $A$: $\mathfrak R(A + b) = \mathfrak R(A)$, $\mathfrak R(cA) =
    \lvert c\rvert\mathfrak R(A)$ ($c$ of either sign) and $\mathfrak R(A\cup C) = \mathfrak R(A)$
    for $C$ a set of random convex combinations of $A$, all with ``rademacher_complexity``, against
    $\mathfrak R(A)$ computed here by enumeration; relative errors, tolerance $10^{-12}$ (sums of
    $2^n\le2^{10}$ terms)."""
    worst = 0.0
    for A in _random_sets(rng, 6):
        N, n = A.shape
        ref = _exact(A)
        scale = max(float(np.mean(np.max(np.abs(A), axis=0))), 1e-300)
        b = rng.standard_normal(n) * 10
        c = float(rng.choice([-1, 1]) * rng.uniform(0.1, 5))
        Wts = rng.dirichlet(np.ones(N), size=5)
        vals = [
            abs(float(rademacher_complexity(A + b)) - ref),
            abs(float(rademacher_complexity(c * A)) - abs(c) * ref) / abs(c),
            abs(float(rademacher_complexity(np.vstack([A, Wts @ A]))) - ref),
        ]
        worst = max(worst, max(vals) / scale)
    return Evidence(
        6,
        (
            error(
                r"translation, scaling and convex hull against the exact $\mathfrak R(A)$",
                worst,
                1e-12,
            ),
        ),
    )


@single_threaded
def massart_exact(
    rng: np.random.Generator, *, massart_bound=generalisation.massart_bound
) -> Evidence:
    r"""The exact $\mathfrak R(A)$ (enumeration) against $\max\|a\|\sqrt{2\log N}/n$ for random sets,
    the rows of a Hadamard matrix, all of $\{-1, 1\}^n$, and $A = \{e_1, -e_1\}$ (ratio
    $1/\sqrt{2\log2}\approx0.85$, the largest at these sizes); the formula against its closed
    form."""
    sets = _random_sets(rng, 5)
    n = int(rng.choice([4, 8]))
    H = np.array([[1.0]])
    while H.shape[0] < n:
        H = np.block([[H, H], [H, -H]])
    sets += [H, _signs(int(rng.integers(2, 9))), np.vstack([np.eye(n)[:1], -np.eye(n)[:1]])]
    ratios, formula = [], 0.0
    for A in sets:
        N, m = A.shape
        b = float(massart_bound(A))
        closed = float(np.max(np.linalg.norm(A, axis=1))) * math.sqrt(2 * math.log(N)) / m
        formula = max(formula, abs(b - closed) / max(closed, 1e-300))
        if N > 1:
            ratios.append((_exact(A), b, f"n = {m}, N = {N}"))
    i = int(np.argmax([r / b for r, b, _ in ratios]))
    return Evidence(
        len(sets),
        (
            upper(
                r"$\mathfrak R(A)$ against $\max\|a\|\sqrt{2\log N}/n$",
                ratios[i][0],
                ratios[i][1],
                slack=1e-14,
                at=ratios[i][2],
            ),
            error("the bound's formula against its closed form", formula, 1e-14),
        ),
    )


def _random_lipschitz(rng: np.random.Generator, rho: float, n: int):
    """n piecewise linear functions with slopes in [-rho, rho] (rho-Lipschitz)."""
    knots = np.sort(rng.normal(0, 1.5, (n, 4)), axis=1)
    slopes = rng.choice([-1.0, 1.0], (n, 5)) * rho * rng.uniform(0.5, 1.0, (n, 5))
    slopes[:, ::2] = np.sign(slopes[:, ::2]) * rho

    def phi(A):
        out = np.zeros_like(A)
        for i in range(n):
            t = A[:, i]
            val = slopes[i, 0] * t
            for k in range(4):
                val = val + (slopes[i, k + 1] - slopes[i, k]) * np.maximum(t - knots[i, k], 0)
            out[:, i] = val
        return out

    return phi


@single_threaded
def contraction_exact(rng: np.random.Generator, *, lipschitz: float = 1.0) -> Evidence:
    r"""Exact $\mathfrak R(\varphi\circ A)/\mathfrak R(A)$ (enumeration) for random finite sets and,
    per set, the largest ratio over 20 random $\rho$-Lipschitz piecewise linear $\varphi_i$ (slopes
    $\pm\rho$ and smaller, different for each coordinate), against the constant ``lipschitz``
    $=\rho = 1$; $\varphi_i(t) = \rho t + c_i$ gives equality (attainment); and the necessity of the
    hypothesis: for the Hölder but not Lipschitz $\varphi(t) = \operatorname{sign}(t)\sqrt{\lvert
    t\rvert}$ and $A$ scaled by $10^{-4}$ the ratio exceeds 10."""
    rho = 1.0
    worst, att, n_inst, tol = None, 0.0, 0, 0.0
    for A in _random_sets(rng, 4):
        n = A.shape[1]
        if A.shape[0] == 1:  # one point: R(A) = 0 and no ratio is defined
            A = np.vstack([A, rng.standard_normal(A.shape)])
        base = _exact(A)
        for _ in range(20):
            phi = _random_lipschitz(rng, rho, n)
            ratio = _exact(phi(A)) / base
            if worst is None or ratio > worst[0]:
                worst = (ratio, f"n = {n}, N = {A.shape[0]}")
            n_inst += 1
        c = rng.standard_normal(n)
        att = max(att, abs(_exact(rho * A + c) / base - 1))
        # each <eps, a> carries the error gamma_n sum |a_i|, the mean over 2^n terms gamma_{2^n}
        scale = float(np.max(np.sum(np.abs(rho * A + c), axis=1))) / n
        tol = max(tol, 4 * (gamma(n + 2) * scale + gamma(2**n + 2) * base) / base)
    A = rng.standard_normal((12, 8)) * 1e-4
    holder = _exact(np.sign(A) * np.sqrt(np.abs(A))) / _exact(A)
    return Evidence(
        n_inst,
        (
            upper(
                r"$\max_\varphi\mathfrak R(\varphi\circ A)/\mathfrak R(A)$ against $\rho$",
                worst[0],
                lipschitz,
                slack=tol,
                units="ratio",
                at=worst[1],
            ),
            equal(
                r"$\varphi_i(t) = \rho t + c_i$: the ratio against $\rho$",
                1.0 + att,
                lipschitz,
                tol,
                units="ratio",
                attains=True,
            ),
            error(
                r"necessity: $\varphi = \operatorname{sign}\sqrt{\lvert\cdot\rvert}$, $A$ of size "
                r"$10^{-4}$: how far $\mathfrak R(\varphi\circ A)/\mathfrak R(A)$ stays below 10",
                max(0.0, 10.0 - holder),
                0.0,
                units="ratio",
                at=f"ratio {holder:.3g}",
            ),
        ),
    )


def _linear_exact(X: np.ndarray, B: float) -> float:
    n = X.shape[0]
    return B * float(np.mean(np.linalg.norm(_signs(n) @ X, axis=1))) / n


@single_threaded
def linear_class_upper(
    rng: np.random.Generator,
    *,
    linear_class_complexity=generalisation.linear_class_complexity,
    linear_class_bounds=generalisation.linear_class_bounds,
) -> Evidence:
    r"""``linear_class_complexity`` against the enumeration written here, and the upper bound
    $\frac Bn(\sum_i\|x_i\|^2)^{1/2}$ for random samples ($n\le12$, $d\le5$, varied norms); one
    point ($n = 1$) attains it: $\hat{\mathfrak R} = B\|x_1\|$."""
    ratios, agree, n_inst = [], 0.0, 0
    for k in range(8):
        n, d = int(rng.integers(1, 13)) if k else 1, int(rng.integers(1, 6))
        X = rng.standard_normal((n, d)) * rng.uniform(0.1, 3, (n, 1))
        B = float(rng.uniform(0.5, 2))
        val = float(linear_class_complexity(X, B))
        agree = max(agree, abs(val - _linear_exact(X, B)) / (B * float(np.linalg.norm(X))))
        ratios.append((val, float(linear_class_bounds(X, B)[2]), n))
        n_inst += 1
    i = int(np.argmax([v / b for v, b, _ in ratios[1:]])) + 1
    return Evidence(
        n_inst,
        (
            error("the library's complexity against the enumeration here", agree, 1e-13),
            upper(
                r"$\hat{\mathfrak R}_S(\mathcal F_B)$ against $\frac Bn(\sum\|x_i\|^2)^{1/2}$",
                ratios[i][0],
                ratios[i][1],
                slack=1e-13,
                at=f"n = {ratios[i][2]}",
            ),
            equal(
                "one point: the complexity against the bound",
                ratios[0][0],
                ratios[0][1],
                1e-13 * ratios[0][1],
                attains=True,
                at="n = 1",
            ),
        ),
    )


@single_threaded
def linear_class_lower(
    rng: np.random.Generator, *, linear_class_bounds=generalisation.linear_class_bounds
) -> Evidence:
    r"""The exact $\hat{\mathfrak R}_S(\mathcal F_B)$ (enumeration) against the lower bound
    $\frac B{n\sqrt3}(\sum_i\|x_i\|^2)^{1/2}$ proved here, for random samples and for equal points
    (where the ratio is smallest, $\sqrt{3/2}\approx1.22$ for two of them)."""
    ratios = []
    for k in range(8):
        n, d = int(rng.integers(2, 13)), int(rng.integers(1, 6))
        X = rng.standard_normal((n, d)) * rng.uniform(0.1, 3, (n, 1))
        if k < 2:
            X = np.repeat(X[:1], 2 if k == 0 else n, axis=0)
        B = float(rng.uniform(0.5, 2))
        ratios.append((_linear_exact(X, B), float(linear_class_bounds(X, B)[0]), X.shape[0]))
    i = int(np.argmin([v / b for v, b, _ in ratios]))
    return Evidence(
        8,
        (
            lower(
                r"$\hat{\mathfrak R}_S(\mathcal F_B)$ against $\frac B{n\sqrt3}(\sum\|x_i\|^2)^{1/2}$",
                ratios[i][0],
                ratios[i][1],
                slack=1e-13,
                at=f"n = {ratios[i][2]}",
            ),
        ),
    )


@single_threaded
def khintchine_exact(
    rng: np.random.Generator, *, linear_class_bounds=generalisation.linear_class_bounds
) -> Evidence:
    r"""$\mathbb E\|\sum_i\varepsilon_ix_i\|$ (enumeration) against
    $2^{-1/2}(\sum_i\|x_i\|^2)^{1/2}$ (through the middle bound of ``linear_class_bounds`` with
    $B = n$) for random vectors, vectors of equal norms and equal vectors; $x_1 = x_2$ attains it."""
    ratios = []
    for k in range(8):
        n, d = int(rng.integers(2, 13)), int(rng.integers(1, 6))
        X = rng.standard_normal((n, d))
        if k % 3 == 1:
            X /= np.linalg.norm(X, axis=1, keepdims=True)
        if k % 3 == 2:
            X = np.repeat(X[:1], n, axis=0)
        ratios.append((_linear_exact(X, n), float(linear_class_bounds(X, n)[1]), n))
    X = np.repeat(rng.standard_normal((1, 3)), 2, axis=0)
    pair = (_linear_exact(X, 2), float(linear_class_bounds(X, 2)[1]))
    i = int(np.argmin([v / b for v, b, _ in ratios]))
    return Evidence(
        9,
        (
            lower(
                r"$\mathbb E\|\sum\varepsilon_ix_i\|$ against $2^{-1/2}(\sum\|x_i\|^2)^{1/2}$",
                ratios[i][0],
                ratios[i][1],
                slack=1e-13,
                at=f"n = {ratios[i][2]}",
            ),
            equal(
                r"$x_1 = x_2$: $\mathbb E\|\varepsilon_1x_1 + \varepsilon_2x_2\|$ against the bound",
                pair[0],
                pair[1],
                1e-13 * pair[1],
                attains=True,
            ),
        ),
    )


@single_threaded
def two_layer_exact(
    rng: np.random.Generator,
    *,
    path_norm_complexity=generalisation.path_norm_complexity,
    path_norm_bound=generalisation.path_norm_bound,
) -> Evidence:
    r"""For points in the plane: ``path_norm_complexity`` (exact, by arcs of the circle) against an
    independent evaluation on 4096 equally spaced directions, which is below the exact value by at
    most $\frac Bn\sum_i\|x_i\|\cdot\pi/4096$ (the sum is $\sum_i\|x_i\|$-Lipschitz in the angle);
    and the exact value against the width-free bound $\frac{2B}n(\sum_i\|x_i\|^2)^{1/2}$."""
    ratios, gap, n_inst = [], 0.0, 0
    ang = np.linspace(0, 2 * np.pi, 4097)[:-1]
    U = np.stack([np.cos(ang), np.sin(ang)], axis=1)
    for _ in range(5):
        n = int(rng.integers(2, 11))
        X = rng.standard_normal((n, 2)) * rng.uniform(0.3, 2, (n, 1))
        B = float(rng.uniform(0.5, 2))
        val = float(path_norm_complexity(X, B))
        Hm = np.maximum(U @ X.T, 0) @ _signs(n).T  # (directions, 2^n)
        grid = B * float(np.mean(np.maximum(np.maximum(Hm.max(0), (-Hm).max(0)), 0))) / n
        tol = B * float(np.linalg.norm(X, axis=1).sum()) * np.pi / 4096 / n
        gap = max(gap, max(grid - val, val - grid - tol) / tol)
        ratios.append((val, float(path_norm_bound(X, B)), n))
        n_inst += 1
    i = int(np.argmax([v / b for v, b, _ in ratios]))
    return Evidence(
        n_inst,
        (
            error(
                "exact complexity outside [grid value, grid value + tolerance], in tolerances",
                max(gap, 0.0),
                1e-9,
                units="tolerances",
                at="4096 directions",
            ),
            upper(
                r"$\hat{\mathfrak R}_S$ of path norm $\le B$ against $\frac{2B}n(\sum\|x_i\|^2)^{1/2}$",
                ratios[i][0],
                ratios[i][1],
                slack=1e-13,
                at=f"n = {ratios[i][2]}",
            ),
        ),
    )


CLAIMS = (
    Witness(
        "def-gen-rademacher",
        rademacher_exact_vs_monte_carlo,
        "exact enumeration against Monte Carlo over sign vectors",
        strength="exact",
    ),
    Witness(
        "lem-gen-rademacher-calculus",
        rademacher_calculus_exact,
        "translation, scaling and convex hull on random finite sets, by enumeration",
        strength="exact",
    ),
    Witness(
        "lem-gen-massart",
        massart_exact,
        "exact complexities of random, Hadamard and sign sets against Massart's bound",
        strength="validity",
        reason="the constant sqrt(2 log N) is the Gaussian maximum's and is approached only as "
        "N tends to infinity; at the sizes that can be enumerated the ratio stays below 0.85",
    ),
    Witness(
        "lem-gen-contraction",
        contraction_exact,
        "adversarial Lipschitz maps against rho; equality for affine maps; a non-Lipschitz map fails",
        strength="sharp",
    ),
    Witness(
        "prop-gen-linear-class",
        linear_class_upper,
        "exact complexity of the linear class against its upper bound; equality for one point",
        strength="sharp",
    ),
    Witness(
        "prop-gen-linear-class",
        linear_class_lower,
        "exact complexity against the lower bound with 1/sqrt 3",
        strength="validity",
        reason="1/sqrt 3 is not the best constant; the best, 1/sqrt 2, is the cited Khintchine-"
        "Kahane inequality (the next theorem), checked there",
    ),
    Witness(
        "thm-gen-khintchine",
        khintchine_exact,
        "exact E||sum eps_i x_i|| against 2^(-1/2) (sum ||x_i||^2)^(1/2); equality for x_1 = x_2",
        strength="cited",
        reason="R. Latala and K. Oleszkiewicz, On the best constant in the Khinchine-Kahane "
        "inequality, Studia Mathematica 109(1):101-104, 1994",
    ),
    Witness(
        "prop-gen-two-layer",
        two_layer_exact,
        "exact complexity of two-layer ReLU networks of bounded path norm in the plane against the bound",
        strength="validity",
        reason="the factor 2 (from the absolute value) and Jensen's inequality are not attained: "
        "the ratio is at most 1/2 for one point",
    ),
)
