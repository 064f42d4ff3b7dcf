r"""Witnesses of Section "Convexity and smoothness": `def-convex-smooth`,
`thm-convex-first-order`, `lem-smooth-descent`, `prop-hessian-bounds`,
`prop-logistic-smoothness`, `prop-strong-convexity-pl`, `prop-gd-step-progress`.

Instances: quadratics ``f(x) = x^T Q x / 2 + c^T x`` with ``Q = U diag(lam) U^T`` built from a
known spectrum (``U`` a random orthogonal matrix), so that the exact constants and the extremal
directions are known by construction; and ridge-regularised logistic losses on random data, with
Hessians from ``torch.autograd.functional.hessian`` and minima from ``scipy.optimize``."""

from __future__ import annotations

import math

import numpy as np
import torch
from scipy.optimize import minimize

from ... import calculus
from ...registry import Figures, Witness
from ._common import nan_max, single_threaded


def _quadratic(rng: np.random.Generator, *, convex: bool = True):
    """``(Q, c, lam, U)`` with spectrum ``lam`` (ascending), positive if ``convex``."""
    n = int(rng.integers(2, 7))
    lam = np.sort(rng.uniform(0.2, 5.0, size=n) if convex else rng.uniform(-5.0, 5.0, size=n))
    U, _ = np.linalg.qr(rng.standard_normal((n, n)))
    return (U * lam) @ U.T, rng.standard_normal(n), lam, U


def _fq(Q, c):
    return (lambda x: 0.5 * float(x @ Q @ x) + float(c @ x)), (lambda x: Q @ x + c)


def _logistic(rng: np.random.Generator, lam: float | None = None):
    m, n = int(rng.integers(5, 40)), int(rng.integers(1, 6))
    X = rng.standard_normal((m, n)) * rng.uniform(0.5, 2.0)
    y = np.where(rng.random(m) < 0.5, 1.0, -1.0)
    lam = float(rng.uniform(0.05, 1.0)) if lam is None else lam
    return X, y, lam


def _pairs(rng: np.random.Generator, n: int, k: int = 8):
    """Pairs (x, y) at distances from 1e-3 to 3."""
    for _ in range(k):
        x = rng.standard_normal(n)
        d = rng.standard_normal(n)
        yield x, x + d / np.linalg.norm(d) * 10 ** rng.uniform(-3, 0.5)


def quadratic_constants_are_exact(
    rng: np.random.Generator, *, quadratic_constants=calculus.quadratic_constants
) -> Figures:
    """For quadratics with known spectrum: the library's ``(mu, L)`` equal ``(min lam, max abs
    lam)``; the strong-convexity inequality (eq-pre-strong) holds with ``mu`` at random pairs and
    with equality along the eigenvector of ``min lam``; the gradient's Lipschitz ratio is at
    most ``L`` and equals it along the eigenvector of ``max abs lam``."""
    errors = []
    n = 30
    for k in range(n):
        Q, c, lam, U = _quadratic(rng, convex=k % 3 != 0)
        f, g = _fq(Q, c)
        mu, L = quadratic_constants(Q)
        errors.append(abs(mu - lam[0]) / 1e-12)
        errors.append(abs(L - np.abs(lam).max()) / 1e-12)
        top = U[:, np.argmax(np.abs(lam))]
        for x, y in [*_pairs(rng, len(c)), (c, c + U[:, 0]), (c, c + top)]:
            th = float(rng.uniform(0.1, 0.9))
            d2 = float((x - y) @ (x - y))
            if mu > 0:  # (eq-pre-strong): violation relative to the mu term
                gap = th * f(x) + (1 - th) * f(y) - f(th * x + (1 - th) * y)
                errors.append(
                    max(0.0, mu / 2 * th * (1 - th) * d2 - gap) / (th * (1 - th) * d2) / 1e-9
                )
            errors.append(
                max(0.0, np.linalg.norm(g(x) - g(y)) - L * math.sqrt(d2)) / math.sqrt(d2) / 1e-9
            )
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "|mu - min lam|, |L - max |lam|| (units 1e-12); violations of (eq-pre-strong) "
        "with mu and of ||g(x)-g(y)|| <= L||x-y|| (units 1e-9) at random and "
        "eigenvector pairs, quadratics with known spectrum, float64",
    )


def first_order_lower_bound(
    rng: np.random.Generator, *, logistic_loss_grad=calculus.logistic_loss_grad
) -> Figures:
    """(eq-pre-strong-lower) with ``mu = lambda`` for ridge-logistic losses (value by
    ``np.logaddexp``, gradient by the library), and the convex case ``lambda = 0``; pairs from
    distance 1e-3 (where a wrong gradient shows) to 3."""
    errors = []
    n = 20
    for k in range(n):
        X, y, lam = _logistic(rng, 0.0 if k % 4 == 0 else None)

        def f(w):
            return float(np.mean(np.logaddexp(0, -y * (X @ w))) + lam / 2 * w @ w)

        for x, z in _pairs(rng, X.shape[1]):
            d2 = float((z - x) @ (z - x))
            lhs = f(z) - f(x) - float(np.asarray(logistic_loss_grad(x, X, y, lam)) @ (z - x))
            errors.append(max(0.0, lam / 2 * d2 - lhs) / d2 / 1e-6)
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "violation of f(y) - f(x) - <grad f(x), y-x> >= (lambda/2)||y-x||^2 divided "
        "by ||y-x||^2, units 1e-6, ridge-logistic (lambda in {0} and [0.05, 1]), "
        "float64",
    )


def descent_lemma_holds(
    rng: np.random.Generator,
    *,
    quadratic_constants=calculus.quadratic_constants,
    logistic_smoothness=calculus.logistic_smoothness,
) -> Figures:
    """``abs(f(y) - f(x) - <grad f(x), y - x>) <= (L/2)||y - x||^2`` with the library's ``L``:
    quadratics (with equality along the top eigenvector) and ridge-logistic losses (gradient
    by torch autograd)."""
    errors = []
    n = 20
    for k in range(n):
        if k % 2 == 0:
            Q, c, lam, U = _quadratic(rng, convex=k % 4 == 0)
            f, g = _fq(Q, c)
            L = quadratic_constants(Q)[1]
            pairs = [*_pairs(rng, len(c)), (c, c + U[:, np.argmax(np.abs(lam))])]
        else:
            X, y, lam = _logistic(rng)
            Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

            def f(w):
                return float(np.mean(np.logaddexp(0, -y * (X @ w))) + lam / 2 * w @ w)

            def g(w):
                wt = torch.tensor(w, requires_grad=True)
                val = torch.nn.functional.softplus(-yt * (Xt @ wt)).mean() + lam / 2 * wt @ wt
                return torch.autograd.grad(val, wt)[0].numpy()

            L = logistic_smoothness(X, lam)
            pairs = list(_pairs(rng, X.shape[1]))
        for x, z in pairs:
            d2 = float((z - x) @ (z - x))
            r = abs(f(z) - f(x) - float(g(x) @ (z - x)))
            errors.append(max(0.0, r - L / 2 * d2) / d2 / 1e-9)
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "violation of |f(y) - f(x) - <grad f(x), y-x>| <= (L/2)||y-x||^2 divided by "
        "||y-x||^2, units 1e-9, quadratics and ridge-logistic, float64",
    )


def _torch_logistic(X, y, lam):
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    return lambda w: torch.nn.functional.softplus(-yt * (Xt @ w)).mean() + lam / 2 * w @ w


@single_threaded
def hessian_integral_and_spectrum(
    rng: np.random.Generator,
    *,
    logistic_loss_grad=calculus.logistic_loss_grad,
    logistic_smoothness=calculus.logistic_smoothness,
) -> Figures:
    """Step of the proof of part 2: ``grad f(y) - grad f(x) = int_0^1 Hess f(x + t(y-x))(y-x) dt``
    (library gradients vs 24-point Gauss-Legendre quadrature of torch Hessians,
    ``||y - x|| <= 1``); and the torch
    Hessian's spectrum lies in ``[lambda, L]`` (``L`` from the library)."""
    errors = []
    n = 10
    nodes, weights = np.polynomial.legendre.leggauss(24)
    t, wts = (nodes + 1) / 2, weights / 2
    for _ in range(n):
        X, y, lam = _logistic(rng)
        F = _torch_logistic(X, y, lam)
        L = logistic_smoothness(X, lam)
        x, d = rng.standard_normal((2, X.shape[1]))
        z = x + d / max(1.0, float(np.linalg.norm(d)))

        def hess(w):
            return torch.autograd.functional.hessian(F, torch.from_numpy(w)).numpy()

        integral = sum(wk * hess(x + tk * (z - x)) @ (z - x) for tk, wk in zip(t, wts))
        diff = np.asarray(logistic_loss_grad(z, X, y, lam)) - np.asarray(
            logistic_loss_grad(x, X, y, lam)
        )
        errors.append(float(np.linalg.norm(diff - integral)) / np.linalg.norm(z - x) / 1e-12)
        for w in (x, z, rng.standard_normal(X.shape[1]) * 3):
            ev = np.linalg.eigvalsh(hess(w))
            errors.append(max(0.0, lam - ev[0], ev[-1] - L) / 1e-12)
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "||grad f(y) - grad f(x) - quadrature of torch Hessians|| / ||y-x|| (units "
        "1e-12); spectrum of the torch Hessian outside [lambda, L] (units 1e-12), "
        "ridge-logistic, float64",
    )


@single_threaded
def logistic_constants_match_autograd(
    rng: np.random.Generator,
    *,
    logistic_loss=calculus.logistic_loss,
    logistic_loss_grad=calculus.logistic_loss_grad,
    logistic_smoothness=calculus.logistic_smoothness,
) -> Figures:
    """Loss and gradient vs torch (``softplus`` and autograd); ``L = lambda_max(Hess f(0))`` (the
    bound is attained at w = 0, where every ``D_ii = 1/4``) and ``lambda_max(Hess f(w)) <= L``
    at random ``w``, Hessians by torch."""
    errors = []
    n = 15
    for _ in range(n):
        X, y, lam = _logistic(rng)
        F = _torch_logistic(X, y, lam)
        w = rng.standard_normal(X.shape[1])
        wt = torch.tensor(w, requires_grad=True)
        val = F(wt)
        (g,) = torch.autograd.grad(val, wt)
        val = val.detach()
        errors.append(abs(logistic_loss(w, X, y, lam) - float(val)) / (1 + abs(float(val))) / 1e-13)
        errors.append(
            float(np.abs(np.asarray(logistic_loss_grad(w, X, y, lam)) - g.numpy()).max()) / 1e-13
        )
        L = logistic_smoothness(X, lam)
        H0 = torch.autograd.functional.hessian(F, torch.zeros(X.shape[1], dtype=torch.float64))
        errors.append(abs(L - float(np.linalg.eigvalsh(H0.numpy())[-1])) / L / 1e-12)
        Hw = torch.autograd.functional.hessian(F, torch.from_numpy(3 * w)).numpy()
        errors.append(max(0.0, float(np.linalg.eigvalsh(Hw)[-1]) - L) / L / 1e-12)
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "loss, gradient vs torch (units 1e-13); |L - lambda_max(Hess f(0))| / L and "
        "excess of lambda_max(Hess f(w)) over L (units 1e-12), float64",
    )


def _minimum(X, y, lam):
    res = minimize(
        lambda w: float(np.mean(np.logaddexp(0, -y * (X @ w))) + lam / 2 * w @ w),
        np.zeros(X.shape[1]),
        method="Powell",
        options={"xtol": 1e-10, "ftol": 1e-14, "maxiter": 20000},
    )
    return res.x, float(res.fun)


def pl_inequality_holds(
    rng: np.random.Generator,
    *,
    logistic_loss_grad=calculus.logistic_loss_grad,
    quadratic_constants=calculus.quadratic_constants,
) -> Figures:
    """``||grad f(x)||^2 / 2 >= mu (f(x) - f*)`` and ``f(x) - f* >= mu ||x - x*||^2 / 2``:
    quadratics (``x* = -Q^{-1} c`` by a solve, equality along the bottom eigenvector) and
    ridge-logistic losses (``f*``, ``x*`` by derivative-free ``scipy.optimize.minimize``)."""
    errors = []
    n = 16
    for k in range(n):
        if k % 2 == 0:
            Q, c, lam, U = _quadratic(rng)
            f, g = _fq(Q, c)
            mu = quadratic_constants(Q)[0]
            xs = -np.linalg.solve(Q, c)
            fs = f(xs)
            points = [xs + rng.standard_normal(len(c)) * 2 for _ in range(6)] + [xs + U[:, 0]]
        else:
            X, y, mu = _logistic(rng)

            def f(w):
                return float(np.mean(np.logaddexp(0, -y * (X @ w))) + mu / 2 * w @ w)

            def g(w):
                return np.asarray(logistic_loss_grad(w, X, y, mu))

            xs, fs = _minimum(X, y, mu)
            points = [xs + rng.standard_normal(X.shape[1]) * 2 for _ in range(6)]
        for x in points:
            gap = f(x) - fs
            gn = float(np.asarray(g(x)) @ np.asarray(g(x)))
            errors.append(max(0.0, mu * gap - gn / 2) / max(gap, 1e-3) / 1e-6)
            errors.append(
                max(0.0, mu / 2 * float((x - xs) @ (x - xs)) - gap) / max(gap, 1e-3) / 1e-6
            )
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "violations of PL and of f - f* >= (mu/2)||x - x*||^2, relative to f - f*, "
        "units 1e-6; quadratics (exact x*) and ridge-logistic (x* by Powell), float64",
    )


def gradient_step_progress(
    rng: np.random.Generator,
    *,
    gradient_step=calculus.gradient_step,
    logistic_smoothness=calculus.logistic_smoothness,
) -> Figures:
    """``f(x+) <= f(x) - ||g||^2 / (2L)`` and ``f(x+) - f* <= (1 - mu/L)(f(x) - f*)`` for
    ``x+ = gradient_step(x, g, L)``: quadratics (``L = max lam`` from the construction, tight
    along the top eigenvector) and ridge-logistic losses (``f*`` by ``scipy.optimize``)."""
    errors = []
    n = 16
    for k in range(n):
        if k % 2 == 0:
            Q, c, lam, U = _quadratic(rng)
            f, g = _fq(Q, c)
            mu, L = lam[0], lam[-1]
            xs = -np.linalg.solve(Q, c)
            fs = f(xs)
            points = [xs + rng.standard_normal(len(c)) * 2 for _ in range(5)] + [xs + U[:, -1]]
        else:
            X, y, mu = _logistic(rng)

            def f(w):
                return float(np.mean(np.logaddexp(0, -y * (X @ w))) + mu / 2 * w @ w)

            def g(w):
                return calculus.logistic_loss_grad(w, X, y, mu)

            L = logistic_smoothness(X, mu)
            xs, fs = _minimum(X, y, mu)
            points = [xs + rng.standard_normal(X.shape[1]) * 2 for _ in range(5)]
        for x in points:
            gx = np.asarray(g(x))
            xp = np.asarray(gradient_step(x, gx, L))
            gap = f(x) - fs
            errors.append(max(0.0, f(xp) - (f(x) - float(gx @ gx) / (2 * L))) / gap / 1e-6)
            errors.append(max(0.0, f(xp) - fs - (1 - mu / L) * gap) / gap / 1e-6)
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "violations of the sufficient decrease and of the contraction (1 - mu/L), "
        "relative to f(x) - f*, units 1e-6, quadratics and ridge-logistic, float64",
    )


CLAIMS = (
    Witness(
        "def-convex-smooth",
        quadratic_constants_are_exact,
        "strong convexity and smoothness constants of quadratics with known spectrum",
    ),
    Witness(
        "thm-convex-first-order",
        first_order_lower_bound,
        "strong-convexity lower bound for ridge-logistic losses",
    ),
    Witness(
        "lem-smooth-descent",
        descent_lemma_holds,
        "quadratic upper bound with the library's L, tight for quadratics",
    ),
    Witness(
        "prop-hessian-bounds",
        hessian_integral_and_spectrum,
        "gradient increments as integrals of torch Hessians; spectrum in [lambda, L]",
    ),
    Witness(
        "prop-logistic-smoothness",
        logistic_constants_match_autograd,
        "logistic loss, gradient and L vs torch autograd Hessians",
    ),
    Witness(
        "prop-strong-convexity-pl",
        pl_inequality_holds,
        "PL and quadratic growth with minima from a solve or scipy.optimize",
    ),
    Witness(
        "prop-gd-step-progress",
        gradient_step_progress,
        "sufficient decrease and linear contraction of one gradient step",
    ),
)
