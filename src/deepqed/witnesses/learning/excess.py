r"""Witnesses of Section "The excess-risk decomposition": `def-learn-excess`,
`prop-learn-excess-signs`, `prop-learn-excess-squared`.

Risks are computed by SciPy quadrature from the definition
$\mathcal R(f) = \mathbb E\,v(X) + \mathbb E(f(X) - f^*(X))^2$ for the sine model, and the best predictor in
$\mathcal F_p$ from the normal equations in the *monomial* basis of $t$ with the exact Gram matrix
$\mathbb E[t^{i+j}] = \mathbf 1\{i + j\text{ even}\}/(i + j + 1)$ and quadrature moments, independently of
the Legendre code of the library.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import integrate

from ... import learning
from ...registry import Figures, Witness
from ._common import nan_max


def _mean_t(g) -> float:
    """E g(t) for t ~ Uniform[-1, 1], by scipy quad."""
    val, _ = integrate.quad(g, -1.0, 1.0, limit=200, epsabs=1e-13, epsrel=1e-11)
    return val / 2


def _best_monomial(f_of_t, p: int) -> np.ndarray:
    """Monomial coefficients (in t) of the L^2(Uniform[-1, 1]) projection of f onto degree <= p."""
    i = np.arange(p + 1)
    s = i[:, None] + i[None, :]
    G = np.where(s % 2 == 0, 1.0 / (s + 1), 0.0)
    m = np.array([_mean_t(lambda t, j=j: f_of_t(t) * t**j) for j in range(p + 1)])
    return np.linalg.solve(G, m)


def _sq_dist(f1, f2) -> float:
    return _mean_t(lambda t: float(f1(t) - f2(t)) ** 2)


def _instance(rng: np.random.Generator):
    sigma = float(rng.uniform(0.1, 0.5))
    model = learning.sine_model(sigma)
    n = int(rng.integers(12, 40))
    x, y = learning.sample_regression(model, n, rng=rng)
    return model, sigma, x, y


def _gd(x, y, p, steps):
    """Gradient descent on the empirical risk in the Legendre basis, from 0, step 1/Lipschitz."""
    Phi = learning.legendre_features(x, p)
    n = len(x)
    c = np.zeros(p + 1)
    step = n / (2 * np.linalg.norm(Phi, 2) ** 2)
    for _ in range(steps):
        c = c - step * (2 / n) * Phi.T @ (Phi @ c - y)
    return c


def excess_terms_sum_to_excess(
    rng: np.random.Generator, *, excess_risk_decomposition=learning.excess_risk_decomposition
) -> Figures:
    """The three terms returned by the library vs R(f_hat) - R(f_s), R(f_s) - inf R, inf R - R*
    computed by quadrature, and their sum vs R(f_hat) - R*."""
    errors = []
    n_inst = 8
    for _ in range(n_inst):
        model, sigma, x, y = _instance(rng)
        p = int(rng.integers(0, 7))
        f_star = lambda t: math.sin(math.pi * t)
        c_best = _best_monomial(f_star, p)
        best = lambda t: np.polynomial.polynomial.polyval(t, c_best)
        c_erm = learning.fit_polynomial(x, y, p)
        c_hat = _gd(x, y, p, int(rng.integers(1, 200)))
        risk = lambda c: (
            sigma**2 + _sq_dist(lambda t: learning.predict_polynomial(c, np.array([t]))[0], f_star)
        )
        r_hat, r_erm = risk(c_hat), risk(c_erm)
        r_best = sigma**2 + _sq_dist(best, f_star)
        e = excess_risk_decomposition(r_hat, r_erm, r_best, sigma**2)
        ref = (r_hat - r_erm, r_erm - r_best, r_best - sigma**2)
        got = (e.optimization, e.estimation, e.approximation)
        errors.append(max(abs(g - r) for g, r in zip(got, ref)) / 1e-12)
        errors.append(abs(e.total - (r_hat - sigma**2)) / 1e-12)
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "|library terms - quadrature differences| and |sum - (R(f_hat) - R*)|, units "
        "1e-12; sine model, degree 0..6, f_hat = gradient descent iterate",
    )


def excess_signs_hold(
    rng: np.random.Generator, *, fit_polynomial=learning.fit_polynomial
) -> Figures:
    """Signs: approximation error >= 0 and non-increasing in the degree, estimation error >= 0,
    empirical optimisation error of gradient-descent iterates >= 0, and E_opt = -E_est for
    f_hat = best in class; risks by quadrature."""
    errors = []
    n_inst = 6
    f_star = lambda t: math.sin(math.pi * t)
    for _ in range(n_inst):
        model, sigma, x, y = _instance(rng)
        p = int(rng.integers(0, 5))
        q = p + int(rng.integers(1, 4))
        approx = []
        for deg in (p, q):
            c_best = _best_monomial(f_star, deg)
            approx.append(_sq_dist(lambda t: np.polynomial.polynomial.polyval(t, c_best), f_star))
            c_erm = np.asarray(fit_polynomial(x, y, deg))
            est = (
                _sq_dist(lambda t: learning.predict_polynomial(c_erm, np.array([t]))[0], f_star)
                - approx[-1]
            )
            errors.append(max(0.0, -approx[-1]) / 1e-12)
            errors.append(max(0.0, -est) / 1e-10)
            Phi = learning.legendre_features(x, deg)
            emp_erm = float(np.mean((Phi @ c_erm - y) ** 2))
            for steps in (1, 10, 100, 2000):
                emp_gd = float(np.mean((Phi @ _gd(x, y, deg, steps) - y) ** 2))
                errors.append(max(0.0, emp_erm - emp_gd) / 1e-10)
            # part 4: f_hat = best in class: E_opt = R(best) - R(f_s) = -E_est
            e = learning.excess_risk_decomposition(
                sigma**2 + approx[-1], sigma**2 + approx[-1] + est, sigma**2 + approx[-1], sigma**2
            )
            errors.append(abs(e.optimization + e.estimation) / 1e-12)
        errors.append(max(0.0, approx[1] - approx[0]) / 1e-12)
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "largest violation of: E_app >= 0, E_app non-increasing (units 1e-12), E_est >= 0, "
        "empirical E_opt >= 0 for 1..2000 gradient steps (units 1e-10), E_opt = -E_est "
        "for f_hat = best in class; quadrature risks",
    )


def projection_matches_quadrature(
    rng: np.random.Generator, *, legendre_projection=learning.legendre_projection
) -> Figures:
    """Legendre projection (Gauss-Legendre) vs the monomial-basis projection from the exact Gram
    matrix and scipy quad moments; and R(f) - R(Pi f*) = norm(f - Pi f*)^2 for random f in F_p."""
    errors = []
    n_inst = 10
    grid = np.linspace(-1, 1, 101)
    for i in range(n_inst):
        a = float(rng.uniform(-3, 1))
        b = a + float(rng.uniform(0.5, 3))
        w, ph = float(rng.uniform(0.5, 3)), float(rng.uniform(0, 3))
        f = [
            lambda x: np.sin(w * x + ph),
            lambda x: np.exp(0.7 * x),
            lambda x: 1 / (1 + (x - a) ** 2),
        ][i % 3]
        to_x = lambda t: (a + b) / 2 + (b - a) / 2 * t
        p = int(rng.integers(0, 9))
        c_lib = np.asarray(legendre_projection(f, p, domain=(a, b)))
        c_ref = _best_monomial(lambda t: float(f(to_x(t))), p)
        lib_vals = learning.predict_polynomial(c_lib, to_x(grid), domain=(a, b))
        ref_vals = np.polynomial.polynomial.polyval(grid, c_ref)
        scale = float(np.max(np.abs(f(to_x(grid)))))
        errors.append(float(np.max(np.abs(lib_vals - ref_vals))) / scale / 1e-8)
        # Pythagoras: R(g) - R(Pi f*) = ||g - Pi f*||^2 (the noise cancels)
        g_c = c_lib + rng.standard_normal(p + 1) * 0.3
        g = lambda t: learning.predict_polynomial(g_c, np.array([to_x(t)]), domain=(a, b))[0]
        pf = lambda t: learning.predict_polynomial(c_lib, np.array([to_x(t)]), domain=(a, b))[0]
        ft = lambda t: float(f(to_x(t)))
        lhs = _sq_dist(g, ft) - _sq_dist(pf, ft)
        rhs = _sq_dist(g, pf)
        errors.append(abs(lhs - rhs) / max(rhs, 1e-3) / 1e-8)
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "max |Legendre projection - monomial projection (exact Gram, quad moments)| / "
        "sup|f| and |(R(g) - R(Pi f*)) - ||g - Pi f*||^2| / ||g - Pi f*||^2, units 1e-8",
    )


CLAIMS = (
    Witness(
        "def-learn-excess",
        excess_terms_sum_to_excess,
        "excess-risk terms vs quadrature; the telescoping identity",
    ),
    Witness(
        "prop-learn-excess-signs",
        excess_signs_hold,
        "signs of approximation, estimation and empirical optimisation errors",
    ),
    Witness(
        "prop-learn-excess-squared",
        projection_matches_quadrature,
        "best-in-class polynomial and the Pythagorean excess formula vs quadrature",
    ),
)
