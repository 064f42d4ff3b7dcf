"""Every public function of ``deepqed.svm`` on NumPy, array_api_strict and torch (CPU), in float32
and float64: results in the namespace of the inputs (in their dtype, or in float64 where the
function computes in float64 by design), equal to the NumPy float64 path to a tolerance in units
of the dtype's machine epsilon.

Tolerances. Samples have entries in [-1.5, 1.5] in dimension d = 3, so |K_ik| <= 6.75 and inner
products are within d u |x||z| of exact; the dual quantities are sums of m = 10 such terms times
alpha_i <= C = 1: ``SUM = 10 m d`` epsilons relative to the largest entry of the reference.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from array_backends import DTYPES, EPS, NAMESPACES, Case, converter, host, run, uncovered

from deepqed import svm

RNG = np.random.default_rng(20261207)
M, D = 10, 3
X = RNG.uniform(-1.5, 1.5, (M, D))
Y = np.array([1, -1] * (M // 2))
K = X @ X.T
C = 1.0
# a feasible alpha with entries 0, C and free values, exactly representable in float32
ALPHA = np.array([0.0, 0.25, 0.5, 0.0, 1.0, 1.0, 0.25, 0.5, 0.25, 0.0])
ALPHA[1] += float(Y @ ALPHA)  # y^T alpha = 0 (the correction is a multiple of 1/4)
W = RNG.standard_normal(D)
SUM = 10 * M * D


def _dual(c):
    return {"alpha": c(ALPHA), "y": c(Y), "K": c(K)}


CASES = [
    Case(svm.hinge, lambda c: {"s": c(np.linspace(-2.0, 3.0, 11))}),
    Case(svm.primal_objective, lambda c: {"w": c(W), "b": 0.3, "X": c(X), "y": c(Y), "C": C}, SUM),
    Case(
        svm.primal_subgradient, lambda c: {"w": c(W), "b": 0.3, "X": c(X), "y": c(Y), "C": C}, SUM
    ),
    Case(svm.functional_margins, lambda c: {"w": c(W), "b": 0.3, "X": c(X), "y": c(Y)}, SUM),
    Case(svm.geometric_margin, lambda c: {"w": c(W), "b": 0.3, "X": c(X), "y": c(Y)}, SUM),
    Case(svm.primal_weights, lambda c: {"alpha": c(ALPHA), "y": c(Y), "X": c(X)}, SUM),
    Case(svm.kernel_primal_objective, lambda c: {**_dual(c), "b": 0.3, "C": C}, SUM, out="float64"),
    Case(svm.dual_objective, _dual, SUM, out="float64"),
    Case(svm.dual_gradient, _dual, SUM, out="float64"),
    Case(svm.index_sets, lambda c: {"alpha": c(ALPHA), "y": c(Y), "C": C}),
    Case(
        svm.index_sets,
        lambda c: {"alpha": c(ALPHA), "y": c(Y), "C": math.inf},
        name="index_sets_hard",
    ),
    Case(svm.kkt_violation, lambda c: {**_dual(c), "C": C}, SUM),
    Case(svm.offset, lambda c: {**_dual(c), "C": C}, SUM),
    Case(
        svm.offset,
        lambda c: {"alpha": c(np.zeros(M)), "y": c(Y), "K": c(K), "C": C},
        SUM,
        name="offset_no_free",
    ),
    Case(svm.dual_feasibility_error, lambda c: {"alpha": c(ALPHA), "y": c(Y), "C": C}),
    Case(
        svm.dual_feasibility_error,
        lambda c: {"alpha": c(ALPHA - 0.5), "y": c(Y), "C": C},
        name="dual_feasibility_error_infeasible",
    ),
    Case(svm.duality_gap, lambda c: {**_dual(c), "b": 0.3, "C": C}, SUM),
    Case(
        svm.decision_function,
        lambda c: {"alpha": c(ALPHA), "b": 0.3, "y": c(Y), "K_test_train": c(K[:4])},
        SUM,
    ),
    # the SMO routines run in NumPy in float64 on the host
    Case(svm.two_variable_step, lambda c: {**_dual(c), "C": C, "i": 1, "j": 2}, SUM, out="float64"),
    Case(svm.select_working_set, lambda c: {**_dual(c), "C": C}),
]

params = pytest.mark.parametrize("ns,dt", [(n, d) for n in NAMESPACES for d in DTYPES])


@params
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_matches_numpy_float64(case, ns, dt):
    run(case, ns, dt)


@params
def test_smo(ns, dt):
    """alpha is float64 in the namespace of K; it satisfies the KKT conditions of the float64
    problem up to the solver's tolerance plus the effect of rounding K to the dtype
    (|K32 - K64| <= d eps |K| entrywise moves s = y - K(alpha y) by at most m C d eps max|K|,
    the violation by twice that). In float64 the loop sees the same matrix as NumPy does, so the
    solution is NumPy's."""
    c = converter(ns, dt)
    sol = svm.smo(c(K), c(Y), C)
    assert isinstance(sol.alpha, type(c(np.zeros(1)))) and "float64" in str(sol.alpha.dtype)
    alpha = host(sol.alpha)
    assert sol.converged and svm.dual_feasibility_error(alpha, Y, C) <= 1e-12
    bound = 1e-6 + 2 * M * C * D * EPS[dt] * float(np.max(np.abs(K)))
    assert svm.kkt_violation(alpha, Y, K, C) <= bound
    if dt == "float64":
        ref = svm.smo(K, Y, C)
        np.testing.assert_array_equal(alpha, ref.alpha)
        assert sol.b == ref.b and sol.iterations == ref.iterations


def test_every_public_function_is_covered():
    assert uncovered(svm, {c.fn.__name__ for c in CASES} | {"smo"}) == []


@pytest.mark.parametrize("ns", ["array_api_strict", "array_api_strict_device1", "torch"])
def test_labels_follow_the_data(ns):
    """Labels of another library or device are refused by name (they take no part in the dtype
    agreement of the floating arrays, so validation alone would not compare their library)."""
    c = converter(ns, "float64")
    y_elsewhere = converter("array_api_strict" if ns.endswith("device1") else "numpy", "float64")
    for call in (
        lambda y: svm.dual_objective(c(ALPHA), y, c(K)),
        lambda y: svm.primal_objective(c(W), 0.3, c(X), y, C),
        lambda y: svm.functional_margins(c(W), 0.3, c(X), y),
        lambda y: svm.decision_function(c(ALPHA), 0.3, y, c(K[:4])),
    ):
        with pytest.raises(TypeError, match="'y'"):
            call(y_elsewhere(Y))
