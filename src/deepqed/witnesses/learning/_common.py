r"""Shared pieces of the learning witnesses: independent references written with SciPy.

Nothing here calls :mod:`deepqed.learning`; the references are built from the definitions (SciPy's
normal distribution functions, quadrature, exact Gram matrices), so agreement with them is evidence.

Monte Carlo comparisons are confidence intervals at ``Z_TOL`` standard errors (CLT, or the delta
method where estimates are combined): :func:`worst_interval` reports, of several, the one whose
estimate lies farthest from its reference in standard errors.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from scipy import integrate, stats

from ...evidence import Comparison, interval

#: Number of standard errors allowed between two Monte Carlo estimates (or an estimate and an
#: exact value). With at most a few dozen comparisons per run, a correct implementation exceeds it
#: with probability below 1e-3 per witness (two-sided normal tail at 4.5 is 7e-6 per comparison).
Z_TOL = 4.5

#: The (normal-approximation) level of an interval of ``Z_TOL`` standard errors.
LEVEL = float(1 - 2 * stats.norm.sf(Z_TOL))


def worst_interval(what: str, cases: Sequence[tuple[float, ...]], *, units: str = "") -> Comparison:
    """Of the cases ``(estimate, standard error, reference, at)`` or ``(estimate, standard error,
    reference, at, rounding)``, the interval ``estimate ± (Z_TOL · se + rounding)`` of the one
    farthest from its reference in units of its half-width (a NaN first), as an ``interval``
    comparison. ``rounding`` bounds the floating-point error of the estimate (it matters when the
    sampled quantity is itself zero up to rounding, so that its standard error is too)."""

    def half(case: tuple[float, ...]) -> float:
        return Z_TOL * case[1] + (case[4] if len(case) > 4 else 0.0)

    def far(case: tuple[float, ...]) -> float:
        est, ref, h = case[0], case[2], half(case)
        if math.isnan(est) or math.isnan(ref) or math.isnan(h):
            return math.inf
        return abs(est - ref) / h if h > 0 else (0.0 if est == ref else math.inf)

    case = max(cases, key=far)
    est, h = case[0], half(case)
    return interval(what, est, est - h, est + h, case[2], level=LEVEL, units=units, at=case[3])


def z_score(a: float, b: float, se: float) -> float:
    """``abs(a - b) / se``; NaN-propagating, infinite when ``se == 0`` and ``a != b``."""
    if math.isnan(a) or math.isnan(b) or math.isnan(se):
        return math.nan
    if se <= 0:
        return 0.0 if a == b else math.inf
    return abs(a - b) / se


def uniform_mean(
    g: Callable[[float], float], a: float, b: float, points: Sequence[float] | None = None
) -> float:
    r"""$\mathbb E\,g(X)$ for $X\sim\mathrm{Uniform}[a, b]$ by ``scipy.integrate.quad``."""
    val, _ = integrate.quad(g, a, b, points=points, limit=200, epsabs=1e-13, epsrel=1e-12)
    return val / (b - a)


# --- one-dimensional Gaussian mixtures: exact Bayes regions and risks ------------------------
def mixture_breakpoints(
    priors: Sequence[float], means: Sequence[float], sds: Sequence[float]
) -> np.ndarray:
    r"""All real $x$ where $\pi_a\varphi_a(x) = \pi_b\varphi_b(x)$ for some pair $a\ne b$ (roots of
    the quadratic $\log\pi_a p_a - \log\pi_b p_b$), sorted."""
    roots: list[float] = []
    K = len(priors)
    for a in range(K):
        for b in range(a + 1, K):
            # log pi p(x) = log pi - log s - (x - mu)^2 / (2 s^2) + const
            qa, qb = -0.5 / sds[a] ** 2, -0.5 / sds[b] ** 2
            A = qa - qb
            B = -2 * qa * means[a] + 2 * qb * means[b]
            C = (
                qa * means[a] ** 2
                - qb * means[b] ** 2
                + math.log(priors[a] / priors[b])
                - math.log(sds[a] / sds[b])
            )
            if abs(A) < 1e-14:
                if abs(B) > 1e-14:
                    roots.append(-C / B)
            else:
                disc = B * B - 4 * A * C
                if disc >= 0:
                    r = math.sqrt(disc)
                    roots += [(-B - r) / (2 * A), (-B + r) / (2 * A)]
    return np.unique(np.array(roots, dtype=np.float64))


def region_labels(
    priors: Sequence[float], means: Sequence[float], sds: Sequence[float], edges: np.ndarray
) -> np.ndarray:
    """The label maximising pi_y p_y at the midpoint of each interval between ``edges`` (with the
    infinite end intervals probed one unit outside), by ``scipy.stats.norm.logpdf``."""
    pts = np.concatenate(
        (
            [edges[0] - 1.0] if len(edges) else [0.0],
            (edges[:-1] + edges[1:]) / 2,
            [edges[-1] + 1.0] if len(edges) else [],
        )
    )
    logj = np.log(priors)[None, :] + stats.norm.logpdf(
        pts[:, None], np.asarray(means)[None, :], np.asarray(sds)[None, :]
    )
    return np.argmax(logj, axis=1)


def interval_risk(
    priors: Sequence[float],
    means: Sequence[float],
    sds: Sequence[float],
    edges: np.ndarray,
    labels: np.ndarray,
) -> float:
    r"""0-1 risk of the classifier equal to ``labels[i]`` on the ``i``-th interval cut by ``edges``:
    $1 - \sum_i\pi_{y_i}\,\Pr_{y_i}(X\in I_i)$, with $\Phi$ from ``scipy.stats.norm``."""
    lo = np.concatenate(([-np.inf], edges))
    hi = np.concatenate((edges, [np.inf]))
    correct = 0.0
    for a, b, y in zip(lo, hi, labels):
        correct += priors[y] * (
            stats.norm.cdf(b, means[y], sds[y]) - stats.norm.cdf(a, means[y], sds[y])
        )
    return 1.0 - correct


def random_mixture(rng: np.random.Generator, K: int) -> tuple[tuple[float, ...], ...]:
    """Priors (Dirichlet, bounded away from 0), means spread over [-3, 3], sds in [0.5, 2]."""
    priors = rng.dirichlet(np.full(K, 3.0))
    priors = 0.9 * priors + 0.1 / K
    priors = priors / priors.sum()
    means = np.sort(rng.uniform(-3, 3, size=K))
    sds = rng.uniform(0.5, 2.0, size=K)
    return tuple(map(float, priors)), tuple(map(float, means)), tuple(map(float, sds))
