r"""Exercise ``ex-lin-ridge``: ridge regression by one linear solve."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import (
    OUTPUT_SHAPE,
    Diagnosis,
    Implement,
    Property,
    Tolerance,
    Wrong,
    values,
)
from deepqed.exercises.strategies import dtypes, float_arrays


def ridge(X, y, lam):
    r"""$\hat w_\lambda$: the solution of $(X^\top X + \lambda I_n) w = X^\top y$ (Theorem
    thm-lin-ridge-solution), by a solve, never an inverse."""
    n = X.shape[1]
    A = X.T @ X + lam * np.eye(n, dtype=X.dtype)
    return np.linalg.solve(A, X.T @ y)


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    m, n = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    lam = draw(st.sampled_from((0.5, 1.0, 2.0, 10.0)))
    return {
        "X": draw(float_arrays(dtype, (m, n), bound=3.0)),
        "y": draw(float_arrays(dtype, (m,), bound=3.0)),
        "lam": lam,
    }


def _half(X, y, lam):
    # written out (not ridge(X, y, lam / 2)): a submission file defines only its own function
    n = X.shape[1]
    return np.linalg.solve(X.T @ X + (lam / 2) * np.eye(n, dtype=X.dtype), X.T @ y)


def _entrywise(X, y, lam):
    return np.linalg.solve(X.T @ X + lam, X.T @ y)


def _gram_rows(X, y, lam):
    return np.linalg.solve(X @ X.T + lam * np.eye(X.shape[0], dtype=X.dtype), y)


def _no_lambda(X, y, lam):
    return np.linalg.lstsq(X, y, rcond=None)[0].astype(X.dtype)


def _augmented_lam(X, y, lam):
    # least squares on [X; lam I] w = [y; 0]: the penalty would be lam^2 ||w||^2, not lam ||w||^2
    n = X.shape[1]
    A = np.vstack([X, lam * np.eye(n, dtype=X.dtype)])
    b = np.concatenate([y, np.zeros(n, dtype=X.dtype)])
    return np.linalg.lstsq(A, b, rcond=None)[0]


def _lam_times_m(X, y, lam):
    # the penalty of the mean squared error, (1/m)||Xw - y||^2 / 2 + lam ||w||^2 / 2, scaled by m
    n = X.shape[1]
    return np.linalg.solve(X.T @ X + X.shape[0] * lam * np.eye(n, dtype=X.dtype), X.T @ y)


def _gradient(X, y, lam, w):
    return X.T @ (X @ w - y) + lam * w


EXERCISE = Implement(
    id="ex-lin-ridge",
    title="Ridge regression by a linear solve",
    function="ridge",
    parameters=("X", "y", "lam"),
    docstring=r"""The minimiser of $f_\lambda(w) = \frac12\|Xw - y\|^2 + \frac\lambda2\|w\|^2$
(Definition def-lin-ridge; a sum of squares, no 1/m), computed by solving a linear system (no
matrix inverse).

Arguments:
    X: shape (m, n), float32 or float64.
    y: shape (m,), dtype of X.
    lam: lambda > 0, a float.

Returns:
    w_lam, shape (n,), dtype of X.
""",
    reference=ridge,
    arguments=_arguments(),
    outputs=("w",),
    tolerances={"float64": Tolerance(1e-9, 1e-10), "float32": Tolerance(1e-3, 1e-4)},
    properties=(
        Property(
            "zero gradient",
            "X^T (X w - y) + lam w = 0 (w minimises f_lam)",
            lambda kw, w: (
                _gradient(kw["X"], kw["y"], kw["lam"], w) / (1 + np.abs(kw["X"]).sum()) ** 2,
                np.zeros(kw["X"].shape[1], dtype=w.dtype),
            ),
        ),
    ),
    hint=r"""Set the gradient X^T (X w - y) + lam w to zero: (X^T X + lam I_n) w = X^T y, with the
identity matrix np.eye(n) (n = number of columns of X), then np.linalg.solve. Keep the dtype: build
the identity with dtype=X.dtype.""",
    diagnoses=(
        Diagnosis(
            "w",
            lambda kw: _half(**kw),
            "got the solution for lam/2: the penalty (lam/2)||w||^2 has gradient lam w",
        ),
        Diagnosis(
            "w",
            lambda kw: _entrywise(**kw),
            "lam was added to every entry of X^T X; add lam I_n (the diagonal only)",
        ),
        Diagnosis(
            "w",
            lambda kw: _no_lambda(**kw),
            "this is the unregularised least-squares solution: lam is missing",
        ),
        Diagnosis(
            "w",
            lambda kw: _augmented_lam(**kw),
            "least squares on [X; lam I] penalises lam^2 ||w||^2: the augmented rows are "
            "sqrt(lam) I",
        ),
        Diagnosis(
            "w",
            lambda kw: _lam_times_m(**kw),
            "the shift is m lam: f_lam has no 1/m in front of ||Xw - y||^2",
        ),
    ),
    wrong=(
        Wrong(_half, "solves with lam/2", values(0), "lam/2"),
        Wrong(_entrywise, "adds lam to every entry", values(0), "diagonal"),
        Wrong(
            _gram_rows,
            "returns the dual variable alpha instead of X^T alpha",
            OUTPUT_SHAPE,
            "shape",
        ),
        Wrong(_no_lambda, "ignores lam", values(0), "lam is missing"),
        Wrong(_augmented_lam, "augmented rows lam I instead of sqrt(lam) I", values(0), "sqrt"),
        Wrong(_lam_times_m, "the penalty of the mean squared error (m lam)", values(0), "1/m"),
    ),
)
