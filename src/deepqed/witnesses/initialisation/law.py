r"""Witnesses of Section "The exact law at finite width": `thm-init-exact-law`,
`cor-init-fluctuations`, `prop-init-fourth-moment`, `prop-init-lyapunov`.

Instances: ReLU and linear networks simulated with their full weight matrices; the exact
distribution functions by Gil-Pelaez inversion (``initialisation.relu_norm_log_cdf``,
``linear_norm_log_cdf``); Kolmogorov–Smirnov tests with the Dvoretzky–Kiefer–Wolfowitz–Massart
critical value at level $10^{-6}$; moment identities by central-limit intervals at level
$1 - 10^{-6}$ (Bonferroni where several are made)."""

from __future__ import annotations

import math

import numpy as np

from ... import initialisation as ini
from ...registry import Witness
from .._common import Evidence, equal, error, interval, lower, single_threaded, upper
from .variance import LEVEL, _ks_critical, _z

U64 = np.finfo(np.float64).eps


def _ks_with_atom(logs: np.ndarray, cdf) -> float:
    """KS distance of the empirical law of ``logs`` (entries -inf allowed: the atom at 0 of the
    norm) to the distribution function ``cdf`` (which counts the atom at -inf)."""
    n = len(logs)
    finite = np.sort(logs[np.isfinite(logs)])
    k0 = n - len(finite)
    F = cdf(finite)
    hi = (k0 + np.arange(1, len(finite) + 1)) / n
    lo = (k0 + np.arange(len(finite))) / n
    return float(max(np.max(hi - F), np.max(F - lo)))


@single_threaded
def relu_norm_has_the_exact_law(
    rng: np.random.Generator,
    *,
    relu_norm_log_cdf=ini.relu_norm_log_cdf,
    random_networks=ini.random_networks,
) -> Evidence:
    r"""Theorem `thm-init-exact-law`: for 2000 ReLU networks with full weight matrices (He,
    $c_w = 2$; widths $(4; 8, 8, 8)$ and $(3; 5, 10, 5)$), the Kolmogorov–Smirnov distance of
    $\log(\|a^L\|^2/\|x\|^2)$ to the exact law, and of $\log(\|a^1\|^2/\|x\|^2)$ at the first
    layer, is below the critical value at level $10^{-6}$; and the first two layer ratios are
    uncorrelated, $\mathbb E[(U_1 - \mathbb EU_1)(U_2 - \mathbb EU_2)] = 0$ with
    $U_l = \|a^l\|^2/\|a^{l-1}\|^2$ (independence of the factors)."""
    R = 2000
    comps = []
    crit = _ks_critical(R, 1e-6 / 4)
    for widths in (np.array([4, 8, 8, 8]), np.array([3, 5, 10, 5])):
        x = rng.standard_normal(int(widths[0]))
        s = random_networks(widths, x, np.full(len(widths) - 1, 2.0), 0.0, "relu", R, rng)
        nx = float(x @ x)
        sq = [np.sum(a * a, axis=1) for a in s.A]
        with np.errstate(divide="ignore"):
            last, first = np.log(sq[-1] / nx), np.log(sq[0] / nx)
        D = _ks_with_atom(last, lambda y: relu_norm_log_cdf(y, widths, 2.0))
        comps.append(
            error(
                f"KS distance, $\\log\\|a^L\\|^2/\\|x\\|^2$, widths {tuple(int(n) for n in widths)}",
                D,
                crit,
                units="KS distance",
            )
        )
        D1 = _ks_with_atom(first, lambda y: relu_norm_log_cdf(y, widths[:2], 2.0))
        comps.append(
            error(
                f"KS distance at layer 1, widths {tuple(int(n) for n in widths[:2])}",
                D1,
                crit,
                units="KS distance",
            )
        )
        alive = sq[0] > 0
        U1 = sq[0][alive] / nx
        U2 = sq[1][alive] / sq[0][alive]
        m1, m2 = 2 * widths[1] / (2 * widths[0]), 2 * widths[2] / (2 * widths[1])
        prod = (U1 - m1) * (U2 - m2)
        est, se = float(prod.mean()), float(prod.std(ddof=1)) / math.sqrt(len(prod))
        z = _z(2)
        comps.append(
            interval(
                "covariance of the first two layer ratios",
                est,
                est - z * se,
                est + z * se,
                0.0,
                level=1 - 1e-6 / 2,
            )
        )
    return Evidence(2 * R, tuple(comps))


def _fluctuation_bounds(S: float) -> tuple[float, float]:
    return 5 * S, math.expm1(5 * S)


@single_threaded
def fluctuations_grow_with_inverse_widths(
    rng: np.random.Generator,
    *,
    relu_norm_moments=ini.relu_norm_moments,
    fourth_moment_factor=ini.fourth_moment_factor,
    fluctuation_bounds=_fluctuation_bounds,
) -> Evidence:
    r"""Corollary `cor-init-fluctuations`: (a) Monte Carlo of 3000 He networks with full matrices,
    widths $(6; 24, 24, 24)$: intervals for $\mathbb E X$ and for $\mathbb EX^2/(\mathbb EX)^2$
    ($X = \|a^L\|^2/\|x\|^2$, delta method) contain the library's exact values; (b) for random
    width profiles, $\operatorname{Var}X/(\mathbb EX)^2 = \prod_l(1 + 5/n_l) - 1$ lies between
    $5\sum_l1/n_l$ and $e^{5\sum_l1/n_l} - 1$ (the bounds passed in as ``fluctuation_bounds``);
    (c) the lower bound is attained as the widths grow: at $n_l = 10^6$, $L = 5$, the ratio is
    $1$ within $5\sum1/n_l$."""
    R = 3000
    widths = np.array([6, 24, 24, 24])
    x = rng.standard_normal(6)
    s = ini.random_networks(widths, x, np.full(3, 2.0), 0.0, "relu", R, rng)
    X = np.sum(s.A[-1] ** 2, axis=1) / float(x @ x)
    m1, m2 = relu_norm_moments(widths, 2.0)
    z = _z(2)
    e1, se1 = float(X.mean()), float(X.std(ddof=1)) / math.sqrt(R)
    # ratio of means r = E X^2 / (E X)^2 by the delta method
    a, b = float(np.mean(X * X)), e1
    grad = np.array([1 / b**2, -2 * a / b**3])
    cov = np.cov(np.vstack([X * X, X])) / R
    r_est, r_se = a / b**2, math.sqrt(float(grad @ cov @ grad))
    comps = [
        interval(r"$\mathbb E\|a^L\|^2/\|x\|^2$", e1, e1 - z * se1, e1 + z * se1, m1, level=LEVEL),
        interval(
            r"$\mathbb E X^2/(\mathbb E X)^2$ vs $\prod(1 + 5/n_l)$",
            r_est,
            r_est - z * r_se,
            r_est + z * r_se,
            fourth_moment_factor(widths[1:]),
            level=LEVEL,
        ),
        equal(
            "library second moment / first moment^2 vs the factor",
            m2 / m1**2,
            fourth_moment_factor(widths[1:]),
            64 * U64 * m2 / m1**2,
        ),
    ]
    lo_ratio, hi_ratio = math.inf, 0.0
    for _ in range(20):
        hidden = rng.integers(1, 200, size=int(rng.integers(1, 12)))
        S = float(np.sum(1.0 / hidden))
        V = fourth_moment_factor(hidden) - 1
        lo_b, hi_b = fluctuation_bounds(S)
        lo_ratio = min(lo_ratio, V / lo_b)
        hi_ratio = max(hi_ratio, V / hi_b)
    big = np.full(5, 10**6)
    S = float(np.sum(1.0 / big))
    comps += [
        lower(
            r"$\operatorname{Var}X/(\mathbb EX)^2$ / $5\sum1/n_l$, min",
            lo_ratio,
            1.0,
            slack=1e-12,
            units="ratio",
        ),
        upper(
            r"$\operatorname{Var}X/(\mathbb EX)^2$ / $(e^{5\sum1/n_l} - 1)$, max",
            hi_ratio,
            1.0,
            slack=1e-12,
            units="ratio",
        ),
        equal(
            r"the same at $n_l = 10^6$, $L = 5$: ratio to the lower bound",
            (fourth_moment_factor(big) - 1) / fluctuation_bounds(S)[0],
            1.0,
            5 * S,
            units="ratio",
            attains=True,
        ),
    ]
    return Evidence(R + 21, tuple(comps))


@single_threaded
def unit_kurtosis_is_exact(
    rng: np.random.Generator,
    *,
    fourth_moment_factor=ini.fourth_moment_factor,
) -> Evidence:
    r"""Proposition `prop-init-fourth-moment`: for 1500 He networks of width 32 with full
    matrices, at layers $\ell = 2, 3, 4$, the estimate of
    $\mathbb E(z^\ell_j)^4/(3(\mathbb E(z^\ell_j)^2)^2)$ (all units of a network averaged, the
    networks independent; delta method) lies in an interval containing
    $\prod_{l<\ell}(1 + 5/n_l)$; at $\ell = 1$ ($z^1$ Gaussian) the value is $1$."""
    R, n, depth = 1500, 32, 4
    widths = np.array([5] + [n] * depth)
    x = rng.standard_normal(5)
    s = ini.random_networks(widths, x, np.full(depth, 2.0), 0.0, "relu", R, rng)
    z = _z(depth)
    comps = []
    for ell in range(1, depth + 1):
        Z = s.Z[ell - 1]
        m4 = np.mean(Z**4, axis=1)  # per network: mean over its units
        m2 = np.mean(Z**2, axis=1)
        a, b = float(m4.mean()), float(m2.mean())
        grad = np.array([1 / (3 * b**2), -2 * a / (3 * b**3)])
        cov = np.cov(np.vstack([m4, m2])) / R
        est, se = a / (3 * b**2), math.sqrt(float(grad @ cov @ grad))
        comps.append(
            interval(
                f"$\\mathbb E z^4/(3(\\mathbb E z^2)^2)$ at layer {ell}",
                est,
                est - z * se,
                est + z * se,
                fourth_moment_factor(widths[1:ell]),
                level=LEVEL,
            )
        )
    return Evidence(R, tuple(comps))


@single_threaded
def linear_products_have_the_exact_law(
    rng: np.random.Generator,
    *,
    linear_norm_log_cdf=ini.linear_norm_log_cdf,
    lyapunov_exponent=ini.lyapunov_exponent,
) -> Evidence:
    r"""Proposition `prop-init-lyapunov` on 2000 linear networks with full Gaussian matrices
    ($n = 5$, $L = 8$, $c_w = 1$, and $n = 3$, $L = 4$, $c_w = 2$): the Kolmogorov–Smirnov distance
    of $\log\|Ju\|^2$ to $\prod_l(c_w/n)\chi^2_n$ is below the critical value at level $10^{-6}$;
    the mean of $\frac1{2L}\log\|Ju\|^2$ lies in an interval containing $\lambda$ (exact at every
    $L$: $\mathbb E\log\|Ju\|^2 = 2L\lambda$); $\mathbb E\|Ju\|^2 = c_w^L$ likewise."""
    R = 2000
    comps = []
    z = _z(4)
    crit = _ks_critical(R, 1e-6 / 2)
    for n, L, c_w in ((5, 8, 1.0), (3, 4, 2.0)):
        widths = np.full(L + 1, n)
        u = rng.standard_normal(n)
        u /= np.linalg.norm(u)
        s = ini.random_networks(widths, u, np.full(L, c_w), 0.0, "identity", R, rng)
        sq = np.sum(s.Z[-1] ** 2, axis=1)
        D = _ks_with_atom(np.log(sq), lambda y: linear_norm_log_cdf(y, n, L, c_w))
        comps.append(
            error(
                f"KS distance of $\\log\\|Ju\\|^2$, $n = {n}$, $L = {L}$",
                D,
                crit,
                units="KS distance",
            )
        )
        ly = np.log(sq) / (2 * L)
        est, se = float(ly.mean()), float(ly.std(ddof=1)) / math.sqrt(R)
        comps.append(
            interval(
                f"$\\frac1{{2L}}\\log\\|Ju\\|^2$ vs $\\lambda$, $n = {n}$",
                est,
                est - z * se,
                est + z * se,
                lyapunov_exponent(n, c_w),
                level=LEVEL,
            )
        )
        e, se2 = float(sq.mean()), float(sq.std(ddof=1)) / math.sqrt(R)
        comps.append(
            interval(
                f"$\\mathbb E\\|Ju\\|^2$ vs $c_w^L$, $n = {n}$",
                e,
                e - z * se2,
                e + z * se2,
                c_w**L,
                level=LEVEL,
            )
        )
    return Evidence(2 * R, tuple(comps))


CLAIMS = (
    Witness(
        "thm-init-exact-law",
        relu_norm_has_the_exact_law,
        "Kolmogorov-Smirnov tests of log ||a^L||^2/||x||^2 from ReLU networks with full matrices "
        "against the exact law (Gil-Pelaez inversion); the layer ratios uncorrelated",
        strength="exact",
    ),
    Witness(
        "cor-init-fluctuations",
        fluctuations_grow_with_inverse_widths,
        "Monte Carlo intervals for E X and E X^2/(E X)^2 = prod (1 + 5/n_l); the relative variance "
        "between 5 sum 1/n_l and exp(5 sum 1/n_l) - 1, the lower bound attained for wide layers",
        strength="sharp",
    ),
    Witness(
        "prop-init-fourth-moment",
        unit_kurtosis_is_exact,
        "E z^4/(3 (E z^2)^2) = prod (1 + 5/n_l) at layers 1-4 of width-32 He networks, Monte "
        "Carlo intervals",
        strength="exact",
    ),
    Witness(
        "prop-init-lyapunov",
        linear_products_have_the_exact_law,
        "log ||J u||^2 of deep linear networks against the exact product of chi-squares "
        "(Kolmogorov-Smirnov), its mean against the Lyapunov exponent, E ||J u||^2 = c_w^L",
        strength="exact",
    ),
)
