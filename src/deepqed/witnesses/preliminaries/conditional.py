r"""Witnesses of Section "Conditional expectation": `def-conditional-expectation`,
`thm-condexp-projection`, `cor-condexp-properties`, on finite probability spaces.

A random instance: ``N`` atoms with probabilities ``p`` (some of them zero), a random partition
into at most ``r`` cells, and a random variable ``X``. References: the defining property itself,
weighted least squares onto the cells' indicators (``numpy.linalg.lstsq``), and nested
partitions built by merging cells. Tolerances are rounding bounds of sums of ``N`` products
(:mod:`._common`), relative to ``E|X|`` (and ``E|Z|`` for a second variable)."""

from __future__ import annotations

import numpy as np

from ... import probability
from ...registry import Witness
from .._common import Evidence, error, single_threaded
from ._common import gamma


def _instance(rng: np.random.Generator, dtype=np.float64):
    N = int(rng.integers(2, 30))
    p = rng.dirichlet(np.ones(N)) * (rng.random(N) > 0.15)
    if p.sum() == 0:
        p[0] = 1.0
    p = (p / p.sum()).astype(dtype)
    labels = rng.integers(0, int(rng.integers(1, 8)), size=N)
    X = (rng.standard_normal(N) * 3).astype(dtype)
    return p, X, labels


@single_threaded
def condexp_defining_property(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = np.dtype("float64"),
    conditional_expectation=probability.conditional_expectation,
) -> Evidence:
    """``Y = E[X | G]`` is constant on every cell (G-measurable: exactly, it is one value per cell)
    and ``E[Y 1_G] = E[X 1_G]`` for every cell and for random unions of cells (the sets of G),
    within ``4 gamma_(N+2)`` relative to ``E|X|`` (the rounding of the library's averages, in the
    dtype of ``p`` and ``X``, and of the two sums)."""
    n = 40
    spread = integral = 0.0
    for _ in range(n):
        p, X, labels = _instance(rng, dtype)
        Y = np.asarray(conditional_expectation(p, X, labels)).astype(np.float64)
        p64, X64 = p.astype(np.float64), X.astype(np.float64)
        cells = np.unique(labels)
        spread = max(spread, max(float(np.ptp(Y[labels == c])) for c in cells))
        sets = [labels == c for c in cells]
        sets += [np.isin(labels, cells[rng.random(len(cells)) < 0.5]) for _ in range(5)]
        scale = float(np.sum(p64 * np.abs(X64)))
        for G in sets:
            gap = abs(float(np.sum(p64 * Y * G)) - float(np.sum(p64 * X64 * G)))
            integral = max(integral, gap / (4 * gamma(len(p) + 2, dtype) * scale))
    return Evidence(
        n,
        (
            error(
                "spread of $Y = \\mathbb E[X\\mid\\mathcal G]$ on a cell",
                spread,
                0.0,
                units="max abs",
            ),
            error(
                "$|\\mathbb E[Y\\mathbf 1_G] - \\mathbb E[X\\mathbf 1_G]|$ over cells and unions "
                "of cells, in units of $4\\gamma_{N+2}\\,\\mathbb E|X|$",
                integral,
                1.0,
                units="× bound",
            ),
        ),
    )


@single_threaded
def condexp_is_projection(
    rng: np.random.Generator, *, conditional_expectation=probability.conditional_expectation
) -> Evidence:
    """``E[X | G]`` equals the weighted least-squares fit of ``X`` by the indicators of the cells
    (``numpy.linalg.lstsq`` on ``sqrt(p)``-weighted rows) on atoms of positive probability, within
    ``8 N u kappa max|X|`` (``kappa`` the condition number of the weighted indicator matrix,
    ``sqrt(max P(C) / min P(C))`` over cells of positive probability); the residual ``X - E[X|G]``
    is orthogonal in ``L^2(P)`` to random G-measurable ``Z`` within ``4 gamma_(N+2) E|X||Z|``."""
    n = 40
    fit_err = orth = 0.0
    u = 2.0**-53
    for _ in range(n):
        p, X, labels = _instance(rng)
        Y = np.asarray(conditional_expectation(p, X, labels))
        cells = np.unique(labels)
        Phi = (labels[:, None] == cells[None, :]).astype(float)
        beta = np.linalg.lstsq(np.sqrt(p)[:, None] * Phi, np.sqrt(p) * X, rcond=None)[0]
        fit = Phi @ beta
        pos = p > 0
        mass = Phi[pos].T @ p[pos]
        kappa = float(np.sqrt(mass.max() / mass[mass > 0].min()))
        bound = 8 * len(p) * u * kappa * float(np.abs(X).max())
        fit_err = max(fit_err, float(np.abs(fit[pos] - Y[pos]).max()) / bound)
        for _ in range(5):
            Z = Phi @ rng.standard_normal(len(cells))  # a G-measurable function
            scale = float(np.sum(p * np.abs(X) * np.abs(Z)))
            orth = max(orth, abs(float(np.sum(p * (X - Y) * Z))) / (4 * gamma(len(p) + 2) * scale))
    return Evidence(
        n,
        (
            error(
                "$|$weighted least squares $- \\mathbb E[X\\mid\\mathcal G]|$ on atoms with "
                "$p_k > 0$, in units of $8Nu\\kappa\\max|X|$",
                fit_err,
                1.0,
                units="× bound",
            ),
            error(
                "$|\\mathbb E[(X - \\mathbb E[X\\mid\\mathcal G])Z]|$, $Z$ $\\mathcal G$-measurable, "
                "in units of $4\\gamma_{N+2}\\mathbb E|XZ|$",
                orth,
                1.0,
                units="× bound",
            ),
        ),
    )


@single_threaded
def condexp_tower_and_best_predictor(
    rng: np.random.Generator, *, conditional_expectation=probability.conditional_expectation
) -> Evidence:
    """Part 2 (tower) for ``H`` generated by merging the cells of ``G``; part 3,
    ``E[E[X|G]] = E[X]``; part 1, for random G-measurable ``Z``,
    ``E(X - Z)^2 = E(X - Y)^2 + E(Y - Z)^2`` (Pythagoras: ``Y`` is the best predictor). Each
    within a few ``gamma_(N+2)`` relative to the magnitudes summed."""
    n = 40
    tower = mean = pyth = 0.0
    for _ in range(n):
        p, X, labels = _instance(rng)
        N = len(p)
        cells = np.unique(labels)
        merge = rng.integers(0, max(1, len(cells) // 2), size=len(cells))
        coarse = merge[np.searchsorted(cells, labels)]  # H is contained in G
        Y = np.asarray(conditional_expectation(p, X, labels))
        V = np.asarray(conditional_expectation(p, Y, coarse))
        W = np.asarray(conditional_expectation(p, X, coarse))
        scale = float(np.abs(X).max())
        pos = p > 0
        tower = max(tower, float(np.abs(V - W)[pos].max()) / (8 * gamma(N + 2) * scale))
        mean = max(
            mean,
            abs(float(np.sum(p * Y)) - float(np.sum(p * X)))
            / (8 * gamma(N + 2) * float(np.sum(p * np.abs(X)))),
        )
        for _ in range(5):
            Z = Y + rng.standard_normal(len(cells))[np.searchsorted(cells, labels)]
            lhs = float(np.sum(p * (X - Z) ** 2))
            rhs = float(np.sum(p * (X - Y) ** 2)) + float(np.sum(p * (Y - Z) ** 2))
            mag = float(np.sum(p * (np.abs(X) + np.abs(Y) + np.abs(Z)) ** 2))
            pyth = max(pyth, abs(lhs - rhs) / (8 * gamma(N + 4) * mag))
    return Evidence(
        n,
        (
            error(
                "$|\\mathbb E[\\mathbb E[X\\mid\\mathcal G]\\mid\\mathcal H] - "
                "\\mathbb E[X\\mid\\mathcal H]|$ in units of $8\\gamma_{N+2}\\max|X|$",
                tower,
                1.0,
                units="× bound",
            ),
            error(
                "$|\\mathbb E\\,\\mathbb E[X\\mid\\mathcal G] - \\mathbb E X|$ in units of "
                "$8\\gamma_{N+2}\\mathbb E|X|$",
                mean,
                1.0,
                units="× bound",
            ),
            error(
                "Pythagoras defect for $\\mathcal G$-measurable $Z$, in units of "
                "$8\\gamma_{N+4}\\mathbb E(|X| + |Y| + |Z|)^2$",
                pyth,
                1.0,
                units="× bound",
            ),
        ),
    )


CLAIMS = (
    Witness(
        "def-conditional-expectation",
        condexp_defining_property,
        "atom averages are G-measurable and integrate like X over every set of G",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "thm-condexp-projection",
        condexp_is_projection,
        "atom averages = weighted least squares onto cell indicators; residual orthogonal",
        strength="exact",
    ),
    Witness(
        "cor-condexp-properties",
        condexp_tower_and_best_predictor,
        "tower property, preserved mean, Pythagoras for the best predictor",
        strength="exact",
    ),
)
