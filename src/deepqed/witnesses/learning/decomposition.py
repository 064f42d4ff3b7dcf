r"""Witnesses of Section "Estimators and the bias–variance–noise decomposition":
`def-learn-estimator`, `thm-learn-bias-variance`, `def-learn-polyls`, `def-learn-knn`,
`prop-learn-linear-smoother`, `prop-learn-mc-unbiased`."""

from __future__ import annotations

import math

import numpy as np
from sklearn.neighbors import KNeighborsRegressor, NearestNeighbors

from ... import learning
from ...registry import Witness
from .._common import Evidence, error, single_threaded
from ._common import worst_interval


def _shrinkage_predictions(
    rng: np.random.Generator,
    R: int,
    T: int,
    n: int,
    theta: float,
    sigma: float,
    lam: float,
    mu: float,
) -> np.ndarray:
    """F[r, t] = lam * mean(Y_1..Y_n) + mu for independent samples Y ~ N(theta, sigma^2);
    shape (R, T): R training samples at each of T independent "points"."""
    Ybar = theta + sigma / math.sqrt(n) * rng.standard_normal((R, T))  # exact law of the mean
    return lam * Ybar + mu


@single_threaded
def shrinkage_bias_variance_closed_form(
    rng: np.random.Generator, *, bias_variance_decomposition=learning.bias_variance_decomposition
) -> Evidence:
    """Estimator f_S = lam * Ybar + mu of a constant regression function theta (the definition's
    three quantities in closed form: bias^2 = ((lam - 1) theta + mu)^2, var = lam^2 sigma^2 / n,
    noise sigma^2): Monte Carlo estimates from R = 4000 training samples in intervals of the
    chi-square and delta-method standard errors; the noise passed through exactly."""
    n_inst = 12
    R = 4000
    var_cases, bias_cases = [], []
    noise_err = 0.0
    for _ in range(n_inst):
        theta, mu = (float(v) for v in rng.uniform(-2, 2, size=2))
        sigma, lam = float(rng.uniform(0.5, 2)), float(rng.uniform(0, 1.2))
        n = int(rng.integers(1, 30))
        F = _shrinkage_predictions(rng, R, 1, n, theta, sigma, lam, mu)
        bv = bias_variance_decomposition(F, np.array([theta]), np.array([sigma**2]))
        var = lam**2 * sigma**2 / n
        bias = (lam - 1) * theta + mu
        at = f"lambda = {lam:.2f}, n = {n}"
        var_cases.append((float(np.asarray(bv.variance)[0]), var * math.sqrt(2 / (R - 1)), var, at))
        se_b2 = 2 * abs(bias) * math.sqrt(var / R) + 3 * var / R
        bias_cases.append((float(np.asarray(bv.bias2)[0]), se_b2, bias**2, at))
        noise_err = max(noise_err, abs(float(np.asarray(bv.noise)[0]) - sigma**2))
    return Evidence(
        n_inst,
        (
            worst_interval(
                f"Monte Carlo variance ($R = {R}$) vs $\\lambda^2\\sigma^2/n$", var_cases
            ),
            worst_interval(
                f"Monte Carlo bias$^2$ ($R = {R}$) vs $((\\lambda - 1)\\theta + \\mu)^2$",
                bias_cases,
            ),
            error("noise passed through", noise_err, 0.0, units="abs error"),
        ),
    )


@single_threaded
def mc_estimates_are_unbiased(
    rng: np.random.Generator, *, bias_variance_decomposition=learning.bias_variance_decomposition
) -> Evidence:
    """With R = 2..5 samples, the average over T = 20000 independent repetitions of the estimates
    of bias^2 and variance vs the closed forms (unbiasedness, CLT intervals), and the exact
    identity bias2 + variance = (1/R) sum_r (F_r - f*)^2 within ``8 gamma_(R+4)`` relative; on
    predictions with a common offset of 1e6 (where the sum-of-squares formula
    ``mean(F^2) - mean(F)^2`` loses every digit) the variance estimate agrees with the two-pass
    float64 reference computed from the deviations, within ``8 gamma_(R+4)`` relative to
    ``(1/R) sum_r (F_r - Fbar)^2 + u |offset| max|F_r - Fbar|``."""
    n_inst = 8
    T = 20_000
    u = 2.0**-53
    var_cases, bias_cases = [], []
    identity = offset_err = 0.0
    for _ in range(n_inst):
        R = int(rng.integers(2, 6))
        theta, mu = (float(v) for v in rng.uniform(-1, 1, size=2))
        sigma, lam = float(rng.uniform(1, 2)), float(rng.uniform(0.5, 1.2))
        n = int(rng.integers(1, 5))
        F = _shrinkage_predictions(rng, R, T, n, theta, sigma, lam, mu)  # (R, T)
        f_star = np.full(T, theta)
        bv = bias_variance_decomposition(F, f_star, np.zeros(T))
        b2, v = np.asarray(bv.bias2), np.asarray(bv.variance)
        var, bias2 = lam**2 * sigma**2 / n, ((lam - 1) * theta + mu) ** 2
        at = f"R = {R}"
        var_cases.append((float(v.mean()), float(v.std(ddof=1)) / math.sqrt(T), var, at))
        bias_cases.append((float(b2.mean()), float(b2.std(ddof=1)) / math.sqrt(T), bias2, at))
        rhs = np.mean((F - f_star) ** 2, axis=0)
        scale = np.mean((np.abs(F) + np.abs(f_star)) ** 2, axis=0)
        g = 8 * (R + 4) * u / (1 - (R + 4) * u)
        identity = max(identity, float(np.max(np.abs(b2 + v - rhs) / scale)) / g)
        offset = 1e6
        Fo = F[:, :200]
        G = Fo + offset
        dev = Fo - Fo.mean(axis=0)  # the deviations, from the predictions before the offset
        ref = np.sum(dev**2, axis=0) / (R - 1)
        got = np.asarray(
            bias_variance_decomposition(G, f_star[:200] + offset, np.zeros(200)).variance
        )
        # rounding: each shifted entry and the mean carry (R + 3) u (offset + max|F|), E say; the
        # variance of the rounded deviations is off by at most (2 max|dev| E + E^2) R / (R - 1)
        E = (R + 3) * u * (offset + np.abs(Fo).max(axis=0))
        tol = g * ref + (2 * np.abs(dev).max(axis=0) * E + E**2) * R / (R - 1)
        offset_err = max(offset_err, float(np.max(np.abs(got - ref) / tol)))
    return Evidence(
        n_inst,
        (
            worst_interval(
                f"mean of $T = {T}$ variance estimates ($R = 2..5$) vs $\\mathrm{{var}}$",
                var_cases,
            ),
            worst_interval(
                f"mean of $T = {T}$ bias$^2$ estimates vs $\\mathrm{{bias}}^2$", bias_cases
            ),
            error(
                "$|\\widehat{\\mathrm{bias}^2} + \\hat V - \\frac1R\\sum_r(F_r - f^*)^2|$ "
                "in units of $8\\gamma_{R+4}\\frac1R\\sum_r(|F_r| + |f^*|)^2$",
                identity,
                1.0,
                units="× bound",
            ),
            error(
                "variance estimate with a common offset $10^6$ vs the two-pass reference, in "
                "units of its rounding bound",
                offset_err,
                1.0,
                units="× bound",
            ),
        ),
    )


@single_threaded
def bias_variance_noise_sum_to_risk(
    rng: np.random.Generator, *, bias_variance_decomposition=learning.bias_variance_decomposition
) -> Evidence:
    """E bias^2 + E var + E v (Monte Carlo over R training samples at test points x_q ~ D_X, with f*
    and v known) vs the expected risk measured on R other training samples, each with fresh test
    pairs (X, Y), for polynomial least squares and k-NN; CLT / delta-method confidence interval
    (se_L: CLT over the R measured risks; se_D: Var_r(mean_q (F_rq - f*_q)^2)/R +
    Var_q(g_q)/m_dec)."""
    cubic = learning.RegressionModel(
        lambda x: x**3 - x, lambda x: 0.2 + 0.3 * np.abs(x), low=-1.5, high=1.0
    )
    n, R, m_dec, m_risk = 40, 200, 250, 100
    estimators = [
        ("poly", 0),
        ("poly", 1),
        ("poly", 3),
        ("poly", 5),
        ("knn", 1),
        ("knn", 4),
        ("knn", 12),
    ]
    cases = []
    for j, (kind, par) in enumerate(estimators):
        model = (learning.sine_model(float(rng.uniform(0.1, 0.5))), cubic)[j % 2]

        def fit_predict(x, y, xt, kind=kind, par=par, model=model):
            if kind == "poly":
                return learning.polynomial_regression(x, y, xt, par, domain=model.domain)
            return learning.knn_regression(x[..., None], y, xt[..., None], par)

        # right-hand side: bias^2 + var + noise at x_q ~ D_X (shared), R training samples
        x, y = learning.sample_regression(model, n, rng=rng, size=(R,))
        xq = rng.uniform(model.low, model.high, size=m_dec)
        F = fit_predict(x, y, xq)
        f_q, v_q = model.f_star(xq), learning.noise_variance(model, xq)
        bv = bias_variance_decomposition(F, f_q, v_q)
        g = np.asarray(bv.bias2) + np.asarray(bv.variance) + np.asarray(bv.noise)
        D = float(g.mean())
        h = np.mean((F - f_q) ** 2, axis=1)  # per training sample
        se_D = math.sqrt(float(h.var(ddof=1)) / R + float(g.var(ddof=1)) / m_dec)
        # left-hand side: measured risk, R other training samples, fresh test pairs each
        x, y = learning.sample_regression(model, n, rng=rng, size=(R,))
        xt, yt = learning.sample_regression(model, m_risk, rng=rng, size=(R,))
        risk_r = np.array(
            [np.mean((fit_predict(x[r], y[r], xt[r]) - yt[r]) ** 2) for r in range(R)]
        )
        L = float(risk_r.mean())
        se_L = float(risk_r.std(ddof=1)) / math.sqrt(R)
        cases.append((L - D, math.hypot(se_D, se_L), 0.0, f"{kind} {par}"))
    return Evidence(
        len(estimators),
        (
            worst_interval(
                "measured $\\mathbb E_S\\mathcal R(f_S)$ minus $\\mathbb E\\,v + \\mathbb E\\,"
                "\\mathrm{bias}^2 + \\mathbb E\\,\\mathrm{var}$ (both by Monte Carlo, "
                f"$R = {R}$), polynomial degree $0, 1, 3, 5$, $k$-NN $k = 1, 4, 12$",
                cases,
            ),
        ),
    )


@single_threaded
def polyls_matches_references(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = np.dtype("float64"),
    polynomial_regression=learning.polynomial_regression,
) -> Evidence:
    """Polynomial least-squares predictions vs numpy's ``Polynomial.fit`` in float64 (the minimum
    of the same least-squares problem in the monomial basis), R samples per call, within the
    least-squares perturbation bound of the data's dtype: coefficients to within
    ``8 (n + p) u (kappa |c| + kappa^2 |r| / |Phi|)`` (``kappa`` the condition number of the
    Legendre design, ``r`` the residual), times ``|Phi_test|`` for the predictions."""
    n_inst = 24
    u = float(np.finfo(np.dtype(dtype)).eps) / 2
    worst = 0.0
    for _ in range(n_inst):
        a = float(rng.uniform(-5, 2))
        b = a + float(rng.uniform(0.2, 6))
        p = int(rng.integers(0, 9))
        n = int(rng.integers(p + 2, 60))
        R = int(rng.integers(1, 5))
        x = rng.uniform(a, b, size=(R, n)).astype(dtype).astype(np.float64)
        y = (np.sin(3 * x / (b - a)) + rng.standard_normal((R, n))).astype(dtype).astype(np.float64)
        xt = rng.uniform(a, b, size=20).astype(dtype).astype(np.float64)
        ref = np.stack([np.polynomial.Polynomial.fit(x[r], y[r], p)(xt) for r in range(R)])
        got = np.asarray(
            polynomial_regression(
                x.astype(dtype), y.astype(dtype), xt.astype(dtype), p, domain=(a, b)
            ),
            dtype=np.float64,
        )
        if got.shape != ref.shape:
            worst = np.inf
            continue
        Phi_t = learning.legendre_features(xt, p, domain=(a, b))
        for r in range(R):
            Phi = learning.legendre_features(x[r], p, domain=(a, b))
            c, *_ = np.linalg.lstsq(Phi, y[r], rcond=None)
            kappa = float(np.linalg.cond(Phi))
            res = float(np.linalg.norm(Phi @ c - y[r]))
            nPhi = float(np.linalg.norm(Phi, 2))
            dc = 8 * (n + p) * u * (kappa * float(np.linalg.norm(c)) + kappa**2 * res / nPhi)
            tol = dc * float(np.linalg.norm(Phi_t, 2)) + 8 * (p + 2) * u * float(
                np.abs(ref[r]).max()
            )
            worst = max(worst, float(np.max(np.abs(got[r] - ref[r]))) / tol)
    return Evidence(
        n_inst,
        (
            error(
                "predictions vs numpy Polynomial.fit, in units of the least-squares perturbation "
                "bound, degree 0..8",
                worst,
                1.0,
                units="× bound",
            ),
        ),
    )


@single_threaded
def knn_matches_references(
    rng: np.random.Generator, *, knn_regression=learning.knn_regression
) -> Evidence:
    """k-NN predictions vs sklearn KNeighborsRegressor (continuous inputs), and vs a loop that
    sorts (distance, index) pairs (integer inputs with ties); the means of the same k responses
    agree to ``4 gamma_k max|y|`` (summation order)."""
    worst = 0.0
    n_inst = 24
    for i in range(n_inst):
        d = int(rng.integers(1, 4))
        n = int(rng.integers(1, 40))
        k = int(rng.integers(1, n + 1))
        R = int(rng.integers(1, 4))
        ties = i % 3 == 2
        if ties:
            X = rng.integers(-2, 3, size=(R, n, d)).astype(np.float64)
            Xt = rng.integers(-2, 3, size=(15, d)).astype(np.float64)
        else:
            X = rng.standard_normal((R, n, d))
            Xt = rng.standard_normal((15, d))
        y = rng.standard_normal((R, n))
        got = np.asarray(knn_regression(X, y, Xt, k))
        if ties:
            ref = np.empty((R, len(Xt)))
            for r in range(R):
                for j, xt in enumerate(Xt):
                    order = sorted(
                        range(n), key=lambda i_: (float(np.sum((X[r, i_] - xt) ** 2)), i_)
                    )
                    ref[r, j] = np.mean(y[r, order[:k]])
        else:
            ref = np.stack(
                [
                    KNeighborsRegressor(n_neighbors=k, algorithm="brute")
                    .fit(X[r], y[r])
                    .predict(Xt)
                    for r in range(R)
                ]
            )
        bound = 4 * k * 2.0**-53 / (1 - k * 2.0**-53) * float(np.abs(y).max())
        worst = max(
            worst, float(np.max(np.abs(got - ref))) / bound if got.shape == ref.shape else math.inf
        )
    return Evidence(
        n_inst,
        (
            error(
                "$k$-NN predictions vs scikit-learn (brute force) and vs a (distance, index) sort "
                "with ties, in units of $4\\gamma_k\\max|y|$",
                worst,
                1.0,
                units="× bound",
            ),
        ),
    )


def _smoother_poly(x: np.ndarray, p: int, a: float, b: float) -> np.ndarray:
    """H = Q Q^T from the QR factorization of the monomial Vandermonde matrix of t(x)."""
    t = (2 * x - a - b) / (b - a)
    Q, _ = np.linalg.qr(np.polynomial.polynomial.polyvander(t, p))
    return Q @ Q.T


def _smoother_knn(x: np.ndarray, k: int) -> np.ndarray:
    """L = (1/k) * connectivity graph of the k nearest neighbours (sklearn; the point itself
    included)."""
    nn = NearestNeighbors(n_neighbors=k, algorithm="brute").fit(x[:, None])
    return nn.kneighbors_graph(x[:, None], mode="connectivity").toarray() / k


@single_threaded
def linear_smoother_fixed_design(
    rng: np.random.Generator,
    *,
    polynomial_regression=learning.polynomial_regression,
    knn_regression=learning.knn_regression,
    bias_variance_decomposition=learning.bias_variance_decomposition,
) -> Evidence:
    """Fixed design: tr(L L^T) = p + 1 resp. n/k for independently built smoother matrices (QR of
    the monomial Vandermonde matrix; sklearn's neighbour graph); the library's predictions are L y;
    Monte Carlo average variance and bias^2 vs sigma^2 tr(L L^T)/n and norm((L - I) f)^2 / n."""
    trace_err = lib_err = 0.0
    var_cases, bias_cases = [], []
    n_inst = 8
    R = 2000
    for i in range(n_inst):
        n = int(rng.integers(15, 40))
        x = np.sort(rng.uniform(-1, 1, size=n))
        f = np.sin(np.pi * x) + x
        sigma = float(rng.uniform(0.2, 1.0))
        if i % 2 == 0:
            par = int(rng.integers(0, 6))
            L = _smoother_poly(x, par, -1.0, 1.0)
            trace = par + 1
            predict = lambda xs, ys, par=par: polynomial_regression(xs, ys, x, par)
        else:
            par = int(rng.integers(1, 8))
            L = _smoother_knn(x, par)
            trace = n / par
            predict = lambda xs, ys, par=par: knn_regression(xs[..., None], ys, x[:, None], par)
        trace_err = max(
            trace_err, abs(float(np.trace(L @ L.T)) - trace) / trace / (16 * n * 2.0**-53)
        )
        # the library is the linear map y -> L y (responses e_1, ..., e_n, one per row)
        L_lib = np.asarray(predict(np.tile(x, (n, 1)), np.eye(n))).T
        kappa = 1.0 if i % 2 else float(np.linalg.cond(np.polynomial.polynomial.polyvander(x, par)))
        lib_err = max(
            lib_err,
            float(np.max(np.abs(L_lib - L))) / (64 * n * 2.0**-53 * kappa)
            if L_lib.shape == L.shape
            else math.inf,
        )
        # Monte Carlo over R noise draws on the fixed design
        Y = f + sigma * rng.standard_normal((R, n))
        F = np.asarray(predict(np.tile(x, (R, 1)), Y))
        bv = bias_variance_decomposition(F, f, np.full(n, sigma**2))
        var_avg = sigma**2 * trace / n
        b = L @ f - f
        b2_avg = float(b @ b) / n
        at = ("polynomial p = " if i % 2 == 0 else "k-NN k = ") + str(par)
        var_cases.append(
            (float(np.mean(bv.variance)), var_avg * math.sqrt(2 / (R - 1)), var_avg, at)
        )
        se_b = 2 * sigma * float(np.linalg.norm(L.T @ b)) / (n * math.sqrt(R)) + 3 * var_avg / R
        bias_cases.append((float(np.mean(bv.bias2)), se_b, b2_avg, at))
    return Evidence(
        n_inst,
        (
            error(
                "$\\operatorname{tr}(LL^\\top)$ vs $p + 1$ resp. $n/k$, relative error in units "
                "of $16nu$",
                trace_err,
                1.0,
                units="× bound",
            ),
            error(
                "library predictions as the map $y\\mapsto Ly$ vs $L$ from QR / the neighbour "
                "graph, in units of $64nu\\kappa$",
                lib_err,
                1.0,
                units="× bound",
            ),
            worst_interval(
                f"Monte Carlo ($R = {R}$) average variance vs $\\sigma^2\\operatorname{{tr}}"
                "(LL^\\top)/n$",
                var_cases,
            ),
            worst_interval(
                f"Monte Carlo ($R = {R}$) average bias$^2$ vs $\\|(L - I)\\mathbf f\\|^2/n$",
                bias_cases,
            ),
        ),
    )


CLAIMS = (
    Witness(
        "def-learn-estimator",
        shrinkage_bias_variance_closed_form,
        "bias^2, variance, noise of a shrunk mean: Monte Carlo vs closed form",
        strength="exact",
    ),
    Witness(
        "thm-learn-bias-variance",
        bias_variance_noise_sum_to_risk,
        "bias^2 + variance + noise vs independently measured expected risk",
        strength="exact",
    ),
    Witness(
        "def-learn-polyls",
        polyls_matches_references,
        "polynomial least squares vs numpy Polynomial.fit",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "def-learn-knn",
        knn_matches_references,
        "k-NN vs scikit-learn and an explicit tie-breaking sort",
        strength="exact",
    ),
    Witness(
        "prop-learn-linear-smoother",
        linear_smoother_fixed_design,
        "fixed-design smoother matrices, traces and Monte Carlo variance",
        strength="exact",
    ),
    Witness(
        "prop-learn-mc-unbiased",
        mc_estimates_are_unbiased,
        "unbiasedness of the Monte Carlo bias^2 and variance estimates",
        strength="exact",
    ),
)
