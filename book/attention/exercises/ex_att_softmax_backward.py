r"""Exercise ``ex-att-softmax-backward``: the row-wise softmax Jacobian applied to dP."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import Diagnosis, Implement, Property, Tolerance, Wrong, values
from deepqed.exercises.strategies import dtypes, float_arrays


def softmax_backward(P, dP):
    r"""$dS = P\odot(dP - r\mathbf 1^\top)$, $r = (dP\odot P)\mathbf 1$ (Lemma
    lem-att-softmax-backward)."""
    return P * (dP - np.sum(dP * P, axis=1, keepdims=True))


def _softmax(S):
    E = np.exp(S - np.max(S, axis=1, keepdims=True))
    return E / np.sum(E, axis=1, keepdims=True)


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    m, K = draw(st.integers(1, 4)), draw(st.integers(1, 6))
    family = draw(st.sampled_from(("moderate", "saturated", "ties")))
    bound = {"moderate": 5.0, "saturated": 1000.0, "ties": 0.0}[family]
    S = draw(float_arrays(dtype, (m, K), bound=bound))  # saturated: one-hot rows; ties: uniform
    return {"P": _softmax(S).astype(dtype), "dP": draw(float_arrays(dtype, (m, K)))}


def _unweighted(P, dP):
    return P * (dP - np.sum(dP, axis=1, keepdims=True))


def _axis0(P, dP):
    return P * (dP - np.sum(dP * P, axis=0, keepdims=True))


def _diag_only(P, dP):
    return P * dP


def _row_sum_without_keepdims(P, dP):
    """The P-weighted row sums as a vector (m,), broadcast along the wrong axis."""
    return P * (dP - np.sum(dP * P, axis=1))


def _plus(P, dP):
    return P * (dP + np.sum(dP * P, axis=1, keepdims=True))


EXERCISE = Implement(
    id="ex-att-softmax-backward",
    title="The row-wise softmax backward",
    function="softmax_backward",
    parameters=("P", "dP"),
    docstring=r"""Given P = softmax(S) (rows) and the upstream gradient dP, return the gradient with
respect to S (Lemma lem-att-softmax-backward): row i is J(s_i) dP_i with
J(s) = diag(s) - s s^T, computed without forming J.

Arguments:
    P: shape (m, K), each row a softmax output (rows may be one-hot, or uniform); dP: shape
       (m, K); same dtype.

Returns:
    dS, shape (m, K), dtype of P.
""",
    reference=softmax_backward,
    arguments=_arguments(),
    outputs=("dS",),
    tolerances={"float64": Tolerance(1e-9, 1e-12), "float32": Tolerance(1e-4, 1e-6)},
    properties=(
        Property(
            "rows sum to 0",
            "dS 1 = 0 (J(s) is symmetric and J(s) 1 = 0), relative to max(1, max |dP|)",
            lambda kw, dS: (
                dS.sum(axis=1) / max(1.0, float(np.max(np.abs(kw["dP"])))),
                np.zeros(dS.shape[0]),
            ),
        ),
    ),
    hint=r"""Row i of dS is s * g - s (s . g) with s, g the rows of P, dP: an entrywise product and a
P-weighted row sum (np.sum(..., axis=1, keepdims=True)).""",
    diagnoses=(
        Diagnosis(
            "dS",
            lambda kw: _unweighted(kw["P"], kw["dP"]),
            "got P * (dP - rowsum(dP)): the row sum must be weighted by P",
        ),
        Diagnosis(
            "dS",
            lambda kw: _axis0(kw["P"], kw["dP"]),
            "the weighted sum was taken over axis 0 (the rows); it runs along each row",
        ),
        Diagnosis(
            "dS",
            lambda kw: _diag_only(kw["P"], kw["dP"]),
            "got P * dP: only diag(s) of J(s) = diag(s) - s s^T",
        ),
    ),
    wrong=(
        Wrong(_unweighted, "unweighted row sum", values(0), "weighted by P"),
        Wrong(_axis0, "sums over the wrong axis", values(0), "axis 0"),
        Wrong(_diag_only, "only the diagonal of J", values(0), "diag(s)"),
        Wrong(_plus, "sign of the outer-product term", values(0)),
        Wrong(_row_sum_without_keepdims, "row sums broadcast along the wrong axis", values(0)),
    ),
)
