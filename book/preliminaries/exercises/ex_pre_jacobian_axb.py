r"""Exercise ``ex-pre-jacobian-axb``: the Jacobian matrix of X -> A X B."""

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


def jacobian_axb(A, B):
    r"""$J = B^\top\otimes A$, the Jacobian matrix of $X\mapsto AXB$ with column-stacking vec on
    both sides (Proposition prop-linear-jacobians): $J[k + r l, i + p j] = A[k, i] B[j, l]$."""
    r, p = A.shape
    q, s = B.shape
    J = B.T[:, None, :, None] * A[None, :, None, :]  # (s, r, q, p): [l, k, j, i]
    return J.reshape(s * r, q * p)


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    if draw(st.booleans()):  # four distinct sizes: every transposed or swapped factor changes shape
        r, p, q, s = (int(v) for v in draw(st.permutations([1, 2, 3, 4])))
    else:
        r, p, q, s = (draw(st.integers(1, 3)) for _ in range(4))
    scale = draw(st.sampled_from([1.0, 1e-10, 1e10]))  # the products stay within float32's range
    A = draw(float_arrays(dtype, (r, p))) * dtype.type(scale)
    B = draw(float_arrays(dtype, (q, s))) * dtype.type(scale)
    return {"A": A, "B": B}


def _row_major(A, B):
    return np.kron(A, B.T)


def _transposed(A, B):
    return np.kron(B.T, A).T


def _vjp_form(A, B):
    return np.kron(B.T, A.T)


def _B_not_transposed(A, B):
    return np.kron(B, A)


def _last_column(J):
    """J vec(E_pq): the column of the last entry of X, by a product with a basis vector (each
    entry one product plus exact zeros)."""
    e = np.zeros(J.shape[1], dtype=J.dtype)
    e[-1] = 1
    return J @ e


def _image_of_last_basis_matrix(kw):
    """vec(A E_pq B) = vec(a b^T) for a the last column of A and b the last row of B (exact)."""
    A, B = kw["A"], kw["B"]
    return np.outer(A[:, -1], B[-1, :]).T.reshape(-1)


EXERCISE = Implement(
    id="ex-pre-jacobian-axb",
    title="The Jacobian matrix of X -> A X B",
    function="jacobian_axb",
    parameters=("A", "B"),
    docstring=r"""The Jacobian matrix of f(X) = A X B (X of shape (p, q)) in the vec convention of
Definition def-jacobian-vec: the matrix J with J vec(H) = vec(A H B) for every H, vec stacking
columns.

Arguments:
    A: shape (r, p).
    B: shape (q, s).
    (both float32 or both float64)

Returns:
    J: shape (r s, p q), the dtype of the inputs.
""",
    reference=jacobian_axb,
    arguments=_arguments(),
    outputs=("J",),
    # every entry is one product of an entry of A and one of B, rounded once: relative error <= u
    tolerances={"float64": Tolerance(4.5e-16, 0.0), "float32": Tolerance(2.4e-7, 0.0)},
    hint=r"""Theorem thm-vec-kron: vec(A H B) = (B^T kron A) vec(H). np.kron(P, Q) puts the
blocks P[i, j] Q in block (i, j).""",
    properties=(
        Property(
            "J vec(E_pq) = vec(A E_pq B)",
            "J times vec of the basis matrix E_pq (a single 1 in the last entry) equals "
            "vec(A E_pq B) (Theorem thm-vec-kron)",
            lambda kw, J: (_last_column(J), _image_of_last_basis_matrix(kw)),
        ),
    ),
    diagnoses=(
        Diagnosis(
            "J",
            lambda kw: np.kron(kw["A"], kw["B"].T),
            "got A kron B^T: the Jacobian for row-major (row-stacking) vec; the book's "
            "vec stacks columns",
        ),
        Diagnosis(
            "J",
            lambda kw: np.kron(kw["B"].T, kw["A"].T),
            "got B^T kron A^T; the Jacobian is B^T kron A",
        ),
    ),
    wrong=(
        Wrong(_row_major, "A kron B^T (row-major vec)", values(0), "row-major"),
        Wrong(_transposed, "the transpose", OUTPUT_SHAPE, "shape"),
        Wrong(_vjp_form, "B^T kron A^T", OUTPUT_SHAPE, "shape"),
        Wrong(_B_not_transposed, "B kron A (B not transposed)", OUTPUT_SHAPE, "shape"),
    ),
)
