r"""Witnesses of Section "A uniform bound for a finite class": `thm-learn-finite-class`,
`cor-learn-finite-erm`.

The class is $M$ threshold classifiers $f_m(x) = \mathbf 1\{x > t_m\}$ under $X\sim\mathrm{Uniform}[0, 1]$
and $Y = \mathbf 1\{X > \theta\}$ flipped with probability $\rho$, whose risks are
$\mathcal R(f_m) = \rho + (1 - 2\rho)\lvert t_m - \theta\rvert$ in closed form. Exact per-classifier tail
probabilities come from ``scipy.stats.binom``.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from ... import learning
from ...registry import Figures, Witness
from ._common import nan_max

_Z = 4.0  # one-sided standard errors allowed for a simulated frequency


def _simulate(rng, M, n, T, theta, rho):
    t = np.sort(rng.uniform(0, 1, size=M))
    risk = rho + (1 - 2 * rho) * np.abs(t - theta)
    X = rng.uniform(size=(T, n))
    Y = (X > theta) ^ (rng.uniform(size=(T, n)) < rho)
    emp = np.mean((X[:, None, :] > t[None, :, None]) != Y[:, None, :], axis=2)  # (T, M)
    return t, risk, emp


def _binom_two_sided(n: int, R: float, eps: float) -> float:
    """Pr(abs(B/n - R) >= eps) for B ~ Bin(n, R), exactly."""
    hi = math.ceil(n * (R + eps) - 1e-9)  # B >= hi
    lo = math.floor(n * (R - eps) + 1e-9)  # B <= lo
    return float(stats.binom.sf(hi - 1, n, R) + (stats.binom.cdf(lo, n, R) if lo >= 0 else 0.0))


def finite_class_bound_holds(
    rng: np.random.Generator, *, uniform_deviation_bound=learning.uniform_deviation_bound
) -> Figures:
    """For eps = uniform_deviation_bound(n, M, delta): 2M exp(-2 n eps^2) <= delta; exact binomial
    tails sum to at most that (Hoeffding + union bound); the simulated frequency of
    max_m abs(R_S(f_m) - R(f_m)) >= eps is at most the union of exact tails and at most delta."""
    errors = []
    configs = [(5, 50, 0.2), (20, 100, 0.05), (50, 200, 0.1), (3, 30, 0.5), (10, 400, 0.01)]
    T = 1000
    for M, n, delta in configs:
        theta, rho = float(rng.uniform(0.2, 0.8)), float(rng.uniform(0.0, 0.4))
        eps = float(uniform_deviation_bound(n, M, delta))
        bound = 2 * M * math.exp(-2 * n * eps * eps)
        errors.append(max(0.0, bound / delta - 1) / 1e-9)
        _, risk, emp = _simulate(rng, M, n, T, theta, rho)
        tails = sum(_binom_two_sided(n, float(r), eps) for r in risk)
        errors.append(max(0.0, tails / bound - 1) / 1e-9)
        freq = float(np.mean(np.max(np.abs(emp - risk), axis=1) >= eps - 1e-12))
        ref = min(tails, 1.0)
        se = math.sqrt(max(ref * (1 - ref), 1 / T) / T)
        errors.append(max(0.0, freq - ref) / se / _Z)
        errors.append(max(0.0, freq - delta) / math.sqrt(max(delta * (1 - delta), 1 / T) / T) / _Z)
    return Figures(
        len(configs),
        nan_max(errors),
        1.0,
        "largest violation of: 2M exp(-2n eps^2) <= delta and sum of exact binomial tails "
        "<= 2M exp(-2n eps^2) (units 1e-9); simulated frequency (T = 1000) <= union of "
        f"tails and <= delta, in one-sided standard errors / {_Z}",
    )


def finite_erm_guarantee(
    rng: np.random.Generator,
    *,
    finite_class_sample_size=learning.finite_class_sample_size,
    uniform_deviation_bound=learning.uniform_deviation_bound,
) -> Figures:
    """Simulated frequency of R(f_S) > min R + 2 eps(n, M, delta) for the ERM (first minimiser) vs
    delta; the sample size n(eps, M, delta) is the least n with 2M exp(-2 n eps^2) <= delta."""
    errors = []
    T = 1000
    configs = [(10, 40, 0.3), (30, 100, 0.1), (5, 200, 0.05), (100, 60, 0.2)]
    for M, n, delta in configs:
        theta, rho = float(rng.uniform(0.2, 0.8)), float(rng.uniform(0.0, 0.4))
        _, risk, emp = _simulate(rng, M, n, T, theta, rho)
        erm = np.argmin(emp, axis=1)  # first minimiser
        eps = float(uniform_deviation_bound(n, M, delta))
        freq = float(np.mean(risk[erm] > risk.min() + 2 * eps))
        errors.append(max(0.0, freq - delta) / math.sqrt(delta * (1 - delta) / T) / _Z)
    for _ in range(20):
        eps0 = float(10 ** rng.uniform(-2.5, -0.5))
        M = int(rng.integers(1, 10**6))
        delta = float(10 ** rng.uniform(-6, -0.1))
        N = int(finite_class_sample_size(eps0, M, delta))
        ok = 2 * M * math.exp(-2 * N * eps0**2) <= delta * (1 + 1e-12)
        minimal = N == 1 or 2 * M * math.exp(-2 * (N - 1) * eps0**2) > delta * (1 - 1e-12)
        errors.append(0.0 if (ok and minimal) else math.inf)
    return Figures(
        len(configs) + 20,
        nan_max(errors),
        1.0,
        "simulated Pr(R(f_S) > min R + 2 eps) - delta in one-sided standard errors / "
        f"{_Z} (T = {T}); sample size: 2M exp(-2 n eps^2) <= delta at n and > delta at "
        "n - 1 (inf if not)",
    )


CLAIMS = (
    Witness(
        "thm-learn-finite-class",
        finite_class_bound_holds,
        "uniform deviation bound vs exact binomial tails and simulation",
    ),
    Witness(
        "cor-learn-finite-erm",
        finite_erm_guarantee,
        "ERM guarantee by simulation; minimality of the sample size",
    ),
)
