r"""Exercise ``ex-sym-circulant-kernel`` (implementation): read the kernel of a shift-equivariant map."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import Diagnosis, Implement, Tolerance, Wrong, values
from deepqed.exercises.strategies import dtypes


def circulant_kernel(A):
    r"""$w_a = A_{0,a}$ (Theorem thm-sym-circulant in one dimension, one channel)."""
    return A[0].copy()


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    n = draw(st.integers(1, 9))
    w = np.array(draw(st.lists(st.floats(-5, 5), min_size=n, max_size=n)))
    i = np.arange(n)
    A = w[(i[None, :] - i[:, None]) % n]  # A[i, u] = w[(u - i) mod n]
    return {"A": A.astype(dtype)}


def _first_column(A):
    return A[:, 0].copy()


def _reversed_row(A):
    return A[0][::-1].copy()


def _diagonal(A):
    return np.diag(A).copy()


EXERCISE = Implement(
    id="ex-sym-circulant-kernel",
    title="The kernel of a shift-equivariant map",
    function="circulant_kernel",
    parameters=("A",),
    docstring=r"""The kernel w of a linear map A on R^n that commutes with the cyclic shift
(Sx)_i = x_{(i - 1) mod n}: (A x)_i = sum_a w_a x_{(i + a) mod n} (Theorem thm-sym-circulant).

Arguments:
    A: shape (n, n), float32 or float64, with A S = S A.

Returns:
    w, shape (n,), the dtype of A.
""",
    reference=circulant_kernel,
    arguments=_arguments(),
    outputs=("w",),
    tolerances={"float64": Tolerance(0.0, 0.0), "float32": Tolerance(0.0, 0.0)},
    hint=r"""Apply A to the basis vector e_a and look at output position 0:
(A e_a)_0 = sum_b w_b [b = a] = w_a.""",
    diagnoses=(
        Diagnosis(
            "w",
            lambda kw: _first_column(**kw),
            "the first column v_i = w_{-i mod n} is the kernel of the same map written as a "
            "circular convolution, (A x)_i = sum_a v_a x_{(i - a) mod n}; the cross-correlation's "
            "kernel w is the first row",
        ),
    ),
    wrong=(
        Wrong(_first_column, "first column", values(0), "first row"),
        Wrong(_reversed_row, "reversed first row", values(0), "differs"),
        Wrong(_diagonal, "the diagonal", values(0), "differs"),
    ),
)
