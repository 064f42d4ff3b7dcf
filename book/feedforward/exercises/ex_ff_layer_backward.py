r"""Exercise ``ex-ff-layer-backward``: the backward rule of one affine layer."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import (
    OUTPUT_SHAPE,
    OUTPUT_TYPE,
    RUNS,
    Diagnosis,
    Implement,
    Tolerance,
    Wrong,
    values,
)
from deepqed.exercises.strategies import dtypes, float_arrays


def layer_backward(Delta, W, A_prev):
    r"""For $Z = A_{prev} W^\top + 1_m b^\top$ and upstream $\Delta = \partial\mathcal L/\partial Z$
    (Lemma lem-affine-layer): $\nabla_W = \Delta^\top A_{prev}$, $\nabla_b = \Delta^\top 1_m$,
    $G_{prev} = \Delta W$."""
    dW = Delta.T @ A_prev
    db = np.sum(Delta, axis=0)
    G_prev = Delta @ W
    return dW, db, G_prev


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    m = draw(st.integers(1, 4))
    n = draw(st.integers(1, 4))  # n_l
    n_prev = draw(st.integers(1, 4))  # n_{l-1}
    if draw(st.booleans()):  # square: m = n_l = n_{l-1}, where a transposed product keeps its shape
        n_prev = n = m
    return {
        "Delta": draw(float_arrays(dtype, (m, n))),
        "W": draw(float_arrays(dtype, (n, n_prev))),
        "A_prev": draw(float_arrays(dtype, (m, n_prev))),
    }


def _dW_transposed(Delta, W, A_prev):
    return A_prev.T @ Delta, np.sum(Delta, axis=0), Delta @ W


def _db_mean(Delta, W, A_prev):
    return Delta.T @ A_prev, np.mean(Delta, axis=0), Delta @ W


def _db_axis(Delta, W, A_prev):
    return Delta.T @ A_prev, np.sum(Delta, axis=1), Delta @ W


def _G_with_transpose(Delta, W, A_prev):
    return Delta.T @ A_prev, np.sum(Delta, axis=0), Delta @ W.T


def _W_transposed_square(Delta, W, A_prev):  # Delta W^T, which runs when W is square
    return Delta.T @ A_prev, np.sum(Delta, axis=0), (W @ Delta.T).T


def _two_outputs(Delta, W, A_prev):
    return Delta.T @ A_prev, Delta @ W


EXERCISE = Implement(
    id="ex-ff-layer-backward",
    title="The backward rule of an affine layer",
    function="layer_backward",
    parameters=("Delta", "W", "A_prev"),
    docstring=r"""Backward rule of the affine layer $Z = A_{prev} W^\top + 1_m b^\top$: given the upstream
gradient $\Delta = \partial\mathcal L / \partial Z$, return the gradients of $\mathcal L$ with
respect to W, b and A_prev (Lemma lem-affine-layer). Delta already contains the 1/m of the
batch mean: do not divide by m again.

Arguments:
    Delta: shape (m, n_l).
    W: shape (n_l, n_{l-1}).
    A_prev: shape (m, n_{l-1}).
    (all float32 or all float64)

Returns:
    (dW, db, G_prev): shapes (n_l, n_{l-1}), (n_l,), (m, n_{l-1}); dtype of the inputs.
""",
    reference=layer_backward,
    arguments=_arguments(),
    outputs=("dW", "db", "G_prev"),
    tolerances={"float64": Tolerance(1e-9, 1e-10), "float32": Tolerance(1e-4, 1e-4)},
    hint=r"""Write Z_{ij} = sum_k A_prev[i, k] W[j, k] + b_j and differentiate: dL/dW[j, k] =
sum_i Delta[i, j] A_prev[i, k], that is Delta^T A_prev; dL/db_j = sum_i Delta[i, j] (a sum over the
batch, axis 0); dL/dA_prev[i, k] = sum_j Delta[i, j] W[j, k], that is Delta W. Check the shapes:
each gradient has the shape of the variable.""",
    diagnoses=(
        Diagnosis(
            "dW",
            lambda kw: kw["A_prev"].T @ kw["Delta"],
            "got A_prev^T Delta, the transpose of dW = Delta^T A_prev",
        ),
        Diagnosis(
            "db",
            lambda kw: np.mean(kw["Delta"], axis=0),
            "got the mean of Delta over the batch; db is the sum (Delta already holds 1/m)",
        ),
        Diagnosis(
            "G_prev",
            lambda kw: kw["Delta"] @ kw["W"].T,
            "got Delta W^T; the gradient with respect to A_prev is Delta W",
        ),
    ),
    wrong=(
        Wrong(_dW_transposed, "A_prev^T Delta", OUTPUT_SHAPE, "transpose"),
        Wrong(_db_mean, "mean instead of sum over the batch", values(1), "sum"),
        Wrong(_db_axis, "sums over the wrong axis", OUTPUT_SHAPE, "db"),
        Wrong(_G_with_transpose, "Delta W^T", RUNS, "ValueError"),
        Wrong(_two_outputs, "returns two outputs", OUTPUT_TYPE, "tuple"),
        Wrong(_W_transposed_square, "(W Delta^T)^T = Delta W^T", values(2), "Delta W"),
    ),
)
