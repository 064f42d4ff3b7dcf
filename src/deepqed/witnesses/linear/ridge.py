r"""Witnesses of Section "Ridge regression": ``def-lin-ridge``, ``thm-lin-ridge-solution``,
``prop-lin-ridge-bias-covariance``, ``thm-lin-ridge-tradeoff``.

Tolerances: the rounding constants of :mod:`._common`, and for a Cholesky solve of
$(X^\top X + \lambda I)w = X^\top y$ the forward error bound $\|\delta w\|\le\kappa_{\lambda}
\bigl(\gamma_m\|X\|_F^2 + n\gamma_{3n+1}(s_1^2 + \lambda)\bigr)\|w\|/(s_1^2 + \lambda)
+ \gamma_m\|\,\lvert X\rvert^\top\lvert y\rvert\,\|/(s_{\min}^2 + \lambda)$, $\kappa_{\lambda} =
(s_1^2 + \lambda)/
(s_{\min}^2 + \lambda)$ (the perturbation of the matrix by forming $X^\top X$, Cholesky's backward
error, Higham 2002, Theorem 10.4, and the perturbation of the right-hand side).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import scipy.linalg
import scipy.stats
import torch
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge

from ... import linear
from ...registry import Witness
from ._common import (
    Evidence,
    equal,
    factored,
    gamma,
    interval,
    lower,
    single_threaded,
    unit_roundoff,
    upper,
    worst_error,
)
from .least_squares import _evaluation_bound

F64 = np.dtype("float64")


def _cholesky_bound(X: np.ndarray, y: np.ndarray, lam: float, w: np.ndarray) -> float:
    """The forward error bound of the module docstring for the system the library solves (the
    n x n one if n <= m, else the m x m one, whose solution alpha gives w = X^T alpha)."""
    m, n = X.shape
    s = np.linalg.svd(X, compute_uv=False)
    s1 = float(s[0])
    if n <= m:
        smin = float(s[-1]) if m >= n else 0.0
        k = (s1**2 + lam) / (smin**2 + lam)
        return k * (
            gamma(m, F64) * float(np.linalg.norm(X)) ** 2
            + n * gamma(3 * n + 1, F64) * (s1**2 + lam)
        ) * float(np.linalg.norm(w)) / (s1**2 + lam) + gamma(m, F64) * float(
            np.linalg.norm(np.abs(X).T @ np.abs(y))
        ) / (smin**2 + lam)
    smin = float(s[-1]) if n >= m else 0.0
    alpha = np.linalg.solve(X @ X.T + lam * np.eye(m), y)
    k = (s1**2 + lam) / (smin**2 + lam)
    d_alpha = (
        k
        * (
            gamma(n, F64) * float(np.linalg.norm(X)) ** 2
            + m * gamma(3 * m + 1, F64) * (s1**2 + lam)
        )
        * float(np.linalg.norm(alpha))
        / (s1**2 + lam)
    )
    return s1 * d_alpha + gamma(m, F64) * float(np.linalg.norm(np.abs(X).T @ np.abs(alpha)))


@single_threaded
def ridge_objective_vs_torch(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = F64,
    ridge_objective=linear.ridge_objective,
) -> Evidence:
    r"""$f_{\lambda}(w)$ vs the same sum written with torch (float64, same data), within both
    evaluations' rounding; and at the minimiser $\hat w$ of the augmented least-squares problem
    $[X; \sqrt\lambda I]w\approx[y; 0]$ (``scipy.linalg.lstsq``) the torch-autograd gradient of
    $f_{\lambda}$ vanishes up to the solver's error, $(s_1^2 + \lambda)\|\delta\hat w\|$ with
    $\|\delta\hat w\|\le10\gamma_{m+n}(\tilde\kappa\|\hat w\| + \tilde\kappa^2\|\tilde r\|/\tilde s_1)$
    (Higham 2002, Theorem 20.3, for the augmented matrix with condition $\tilde\kappa$)."""
    e_f, t_f, e_g, t_g, at = [], [], [], [], []
    n_inst = 16
    for _ in range(n_inst):
        m, n = (int(v) for v in rng.integers(1, 12, size=2))
        lam = float(10.0 ** rng.uniform(-3, 2))
        X = rng.standard_normal((m, n)).astype(dtype)
        y, w = rng.standard_normal(m).astype(dtype), rng.standard_normal(n).astype(dtype)
        X64, y64, w64 = (np.asarray(a, F64) for a in (X, y, w))
        Xt, yt = torch.from_numpy(X64), torch.from_numpy(y64)

        def f(wt, Xt=Xt, yt=yt, lam=lam):
            return 0.5 * torch.sum((Xt @ wt - yt) ** 2) + 0.5 * lam * torch.sum(wt**2)

        got = float(ridge_objective(w, X, y, lam))
        ref = float(f(torch.from_numpy(w64)))
        pen = 0.5 * lam * float(w64 @ w64)
        e_f.append(abs(got - ref))
        t_f.append(
            _evaluation_bound(X64, w64, y64, dtype)
            + _evaluation_bound(X64, w64, y64, F64)
            + (gamma(n + 2, dtype) + gamma(n + 2, F64)) * pen
            + 2 * unit_roundoff(dtype) * (ref + pen)
        )
        A = np.vstack([X64, math.sqrt(lam) * np.eye(n)])
        b = np.concatenate([y64, np.zeros(n)])
        w_hat = scipy.linalg.lstsq(A, b)[0]
        wt = torch.from_numpy(w_hat).requires_grad_(True)
        (g,) = torch.autograd.grad(f(wt), wt)
        sa = np.linalg.svd(A, compute_uv=False)
        kt = float(sa[0] / sa[-1])
        res = float(np.linalg.norm(A @ w_hat - b))
        dw = 10 * gamma(m + n, F64) * (kt * float(np.linalg.norm(w_hat)) + kt**2 * res / sa[0])
        e_g.append(float(torch.linalg.norm(g)))
        t_g.append(
            float(sa[0]) ** 2 * dw
            + gamma(m + n + 2, F64)
            * float(
                np.linalg.norm(
                    np.abs(X64).T @ (np.abs(X64) @ np.abs(w_hat) + np.abs(y64))
                    + lam * np.abs(w_hat)
                )
            )
        )
        at.append(f"m = {m}, n = {n}, lambda = {lam:.2g}")
    return Evidence(
        n_inst,
        (
            worst_error("$|f_\\lambda(w) - f_\\lambda^{\\mathrm{torch}}(w)|$", e_f, t_f, at=at),
            worst_error(
                "$\\|\\nabla f_\\lambda(\\hat w)\\|$ (torch autograd) at the augmented "
                "least-squares solution",
                e_g,
                t_g,
                at=at,
            ),
        ),
    )


def _ridge_bound(lam: float, y_norm: float, s_r: float) -> float:
    r"""The bound of part 4, $\lambda\|y\|/(s_r(s_r^2 + \lambda))$."""
    return lam * y_norm / (s_r * (s_r * s_r + lam))


@single_threaded
def ridge_solution_forms(
    rng: np.random.Generator,
    *,
    ridge=linear.ridge,
    ridge_svd=linear.ridge_svd,
    bound=_ridge_bound,
) -> Evidence:
    r"""Parts 1–3: ``ridge`` (Cholesky on the smaller of the two systems of parts 1–2) and
    ``ridge_svd`` (part 3) vs scikit-learn ``Ridge(alpha=lam, fit_intercept=False,
    solver="svd")`` on rows of ``load_diabetes`` and random data ($n\le m$ and $n > m$), within
    twice the Cholesky forward error bound. Part 4: $\|\hat w_{\lambda} - w^\dagger\|\le
    \lambda\|y\|/(s_r(s_r^2 + \lambda))$ ($w^\dagger$ from the factors of $X$), and the bound is
    attained at $y = u_r$ (a left singular vector for $s_r$): the ratio is $1$."""
    Xd, yd = load_diabetes(return_X_y=True)
    e_c, t_c, e_s, t_s, at = [], [], [], [], []
    ratios, att = [], []
    n_inst = 12
    for i in range(n_inst):
        lam = float(10.0 ** rng.uniform(-3, 1))
        if i % 3 == 0:
            rows = rng.choice(Xd.shape[0], size=int(rng.integers(5, 60)), replace=False)
            X, y = Xd[rows], (yd[rows] - yd.mean()) / yd.std()
        else:
            m, n = (int(v) for v in rng.integers(1, 15, size=2))
            X, y = rng.standard_normal((m, n)), rng.standard_normal(m)
        ref = Ridge(alpha=lam, fit_intercept=False, solver="svd").fit(X, y).coef_
        tol = 2 * _cholesky_bound(X, y, lam, ref)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", linear.IllConditionedWarning)
            e_c.append(float(np.linalg.norm(np.asarray(ridge(X, y, lam)) - ref)))
        t_c.append(tol)
        e_s.append(float(np.linalg.norm(np.asarray(ridge_svd(X, y, lam)) - ref)))
        t_s.append(tol)
        at.append(f"m, n = {X.shape}, lambda = {lam:.2g}")
        # part 4 on a matrix with known factors, and its attaining right-hand side y = u_r
        m, n = (int(v) for v in rng.integers(1, 10, size=2))
        r = int(rng.integers(1, min(m, n) + 1))
        F = factored(rng, m, n, rng.uniform(0.1, 1.0, r), scale=float(10.0 ** rng.uniform(-2, 2)))
        s_r = float(F.s[-1])
        mu = float(s_r**2 * 10.0 ** rng.uniform(-1, 0))
        for yy, attaining in ((rng.standard_normal(m), False), (F.U[:, -1].copy(), True)):
            gap = float(np.linalg.norm(np.asarray(ridge_svd(F.X, yy, mu)) - F.pinv @ yy))
            b = float(bound(mu, float(np.linalg.norm(yy)), s_r))
            if attaining:
                # rounding of the difference of two vectors of size ||y|| / s_r, relative to b
                tol = (
                    20 * gamma(10 * max(m, n), F64) * F.kappa**2 * (s_r**2 + mu) / mu
                    + 20 * gamma(r, F64) * F.kappa * (s_r**2 + mu) / mu
                )
                att.append((gap / b, tol))
            else:
                ratios.append((gap, b))
    worst = max(ratios, key=lambda p: p[0] / p[1])
    ratio, tol = max(att, key=lambda p: abs(p[0] - 1) / p[1])
    return Evidence(
        n_inst,
        (
            worst_error(
                "$\\|\\hat w_\\lambda - w_{\\mathrm{sklearn}}\\|$ (Cholesky, ``ridge``)",
                e_c,
                t_c,
                at=at,
            ),
            worst_error(
                "$\\|\\hat w_\\lambda - w_{\\mathrm{sklearn}}\\|$ (spectral form, ``ridge_svd``)",
                e_s,
                t_s,
                at=at,
            ),
            upper(
                "part 4: $\\|\\hat w_\\lambda - w^\\dagger\\|$ vs "
                "$\\lambda\\|y\\|/(s_r(s_r^2+\\lambda))$, worst random $y$",
                worst[0],
                worst[1],
                slack=1e-9 * worst[1],
            ),
            equal(
                "part 4 at $y = u_r$: $\\|\\hat w_\\lambda - w^\\dagger\\|$ / bound (attained)",
                ratio,
                1.0,
                tol,
                units="ratio",
                attains=True,
            ),
        ),
    )


@single_threaded
def bias_covariance_monte_carlo(
    rng: np.random.Generator,
    *,
    ridge_bias=linear.ridge_bias,
    ridge_covariance=linear.ridge_covariance,
) -> Evidence:
    r"""$\mathbb E\hat w_{\lambda} - w^*$ and $\operatorname{Cov}\hat w_{\lambda}$ (closed forms)
    vs the
    sample mean and covariance of $N = 20\,000$ ridge fits (augmented least squares,
    ``numpy.linalg.lstsq``) over centred uniform noise of variance $\sigma^2$: confidence intervals
    with standard errors from the samples (fourth moments for the covariance), simultaneous at
    level $1 - 10^{-6}$ by Bonferroni over every coordinate and entry; the entry farthest from its
    reference is shown."""
    n_inst, N = 4, 20_000
    rows_mean, rows_cov = [], []
    for _ in range(n_inst):
        m, n = int(rng.integers(3, 10)), int(rng.integers(1, 6))
        r = min(m, n) if rng.random() < 0.5 else max(1, min(m, n) - 1)
        X = rng.standard_normal((m, r)) @ rng.standard_normal((r, n))
        w_star, sigma = rng.standard_normal(n), float(rng.uniform(0.3, 2.0))
        lam = float(10.0 ** rng.uniform(-1, 1.5))
        eps = sigma * math.sqrt(3.0) * rng.uniform(-1, 1, size=(m, N))  # E = 0, Var = sigma^2
        Y = (X @ w_star)[:, None] + eps
        A = np.vstack([X, math.sqrt(lam) * np.eye(n)])
        W = np.linalg.lstsq(A, np.vstack([Y, np.zeros((n, N))]), rcond=None)[0]  # (n, N)
        C = np.asarray(ridge_covariance(X, sigma, lam))
        b = np.asarray(ridge_bias(X, w_star, lam))
        floor = 1e-12 * max(1.0, float(np.max(np.abs(C))))  # rounding of the fits
        mean = W.mean(axis=1) - w_star
        se = np.sqrt(W.var(axis=1, ddof=1) / N + floor**2)
        rows_mean += list(zip(mean, se, b))
        D = W - W.mean(axis=1, keepdims=True)
        S = D @ D.T / (N - 1)
        P = D[:, None, :] * D[None, :, :]
        se_c = np.sqrt(P.var(axis=2, ddof=1) / N + floor**2)
        rows_cov += list(zip(S.ravel(), se_c.ravel(), C.ravel()))
    k = len(rows_mean) + len(rows_cov)
    z = float(scipy.stats.norm.isf(1e-6 / (2 * k)))
    out = []
    for rows, what in (
        (rows_mean, "$\\mathbb E\\hat w_\\lambda - w^*$ (closed form) in the Monte Carlo interval"),
        (
            rows_cov,
            "$\\operatorname{Cov}\\hat w_\\lambda$ entry (closed form) in the Monte Carlo interval",
        ),
    ):
        est, se, ref = max(rows, key=lambda t: abs(t[0] - t[2]) / t[1])
        out.append(interval(what, est, est - z * se, est + z * se, ref, level=1 - 1e-6, units=""))
    return Evidence(n_inst, tuple(out))


def _direct(X, w_star, sigma, lam):
    """Squared bias and variance from the matrix formulas, by solves (no SVD)."""
    n = X.shape[1]
    G = X.T @ X + lam * np.eye(n)
    b = -lam * np.linalg.solve(G, w_star)
    B = np.linalg.solve(G, X.T)
    return float(b @ b), float(sigma**2 * np.sum(B * B))


@single_threaded
def tradeoff_monotone(
    rng: np.random.Generator, *, ridge_bias_variance=linear.ridge_bias_variance
) -> Evidence:
    r"""On a grid of 60 values of $\lambda$ in $[10^{-4}, 10^4]$: ``ridge_bias_variance`` (SVD
    form) vs the matrix formulas (solves); the increments of $\operatorname{bias}^2$ are $\ge0$ and
    those of $\operatorname{var}$ are $\le0$ up to the solves' rounding, and they vanish exactly
    where the proof says the derivatives do ($w^*\in\ker X$ for the bias, $\sigma = 0$ for the
    variance: the inequality's constant $0$ is attained); the limits $\lambda\downarrow0$
    ($\|P_{\ker X}w^*\|^2$, $\sigma^2\sum_{i\le r}s_i^{-2}$) and $\lambda\to\infty$ ($\|w^*\|^2$,
    $0$) at $\lambda = 10^{-8}s_r^2$ and $10^{8}s_1^2$, within the first-order remainders
    $(\lambda/s_r^2)^2\|w^*\|^2$, $2\lambda/s_r^2$ (relative), $2s_1^2/\lambda\,\|w^*\|^2$ and
    $\sigma^2\sum_is_i^2/\lambda^2$."""
    e_f, t_f, inc_b, inc_v, flat, e_lim, t_lim = [], [], [], [], [], [], []
    n_inst = 10
    lams = np.logspace(-4, 4, 60)
    for i in range(n_inst):
        m, n = (int(v) for v in rng.integers(1, 10, size=2))
        r = int(rng.integers(1, min(m, n) + 1))
        F = factored(rng, m, n, rng.uniform(0.2, 1.0, r), scale=float(10.0 ** rng.uniform(-1, 1)))
        X = F.X
        w_star, sigma = rng.standard_normal(n), float(rng.uniform(0.1, 2.0))
        direct = np.array([_direct(X, w_star, sigma, lam) for lam in lams])
        ours = np.array([ridge_bias_variance(X, w_star, sigma, lam) for lam in lams])
        k_lam = (F.s[0] ** 2 + lams) / lams  # condition of X^T X + lam I (s_n = 0 if r < n)
        tol = (
            10
            * (gamma(m, F64) * n + gamma(3 * n + 1, F64) * n)
            * k_lam[:, None]
            * (np.abs(direct) + 1e-300)
        )
        e_f += list(np.abs(ours - direct).ravel())
        t_f += list(tol.ravel())
        inc_b.append((float(np.min(np.diff(ours[:, 0]))), 1e-12 * float(ours[:, 0].max())))
        inc_v.append((float(np.min(-np.diff(ours[:, 1]))), 1e-12 * float(ours[:, 1].max())))
        if n > r and i % 2 == 0:  # w* in ker X: bias^2 = ||w*||^2 for every lambda
            wk = F.V_perp @ rng.standard_normal(n - r)
            bk = np.array([ridge_bias_variance(X, wk, 0.0, lam) for lam in lams])
            flat.append(float(np.max(np.abs(np.diff(bk[:, 0])))) / float(wk @ wk))
            flat.append(float(np.max(np.abs(bk[:, 1]))))  # sigma = 0: no variance
        s = F.s
        c = F.V.T @ w_star
        ker2 = float(w_star @ w_star - c @ c)
        lo, hi = 1e-8 * s[-1] ** 2, 1e8 * s[0] ** 2
        b0, v0 = ridge_bias_variance(X, w_star, sigma, lo)
        b1, v1 = ridge_bias_variance(X, w_star, sigma, hi)
        nw2 = float(w_star @ w_star)
        v_lim = sigma**2 * float(np.sum(s**-2.0))
        pairs = (  # each relative to the limit, within the first-order remainder + rounding
            (b0 / nw2, ker2 / nw2, (lo / s[-1] ** 2) ** 2 + 1e-12),
            (v0 / v_lim, 1.0, 2 * lo / s[-1] ** 2 + 1e-12),
            (b1 / nw2, 1.0, 2 * s[0] ** 2 / hi + 1e-12),
            (v1 * hi**2 / (sigma**2 * float(np.sum(s**2))), 1.0, 2 * s[0] ** 2 / hi + 1e-12),
        )
        for got, ref, tol_l in pairs:
            e_lim.append(abs(got - ref))
            t_lim.append(tol_l)
    return Evidence(
        n_inst,
        (
            worst_error("SVD forms vs solves (bias$^2$ and var)", e_f, t_f),
            lower(
                "smallest increment of $\\operatorname{bias}^2$ between neighbouring $\\lambda$",
                min(inc_b)[0],
                0.0,
                slack=max(t for _, t in inc_b),
            ),
            lower(
                "smallest decrement of $\\operatorname{var}$ between neighbouring $\\lambda$",
                min(inc_v)[0],
                0.0,
                slack=max(t for _, t in inc_v),
            ),
            equal(
                "largest increment for $w^*\\in\\ker X$ (relative) and variance at $\\sigma = 0$",
                max(flat, default=0.0),
                0.0,
                1e-12,
                attains=True,
            ),
            worst_error(
                "the four limits (relative) within their first-order remainders",
                e_lim,
                t_lim,
                units="relative error",
            ),
        ),
    )


CLAIMS = (
    Witness(
        "def-lin-ridge",
        ridge_objective_vs_torch,
        "the ridge objective vs torch; its minimiser has zero autograd gradient",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "thm-lin-ridge-solution",
        ridge_solution_forms,
        "Cholesky and SVD forms vs scikit-learn Ridge; the bound of part 4, attained at y = u_r",
        strength="sharp",
    ),
    Witness(
        "prop-lin-ridge-bias-covariance",
        bias_covariance_monte_carlo,
        "bias and covariance closed forms vs Monte Carlo intervals over noise draws",
        strength="exact",
    ),
    Witness(
        "thm-lin-ridge-tradeoff",
        tradeoff_monotone,
        "SVD forms vs solves; monotone in lambda (increments vanish where the proof says); limits",
        strength="sharp",
    ),
)
