r"""Witnesses of Sections "Data, predictors, risk" and "Bayes predictors": `def-learn-problem`,
`def-learn-erm`, `def-learn-bayes`, `thm-learn-regression-function`, `thm-learn-bayes-classifier`."""

from __future__ import annotations

import math

import numpy as np
from scipy import integrate, stats
from sklearn.metrics import mean_squared_error, zero_one_loss

from ... import learning
from ...registry import Figures, Witness
from ._common import (
    Z_TOL,
    interval_risk,
    mixture_breakpoints,
    nan_max,
    random_mixture,
    region_labels,
    uniform_mean,
    z_score,
)


def risks_match_definitions(
    rng: np.random.Generator,
    *,
    empirical_risk=learning.empirical_risk,
    sample_regression=learning.sample_regression,
) -> Figures:
    """Empirical risks vs scikit-learn's metrics; Monte Carlo risks of affine predictors vs the
    closed form alpha^2 + beta^2/3 + 1/2 - 2 beta/pi + sigma^2 under the sine model."""
    errors = []
    n_inst = 24
    for i in range(n_inst):
        M, n = int(rng.integers(1, 6)), int(rng.integers(1, 40))
        dtype = (np.float64, np.float32)[i % 2]
        yhat = rng.standard_normal((M, n)).astype(dtype)
        y = rng.standard_normal(n).astype(dtype)
        got = np.asarray(empirical_risk(yhat, y), dtype=np.float64)
        ref = np.array(
            [mean_squared_error(y.astype(np.float64), yhat[m].astype(np.float64)) for m in range(M)]
        )
        if got.shape != ref.shape:
            errors.append(math.inf)
            continue
        eps = 2.0**-23 if dtype == np.float32 else 2.0**-52
        errors.append(float(np.max(np.abs(got - ref) / np.maximum(ref, 1.0))) / (20 * n * eps))
        K = int(rng.integers(2, 5))
        lab = rng.integers(K, size=(M, n))
        tru = rng.integers(K, size=n)
        got01 = np.asarray(empirical_risk(lab, tru, loss="zero_one"), dtype=np.float64)
        ref01 = np.array([zero_one_loss(tru, lab[m]) for m in range(M)])
        errors.append(
            float(np.max(np.abs(got01 - ref01))) / 1e-12 if got01.shape == ref01.shape else math.inf
        )
    # risk as an expectation: LLN with a CLT confidence interval
    N = 20_000
    for _ in range(6):
        sigma = float(rng.uniform(0.1, 0.6))
        alpha, beta = rng.uniform(-1, 1, size=2)
        x, y = sample_regression(learning.sine_model(sigma), N, rng=rng)
        losses = (alpha + beta * x - y) ** 2
        closed = alpha**2 + beta**2 / 3 + 0.5 - 2 * beta / math.pi + sigma**2
        z = z_score(
            float(np.asarray(empirical_risk(alpha + beta * x, y))),
            closed,
            float(np.std(losses, ddof=1)) / math.sqrt(N),
        )
        errors.append(z / Z_TOL)
    return Figures(
        n_inst + 6,
        nan_max(errors),
        1.0,
        "max of: |risk - sklearn mean_squared_error / zero_one_loss| in units of 20 n eps "
        "(float32/64) resp. 1e-12; |MC risk of x -> alpha + beta x - closed form| / "
        f"(standard error) / {Z_TOL}",
    )


def least_squares_is_erm(
    rng: np.random.Generator, *, fit_polynomial=learning.fit_polynomial
) -> Figures:
    """Empirical risk of the library's least-squares polynomial vs numpy Polynomial.fit (monomial
    basis), and vs random perturbations of its coefficients (it must not be beaten)."""
    errors = []
    n_inst = 30
    for _ in range(n_inst):
        a = float(rng.uniform(-3, 1))
        b = a + float(rng.uniform(0.5, 4))
        p = int(rng.integers(0, 7))
        n = int(rng.integers(p + 1, 40))
        x = rng.uniform(a, b, size=n)
        y = np.cos(2 * x) + 0.3 * rng.standard_normal(n)
        c = fit_polynomial(x, y, p, domain=(a, b))
        Phi = learning.legendre_features(x, p, domain=(a, b))
        emp = float(np.mean((Phi @ c - y) ** 2))
        ref_poly = np.polynomial.Polynomial.fit(x, y, p)
        ref = float(np.mean((ref_poly(x) - y) ** 2))
        scale = float(np.mean(y**2)) + 1e-300
        errors.append(abs(emp - ref) / scale / 1e-9)
        for _ in range(5):
            dc = rng.standard_normal(p + 1) * 10.0 ** rng.uniform(-6, 0)
            worse = float(np.mean((Phi @ (c + dc) - y) ** 2))
            errors.append(max(0.0, emp - worse) / scale / 1e-12)
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "max of: |R_s(lib fit) - R_s(numpy Polynomial.fit)| / mean(y^2) in units of 1e-9, "
        "and (R_s(fit) - R_s(perturbed fit))_+ / mean(y^2) in units of 1e-12, float64",
    )


def posterior_is_bayes_rule(rng: np.random.Generator, *, posterior=learning.posterior) -> Figures:
    """eta_y(x) = pi_y p_y(x) / sum_j pi_j p_j(x) with densities from scipy.stats.norm.pdf."""
    errors = []
    n_inst = 30
    for i in range(n_inst):
        K = int(rng.integers(2, 6))
        priors, means, sds = random_mixture(rng, K)
        mix = learning.GaussianMixture(priors, means, sds)
        x = rng.uniform(-6, 6, size=50)
        joint = np.asarray(priors) * stats.norm.pdf(x[:, None], np.asarray(means), np.asarray(sds))
        ref = joint / joint.sum(axis=1, keepdims=True)
        dtype = (np.float64, np.float32)[i % 2]
        got = np.asarray(posterior(mix, x.astype(dtype)), dtype=np.float64)
        if got.shape != ref.shape:
            errors.append(math.inf)
            continue
        tol = 1e-12 if dtype == np.float64 else 1e-5
        errors.append(float(np.max(np.abs(got - ref))) / tol)
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "max |posterior - Bayes' rule with scipy.stats.norm.pdf| in units of 1e-12 "
        "(float64) resp. 1e-5 (float32), K in 2..5",
    )


def regression_function_is_optimal(
    rng: np.random.Generator, *, sample_regression=learning.sample_regression
) -> Figures:
    """Monte Carlo R(f* + h) - R(f*) (paired samples) vs norm(h)^2 by scipy quad, and R(f*) vs
    E v(X) by quad, for a sine and a heteroscedastic cubic model, with CLT confidence intervals."""
    cubic = learning.RegressionModel(
        lambda x: x**3 - x, lambda x: 0.2 + 0.3 * np.abs(x), low=-1.5, high=1.0
    )
    errors = []
    N = 20_000
    n_inst = 0
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
        errors.append(
            z_score(float(r_star.mean()), v_mean, float(r_star.std(ddof=1)) / math.sqrt(N)) / Z_TOL
        )
        n_inst += 1
        for _ in range(4):
            c = rng.standard_normal(3) * 0.3
            shift = float(rng.uniform(a, b))
            h = lambda t, c=c, shift=shift: c[0] + c[1] * t + c[2] * np.sign(t - shift) * t**2
            diff = (model.f_star(x) + h(x) - y) ** 2 - r_star  # paired: same sample
            h2 = uniform_mean(lambda t: float(h(np.array(t))) ** 2, a, b, points=[shift])
            errors.append(
                z_score(float(diff.mean()), h2, float(diff.std(ddof=1)) / math.sqrt(N)) / Z_TOL
            )
            n_inst += 1
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        f"|MC (R(f*+h) - R(f*)) - ||h||^2 (quad)| and |MC R(f*) - E v(X) (quad)| in "
        f"standard errors / {Z_TOL}; N = {N} samples, paired",
    )


def bayes_classifier_is_optimal(
    rng: np.random.Generator,
    *,
    bayes_classifier=learning.bayes_classifier,
    sample_mixture=learning.sample_mixture,
) -> Figures:
    """Closed-form Bayes risk (Bayes regions from the pairwise quadratics, Phi from scipy) vs the
    Monte Carlo 0-1 risk of the library's classifier; perturbed regions have larger closed-form risk,
    and their excess equals E[max eta - eta_f] by scipy quad."""
    errors = []
    n_inst = 8
    N = 40_000
    for i in range(n_inst):
        K = (2, 3)[i % 2]
        priors, means, sds = random_mixture(rng, K)
        mix = learning.GaussianMixture(priors, means, sds)
        edges = mixture_breakpoints(priors, means, sds)
        labels = region_labels(priors, means, sds, edges)
        r_star = interval_risk(priors, means, sds, edges, labels)
        # the classifier agrees with the exact regions away from the breakpoints
        xg = rng.uniform(-8, 8, size=400)
        if len(edges):
            xg = xg[np.min(np.abs(xg[:, None] - edges[None, :]), axis=1) > 1e-6]
        region = np.searchsorted(edges, xg)
        got = np.asarray(bayes_classifier(mix, xg))
        errors.append(
            float(np.mean(got != labels[region])) / 1e-12 if got.shape == xg.shape else math.inf
        )
        # Monte Carlo risk of the library classifier vs the closed form
        x, y = sample_mixture(mix, N, rng=rng)
        mc = float(np.mean(np.asarray(bayes_classifier(mix, x)) != y))
        errors.append(z_score(mc, r_star, math.sqrt(r_star * (1 - r_star) / N)) / Z_TOL)
        # perturbed classifiers: shift the breakpoints
        for _ in range(3):
            if not len(edges):
                break
            e2 = np.sort(edges + rng.normal(0, 0.5, size=len(edges)))
            r_f = interval_risk(priors, means, sds, e2, labels)
            errors.append(max(0.0, r_star - r_f) / 1e-12)

            def integrand(t: float) -> float:
                j = priors * stats.norm.pdf(t, means, sds)  # pi_y p_y(t)
                yf = labels[np.searchsorted(e2, t)]
                return float(j.max() - j[yf])  # (max eta - eta_f) p

            pts = sorted(set(np.round(np.concatenate((edges, e2)), 12)))
            lo, hi = min(pts) - 12 * max(sds), max(pts) + 12 * max(sds)
            ex, _ = integrate.quad(integrand, lo, hi, points=pts, limit=400, epsabs=1e-13)
            errors.append(abs((r_f - r_star) - ex) / 1e-9)
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "max of: disagreement with exact Bayes regions (units 1e-12); |MC 0-1 risk - "
        f"closed form| in standard errors / {Z_TOL} (N = {N}); (R* - R(perturbed))_+ "
        "(units 1e-12); |excess - quad E[max eta - eta_f]| (units 1e-9)",
    )


CLAIMS = (
    Witness(
        "def-learn-problem",
        risks_match_definitions,
        "empirical risks vs scikit-learn; Monte Carlo risks vs closed forms",
    ),
    Witness(
        "def-learn-erm",
        least_squares_is_erm,
        "least squares attains the minimal empirical risk (numpy Polynomial.fit, perturbations)",
    ),
    Witness(
        "def-learn-bayes", posterior_is_bayes_rule, "posterior vs Bayes' rule with scipy densities"
    ),
    Witness(
        "thm-learn-regression-function",
        regression_function_is_optimal,
        "R(f* + h) - R(f*) = ||h||^2 and R(f*) = E v(X), Monte Carlo vs quadrature",
    ),
    Witness(
        "thm-learn-bayes-classifier",
        bayes_classifier_is_optimal,
        "Bayes classifier vs exact regions, closed-form risk and excess-risk formula",
    ),
)
