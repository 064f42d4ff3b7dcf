r"""Witnesses of Section "Soft margin and the hinge loss": ``def-svm-soft-margin``,
``thm-svm-hinge``, ``prop-svm-subgradient``."""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import linprog
from sklearn.metrics import hinge_loss

from ... import svm
from ...registry import Witness
from ._common import (
    U64,
    Evidence,
    blobs,
    equal,
    gap,
    lower,
    single_threaded,
    slsqp_soft_margin,
    worst_error,
)

F64 = np.dtype("float64")


@single_threaded
def primal_matches_definition(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = F64,
    primal_objective=svm.primal_objective,
    hinge=svm.hinge,
) -> Evidence:
    r"""$P(w, b)$ vs $\frac12\|w\|^2 + Cm\cdot$``sklearn.metrics.hinge_loss`` (a mean) in float64,
    within $\gamma_{d+m+4}$ times $\frac12\|w\|^2 + C\sum_i(1 + \lvert w\rvert^\top\lvert x_i\rvert
    + \lvert b\rvert)$ in the dtype;
    ``hinge`` vs its two cases (one rounding of $1 - s$)."""
    u = float(np.finfo(dtype).eps) / 2
    e_p, t_p, e_h, t_h = [], [], [], []
    n = 30
    for _ in range(n):
        m, d = int(rng.integers(2, 30)), int(rng.integers(1, 6))
        X, y = blobs(rng, m, d)
        X = X.astype(dtype)
        w = rng.standard_normal(d).astype(dtype)
        b, C = float(rng.standard_normal()), float(10 ** rng.uniform(-2, 2))
        X64, w64 = X.astype(F64), w.astype(F64)
        f = X64 @ w64 + b
        ref = 0.5 * float(w64 @ w64) + C * m * hinge_loss(y, f)
        scale = 0.5 * float(w64 @ w64) + C * float(np.sum(1 + np.abs(X64) @ np.abs(w64) + abs(b)))
        k = d + m + 4
        e_p.append(abs(primal_objective(w, b, X, y, C) - ref))
        t_p.append((k * u / (1 - k * u) + k * U64 / (1 - k * U64)) * scale)
        s = (4 * rng.standard_normal(m)).astype(dtype)
        s[0] = 1
        h = np.asarray(hinge(s))
        e_h.append(float(np.max(np.abs(h.astype(F64) - np.where(s < 1, 1 - s.astype(F64), 0)))))
        t_h.append(2 * u * float(np.max(np.abs(1 - s.astype(F64)))))
    return Evidence(
        n,
        (
            worst_error("$P(w, b)$ vs $\\frac12\\|w\\|^2 + Cm\\cdot$hinge_loss", e_p, t_p),
            worst_error("$|\\operatorname{hinge}(s) - \\max(0, 1 - s)|$ (one rounding)", e_h, t_h),
        ),
    )


@single_threaded
def soft_margin_equals_hinge_minimum(rng: np.random.Generator, *, smo=svm.smo) -> Evidence:
    r"""Part 2: the minimum of the constrained problem (SLSQP over $(w, b, \xi)$, $\xi$ raised to
    feasibility) vs $P$ at ``smo``'s $(w, b)$: both lie in $[D(\alpha), D(\alpha) + G]$, $G$ the gap
    certified at ``smo``'s solution, up to SLSQP's accuracy ($10^{-8}$ relative, its ``ftol`` being
    $10^{-14}$); part 1, for fixed random $(w, b)$ the minimum over $\xi$ (a linear programme,
    HiGHS's dual simplex) is $P(w, b)$; part 3, SLSQP's $w$ is within $\sqrt{2G_{\mathrm{SLSQP}}}$
    of ``smo``'s (every minimiser has the same $w$)."""
    e_v, t_v, e_x, t_x, e_w, t_w, e_g, t_g = [], [], [], [], [], [], [], []
    n = 8
    for _ in range(n):
        m, d = int(rng.integers(6, 16)), int(rng.integers(1, 4))
        X, y = blobs(rng, m, d, shift=float(rng.uniform(0.5, 2.0)))
        C = float(10 ** rng.uniform(-1, 1))
        K = X @ X.T
        sol = smo(K, y, C, tol=1e-10)
        alpha = np.asarray(sol.alpha)
        w = X.T @ (alpha * y)
        value = 0.5 * w @ w + C * np.sum(np.maximum(1 - y * (X @ w + sol.b), 0))
        G = gap(alpha, sol.b, y, K, C)
        e_g.append(G)
        t_g.append(C * m * 1e-10 + 1e-12 * max(1.0, abs(value)))
        w_ref, b_ref, xi_ref, value_ref = slsqp_soft_margin(X, y, C)
        e_v.append(abs(value - value_ref))
        t_v.append(G + 1e-8 * max(1.0, abs(value_ref)))
        G_ref = max(value_ref - (value - G), 0.0) + 1e-8 * max(1.0, abs(value_ref))
        e_w.append(float(np.linalg.norm(w - w_ref)))
        t_w.append(math.sqrt(2 * G) + math.sqrt(2 * G_ref))
        w1, b1 = rng.standard_normal(d), float(rng.standard_normal())
        r = 1 - y * (X @ w1 + b1)
        res = linprog(  # min C 1^T xi subject to xi >= r, xi >= 0 (dual simplex: a vertex)
            np.full(m, C),
            A_ub=-np.eye(m),
            b_ub=-r,
            bounds=[(0, None)] * m,
            method="highs-ds",
        )
        p1 = 0.5 * w1 @ w1 + res.fun
        e_x.append(abs(svm.primal_objective(w1, b1, X, y, C) - p1))
        t_x.append(1e-8 * max(1.0, abs(p1)))
    return Evidence(
        n,
        (
            worst_error("certified gap $P - D$ at smo's solution (tol $10^{-10}$)", e_g, t_g),
            worst_error("part 2: constrained minimum (SLSQP) vs $P$ at smo's $(w, b)$", e_v, t_v),
            worst_error("part 1: $\\min_\\xi$ (LP) vs $P(w, b)$ at random $(w, b)$", e_x, t_x),
            worst_error("part 3: $\\|w_{\\mathrm{smo}} - w_{\\mathrm{SLSQP}}\\|$", e_w, t_w),
        ),
    )


@single_threaded
def subgradient_inequality_holds(
    rng: np.random.Generator, *, primal_subgradient=svm.primal_subgradient
) -> Evidence:
    r"""$P(w', b')\ge P(w, b) + \langle g, (w' - w, b' - b)\rangle$ at random points ($P$ written out),
    also at kinks; the inequality is attained up to the quadratic term: for small steps that cross
    no kink, $P(w + \Delta w, b + \Delta b) - P(w, b) - \langle g, \Delta\rangle = \frac12\|\Delta w\|^2$
    exactly; $g$ vs central differences where $P$ is differentiable."""
    lows, e_q, t_q, e_c, t_c = [], [], [], [], []
    n = 30

    def P(w, b, X, y, C):
        return 0.5 * math.fsum(w * w) + C * math.fsum(np.maximum(0.0, 1.0 - y * (X @ w + b)))

    for t in range(n):
        m, d = int(rng.integers(2, 20)), int(rng.integers(1, 5))
        X, y = blobs(rng, m, d)
        C = float(10 ** rng.uniform(-1, 1))
        w, b = rng.standard_normal(d), float(rng.standard_normal())
        if t % 3 == 0:  # put sample 0 exactly on its margin hyperplane (a kink)
            b = float(y[0] - X[0] @ w)
        g_w, g_b = primal_subgradient(w, b, X, y, C)
        g_w = np.asarray(g_w, dtype=np.float64)
        p0 = P(w, b, X, y, C)
        scale = 0.5 * float(w @ w) + C * float(np.sum(1 + np.abs(X) @ np.abs(w) + abs(b)))
        rnd = 4 * (m + d + 4) * U64 * scale
        for _ in range(20):
            step = 10 ** rng.uniform(-4, 1)
            dw, db = step * rng.standard_normal(d), step * float(rng.standard_normal())
            lin = p0 + g_w @ dw + g_b * db
            lows.append((P(w + dw, b + db, X, y, C) - lin, rnd * (1 + step)))
        margins = y * (X @ w + b)
        dist = float(np.min(np.abs(margins - 1)))
        if dist > 1e-3:  # differentiable: central differences, and the exact quadratic identity
            h = 1e-6
            fd = [
                (P(w + h * e, b, X, y, C) - P(w - h * e, b, X, y, C)) / (2 * h) for e in np.eye(d)
            ]
            fd_b = (P(w, b + h, X, y, C) - P(w, b - h, X, y, C)) / (2 * h)
            e_c.append(float(np.max(np.abs(np.r_[g_w, g_b] - np.r_[fd, fd_b]))))
            t_c.append(2 * rnd / h + h * h)  # rounding of P over 2h; the quadratic term is exact
            R = float(np.max(np.linalg.norm(X, axis=1)))
            s = 0.5 * dist / (R + 1)  # small enough that no margin crosses 1
            u = rng.standard_normal(d + 1)
            u *= s / np.linalg.norm(u)
            dq = P(w + u[:d], b + u[d], X, y, C) - p0 - (g_w @ u[:d] + g_b * u[d])
            e_q.append(abs(dq - 0.5 * float(u[:d] @ u[:d])))
            t_q.append(2 * rnd + 4 * U64 * float(np.abs(np.r_[g_w, g_b]) @ np.abs(u)))
    low = min(lows, key=lambda q: q[0] + q[1])
    k = max(range(len(e_q)), key=lambda i: e_q[i] / t_q[i])
    return Evidence(
        n,
        (
            lower(
                "$P(w') - P(w) - \\langle g, w' - w\\rangle$ (worst of 20 random points per "
                "instance)",
                low[0],
                0.0,
                slack=low[1],
            ),
            equal(
                "small steps without kinks: $P(w + \\Delta) - P(w) - \\langle g, \\Delta\\rangle - "
                "\\frac12\\|\\Delta w\\|^2$ (the bound attained up to the quadratic term)",
                e_q[k],
                0.0,
                t_q[k],
                attains=True,
            ),
            worst_error("$g$ vs central differences ($h = 10^{-6}$) off kinks", e_c, t_c),
        ),
    )


CLAIMS = (
    Witness(
        "def-svm-soft-margin",
        primal_matches_definition,
        "primal objective vs sklearn hinge_loss; hinge vs its cases",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "thm-svm-hinge",
        soft_margin_equals_hinge_minimum,
        "constrained soft-margin QP (SLSQP) vs hinge formulation at the smo solution; one w",
        strength="exact",
    ),
    Witness(
        "prop-svm-subgradient",
        subgradient_inequality_holds,
        "subgradient inequality at random points, tight up to the quadratic term; central "
        "differences off kinks",
        strength="sharp",
    ),
)
