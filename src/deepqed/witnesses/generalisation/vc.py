r"""Witnesses of Section "VC dimension": `def-gen-growth`, `lem-gen-sauer`, `thm-gen-cover`,
`cor-gen-vc-halfspaces`, `cor-gen-vc-rademacher`, `prop-gen-shattering`, `thm-gen-vc-nets`.

References: classes written out as 0-1 matrices; shattering decided by brute force here; linear
programmes with certificates (``generalisation.is_separable``) for single labellings; the forward
pass of the chapter *Feedforward networks*; binomial sums."""

from __future__ import annotations

import itertools
import math

import numpy as np

from ... import approximation, generalisation, nn
from ...registry import Witness
from ._common import Evidence, equal, error, single_threaded, upper


def _thresholds(n: int) -> np.ndarray:
    return np.array([[1 if i >= k else 0 for i in range(n)] for k in range(n + 1)])


def _intervals(n: int) -> np.ndarray:
    rows = [[0] * n]
    rows += [
        [1 if a <= i < b else 0 for i in range(n)] for a in range(n) for b in range(a + 1, n + 1)
    ]
    return np.array(rows)


@single_threaded
def growth_of_simple_classes(
    rng: np.random.Generator, *, restrictions=generalisation.restrictions
) -> Evidence:
    r"""``restrictions`` on thresholds $\mathbf 1\{x > \theta\}$ and intervals $\mathbf 1\{a < x\le b\}$
    restricted to $n$ distinct points of the line (written out from the points, with repetitions)
    against the closed forms $n + 1$ and $1 + n + \binom n2$ of their growth functions."""
    worst, n_inst = 0, 0
    for _ in range(6):
        n = int(rng.integers(1, 12))
        x = np.sort(rng.uniform(0, 1, n))
        thetas = np.concatenate([rng.uniform(-0.5, 1.5, 200), x])
        T = (x[None, :] > thetas[:, None]).astype(np.int64)
        ends = rng.uniform(-0.5, 1.5, (400, 2))
        a, b = ends.min(1), ends.max(1)
        pts = np.concatenate([[-1.0], x])
        a = np.concatenate([a, np.repeat(pts, pts.size)])
        b = np.concatenate([b, np.tile(pts, pts.size)])
        I = ((x[None, :] > a[:, None]) & (x[None, :] <= b[:, None])).astype(np.int64)
        worst = max(
            worst, abs(restrictions(T) - (n + 1)), abs(restrictions(I) - (1 + n + math.comb(n, 2)))
        )
        n_inst += 1
    return Evidence(
        n_inst,
        (error("largest |restrictions - growth function|", float(worst), 0.0, units="labellings"),),
    )


def _shattered_brute(H: np.ndarray) -> tuple[int, int]:
    """(number of shattered subsets, VC dimension) by checking every subset."""
    rows = np.unique(H, axis=0)
    n = H.shape[1]
    count, vc = 0, 0
    for size in range(n + 1):
        for I in itertools.combinations(range(n), size):
            if len({tuple(r) for r in rows[:, list(I)]}) == 2**size:
                count += 1
                vc = size
    return count, vc


@single_threaded
def sauer_sharp(
    rng: np.random.Generator,
    *,
    shattered_count=generalisation.shattered_count,
    sauer_bound=generalisation.sauer_bound,
) -> Evidence:
    r"""Random classes $\mathcal H\subseteq\{0, 1\}^n$ ($n\le9$): $\lvert\mathcal H\rvert\le$ the
    number of shattered subsets (``shattered_count``, checked against a brute-force count)
    $\le\sum_{i\le d}\binom ni$ (``sauer_bound``, checked against the binomial sum), $d$ the VC
    dimension found by brute force; the class of all vectors with at most $d$ ones attains the
    bound."""
    r1, r2, formula, counted, n_inst = [], [], 0, 0, 0
    for _ in range(6):
        n = int(rng.integers(2, 10))
        H = np.unique(
            (rng.random((int(rng.integers(2, 60)), n)) < rng.uniform(0.1, 0.9)).astype(np.int64),
            axis=0,
        )
        sc = shattered_count(H)
        ref, d = _shattered_brute(H)
        counted = max(counted, abs(sc - ref))
        b = sauer_bound(n, d)
        formula = max(formula, abs(b - sum(math.comb(n, i) for i in range(d + 1))))
        r1.append((H.shape[0], ref, f"n = {n}"))
        r2.append((ref, b, f"n = {n}, d = {d}"))
        n_inst += 1
    n, d = int(rng.integers(3, 10)), int(rng.integers(1, 4))
    ball = np.array([v for v in itertools.product((0, 1), repeat=n) if sum(v) <= d])
    i = int(np.argmax([a / b for a, b, _ in r1]))
    j = int(np.argmax([a / b for a, b, _ in r2]))
    return Evidence(
        n_inst + 1,
        (
            error("shattered_count against brute force", float(counted), 0.0, units="subsets"),
            error("sauer_bound against the binomial sum", float(formula), 0.0, units="labellings"),
            upper(
                r"$\lvert\mathcal H\rvert$ against the number of shattered subsets",
                float(r1[i][0]),
                float(r1[i][1]),
                units="labellings",
                at=r1[i][2],
            ),
            upper(
                r"shattered subsets against $\sum_{i\le d}\binom ni$",
                float(r2[j][0]),
                float(r2[j][1]),
                units="subsets",
                at=r2[j][2],
            ),
            equal(
                r"vectors with at most $d$ ones: $\lvert\mathcal H\rvert$ against the bound",
                float(ball.shape[0]),
                float(sauer_bound(n, d)),
                0.0,
                units="labellings",
                at=f"n = {n}, d = {d}",
                attains=True,
            ),
        ),
    )


@single_threaded
def sauer_exponential_form(
    rng: np.random.Generator, *, sauer_bound=generalisation.sauer_bound
) -> Evidence:
    r"""$\sum_{i\le d}\binom ni\le(en/d)^d$ for $1\le d\le n\le 200$ (exact integers against the
    real bound)."""
    worst = None
    for _ in range(40):
        n = int(rng.integers(1, 201))
        d = int(rng.integers(1, n + 1))
        c = (float(sauer_bound(n, d)), (math.e * n / d) ** d, f"n = {n}, d = {d}")
        if worst is None or c[0] / c[1] > worst[0] / worst[1]:
            worst = c
    return Evidence(
        40,
        (upper(r"$\sum_{i\le d}\binom ni$ against $(en/d)^d$", worst[0], worst[1], at=worst[2]),),
    )


@single_threaded
def cover_count_exact(
    rng: np.random.Generator,
    *,
    count_dichotomies=generalisation.count_dichotomies,
    cover_count=generalisation.cover_count,
) -> Evidence:
    r"""Gaussian points (general position almost surely): ``count_dichotomies`` (cells of the
    hyperplane arrangement) against $C(n, d) = 2\sum_{k<d}\binom{n-1}k$ (``cover_count``, checked
    against the recursion $C(n+1, d) = C(n, d) + C(n, d-1)$), homogeneous and affine ($C(n, d+1)$);
    and for one small set, the number of labellings that a certified linear programme
    (``generalisation.is_separable``) finds separable."""
    worst, formula, n_inst = 0, 0, 0
    for _ in range(6):
        n, d = int(rng.integers(1, 13)), int(rng.integers(1, 5))
        X = rng.standard_normal((n, d))
        worst = max(
            worst,
            abs(count_dichotomies(X) - cover_count(n, d)),
            abs(count_dichotomies(X, affine=True) - cover_count(n, d + 1)),
        )
        n_inst += 1

    def rec(m, k):
        if k == 0:
            return 0
        if m == 1:
            return 2
        return rec(m - 1, k) + rec(m - 1, k - 1)

    for m in range(1, 12):
        for k in range(1, 6):
            formula = max(formula, abs(cover_count(m, k) - rec(m, k)))
    n, d = 6, 2
    X = rng.standard_normal((n, d))
    lp = sum(
        generalisation.is_separable(X, np.array(y))
        for y in itertools.product((-1.0, 1.0), repeat=n)
    )
    return Evidence(
        n_inst + 1,
        (
            error(
                "largest |dichotomies - C(n, d)|, homogeneous and affine",
                float(worst),
                0.0,
                units="labellings",
            ),
            error("cover_count against the recursion", float(formula), 0.0, units="labellings"),
            equal(
                "separable labellings by linear programming against C(6, 2)",
                float(lp),
                float(cover_count(n, d)),
                0.0,
                units="labellings",
            ),
        ),
    )


@single_threaded
def halfspace_vc(
    rng: np.random.Generator, *, count_dichotomies=generalisation.count_dichotomies
) -> Evidence:
    r"""Homogeneous halfspaces of $\mathbb R^d$, $d\le4$: $d$ Gaussian points are shattered (all
    $2^d$ labellings); no $d + 1$ points are: for Gaussian points (count of the arrangement) and for
    degenerate ones (a repeated point, $d + 1$ points in a $(d-1)$-dimensional subspace; certified
    linear programmes), fewer than $2^{d+1}$ labellings."""
    missing, shattered, n_inst = 0, 0, 0
    for _ in range(3):
        d = int(rng.integers(1, 5))
        X = rng.standard_normal((d + 1, d))
        missing += int(count_dichotomies(X[:d]) != 2**d)
        shattered += int(count_dichotomies(X) == 2 ** (d + 1))
        for Y in (
            np.vstack([X[:d], X[:1]]),
            np.hstack([X[:, : d - 1], np.zeros((d + 1, 1))]) if d > 1 else None,
        ):
            if Y is None:
                continue
            lp = sum(
                generalisation.is_separable(Y, np.array(y))
                for y in itertools.product((-1.0, 1.0), repeat=d + 1)
            )
            shattered += int(lp == 2 ** (d + 1))
        n_inst += 1
    return Evidence(
        n_inst,
        (
            error("d-point sets not shattered", float(missing), 0.0, units="sets"),
            error(
                "(d+1)-point sets shattered (general and degenerate)",
                float(shattered),
                0.0,
                units="sets",
            ),
        ),
    )


@single_threaded
def vc_rademacher_thresholds(
    rng: np.random.Generator, *, vc_rademacher_bound=generalisation.vc_rademacher_bound
) -> Evidence:
    r"""Exact complexities of classes of VC dimension $d$ on $n$ points against
    $\sqrt{2d\log(en/d)/n}$: $\pm1$-valued thresholds ($d = 1$, $\hat{\mathfrak R}$ by
    ``threshold_rademacher``, times 2 for the values $\pm1$) and $\pm1$-valued intervals ($d = 2$,
    enumeration)."""
    ratios = []
    for n in sorted({int(v) for v in rng.integers(2, 400, 4)}):
        ratios.append(
            (
                2 * generalisation.threshold_rademacher(n),
                vc_rademacher_bound(n, 1),
                f"thresholds, n = {n}",
            )
        )
    for n in sorted({int(v) for v in rng.integers(2, 13, 3)}):
        A = 2.0 * _intervals(n) - 1
        ratios.append(
            (
                generalisation.rademacher_complexity(A),
                vc_rademacher_bound(n, 2),
                f"intervals, n = {n}",
            )
        )
    i = int(np.argmax([a / b for a, b, _ in ratios]))
    return Evidence(
        len(ratios),
        (
            upper(
                r"$\hat{\mathfrak R}_S$ against $\sqrt{2d\log(en/d)/n}$",
                ratios[i][0],
                ratios[i][1],
                slack=1e-14,
                at=ratios[i][2],
            ),
        ),
    )


def _step_network(X: np.ndarray, y: np.ndarray, rng: np.random.Generator):
    """sign(c + sum_j v_j 1{<a, x> > beta_j}) through the points (a step-activation network)."""
    a = rng.standard_normal(X.shape[1])
    z = X @ a
    order = np.argsort(z)
    zs, ys = z[order], y[order]
    beta = (zs[:-1] + zs[1:]) / 2
    v = np.diff(ys)

    def f(Xq):
        return ys[0] + ((Xq @ a)[:, None] > beta[None, :]).astype(float) @ v

    return f


@single_threaded
def shattering_by_networks(
    rng: np.random.Generator,
    *,
    interpolating_network=approximation.interpolating_network,
) -> Evidence:
    r"""Every labelling $y\in\{-1, 1\}^n$ of $n\le7$ random points of $\mathbb R^d$ is realised by
    $\operatorname{sign}f$ for the ReLU network of architecture $(d, n - 1, 1)$ of
    ``interpolating_network`` (evaluated by ``nn.forward``) and for the step network with the same
    breakpoints."""
    missed, total = 0, 0
    for _ in range(3):
        n, d = int(rng.integers(2, 8)), int(rng.integers(1, 5))
        X = rng.standard_normal((n, d))
        for labels in itertools.product((-1.0, 1.0), repeat=n):
            y = np.array(labels)
            arch, theta = interpolating_network(X, y, rng=rng)
            missed += int(np.any(np.sign(nn.forward(arch, theta, X).output[:, 0]) != y))
            missed += int(np.any(np.sign(_step_network(X, y, rng)(X)) != y))
            total += 1
    return Evidence(
        total,
        (
            error(
                "labellings not realised",
                float(missed),
                0.0,
                units="labellings",
                at=f"{total} labellings",
            ),
        ),
    )


def _ratio(c: tuple) -> float:
    return c[0] / c[1] if c[1] > 0 else (math.inf if c[0] > 0 else 0.0)


@single_threaded
def one_input_vc(rng: np.random.Generator, *, piece_bound=approximation.piece_bound) -> Evidence:
    r"""The one-input case, where everything is computable: a labelling of $n$ sorted points with
    $n - 1$ alternations needs $n - 1$ sign changes of $f_\theta$, at most one per affine piece, so
    $\operatorname{VC}\le\prod_l(n_l + 1) + 1$ ({prf:ref}`thm-apx-pieces`), far below the cited
    $O(WL\log W)$ for one hidden layer. Random ReLU networks (depth 2 to 4, widths 1 to 5, random
    biases): the sign changes of $f_\theta$ along 4000 sorted points against $\prod_l(n_l + 1)$."""
    worst, n_inst = None, 0
    x = np.sort(rng.uniform(-3, 3, 4000))
    for _ in range(8):
        L = int(rng.integers(2, 5))
        widths = (1, *[int(rng.integers(1, 6)) for _ in range(L - 1)], 1)
        arch = nn.Architecture(widths, ("relu",) * (L - 1) + ("identity",))
        theta = nn.init_parameters(arch, rng=rng)
        theta = nn.Parameters(theta.W, tuple(rng.standard_normal(b.shape) for b in theta.b))
        f = nn.forward(arch, theta, x[:, None]).output[:, 0]
        s = np.sign(f)
        changes = int(np.count_nonzero(s[1:] * s[:-1] < 0))
        c = (changes, int(piece_bound(arch)), f"widths {widths}")
        if worst is None or _ratio(c) > _ratio(worst):
            worst = c
        n_inst += 1
    return Evidence(
        n_inst,
        (
            upper(
                "sign changes along the line against prod (n_l + 1)",
                float(worst[0]),
                float(worst[1]),
                units="sign changes",
                at=worst[2],
            ),
        ),
    )


CLAIMS = (
    Witness(
        "def-gen-growth",
        growth_of_simple_classes,
        "restrictions of thresholds and intervals against their growth functions",
        strength="exact",
    ),
    Witness(
        "lem-gen-sauer",
        sauer_sharp,
        "random classes; the bound is attained by vectors with at most d ones",
        strength="sharp",
    ),
    Witness(
        "lem-gen-sauer",
        sauer_exponential_form,
        "the binomial sum against (en/d)^d",
        strength="validity",
        reason="(en/d)^d bounds the binomial sum with a factor that grows like sqrt(d) and is "
        "never attained",
    ),
    Witness(
        "thm-gen-cover",
        cover_count_exact,
        "cells of the arrangement and certified linear programmes against Cover's count",
        strength="exact",
    ),
    Witness(
        "cor-gen-vc-halfspaces",
        halfspace_vc,
        "d points shattered, d + 1 points (general or degenerate) not",
        strength="exact",
    ),
    Witness(
        "cor-gen-vc-rademacher",
        vc_rademacher_thresholds,
        "exact complexities of thresholds and intervals against the VC bound",
        strength="validity",
        reason="the bound combines Massart's lemma and Sauer's lemma, neither attained by these "
        "classes",
    ),
    Witness(
        "prop-gen-shattering",
        shattering_by_networks,
        "all labellings realised by the memorising ReLU network and the step network",
        strength="exact",
    ),
    Witness(
        "thm-gen-vc-nets",
        one_input_vc,
        "one input: sign changes of random ReLU networks against their pieces",
        strength="cited",
        reason="E. B. Baum and D. Haussler, What size net gives valid generalization?, Neural "
        "Computation 1(1):151-160, 1989 (threshold networks); P. L. Bartlett, N. Harvey, C. Liaw "
        "and A. Mehrabian, Nearly-tight VC-dimension and pseudodimension bounds for piecewise "
        "linear neural networks, JMLR 20(63):1-17, 2019 (the upper bound refined in its Theorem 7)",
    ),
)
