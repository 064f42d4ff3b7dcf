r"""Witnesses of Section "Estimators and the bias–variance–noise decomposition":
`def-learn-estimator`, `thm-learn-bias-variance`, `def-learn-polyls`, `def-learn-knn`,
`prop-learn-linear-smoother`, `prop-learn-mc-unbiased`."""

from __future__ import annotations

import math

import numpy as np
from sklearn.neighbors import KNeighborsRegressor, NearestNeighbors

from ... import learning
from ...registry import Figures, Witness
from ._common import Z_TOL, nan_max, z_score


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


def shrinkage_bias_variance_closed_form(
    rng: np.random.Generator, *, bias_variance_decomposition=learning.bias_variance_decomposition
) -> Figures:
    """Estimator f_S = lam * Ybar + mu of a constant regression function theta: Monte Carlo bias^2,
    variance vs the closed forms ((lam - 1) theta + mu)^2 and lam^2 sigma^2 / n."""
    errors = []
    n_inst = 12
    R = 4000
    for _ in range(n_inst):
        theta, mu = rng.uniform(-2, 2, size=2)
        sigma, lam = float(rng.uniform(0.5, 2)), float(rng.uniform(0, 1.2))
        n = int(rng.integers(1, 30))
        F = _shrinkage_predictions(rng, R, 1, n, theta, sigma, lam, mu)
        bv = bias_variance_decomposition(F, np.array([theta]), np.array([sigma**2]))
        var = lam**2 * sigma**2 / n
        bias = (lam - 1) * theta + mu
        se_var = var * math.sqrt(2 / (R - 1))  # chi-square, Gaussian predictions
        se_b2 = 2 * abs(bias) * math.sqrt(var / R) + 3 * var / R
        errors.append(z_score(float(np.asarray(bv.variance)[0]), var, se_var) / Z_TOL)
        errors.append(z_score(float(np.asarray(bv.bias2)[0]), bias**2, se_b2) / Z_TOL)
        errors.append(abs(float(np.asarray(bv.noise)[0]) - sigma**2) / 1e-12)
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        f"Monte Carlo (R = {R}) bias^2 and variance of lam*Ybar + mu vs closed forms, in "
        f"standard errors / {Z_TOL}; noise passed through (units 1e-12)",
    )


def mc_estimates_are_unbiased(
    rng: np.random.Generator, *, bias_variance_decomposition=learning.bias_variance_decomposition
) -> Figures:
    """With R = 2..5 samples, the average over T = 20000 independent repetitions of the estimates
    of bias^2 and variance vs the closed forms (unbiasedness), and the exact identity
    bias2 + variance = (1/R) sum_r (F_r - f*)^2."""
    errors = []
    n_inst = 8
    T = 20_000
    for _ in range(n_inst):
        R = int(rng.integers(2, 6))
        theta, mu = rng.uniform(-1, 1, size=2)
        sigma, lam = float(rng.uniform(1, 2)), float(rng.uniform(0.5, 1.2))
        n = int(rng.integers(1, 5))
        F = _shrinkage_predictions(rng, R, T, n, theta, sigma, lam, mu)  # (R, T)
        f_star = np.full(T, theta)
        bv = bias_variance_decomposition(F, f_star, np.zeros(T))
        b2, v = np.asarray(bv.bias2), np.asarray(bv.variance)
        var, bias2 = lam**2 * sigma**2 / n, ((lam - 1) * theta + mu) ** 2
        errors.append(z_score(float(v.mean()), var, float(v.std(ddof=1)) / math.sqrt(T)) / Z_TOL)
        errors.append(
            z_score(float(b2.mean()), bias2, float(b2.std(ddof=1)) / math.sqrt(T)) / Z_TOL
        )
        lhs = b2 + v
        rhs = np.mean((F - f_star) ** 2, axis=0)
        errors.append(float(np.max(np.abs(lhs - rhs) / np.maximum(rhs, 1.0))) / 1e-12)
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        f"mean over T = {T} repetitions of the estimates (R = 2..5) vs closed-form bias^2 "
        f"and variance, in standard errors / {Z_TOL}; third identity in units of 1e-12",
    )


def bias_variance_noise_sum_to_risk(
    rng: np.random.Generator, *, bias_variance_decomposition=learning.bias_variance_decomposition
) -> Figures:
    """E bias^2 + E var + E v (Monte Carlo over R training samples at test points x_q ~ D_X, with f*
    and v known) vs the expected risk measured on R other training samples, each with fresh test
    pairs (X, Y), for polynomial least squares and k-NN; CLT / delta-method confidence interval."""
    cubic = learning.RegressionModel(
        lambda x: x**3 - x, lambda x: 0.2 + 0.3 * np.abs(x), low=-1.5, high=1.0
    )
    n, R, m_dec, m_risk = 40, 300, 400, 100
    estimators = [
        ("poly", 0),
        ("poly", 1),
        ("poly", 3),
        ("poly", 5),
        ("knn", 1),
        ("knn", 4),
        ("knn", 12),
    ]
    errors = []
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
        errors.append(z_score(L, D, math.hypot(se_D, se_L)) / Z_TOL)
    return Figures(
        len(estimators),
        nan_max(errors),
        1.0,
        "|measured E_S R(f_S) - (E bias^2 + E var + E v)| / sqrt(se_L^2 + se_D^2) / "
        f"{Z_TOL}; se_L: CLT over R = {R} risks; se_D: delta method, Var_r(mean_q (F_rq - "
        f"f*_q)^2)/R + Var_q(g_q)/{m_dec}; poly p in (0,1,3,5), k-NN k in (1,4,12)",
    )


def polyls_matches_references(
    rng: np.random.Generator, *, polynomial_regression=learning.polynomial_regression
) -> Figures:
    """Polynomial least-squares predictions vs numpy Polynomial.fit (float64, relative to the
    scale of y) and vs the float64 reference for float32 inputs; R samples per call."""
    errors = []
    n_inst = 24
    for i in range(n_inst):
        a = float(rng.uniform(-5, 2))
        b = a + float(rng.uniform(0.2, 6))
        p = int(rng.integers(0, 9))
        n = int(rng.integers(p + 2, 60))
        R = int(rng.integers(1, 5))
        x = rng.uniform(a, b, size=(R, n))
        y = np.sin(3 * x / (b - a)) + rng.standard_normal((R, n))
        xt = rng.uniform(a, b, size=20)
        ref = np.stack([np.polynomial.Polynomial.fit(x[r], y[r], p)(xt) for r in range(R)])
        scale = float(np.max(np.abs(ref))) + 1.0
        dtype = (np.float64, np.float32)[i % 2]
        got = np.asarray(
            polynomial_regression(
                x.astype(dtype), y.astype(dtype), xt.astype(dtype), p, domain=(a, b)
            ),
            dtype=np.float64,
        )
        if got.shape != ref.shape:
            errors.append(math.inf)
            continue
        tol = 1e-9 if dtype == np.float64 else 3e-3
        errors.append(float(np.max(np.abs(got - ref))) / scale / tol)
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "max |prediction - numpy Polynomial.fit prediction| / (max|ref| + 1) in units of "
        "1e-9 (float64) resp. 3e-3 (float32), degree 0..8",
    )


def knn_matches_references(
    rng: np.random.Generator, *, knn_regression=learning.knn_regression
) -> Figures:
    """k-NN predictions vs sklearn KNeighborsRegressor (continuous inputs), and vs a loop that
    sorts (distance, index) pairs (integer inputs with ties)."""
    errors = []
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
        errors.append(
            float(np.max(np.abs(got - ref))) / 1e-12 if got.shape == ref.shape else math.inf
        )
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "max |k-NN prediction - sklearn KNeighborsRegressor (brute)| or - explicit "
        "(distance, index) sort with ties, in units of 1e-12, float64",
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


def linear_smoother_fixed_design(
    rng: np.random.Generator,
    *,
    polynomial_regression=learning.polynomial_regression,
    knn_regression=learning.knn_regression,
    bias_variance_decomposition=learning.bias_variance_decomposition,
) -> Figures:
    """Fixed design: tr(L L^T) = p + 1 resp. n/k for independently built smoother matrices (QR of
    the monomial Vandermonde matrix; sklearn's neighbour graph); the library's predictions are L y;
    Monte Carlo average variance and bias^2 vs sigma^2 tr(L L^T)/n and norm((L - I) f)^2 / n."""
    errors = []
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
        errors.append(abs(float(np.trace(L @ L.T)) - trace) / 1e-9)
        # the library is the linear map y -> L y (responses e_1, ..., e_n, one per row)
        L_lib = np.asarray(predict(np.tile(x, (n, 1)), np.eye(n))).T
        errors.append(
            float(np.max(np.abs(L_lib - L))) / 1e-9 if L_lib.shape == L.shape else math.inf
        )
        # Monte Carlo over R noise draws on the fixed design
        Y = f + sigma * rng.standard_normal((R, n))
        F = np.asarray(predict(np.tile(x, (R, 1)), Y))
        bv = bias_variance_decomposition(F, f, np.full(n, sigma**2))
        var_avg = sigma**2 * trace / n
        b = L @ f - f
        b2_avg = float(b @ b) / n
        errors.append(
            z_score(float(np.mean(bv.variance)), var_avg, var_avg * math.sqrt(2 / (R - 1))) / Z_TOL
        )
        se_b = 2 * sigma * float(np.linalg.norm(L.T @ b)) / (n * math.sqrt(R)) + 3 * var_avg / R
        errors.append(z_score(float(np.mean(bv.bias2)), b2_avg, se_b) / Z_TOL)
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "max of: |tr(L L^T) - (p+1 or n/k)| and |L_library - L_reference| (units 1e-9); "
        f"Monte Carlo (R = {R}) average variance and bias^2 vs sigma^2 tr(LL^T)/n and "
        f"||(L-I)f||^2/n, in standard errors / {Z_TOL}",
    )


CLAIMS = (
    Witness(
        "def-learn-estimator",
        shrinkage_bias_variance_closed_form,
        "bias^2, variance, noise of a shrunk mean: Monte Carlo vs closed form",
    ),
    Witness(
        "thm-learn-bias-variance",
        bias_variance_noise_sum_to_risk,
        "bias^2 + variance + noise vs independently measured expected risk",
    ),
    Witness(
        "def-learn-polyls",
        polyls_matches_references,
        "polynomial least squares vs numpy Polynomial.fit",
    ),
    Witness(
        "def-learn-knn",
        knn_matches_references,
        "k-NN vs scikit-learn and an explicit tie-breaking sort",
    ),
    Witness(
        "prop-learn-linear-smoother",
        linear_smoother_fixed_design,
        "fixed-design smoother matrices, traces and Monte Carlo variance",
    ),
    Witness(
        "prop-learn-mc-unbiased",
        mc_estimates_are_unbiased,
        "unbiasedness of the Monte Carlo bias^2 and variance estimates",
    ),
)
