r"""Witnesses of Section "Ridge regression": ``def-lin-ridge``, ``thm-lin-ridge-solution``,
``prop-lin-ridge-bias-covariance``, ``thm-lin-ridge-tradeoff``."""

from __future__ import annotations

import warnings

import numpy as np
import scipy.linalg
import torch
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge

from ... import linear
from ...registry import Figures, Witness
from ._common import nan_max, random_rank, relative_error, single_threaded


@single_threaded
def ridge_objective_vs_torch(
    rng: np.random.Generator, *, ridge_objective=linear.ridge_objective
) -> Figures:
    """f_lam(w) vs the same sum written with torch, and its minimiser (``scipy.linalg.lstsq`` of the
    augmented system [X; sqrt(lam) I] w = [y; 0]) has zero torch-autograd gradient."""
    errors = []
    n_inst = 16
    for _ in range(n_inst):
        m, n = (int(v) for v in rng.integers(1, 12, size=2))
        lam = float(10.0 ** rng.uniform(-3, 2))
        X, y, w = rng.standard_normal((m, n)), rng.standard_normal(m), rng.standard_normal(n)
        Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

        def f(wt):
            return 0.5 * torch.sum((Xt @ wt - yt) ** 2) + 0.5 * lam * torch.sum(wt**2)

        errors.append(
            relative_error(ridge_objective(w, X, y, lam), f(torch.from_numpy(w)).numpy()) / 1e-13
        )
        w_hat = scipy.linalg.lstsq(
            np.vstack([X, np.sqrt(lam) * np.eye(n)]), np.concatenate([y, np.zeros(n)])
        )[0]
        wt = torch.from_numpy(w_hat).requires_grad_(True)
        (g,) = torch.autograd.grad(f(wt), wt)
        scale = np.linalg.norm(X) * np.linalg.norm(y) + lam * np.linalg.norm(w_hat)
        errors.append(float(torch.linalg.norm(g)) / scale / 1e-10)
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "f_lam vs torch (rel. error / 1e-13); ||torch grad f_lam|| at the augmented "
        "least-squares solution, relative, / 1e-10, float64",
    )


@single_threaded
def ridge_vs_sklearn(
    rng: np.random.Generator, *, ridge=linear.ridge, ridge_svd=linear.ridge_svd
) -> Figures:
    """``ridge`` (solve) and ``ridge_svd`` vs scikit-learn ``Ridge(alpha=lam, fit_intercept=False,
    solver="svd")`` on ``load_diabetes`` rows and random data (n <= m and n > m); and
    ||w_lam - w^+|| <= lam ||y|| / (s_r (s_r^2 + lam)) (w^+ from ``numpy.linalg.pinv``)."""
    Xd, yd = load_diabetes(return_X_y=True)
    errors = []
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
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", linear.IllConditionedWarning)
            errors.append(relative_error(ridge(X, y, lam), ref) / 1e-8)
        errors.append(relative_error(ridge_svd(X, y, lam), ref) / 1e-8)
        s = np.linalg.svd(X, compute_uv=False)
        s_r = s[s > 1e-10 * s[0]][-1]
        mu = 1e-3 * lam
        gap = np.linalg.norm(ridge_svd(X, y, mu) - np.linalg.pinv(X) @ y)
        bound = mu * np.linalg.norm(y) / (s_r * (s_r**2 + mu))
        errors.append(gap / (bound * (1 + 1e-6) + 1e-12))  # equality when m = 1
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "relative error of ridge (solve) and ridge_svd vs sklearn Ridge(svd), / 1e-8 "
        "(diabetes rows, random m x n); ||w_lam - w^+|| / (lam ||y|| / "
        "(s_r (s_r^2 + lam))) "
        "at 1e-3 lam",
    )


@single_threaded
def bias_covariance_monte_carlo(
    rng: np.random.Generator,
    *,
    ridge_bias=linear.ridge_bias,
    ridge_covariance=linear.ridge_covariance,
) -> Figures:
    """E w_lam - w^* and Cov w_lam (closed forms) vs the sample mean and covariance of 20 000
    ridge fits (augmented least squares, ``numpy.linalg.lstsq``) over centred uniform noise of
    variance sigma^2; errors are z-scores."""
    errors = []
    n_inst, N = 4, 20_000
    for _ in range(n_inst):
        m, n = int(rng.integers(3, 10)), int(rng.integers(1, 6))
        X = (
            random_rank(rng, m, n, min(m, n))
            if rng.random() < 0.5
            else random_rank(rng, m, n, max(1, min(m, n) - 1))
        )
        w_star, sigma = rng.standard_normal(n), float(rng.uniform(0.3, 2.0))
        lam = float(10.0 ** rng.uniform(-1, 1.5))
        eps = sigma * np.sqrt(3.0) * rng.uniform(-1, 1, size=(m, N))  # E = 0, Var = sigma^2
        Y = (X @ w_star)[:, None] + eps
        A = np.vstack([X, np.sqrt(lam) * np.eye(n)])
        W = np.linalg.lstsq(A, np.vstack([Y, np.zeros((n, N))]), rcond=None)[0]  # (n, N)
        C = ridge_covariance(X, sigma, lam)
        mean_err = W.mean(axis=1) - w_star - ridge_bias(X, w_star, lam)
        se_mean = np.sqrt(np.maximum(np.diag(C), 1e-300) / N)
        errors.extend(np.abs(mean_err) / se_mean)
        S = np.cov(W)
        d = np.diag(C)
        se_cov = np.sqrt((np.outer(d, d) + C**2) / N)  # Gaussian fourth moments: an upper
        errors.extend((np.abs(np.atleast_2d(S) - C) / se_cov).ravel())  # bound for uniform noise
    return Figures(
        n_inst,
        nan_max(errors),
        5.0,
        "max z-score of Monte Carlo mean (20 000 draws, uniform noise) minus w^* vs "
        "bias, and of the sample covariance vs the closed form, float64",
    )


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
) -> Figures:
    """On a grid of 60 lam in [1e-4, 1e4]: squared bias non-decreasing and variance non-increasing
    (computed by solves from the matrix formulas); ``ridge_bias_variance`` (SVD form) agrees."""
    errors = []
    n_inst = 10
    lams = np.logspace(-4, 4, 60)
    for _ in range(n_inst):
        m, n = (int(v) for v in rng.integers(1, 10, size=2))
        X = random_rank(rng, m, n, int(rng.integers(1, min(m, n) + 1)))
        w_star, sigma = rng.standard_normal(n), float(rng.uniform(0.1, 2.0))
        direct = np.array([_direct(X, w_star, sigma, lam) for lam in lams])
        bias2, var = direct[:, 0], direct[:, 1]
        errors.append(max(0.0, float(np.max(-np.diff(bias2)) / bias2.max())) / 1e-9)
        if var.max() > 0:
            errors.append(max(0.0, float(np.max(np.diff(var)) / var.max())) / 1e-9)
        ours = np.array([ridge_bias_variance(X, w_star, sigma, lam) for lam in lams])
        errors.append(
            float(
                np.max(
                    np.abs(ours - direct) / (np.abs(direct) + 1e-12 * np.abs(direct).max(axis=0))
                )
            )
            / 1e-7
        )
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "monotonicity violations of bias^2 (must not decrease) and variance (must not "
        "increase) over 60 lam, relative / 1e-9; SVD forms vs solves, relative / 1e-7",
    )


CLAIMS = (
    Witness(
        "def-lin-ridge",
        ridge_objective_vs_torch,
        "the ridge objective vs torch; its minimiser has zero autograd gradient",
    ),
    Witness(
        "thm-lin-ridge-solution",
        ridge_vs_sklearn,
        "solve and SVD forms vs scikit-learn Ridge; the limit lam -> 0 is w^+",
    ),
    Witness(
        "prop-lin-ridge-bias-covariance",
        bias_covariance_monte_carlo,
        "bias and covariance closed forms vs Monte Carlo over noise draws",
    ),
    Witness(
        "thm-lin-ridge-tradeoff",
        tradeoff_monotone,
        "squared bias increases, variance decreases in lam",
    ),
)
