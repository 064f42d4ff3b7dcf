r"""Exercise ``ex-ff-softmax-jacobian``: the Jacobian of softmax at one vector."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import (
    FINITE,
    Diagnosis,
    Implement,
    Property,
    Tolerance,
    Wrong,
    holds,
    values,
)
from deepqed.exercises.strategies import dtypes, float_arrays


def softmax_jacobian(z):
    r"""$J(z) = \operatorname{diag}(s) - s s^\top$ with $s = \operatorname{softmax}(z)$,
    computed with the max shift $s = e^{z - \max z} / \sum_j e^{z_j - \max z}$."""
    e = np.exp(z - np.max(z))
    s = e / np.sum(e)
    return np.diag(s) - np.outer(s, s)


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    K = draw(st.integers(1, 6))
    z = draw(float_arrays(dtype, (K,), bound=1000.0))
    family = draw(st.sampled_from(("any", "offset", "ties")))
    if family == "offset":  # a large common offset: softmax(z + c 1) = softmax(z)
        z = (z / 1000 + dtype.type(draw(st.sampled_from((-1e4, 1e4, 3e4))))).astype(dtype)
    elif family == "ties":  # exact ties, here all entries but one equal
        z = np.full(K, z[0], dtype=dtype)
        z[-1] = dtype.type(draw(st.sampled_from((0.0, 1e3, -1e3))))
    return {"z": z}


def _softmax(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


def _unstable(z):
    s = np.exp(z) / np.sum(np.exp(z))
    return np.diag(s) - np.outer(s, s)


def _plus(z):
    s = _softmax(z)
    return np.diag(s) + np.outer(s, s)


def _no_diag(z):
    s = _softmax(z)
    return -np.outer(s, s)


def _diagonal_only(z):  # the componentwise derivative s(1 - s): forgets ds_k/dz_j, j != k
    s = _softmax(z)
    return np.diag(s * (1 - s))


def _mean_shift(z):  # shifts by the mean: exp(z - mean z) still overflows for a large spread
    e = np.exp(z - np.mean(z))
    s = e / np.sum(e)
    return np.diag(s) - np.outer(s, s)


def _inner(z):
    s = _softmax(z)
    return np.diag(s) - s @ s


EXERCISE = Implement(
    id="ex-ff-softmax-jacobian",
    title="The Jacobian of softmax",
    function="softmax_jacobian",
    parameters=("z",),
    docstring=r"""Jacobian of softmax at one vector z: $J(z)_{kj} = \partial s_k / \partial z_j$
with $s = \mathrm{softmax}(z)$, $s_k = e^{z_k} / \sum_j e^{z_j}$.

Arguments:
    z: shape (K,), float32 or float64; may contain entries of size 1000, ties, and a large
       common offset (compute softmax stably: softmax(z) = softmax(z - max(z))).

Returns:
    J, shape (K, K), dtype of z.
""",
    reference=softmax_jacobian,
    arguments=_arguments(),
    outputs=("J",),
    tolerances={"float64": Tolerance(1e-9, 1e-12), "float32": Tolerance(1e-4, 1e-6)},
    properties=(
        Property("J symmetric", "J = J^T", lambda kw, J: (J, J.T)),
        Property(
            "J 1 = 0",
            "J 1 = 0 (softmax(z + c 1) = softmax(z), so rows sum to 0)",
            lambda kw, J: (J.sum(axis=1), np.zeros(J.shape[0])),
        ),
    ),
    hint=r"""Differentiate s_k = e^{z_k} / S with S = sum_j e^{z_j}: ds_k/dz_j = s_k [k = j] - s_k s_j.
In matrix form J = diag(s) - s s^T (np.diag and np.outer). Compute s with the max shift, which
does not change it (Proposition prop-stable-logsumexp).""",
    diagnoses=(
        Diagnosis(
            "J",
            lambda kw: _plus(kw["z"]),
            "got diag(s) + s s^T: the sign of the outer product is wrong",
        ),
        Diagnosis(
            "J", lambda kw: _no_diag(kw["z"]), "got -s s^T: the diagonal term diag(s) is missing"
        ),
        Diagnosis(
            "J",
            lambda kw: _inner(kw["z"]),
            "got diag(s) - (s^T s): s @ s is the inner product, a scalar; the outer "
            "product s s^T is np.outer(s, s)",
        ),
    ),
    wrong=(
        Wrong(_unstable, "softmax without the max shift overflows", FINITE, "overflow"),
        Wrong(_plus, "diag(s) + s s^T", values(0), "sign of the outer product"),
        Wrong(_no_diag, "forgets diag(s)", values(0), "diagonal term"),
        Wrong(_inner, "s @ s (a scalar) instead of the outer product", values(0), "inner product"),
        Wrong(_diagonal_only, "diag(s (1 - s)) only", holds("J 1 = 0"), "J 1 = 0"),
        Wrong(_mean_shift, "shifts by the mean, not the max", FINITE, "overflow"),
    ),
)
