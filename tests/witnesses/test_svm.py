"""The main witnesses of the SVM chapter fail when handed deliberately broken implementations."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from deepqed import registry, svm
from deepqed.witnesses.svm import duality as W_dual
from deepqed.witnesses.svm import margins as W_margin
from deepqed.witnesses.svm import primal as W_primal
from deepqed.witnesses.svm import smo as W_smo


def _rng(label: str) -> np.random.Generator:
    witness = next(w for w in registry.load().witnesses() if w.label == label)
    return registry.witness_rng(0, witness)


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


def _dual_function_without_half(A, q, B, c, lam):
    v = q + B.T @ lam
    return -v @ np.linalg.solve(A, v) - lam @ c


CASES = [
    (
        W_dual.dual_function_is_infimum,
        "def-svm-lagrangian",
        {"dual_function": _dual_function_without_half},
    ),
    (W_margin.margins_match_definition, "def-svm-margin", {"functional_margins": _no_y_margins}),
    (W_margin.margins_match_definition, "def-svm-margin", {"geometric_margin": _geometric_squared}),
    (
        W_margin.distance_is_geometric_margin,
        "lem-svm-distance",
        {"functional_margins": _no_y_margins},
    ),
    (
        W_margin.hard_margin_is_maximal,
        "thm-svm-hard-margin",
        {"smo": _smo_with(lambda s: {"alpha": 0.9 * s.alpha})},
    ),
    (
        W_primal.primal_matches_definition,
        "def-svm-soft-margin",
        {"primal_objective": _primal_no_half},
    ),
    (
        W_primal.soft_margin_equals_hinge_minimum,
        "thm-svm-hinge",
        {"smo": _smo_with(lambda s: {"b": s.b + 0.1})},
    ),
    (
        W_primal.subgradient_inequality_holds,
        "prop-svm-subgradient",
        {"primal_subgradient": _subgradient_no_w},
    ),
    (W_dual.weak_duality_holds, "thm-svm-weak-duality", {"dual_objective": _dual_sign}),
    (W_dual.dual_is_lagrangian_infimum, "thm-svm-dual", {"dual_objective": _dual_no_labels}),
    (
        W_dual.violation_matches_definition,
        "def-svm-kkt-violation",
        {"kkt_violation": _viol_ignoring_box},
    ),
    (W_dual.optimal_iff_no_violation, "prop-svm-kkt-violation", {"kkt_violation": _viol_zero}),
    (W_dual.gap_formula_and_bound, "prop-svm-gap-bound", {"duality_gap": _gap_without_C}),
    (
        W_dual.strong_duality_at_smo_solution,
        "thm-svm-strong-duality",
        {"smo": _smo_with(lambda s: {"b": s.b + 0.05})},
    ),
    (
        W_dual.kkt_conditions_at_optimum,
        "thm-svm-kkt",
        {"smo": _smo_with(lambda s: {"alpha": np.minimum(1.02 * s.alpha, s.alpha.max())})},
    ),
    (
        W_dual.support_vector_classification,
        "cor-svm-support-vectors",
        {"smo": _smo_with(lambda s: {"b": s.b - 0.02})},
    ),
    (W_dual.offset_from_free_vectors, "prop-svm-offset", {"offset": _offset_first_free}),
    (
        W_smo.two_variable_step_is_segment_minimum,
        "thm-svm-two-variable",
        {"two_variable_step": _step_unclipped},
    ),
    (
        W_smo.smo_matches_libsvm,
        "alg-svm-smo",
        {"smo": lambda K, y, C, **kw: svm.smo(K, y, C, tol=1e-2)},
    ),
    (
        W_smo.each_step_decreases_f,
        "lem-svm-smo-descent",
        {"select_working_set": _first_order_pair_any},
    ),
    (
        W_smo.smo_terminates,
        "thm-svm-smo-convergence",
        {"smo": _smo_with(lambda s: {"alpha": s.alpha * 1.001})},
    ),
]

#: (witness, broken implementation, label): read by test_witnesses.py, which checks that every
#: witness of the book is shown to fail somewhere.
BROKEN = [(check, broken, label) for check, label, broken in CASES]


@pytest.mark.parametrize(
    "check, label, broken", CASES, ids=[f"{c[1]}:{next(iter(c[2]))}" for c in CASES]
)
def test_witness_fails_on_broken_implementation(check, label, broken):
    figures = check(_rng(label), **broken)
    assert not figures.passed, figures


def test_correct_implementations_pass():
    for check, label, _ in CASES:
        assert check(_rng(label)).passed, label
