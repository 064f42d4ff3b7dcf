r"""Witnesses of Section "Logistic regression": ``def-lin-logistic``, ``prop-lin-logistic-mle``,
``prop-lin-logistic-derivatives``, ``thm-lin-logistic-convex``, ``alg-lin-logistic-newton``,
``lem-lin-convex-gd``, ``thm-lin-separable``."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import scipy.special
import scipy.stats
import torch
import torch.nn.functional as F
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression

from ... import linear
from ...registry import Figures, Witness
from ._common import nan_max, relative_error, single_threaded


def _problem(rng, m, n, scale=1.0, dtype=np.float64):
    X = scale * rng.standard_normal((m, n))
    w = rng.standard_normal(n)
    y = (rng.random(m) < scipy.special.expit(X @ w)).astype(np.float64)
    return X.astype(dtype), y.astype(dtype), rng.standard_normal(n).astype(dtype)


@single_threaded
def loss_vs_torch(rng: np.random.Generator, *, logistic_losses=linear.logistic_losses) -> Figures:
    """Per-sample losses vs ``torch.nn.functional.binary_cross_entropy_with_logits`` (reduction
    none; absolute error relative to max(1, loss)), and vs log(1 + exp(-ytilde z)) evaluated by
    ``mpmath`` with 50 digits (entrywise relative error, which torch does not guarantee where the
    loss is tiny); margins up to about 1000, float64 and float32."""
    errors = []
    n_inst = 20
    mpmath.mp.dps = 50
    for i in range(n_inst):
        dtype = (np.float64, np.float32)[i % 2]
        m, n = int(rng.integers(1, 30)), int(rng.integers(1, 6))
        X, y, w = _problem(rng, m, n, scale=float(10.0 ** rng.uniform(-1, 2.5)), dtype=dtype)
        got = logistic_losses(w, X, y)
        z = X @ w
        ref = F.binary_cross_entropy_with_logits(
            torch.from_numpy(z), torch.from_numpy(y), reduction="none"
        ).numpy()
        tol = 1e-13 if dtype == np.float64 else 1e-5
        errors.append(float(np.max(np.abs(got - ref) / np.maximum(1, np.abs(ref)))) / tol)
        exact = np.array(
            [
                float(mpmath.log1p(mpmath.exp(-(2 * int(yi) - 1) * mpmath.mpf(float(zi)))))
                for zi, yi in zip(z, y)
            ]
        )
        tiny = np.finfo(dtype).tiny
        ok = exact > 1e3 * tiny  # below: denormal or 0 in the output dtype
        rel = np.abs(got.astype(np.float64) - exact) / np.where(ok, exact, 1.0)
        errors.append(float(np.max(rel[ok], initial=0.0)) / tol)
        errors.append(0.0 if got.dtype == dtype and np.all(np.isfinite(got)) else math.inf)
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "per-sample losses: vs torch BCE-with-logits (abs. error / max(1, loss)) and "
        "vs mpmath at 50 digits (entrywise relative error), / 1e-13 (float64), / 1e-5 "
        "(float32), margins up to about 1000",
    )


@single_threaded
def mle_is_loss(rng: np.random.Generator, *, logistic_loss=linear.logistic_loss) -> Figures:
    """-(1/m) sum_i log p_w(y_i | x_i) with ``scipy.stats.bernoulli.logpmf(y_i, p_i)``,
    p_i = 1/(1 + exp(-x_i^T w)), vs the logistic loss (margins up to 5, where the reference's
    log(1 - p_i) is accurate)."""
    errors = []
    n_inst = 20
    for _ in range(n_inst):
        m, n = int(rng.integers(1, 40)), int(rng.integers(1, 6))
        X, y, w = _problem(rng, m, n, scale=float(rng.uniform(0.1, 4)))
        w *= min(1.0, 5.0 / max(float(np.max(np.abs(X @ w))), 1e-300))  # margins <= 5: log(1 - p)
        p = 1 / (1 + np.exp(-X @ w))  # is then accurate to 1e-13
        nll = -np.mean(scipy.stats.bernoulli.logpmf(y.astype(int), p))
        errors.append(abs(float(logistic_loss(w, X, y)) - nll) / (1 + nll) / 1e-13)
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "abs(L(w) - NLL / m) / (1 + NLL / m), NLL from scipy.stats.bernoulli.logpmf, "
        "/ 1e-13, margins up to 5, float64",
    )


def _torch_loss(X, y):
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    return lambda wt: F.binary_cross_entropy_with_logits(Xt @ wt, yt)


@single_threaded
def derivatives_vs_autograd(
    rng: np.random.Generator,
    *,
    logistic_gradient=linear.logistic_gradient,
    logistic_hessian=linear.logistic_hessian,
) -> Figures:
    """Gradient vs ``torch.autograd.grad`` and Hessian vs ``torch.autograd.functional.hessian`` of
    torch's mean binary cross-entropy with logits, float64."""
    errors = []
    n_inst = 16
    for _ in range(n_inst):
        m, n = int(rng.integers(1, 30)), int(rng.integers(1, 7))
        X, y, w = _problem(rng, m, n, scale=float(rng.uniform(0.1, 3)))
        f = _torch_loss(X, y)
        wt = torch.from_numpy(w.copy()).requires_grad_(True)
        (g,) = torch.autograd.grad(f(wt), wt)
        H = torch.autograd.functional.hessian(f, torch.from_numpy(w.copy()))
        errors.append(relative_error(logistic_gradient(w, X, y), g.numpy()) / 1e-12)
        errors.append(relative_error(logistic_hessian(w, X, y), H.numpy()) / 1e-12)
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "relative error of the gradient (torch.autograd.grad) and of the Hessian "
        "(torch.autograd.functional.hessian), / 1e-12, float64",
    )


@single_threaded
def convex_and_smooth(
    rng: np.random.Generator, *, logistic_gradient=linear.logistic_gradient
) -> Figures:
    """At random w the torch Hessian has eigenvalues in [c s_n^2 / m, ||X||^2 / (4m)] with
    c = min_i p_i (1 - p_i) (c s_n^2 / m > 0 iff X has full column rank); on random pairs
    ||grad L(w) - grad L(w')|| <= ||X||^2/(4m) ||w - w'|| (gradients from ``logistic_gradient``)."""
    errors = []
    n_inst = 16
    for i in range(n_inst):
        m, n = int(rng.integers(1, 30)), int(rng.integers(1, 7))
        X, y, w = _problem(rng, m, n, scale=float(rng.uniform(0.1, 3)))
        if i % 4 == 0 and n > 1:
            X[:, -1] = X[:, 0]  # rank deficient: only H >= 0 is claimed
        H = torch.autograd.functional.hessian(_torch_loss(X, y), torch.from_numpy(w)).numpy()
        ev = np.linalg.eigvalsh(H)
        sv = np.linalg.svd(X, compute_uv=False)
        Lc = sv[0] ** 2 / (4 * m)
        z = X @ w
        c = float(np.min(1 / (1 + np.exp(-z)) / (1 + np.exp(z))))
        s_n2 = sv[-1] ** 2 if m >= n else 0.0
        errors.append((c * s_n2 / m - ev[0]) / (1e-12 * Lc) if ev[0] < c * s_n2 / m else 0.0)
        errors.append((ev[-1] - Lc) / (1e-12 * Lc) if ev[-1] > Lc else 0.0)
        w2 = w + rng.standard_normal(n) * float(10.0 ** rng.uniform(-2, 1))
        d = np.linalg.norm(logistic_gradient(w, X, y) - logistic_gradient(w2, X, y))
        errors.append(d / (Lc * np.linalg.norm(w - w2) * (1 + 1e-12)))
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "violations of c s_n^2/m <= eig(torch Hessian) <= ||X||^2/(4m), / 1e-12 L; "
        "||grad difference|| / (L ||w - w'||) <= 1, float64",
    )


def _breast_cancer(rng, m):
    Xb, yb = load_breast_cancer(return_X_y=True)
    cols = [1, 4, 8, 9]  # texture, smoothness, symmetry, fractal dim.
    rows = rng.choice(Xb.shape[0], size=m, replace=False)
    X = Xb[rows][:, cols]
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    X = np.hstack([X, np.ones((m, 1))])  # intercept as a constant feature
    return X, yb[rows].astype(np.float64)


@single_threaded
def newton_vs_sklearn(
    rng: np.random.Generator, *, logistic_newton=linear.logistic_newton
) -> Figures:
    """Newton's method vs scikit-learn ``LogisticRegression(C=inf, fit_intercept=False,
    solver="newton-cholesky", tol=1e-12)`` (unpenalised) on scaled ``load_breast_cancer`` subsets
    (4 features
    and a constant, not separable) and generated data; relative error of w, and the gradient at
    our solution."""
    errors = []
    n_inst = 8
    for i in range(n_inst):
        if i % 2 == 0:
            X, y = _breast_cancer(rng, int(rng.integers(150, 400)))
        else:
            X, y, _ = _problem(rng, int(rng.integers(50, 200)), int(rng.integers(1, 6)))
        fit = logistic_newton(X, y)
        ref = (
            LogisticRegression(
                C=np.inf, fit_intercept=False, solver="newton-cholesky", tol=1e-12, max_iter=1000
            )
            .fit(X, y.astype(int))
            .coef_[0]
        )
        errors.append(relative_error(fit.w, ref) / 1e-5)
        errors.append(0.0 if fit.converged else math.inf)
        g = X.T @ (1 / (1 + np.exp(-X @ fit.w)) - y) / X.shape[0]
        errors.append(float(np.max(np.abs(g))) / 1e-8)
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "relative error of w vs sklearn LogisticRegression(C=inf) / 1e-5; max "
        "abs(gradient) at the Newton solution / 1e-8; breast cancer subsets and "
        "generated data",
    )


@single_threaded
def convex_gd_bound(rng: np.random.Generator, *, logistic_gd=linear.logistic_gd) -> Figures:
    """For the convex logistic loss with beta/(4m)-Lipschitz gradient, eta in (0, 4m/beta] and
    random comparison points u:
    L(w_T) - L(u) <= ||w_0 - u||^2 / (2 eta T), the loss evaluated by torch from the definition."""
    errors = []
    n_inst = 12
    for _ in range(n_inst):
        m, n = int(rng.integers(2, 40)), int(rng.integers(1, 5))
        X, y, w0 = _problem(rng, m, n, scale=float(rng.uniform(0.3, 3)))
        Lc = np.linalg.norm(X, 2) ** 2 / (4 * m)
        eta = float(rng.uniform(0.2, 1.0)) / Lc
        T = int(rng.integers(1, 300))
        W = logistic_gd(X, y, eta, T, w0)
        f = _torch_loss(X, y)
        for k in range(4):  # half of the u near w_T, where the bound is hardest
            u = (
                W[-1] + 0.1 * rng.standard_normal(n)
                if k % 2
                else rng.standard_normal(n) * float(rng.uniform(0.1, 5))
            )
            gap = float(f(torch.from_numpy(W[-1]))) - float(f(torch.from_numpy(u)))
            errors.append(max(0.0, gap) / (np.sum((w0 - u) ** 2) / (2 * eta * T)))
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "positive part of (L(w_T) - L(u)) / (||w_0 - u||^2 / (2 eta T)) over random "
        "u (half of them near w_T), eta <= 4m/beta, loss from torch",
    )


@single_threaded
def separable_divergence(
    rng: np.random.Generator, *, logistic_gd=linear.logistic_gd, logistic_loss=linear.logistic_loss
) -> Figures:
    """Separable data (labels from a unit u with margin gamma): L(c u) <= exp(-c gamma) -> 0;
    gradient descent from 0 with eta = 4m/beta has L(w_T) <= min_c [exp(-c gamma) + c^2 / (2 eta
    T)] and, once L(w_T) < log 2, ||w_T|| >= log(1 / (exp(L(w_T)) - 1)) / R, R = max ||x_i||
    (loss evaluated by torch)."""
    errors = []
    n_inst = 6
    cs = np.logspace(-1, 3, 400)
    for _ in range(n_inst):
        m, n = int(rng.integers(10, 60)), int(rng.integers(2, 5))
        u = rng.standard_normal(n)
        u /= np.linalg.norm(u)
        X = rng.standard_normal((m, n))
        X += np.outer(np.sign(X @ u) * rng.uniform(0.1, 0.5), u)  # margin >= 0.1
        y = (X @ u > 0).astype(np.float64)
        gamma = float(np.min((2 * y - 1) * (X @ u)))
        f = _torch_loss(X, y)
        for c in (1.0, 10.0, 100.0):
            errors.append(float(logistic_loss(c * u, X, y)) / math.exp(-c * gamma))
        eta = 4 * m / np.linalg.norm(X, 2) ** 2
        T = 3000
        W = logistic_gd(X, y, eta, T)
        R = float(np.max(np.linalg.norm(X, axis=1)))
        for t in (300, 1000, 3000):
            loss = float(f(torch.from_numpy(W[t])))
            bound = float(np.min(np.exp(-cs * gamma) + cs**2 / (2 * eta * t)))
            errors.append(loss / bound)
            if loss < math.log(2):
                lower = math.log(1 / math.expm1(loss)) / R
                errors.append(lower / np.linalg.norm(W[t]))
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "L(c u) / exp(-c gamma); L(w_t) / proved bound at t = 300, 1000, 3000; norm "
        "lower bound / ||w_t||; all must be <= 1",
    )


CLAIMS = (
    Witness(
        "def-lin-logistic",
        loss_vs_torch,
        "stable per-sample losses vs torch binary_cross_entropy_with_logits",
    ),
    Witness(
        "prop-lin-logistic-mle",
        mle_is_loss,
        "the loss equals the Bernoulli negative log-likelihood (SciPy)",
    ),
    Witness(
        "prop-lin-logistic-derivatives",
        derivatives_vs_autograd,
        "gradient and Hessian vs torch autograd",
    ),
    Witness(
        "thm-lin-logistic-convex",
        convex_and_smooth,
        "Hessian eigenvalues within the proved bounds; gradient Lipschitz constant",
    ),
    Witness(
        "alg-lin-logistic-newton",
        newton_vs_sklearn,
        "Newton's method vs scikit-learn LogisticRegression(C=inf)",
    ),
    Witness(
        "lem-lin-convex-gd",
        convex_gd_bound,
        "the O(1/T) bound of gradient descent against arbitrary comparison points",
    ),
    Witness(
        "thm-lin-separable",
        separable_divergence,
        "separable data: loss to 0 at the proved rate, norm above the proved lower bound",
    ),
)
