r"""Witnesses of Section "Sequential minimal optimisation": ``thm-svm-two-variable``,
``alg-svm-smo``, ``lem-svm-smo-descent``, ``thm-svm-smo-convergence``."""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import minimize_scalar
from sklearn.svm import SVC

from ... import svm
from ...registry import Figures, Witness
from ._common import nan_max, random_feasible_alpha, random_problem


def _f(alpha: np.ndarray, y: np.ndarray, K: np.ndarray) -> float:
    v = alpha * y
    return float(0.5 * v @ K @ v - np.sum(alpha))


def two_variable_step_is_segment_minimum(
    rng: np.random.Generator, *, two_variable_step=svm.two_variable_step
) -> Figures:
    """f after the step vs the minimum of f over the feasible segment by
    scipy.optimize.minimize_scalar(method="bounded") (segment ends found by bisection-free
    interval arithmetic written here), and feasibility of the new point."""
    errors = []
    n = 40
    for t in range(n):
        X, y, K, C = random_problem(rng, t, m=(2, 12))
        alpha = random_feasible_alpha(rng, y, C)
        i, j = (int(k) for k in rng.choice(len(y), size=2, replace=False))
        new = np.asarray(two_variable_step(alpha, y, K, C, i, j))
        # feasible points: alpha_i = a_i + y_i t, alpha_j = a_j - y_j t in [0, C]
        lo = max(
            min(-y[i] * alpha[i], y[i] * (C - alpha[i])),
            min(y[j] * alpha[j], -y[j] * (C - alpha[j])),
        )
        hi = min(
            max(-y[i] * alpha[i], y[i] * (C - alpha[i])),
            max(y[j] * alpha[j], -y[j] * (C - alpha[j])),
        )

        def phi(s: float) -> float:
            a = alpha.copy()
            a[i] += y[i] * s
            a[j] -= y[j] * s
            return _f(a, y, K)

        best = min(phi(lo), phi(hi))
        if hi > lo:
            res = minimize_scalar(phi, bounds=(lo, hi), method="bounded", options={"xatol": 1e-12})
            best = min(best, float(res.fun))
        scale = max(1.0, abs(best))
        errors.append(max(_f(new, y, K) - best, 0.0) / scale / 1e-10)
        others = np.delete(np.arange(len(y)), [i, j])
        infeasible = (
            abs(float(y @ new)) > 1e-12 * C * len(y)
            or np.any(new < 0)
            or np.any(new > C)
            or not np.array_equal(new[others], alpha[others])
        )
        errors.append(math.inf if infeasible else 0.0)
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "excess of f after the step over the bounded 1-D minimum on the feasible "
        "segment (minimize_scalar), relative, in units of 1e-10; feasibility",
    )


def smo_matches_libsvm(
    rng: np.random.Generator, *, smo=svm.smo, decision_function=svm.decision_function
) -> Figures:
    """Decision values, dual coefficients alpha_i y_i and support sets vs scikit-learn SVC
    (precomputed linear / Gaussian Gram matrices, and kernel="linear" on the raw data); the
    solver must report convergence (tol = 1e-8).

    Unit 1e-5 max(1, max abs(K_ik)): LIBSVM keeps kernel values in single precision.
    """
    errors = []
    n = 12
    for t in range(n):
        X, y, K, C = random_problem(rng, t, m=(10, 60))
        unit = 1e-5 * max(1.0, float(np.max(np.abs(K))))
        sol = smo(K, y, C, tol=1e-8)
        alpha = np.asarray(sol.alpha)
        errors.append(0.0 if sol.converged else math.inf)
        if t % 4 == 0:  # SVC on the raw features with its own linear kernel
            ref = SVC(kernel="linear", C=C, tol=1e-8).fit(X, y)
            errors.append(float(np.max(np.abs(X.T @ (alpha * y) - ref.coef_[0]))) / unit)
            theirs = ref.decision_function(X)
        else:
            ref = SVC(kernel="precomputed", C=C, tol=1e-8).fit(K, y)
            theirs = ref.decision_function(K)
        ours = decision_function(alpha, sol.b, y, K)
        errors.append(float(np.max(np.abs(ours - theirs))) / unit)
        coef = np.zeros(len(y))
        coef[ref.support_] = ref.dual_coef_[0]
        errors.append(float(np.max(np.abs(alpha * y - coef))) / unit)
        clear = np.abs(coef) > 1e-4 * C
        errors.append(0.0 if np.array_equal(alpha[clear] > 0, coef[clear] != 0) else math.inf)
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "decision values, alpha*y vs dual_coef_, coef_ vs w, in units of "
        "1e-5 max(1,max|K|); support sets; inf if not converged (tol = 1e-8)",
    )


def each_step_decreases_f(
    rng: np.random.Generator,
    *,
    select_working_set=svm.select_working_set,
    two_variable_step=svm.two_variable_step,
) -> Figures:
    """From random feasible points: the selected pair is violating (s_i > s_j, i in I_up, j in
    I_low, s computed here), the step is t u with t > 0 and exact decrease
    g t + a t^2 / 2 < 0, and f evaluated directly does not increase; up to 15 steps per instance
    while the violation exceeds 1e-5."""
    errors = []
    n = 20
    for t in range(n):
        X, y, K, C = random_problem(rng, t, m=(4, 20))
        alpha = random_feasible_alpha(rng, y, C)
        for _ in range(15):
            s = y - K @ (alpha * y)
            up = ((y > 0) & (alpha < C)) | ((y < 0) & (alpha > 0))
            low = ((y < 0) & (alpha < C)) | ((y > 0) & (alpha > 0))
            if np.max(s[up]) - np.min(s[low]) <= 1e-5:
                break  # the decrease, of order viol^2 / a, would drown in rounding
            i, j = select_working_set(alpha, y, K, C)
            violating = 0 <= i < len(y) and 0 <= j < len(y) and up[i] and low[j] and s[i] > s[j]
            errors.append(0.0 if violating else math.inf)
            if not violating:
                break
            new = np.asarray(two_variable_step(alpha, y, K, C, i, j))
            # the step is alpha + t u, u = y_i e_i - y_j e_j, with t > 0 and exact decrease
            # phi(t) = g t + a t^2 / 2 < 0 (g = s_j - s_i, a = K_ii + K_jj - 2 K_ij); f computed
            # directly may not resolve a tiny decrease, so it is only required not to increase
            step = y[i] * (new[i] - alpha[i])
            g, a = s[j] - s[i], K[i, i] + K[j, j] - 2 * K[i, j]
            along_u = abs((new[j] - alpha[j]) + y[j] * step) <= 1e-15 * max(1.0, C)
            decrease = step > 0 and g * step + 0.5 * a * step * step < 0 and along_u
            f_old, f_new = _f(alpha, y, K), _f(new, y, K)
            no_increase = f_new <= f_old + 1e-13 * max(1.0, abs(f_old))
            errors.append(0.0 if decrease and no_increase else math.inf)
            alpha = new
    return Figures(
        n,
        nan_max(errors),
        0.0,
        "selected pair violating, step t u with t > 0 and g t + a t^2/2 < 0, f not "
        "increasing (0 = holds, inf = fails), linear and Gaussian K",
    )


def smo_terminates(rng: np.random.Generator, *, smo=svm.smo) -> Figures:
    """converged within max_iter = 100 m^2 for tol in {1e-3, 1e-6, 1e-10}, with the returned
    violation recomputed here from alpha (loops over I_up, I_low) <= tol."""
    errors = []
    n = 12
    for t in range(n):
        X, y, K, C = random_problem(rng, t, m=(10, 80))
        m = len(y)
        for tol in (1e-3, 1e-6, 1e-10):
            sol = smo(K, y, C, tol=tol, max_iter=100 * m * m)
            alpha = np.asarray(sol.alpha)
            s = y - K @ (alpha * y)
            up = ((y > 0) & (alpha < C)) | ((y < 0) & (alpha > 0))
            low = ((y < 0) & (alpha < C)) | ((y > 0) & (alpha > 0))
            viol = max(float(np.max(s[up]) - np.min(s[low])), 0.0)
            feasible = abs(float(y @ alpha)) <= 1e-10 * C * m and np.all(
                (alpha >= 0) & (alpha <= C)
            )
            ok = sol.converged and feasible and sol.iterations < 100 * m * m
            errors.append(viol / tol if ok else math.inf)
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "violation recomputed from the returned alpha, in units of tol (1e-3, 1e-6, "
        "1e-10); inf if not converged or infeasible",
    )


CLAIMS = (
    Witness(
        "thm-svm-two-variable",
        two_variable_step_is_segment_minimum,
        "clipped two-variable step vs bounded 1-D minimisation on the feasible segment",
    ),
    Witness(
        "alg-svm-smo",
        smo_matches_libsvm,
        "smo vs scikit-learn SVC: decision values, dual coefficients, support sets",
    ),
    Witness(
        "lem-svm-smo-descent",
        each_step_decreases_f,
        "selected pair violating and f strictly decreasing along SMO steps",
    ),
    Witness(
        "thm-svm-smo-convergence",
        smo_terminates,
        "termination with viol <= tol for three tolerances",
    ),
)
