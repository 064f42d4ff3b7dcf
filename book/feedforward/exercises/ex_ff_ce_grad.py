r"""Exercise ``ex-ff-ce-grad``: the gradient of the batch softmax cross-entropy."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import FINITE, Diagnosis, Implement, Property, Tolerance, Wrong, values
from deepqed.exercises.strategies import dtypes, float_arrays, one_hot


def ce_grad(A, Y):
    r"""$G^L = (\operatorname{softmax}(A) - Y) / m$, softmax of each row, with the max shift
    (Proposition prop-loss-gradients)."""
    m = A.shape[0]
    E = np.exp(A - np.max(A, axis=1, keepdims=True))
    S = E / np.sum(E, axis=1, keepdims=True)
    return (S - Y) / m


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    m = draw(st.integers(1, 5))
    K = draw(st.integers(1, 5))
    A = draw(float_arrays(dtype, (m, K), bound=1000.0))
    family = draw(st.sampled_from(("any", "rows apart", "ties")))
    if family == "rows apart":  # each row with its own large offset: +-1000 apart
        offsets = np.array([(-1) ** i * 1000.0 for i in range(m)])[:, None]
        A = (A / 1000 + offsets).astype(dtype)
    elif family == "ties":  # every logit of a row equal (softmax uniform)
        A = np.repeat(A[:, :1], K, axis=1)
    return {"A": A, "Y": draw(one_hot(dtype, m, K))}


def _softmax_rows(A):
    E = np.exp(A - np.max(A, axis=1, keepdims=True))
    return E / np.sum(E, axis=1, keepdims=True)


def _no_mean(A, Y):
    return _softmax_rows(A) - Y


def _sign(A, Y):
    return (Y - _softmax_rows(A)) / A.shape[0]


def _unstable(A, Y):
    E = np.exp(A)
    return (E / np.sum(E, axis=1, keepdims=True) - Y) / A.shape[0]


def _global_shift(A, Y):  # one shift for the whole batch: a row far below underflows to 0/0
    E = np.exp(A - np.max(A))
    return (E / np.sum(E, axis=1, keepdims=True) - Y) / A.shape[0]


def _columns(A, Y):
    E = np.exp(A - np.max(A, axis=0, keepdims=True))
    return (E / np.sum(E, axis=0, keepdims=True) - Y) / A.shape[0]


EXERCISE = Implement(
    id="ex-ff-ce-grad",
    title="The gradient of the batch cross-entropy",
    function="ce_grad",
    parameters=("A", "Y"),
    docstring=r"""Gradient with respect to A of the batch softmax cross-entropy
$\mathcal L = \frac1m \sum_i \ell(a_i, y_i)$, $\ell(a, y) = -\sum_k y_k \log \mathrm{softmax}(a)_k$
(rows a_i of A, y_i of Y are the samples).

Arguments:
    A: A^L, shape (m, K), float32 or float64; entries may be of size 1000, and rows may be far
       apart (one row near +1000, the next near -1000).
    Y: one-hot targets, shape (m, K), dtype of A (each row has one 1).

Returns:
    G^L = dL/dA, shape (m, K), dtype of A.
""",
    reference=ce_grad,
    arguments=_arguments(),
    outputs=("G",),
    tolerances={"float64": Tolerance(1e-9, 1e-12), "float32": Tolerance(1e-4, 1e-6)},
    properties=(
        Property(
            "rows sum to 0",
            "G 1_K = 0 (each row of softmax(A) - Y sums to 1 - 1)",
            lambda kw, G: (G.sum(axis=1), np.zeros(G.shape[0])),
        ),
    ),
    hint=r"""For one sample, grad_a ell = softmax(a) - y when y is one-hot (Proposition
prop-loss-gradients). The batch objective is the MEAN over the m rows, so each row of the gradient
is divided by m. Compute softmax row by row (axis=1) with the max of each row subtracted first.""",
    diagnoses=(
        Diagnosis(
            "G",
            lambda kw: _no_mean(kw["A"], kw["Y"]),
            "got softmax(A) - Y: the factor 1/m of the batch mean is missing",
        ),
        Diagnosis("G", lambda kw: _sign(kw["A"], kw["Y"]), "got (Y - softmax(A))/m: a sign error"),
        Diagnosis(
            "G",
            lambda kw: _columns(kw["A"], kw["Y"]),
            "softmax was taken over the columns (axis 0); the samples are the rows",
        ),
    ),
    wrong=(
        Wrong(_no_mean, "forgets the 1/m", values(0), "1/m"),
        Wrong(_sign, "Y - softmax(A)", values(0), "sign error"),
        Wrong(_unstable, "softmax without the max shift", FINITE, "overflow"),
        Wrong(_columns, "softmax over the wrong axis", values(0), "columns"),
        Wrong(_global_shift, "subtracts the batch's max, not each row's", FINITE, "overflow"),
    ),
)
