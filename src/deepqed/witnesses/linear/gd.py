r"""Witnesses of Section "Gradient descent on least squares": ``alg-lin-gd``,
``thm-lin-gd-convergence``, ``thm-lin-gd-rate``, ``thm-lin-gd-implicit``, ``prop-lin-gd-filter``,
``thm-lin-early-stopping``."""

from __future__ import annotations

import math

import numpy as np
import scipy.linalg
import torch

from ... import linear
from ...registry import Figures, Witness
from ._common import nan_max, random_rank, relative_error, single_threaded, with_singular_values


@single_threaded
def gd_vs_torch_autograd(
    rng: np.random.Generator, *, gd_least_squares=linear.gd_least_squares
) -> Figures:
    """The iterates w_0, ..., w_T vs steps w - eta g with g the ``torch.autograd.grad`` of
    ``0.5 * ((X @ w - y) ** 2).sum()``, float64 and float32."""
    errors = []
    n_inst = 12
    for i in range(n_inst):
        dtype = (np.float64, np.float32)[i % 2]
        m, n = (int(v) for v in rng.integers(1, 10, size=2))
        X, y, w0 = rng.standard_normal((m, n)), rng.standard_normal(m), rng.standard_normal(n)
        eta = float(rng.uniform(0.1, 1.9)) / np.linalg.norm(X, 2) ** 2
        T = int(rng.integers(1, 30))
        ours = gd_least_squares(X.astype(dtype), y.astype(dtype), eta, T, w0.astype(dtype))
        wt = torch.from_numpy(w0.copy())
        Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
        ref = [w0.copy()]
        for _ in range(T):
            wt.requires_grad_(True)
            (g,) = torch.autograd.grad(0.5 * ((Xt @ wt - yt) ** 2).sum(), wt)
            wt = (wt - eta * g).detach()
            ref.append(wt.numpy().copy())
        tol = 1e-11 if dtype == np.float64 else 1e-4
        errors.append(relative_error(ours, np.stack(ref)) / tol)
        errors.append(0.0 if ours.shape == (T + 1, n) and ours.dtype == dtype else math.inf)
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "relative error of all iterates vs steps along torch autograd gradients, in "
        "units of "
        "1e-11 (float64) and 1e-4 (float32)",
    )


@single_threaded
def gd_converges(rng: np.random.Generator, *, gd_least_squares=linear.gd_least_squares) -> Figures:
    """For eta in (0, 2/beta) and any X, w_0: f(w_t) is non-increasing and w_T -> w^+ + (I - X^+ X)
    w_0 (``numpy.linalg.pinv``); T chosen with rho^T <= 1e-11, rho = max over nonzero s_i of
    abs(1 - eta s_i^2)."""
    errors = []
    n_inst = 12
    for _ in range(n_inst):
        m, n = (int(v) for v in rng.integers(1, 9, size=2))
        r = int(rng.integers(1, min(m, n) + 1))
        s = np.sort(rng.uniform(0.5, 1.0, r))[::-1] * float(rng.uniform(0.5, 3))
        X = with_singular_values(rng, m, n, s)
        y, w0 = rng.standard_normal(m), rng.standard_normal(n)
        beta = s[0] ** 2
        eta = float(rng.uniform(0.05, 1.95)) / beta
        rho = float(np.max(np.abs(1 - eta * s**2)))
        T = min(int(math.ceil(math.log(1e-11) / math.log(rho))), 3000) if rho > 0 else 1
        W = gd_least_squares(X, y, eta, T, w0)
        P = np.linalg.pinv(X)
        limit = P @ y + w0 - P @ (X @ w0)
        f = 0.5 * np.sum((W @ X.T - y) ** 2, axis=1)
        errors.append(max(0.0, float(np.max(np.diff(f)))) / (1e-13 * (1 + f[0])))
        errors.append(relative_error(W[-1], limit) / (1e-9 + 10 * rho**T))
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "increase of f along the iterates / 1e-13 (1 + f(w_0)); ||w_T - (w^+ + P_ker "
        "w_0)|| relative / (1e-9 + 10 rho^T), eta uniform in (0.05, 1.95)/beta",
    )


@single_threaded
def gd_rate(rng: np.random.Generator, *, gd_least_squares=linear.gd_least_squares) -> Figures:
    """eta = 1/beta, X^T X > 0 with kappa in {2, 10, 100, 1000}: per-step ratios ||e_{t+1}|| /
    ||e_t|| <= 1 - 1/kappa and (f(w_{t+1}) - f^*) / (f(w_t) - f^*) <= (1 - 1/kappa)^2 (w-hat from
    ``scipy.linalg.lstsq``); e_0 = v_n attains the factor; kappa log(1/epsilon) steps reach
    ||e_t|| <= epsilon ||e_0||."""
    errors = []
    n_inst = 12
    for i in range(n_inst):
        kappa = (2.0, 10.0, 100.0, 1000.0)[i % 4]
        n = int(rng.integers(2, 7))
        m = n + int(rng.integers(0, 5))
        s = np.sqrt(np.concatenate([[1.0, 1.0 / kappa], rng.uniform(1 / kappa, 1, n - 2)]))
        c = float(rng.uniform(0.5, 3))
        X = with_singular_values(rng, m, n, np.sort(s)[::-1] * c)
        y = rng.standard_normal(m)
        w_hat = scipy.linalg.lstsq(X, y)[0]
        eta = 1.0 / (c * c)
        q = 1 - 1 / kappa
        T = min(60, int(math.ceil(kappa * math.log(1e6))))
        W = gd_least_squares(X, y, eta, T, w_hat + rng.standard_normal(n))
        e = np.linalg.norm(W - w_hat, axis=1)
        keep = e[:-1] > 1e-7 * e[0]
        errors.append(float(np.max(e[1:][keep] / e[:-1][keep])) / q)
        gap = 0.5 * np.sum(((W - w_hat) @ X.T) ** 2, axis=1)  # f(w) - f^* (Pythagoras)
        keep = gap[:-1] > 1e-12 * gap[0]
        errors.append(float(np.max(gap[1:][keep] / gap[:-1][keep])) / q**2)
        v_n = np.linalg.svd(X)[2][-1]  # attains the factor
        W = gd_least_squares(X, y, eta, 3, w_hat + v_n)
        ratio = np.linalg.norm(W[3] - w_hat) / np.linalg.norm(W[2] - w_hat)
        errors.append(1 + abs(ratio / q - 1) / 1e-6)
        eps_ = 10.0 ** -rng.uniform(2, 8)
        t_eps = int(math.ceil(kappa * math.log(1 / eps_)))
        if t_eps <= 3000:
            W = gd_least_squares(X, y, eta, t_eps, w_hat + rng.standard_normal(n))
            errors.append(np.linalg.norm(W[-1] - w_hat) / (eps_ * np.linalg.norm(W[0] - w_hat)))
    return Figures(
        n_inst,
        nan_max(errors),
        1.0 + 1e-6,
        "max over steps of measured contraction / (1 - 1/kappa) (error) and of the "
        "gap ratio / (1 - 1/kappa)^2; e_0 = v_n attains it (1 + deviation / 1e-6); "
        "||e_t|| / (eps ||e_0||) after kappa log(1/eps) steps; kappa = 2 ... 1000",
    )


@single_threaded
def gd_implicit_bias(
    rng: np.random.Generator, *, gd_least_squares=linear.gd_least_squares
) -> Figures:
    """m < n, w_0 = 0: every iterate lies in ran X^T (its component in ker X, from
    ``scipy.linalg.null_space``, vanishes), and w_T -> ``numpy.linalg.pinv(X) @ y``."""
    errors = []
    n_inst = 12
    for _ in range(n_inst):
        m = int(rng.integers(1, 8))
        n = m + int(rng.integers(1, 10))
        r = int(rng.integers(1, m + 1))
        s = np.sort(rng.uniform(0.4, 1.0, r))[::-1]
        X = with_singular_values(rng, m, n, s)  # rank r <= m, kappa_2(X) <= 2.5
        y = rng.standard_normal(m)
        sv = np.linalg.svd(X, compute_uv=False)
        sv = sv[sv > 1e-10 * sv[0]]
        eta = 1.0 / sv[0] ** 2
        rho = 1 - (sv[-1] / sv[0]) ** 2
        T = min(int(math.ceil(math.log(1e-12) / math.log(rho))) if rho > 0 else 1, 20_000)
        W = gd_least_squares(X, y, eta, T)
        N = scipy.linalg.null_space(X)
        errors.append(float(np.max(np.abs(W @ N))) / (1e-12 * (1 + np.abs(W).max())))
        errors.append(relative_error(W[-1], np.linalg.pinv(X) @ y) / (1e-9 + 10 * rho**T))
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "max component of the iterates in ker X / 1e-12; ||w_T - pinv(X) y|| relative "
        "/ (1e-9 + 10 rho^T), underdetermined X, w_0 = 0",
    )


@single_threaded
def gd_spectral_filter(
    rng: np.random.Generator,
    *,
    gd_least_squares=linear.gd_least_squares,
    gd_filter=linear.gd_filter,
) -> Figures:
    """w_t from GD at w_0 = 0 vs sum_i (1 - (1 - eta s_i^2)^t) / s_i (u_i^T y) v_i from
    ``scipy.linalg.svd``; ``gd_filter`` vs the scalar recursion c_{k+1} = c_k + eta s (1 - s c_k)
    (GD on (s c - 1)^2 / 2)."""
    errors = []
    n_inst = 12
    for _ in range(n_inst):
        m, n = (int(v) for v in rng.integers(1, 10, size=2))
        X = random_rank(rng, m, n, int(rng.integers(1, min(m, n) + 1)))
        y = rng.standard_normal(m)
        U, s, Vt = scipy.linalg.svd(X, full_matrices=False)
        keep = s > 1e-10 * s[0]
        U, s, Vt = U[:, keep], s[keep], Vt[keep]
        eta = float(rng.uniform(0.1, 1.9)) / s[0] ** 2
        T = int(rng.integers(1, 200))
        W = gd_least_squares(X, y, eta, T)
        for t in (1, T // 2, T):
            g = (1 - (1 - eta * s**2) ** t) / s
            errors.append(relative_error(W[t], Vt.T @ (g * (U.T @ y))) / 1e-9)
        c = np.zeros_like(s)
        for _k in range(T):
            c = c + eta * s * (1 - s * c)
        errors.append(relative_error(gd_filter(s, eta, T), c) / 1e-10)
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "relative error of GD iterates vs the SVD filter formula / 1e-9, and of "
        "gd_filter vs the scalar GD recursion / 1e-10, float64",
    )


@single_threaded
def early_stopping_sandwich(
    rng: np.random.Generator, *, gd_filter=linear.gd_filter, ridge_filter=linear.ridge_filter
) -> Figures:
    """For eta s^2 in (0, 1], t >= 1, lam = 1 / (eta t): 1 <= g_t(s) / r_lam(s) <= 2, with g_t from
    the scalar GD recursion (independent of ``gd_filter``) and r_lam = s / (s^2 + lam); the ratio 2
    is attained at eta s^2 = 1, t = 1. Also ``gd_filter`` and ``ridge_filter`` give the same
    ratios."""
    n_inst = 400
    eta = 10.0 ** rng.uniform(-2, 1, n_inst)
    s = np.sqrt(rng.uniform(0, 1, n_inst) ** 3 / eta)  # eta s^2 in (0, 1]
    s[:4] = 1 / np.sqrt(eta[:4])
    T = rng.integers(1, 3000, n_inst)
    T[:2] = 1
    c = np.zeros(n_inst)
    ratios = np.empty(n_inst)
    lib = np.empty(n_inst)
    for k in range(int(T.max())):
        c = c + eta * s * (1 - s * c)
        hit = T == k + 1
        lam = 1 / (eta[hit] * T[hit])
        ratios[hit] = c[hit] / (s[hit] / (s[hit] ** 2 + lam))
    for i in range(n_inst):
        lam = 1 / (eta[i] * T[i])
        lib[i] = (
            gd_filter(s[i : i + 1], float(eta[i]), int(T[i]))[0]
            / ridge_filter(s[i : i + 1], lam)[0]
        )
    violation = float(np.max(np.maximum(1 - ratios, ratios - 2)))
    errors = [
        max(0.0, violation) / 1e-12,
        abs(np.max(ratios) - 2) / 1e-12,
        relative_error(lib, ratios) / 1e-10,
    ]
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        f"ratios g_t/r_lam in [{ratios.min():.6f}, {ratios.max():.6f}]: violation "
        "of [1, 2] / 1e-12; max ratio = 2 within 1e-12; library filters vs recursion "
        "/ 1e-10",
    )


CLAIMS = (
    Witness(
        "alg-lin-gd", gd_vs_torch_autograd, "the iterates vs steps along torch autograd gradients"
    ),
    Witness(
        "thm-lin-gd-convergence",
        gd_converges,
        "monotone decrease and the limit w^+ + P_ker w_0 for every eta in (0, 2/beta)",
    ),
    Witness(
        "thm-lin-gd-rate", gd_rate, "measured per-step contraction <= 1 - 1/kappa, attained on v_n"
    ),
    Witness(
        "thm-lin-gd-implicit",
        gd_implicit_bias,
        "from w_0 = 0: iterates in the row space, limit pinv(X) y",
    ),
    Witness(
        "prop-lin-gd-filter", gd_spectral_filter, "GD iterates equal the spectral filter formula"
    ),
    Witness(
        "thm-lin-early-stopping",
        early_stopping_sandwich,
        "r_lam <= g_t <= 2 r_lam for lam = 1/(eta t), sharp",
    ),
)
