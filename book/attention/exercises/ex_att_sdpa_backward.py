r"""Exercise ``ex-att-sdpa-backward``: dQ, dK, dV of scaled dot-product attention."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import FINITE, Diagnosis, Implement, Tolerance, Wrong, values
from deepqed.exercises.strategies import dtypes, float_arrays


def attention_backward(Q, K, V, dO):
    r"""Theorem thm-att-sdpa-backward without mask: $dV = P^\top dO$, $dP = dO\,V^\top$,
    $dS = P\odot(dP - \mathrm{rowsum}(dP\odot P))$, $dQ = dS\,K/\sqrt{d_k}$,
    $dK = dS^\top Q/\sqrt{d_k}$."""
    c = 1 / Q.shape[1] ** 0.5
    S = (Q @ K.T) * c
    E = np.exp(S - np.max(S, axis=1, keepdims=True))
    P = E / np.sum(E, axis=1, keepdims=True)
    dV = P.T @ dO
    dP = dO @ V.T
    dS = P * (dP - np.sum(dP * P, axis=1, keepdims=True))
    return (dS @ K) * c, (dS.T @ Q) * c, dV


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    n_q, n_k = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    d_k, d_v = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    Q = draw(float_arrays(dtype, (n_q, d_k), bound=3.0))
    K = draw(float_arrays(dtype, (n_k, d_k), bound=3.0))
    if dtype == np.float64 and draw(st.booleans()):
        # scores of at least 900: entries +-30 and keys equal to queries (exp overflows at 709.8)
        Q = np.where(Q >= 0, 30.0, -30.0)
        K = Q[np.arange(n_k) % n_q].copy()
    return {
        "Q": Q,
        "K": K,
        "V": draw(float_arrays(dtype, (n_k, d_v))),
        "dO": draw(float_arrays(dtype, (n_q, d_v))),
    }


def _no_scale(Q, K, V, dO):
    S = (Q @ K.T) / Q.shape[1] ** 0.5
    E = np.exp(S - np.max(S, axis=1, keepdims=True))
    P = E / np.sum(E, axis=1, keepdims=True)
    dP = dO @ V.T
    dS = P * (dP - np.sum(dP * P, axis=1, keepdims=True))
    return dS @ K, dS.T @ Q, P.T @ dO


def _no_softmax_jacobian(Q, K, V, dO):
    c = 1 / Q.shape[1] ** 0.5
    S = (Q @ K.T) * c
    E = np.exp(S - np.max(S, axis=1, keepdims=True))
    P = E / np.sum(E, axis=1, keepdims=True)
    dS = dO @ V.T
    return (dS @ K) * c, (dS.T @ Q) * c, P.T @ dO


def _dK_from_dP(Q, K, V, dO):
    c = 1 / Q.shape[1] ** 0.5
    S = (Q @ K.T) * c
    E = np.exp(S - np.max(S, axis=1, keepdims=True))
    P = E / np.sum(E, axis=1, keepdims=True)
    dP = dO @ V.T
    dS = P * (dP - np.sum(dP * P, axis=1, keepdims=True))
    return (dS @ K) * c, (dP.T @ Q) * c, P.T @ dO


def _unstable(Q, K, V, dO):
    """exp of the scores without subtracting the row maxima: inf / inf for large scores."""
    c = 1 / Q.shape[1] ** 0.5
    E = np.exp((Q @ K.T) * c)
    P = E / np.sum(E, axis=1, keepdims=True)
    dP = dO @ V.T
    dS = P * (dP - np.sum(dP * P, axis=1, keepdims=True))
    return (dS @ K) * c, (dS.T @ Q) * c, P.T @ dO


EXERCISE = Implement(
    id="ex-att-sdpa-backward",
    title="The backward rule of attention",
    function="attention_backward",
    parameters=("Q", "K", "V", "dO"),
    docstring=r"""Gradients of a scalar f(O) for O = softmax(Q K^T / sqrt(d_k)) V (no mask; softmax by
rows), given dO = grad f(O) (Theorem thm-att-sdpa-backward).

Arguments:
    Q: shape (n_q, d_k); K: shape (n_k, d_k); V: shape (n_k, d_v); dO: shape (n_q, d_v);
       all float32 or all float64. Entries of Q and K may be of size 30 (scores in the
       thousands, beyond exp's overflow threshold): compute P stably.

Returns:
    (dQ, dK, dV) with the shapes of Q, K, V, dtype of Q.
""",
    reference=attention_backward,
    arguments=_arguments(),
    outputs=("dQ", "dK", "dV"),
    tolerances={"float64": Tolerance(1e-8, 1e-10), "float32": Tolerance(1e-3, 1e-4)},
    hint=r"""Recompute P. Then dV = P^T dO and dP = dO V^T (the product O = P V), dS by the row-wise
softmax backward P * (dP - rowsum(dP * P)), and the product S = Q K^T / sqrt(d_k):
dQ = dS K / sqrt(d_k), dK = dS^T Q / sqrt(d_k).""",
    diagnoses=(
        Diagnosis(
            "dQ",
            lambda kw: _no_scale(**kw)[0],
            "dQ is missing the factor 1/sqrt(d_k) of the scores",
        ),
        Diagnosis(
            "dK",
            lambda kw: _dK_from_dP(**kw)[1],
            "dK was computed from dP = dO V^T instead of dS (the softmax backward)",
        ),
        Diagnosis(
            "dK",
            lambda kw: _no_scale(**kw)[1],
            "dK is missing the factor 1/sqrt(d_k) of the scores",
        ),
        Diagnosis(
            "dQ",
            lambda kw: _no_softmax_jacobian(**kw)[0],
            "dQ skips the softmax backward: dS is not dO V^T but P * (dP - rowsum(dP * P))",
        ),
    ),
    wrong=(
        Wrong(_no_scale, "forgets 1/sqrt(d_k)", values(0), "1/sqrt(d_k)"),
        Wrong(_no_softmax_jacobian, "skips the softmax Jacobian", values(0), "softmax backward"),
        Wrong(_dK_from_dP, "dK from dP instead of dS", values(1)),
        Wrong(_unstable, "softmax without the max shift", FINITE),
    ),
)
