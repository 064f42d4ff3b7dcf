r"""Witness of Section "Double descent": `thm-gen-double-descent`.

Reference: Monte Carlo over Gaussian designs, with normal intervals of level $1 - 10^{-6}$; the
minimum-norm solutions by a batched SVD, checked against the chapter *Linear models*'s
``linear.min_norm_least_squares``."""

from __future__ import annotations

import numpy as np

from ... import generalisation, linear
from ...registry import Witness
from ._common import LEVEL, Evidence, error, interval, mean_interval, single_threaded


def _min_norm_batch(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """X^+ y for a stack of full-rank designs, by one batched SVD (written here)."""
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    return np.einsum("rji,rj->ri", Vt, np.einsum("rij,ri->rj", U, y) / s)


@single_threaded
def double_descent_monte_carlo(
    rng: np.random.Generator,
    *,
    min_norm_risk=generalisation.min_norm_risk,
    min_norm_least_squares=linear.min_norm_least_squares,
) -> Evidence:
    r"""$n = 30$ samples, $p\in\{8, 19\}$ (below the threshold, $n - p - 1\ge10$) and
    $p\in\{44, 90\}$ (above, $p - n - 1\ge13$), random $\beta$ and $\sigma$: the Monte Carlo mean of
    $\|\hat w - \beta\|^2$ over 1000 Gaussian designs and its interval of level $1 - 10^{-6}$, against
    ``min_norm_risk``; $\hat w = X^+y$ by a batched SVD, and for the first 100 designs of each $p$ by
    the chapter *Linear models*'s ``linear.min_norm_least_squares``, which must agree to
    $16\max(n, p)\kappa u(2 + (\kappa + 1)\|r\|/(\|X\|_2\|\hat w\|))$ relative to $\|\hat w\|$,
    $\kappa = \kappa_2(X)$, $r = y - X\hat w$ (both methods are backward stable; the least-squares
    perturbation bound, Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., 2002,
    Section 20.1, with $r = 0$ above the threshold). The summands have finite variance (inverse
    $\chi^2$ moments of order 2 exist for these degrees of freedom)."""
    n, R = 30, 1000
    u = float(np.finfo(np.float64).eps) / 2
    comps, agree = [], 0.0
    for p in (8, 19, 44, 90):
        beta = rng.standard_normal(p)
        beta *= float(rng.uniform(0.5, 1.5)) / np.linalg.norm(beta)
        sigma = float(rng.uniform(0.3, 1.0))
        X = rng.standard_normal((R, n, p))
        y = X @ beta + sigma * rng.standard_normal((R, n))
        W = _min_norm_batch(X, y)
        for r in range(100):
            w = min_norm_least_squares(X[r], y[r])
            sv = np.linalg.svd(X[r], compute_uv=False)
            kappa = float(sv[0] / sv[-1])
            # least-squares perturbation: the residual term, zero for p > n
            rho = float(np.linalg.norm(y[r] - X[r] @ W[r])) / (float(sv[0]) * np.linalg.norm(W[r]))
            tol = 16 * max(n, p) * kappa * (2 + (kappa + 1) * rho) * u
            agree = max(agree, float(np.linalg.norm(w - W[r]) / np.linalg.norm(W[r])) / tol)
        err = np.sum((W - beta) ** 2, axis=1)
        est, lo, hi = mean_interval(err)
        comps.append(
            interval(
                r"$\mathbb E\|\hat w - \beta\|^2$ against the exact risk",
                est,
                lo,
                hi,
                float(min_norm_risk(n, p, sigma**2, float(beta @ beta))),
                level=LEVEL,
                at=f"n = {n}, p = {p}",
            )
        )
    comps.append(
        error(
            r"``min_norm_least_squares`` against the batched $X^+y$, in units of "
            r"$16\max(n,p)\kappa u(2 + (\kappa + 1)\|r\|/(\|X\|_2\|\hat w\|))$",
            agree,
            1.0,
            units="rounding units",
        )
    )
    return Evidence(4 * R, tuple(comps))


CLAIMS = (
    Witness(
        "thm-gen-double-descent",
        double_descent_monte_carlo,
        "Monte Carlo risk of minimum-norm least squares on both sides of p = n against the exact risk",
        strength="exact",
    ),
)
