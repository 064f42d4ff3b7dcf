r"""Witnesses of Section "Hoeffding's inequality": `lem-hoeffding-mgf`,
`thm-hoeffding-inequality`, `cor-hoeffding-sample-size`.

References: moment generating functions in closed form (two-point and uniform laws) and by
Kummer's function (``scipy.special.hyp1f1`` for Beta laws); exact binomial tails
(``scipy.stats.binom``, in logarithms where they are tiny); exact tails of sums of two-point
variables by enumerating all outcomes; Monte Carlo tail frequencies with exact Clopper–Pearson
confidence limits. Each bound is read from the library function that the witness takes as an
argument, so that the same bound with a weakened constant can be handed in and must be rejected:
every witness pairs the bound with an instance where it is approached."""

from __future__ import annotations

import itertools
import math

import numpy as np
from scipy import special, stats

from ... import probability
from ...registry import Witness
from .._common import Evidence, equal, single_threaded, upper

U64 = 2.0**-53


def _log(x: float) -> float:
    """``log x``, ``-inf`` at 0 (a bound that underflows), NaN below."""
    return math.log(x) if x > 0 else (-math.inf if x == 0 else math.nan)


def _log_cosh(h: float) -> float:
    """``log cosh h`` without cancellation for small ``h``: ``log1p(2 sinh(h/2)^2)``."""
    return math.log1p(2 * math.sinh(h / 2) ** 2)


def _log_sinhc(h: float) -> float:
    """``log(sinh(h)/h)`` for the uniform law, accurate for small ``h`` (series below 1e-3)."""
    if abs(h) < 1e-3:
        return h * h / 6 - h**4 / 180
    return math.log(math.sinh(h) / h)


@single_threaded
def hoeffding_lemma_mgf(
    rng: np.random.Generator, *, hoeffding_mgf_bound=probability.hoeffding_mgf_bound
) -> Evidence:
    r"""``log E exp(s (X - EX)) <= s^2 (b - a)^2 / 8``, as the ratio of the two sides (the right
    side read from ``hoeffding_mgf_bound``), for two-point laws on {a, b} (closed form), the uniform
    law on [a, b] (closed form) and scaled Beta laws (Kummer's function
    ``1F1(al; al + be; s (b - a))``), ``s (b - a)`` in ``[-6, 6]``; the ratio tends to 1 for the
    symmetric two-point law as ``s -> 0`` (``log cosh h / (h^2/2) = 1 - h^2/6 + O(h^4)``), checked
    at ``s (b - a) = 2e-3``, so no constant below 1/8 works. The library's bound is also compared
    with ``exp(s^2 (b-a)^2 / 8)`` evaluated here."""
    n_inst = 12
    s_grid = np.concatenate([-np.logspace(-2, np.log10(6), 15), np.logspace(-2, np.log10(6), 15)])
    worst, formula = 0.0, 0.0
    attain, attain_tol = 1.0, 0.0
    for k in range(n_inst):
        a = float(rng.uniform(-2, 0.5))
        b = a + float(rng.uniform(0.2, 3))
        kind = k % 3
        q = float(rng.uniform(0.05, 0.95))
        al, be = 0.5 + 3 * (k % 4) / 4, 2.0
        for s in s_grid / (b - a):
            h = s * (b - a)
            if kind == 0:  # P(X = b) = q
                mean = a + q * (b - a)
                log_mgf = math.log(
                    (1 - q) * math.exp(s * (a - mean)) + q * math.exp(s * (b - mean))
                )
            elif kind == 1:
                log_mgf = _log_sinhc(h / 2)  # E exp(s (U - mean)) = sinh(h/2)/(h/2)
            else:
                mean = a + (b - a) * al / (al + be)
                # E exp(t U) = 1F1(al; al + be; t) for U ~ Beta(al, be) (Kummer's function)
                log_mgf = s * (a - mean) + math.log(float(special.hyp1f1(al, al + be, h)))
            bound = hoeffding_mgf_bound(s, a, b)
            worst = max(worst, log_mgf / _log(bound))
            ref = math.exp(h * h / 8)  # exp amplifies the rounding of its argument x to x u
            formula = max(formula, abs(bound - ref) / (ref * 8 * U64 * (1 + h * h / 8)))
        h = 2e-3  # symmetric two-point law on {a, b}: log E e^{s(X - EX)} = log cosh(h/2)
        ratio = _log_cosh(h / 2) / _log(hoeffding_mgf_bound(h / (b - a), a, b))
        tol = h * h / 24 + 1e-9  # 1 - ratio = h^2/24 + O(h^4); rounding of log1p/log below 1e-9
        attain, attain_tol = (
            (ratio, tol) if abs(ratio - 1) > abs(attain - 1) else (attain, attain_tol)
        )
    return Evidence(
        n_inst,
        (
            equal(
                "library's bound vs $\\exp(s^2(b-a)^2/8)$, relative error in units of $8u(1 + x)$, "
                "$x$ the exponent",
                formula,
                0.0,
                1.0,
                units="× bound",
            ),
            upper(
                "$\\log\\mathbb E e^{s(X - \\mathbb EX)}\\,/\\,\\log(\\text{bound})$: two-point, "
                "uniform and Beta laws, $s(b-a)\\in[-6, 6]$",
                worst,
                1.0,
                slack=1e-9,
                units="ratio",
            ),
            equal(
                "the same ratio, symmetric two-point law, $s(b-a) = 2\\cdot10^{-3}$",
                attain,
                1.0,
                attain_tol,
                units="ratio",
                attains=True,
            ),
        ),
    )


def _binomial_tails(n: int, q: float, t: float) -> tuple[float, float]:
    """``P(K/n - q >= t)`` and ``P(|K/n - q| >= t)`` for ``K ~ Bin(n, q)``, exactly."""
    hi = math.ceil(n * (q + t) - 1e-9)  # K >= hi
    lo = math.floor(n * (q - t) + 1e-9)  # K <= lo
    upper_tail = float(stats.binom.sf(hi - 1, n, q))
    return upper_tail, upper_tail + (float(stats.binom.cdf(lo, n, q)) if lo >= 0 else 0.0)


#: The sample sizes and the deviation at which the exponent is pinned: ``2 n t^2`` from 250 to 500.
_N1, _N2, _T = 50_000, 100_000, 0.05


def _exponent_ratio(log_tail, log_bound) -> float:
    r"""``(log P(n2) - log P(n1)) / (log B(n2) - log B(n1))`` for the tail ``P`` of the mean of
    ``n`` Bernoulli(1/2) variables at ``t`` and the bound ``B``, ``(n1, n2, t) = (_N1, _N2, _T)``.

    By the local limit theorem ``log P(n) = -n KL(1/2 + t | 1/2) - (1/2) log n + O(1)``
    uniformly in ``n`` (Cramér's large deviations with the Bahadur-Rao correction), and
    ``KL = 2t^2 + (4/3) t^4 + O(t^6)``; so for ``B = exp(-2nt^2)`` the ratio is
    ``1 + (2/3) t^2 + log(n2/n1) / (4 (n2 - n1) t^2) + O(1/((n2 - n1) t^2))``, about 1.003 here:
    within 0.01 of 1, while a bound with a smaller constant in the exponent gives a ratio of about
    2 divided by that constant."""
    return (log_tail(_N2, _T) - log_tail(_N1, _T)) / (log_bound(_N2, _T) - log_bound(_N1, _T))


@single_threaded
def hoeffding_tail_monte_carlo(
    rng: np.random.Generator, *, hoeffding_bound=probability.hoeffding_bound
) -> Evidence:
    """Tails of the mean of ``n`` variables in [0, 1] against ``hoeffding_bound`` (one- and
    two-sided), as ratios tail / bound: exact binomial tails for Bernoulli laws, and for uniform
    and Beta laws the lower 99.9% Clopper–Pearson confidence limit of the tail frequency over
    20 000 trials (the data must not show the tail above the bound), at ``t`` where the bound is at
    least 0.02. The constant 2 of the exponent is pinned on Bernoulli(1/2) by
    :func:`_exponent_ratio`."""
    n_inst = 9
    trials = 20_000
    exact_worst = mc_worst = 0.0
    for k in range(n_inst):
        n = int(rng.choice([5, 10, 30]))
        ts = [t for t in np.linspace(0.02, 0.6, 25) if math.exp(-2 * n * t * t) >= 0.02]
        if k % 3 == 0:
            q = 0.5 if k == 0 else float(rng.uniform(0.1, 0.9))
            for t in ts:
                one, two = _binomial_tails(n, q, float(t))
                exact_worst = max(exact_worst, one / hoeffding_bound(float(t), n, 0.0, 1.0))
                b2 = hoeffding_bound(float(t), n, 0.0, 1.0, two_sided=True)
                if b2 < 1:
                    exact_worst = max(exact_worst, two / b2)
            continue
        if k % 3 == 1:
            draws, mu = rng.random((trials, n)), 0.5
        else:
            al, be = float(rng.uniform(0.5, 3)), float(rng.uniform(0.5, 3))
            draws, mu = rng.beta(al, be, size=(trials, n)), al / (al + be)
        means = draws.mean(axis=1)
        t_arr = np.array(ts)
        kup, N = probability.tail_frequency(means, mu, t_arr)
        klo, _ = probability.tail_frequency(-means, -mu, t_arr)
        low1 = probability.clopper_pearson(kup, N, alpha=2e-3)[0]
        low2 = probability.clopper_pearson(kup + klo, N, alpha=2e-3)[0]
        for t, l1, l2 in zip(ts, low1, low2):
            mc_worst = max(mc_worst, l1 / hoeffding_bound(float(t), n, 0.0, 1.0))
            b2 = hoeffding_bound(float(t), n, 0.0, 1.0, two_sided=True)
            if b2 < 1:
                mc_worst = max(mc_worst, l2 / b2)
    exponent = _exponent_ratio(
        lambda n, t: float(stats.binom.logsf(n // 2 + round(n * t) - 1, n, 0.5)),
        lambda n, t: _log(hoeffding_bound(t, n, 0.0, 1.0)),
    )
    return Evidence(
        n_inst + 1,
        (
            upper(
                "exact binomial tail / bound, Bernoulli laws, $n\\in\\{5, 10, 30\\}$, one- and "
                "two-sided",
                exact_worst,
                1.0,
                slack=1e-12,
                units="ratio",
            ),
            upper(
                "lower 99.9% confidence limit of the tail (20 000 trials) / bound, uniform and "
                "Beta laws",
                mc_worst,
                1.0,
                units="ratio",
            ),
            equal(
                "growth of $\\log\\mathbb P(\\bar X_n - \\frac12\\ge t)$ over that of "
                "$\\log(\\text{bound})$ from $n = 5\\cdot10^4$ to $10^5$, Bernoulli(1/2), "
                "$t = 0.05$",
                exponent,
                1.0,
                0.01,
                units="ratio",
                attains=True,
            ),
        ),
    )


@single_threaded
def hoeffding_unequal_ranges(
    rng: np.random.Generator, *, hoeffding_sum_bound=probability.hoeffding_sum_bound
) -> Evidence:
    """The sum form with ranges ``[0, c_i]``: for two-point summands ``c_i B_i``,
    ``B_i ~ Bernoulli(1/2)`` (the extremal laws of the lemma), the exact tail
    ``P(S_n - E S_n >= t)`` (all ``2^n`` outcomes enumerated, ``n <= 11``) against
    ``hoeffding_sum_bound(t, c)``, one- and two-sided, as ratios tail / bound; and the exponent
    pinned with equal ranges, ``n`` Bernoulli(1/2) summands and ``t`` proportional to ``n``, as in
    :func:`_exponent_ratio`."""
    n_inst = 6
    worst = 0.0
    for _ in range(n_inst):
        n = int(rng.integers(3, 12))
        c = rng.uniform(0.1, 2.0, size=n)
        outcomes = np.array(list(itertools.product((0.0, 1.0), repeat=n))) @ c - c.sum() / 2
        D = float(np.sum(c**2))
        for t in np.linspace(0.05, 3, 30) * math.sqrt(D) / 2:
            one = float(np.mean(outcomes >= t - 1e-12 * c.sum()))
            two = float(np.mean(np.abs(outcomes) >= t - 1e-12 * c.sum()))
            b1 = hoeffding_sum_bound(float(t), c)
            b2 = hoeffding_sum_bound(float(t), c, two_sided=True)
            worst = max(worst, one / b1, two / b2 if b2 < 1 else 0.0)
    exponent = _exponent_ratio(
        lambda n, t: float(stats.binom.logsf(n // 2 + round(n * t) - 1, n, 0.5)),
        lambda n, t: _log(hoeffding_sum_bound(n * t, np.ones(n))),
    )
    return Evidence(
        n_inst + 1,
        (
            upper(
                "exact $\\mathbb P(S_n - \\mathbb ES_n\\ge t)$ (one- and two-sided) / "
                "$e^{-2t^2/D}$, two-point summands $c_iB_i$",
                worst,
                1.0,
                slack=1e-12,
                units="ratio",
            ),
            equal(
                "growth of $\\log\\mathbb P(S_n - \\mathbb ES_n\\ge t)$ over that of "
                "$\\log(\\text{bound})$ from $n = 5\\cdot10^4$ to $10^5$ Bernoulli(1/2) "
                "summands, $t = 0.05n$",
                exponent,
                1.0,
                0.01,
                units="ratio",
                attains=True,
            ),
        ),
    )


@single_threaded
def sample_size_is_least(
    rng: np.random.Generator, *, hoeffding_sample_size=probability.hoeffding_sample_size
) -> Evidence:
    """The returned ``n`` satisfies ``2 exp(-2 n eps^2 / (b-a)^2) <= delta`` and ``n - 1`` does
    not (evaluated here with ``math.exp``): it is the least sample size the corollary allows; and
    for Bernoulli(1/2) variables the exact two-sided binomial tail at that ``n`` is at most
    ``delta``, reported as the ratio tail / delta."""
    n_inst = 30
    not_least = 0
    worst = 0.0
    for _ in range(n_inst):
        a = float(rng.uniform(-1, 1))
        b = a + float(rng.uniform(0.1, 3))
        eps = float(10 ** rng.uniform(-2.5, -0.3)) * (b - a)
        delta = float(10 ** rng.uniform(-6, -0.1))
        n = int(hoeffding_sample_size(eps, delta, a, b))

        def two_sided(k):
            return 2 * math.exp(-2 * k * eps**2 / (b - a) ** 2)

        not_least += int(not (two_sided(n) <= delta and (n == 1 or two_sided(n - 1) > delta)))
        e2 = float(rng.uniform(0.05, 0.3))
        n2 = int(hoeffding_sample_size(e2, delta, 0.0, 1.0))
        worst = max(worst, _binomial_tails(n2, 0.5, e2)[1] / delta)
    return Evidence(
        n_inst,
        (
            equal(
                "returned sample sizes that are not the least $n$ with "
                "$2e^{-2n\\varepsilon^2/(b-a)^2}\\le\\delta$",
                not_least,
                0,
                0,
                units="count",
            ),
            upper(
                "exact $\\mathbb P(|\\bar X_n - \\frac12|\\ge\\varepsilon)/\\delta$ at that $n$, "
                "Bernoulli(1/2)",
                worst,
                1.0,
                slack=1e-12,
                units="ratio",
            ),
        ),
    )


CLAIMS = (
    Witness(
        "lem-hoeffding-mgf",
        hoeffding_lemma_mgf,
        "closed-form MGFs of bounded laws below exp(s^2 (b-a)^2 / 8), approached by the "
        "symmetric two-point law as s -> 0",
        strength="sharp",
    ),
    Witness(
        "thm-hoeffding-inequality",
        hoeffding_tail_monte_carlo,
        "exact binomial tails and confidence limits of simulated tails below the bound; the "
        "exponent's constant 2 approached by Bernoulli(1/2)",
        strength="sharp",
    ),
    Witness(
        "thm-hoeffding-inequality",
        hoeffding_unequal_ranges,
        "sum form with unequal ranges, exact tails of two-point summands",
        strength="sharp",
    ),
    Witness(
        "cor-hoeffding-sample-size",
        sample_size_is_least,
        "least n with the two-sided bound <= delta; exact binomial tail at that n",
        strength="validity",
        reason="the corollary's sample size is sufficient, not necessary: at the returned n the "
        "exact tail of Bernoulli(1/2) is a fraction of delta (the ratio shown); the least-n "
        "formula itself is checked exactly",
    ),
)
