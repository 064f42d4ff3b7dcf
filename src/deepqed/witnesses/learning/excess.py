r"""Witnesses of Section "The excess-risk decomposition": `def-learn-excess`,
`prop-learn-excess-signs`, `prop-learn-excess-squared`.

The running example: the sine model, polynomial least squares of degree $p$ (the ERM $f_s$),
a gradient-descent iterate on the empirical risk ($\hat f$), and the best polynomial of degree
$\le p$ ($\Pi f^*$). Independent references: risks as expectations by Monte Carlo on fresh test
pairs drawn here with NumPy (paired differences, CLT intervals); risks by SciPy quadrature of
$\mathcal R(f) = \mathbb E\,v(X) + \mathbb E(f(X) - f^*(X))^2$; the best predictor in
$\mathcal F_p$ from the normal equations in the *monomial* basis of $t$ with the exact Gram matrix
$\mathbb E[t^{i+j}] = \mathbf 1\{i + j\text{ even}\}/(i + j + 1)$ and quadrature moments,
independently of the Legendre code of the library. Polynomials in the Legendre basis are evaluated
with ``numpy.polynomial.legendre.legval``.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import integrate

from ... import learning
from ...registry import Witness
from .._common import Evidence, equal, error, single_threaded
from ._common import worst_interval

U64 = 2.0**-53


def _mean_t(g) -> tuple[float, float]:
    """``E g(t)`` for ``t ~ Uniform[-1, 1]`` by scipy quad, and a bound on its error: the accuracy
    requested from quad, ``max(1e-13, 1e-12 |I|)``, plus quad's error estimate."""
    val, err = integrate.quad(g, -1.0, 1.0, limit=200, epsabs=1e-13, epsrel=1e-12)
    return val / 2, (max(1e-13, 1e-12 * abs(val)) + err) / 2


def _best_monomial(f_of_t, p: int) -> tuple[np.ndarray, float]:
    """Monomial coefficients (in t) of the L^2(Uniform[-1, 1]) projection of f onto degree <= p,
    and a bound on their error: ``|G^-1| |e| + kappa(G) u |c|`` (``e`` quad's error estimates of
    the moments, ``G`` the exact Gram matrix)."""
    i = np.arange(p + 1)
    s = i[:, None] + i[None, :]
    G = np.where(s % 2 == 0, 1.0 / (s + 1), 0.0)
    moments = [_mean_t(lambda t, j=j: f_of_t(t) * t**j) for j in range(p + 1)]
    m = np.array([v for v, _ in moments])
    e = np.array([err for _, err in moments])
    c = np.linalg.solve(G, m)
    inv_norm = float(np.linalg.norm(np.linalg.inv(G), 2))
    bound = inv_norm * float(np.linalg.norm(e)) + 8 * np.linalg.cond(G) * U64 * np.linalg.norm(c)
    return c, float(bound)


def _sq_dist(f1, f2) -> tuple[float, float]:
    return _mean_t(lambda t: float(f1(t) - f2(t)) ** 2)


def _instance(rng: np.random.Generator):
    sigma = float(rng.uniform(0.1, 0.5))
    model = learning.sine_model(sigma)
    n = int(rng.integers(12, 40))
    x, y = learning.sample_regression(model, n, rng=rng)
    return model, sigma, x, y


def _gd(x, y, p, steps):
    """Gradient descent on the empirical risk in the Legendre basis, from 0, step 1/Lipschitz."""
    Phi = np.polynomial.legendre.legvander(x, p)
    n = len(x)
    c = np.zeros(p + 1)
    step = n / (2 * np.linalg.norm(Phi, 2) ** 2)
    for _ in range(steps):
        c = c - step * (2 / n) * Phi.T @ (Phi @ c - y)
    return c


@single_threaded
def excess_terms_are_risk_differences(
    rng: np.random.Generator,
    *,
    excess_risk_decomposition=learning.excess_risk_decomposition,
    squared_risk=learning.squared_risk,
    legendre_projection=learning.legendre_projection,
) -> Evidence:
    """The three terms of Definition def-learn-excess as the library computes them (risks by
    ``squared_risk``, the best predictor by ``legendre_projection``, the terms by
    ``excess_risk_decomposition``) are differences of *risks*, i.e. of expected losses on fresh
    data: each term, and their sum ``R(f_hat) - R*``, vs the Monte Carlo mean of the paired loss
    differences on ``N = 40 000`` fresh test pairs (CLT intervals); and each library risk vs scipy
    quadrature of ``E v(X) + E(f - f*)^2`` (within quad's error estimate plus ``64 u R``). The
    best predictor is checked as the library's, the ERM is ``numpy.linalg.lstsq`` in the Legendre
    basis, ``f_hat`` a gradient-descent iterate."""
    n_inst = 5
    N = 40_000
    cases: dict[str, list] = {"opt": [], "est": [], "app": [], "total": []}
    quad_err = 0.0
    f_star = np.sin
    for _ in range(n_inst):
        model, sigma, x, y = _instance(rng)
        p = int(rng.integers(0, 7))
        c_erm = np.linalg.lstsq(np.polynomial.legendre.legvander(x, p), y, rcond=None)[0]
        c_hat = _gd(x, y, p, int(rng.integers(1, 200)))
        c_best = np.asarray(legendre_projection(model.f_star, p))
        preds = {
            name: (lambda t, c=c: np.polynomial.legendre.legval(t, c))
            for name, c in (("hat", c_hat), ("erm", c_erm), ("best", c_best))
        }
        preds["star"] = lambda t: np.sin(np.pi * t)
        risks = {name: float(squared_risk(model, f)) for name, f in preds.items()}
        try:
            e = excess_risk_decomposition(risks["hat"], risks["erm"], risks["best"], risks["star"])
            terms = (e.optimization, e.estimation, e.approximation, e.total)
        except ValueError:  # the library refuses risks out of order: a failed comparison
            terms = (math.nan,) * 4
        for name, f in preds.items():
            d2, err = _sq_dist(lambda t, f=f: f(np.array(t)), lambda t: float(np.sin(np.pi * t)))
            quad_err = max(
                quad_err, abs(risks[name] - (sigma**2 + d2)) / (err + 64 * U64 * risks[name])
            )
        X = rng.uniform(-1, 1, size=N)
        Y = f_star(np.pi * X) + sigma * rng.standard_normal(N)
        loss = {name: (f(X) - Y) ** 2 for name, f in preds.items()}
        at = f"p = {p}"
        for key, (a, b), term in zip(
            ("opt", "est", "app", "total"),
            (("hat", "erm"), ("erm", "best"), ("best", "star"), ("hat", "star")),
            terms,
        ):
            d = loss[a] - loss[b]
            rounding = 8 * U64 * (float(np.mean(loss[a] + loss[b])) + abs(term))
            cases[key].append(
                (float(d.mean()), float(d.std(ddof=1)) / math.sqrt(N), term, at, rounding)
            )
    labels = {
        "opt": "$\\mathcal E_{\\mathrm{opt}}$ vs Monte Carlo $\\mathcal R(\\hat f) - \\mathcal "
        "R(f_s)$",
        "est": "$\\mathcal E_{\\mathrm{est}}$ vs Monte Carlo $\\mathcal R(f_s) - \\mathcal "
        "R(\\Pi f^*)$",
        "app": "$\\mathcal E_{\\mathrm{app}}$ vs Monte Carlo $\\mathcal R(\\Pi f^*) - \\mathcal "
        "R(f^*)$",
        "total": "sum of the three vs Monte Carlo $\\mathcal R(\\hat f) - \\mathcal R^*$",
    }
    return Evidence(
        n_inst,
        (
            *(worst_interval(labels[k] + f" ($N = {N}$, paired)", cases[k]) for k in labels),
            error(
                "library risks vs quadrature of $\\mathbb E\\,v + \\mathbb E(f - f^*)^2$, in "
                "units of quad's error bound $+ 64u\\mathcal R$",
                quad_err,
                1.0,
                units="× bound",
            ),
        ),
    )


@single_threaded
def excess_signs_hold(
    rng: np.random.Generator, *, fit_polynomial=learning.fit_polynomial
) -> Evidence:
    """Parts 1-4 with risks by quadrature (counts of violations beyond the quadrature and rounding
    error, which must be 0): the approximation error is >= 0 and does not increase from degree
    ``p`` to ``q > p``; the estimation error of the library's ERM is >= 0; the empirical
    optimisation error of gradient-descent iterates (1 to 2000 steps) is >= 0; and for
    ``f_hat = Pi f*`` the optimisation error is minus the estimation error, negative when the
    latter is positive."""
    n_inst = 6
    counts = {"app": 0, "nested": 0, "est": 0, "emp": 0, "neg": 0}
    part4 = 0.0

    def f_star(t):
        return math.sin(math.pi * t)

    for _ in range(n_inst):
        model, sigma, x, y = _instance(rng)
        p = int(rng.integers(0, 5))
        q = p + int(rng.integers(1, 4))
        approx = []
        for deg in (p, q):
            c_best, c_err = _best_monomial(f_star, deg)
            app, app_err = _sq_dist(lambda t: np.polynomial.polynomial.polyval(t, c_best), f_star)
            app_tol = app_err + 2 * math.sqrt(deg + 1) * c_err * (1 + math.sqrt(app))
            approx.append((app, app_tol))
            c_erm = np.asarray(fit_polynomial(x, y, deg))
            d_erm, d_err = _sq_dist(lambda t: np.polynomial.legendre.legval(t, c_erm), f_star)
            est = d_erm - app
            counts["app"] += int(app < -app_tol)
            counts["est"] += int(est < -(app_tol + d_err))
            Phi = np.polynomial.legendre.legvander(x, deg)
            emp_erm = float(np.mean((Phi @ c_erm - y) ** 2))
            tol = 8 * (len(x) + deg) * U64 * float(np.mean(y**2) + np.mean((Phi @ c_erm) ** 2))
            for steps in (1, 10, 100, 2000):
                emp_gd = float(np.mean((Phi @ _gd(x, y, deg, steps) - y) ** 2))
                counts["emp"] += int(emp_gd < emp_erm - tol)
            # part 4: f_hat = Pi f*, so E_opt = R(Pi f*) - R(f_s) = -E_est, negative if E_est > 0
            r_best, r_erm = sigma**2 + app, sigma**2 + max(d_erm, app)
            e = learning.excess_risk_decomposition(r_best, r_erm, r_best, sigma**2)
            part4 = max(part4, abs(e.optimization + e.estimation) / (4 * U64 * r_erm))
            counts["neg"] += int(e.estimation > app_tol + d_err and not e.optimization < 0)
        counts["nested"] += int(approx[1][0] > approx[0][0] + approx[0][1] + approx[1][1])
    labels = {
        "app": "(1) approximation errors $< 0$",
        "nested": "(1) approximation error increasing from degree $p$ to $q > p$",
        "est": "(2) estimation errors of the ERM $< 0$",
        "emp": "(3) empirical optimisation errors of gradient-descent iterates $< 0$",
        "neg": "(4) $\\hat f = \\Pi f^*$ with $\\mathcal E_{\\mathrm{est}} > 0$ but "
        "$\\mathcal E_{\\mathrm{opt}}\\ge 0$",
    }
    return Evidence(
        n_inst,
        (
            *(equal(labels[k], counts[k], 0, 0, units="count") for k in labels),
            error(
                "(4) $|\\mathcal E_{\\mathrm{opt}} + \\mathcal E_{\\mathrm{est}}|$ for "
                "$\\hat f = \\Pi f^*$, in units of $4u\\mathcal R(f_s)$",
                part4,
                1.0,
                units="× bound",
            ),
        ),
    )


@single_threaded
def projection_matches_quadrature(
    rng: np.random.Generator, *, legendre_projection=learning.legendre_projection
) -> Evidence:
    """The library's Legendre projection (Gauss-Legendre) vs the monomial-basis projection from
    the exact Gram matrix and scipy quad moments, on a grid, within the reference's error bound
    (:func:`_best_monomial`) plus rounding; and the Pythagorean formula
    ``R(g) - R(Pi f*) = |g - Pi f*|^2`` for random ``g`` in ``F_p`` (the noise cancels), within
    quad's error estimates."""
    n_inst = 10
    grid = np.linspace(-1, 1, 101)
    proj_err = pyth_err = 0.0
    for i in range(n_inst):
        a = float(rng.uniform(-3, 1))
        b = a + float(rng.uniform(0.5, 3))
        w, ph = float(rng.uniform(0.5, 3)), float(rng.uniform(0, 3))
        f = [
            lambda x: np.sin(w * x + ph),
            lambda x: np.exp(0.7 * x),
            lambda x: 1 / (1 + (x - a) ** 2),
        ][i % 3]

        def to_x(t):
            return (a + b) / 2 + (b - a) / 2 * t

        p = int(rng.integers(0, 9))
        c_lib = np.asarray(legendre_projection(f, p, domain=(a, b)))
        c_ref, c_err = _best_monomial(lambda t: float(f(to_x(t))), p)
        lib_vals = np.polynomial.legendre.legval(grid, c_lib)
        ref_vals = np.polynomial.polynomial.polyval(grid, c_ref)
        scale = float(np.max(np.abs(f(to_x(grid)))))
        tol = math.sqrt(p + 1) * c_err + 64 * (p + 1) * U64 * scale
        proj_err = max(proj_err, float(np.max(np.abs(lib_vals - ref_vals))) / tol)
        g_c = c_lib + rng.standard_normal(p + 1) * 0.3

        def g(t):
            return np.polynomial.legendre.legval(t, g_c)

        def pf(t):
            return np.polynomial.legendre.legval(t, c_lib)

        def ft(t):
            return float(f(to_x(t)))

        d_g, e_g = _sq_dist(g, ft)
        d_p, e_p = _sq_dist(pf, ft)
        rhs, e_r = _sq_dist(g, pf)
        pyth_err = max(pyth_err, abs((d_g - d_p) - rhs) / (e_g + e_p + e_r + 16 * U64 * d_g))
    return Evidence(
        n_inst,
        (
            error(
                "Legendre projection vs monomial projection (exact Gram, quad moments), in units "
                "of the reference's error bound",
                proj_err,
                1.0,
                units="× bound",
            ),
            error(
                "$|(\\mathcal R(g) - \\mathcal R(\\Pi f^*)) - \\|g - \\Pi f^*\\|^2|$ in units of "
                "quad's error bounds",
                pyth_err,
                1.0,
                units="× bound",
            ),
        ),
    )


CLAIMS = (
    Witness(
        "def-learn-excess",
        excess_terms_are_risk_differences,
        "the three terms are differences of risks: library vs Monte Carlo on fresh data and "
        "quadrature",
        strength="exact",
    ),
    Witness(
        "prop-learn-excess-signs",
        excess_signs_hold,
        "signs of approximation, estimation and empirical optimisation errors",
        strength="exact",
    ),
    Witness(
        "prop-learn-excess-squared",
        projection_matches_quadrature,
        "best-in-class polynomial and the Pythagorean excess formula vs quadrature",
        strength="exact",
    ),
)
