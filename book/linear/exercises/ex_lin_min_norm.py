r"""Exercise ``ex-lin-min-norm``: the minimum-norm least-squares solution from the SVD."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import (
    FINITE,
    RUNS,
    Diagnosis,
    Implement,
    Property,
    Tolerance,
    Wrong,
    values,
)
from deepqed.exercises.strategies import float_arrays


def min_norm_lstsq(X, y, rcond):
    r"""$w^\dagger = X^+y = \sum_{s_i > \mathrm{rcond}\, s_1} \frac{u_i^\top y}{s_i} v_i$ (Theorem
    thm-lin-min-norm, Definition def-lin-pseudoinverse)."""
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    keep = s > rcond * s[0]
    return Vt[keep].T @ ((U[:, keep].T @ y) / s[keep])


@st.composite
def _arguments(draw):
    """X = c A B with small integer entries A, B and a power of two c: rank r <= min(m, n) exactly
    (also 0), every nonzero singular value far above 1e-10 s_1 (integer matrices of rank r have
    s_r >= s_1^(1 - r)), and s_1 near 1 or far from it (c = 2^-40 or 2^40, with y scaled alike, so
    that w is of order 1): a cut-off at rcond instead of rcond * s_1 drops every singular value of
    the small matrices and keeps rounding-level ones of the large ones."""
    m, n = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    r = draw(st.integers(0, min(m, n)))
    ints = st.integers(-3, 3)
    A = np.array(draw(st.lists(ints, min_size=m * r, max_size=m * r)), dtype=np.float64)
    B = np.array(draw(st.lists(ints, min_size=r * n, max_size=r * n)), dtype=np.float64)
    c = draw(st.sampled_from((1.0, 2.0**-40, 2.0**40)))
    X = c * (A.reshape(m, r) @ B.reshape(r, n))
    return {"X": X, "y": c * draw(float_arrays(np.float64, (m,))), "rcond": 1e-10}


def _normal_equations(X, y, rcond):
    return np.linalg.solve(X.T @ X, X.T @ y)


def _no_cutoff(X, y, rcond):
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    return Vt.T @ ((U.T @ y) / s)


def _no_V(X, y, rcond):
    U, s, Vt = np.linalg.svd(X, full_matrices=True)
    keep = s > rcond * s[0]
    c = np.zeros(X.shape[1])
    c[: keep.sum()] = (U[:, : keep.sum()].T @ y) / s[keep]
    return c


def _plus_kernel(X, y, rcond):
    """w-dagger plus the projection of the all-ones vector onto ker X (a basis-free choice of
    kernel vector, so that the checker's diagnosis recomputes exactly what the file returned)."""
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    keep = s > rcond * s[0]
    r = int(keep.sum())
    V_r = Vt[:r].T
    w = V_r @ ((U[:, :r].T @ y) / s[:r])
    ones = np.ones(X.shape[1], dtype=X.dtype)
    return w + (ones - V_r @ (V_r.T @ ones))


def _absolute_cutoff(X, y, rcond):
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    keep = s > rcond  # an absolute threshold: wrong when s_1 is far from 1
    return Vt[keep].T @ ((U[:, keep].T @ y) / s[keep])


def _residual(X, w, y):
    return X.T @ (X @ w - y)


EXERCISE = Implement(
    id="ex-lin-min-norm",
    title="The minimum-norm least-squares solution",
    function="min_norm_lstsq",
    parameters=("X", "y", "rcond"),
    docstring=r"""The minimum-norm minimiser of f(w) = ||X w - y||^2 / 2 (Theorem thm-lin-min-norm):
$w^\dagger = X^+ y = \sum_i (u_i^\top y / s_i) v_i$ over the singular values $s_i > rcond \cdot s_1$
of the thin SVD $X = U \Sigma V^\top$ (the others count as zero).

Arguments:
    X: shape (m, n), float64; may be rank deficient or zero, and its largest singular value
        may be far from 1 (the cut-off is relative to it).
    y: shape (m,), float64.
    rcond: the relative cut-off, a float (1e-10 in the checks).

Returns:
    w, shape (n,), float64.
""",
    reference=min_norm_lstsq,
    arguments=_arguments(),
    outputs=("w",),
    tolerances={"float64": Tolerance(1e-8, 1e-9)},
    properties=(
        Property(
            "normal equations",
            "X^T (X w - y) = 0 (w minimises f; Theorem thm-lin-normal-equations)",
            lambda kw, w: (
                _residual(kw["X"], w, kw["y"])
                / (1 + np.abs(kw["X"]).sum() * (1 + np.abs(kw["y"]).sum())),
                np.zeros(kw["X"].shape[1]),
            ),
        ),
    ),
    hint=r"""np.linalg.svd(X, full_matrices=False) gives U, s, Vt with X = U diag(s) Vt. Keep the
indices with s > rcond * s[0] (relative to the largest singular value: the rank does not depend on
the scale of X); the coefficients of w in the basis of the rows of Vt are
(U^T y)_i / s_i for those indices and 0 for the others. The normal equations cannot be solved by
np.linalg.solve when X^T X is singular.""",
    diagnoses=(
        Diagnosis(
            "w",
            lambda kw: _absolute_cutoff(**kw),
            "the singular values were cut at rcond, not at rcond * s_1: the cut-off is relative "
            "to the largest singular value (rescaling X must not change its rank)",
        ),
        Diagnosis(
            "w",
            lambda kw: _plus_kernel(**kw),
            "w minimises f but has a component in ker X: the minimum-norm solution lies in "
            "the span of the retained right singular vectors only",
        ),
    ),
    wrong=(
        Wrong(_normal_equations, "np.linalg.solve on the normal equations", RUNS, "LinAlgError"),
        Wrong(_no_cutoff, "divides by every singular value", FINITE, "finite"),
        Wrong(_no_V, "returns the coefficients, not w = V c", values(0), "w"),
        Wrong(_plus_kernel, "adds a kernel vector", values(0), "ker X"),
        Wrong(_absolute_cutoff, "cuts at rcond, not rcond * s_1", values(0), "relative"),
    ),
)
