r"""Witnesses of Sections "Data, predictors, risk" and "Bayes predictors": `def-learn-problem`,
`def-learn-erm`, `def-learn-bayes`, `thm-learn-regression-function`, `thm-learn-bayes-classifier`.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import integrate, stats
from sklearn.metrics import mean_squared_error, zero_one_loss

from ... import learning
from ...registry import Witness
from .._common import Evidence, equal, error, rate, single_threaded, slope, upper
from ._common import (
    interval_risk,
    mixture_breakpoints,
    random_mixture,
    region_labels,
    uniform_mean,
    worst_interval,
)


def _gamma(k: int, dtype) -> float:
    u = float(np.finfo(np.dtype(dtype)).eps) / 2
    return k * u / (1 - k * u)


@single_threaded
def risks_match_definitions(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = np.dtype("float64"),
    empirical_risk=learning.empirical_risk,
    sample_regression=learning.sample_regression,
) -> Evidence:
    """Empirical risks vs scikit-learn's ``mean_squared_error`` (within their rounding,
    ``gamma_(n+3)`` relative) and ``zero_one_loss`` (within ``2u``); the risk as an expectation: the
    Monte Carlo risk (``N = 20 000`` pairs from ``sample_regression``) of affine predictors
    ``x -> alpha + beta x`` under the sine model vs the closed form
    ``alpha^2 + beta^2/3 + 1/2 - 2 beta/pi + sigma^2``, in a CLT confidence interval."""
    n_inst = 24
    sq_err = zo_err = 0.0
    for _ in range(n_inst):
        M, n = int(rng.integers(1, 6)), int(rng.integers(1, 40))
        yhat = rng.standard_normal((M, n)).astype(dtype)
        y = rng.standard_normal(n).astype(dtype)
        got = np.asarray(empirical_risk(yhat, y), dtype=np.float64)
        ref = np.array(
            [mean_squared_error(y.astype(np.float64), yhat[m].astype(np.float64)) for m in range(M)]
        )
        rel = np.abs(got - ref) / np.maximum(ref, np.finfo(np.float64).tiny)
        sq_err = max(
            sq_err, float(np.max(rel)) / _gamma(n + 3, dtype) if got.shape == ref.shape else np.inf
        )
        K = int(rng.integers(2, 5))
        lab = rng.integers(K, size=(M, n))
        tru = rng.integers(K, size=n)
        got01 = np.asarray(empirical_risk(lab, tru, loss="zero_one"), dtype=np.float64)
        ref01 = np.array([zero_one_loss(tru, lab[m]) for m in range(M)])
        zo_err = max(
            zo_err, float(np.max(np.abs(got01 - ref01))) if got01.shape == ref01.shape else np.inf
        )
    N = 20_000
    cases = []
    for _ in range(6):
        sigma = float(rng.uniform(0.1, 0.6))
        alpha, beta = (float(v) for v in rng.uniform(-1, 1, size=2))
        x, y = sample_regression(learning.sine_model(sigma), N, rng=rng, dtype=dtype)
        losses = ((alpha + beta * x - y) ** 2).astype(np.float64)
        closed = alpha**2 + beta**2 / 3 + 0.5 - 2 * beta / math.pi + sigma**2
        est = float(np.asarray(empirical_risk(alpha + beta * x, y)))
        at = f"alpha = {alpha:.2f}, beta = {beta:.2f}, sigma = {sigma:.2f}"
        cases.append((est, float(np.std(losses, ddof=1)) / math.sqrt(N), closed, at))
    return Evidence(
        n_inst + 6,
        (
            error(
                "empirical squared risk vs scikit-learn, relative error in units of "
                "$\\gamma_{n+3}$",
                sq_err,
                1.0,
                units="× bound",
            ),
            error(
                "empirical 0-1 risk vs scikit-learn",
                zo_err,
                4 * float(np.finfo(np.float64).eps),
                units="abs error",
            ),
            worst_interval(
                "Monte Carlo risk of $x\\mapsto\\alpha + \\beta x$ ($N = 20\\,000$) vs "
                "$\\alpha^2 + \\beta^2/3 + \\frac12 - 2\\beta/\\pi + \\sigma^2$",
                cases,
            ),
        ),
    )


@single_threaded
def least_squares_is_erm(
    rng: np.random.Generator, *, fit_polynomial=learning.fit_polynomial
) -> Evidence:
    """The library's least-squares polynomial is an empirical risk minimiser over the polynomials
    of degree <= p: its empirical risk equals that of numpy's ``Polynomial.fit`` (monomial basis)
    within the rounding of the residuals plus the square of the least-squares forward error of the
    fitted values over n (the gradient of the empirical risk vanishes at the minimum), and no random
    perturbation of its coefficients has a smaller empirical risk (beyond that rounding)."""
    n_inst = 30
    u = 2.0**-53
    gap_err = 0.0
    beaten = 0
    for _ in range(n_inst):
        a = float(rng.uniform(-3, 1))
        b = a + float(rng.uniform(0.5, 4))
        p = int(rng.integers(0, 7))
        n = int(rng.integers(p + 1, 40))
        x = rng.uniform(a, b, size=n)
        y = np.cos(2 * x) + 0.3 * rng.standard_normal(n)
        c = np.asarray(fit_polynomial(x, y, p, domain=(a, b)))
        Phi = learning.legendre_features(x, p, domain=(a, b))
        emp = float(np.mean((Phi @ c - y) ** 2))
        ref = float(np.mean((np.polynomial.Polynomial.fit(x, y, p)(x) - y) ** 2))
        # both minimisers carry the least-squares forward error: fitted values within
        # 8 (n + p) u (kappa |Phi c| + kappa^2 |r|) for the worse conditioned of the two designs
        # (Legendre here, monomials on numpy's window), which moves the minimal empirical risk by
        # its square over n (the gradient vanishes there), plus the rounding of the residuals
        t_np = 2 * (x - x.min()) / (x.max() - x.min()) - 1 if x.max() > x.min() else 0 * x
        kappa = max(
            float(np.linalg.cond(Phi)),
            float(np.linalg.cond(np.polynomial.polynomial.polyvander(t_np, p))),
        )
        fitted, res = float(np.linalg.norm(Phi @ c)), float(np.linalg.norm(Phi @ c - y))
        tol = (
            8 * _gamma(n + p + 2, np.float64) * float(np.mean((np.abs(y) + np.abs(Phi @ c)) ** 2))
            + (8 * (n + p) * u * (kappa * fitted + kappa**2 * res)) ** 2 / n
        )
        gap_err = max(gap_err, abs(emp - ref) / tol)
        for _ in range(5):
            dc = rng.standard_normal(p + 1) * 10.0 ** rng.uniform(-6, 0)
            worse = float(np.mean((Phi @ (c + dc) - y) ** 2))
            beaten += int(worse < emp - tol)
    return Evidence(
        n_inst,
        (
            error(
                "$|\\hat{\\mathcal R}_s(f_s) - \\hat{\\mathcal R}_s(\\text{numpy fit})|$ in units of "
                "its rounding bound",
                gap_err,
                1.0,
                units="× bound",
            ),
            equal(
                "perturbed coefficients with a smaller empirical risk", beaten, 0, 0, units="count"
            ),
        ),
    )


# --- Definition def-learn-bayes: the Bayes risk as an infimum over all predictors ---------------
def _switches(classify, lo: float, hi: float, n: int = 20001) -> tuple[np.ndarray, np.ndarray]:
    """The points where the predictor ``classify`` (a black box on arrays) changes its label in
    ``[lo, hi]``, by a grid of ``n`` points and bisection to ``1e-12``, and its labels on the
    pieces (including the two unbounded ones)."""
    xs = np.linspace(lo, hi, n)
    lab = np.asarray(classify(xs))
    edges = []
    for i in np.nonzero(lab[1:] != lab[:-1])[0]:
        left, right = xs[i], xs[i + 1]
        while right - left > 1e-12 * max(1.0, abs(left)):
            mid = 0.5 * (left + right)
            if np.asarray(classify(np.array([mid])))[0] == lab[i]:
                left = mid
            else:
                right = mid
        edges.append(0.5 * (left + right))
    labels = np.concatenate(([lab[0]], lab[1:][lab[1:] != lab[:-1]]))
    return np.array(edges), labels


def _best_on_cells(priors, means, sds, cuts: np.ndarray) -> float:
    """The least 0-1 risk of a predictor constant on each cell of the partition of the line by
    ``cuts``: ``1 - sum_cells max_y pi_y P_y(cell)`` (exact normal CDFs)."""
    F = stats.norm.cdf(
        np.concatenate(([-np.inf], cuts, [np.inf]))[:, None], np.asarray(means), np.asarray(sds)
    )
    mass = np.asarray(priors) * np.diff(F, axis=0)  # (cells, K): pi_y P_y(cell)
    return 1.0 - float(np.sum(mass.max(axis=1)))


def _sine_cell_gap(k: int) -> float:
    r"""$\mathbb E(f^*(X) - g(X))^2$ for $f^* = \sin(\pi\,\cdot)$, $X\sim U[-1, 1]$, and $g$ the
    best predictor constant on each of the $2^k$ equal cells (its cell means), in closed form:
    per cell $[u, v]$, $\int\sin^2 - (\int\sin)^2/(v - u)$."""
    e = np.linspace(-1, 1, 2**k + 1)
    u, v = e[:-1], e[1:]
    i1 = (np.cos(np.pi * u) - np.cos(np.pi * v)) / np.pi
    i2 = (v - u) / 2 - (np.sin(2 * np.pi * v) - np.sin(2 * np.pi * u)) / (4 * np.pi)
    return float(np.sum(i2 - i1**2 / (v - u))) / 2


@single_threaded
def bayes_is_the_infimum(
    rng: np.random.Generator,
    *,
    bayes_classifier=learning.bayes_classifier,
    squared_risk=learning.squared_risk,
) -> Evidence:
    """The Bayes risk is the infimum of the risk over *all* predictors, and a Bayes predictor
    attains it. The infimum is approached from above by the best predictors constant on the cells
    of finer and finer partitions (computed here exactly, independently of the library):

    * 0-1 loss, Gaussian mixtures: the risk of the library's ``bayes_classifier`` (read as a black
      box: its switch points by bisection, its risk by exact normal CDFs) is at most the least risk
      over predictors constant on ``2^k`` cells of ``[min mu - 10 max s, max mu + 10 max s]``,
      ``k = 4, ..., 10``, and equals the finest one to within the mass of the cells that contain a
      switch point (attained);
    * squared loss, sine model: the risk ``squared_risk(model, f*)`` is at most
      ``sigma^2 + E(f* - g_k)^2`` for ``g_k`` the best predictor constant on ``2^k`` cells (closed
      form), and the gap closes like the squared cell width (slope 2)."""
    n_inst = 6
    ratio_max, attain, attain_tol = 0.0, 0.0, 0.0
    for i in range(n_inst):
        K = (2, 3)[i % 2]
        priors, means, sds = random_mixture(rng, K)
        mix = learning.GaussianMixture(priors, means, sds)
        lo, hi = min(means) - 10 * max(sds), max(means) + 10 * max(sds)
        edges, labels = _switches(lambda x: bayes_classifier(mix, x), lo, hi)
        r_star = interval_risk(priors, means, sds, edges, labels)
        for k in range(4, 11):
            cuts = np.linspace(lo, hi, 2**k + 1)
            ratio_max = max(ratio_max, r_star / _best_on_cells(priors, means, sds, cuts))
        cuts = np.linspace(lo, hi, 2**10 + 1)  # the finest partition
        gap = _best_on_cells(priors, means, sds, cuts) - r_star
        cells = np.searchsorted(cuts, edges)  # cell index (1-based inside [lo, hi]) of each switch
        F = stats.norm.cdf(np.concatenate(([-np.inf], cuts, [np.inf]))[:, None], means, sds)
        mass = float(np.sum(np.asarray(priors) * np.diff(F, axis=0)[np.unique(cells)]))
        tol = mass + 1e-12
        if abs(gap) / tol > abs(attain) / max(attain_tol, 1e-300):
            attain, attain_tol = gap, tol
    sigma = float(rng.uniform(0.1, 0.6))
    model = learning.sine_model(sigma)
    r_f = float(squared_risk(model, model.f_star))
    ks = np.arange(5, 10)
    best = np.array([sigma**2 + _sine_cell_gap(int(k)) for k in ks])
    ratio_sq = float(np.max(r_f / best))
    width = 2.0 / 2.0**ks
    gaps = best - r_f
    fitted = slope(width, gaps) if np.all(gaps > 0) else math.nan
    return Evidence(
        n_inst + 1,
        (
            upper(
                "0-1 loss: $\\mathcal R(f^*)$ / least risk of predictors constant on $2^k$ "
                "cells, $k = 4..10$",
                ratio_max,
                1.0,
                slack=1e-12,
                units="ratio",
            ),
            equal(
                "0-1 loss: least risk on $2^{10}$ cells $- \\mathcal R(f^*)$ (tolerance: mass of "
                "the cells with a switch point)",
                attain,
                0.0,
                attain_tol,
                units="probability",
                attains=True,
            ),
            upper(
                "squared loss: $\\mathcal R(f^*)$ / least risk of predictors constant on $2^k$ "
                "cells, $k = 5..9$",
                ratio_sq,
                1.0,
                slack=1e-12,
                units="ratio",
            ),
            rate(
                "squared loss: slope of $\\log(\\text{least risk on cells} - \\mathcal R(f^*))$ "
                "against $\\log(\\text{cell width})$",
                fitted,
                2.0,
                0.05,
            ),
        ),
    )


@single_threaded
def regression_function_is_optimal(
    rng: np.random.Generator, *, sample_regression=learning.sample_regression
) -> Evidence:
    """Parts 1 and 2 by Monte Carlo (``N = 20 000`` pairs, CLT intervals), for a sine and a
    heteroscedastic cubic model: ``E[h(X)(Y - f*(X))] = 0`` (orthogonality),
    ``R(f*) = E v(X)`` (quadrature), and ``R(f* + h) - R(f*) = |h|^2`` (paired on one sample,
    quadrature), for random ``h`` with a jump in its derivative."""
    cubic = learning.RegressionModel(
        lambda x: x**3 - x, lambda x: 0.2 + 0.3 * np.abs(x), low=-1.5, high=1.0
    )
    N = 20_000
    bayes, excess, orth = [], [], []
    for model in (learning.sine_model(float(rng.uniform(0.1, 0.5))), cubic):
        x, y = sample_regression(model, N, rng=rng)
        a, b = model.low, model.high
        r_star = (model.f_star(x) - y) ** 2
        v_mean = uniform_mean(
            lambda t: float(model.noise_sd(np.array(t))) ** 2,
            a,
            b,
            points=[0.0] if a < 0 < b else None,
        )
        bayes.append((float(r_star.mean()), float(r_star.std(ddof=1)) / math.sqrt(N), v_mean, ""))
        for _ in range(4):
            c = rng.standard_normal(3) * 0.3
            shift = float(rng.uniform(a, b))

            def h(t, c=c, shift=shift):
                return c[0] + c[1] * t + c[2] * np.sign(t - shift) * t**2

            diff = (model.f_star(x) + h(x) - y) ** 2 - r_star  # paired: same sample
            h2 = uniform_mean(lambda t: float(h(np.array(t))) ** 2, a, b, points=[shift])
            excess.append((float(diff.mean()), float(diff.std(ddof=1)) / math.sqrt(N), h2, ""))
            prod = h(x) * (y - model.f_star(x))
            orth.append((float(prod.mean()), float(prod.std(ddof=1)) / math.sqrt(N), 0.0, ""))
    return Evidence(
        len(excess) + 2,
        (
            worst_interval("$\\mathbb E[h(X)(Y - f^*(X))]$ vs 0 (part 1)", orth),
            worst_interval("$\\mathcal R(f^*)$ vs $\\mathbb E\\,v(X)$ (quadrature)", bayes),
            worst_interval(
                "$\\mathcal R(f^* + h) - \\mathcal R(f^*)$ (paired) vs $\\|h\\|^2$ (quadrature)",
                excess,
            ),
        ),
    )


@single_threaded
def bayes_classifier_is_optimal(
    rng: np.random.Generator,
    *,
    bayes_classifier=learning.bayes_classifier,
    posterior=learning.posterior,
    sample_mixture=learning.sample_mixture,
) -> Evidence:
    """For Gaussian mixtures with ``K = 2, 3``: the posteriors are Bayes' rule with densities from
    ``scipy.stats.norm.pdf`` (within the rounding of the log joint densities, ``4(K+4) u max|G|``);
    the library's classifier agrees with the exact Bayes regions (breakpoints from the pairwise
    quadratics) away from the breakpoints, and at exact ties (symmetric mixtures at the midpoint,
    all terms equal bit for bit) returns the smallest label; its Monte Carlo 0-1 risk
    (``N = 40 000``) agrees with the closed-form Bayes risk; for classifiers with perturbed
    breakpoints the excess risk (closed form) equals ``E[max eta - eta_f]`` (scipy quad), and for
    ``K = 2`` also ``E[|2 eta - 1| 1{f != f*}]``."""
    n_inst = 8
    N = 40_000
    post_err = 0.0
    disagree = ties_wrong = 0
    mc = []
    formula_err = binary_err = 0.0
    for i in range(n_inst):
        K = (2, 3)[i % 2]
        priors, means, sds = random_mixture(rng, K)
        mix = learning.GaussianMixture(priors, means, sds)
        for dtype in (np.float64, np.float32):
            x = rng.uniform(-6, 6, size=50).astype(dtype)
            joint = np.asarray(priors) * stats.norm.pdf(
                x.astype(np.float64)[:, None], np.asarray(means), np.asarray(sds)
            )
            ref = joint / joint.sum(axis=1, keepdims=True)
            got = np.asarray(posterior(mix, x), dtype=np.float64)
            G = np.log(priors) - 0.5 * ((x.astype(np.float64)[:, None] - means) / sds) ** 2
            bound = 4 * (K + 4) * float(np.finfo(dtype).eps) / 2 * (1 + float(np.abs(G).max()))
            post_err = max(
                post_err,
                float(np.max(np.abs(got - ref))) / bound if got.shape == ref.shape else np.inf,
            )
        edges = mixture_breakpoints(priors, means, sds)
        labels = region_labels(priors, means, sds, edges)
        r_star = interval_risk(priors, means, sds, edges, labels)
        xg = rng.uniform(-8, 8, size=400)
        if len(edges):
            xg = xg[np.min(np.abs(xg[:, None] - edges[None, :]), axis=1) > 1e-6]
        got = np.asarray(bayes_classifier(mix, xg))
        disagree += (
            int(np.sum(got != labels[np.searchsorted(edges, xg)])) if got.shape == xg.shape else 1
        )
        m, s = float(rng.uniform(0.5, 3)), float(rng.uniform(0.5, 2))
        tie = learning.GaussianMixture((0.5, 0.5), (-m, m), (s, s))
        ties_wrong += int(np.asarray(bayes_classifier(tie, np.zeros(1)))[0] != 0)
        tie3 = learning.GaussianMixture((0.25, 0.375, 0.375), (-3 * m, -m, m), (s, s, s))
        ties_wrong += int(np.asarray(bayes_classifier(tie3, np.zeros(1)))[0] != 1)
        x, y = sample_mixture(mix, N, rng=rng)
        freq = float(np.mean(np.asarray(bayes_classifier(mix, x)) != y))
        mc.append((freq, math.sqrt(r_star * (1 - r_star) / N), r_star, f"K = {K}"))
        for _ in range(3):
            if not len(edges):
                break
            e2 = np.sort(edges + rng.normal(0, 0.5, size=len(edges)))
            r_f = interval_risk(priors, means, sds, e2, labels)

            def integrand(t: float, e2=e2, binary: bool = False) -> float:
                j = np.asarray(priors) * stats.norm.pdf(t, means, sds)  # pi_y p_y(t)
                yf = labels[np.searchsorted(e2, t)]
                if binary:  # |2 eta - 1| p = |pi_1 p_1 - pi_0 p_0| where f != f*
                    return float(abs(j[1] - j[0])) * float(yf != labels[np.searchsorted(edges, t)])
                return float(j.max() - j[yf])  # (max eta - eta_f) p

            pts = sorted(set(np.round(np.concatenate((edges, e2)), 12)))
            lo, hi = min(pts) - 12 * max(sds), max(pts) + 12 * max(sds)
            ex, _ = integrate.quad(integrand, lo, hi, points=pts, limit=400, epsabs=1e-13)
            formula_err = max(formula_err, abs((r_f - r_star) - ex))
            if K == 2:
                exb, _ = integrate.quad(
                    lambda t: integrand(t, binary=True), lo, hi, points=pts, limit=400, epsabs=1e-13
                )
                binary_err = max(binary_err, abs((r_f - r_star) - exb))
    return Evidence(
        n_inst,
        (
            error(
                "posterior vs Bayes' rule with scipy densities, in units of "
                "$4(K+4)u(1 + \\max|\\log\\pi_yp_y|)$, float32 and float64",
                post_err,
                1.0,
                units="× bound",
            ),
            equal("disagreements with the exact Bayes regions", disagree, 0, 0, units="count"),
            equal("exact ties not given the smallest label", ties_wrong, 0, 0, units="count"),
            worst_interval(
                "Monte Carlo 0-1 risk of the classifier ($N = 40\\,000$) vs the closed-form "
                "$\\mathcal R^*$",
                mc,
            ),
            equal(
                "excess risk of perturbed classifiers vs quad $\\mathbb E[\\max_y\\eta_y - "
                "\\eta_{f(X)}]$",
                formula_err,
                0.0,
                1e-9,
                units="abs error",
            ),
            equal(
                "the same for $K = 2$ vs quad $\\mathbb E[|2\\eta - 1|\\mathbf 1\\{f\\ne f^*\\}]$",
                binary_err,
                0.0,
                1e-9,
                units="abs error",
            ),
        ),
    )


CLAIMS = (
    Witness(
        "def-learn-problem",
        risks_match_definitions,
        "empirical risks vs scikit-learn; Monte Carlo risks vs closed forms",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "def-learn-erm",
        least_squares_is_erm,
        "least squares attains the minimal empirical risk (numpy Polynomial.fit, perturbations)",
        strength="exact",
    ),
    Witness(
        "def-learn-bayes",
        bayes_is_the_infimum,
        "the Bayes risk as the infimum over all predictors, approached by predictors constant on "
        "finer and finer cells, attained by f*",
        strength="sharp",
    ),
    Witness(
        "thm-learn-regression-function",
        regression_function_is_optimal,
        "orthogonality, R(f*) = E v(X), R(f* + h) - R(f*) = ||h||^2: Monte Carlo vs quadrature",
        strength="exact",
    ),
    Witness(
        "thm-learn-bayes-classifier",
        bayes_classifier_is_optimal,
        "posterior by Bayes' rule; classifier vs exact regions and ties; risk and excess-risk "
        "formulas",
        strength="exact",
    ),
)
