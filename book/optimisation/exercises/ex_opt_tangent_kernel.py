r"""Exercise ``ex-opt-tangent-kernel``: the tangent kernel of a two-layer tanh network."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import DTYPE, Diagnosis, Implement, Property, Tolerance, Wrong, values
from deepqed.exercises.strategies import dtypes, float_arrays


def tangent_kernel(W, X):
    r"""$K = \frac1N\bigl(\tanh'(XW^\top)\tanh'(XW^\top)^\top\bigr)\odot XX^\top$, with
    $\tanh' = 1 - \tanh^2$."""
    S = 1 - np.tanh(X @ W.T) ** 2
    return (S @ S.T) / W.shape[0] * (X @ X.T)


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    N, d, m = draw(st.integers(1, 6)), draw(st.integers(1, 4)), draw(st.integers(1, 5))
    scale = draw(st.sampled_from((1.0, 30.0)))  # 30: saturated units, tanh' ~ 0
    W = draw(float_arrays(dtype, (N, d), bound=3.0))
    X = draw(float_arrays(dtype, (m, d), bound=3.0))
    return {"W": (W * dtype.type(scale)).astype(dtype), "X": X}


def _no_mean(W, X):
    S = 1 - np.tanh(X @ W.T) ** 2
    return (S @ S.T) * (X @ X.T)


def _tanh_not_prime(W, X):
    T = np.tanh(X @ W.T)
    return (T @ T.T) / W.shape[0] * (X @ X.T)


def _no_gram(W, X):
    S = 1 - np.tanh(X @ W.T) ** 2
    return (S @ S.T) / W.shape[0]


def _float64(W, X):
    W, X = W.astype(np.float64), X.astype(np.float64)
    S = 1 - np.tanh(X @ W.T) ** 2
    return (S @ S.T) / W.shape[0] * (X @ X.T)


EXERCISE = Implement(
    id="ex-opt-tangent-kernel",
    title="The tangent kernel of a two-layer network",
    function="tangent_kernel",
    parameters=("W", "X"),
    docstring=r"""The tangent kernel K(W) = DF(W) DF(W)^T of F_i(W) = N^{-1/2} sum_j a_j tanh(w_j^T x_i)
(equation eq-opt-two-layer; the signs a_j = +-1 do not enter):
K_ik = (1/N) sum_j tanh'(w_j^T x_i) tanh'(w_j^T x_k) x_i^T x_k.

Arguments:
    W: shape (N, d), rows w_j; X: shape (m, d), rows x_i; float32 or float64 (the same).

Returns:
    K of shape (m, m) and the dtype of X.
""",
    reference=tangent_kernel,
    arguments=_arguments(),
    outputs=("K",),
    tolerances={"float64": Tolerance(1e-9, 1e-10), "float32": Tolerance(1e-4, 1e-4)},
    hint=r"""grad_{w_j} F_i = N^{-1/2} a_j tanh'(w_j^T x_i) x_i. The inner product of the gradients for
inputs i and k sums over the units j and, inside each unit, over the d coordinates, which gives
the factor x_i^T x_k. With S = tanh'(X W^T) (m x N) the sum over j is S S^T.""",
    properties=(Property("symmetric", "K is symmetric", lambda kw, K: (K, K.T)),),
    diagnoses=(
        Diagnosis(
            "K",
            lambda kw: _no_mean(kw["W"], kw["X"]),
            "missing the factor 1/N (from the N^{-1/2} in F, squared)",
        ),
        Diagnosis(
            "K",
            lambda kw: _tanh_not_prime(kw["W"], kw["X"]),
            "used tanh instead of its derivative tanh' = 1 - tanh^2",
        ),
        Diagnosis(
            "K",
            lambda kw: _no_gram(kw["W"], kw["X"]),
            "missing the factor x_i^T x_k from the input weights' gradient",
        ),
    ),
    wrong=(
        Wrong(_no_mean, "no 1/N", values(0), "1/N"),
        Wrong(_tanh_not_prime, "tanh instead of tanh'", values(0), "derivative"),
        Wrong(_no_gram, "no x_i^T x_k", values(0), "x_i^T x_k"),
        Wrong(_float64, "returns float64 for float32 input", DTYPE, ""),
    ),
)
