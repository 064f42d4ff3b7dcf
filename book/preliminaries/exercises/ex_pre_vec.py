r"""Exercise ``ex-pre-vec``: column-stacking vectorisation."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import (
    DTYPE,
    INPUTS_UNCHANGED,
    OUTPUT_SHAPE,
    Diagnosis,
    Implement,
    Tolerance,
    Wrong,
    values,
)
from deepqed.exercises.strategies import dtypes, float_arrays


def vec(X):
    r"""$\operatorname{vec}(X)_{i + pj} = X_{ij}$ (0-based): the columns of X stacked
    (Definition def-vec-kron)."""
    return X.T.reshape(-1).copy()


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    p, q = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    X = draw(float_arrays(dtype, (p, q)))
    layout = draw(st.sampled_from(["C", "F", "transposed view"]))
    if layout == "F":  # column-major storage: X.ravel("K") happens to stack the columns here
        X = np.asfortranarray(X)
    elif layout == "transposed view":  # a non-contiguous view of another array
        X = np.ascontiguousarray(X.T).T
    return {"X": X}


def _row_major(X):
    return X.reshape(-1).copy()


def _column(X):
    return X.T.reshape(-1, 1).copy()


def _float64(X):
    return X.T.reshape(-1).astype(np.float64)


def _storage_order(X):
    """Stacks the entries in the order they are stored: right only for column-major arrays."""
    return X.ravel(order="K").copy()


def _reshape_qp(X):
    """Reinterprets the row-major buffer as q x p and stacks its rows: vec(X) only if p or q is 1."""
    return X.reshape(X.shape[1], X.shape[0]).reshape(-1).copy()


def _in_place(X):
    v = X.T.reshape(-1).copy()
    X[0, 0] += 1.0
    return v


EXERCISE = Implement(
    id="ex-pre-vec",
    title="Column-stacking vectorisation",
    function="vec",
    parameters=("X",),
    docstring=r"""The vectorisation of Definition def-vec-kron: the columns of X stacked,
vec(X)[i + p j] = X[i, j] (0-based indices).

Arguments:
    X: shape (p, q), float32 or float64, stored in any order (row-major, column-major, or a
        non-contiguous view).

Returns:
    shape (p q,), the dtype of X; X must not be modified.
""",
    reference=vec,
    arguments=_arguments(),
    outputs=("vec(X)",),
    tolerances={"float64": Tolerance(0.0, 0.0), "float32": Tolerance(0.0, 0.0)},
    hint=r"""NumPy stores and reshapes in row-major (C) order: X.reshape(-1) stacks the ROWS.
Transpose first, or pass order="F".""",
    diagnoses=(
        Diagnosis(
            "vec(X)",
            lambda kw: kw["X"].reshape(-1),
            "got the rows of X stacked (row-major order); vec stacks the columns",
        ),
    ),
    wrong=(
        Wrong(_row_major, "stacks the rows", values(0), "columns"),
        Wrong(_column, "returns a (pq, 1) column", OUTPUT_SHAPE, "shape"),
        Wrong(_float64, "converts to float64", DTYPE, "float32"),
        Wrong(_in_place, "modifies X", INPUTS_UNCHANGED, "in place"),
        Wrong(_storage_order, "stacks in storage order (ravel order K)", values(0), "differs"),
        Wrong(_reshape_qp, "reshapes to (q, p) and stacks rows", values(0), "differs"),
    ),
)
