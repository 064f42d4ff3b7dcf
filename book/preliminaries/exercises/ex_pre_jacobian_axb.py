r"""Exercise ``ex-pre-jacobian-axb``: the Jacobian matrix of X -> A X B."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import Diagnosis, Implement, Property, Tolerance, Wrong
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
    r, p, q, s = (draw(st.integers(1, 3)) for _ in range(4))
    return {"A": draw(float_arrays(dtype, (r, p))), "B": draw(float_arrays(dtype, (q, s)))}


def _row_major(A, B):
    return np.kron(A, B.T)


def _transposed(A, B):
    return np.kron(B.T, A).T


def _vjp_form(A, B):
    return np.kron(B.T, A.T)


def _vec_product(kw):
    """J vec(X) = vec(A X B) for X = the matrix of ones (a fixed, exact test vector)."""
    A, B = kw["A"], kw["B"]
    return A @ np.ones((A.shape[1], B.shape[0]), dtype=A.dtype) @ B


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
    tolerances={"float64": Tolerance(1e-12, 1e-12), "float32": Tolerance(1e-5, 1e-5)},
    hint=r"""Theorem thm-vec-kron: vec(A H B) = (B^T kron A) vec(H). np.kron(P, Q) puts the
blocks P[i, j] Q in block (i, j).""",
    properties=(
        Property(
            "J vec(1) = vec(A 1 B)",
            "J times vec of the all-ones matrix equals vec(A 1 B) (Theorem thm-vec-kron)",
            lambda kw, J: (J @ np.ones(J.shape[1], dtype=J.dtype), _vec_product(kw).T.reshape(-1)),
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
        Wrong(_row_major, "A kron B^T (row-major vec)", "values of J", "row-major"),
        Wrong(_transposed, "the transpose", "output shape", "shape"),
        Wrong(_vjp_form, "B^T kron A^T", "output shape", "shape"),
    ),
)
