r"""Witnesses of Section "Gradient descent on least squares": ``alg-lin-gd``,
``thm-lin-gd-convergence``, ``thm-lin-gd-rate``, ``thm-lin-gd-implicit``, ``prop-lin-gd-filter``,
``thm-lin-early-stopping``.

Rounding of the iterates: one step $w\mapsto w - \eta(X^\top(Xw) - X^\top y)$ in a dtype with unit
roundoff $u$ commits an error of at most $\delta(w) = \gamma_{m+n+3}\|\,\lvert w\rvert +
\eta(\lvert X\rvert^\top\lvert X\rvert\lvert w\rvert +
\lvert X\rvert^\top\lvert y\rvert)\|$, and the error propagates through $I - \eta X^\top X$, of
norm at most $1$ for
$0 < \eta\le2/\beta$; so after $t$ steps the computed iterate is within $\sum_{k<t}\delta(w_k)$ of
the exact one (:func:`_drift`).
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import torch

from ... import linear
from ...registry import Witness
from ._common import (
    Evidence,
    equal,
    factored,
    gamma,
    lower,
    single_threaded,
    unit_roundoff,
    upper,
    worst_error,
)
from .least_squares import _data_error

F64 = np.dtype("float64")


def _drift(X, y, eta, W, dtype) -> np.ndarray:
    """Cumulative rounding bounds sum_{k<t} delta(w_k), t = 0..T, for iterates ``W`` (T+1, n)."""
    m, n = X.shape
    A = np.abs(np.asarray(X, F64))
    ay = A.T @ np.abs(np.asarray(y, F64))
    aW = np.abs(np.asarray(W, F64))
    d = gamma(m + n + 3, dtype) * np.linalg.norm(aW + eta * (aW @ A.T @ A + ay), axis=1)
    return np.concatenate([[0.0], np.cumsum(d[:-1])])


@single_threaded
def gd_vs_torch_autograd(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = F64,
    gd_least_squares=linear.gd_least_squares,
) -> Evidence:
    r"""The iterates $w_0, \dots, w_T$ vs steps $w - \eta g$ with $g$ the ``torch.autograd.grad`` of
    ``0.5 * ((X @ w - y) ** 2).sum()`` (float64, on the same data and the same rounded $\eta$),
    within the rounding drift of both; the result has shape ``(T + 1, n)`` and the input dtype."""
    errs, tols, at = [], [], []
    kind = 1.0
    n_inst = 12
    for _ in range(n_inst):
        m, n = (int(v) for v in rng.integers(1, 10, size=2))
        X = rng.standard_normal((m, n)).astype(dtype)
        y, w0 = rng.standard_normal(m).astype(dtype), rng.standard_normal(n).astype(dtype)
        X64 = X.astype(F64)
        eta = float(dtype.type(float(rng.uniform(0.1, 1.9)) / np.linalg.norm(X64, 2) ** 2))
        T = int(rng.integers(1, 30))
        ours = np.asarray(gd_least_squares(X, y, eta, T, w0))
        kind = min(kind, float(ours.shape == (T + 1, n) and ours.dtype == dtype))
        wt = torch.from_numpy(w0.astype(F64))
        Xt, yt = torch.from_numpy(X64), torch.from_numpy(y.astype(F64))
        ref = [wt.numpy().copy()]
        for _ in range(T):
            wt.requires_grad_(True)
            (g,) = torch.autograd.grad(0.5 * ((Xt @ wt - yt) ** 2).sum(), wt)
            wt = (wt - eta * g).detach()
            ref.append(wt.numpy().copy())
        ref = np.stack(ref)
        if ours.shape != ref.shape:
            errs.append(math.inf)
            tols.append(0.0)
            at.append(f"m = {m}, n = {n}, T = {T}")
            continue
        drift = _drift(X64, y, eta, ref, dtype) + _drift(X64, y, eta, ref, F64)
        diff = np.linalg.norm(ours.astype(F64) - ref, axis=1)
        errs += list(diff[1:])
        tols += list(drift[1:])
        at += [f"m = {m}, n = {n}, t = {t} of T = {T}" for t in range(1, T + 1)]
    return Evidence(
        n_inst,
        (
            worst_error("$\\|w_t - w_t^{\\mathrm{torch}}\\|$ (worst step)", errs, tols, at=at),
            equal("iterates of shape $(T+1, n)$ in the input dtype", kind, 1.0, 0.0),
        ),
    )


def _contraction(eta: float, s: np.ndarray) -> float:
    r"""$\rho = \max_{i\le r}\lvert1 - \eta s_i^2\rvert$ of {prf:ref}`thm-lin-gd-convergence`."""
    return float(np.max(np.abs(1 - eta * s**2)))


@single_threaded
def gd_converges(
    rng: np.random.Generator,
    *,
    gd_least_squares=linear.gd_least_squares,
    contraction=_contraction,
) -> Evidence:
    r"""For $\eta$ uniform in $(0.05, 1.95)/\beta$ and any $X$ (rank $r$, factors known), $w_0$:
    part 1, $f(w_{t+1})\le f(w_t)$ up to the evaluation's rounding; part 2,
    $P_{\ker X}w_t = P_{\ker X}w_0$ and $\|w_t - w_{\infty}\|\le\rho^t\|w_0 - w_{\infty}\|$ with
    $w_{\infty} = X^+y + P_{\ker X}w_0$ from the factors; the bound is attained for
    $w_0 - w_{\infty}$ along the $v_i$ with $\lvert1 - \eta s_i^2\rvert = \rho$ (ratio $1$ at every
    $t$)."""
    rise, ker_e, ker_t, worst_b, att = [], [], [], [], []
    n_inst = 12
    for k in range(n_inst):
        m, n = (int(v) for v in rng.integers(1, 9, size=2))
        r = int(rng.integers(1, min(m, n) + 1))
        F = factored(rng, m, n, rng.uniform(0.5, 1.0, r), scale=float(rng.uniform(0.5, 3)))
        X, s = F.X, F.s
        y = rng.standard_normal(m)
        eta = float(rng.uniform(0.05, 1.95)) / s[0] ** 2
        rho = contraction(eta, s)
        T = min(int(math.ceil(math.log(1e-11) / math.log(max(rho, 1e-300)))), 3000)
        T = max(T, 1)
        pker = F.V_perp @ F.V_perp.T
        if k % 2 == 0:
            w0 = rng.standard_normal(n)
            w_inf = F.pinv @ y + pker @ w0
        else:  # attaining: w0 - w_inf along the slowest singular direction
            i = int(np.argmax(np.abs(1 - eta * s**2)))
            w_inf = F.pinv @ y + pker @ rng.standard_normal(n)
            w0 = w_inf + F.V[:, i] * float(rng.uniform(0.5, 2))
        W = np.asarray(gd_least_squares(X, y, eta, T, w0))
        drift = _drift(X, y, eta, W, F64) + _data_error(F) / s[-1] * np.linalg.norm(W, axis=1)
        f = 0.5 * np.sum((W @ X.T - y) ** 2, axis=1)
        slack = (
            (2.01 * gamma(n + 1, F64) + 1.01 * gamma(m, F64))
            * 0.5
            * np.sum((np.abs(W) @ np.abs(X).T + np.abs(y)) ** 2, axis=1)
        )
        rise.append((float(np.max(np.diff(f))), float(np.max(slack[1:] + slack[:-1]))))
        ker_e.append(float(np.max(np.linalg.norm((W - w0) @ F.V_perp, axis=1))) if n > r else 0.0)
        ker_t.append(float(drift[-1]) + 1e-300)
        e = np.linalg.norm(W - w_inf, axis=1)
        e0 = float(np.linalg.norm(w0 - w_inf))
        b = rho ** np.arange(T + 1) * e0
        if k % 2 == 0:
            t = 1 + int(np.argmax((e[1:] - drift[1:]) / b[1:]))
            worst_b.append((float(e[t]), float(b[t]), float(drift[t]), t))
        else:
            t_a = max(1, min(T // 2, int(math.log(1e-6) / math.log(max(rho, 1e-300)))))
            att.append((float(e[t_a] / b[t_a]), float(drift[t_a] / b[t_a]) + 1e-12, t_a))
    meas, bound, slack_b, t_b = max(worst_b, key=lambda q: (q[0] - q[2]) / q[1])
    ratio, tol, t_a = max(att, key=lambda q: abs(q[0] - 1) / q[1])
    return Evidence(
        n_inst,
        (
            upper(
                "part 1: largest increase $f(w_{t+1}) - f(w_t)$",
                max(q[0] for q in rise),
                0.0,
                slack=max(q[1] for q in rise),
            ),
            worst_error("part 2: $\\|P_{\\ker X}(w_t - w_0)\\|$", ker_e, ker_t),
            upper(
                "part 2: $\\|w_t - w_\\infty\\|$ vs $\\rho^t\\|w_0 - w_\\infty\\|$ (random $w_0$, "
                "worst $t$)",
                meas,
                bound,
                slack=slack_b,
                at=f"t = {t_b}",
            ),
            equal(
                "part 2, $w_0 - w_\\infty\\parallel v_i$ with $|1 - \\eta s_i^2| = \\rho$: "
                "$\\|w_t - w_\\infty\\|/(\\rho^t\\|w_0 - w_\\infty\\|)$",
                ratio,
                1.0,
                tol,
                units="ratio",
                at=f"t = {t_a}",
                attains=True,
            ),
        ),
    )


def _rate_factor(kappa: float) -> float:
    """The contraction factor 1 - 1/kappa of thm-lin-gd-rate."""
    return 1 - 1 / kappa


@single_threaded
def gd_rate(
    rng: np.random.Generator,
    *,
    gd_least_squares=linear.gd_least_squares,
    factor=_rate_factor,
) -> Evidence:
    r"""$\eta = 1/\beta$, $\operatorname{rank}X = n$, $\kappa\in\{2, 10, 100, 1000\}$ ($\hat w$ from
    the factors): part 1, per-step ratios $\|e_{t+1}\|/\|e_t\|\le q = 1 - 1/\kappa$, with equality
    from $e_0 = v_n$; part 2, $(f(w_{t+1}) - f^*)/(f(w_t) - f^*)\le q^2$, with equality from
    $e_0 = v_n$; part 3, $\kappa\log(1/\epsilon)$ steps give $\|e_t\|\le\epsilon\|e_0\|$, and
    $e^{-t/\kappa}$ is approached at $t = \kappa = 1000$ from $e_0 = v_n$ (ratio
    $q^\kappa e = 1 - 1/(2\kappa) + O(\kappa^{-2})$). Ratios are taken while $\|e_t\|$ is above
    the rounding floor ($10^{-7}\|e_0\|$)."""
    r1, r2, r3, a1, a2, a3 = [], [], [], [], [], []
    n_inst = 12
    for i in range(n_inst):
        kappa = (2.0, 10.0, 100.0, 1000.0)[i % 4]
        n = int(rng.integers(2, 7))
        m = n + int(rng.integers(0, 5))
        s2 = np.concatenate([[1.0, 1.0 / kappa], rng.uniform(1 / kappa, 1, n - 2)])
        c = float(rng.uniform(0.5, 3))
        F = factored(rng, m, n, np.sqrt(s2), scale=c)
        X, y = F.X, rng.standard_normal(m)
        w_hat = F.pinv @ y
        eta = 1.0 / (c * c)
        q = factor(kappa)
        T = min(60, int(math.ceil(kappa * math.log(1e6))))
        W = np.asarray(gd_least_squares(X, y, eta, T, w_hat + rng.standard_normal(n)))
        e = np.linalg.norm(W - w_hat, axis=1)
        keep = e[:-1] > 1e-7 * e[0]
        r1.append(float(np.max(e[1:][keep] / e[:-1][keep])) / q)
        gap = 0.5 * np.sum(((W - w_hat) @ X.T) ** 2, axis=1)  # f - f* (normal equations)
        keep = gap[:-1] > 1e-12 * gap[0]
        r2.append(float(np.max(gap[1:][keep] / gap[:-1][keep])) / q**2)
        v_n = F.V[:, -1]
        W = np.asarray(gd_least_squares(X, y, eta, 3, w_hat + v_n))
        en = np.linalg.norm(W - w_hat, axis=1)
        a1.append(float(en[3] / en[2]) / q)
        gn = 0.5 * np.sum(((W - w_hat) @ X.T) ** 2, axis=1)
        a2.append(float(gn[3] / gn[2]) / q**2)
        eps_ = 10.0 ** -rng.uniform(2, 6)
        t_eps = int(math.ceil(kappa * math.log(1 / eps_)))
        if t_eps <= 3000:
            W = np.asarray(gd_least_squares(X, y, eta, t_eps, w_hat + rng.standard_normal(n)))
            r3.append(float(np.linalg.norm(W[-1] - w_hat) / (eps_ * np.linalg.norm(W[0] - w_hat))))
        if kappa == 1000.0:
            W = np.asarray(gd_least_squares(X, y, eta, 1000, w_hat + v_n))
            a3.append(float(np.linalg.norm(W[-1] - w_hat)) / math.exp(-1000 / kappa))
    tol_r = 1e-6  # rounding of ratios of errors >= 1e-7 ||e_0|| (rounding ~1e-15 ||w||)
    return Evidence(
        n_inst,
        (
            upper(
                "part 1: $\\max_t\\|e_{t+1}\\|/\\|e_t\\|$ over $q$",
                max(r1),
                1.0,
                slack=tol_r,
                units="ratio",
            ),
            equal(
                "part 1, $e_0 = v_n$: $(\\|e_3\\|/\\|e_2\\|)/q$",
                max(a1, key=lambda v: abs(v - 1)),
                1.0,
                tol_r,
                units="ratio",
                attains=True,
            ),
            upper(
                "part 2: excess-objective ratio over $q^2$",
                max(r2),
                1.0,
                slack=tol_r,
                units="ratio",
            ),
            equal(
                "part 2, $e_0 = v_n$: objective ratio over $q^2$",
                max(a2, key=lambda v: abs(v - 1)),
                1.0,
                tol_r,
                units="ratio",
                attains=True,
            ),
            upper(
                "part 3: $\\|e_t\\|/(\\epsilon\\|e_0\\|)$ after $\\kappa\\log(1/\\epsilon)$ steps",
                max(r3),
                1.0,
                slack=tol_r,
                units="ratio",
            ),
            equal(
                "part 3, $e_0 = v_n$, $t = \\kappa = 1000$: $\\|e_t\\|/e^{-t/\\kappa}$",
                max(a3, key=lambda v: abs(v - 1)),
                1.0,
                1e-3,
                units="ratio",
                attains=True,
            ),
        ),
    )


@single_threaded
def gd_implicit_bias(
    rng: np.random.Generator, *, gd_least_squares=linear.gd_least_squares
) -> Evidence:
    r"""$m < n$, $w_0 = 0$: every iterate lies in $\operatorname{ran}X^\top$ (its component along
    $\ker X$, basis $V_{\perp}$ from the factors, stays at the rounding drift), and
    $\|w_T - X^+y\|\le\rho^T\|X^+y\|$ plus the drift ($X^+y$ from the factors)."""
    e_k, t_k, e_l, t_l, at = [], [], [], [], []
    n_inst = 12
    for _ in range(n_inst):
        m = int(rng.integers(1, 8))
        n = m + int(rng.integers(1, 10))
        r = int(rng.integers(1, m + 1))
        F = factored(rng, m, n, rng.uniform(0.4, 1.0, r))
        X, y = F.X, rng.standard_normal(m)
        eta = 1.0 / F.s[0] ** 2
        rho = 1 - (F.s[-1] / F.s[0]) ** 2
        T = min(int(math.ceil(math.log(1e-12) / math.log(rho))) if rho > 0 else 1, 20_000)
        W = np.asarray(gd_least_squares(X, y, eta, T))
        drift = _drift(X, y, eta, W, F64) + _data_error(F) / F.s[-1] * np.linalg.norm(W, axis=1)
        e_k.append(float(np.max(np.linalg.norm(W @ F.V_perp, axis=1))))
        t_k.append(float(drift[-1]))
        ref = F.pinv @ y
        e_l.append(float(np.linalg.norm(W[-1] - ref)))
        t_l.append(rho**T * float(np.linalg.norm(ref)) + float(drift[-1]))
        at.append(f"m = {m}, n = {n}, r = {r}, T = {T}")
    return Evidence(
        n_inst,
        (
            worst_error(
                "$\\max_t\\|V_\\perp^\\top w_t\\|$ (component in $\\ker X$)", e_k, t_k, at=at
            ),
            worst_error("$\\|w_T - X^+y\\|$", e_l, t_l, at=at),
        ),
    )


def _filter_exact(x: float, s: float, t: int) -> float:
    """(1 - (1 - x)^t) / s at 40 digits, x = eta s^2."""
    with mpmath.workdps(40):
        xm = mpmath.mpf(x)
        return float((1 - (1 - xm) ** t) / mpmath.mpf(s))


@single_threaded
def gd_spectral_filter(
    rng: np.random.Generator,
    *,
    gd_least_squares=linear.gd_least_squares,
    gd_filter=linear.gd_filter,
) -> Evidence:
    r"""$w_t$ from GD at $w_0 = 0$ vs $\sum_ig_t(s_i)(u_i^\top y)v_i$ from the factors of $X$,
    within the rounding drift; ``gd_filter`` vs $(1 - (1 - \eta s^2)^t)/s$ at 40 digits (mpmath),
    relative error within $16u$ for $\eta s^2 < 1$ (the map $x\mapsto1 - (1 - x)^t$ is concave
    with value $0$ at $0$, so its relative condition number is at most $1$) and within
    $8(t + 2)u/(1 - \lvert1 - \eta s^2\rvert^t)$ for $1\le\eta s^2\le1.9$; including $\eta s^2 =
    10^{-12}$,
    where $1 - (1 - \eta s^2)^t$ would cancel."""
    e_w, t_w, e_g, t_g, at = [], [], [], [], []
    n_inst = 12
    u = unit_roundoff(F64)
    for _ in range(n_inst):
        m, n = (int(v) for v in rng.integers(1, 10, size=2))
        r = int(rng.integers(1, min(m, n) + 1))
        F = factored(rng, m, n, rng.uniform(0.1, 1.0, r), scale=float(rng.uniform(0.5, 2)))
        X, y = F.X, rng.standard_normal(m)
        eta = float(rng.uniform(0.1, 1.9)) / F.s[0] ** 2
        T = int(rng.integers(1, 200))
        W = np.asarray(gd_least_squares(X, y, eta, T))
        drift = _drift(X, y, eta, W, F64) + _data_error(F) / F.s[-1] * np.linalg.norm(W, axis=1)
        for t in (1, T // 2, T):
            g = (1 - (1 - eta * F.s**2) ** t) / F.s
            e_w.append(float(np.linalg.norm(W[t] - F.V @ (g * (F.U.T @ y)))))
            t_w.append(
                float(drift[t])
                + 10
                * gamma(m + r, F64)
                * float(np.linalg.norm(np.abs(F.V) @ (np.abs(g) * (np.abs(F.U).T @ np.abs(y)))))
                * (t + 1)
            )
            at.append(f"m = {m}, n = {n}, r = {r}, t = {t}")
        s = np.concatenate([F.s, [1e-6 / math.sqrt(eta)]])  # eta s^2 = 1e-12
        got = np.asarray(gd_filter(s, eta, T))
        for si, gi in zip(s, got):
            x = eta * si * si
            ref = _filter_exact(x, si, T)
            e_g.append(abs(float(gi) - ref) / abs(ref))
            t_g.append(16 * u if x < 1 else 8 * (T + 2) * u / (1 - abs(1 - x) ** T))
    return Evidence(
        n_inst,
        (
            worst_error("$\\|w_t - \\sum_ig_t(s_i)(u_i^\\top y)v_i\\|$", e_w, t_w, at=at),
            worst_error("``gd_filter`` vs 40-digit $g_t(s)$", e_g, t_g, units="relative error"),
        ),
    )


def _sandwich(r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The bounds r_lam <= g_t <= 2 r_lam of thm-lin-early-stopping."""
    return r, 2 * r


@single_threaded
def early_stopping_sandwich(
    rng: np.random.Generator,
    *,
    gd_filter=linear.gd_filter,
    ridge_filter=linear.ridge_filter,
    gd_least_squares=linear.gd_least_squares,
    ridge=linear.ridge,
    sandwich=_sandwich,
) -> Evidence:
    r"""For $\eta s^2\in(0, 1]$, $t\ge1$, $\lambda = 1/(\eta t)$: $r_{\lambda}(s)\le g_t(s)\le
    2r_{\lambda}(s)$ with $g_t$ (``gd_filter``) and $r_{\lambda}$ (``ridge_filter``), both to full
    relative accuracy; the upper constant is attained at $\eta s^2 = 1$, $t = 1$ (ratio $2$) and
    the lower one approached as $s\to0$ ($g_t/r_{\lambda} = 1 + O(\eta s^2t)$); and the consequence
    $\|\hat w_{\lambda}\|\le\|w_t\|\le2\|\hat w_{\lambda}\|$ for $\eta\le1/\beta$
    (``gd_least_squares``,
    ``ridge``)."""
    n_inst = 400
    u = unit_roundoff(F64)
    eta = 10.0 ** rng.uniform(-2, 1, n_inst)
    x = rng.uniform(0, 1, n_inst) ** 3  # eta s^2 in (0, 1]
    x[:4] = 1.0
    T = rng.integers(1, 3000, n_inst)
    T[:2] = 1
    s = np.sqrt(x / eta)
    lo_r, hi_r, up_att = [], [], []
    for i in range(n_inst):
        lam = 1 / (eta[i] * T[i])
        g = float(gd_filter(s[i : i + 1], float(eta[i]), int(T[i]))[0])
        r = ridge_filter(s[i : i + 1], lam)
        lo, hi = sandwich(r)
        lo_r.append(g / float(lo[0]))
        hi_r.append(g / float(hi[0]))
        if x[i] == 1.0 and T[i] == 1:
            up_att.append(g / float(hi[0]))
    # the lower constant as s -> 0: eta s^2 = 1e-10, t = 10
    e0, t0 = 0.5, 10
    s0 = np.array([math.sqrt(1e-10 / e0)])
    low_att = float(gd_filter(s0, e0, t0)[0]) / float(
        sandwich(ridge_filter(s0, 1 / (e0 * t0)))[0][0]
    )
    # the consequence for the iterates and the ridge estimator
    norms = []
    for _ in range(8):
        m, n = (int(v) for v in rng.integers(1, 8, size=2))
        F = factored(rng, m, n, rng.uniform(0.1, 1.0, min(m, n)))
        y = rng.standard_normal(m)
        et = float(rng.uniform(0.2, 1.0)) / F.s[0] ** 2
        t = int(rng.integers(1, 100))
        wt = np.asarray(gd_least_squares(F.X, y, et, t))[-1]
        wl = np.asarray(ridge(F.X, y, 1 / (et * t)))
        norms.append(float(np.linalg.norm(wt) / np.linalg.norm(wl)))
    tol = 64 * u  # both filters to a few ulps each (relative)
    return Evidence(
        n_inst,
        (
            lower("$\\min g_t/r_\\lambda$ (lower bound)", min(lo_r), 1.0, slack=tol, units="ratio"),
            upper(
                "$\\max g_t/(2r_\\lambda)$ (upper bound)", max(hi_r), 1.0, slack=tol, units="ratio"
            ),
            equal(
                "$g_t/(2r_\\lambda)$ at $\\eta s^2 = 1$, $t = 1$",
                min(up_att),
                1.0,
                tol,
                units="ratio",
                attains=True,
            ),
            equal(
                "$g_t/r_\\lambda$ at $\\eta s^2 = 10^{-10}$, $t = 10$ ($s\\to0$)",
                low_att,
                1.0,
                1e-8,
                units="ratio",
                attains=True,
            ),
            lower(
                "$\\min\\|w_t\\|/\\|\\hat w_\\lambda\\|$",
                min(norms),
                1.0,
                slack=1e-12,
                units="ratio",
            ),
            upper(
                "$\\max\\|w_t\\|/\\|\\hat w_\\lambda\\|$",
                max(norms),
                2.0,
                slack=1e-12,
                units="ratio",
            ),
        ),
    )


CLAIMS = (
    Witness(
        "alg-lin-gd",
        gd_vs_torch_autograd,
        "the iterates vs steps along torch autograd gradients, within the rounding drift",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "thm-lin-gd-convergence",
        gd_converges,
        "monotone decrease; |w_t - w_inf| <= rho^t |w_0 - w_inf|, attained along the slowest v_i",
        strength="sharp",
    ),
    Witness(
        "thm-lin-gd-rate",
        gd_rate,
        "per-step contraction <= 1 - 1/kappa and its square, attained on v_n",
        strength="sharp",
    ),
    Witness(
        "thm-lin-gd-implicit",
        gd_implicit_bias,
        "from w_0 = 0: iterates in the row space, limit X^+ y",
        strength="exact",
    ),
    Witness(
        "prop-lin-gd-filter",
        gd_spectral_filter,
        "GD iterates equal the spectral filter formula; gd_filter vs 40 digits",
        strength="exact",
    ),
    Witness(
        "thm-lin-early-stopping",
        early_stopping_sandwich,
        "r_lam <= g_t <= 2 r_lam, both constants attained or approached; norms of w_t and w_lam",
        strength="sharp",
    ),
)
