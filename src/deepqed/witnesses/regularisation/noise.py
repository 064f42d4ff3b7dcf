r"""Witnesses of Section "Noise as a penalty": `prop-reg-input-noise`, `prop-reg-dropout`.

Instances: random designs $X$ and targets $y$ (Gaussian entries, random sizes), random $w$. The
expectations are computed *exactly* by enumerating every noise pattern of a small problem
($mn\le10$: $2^{mn}$ sign patterns for Rademacher noise $\pm s$, $2^{mn}$ masks for dropout, with
their probabilities), and estimated by Monte Carlo (Gaussian noise, random masks, larger problems)
with non-asymptotic confidence intervals at level $1 - 10^{-6}$: for Gaussian noise a
median-of-means interval with the exact variance, for dropout Hoeffding's inequality for the
bounded values (see the witnesses). The minimisers are compared with least squares on an augmented design
(NumPy's ``lstsq``), which does not use the library's formulas.

Rounding of the enumeration: the expectation is a weighted mean of $N\le2^{10}$ nonnegative terms
$\frac12\|r\|^2$, $r = (X + \Xi)w - y$. Each $r_i$ is computed with absolute error at most
$(n + 2)u\,c_i$, $c_i = (|X + \Xi||w| + |y|)_i$ (Higham 2002, Section 3.1), so
$\frac12\|r\|^2$ with error at most $(n + 3)u\|c\|\,\|r\| + nu\|r\|^2\le(2n + 3)u\|c\|^2$; the weighted
sum adds $\log_2N$ relative roundings. The tolerance is $(2n + 3 + \log_2N + 4)u$ times the mean of
$\|c\|^2$, plus the same for the closed form (computed in the witnessed dtype).
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from ... import regularisation as reg
from ...registry import Witness
from .._common import Evidence, error, interval, single_threaded

LEVEL = 1 - 1e-6
DELTA = 1 - LEVEL
# median of means: K groups, each mean off by more than 2 sd/sqrt(group size) with probability at
# most 1/4 (Chebyshev); the median is off only if at least K/2 groups are, probability at most
# exp(-2K(1/4)^2) = exp(-K/8) (Hoeffding's inequality for the number of failed groups)
GROUPS = math.ceil(8 * math.log(1 / DELTA))


def _median_of_means(vals: np.ndarray, sd: float) -> tuple[float, float]:
    r"""The median of the means of ``GROUPS`` equal groups and the half-width $2\,\mathrm{sd}
    \sqrt{K/R}$ of its interval at level $1 - e^{-K/8}\ge$ ``LEVEL`` (``sd`` the exact standard
    deviation of one value)."""
    size = len(vals) // GROUPS
    means = vals[: size * GROUPS].reshape(GROUPS, size).mean(axis=1)
    return float(np.median(means)), 2 * sd / math.sqrt(size)


def _u(dtype: np.dtype) -> float:
    return float(np.finfo(dtype).eps) / 2


def _problem(rng: np.random.Generator, m: int, n: int):
    return rng.standard_normal((m, n)), rng.standard_normal(m), rng.standard_normal(n)


def _enumerate(X, y, w, patterns, weights):
    """Weighted mean of 1/2 ||X_k w - y||^2 over the designs X_k, with the rounding scale."""
    vals = np.array([0.5 * np.sum((Xk @ w - y) ** 2) for Xk in patterns])
    scale = np.array([np.sum((np.abs(Xk) @ np.abs(w) + np.abs(y)) ** 2) for Xk in patterns])
    return float(weights @ vals), float(weights @ scale)


def _augmented_lstsq(X, y, P):
    """argmin ||Xw - y||^2 + w^T P^T P w by least squares on [X; P] (NumPy's SVD-based lstsq)."""
    A = np.vstack([X, P])
    b = np.concatenate([y, np.zeros(P.shape[0])])
    return np.linalg.lstsq(A, b, rcond=None)[0]


@single_threaded
def input_noise_is_ridge(
    rng: np.random.Generator,
    dtype: np.dtype = np.dtype("float64"),
    *,
    input_noise_objective=reg.input_noise_objective,
    input_noise_ridge=reg.input_noise_ridge,
) -> Evidence:
    r"""Proposition `prop-reg-input-noise`: (a) for Rademacher noise $\pm s$ the expectation, by
    enumeration of all $2^{mn}$ sign patterns ($mn\le10$), equals the library's
    $\frac12\|Xw - y\|^2 + \frac{ms^2}2\|w\|^2$ to rounding; (b) for Gaussian noise ($m, n$ up to $8$,
    $180\cdot\lceil 8\log 10^6\rceil = 19980$ draws in 111 groups) a median-of-means interval
    contains it: the rows of $\Xi w$ are independent $N(0, \sigma^2)$, $\sigma = s\|w\|$, so one value $\frac12\sum_i(r_i + \sigma g_i)^2$
    ($r = Xw - y$) has the exact variance $\sum_i(\sigma^2r_i^2 + \sigma^4/2)$, which the interval
    uses (not an estimate); (c) the library's minimiser equals least
    squares on $[X; \sqrt m\,sI]$; (d) necessity of $\mathbb E[\Xi^\top\Xi] = ms^2I$: noise
    $\xi_i = s\varepsilon_i\mathbf 1$ (one sign per row) gives the penalty $\frac{ms^2}2(\mathbf 1^\top w)^2$
    instead."""
    u = _u(dtype)
    enum_err, enum_tol, at = 0.0, 1.0, ""
    worst = -1.0
    necessity_err = 0.0
    for _ in range(4):
        m, n = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        X, y, w = _problem(rng, m, n)
        s = float(rng.uniform(0.1, 2.0))
        signs = [np.array(e).reshape(m, n) for e in itertools.product((-1.0, 1.0), repeat=m * n)]
        N = len(signs)
        mean, scale = _enumerate(X, y, w, [X + s * E for E in signs], np.full(N, 1.0 / N))
        Xd, yd, wd = X.astype(dtype), y.astype(dtype), w.astype(dtype)
        ours = float(input_noise_objective(wd, Xd, yd, s))
        tol = (2 * n + 3 + math.log2(N) + 4) * u * scale + (2 * n + 8) * u * (
            np.sum((np.abs(X) @ np.abs(w) + np.abs(y)) ** 2) + m * s * s * (w @ w)
        )
        ratio = abs(ours - mean) / tol
        if ratio > worst:
            worst, enum_err, enum_tol, at = ratio, abs(ours - mean), tol, f"m = {m}, n = {n}"
        # (d) one sign per row: E[Xi^T Xi] = m s^2 1 1^T
        rows = [
            np.repeat(np.array(e)[:, None], n, axis=1)
            for e in itertools.product((-1.0, 1.0), repeat=m)
        ]
        mean_d, scale_d = _enumerate(
            X, y, w, [X + s * E for E in rows], np.full(len(rows), 1 / len(rows))
        )
        ref_d = 0.5 * np.sum((X @ w - y) ** 2) + 0.5 * m * s * s * np.sum(w) ** 2
        necessity_err = max(necessity_err, abs(mean_d - ref_d) / ((2 * n + 20) * u * 4 * scale_d))
    # (b) Gaussian noise, Monte Carlo
    m, n, R = int(rng.integers(2, 9)), int(rng.integers(2, 9)), 180 * GROUPS
    X, y, w = _problem(rng, m, n)
    s = float(rng.uniform(0.1, 1.0))
    r = (X[None] + s * rng.standard_normal((R, m, n))) @ w - y
    vals = 0.5 * np.sum(r * r, axis=1)
    sigma2 = s * s * float(w @ w)
    res0 = X @ w - y
    est, half = _median_of_means(vals, math.sqrt(float(np.sum(sigma2 * res0**2 + sigma2**2 / 2))))
    ref = float(input_noise_objective(w.astype(dtype), X.astype(dtype), y.astype(dtype), s))
    # (c) minimiser against augmented least squares
    lam = m * s * s
    w_ref = _augmented_lstsq(X, y, math.sqrt(lam) * np.eye(n))
    w_ours = input_noise_ridge(X.astype(dtype), y.astype(dtype), s).astype(np.float64)
    kappa = np.linalg.cond(np.vstack([X, math.sqrt(lam) * np.eye(n)]))
    tol_c = 8 * (m + n) * u * kappa**2
    return Evidence(
        5 + R,
        (
            error(
                "exact enumeration (Rademacher noise) vs $f(w) + \\frac{ms^2}2\\|w\\|^2$",
                enum_err,
                enum_tol,
                units="absolute",
                at=at,
            ),
            interval(
                "Gaussian noise: median of means of $\\frac12\\|(X + \\Xi)w - y\\|^2$ "
                "(exact variance)",
                est,
                est - half,
                est + half,
                ref,
                level=LEVEL,
                at=f"m = {m}, n = {n}, s = {s:.3g}",
            ),
            error(
                "minimiser vs least squares on $[X; \\sqrt m\\,sI]$",
                float(np.linalg.norm(w_ours - w_ref) / np.linalg.norm(w_ref)),
                tol_c,
                at=f"m = {m}, n = {n}",
            ),
            error(
                "necessity: one sign per row gives $\\frac{ms^2}2(\\mathbf 1^\\top w)^2$ "
                "(enumerated), error over rounding bound",
                necessity_err,
                1.0,
                units="ratio",
            ),
        ),
    )


@single_threaded
def dropout_is_weighted_ridge(
    rng: np.random.Generator,
    dtype: np.dtype = np.dtype("float64"),
    *,
    dropout_objective=reg.dropout_objective,
    dropout_ridge=reg.dropout_ridge,
) -> Evidence:
    r"""Proposition `prop-reg-dropout`: (a) the expectation over all $2^{mn}$ masks ($mn\le10$,
    weighted by $p^{|R|}(1-p)^{mn - |R|}$) equals the library's
    $\frac12\|Xw - y\|^2 + \frac{1-p}{2p}w^\top Dw$ to rounding; (b) Monte Carlo ($m, n$ up to $8$,
    $20000$ masks): every value lies in $[0, B]$, $B = \frac12\sum_i(\sum_j|X_{ij}w_j|/p + |y_i|)^2$,
    so by Hoeffding's inequality the mean is within $B\sqrt{\log(2/\delta)/(2R)}$ of the expectation
    with probability at least $1 - \delta$, $\delta = 10^{-6}$; (c) the library's $\hat w_p$ equals least squares on
    $[X; \sqrt{(1-p)/p}\,D^{1/2}]$."""
    u = _u(dtype)
    worst, enum_err, enum_tol, at = -1.0, 0.0, 1.0, ""
    for _ in range(4):
        m, n = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        X, y, w = _problem(rng, m, n)
        p = float(rng.uniform(0.2, 0.95))
        masks = [np.array(e).reshape(m, n) for e in itertools.product((0.0, 1.0), repeat=m * n)]
        weights = np.array([p ** M.sum() * (1 - p) ** (m * n - M.sum()) for M in masks])
        mean, scale = _enumerate(X, y, w, [M * X / p for M in masks], weights)
        ours = float(dropout_objective(w.astype(dtype), X.astype(dtype), y.astype(dtype), p))
        N = len(masks)
        tol = (2 * n + 3 + math.log2(N) + 8) * u * scale + (2 * n + 8) * u * (
            np.sum((np.abs(X) @ np.abs(w) + np.abs(y)) ** 2) + (1 - p) / p * np.sum(X * X) * (w @ w)
        )
        ratio = abs(ours - mean) / tol
        if ratio > worst:
            worst, enum_err, enum_tol, at = (
                ratio,
                abs(ours - mean),
                tol,
                f"m = {m}, n = {n}, p = {p:.2f}",
            )
    m, n, R = int(rng.integers(2, 9)), int(rng.integers(2, 9)), 20000
    X, y, w = _problem(rng, m, n)
    p = float(rng.uniform(0.3, 0.9))
    Rm = rng.random((R, m, n)) < p
    r = (Rm * X[None] / p) @ w - y
    vals = 0.5 * np.sum(r * r, axis=1)
    B = 0.5 * float(np.sum((np.abs(X) @ np.abs(w) / p + np.abs(y)) ** 2))
    est, half = float(vals.mean()), B * math.sqrt(math.log(2 / DELTA) / (2 * R))
    ref = float(dropout_objective(w.astype(dtype), X.astype(dtype), y.astype(dtype), p))
    D = np.sum(X * X, axis=0)
    P = math.sqrt((1 - p) / p) * np.diag(np.sqrt(D))
    w_ref = _augmented_lstsq(X, y, P)
    w_ours = dropout_ridge(X.astype(dtype), y.astype(dtype), p).astype(np.float64)
    kappa = np.linalg.cond(np.vstack([X, P]))
    return Evidence(
        5 + R,
        (
            error(
                "exact expectation over all masks vs $f(w) + \\frac{1-p}{2p}w^\\top Dw$",
                enum_err,
                enum_tol,
                units="absolute",
                at=at,
            ),
            interval(
                "Monte Carlo mean of $\\frac12\\|\\tilde Xw - y\\|^2$ (Hoeffding interval)",
                est,
                est - half,
                est + half,
                ref,
                level=LEVEL,
                at=f"m = {m}, n = {n}, p = {p:.2f}",
            ),
            error(
                "$\\hat w_p$ vs least squares on $[X; \\sqrt{(1-p)/p}\\,D^{1/2}]$",
                float(np.linalg.norm(w_ours - w_ref) / np.linalg.norm(w_ref)),
                8 * (m + n) * u * kappa**2,
                at=f"m = {m}, n = {n}",
            ),
        ),
    )


CLAIMS = (
    Witness(
        "prop-reg-input-noise",
        input_noise_is_ridge,
        "Expected squared error under input noise equals the ridge objective with lambda = m s^2: "
        "exact enumeration, Monte Carlo interval, minimiser vs augmented least squares",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "prop-reg-dropout",
        dropout_is_weighted_ridge,
        "Expected squared error under dropout equals least squares plus (1-p)/(2p) w^T diag(X^T X) "
        "w: exact enumeration of masks, Monte Carlo interval, minimiser vs augmented least squares",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
)
