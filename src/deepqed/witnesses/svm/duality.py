r"""Witnesses of Section "Lagrangian duality": ``def-svm-lagrangian``, ``thm-svm-weak-duality``,
``thm-svm-dual``, ``def-svm-kkt-violation``, ``prop-svm-kkt-violation``, ``prop-svm-gap-bound``,
``thm-svm-strong-duality``, ``thm-svm-kkt``, ``cor-svm-support-vectors``, ``prop-svm-offset``."""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import minimize
from sklearn.metrics import hinge_loss

from ... import svm
from ...registry import Figures, Witness
from ._common import (
    blobs,
    nan_max,
    random_feasible_alpha,
    random_problem,
    slsqp_soft_margin,
    svc_alpha,
)


def _lagrangian(w, b, xi, alpha, mu, X, y, C):
    """L(w, b, xi, alpha, mu) of the soft-margin problem, term by term from its definition."""
    return (
        0.5 * w @ w
        + C * np.sum(xi)
        + np.sum(alpha * (1 - xi - y * (X @ w + b)))
        + np.sum(mu * (-xi))
    )


def _qp_dual_function(A, q, B, c, lam):
    r"""$g(\lambda) = -\frac12 v^\top A^{-1}v - \lambda^\top c$ with $v = q + B^\top\lambda$."""
    v = q + B.T @ lam
    return -0.5 * v @ np.linalg.solve(A, v) - lam @ c


def dual_function_is_infimum(
    rng: np.random.Generator, *, dual_function=_qp_dual_function
) -> Figures:
    """g(lambda) = inf_z L(z, lambda) for random strictly convex QPs with affine constraints: the
    closed form vs scipy BFGS minimisation of the Lagrangian."""
    errors = []
    n = 20
    for _ in range(n):
        N, p = int(rng.integers(1, 6)), int(rng.integers(1, 6))
        R = rng.standard_normal((N, N))
        A = R @ R.T + 0.5 * np.eye(N)
        q, B, c = rng.standard_normal(N), rng.standard_normal((p, N)), rng.standard_normal(p)
        lam = rng.exponential(size=p)
        L = lambda z: 0.5 * z @ A @ z + q @ z + lam @ (B @ z - c)  # noqa: E731
        res = minimize(
            L,
            np.zeros(N),
            jac=lambda z: A @ z + q + B.T @ lam,
            method="BFGS",
            options={"gtol": 1e-12},
        )
        closed = dual_function(A, q, B, c, lam)
        errors.append(abs(res.fun - closed) / max(1.0, abs(closed)))
    return Figures(
        n,
        nan_max(errors),
        1e-9,
        "relative error of the closed-form dual function of a random strictly convex "
        "QP vs BFGS minimisation of its Lagrangian",
    )


def weak_duality_holds(rng: np.random.Generator, *, dual_objective=svm.dual_objective) -> Figures:
    """``D(alpha) <= 1/2 ||w||^2 + C sum xi`` for random feasible (w, b, xi) and feasible alpha."""
    violations = []
    n = 40
    for _ in range(n):
        m, d = int(rng.integers(2, 30)), int(rng.integers(1, 5))
        X, y = blobs(rng, m, d)
        C = float(10 ** rng.uniform(-1, 1))
        w, b = rng.standard_normal(d) * rng.uniform(0, 2), float(rng.standard_normal())
        xi = np.maximum(1 - y * (X @ w + b), 0) + rng.exponential(size=m) * (rng.random(m) < 0.3)
        primal = 0.5 * w @ w + C * np.sum(xi)
        for _ in range(5):
            alpha = random_feasible_alpha(rng, y, C)
            violations.append(
                max(dual_objective(alpha, y, X @ X.T) - primal, 0.0) / max(1.0, abs(primal))
            )
    return Figures(
        n,
        nan_max(violations),
        1e-12,
        "relative excess of D(alpha) over the soft-margin objective, random feasible "
        "primal and dual points (5 alphas each)",
    )


def dual_is_lagrangian_infimum(
    rng: np.random.Generator,
    *,
    dual_objective=svm.dual_objective,
    primal_weights=svm.primal_weights,
) -> Figures:
    """For y^T alpha = 0, mu = C - alpha: L(., alpha, mu) minimised by BFGS over (w, b, xi) vs D(alpha)
    and its minimiser w vs X^T(alpha * y); for y^T alpha != 0: L unbounded below along b."""
    errors = []
    n = 20
    for t in range(n):
        m, d = int(rng.integers(2, 15)), int(rng.integers(1, 5))
        X, y = blobs(rng, m, d)
        C = float(10 ** rng.uniform(-1, 1))
        alpha = random_feasible_alpha(rng, y, C)
        mu = C - alpha
        fun = lambda z: _lagrangian(z[:d], z[d], z[d + 1 :], alpha, mu, X, y, C)  # noqa: E731
        jac = lambda z: np.r_[z[:d] - X.T @ (alpha * y), -(y @ alpha), C - alpha - mu]  # noqa: E731
        res = minimize(
            fun, rng.standard_normal(d + 1 + m), jac=jac, method="BFGS", options={"gtol": 1e-11}
        )
        D = dual_objective(alpha, y, X @ X.T)
        errors.append(abs(res.fun - D) / max(1.0, abs(D)))
        errors.append(float(np.max(np.abs(res.x[:d] - primal_weights(alpha, y, X)))))
        if t % 2 == 0:  # break y^T alpha = 0: L -> -inf as b -> sign(y^T alpha) inf
            alpha2 = alpha.copy()
            alpha2[0] += 0.5 * C if alpha2[0] < 0.5 * C else -0.5 * C
            s = float(y @ alpha2)
            values = [
                _lagrangian(
                    np.zeros(d), math.copysign(10.0**k, s), np.zeros(m), alpha2, C - alpha2, X, y, C
                )
                for k in (2, 4, 6)
            ]
            decreasing = values[0] > values[1] > values[2] and values[2] < -1e5 * abs(s)
            errors.append(0.0 if decreasing else math.inf)
    return Figures(
        n,
        nan_max(errors),
        1e-8,
        "relative error of BFGS min over (w, b, xi) of the Lagrangian vs D(alpha); its "
        "minimiser w vs X^T(alpha*y); L unbounded below in b if y^T alpha != 0",
    )


def _viol_bruteforce(alpha, y, K, C):
    """max over all pairs (i in I_up, j in I_low) of s_i - s_j, with loops and math.fsum."""
    m = len(y)
    s = [
        -y[t] * (y[t] * math.fsum(K[t, k] * alpha[k] * y[k] for k in range(m)) - 1.0)
        for t in range(m)
    ]
    up = [t for t in range(m) if (y[t] > 0 and alpha[t] < C) or (y[t] < 0 and alpha[t] > 0)]
    low = [t for t in range(m) if (y[t] < 0 and alpha[t] < C) or (y[t] > 0 and alpha[t] > 0)]
    best = max((s[i] - s[j] for i in up for j in low), default=0.0)
    return max(best, 0.0), s


def violation_matches_definition(
    rng: np.random.Generator, *, kkt_violation=svm.kkt_violation
) -> Figures:
    """kkt_violation vs the maximum of s_i - s_j over all pairs in I_up x I_low (loops, math.fsum)."""
    errors = []
    n = 30
    for t in range(n):
        X, y, K, C = random_problem(rng, t, m=(2, 15))
        alpha = random_feasible_alpha(rng, y, C)
        ref, s = _viol_bruteforce(alpha, y, K, C)
        errors.append(abs(kkt_violation(alpha, y, K, C) - ref) / max(1.0, max(map(abs, s))))
    return Figures(
        n,
        nan_max(errors),
        1e-13,
        "kkt_violation vs brute-force max over violating pairs, relative to max |s_t|",
    )


def optimal_iff_no_violation(
    rng: np.random.Generator, *, kkt_violation=svm.kkt_violation
) -> Figures:
    """viol at LIBSVM's solution (tol 1e-10) is small; at random feasible alpha with viol > 0,
    D(alpha) < D(alpha_LIBSVM).

    LIBSVM keeps kernel values in single precision (its ``Qfloat``), so its optimum satisfies the
    criterion only to about 1e-7 times the size of K: the unit of the first error is
    1e-5 max(1, max abs(K_ik)).
    """
    errors = []
    n = 16
    for t in range(n):
        X, y, K, C = random_problem(rng, t, m=(5, 30))
        alpha_ref, _, _ = svc_alpha(K, y, C)
        unit = 1e-5 * max(1.0, float(np.max(np.abs(K))))
        errors.append(kkt_violation(alpha_ref, y, K, C) / unit)
        D = lambda a: float(np.sum(a) - 0.5 * (a * y) @ K @ (a * y))  # noqa: E731
        for _ in range(3):
            alpha = random_feasible_alpha(rng, y, C)
            v = kkt_violation(alpha, y, K, C)
            if v > 1e-6:
                errors.append(0.0 if D(alpha) < D(alpha_ref) else math.inf)
            elif D(alpha_ref) - D(alpha) > 1e-6 * max(1.0, abs(D(alpha_ref))):
                errors.append(math.inf)  # claimed optimal but clearly worse
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "kkt_violation at LIBSVM's optimum in units of 1e-5 max(1, max|K|) (LIBSVM "
        "stores K in float32); at random feasible alpha viol > 0 must come with "
        "D(alpha) < D(optimum)",
    )


def gap_formula_and_bound(
    rng: np.random.Generator, *, duality_gap=svm.duality_gap, kkt_violation=svm.kkt_violation
) -> Figures:
    """duality_gap vs P - D computed independently (sklearn hinge_loss, explicit D), and
    0 <= gap <= C m viol for b between beta_up and beta_low."""
    errors = []
    n = 30
    for t in range(n):
        X, y, K, C = random_problem(rng, t, m=(4, 25))
        alpha = random_feasible_alpha(rng, y, C)
        v = alpha * y
        f0 = K @ v
        s = y - f0  # s_t = -y_t G_t = y_t - (K(alpha*y))_t
        up = ((y > 0) & (alpha < C)) | ((y < 0) & (alpha > 0))
        low = ((y < 0) & (alpha < C)) | ((y > 0) & (alpha > 0))
        lo, hi = sorted([np.max(s[up]), np.min(s[low])])
        b = float(rng.uniform(lo, hi))
        P = 0.5 * v @ K @ v + C * len(y) * hinge_loss(y, f0 + b)
        D = float(np.sum(alpha) - 0.5 * v @ K @ v)
        gap = duality_gap(alpha, b, y, K, C)
        scale = max(1.0, abs(P), abs(D))
        errors.append(abs(gap - (P - D)) / scale / 1e-12)
        errors.append(
            max(gap - C * len(y) * kkt_violation(alpha, y, K, C), -gap, 0.0) / scale / 1e-12
        )
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "abs(gap - (P - D)) and the excess over [0, C m viol], relative to max(1,|P|,|D|) "
        "in units of 1e-12",
    )


def strong_duality_at_smo_solution(rng: np.random.Generator, *, smo=svm.smo) -> Figures:
    """P(w, b) - D(alpha) at smo's output (tol 1e-8) vs the bound C m tol, and D(alpha) vs the
    primal optimum from SLSQP on the constrained soft-margin QP."""
    errors = []
    n = 10
    tol = 1e-8
    for _ in range(n):
        m, d = int(rng.integers(6, 16)), int(rng.integers(1, 4))
        X, y = blobs(rng, m, d, shift=float(rng.uniform(0.5, 2.0)))
        C = float(10 ** rng.uniform(-1, 1))
        K = X @ X.T
        sol = smo(K, y, C, tol=tol)
        alpha = np.asarray(sol.alpha)
        v = alpha * y
        P = 0.5 * v @ K @ v + C * m * hinge_loss(y, K @ v + sol.b)
        D = float(np.sum(alpha) - 0.5 * v @ K @ v)
        errors.append(
            max(P - D - C * m * tol, D - P - 1e-12 * max(1.0, abs(P)), 0.0) / (C * m * tol)
        )
        *_, p_star = slsqp_soft_margin(X, y, C)
        errors.append(abs(D - p_star) / max(1.0, abs(p_star)) / 1e-6)
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "excess of P - D over the bound C m tol (units of C m tol); abs(D - p*) with p* "
        "from SLSQP, relative, in units of 1e-6",
    )


def kkt_conditions_at_optimum(rng: np.random.Generator, *, smo=svm.smo) -> Figures:
    """KKT residuals at smo's output with xi = hinge, mu = C - alpha, and the KKT point vs the
    SLSQP primal solution (w, xi)."""
    errors = []
    n = 10
    tol = 1e-9
    for _ in range(n):
        m, d = int(rng.integers(6, 16)), int(rng.integers(1, 4))
        X, y = blobs(rng, m, d, shift=float(rng.uniform(0.5, 2.0)))
        C = float(10 ** rng.uniform(-1, 1))
        sol = smo(X @ X.T, y, C, tol=tol)
        alpha = np.asarray(sol.alpha)
        w = X.T @ (alpha * y)  # stationarity in w defines w
        f = X @ w + sol.b
        xi = np.maximum(1 - y * f, 0)
        mu = C - alpha
        scale = C * (1 + float(np.max(np.abs(f))))
        residuals = [
            abs(float(y @ alpha)) / C,  # stationarity in b
            float(np.max(np.abs(alpha * (y * f - 1 + xi)))) / scale,
            float(np.max(np.abs(mu * xi))) / scale,
            float(max(np.max(-alpha), np.max(-mu), 0.0)) / C,
        ]
        errors.append(max(residuals) / (10 * tol))
        w_ref, b_ref, xi_ref, _ = slsqp_soft_margin(X, y, C)
        errors.append(
            float(np.max(np.abs(w - w_ref))) / max(1.0, float(np.max(np.abs(w_ref)))) / 1e-5
        )
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "complementary slackness and feasibility residuals in units of 10 tol "
        "(tol = 1e-9); w of the KKT point vs SLSQP's primal w, relative, units of 1e-5",
    )


def support_vector_classification(rng: np.random.Generator, *, smo=svm.smo) -> Figures:
    """alpha_i = 0 => y_i f >= 1, 0 < alpha_i < C => = 1, alpha_i = C => <= 1, up to tol; the
    support set vs scikit-learn SVC's."""
    errors = []
    n = 16
    tol = 1e-9
    for t in range(n):
        X, y, K, C = random_problem(rng, t, m=(8, 40))
        sol = smo(K, y, C, tol=tol)
        alpha = np.asarray(sol.alpha)
        yf = y * (K @ (alpha * y) + sol.b)
        free = (alpha > 0) & (alpha < C)
        worst = max(
            float(np.max(1 - yf[alpha == 0], initial=0.0)),
            float(np.max(np.abs(yf[free] - 1), initial=0.0)),
            float(np.max(yf[alpha == C] - 1, initial=0.0)),
        )
        errors.append(worst / (2 * tol))
        alpha_ref, _, ref = svc_alpha(K, y, C, tol=1e-12)
        # coordinates far from 0 must agree in being support vectors
        clear = np.abs(alpha_ref) > 1e-6 * C
        same = np.array_equal(alpha[clear] > 0, alpha_ref[clear] > 0)
        errors.append(0.0 if same else math.inf)
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "worst violation of the three implications in units of 2 tol (tol = 1e-9), "
        "linear and Gaussian kernels; support sets vs sklearn SVC",
    )


def offset_from_free_vectors(
    rng: np.random.Generator, *, smo=svm.smo, offset=svm.offset
) -> Figures:
    """With free support vectors: b vs sklearn SVC's ``intercept_`` and y_i - (K(alpha*y))_i = b for
    every free i; without: b and SVC's ``intercept_`` both in [beta_up, beta_low] (computed here).
    In both cases no offset outside [beta_up, beta_low] is optimal: P(w*, .) (sklearn hinge_loss)
    exceeds P(w*, b) by at least C delta / 2 at delta = 1e-4 beyond either end (P(w*, .) is convex
    and piecewise linear with slopes in C Z, so beyond its minimising interval it grows at rate >= C).

    The unit is 1e-6 max(1, max abs(K_ik)): LIBSVM keeps kernel values in single precision.
    """
    errors = []
    n = 16
    for t in range(n):
        X, y, K, C = random_problem(rng, t, m=(8, 40))
        unit = 1e-6 * max(1.0, float(np.max(np.abs(K))))
        sol = smo(K, y, C, tol=1e-10)
        alpha = np.asarray(sol.alpha)
        _, b_ref, _ = svc_alpha(K, y, C, tol=1e-10)
        errors.append(abs(offset(alpha, y, K, C) - sol.b) / unit)
        free = (alpha > 0) & (alpha < C)
        f = K @ (alpha * y)
        s = y - f
        up = ((y > 0) & (alpha < C)) | ((y < 0) & (alpha > 0))
        low = ((y < 0) & (alpha < C)) | ((y > 0) & (alpha > 0))
        lo, hi = float(np.max(s[up])), float(np.min(s[low]))
        if np.any(free):
            errors.append(abs(sol.b - b_ref) / unit)
            errors.append(float(np.max(np.abs(s[free] - sol.b))) / unit)
        else:
            for b in (sol.b, b_ref):
                errors.append(max(lo - b, b - hi, 0.0) / unit)
        lo, hi = min(lo, hi), max(lo, hi)  # beta_up <= beta_low only up to the tolerance
        P = lambda b: C * len(y) * hinge_loss(y, f + b)  # noqa: E731  (the w-term is constant)
        delta, p0 = 1e-4, P(sol.b)
        grows = min(P(lo - delta), P(hi + delta)) - p0 >= 0.5 * C * delta
        errors.append(0.0 if grows else math.inf)
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "abs(b - b_SVC) and spread of y_i - f(x_i) + b over free support vectors, or "
        "distance of b, b_SVC to [beta_up, beta_low] if none; units of "
        "1e-6 max(1, max|K|) (tol = 1e-10); inf if P(w*, .) does not grow by C delta/2 "
        "at delta = 1e-4 outside [beta_up, beta_low]",
    )


CLAIMS = (
    Witness(
        "def-svm-lagrangian",
        dual_function_is_infimum,
        "closed-form dual function of random QPs vs BFGS on the Lagrangian",
    ),
    Witness(
        "thm-svm-weak-duality",
        weak_duality_holds,
        "D(alpha) <= soft-margin objective at random feasible points",
    ),
    Witness(
        "thm-svm-dual",
        dual_is_lagrangian_infimum,
        "BFGS minimum of the SVM Lagrangian vs D(alpha); unbounded if y^T alpha != 0",
    ),
    Witness(
        "def-svm-kkt-violation",
        violation_matches_definition,
        "kkt_violation vs brute-force maximum over violating pairs",
    ),
    Witness(
        "prop-svm-kkt-violation",
        optimal_iff_no_violation,
        "violation 0 at LIBSVM's optimum; positive violation at suboptimal points",
    ),
    Witness(
        "prop-svm-gap-bound",
        gap_formula_and_bound,
        "gap formula vs P - D (sklearn hinge_loss); 0 <= gap <= C m viol",
    ),
    Witness(
        "thm-svm-strong-duality",
        strong_duality_at_smo_solution,
        "P - D at the smo solution within C m tol; D vs SLSQP primal optimum",
    ),
    Witness(
        "thm-svm-kkt",
        kkt_conditions_at_optimum,
        "KKT residuals at the smo solution; w vs SLSQP primal",
    ),
    Witness(
        "cor-svm-support-vectors",
        support_vector_classification,
        "the three complementary-slackness implications; support sets vs SVC",
    ),
    Witness(
        "prop-svm-offset",
        offset_from_free_vectors,
        "b vs SVC intercept_; y_i - f(x_i) + b constant over free support vectors; P(w*, .) "
        "grows outside [beta_up, beta_low]",
    ),
)
