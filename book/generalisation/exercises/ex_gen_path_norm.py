r"""Exercise ``ex-gen-path-norm``: the path norm of a two-layer network."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import Diagnosis, Implement, Property, Tolerance, Wrong, values
from deepqed.exercises.strategies import dtypes, float_arrays


def path_norm(W, b, v):
    r"""$\sum_j\lvert v_j\rvert\,\|(w_j, b_j)\|$ (Proposition prop-gen-two-layer with the bias as an
    extra input coordinate)."""
    return np.asarray(np.sum(np.abs(v) * np.sqrt(np.sum(W * W, axis=1) + b * b)), dtype=W.dtype)


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    N, d = draw(st.integers(1, 6)), draw(st.integers(1, 5))
    return {
        "W": draw(float_arrays(dtype, (N, d), 5.0)),
        "b": draw(float_arrays(dtype, (N,), 5.0)),
        "v": draw(float_arrays(dtype, (N,), 5.0)),
    }


def _frobenius(W, b, v):
    return np.asarray(
        np.sqrt(np.sum(W * W) + np.sum(b * b)) * np.sqrt(np.sum(v * v)), dtype=W.dtype
    )


def _no_bias(W, b, v):
    return np.asarray(np.sum(np.abs(v) * np.sqrt(np.sum(W * W, axis=1))), dtype=W.dtype)


def _signed(W, b, v):
    return np.asarray(np.abs(np.sum(v * np.sqrt(np.sum(W * W, axis=1) + b * b))), dtype=W.dtype)


def _l1_rows(W, b, v):
    return np.asarray(np.sum(np.abs(v) * (np.sum(np.abs(W), axis=1) + np.abs(b))), dtype=W.dtype)


EXERCISE = Implement(
    id="ex-gen-path-norm",
    title="The path norm of a two-layer network",
    function="path_norm",
    parameters=("W", "b", "v"),
    docstring=r"""The path norm sum_j |v_j| ||(w_j, b_j)|| of x -> sum_j v_j ReLU(<w_j, x> + b_j)
(Proposition prop-gen-two-layer; the bias is the weight of an extra input coordinate 1).

Arguments:
    W: shape (N, d), rows w_j; b: shape (N,); v: shape (N,); one dtype, float32 or float64.

Returns:
    a 0-dimensional array of that dtype.
""",
    reference=path_norm,
    arguments=_arguments(),
    outputs=("norm",),
    max_examples=50,
    tolerances={"float64": Tolerance(1e-10, 1e-12), "float32": Tolerance(1e-4, 1e-5)},
    hint=r"""Each unit contributes |v_j| times the Euclidean norm of its input weights and bias.""",
    properties=(
        Property(
            "rescaling invariance",
            "scaling (w_j, b_j) by c > 0 and v_j by 1/c does not change the path norm",
            lambda kw, got: (
                path_norm(kw["W"] * 2, kw["b"] * 2, kw["v"] / 2).astype(got.dtype),
                got,
            ),
        ),
    ),
    diagnoses=(
        Diagnosis(
            "norm", lambda kw: _no_bias(**kw), "the bias counts: ||(w_j, b_j)||, not ||w_j||"
        ),
        Diagnosis(
            "norm",
            lambda kw: _frobenius(**kw),
            "this is a product of Frobenius norms, not a sum over paths",
        ),
    ),
    wrong=(
        Wrong(_frobenius, "product of Frobenius norms", values(0), "Frobenius"),
        Wrong(_no_bias, "forgets the bias", values(0), "bias"),
        Wrong(_signed, "signed sum", values(0), ""),
        Wrong(_l1_rows, "l1 norms of the rows", values(0), ""),
    ),
)
