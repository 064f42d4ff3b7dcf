"""The witnesses of the SVM chapter, each handed deliberately broken implementations and bounds with
weakened constants (``BROKEN``; also read by ``test_witnesses.py``)."""

from __future__ import annotations

import dataclasses

import numpy as np
from broken_implementations import detects_broken

from deepqed import svm
from deepqed.witnesses.svm import duality as W_dual
from deepqed.witnesses.svm import margins as W_margin
from deepqed.witnesses.svm import primal as W_primal
from deepqed.witnesses.svm import smo as W_smo


def _smo_with(change):
    """smo whose result is modified by ``change(solution) -> dict of replaced fields``."""

    def broken(K, y, C, **kwargs):
        sol = svm.smo(K, y, C, **kwargs)
        return dataclasses.replace(sol, **change(sol))

    return broken


def _no_y_margins(w, b, X, y):
    return X @ w + b


def _geometric_squared(w, b, X, y):
    return float(np.min(y * (X @ w + b))) / float(w @ w)


def _primal_no_half(w, b, X, y, C):
    return svm.primal_objective(w, b, X, y, C) + 0.5 * float(w @ w)


def _subgradient_no_w(w, b, X, y, C):
    g_w, g_b = svm.primal_subgradient(w, b, X, y, C)
    return g_w - w, g_b


def _dual_sign(alpha, y, K):
    v = alpha * y
    return float(np.sum(alpha) + 0.5 * v @ K @ v)


def _dual_no_labels(alpha, y, K):
    return float(np.sum(alpha) - 0.5 * alpha @ K @ alpha)


def _viol_ignoring_box(alpha, y, K, C):
    s = y - K @ (alpha * y)
    return max(float(np.max(s) - np.min(s)), 0.0)


def _viol_zero(alpha, y, K, C):
    return 0.0


def _gap_without_C(alpha, b, y, K, C):
    r = 1.0 - y * (K @ (alpha * y) + b)
    return float(np.sum(np.maximum(r, 0.0) - alpha * r))


def _offset_first_free(alpha, y, K, C):
    return svm.offset(alpha, y, K, C) + 0.01


def _step_unclipped(alpha, y, K, C, i, j):
    G = y * (K @ (alpha * y)) - 1.0
    t = -(y[i] * G[i] - y[j] * G[j]) / (K[i, i] + K[j, j] - 2 * K[i, j])
    new = np.array(alpha, dtype=float)
    new[i] += y[i] * t
    new[j] -= y[j] * t
    return new


def _first_order_pair_any(alpha, y, K, C):
    return 0, 1


def _step_never_refuses(alpha, y, K, C, i, j):
    """Moves to a finite end even when the subproblem is unbounded below (C = inf)."""
    C_eff = 1e6 if np.isinf(C) else C
    return svm.two_variable_step(np.minimum(alpha, C_eff), y, K, C_eff, i, j)


def _lagrangian_gradient_sign(A, q, B, z, lam):
    return A @ z + q - B.T @ lam


def _gap_bound_doubled(C, m, viol):
    return 2 * C * m * viol


def _hard_bound_doubled(w2):
    return 2 * w2


def _dual_function_without_half(A, q, B, c, lam):
    v = q + B.T @ lam
    return -v @ np.linalg.solve(A, v) - lam @ c


BROKEN = [
    (W_dual.dual_function_is_infimum, {"dual_function": _dual_function_without_half}, "no 1/2"),
    (W_margin.margins_match_definition, {"functional_margins": _no_y_margins}, "no labels"),
    (W_margin.margins_match_definition, {"geometric_margin": _geometric_squared}, "||w||^2"),
    (W_margin.distance_is_geometric_margin, {"functional_margins": _no_y_margins}, "no labels"),
    (
        W_margin.hard_margin_is_maximal,
        {"smo": _smo_with(lambda s: {"alpha": 0.9 * s.alpha})},
        "alpha scaled by 0.9",
    ),
    (W_primal.primal_matches_definition, {"primal_objective": _primal_no_half}, "no 1/2"),
    (
        W_primal.soft_margin_equals_hinge_minimum,
        {"smo": _smo_with(lambda s: {"b": s.b + 0.1})},
        "offset + 0.1",
    ),
    (W_primal.subgradient_inequality_holds, {"primal_subgradient": _subgradient_no_w}, "no w"),
    (W_dual.weak_duality_holds, {"dual_objective": _dual_sign}, "sign of the quadratic term"),
    (W_dual.dual_is_lagrangian_infimum, {"dual_objective": _dual_no_labels}, "no labels"),
    (W_dual.violation_matches_definition, {"kkt_violation": _viol_ignoring_box}, "no box"),
    (W_dual.optimal_iff_no_violation, {"kkt_violation": _viol_zero}, "always 0"),
    (W_dual.optimal_iff_no_violation, {"kkt_violation": _viol_ignoring_box}, "no box"),
    (W_dual.gap_formula_and_bound, {"duality_gap": _gap_without_C}, "no C"),
    (W_dual.gap_formula_and_bound, {"bound": _gap_bound_doubled}, "2 C m viol"),
    (
        W_dual.strong_duality_at_smo_solution,
        {"smo": _smo_with(lambda s: {"b": s.b + 0.05})},
        "offset + 0.05",
    ),
    (
        W_dual.kkt_conditions_at_optimum,
        {"lagrangian_gradient": _lagrangian_gradient_sign},
        "sign of the multiplier term",
    ),
    (
        W_dual.kkt_conditions_at_optimum,
        {"smo": _smo_with(lambda s: {"alpha": np.minimum(1.02 * s.alpha, s.alpha.max())})},
        "alpha scaled by 1.02",
    ),
    (
        W_dual.support_vector_classification,
        {"smo": _smo_with(lambda s: {"b": s.b - 0.02})},
        "offset - 0.02",
    ),
    (W_dual.offset_from_free_vectors, {"offset": _offset_first_free}, "offset + 0.01"),
    (W_dual.hard_margin_duality, {"bound": _hard_bound_doubled}, "2 ||w*||^2"),
    (
        W_dual.hard_margin_duality,
        {"smo": _smo_with(lambda s: {"alpha": 0.9 * s.alpha})},
        "alpha scaled by 0.9",
    ),
    (W_smo.two_variable_step_is_segment_minimum, {"two_variable_step": _step_unclipped}, "no clip"),
    (
        W_smo.two_variable_step_is_segment_minimum,
        {"two_variable_step": _step_never_refuses},
        "unbounded subproblems not refused",
    ),
    (W_smo.smo_matches_libsvm, {"smo": lambda K, y, C, **kw: svm.smo(K, y, C, tol=1e-2)}, "tol"),
    (W_smo.each_step_decreases_f, {"select_working_set": _first_order_pair_any}, "pair (0, 1)"),
    (
        W_smo.smo_terminates,
        {"smo": _smo_with(lambda s: {"alpha": s.alpha * 1.001})},
        "infeasible alpha",
    ),
]


test_witness_detects_broken_implementation = detects_broken(BROKEN)
