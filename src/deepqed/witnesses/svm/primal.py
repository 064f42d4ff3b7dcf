r"""Witnesses of Section "Soft margin and the hinge loss": ``def-svm-soft-margin``,
``thm-svm-hinge``, ``prop-svm-subgradient``."""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import minimize
from sklearn.metrics import hinge_loss

from ... import svm
from ...registry import Figures, Witness
from ._common import blobs, nan_max, slsqp_soft_margin


def primal_matches_definition(
    rng: np.random.Generator, *, primal_objective=svm.primal_objective, hinge=svm.hinge
) -> Figures:
    """``P(w, b)`` vs ``1/2 ||w||^2 + C m hinge_loss`` (scikit-learn, a mean); hinge vs its cases."""
    errors = []
    n = 30
    for t in range(n):
        dtype = (np.float64, np.float32)[t % 2]
        m, d = int(rng.integers(2, 30)), int(rng.integers(1, 6))
        X, y = blobs(rng, m, d)
        X = X.astype(dtype)
        w = rng.standard_normal(d).astype(dtype)
        b, C = float(rng.standard_normal()), float(10 ** rng.uniform(-2, 2))
        f = X.astype(np.float64) @ w.astype(np.float64) + b
        ref = 0.5 * float(w.astype(np.float64) @ w) + C * m * hinge_loss(y, f)
        eps = 1e-13 if dtype == np.float64 else 1e-5
        errors.append(abs(primal_objective(w, b, X, y, C) - ref) / max(1.0, abs(ref)) / eps)
        s = (4 * rng.standard_normal(m)).astype(dtype)
        s[0] = 1
        errors.append(float(np.max(np.abs(hinge(s) - np.where(s < 1, 1 - s, 0)))) / eps)
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "relative error of P vs 1/2||w||^2 + C m sklearn hinge_loss, and of hinge vs "
        "its cases, in units of 1e-13 (float64) / 1e-5 (float32)",
    )


def soft_margin_equals_hinge_minimum(rng: np.random.Generator, *, smo=svm.smo) -> Figures:
    """min of the constrained problem (SLSQP, variables w, b, xi) vs P at the smo solution; the
    optimal xi vs the hinge vector; min over xi for fixed random (w, b) vs P(w, b)."""
    errors = []
    n = 8
    for _ in range(n):
        m, d = int(rng.integers(6, 16)), int(rng.integers(1, 4))
        X, y = blobs(rng, m, d, shift=float(rng.uniform(0.5, 2.0)))
        C = float(10 ** rng.uniform(-1, 1))
        sol = smo(X @ X.T, y, C, tol=1e-10)
        alpha = np.asarray(sol.alpha)
        w = X.T @ (alpha * y)
        margins = y * (X @ w + sol.b)
        value = 0.5 * w @ w + C * np.sum(np.maximum(1 - margins, 0))  # hinge formulation
        w_ref, b_ref, xi_ref, value_ref = slsqp_soft_margin(X, y, C)
        errors.append(abs(value - value_ref) / max(1.0, abs(value_ref)))
        errors.append(float(np.max(np.abs(xi_ref - np.maximum(1 - y * (X @ w_ref + b_ref), 0)))))
        # part 1: for fixed (w, b) the constrained minimum over xi is P(w, b)
        w1, b1 = rng.standard_normal(d), float(rng.standard_normal())
        r = 1 - y * (X @ w1 + b1)
        res = minimize(
            lambda xi: C * np.sum(xi),
            np.abs(r) + 1.0,
            jac=lambda xi: np.full(m, C),
            bounds=[(0, None)] * m,
            method="SLSQP",
            options={"ftol": 1e-14},
            constraints=[{"type": "ineq", "fun": lambda xi: xi - r, "jac": lambda xi: np.eye(m)}],
        )
        p1 = 0.5 * w1 @ w1 + res.fun
        errors.append(abs(svm.primal_objective(w1, b1, X, y, C) - p1) / max(1.0, abs(p1)))
    return Figures(
        n,
        nan_max(errors),
        1e-6,
        "relative error of the hinge-formulation value at smo's (w, b) vs SLSQP on the "
        "constrained soft-margin QP; SLSQP's xi vs hinge; min over xi vs P(w, b)",
    )


def subgradient_inequality_holds(
    rng: np.random.Generator, *, primal_subgradient=svm.primal_subgradient
) -> Figures:
    """P(w', b') >= P(w, b) + <g, (w'-w, b'-b)> at random points (P written out), and g vs central
    differences where P is differentiable."""
    errors = []
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
        for _ in range(20):
            step = 10 ** rng.uniform(-4, 1)
            dw, db = step * rng.standard_normal(d), step * float(rng.standard_normal())
            lower = p0 + g_w @ dw + g_b * db
            errors.append(max(lower - P(w + dw, b + db, X, y, C), 0.0) / max(1.0, abs(p0)))
        margins = y * (X @ w + b)
        if np.min(np.abs(margins - 1)) > 1e-3:  # differentiable: compare with central differences
            h = 1e-6
            fd = [
                (P(w + h * e, b, X, y, C) - P(w - h * e, b, X, y, C)) / (2 * h) for e in np.eye(d)
            ]
            fd_b = (P(w, b + h, X, y, C) - P(w, b - h, X, y, C)) / (2 * h)
            err = np.max(np.abs(np.r_[g_w, g_b] - np.r_[fd, fd_b]))
            errors.append(float(err) / max(1.0, float(np.max(np.abs(np.r_[fd, fd_b])))))
    return Figures(
        n,
        nan_max(errors),
        1e-7,
        "violation of the subgradient inequality at 20 random points per instance "
        "(relative), and relative error vs central differences (h = 1e-6) off kinks",
    )


CLAIMS = (
    Witness(
        "def-svm-soft-margin",
        primal_matches_definition,
        "primal objective vs sklearn hinge_loss; hinge vs its cases",
    ),
    Witness(
        "thm-svm-hinge",
        soft_margin_equals_hinge_minimum,
        "constrained soft-margin QP (SLSQP) vs hinge formulation at the smo solution",
    ),
    Witness(
        "prop-svm-subgradient",
        subgradient_inequality_holds,
        "subgradient inequality at random points; central differences off kinks",
    ),
)
