r"""Exercise ``ex-opt-walsh``: correlations with all parities by the fast Walsh–Hadamard
transform."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import (
    DTYPE,
    INPUTS_UNCHANGED,
    Diagnosis,
    Implement,
    Property,
    Tolerance,
    Wrong,
    values,
)
from deepqed.exercises.strategies import dtypes, float_arrays


def parity_correlations(Y):
    r"""Row $v$ of the result is $2^{-n}\sum_x(-1)^{\langle v, x\rangle}Y_x$ (rows indexed by the
    bits of the row number), by $n$ butterfly passes on a copy of ``Y``."""
    out = np.array(Y, copy=True)
    N = out.shape[0]
    h = 1
    while h < N:
        V = out.reshape(N // (2 * h), 2, h, -1)
        a, b = V[:, 0].copy(), V[:, 1].copy()
        V[:, 0], V[:, 1] = a + b, a - b
        h *= 2
    return out / N


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    n, P = draw(st.integers(0, 6)), draw(st.integers(1, 3))
    return {"Y": draw(float_arrays(dtype, (2**n, P), bound=10.0))}


def _fwht(Y):
    out = np.array(Y, copy=True)
    N = out.shape[0]
    h = 1
    while h < N:
        V = out.reshape(N // (2 * h), 2, h, -1)
        a, b = V[:, 0].copy(), V[:, 1].copy()
        V[:, 0], V[:, 1] = a + b, a - b
        h *= 2
    return out


def _unnormalised(Y):
    out = np.array(Y, copy=True)
    N = out.shape[0]
    h = 1
    while h < N:
        V = out.reshape(N // (2 * h), 2, h, -1)
        a, b = V[:, 0].copy(), V[:, 1].copy()
        V[:, 0], V[:, 1] = a + b, a - b
        h *= 2
    return out


def _in_place(Y):
    N = Y.shape[0]
    h = 1
    while h < N:
        V = Y.reshape(N // (2 * h), 2, h, -1)
        a, b = V[:, 0].copy(), V[:, 1].copy()
        V[:, 0], V[:, 1] = a + b, a - b
        h *= 2
    Y /= N
    return Y


def _first_column(Y):
    out = np.array(Y, copy=True)
    N = out.shape[0]
    h = 1
    while h < N:
        V = out.reshape(N // (2 * h), 2, h, -1)
        a, b = V[:, 0].copy(), V[:, 1].copy()
        V[:, 0], V[:, 1] = a + b, a - b
        h *= 2
    out = out / N
    out[:, 1:] = out[:, :1]
    return out


def _float64(Y):
    out = np.array(Y, dtype=np.float64, copy=True)
    N = out.shape[0]
    h = 1
    while h < N:
        V = out.reshape(N // (2 * h), 2, h, -1)
        a, b = V[:, 0].copy(), V[:, 1].copy()
        V[:, 0], V[:, 1] = a + b, a - b
        h *= 2
    return out / N


def _sequency_sign(Y):  # the sign convention flipped
    out = np.array(Y, copy=True)
    N = out.shape[0]
    h = 1
    while h < N:
        V = out.reshape(N // (2 * h), 2, h, -1)
        a, b = V[:, 0].copy(), V[:, 1].copy()
        V[:, 0], V[:, 1] = a + b, a - b
        h *= 2
    return -out / N


EXERCISE = Implement(
    id="ex-opt-walsh",
    title="Correlations with all parities",
    function="parity_correlations",
    parameters=("Y",),
    docstring=r"""Correlations of the columns of Y with all parities chi_v(x) = (-1)^{<v, x>} on
{0, 1}^n (Theorem thm-opt-parity): row v of the result is
2^{-n} sum_x (-1)^{<v, x>} Y[x]. Row r of Y (and of the result) is the point x (resp. v) whose
coordinate x_i is bit i - 1 of r.

Arguments:
    Y: shape (2**n, P), float32 or float64, n >= 0.

Returns:
    an array of shape (2**n, P) and the dtype of Y. Use O(n 2^n P) operations; do not modify Y.
""",
    reference=parity_correlations,
    arguments=_arguments(),
    outputs=("C",),
    tolerances={"float64": Tolerance(1e-9, 1e-9), "float32": Tolerance(1e-4, 2e-3)},
    hint=r"""The matrix H[v, x] = (-1)^{<v, x>} is the n-fold Kronecker power of [[1, 1], [1, -1]].
Apply it one factor at a time: for h = 1, 2, 4, ..., replace each pair of rows (r, r + h) with r
having bit log2(h) clear by their sum and difference. Divide by 2^n at the end. Work on a copy.""",
    properties=(
        Property(
            "Parseval",
            "sum of squares: 2^n ||C||^2 = ||Y||^2 (parities are orthonormal)",
            lambda kw, C: (
                np.sum(C.astype(np.float64) ** 2) * C.shape[0],
                np.sum(kw["Y"].astype(np.float64) ** 2),
            ),
        ),
    ),
    diagnoses=(
        Diagnosis(
            "C",
            lambda kw: _unnormalised(kw["Y"]),
            "the sum over x without the factor 2^{-n}: a correlation is an average",
        ),
        Diagnosis(
            "C",
            lambda kw: -parity_correlations(kw["Y"]),
            "the sign of every entry is flipped: chi_v(x) = (-1)^{<v, x>}, so chi_0 = 1",
        ),
    ),
    wrong=(
        Wrong(_unnormalised, "no factor 2^{-n}", values(0), "2^{-n}"),
        Wrong(_in_place, "transforms Y in place", INPUTS_UNCHANGED, ""),
        Wrong(_first_column, "transforms the first column only", values(0), ""),
        Wrong(_float64, "returns float64 for float32 input", DTYPE, ""),
        Wrong(_sequency_sign, "flips the sign convention", values(0), "sign"),
    ),
)
