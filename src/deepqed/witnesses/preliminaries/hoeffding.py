r"""Witnesses of Section "Hoeffding's inequality": `lem-hoeffding-mgf`,
`thm-hoeffding-inequality`, `cor-hoeffding-sample-size`.

References: moment generating functions in closed form (two-point and uniform laws) and by
Kummer's function (``scipy.special.hyp1f1`` for Beta laws); exact binomial tails
(``scipy.stats.binom``); Monte Carlo tail frequencies with exact Clopper–Pearson upper
confidence bounds."""

from __future__ import annotations

import math

import numpy as np
from scipy import special, stats

from ... import probability
from ...registry import Figures, Witness
from ._common import nan_max


def hoeffding_lemma_mgf(
    rng: np.random.Generator, *, hoeffding_mgf_bound=probability.hoeffding_mgf_bound
) -> Figures:
    """``E exp(s (X - EX)) / bound <= 1`` for X two-point on {a, b} (closed form, the extremal
    case), uniform on [a, b] (closed form) and a scaled Beta law (Kummer's function
    ``1F1(al; al + be; s (b - a))``), ``s (b - a)`` in [-6, 6]."""
    errors = []
    n = 12
    s_grid = np.concatenate([-np.logspace(-2, np.log10(6), 15), np.logspace(-2, np.log10(6), 15)])
    for k in range(n):
        a = float(rng.uniform(-2, 0.5))
        b = a + float(rng.uniform(0.2, 3))
        kind = k % 3
        for s in s_grid / (b - a):
            if kind == 0:
                q = float(rng.uniform(0.05, 0.95))  # P(X = b)
                mean = a + q * (b - a)
                mgf = (1 - q) * math.exp(s * (a - mean)) + q * math.exp(s * (b - mean))
            elif kind == 1:
                mean = (a + b) / 2
                h = s * (b - a) / 2
                mgf = math.sinh(h) / h  # E exp(s (U - mean))
            else:
                al, be = 0.5 + 3 * (k % 4) / 4, 2.0
                mean = a + (b - a) * al / (al + be)
                # E exp(t U) = 1F1(al; al + be; t) for U ~ Beta(al, be) (Kummer's function)
                mgf = math.exp(s * (a - mean)) * float(special.hyp1f1(al, al + be, s * (b - a)))
            errors.append(mgf / float(hoeffding_mgf_bound(s, a, b)))
    return Figures(
        n,
        nan_max(errors),
        1.0 + 1e-9,
        "max of E exp(s(X - EX)) / exp(s^2 (b-a)^2 / 8), two-point / uniform (closed "
        "form) and Beta (1F1) laws, s (b - a) in [-6, 6]; tolerance 1 + 1e-9",
    )


def hoeffding_tail_monte_carlo(
    rng: np.random.Generator, *, hoeffding_bound=probability.hoeffding_bound
) -> Figures:
    """Tails of the mean of n variables: exact binomial tails (``scipy.stats.binom``) for
    Bernoulli laws, and Monte Carlo tail frequencies with Clopper–Pearson 99.9% upper bounds for
    uniform and Beta laws (one- and two-sided), all at most the Hoeffding bound; t is restricted
    to bounds >= 0.02, where 20 000 trials resolve the tail."""
    errors = []
    n_inst = 9
    trials = 20_000
    for k in range(n_inst):
        n = int(rng.choice([5, 10, 30]))
        t = np.linspace(0.02, 0.6, 25)
        bound1 = np.asarray(hoeffding_bound(t, n, 0.0, 1.0), dtype=float)
        bound2 = np.asarray(hoeffding_bound(t, n, 0.0, 1.0, two_sided=True), dtype=float)
        use = np.exp(-2 * n * t**2) >= 0.02
        use2 = use & (bound2 < 1)  # where the two-sided bound is not trivial
        kind = k % 3
        if kind == 0:
            q = float(rng.uniform(0.1, 0.9))
            # P(mean - q >= t) = P(K >= ceil(n (q + t))) = sf(ceil(n(q+t)) - 1)
            kk = np.ceil(n * (q + t) - 1e-12)
            upper = stats.binom.sf(kk - 1, n, q)
            lo = np.floor(n * (q - t) + 1e-12)
            two = upper + stats.binom.cdf(lo, n, q)
            errors += list(upper[use] / bound1[use]) + list(two[use2] / bound2[use2])
            continue
        if kind == 1:
            draws, mu = rng.random((trials, n)), 0.5
        else:
            al, be = float(rng.uniform(0.5, 3)), float(rng.uniform(0.5, 3))
            draws, mu = rng.beta(al, be, size=(trials, n)), al / (al + be)
        means = draws.mean(axis=1)
        kup, N = probability.tail_frequency(means, mu, t)
        klo, _ = probability.tail_frequency(-means, -mu, t)
        up1 = probability.clopper_pearson(kup, N, alpha=2e-3)[1]
        up2 = probability.clopper_pearson(kup + klo, N, alpha=2e-3)[1]
        errors += list(up1[use] / bound1[use]) + list(up2[use2] / bound2[use2])
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "max of tail / Hoeffding bound: exact binomial tails (Bernoulli) and "
        "Clopper-Pearson 99.9% upper bounds of 20 000-trial frequencies (uniform, "
        "Beta), one- and two-sided, n in {5, 10, 30}",
    )


def hoeffding_unequal_ranges(
    rng: np.random.Generator, *, hoeffding_bound=probability.hoeffding_bound
) -> Figures:
    """The sum form with ranges ``[0, c_i]`` and two-point summands ``c_i B_i`` (the extremal case
    of the lemma): Monte Carlo upper confidence bounds of
    ``P(S_n - E S_n >= t)`` vs ``exp(-2 t^2 / sum c_i^2)``, computed through ``hoeffding_bound``
    with ``n = 1`` and ``b - a = sqrt(sum c_i^2)``."""
    errors = []
    n_inst = 4
    trials = 20_000
    for _ in range(n_inst):
        n = int(rng.integers(3, 12))
        c = rng.uniform(0.1, 2.0, size=n)
        D = float(np.sum(c**2))
        t = np.linspace(0.05, 3, 30) * math.sqrt(D) / 2
        bound = np.asarray(hoeffding_bound(t, 1, 0.0, math.sqrt(D)), dtype=float)
        use = bound >= 0.02
        S = ((rng.random((trials, n)) < 0.5) * c).sum(axis=1)  # X_i = c_i B_i, B_i ~ B(1/2)
        k, N = probability.tail_frequency(S, float(c.sum() / 2), t)
        up = probability.clopper_pearson(k, N, alpha=2e-3)[1]
        errors += list(up[use] / bound[use])
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "Clopper-Pearson 99.9% upper bound of P(S - ES >= t) / exp(-2t^2/D), "
        "two-point summands c_i B_i, B_i ~ Bernoulli(1/2), 20 000 trials",
    )


def sample_size_is_least(
    rng: np.random.Generator, *, hoeffding_sample_size=probability.hoeffding_sample_size
) -> Figures:
    """The returned n satisfies ``2 exp(-2 n eps^2 / (b-a)^2) <= delta`` and n - 1 does not
    (evaluated with ``math.exp``); and for Bernoulli(1/2) variables the exact two-sided binomial
    tail at that n is at most delta."""
    errors = []
    n_inst = 30
    for _ in range(n_inst):
        a = float(rng.uniform(-1, 1))
        b = a + float(rng.uniform(0.1, 3))
        eps = float(10 ** rng.uniform(-2.5, -0.3)) * (b - a)
        delta = float(10 ** rng.uniform(-6, -0.1))
        n = int(hoeffding_sample_size(eps, delta, a, b))

        def two_sided(k):
            return 2 * math.exp(-2 * k * eps**2 / (b - a) ** 2)

        ok = two_sided(n) <= delta and (n == 1 or two_sided(n - 1) > delta)
        errors.append(0.0 if ok else math.inf)
        e2 = float(rng.uniform(0.05, 0.3))
        n2 = int(hoeffding_sample_size(e2, delta, 0.0, 1.0))
        lo, hi = math.floor(n2 * (0.5 - e2) + 1e-9), math.ceil(n2 * (0.5 + e2) - 1e-9)
        exact = float(stats.binom.cdf(lo, n2, 0.5) + stats.binom.sf(hi - 1, n2, 0.5))
        errors.append(exact / delta)
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "minimality of n (0 if the bound holds at n and fails at n - 1, else inf) and "
        "exact binomial P(|mean - 1/2| >= eps) / delta at that n",
    )


CLAIMS = (
    Witness(
        "lem-hoeffding-mgf",
        hoeffding_lemma_mgf,
        "closed-form MGFs of bounded centred laws below exp(s^2 (b-a)^2 / 8)",
    ),
    Witness(
        "thm-hoeffding-inequality",
        hoeffding_tail_monte_carlo,
        "exact binomial tails and Clopper-Pearson bounds of simulated tails below the bound",
    ),
    Witness(
        "thm-hoeffding-inequality",
        hoeffding_unequal_ranges,
        "sum form with unequal ranges, by simulation",
    ),
    Witness(
        "cor-hoeffding-sample-size",
        sample_size_is_least,
        "least n with the two-sided bound <= delta; exact binomial check",
    ),
)
