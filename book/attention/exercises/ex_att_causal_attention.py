r"""Exercise ``ex-att-causal-attention``: scaled dot-product attention with the causal mask."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import (
    DTYPE,
    FINITE,
    Diagnosis,
    Implement,
    Property,
    Tolerance,
    Wrong,
    values,
)
from deepqed.exercises.strategies import dtypes, float_arrays


def causal_attention(Q, K, V):
    r"""$\operatorname{softmax}(QK^\top/\sqrt{d_k} + M)V$ with $M_{ij} = -\infty$ for $j > i$
    (Definition def-att-sdpa), each row shifted by its maximum before exponentiating."""
    n, d_k = Q.shape
    S = (Q @ K.T) / d_k**0.5
    S = np.where(np.tri(n, dtype=bool), S, -np.inf)
    E = np.exp(S - np.max(S, axis=1, keepdims=True))
    return (E / np.sum(E, axis=1, keepdims=True)) @ V


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    n, d_k, d_v = draw(st.integers(1, 5)), draw(st.integers(1, 4)), draw(st.integers(1, 3))
    bound = draw(st.sampled_from([2.0, 30.0]))  # moderate scores, or scores in the thousands
    K = draw(float_arrays(dtype, (n, d_k), bound=bound))
    Q = draw(float_arrays(dtype, (n, d_k), bound=bound))
    # rows whose maxima differ by thousands: Q_i = +-K_i, so that S_ii = +-|k_i|^2 / sqrt(d_k)
    signs = draw(st.sampled_from((None, (1.0, -1.0), (-1.0, 1.0))))
    if signs is not None:
        Q = (np.resize(np.array(signs), (n, 1)) * K).astype(dtype)
    return {"Q": Q, "K": K, "V": draw(float_arrays(dtype, (n, d_v)))}


def _weights(Q, K, keep):
    S = (Q @ K.T) / Q.shape[1] ** 0.5
    S = np.where(keep, S, -np.inf)
    E = np.exp(S - np.max(S, axis=1, keepdims=True))
    return E / np.sum(E, axis=1, keepdims=True)


def _no_mask(Q, K, V):
    return _weights(Q, K, np.ones((Q.shape[0], K.shape[0]), dtype=bool)) @ V


def _unstable(Q, K, V):
    n, d_k = Q.shape
    E = np.exp((Q @ K.T) / d_k**0.5) * np.tri(n, dtype=Q.dtype)
    return (E / np.sum(E, axis=1, keepdims=True)) @ V


def _no_scale(Q, K, V):
    n = Q.shape[0]
    S = np.where(np.tri(n, dtype=bool), Q @ K.T, -np.inf)
    E = np.exp(S - np.max(S, axis=1, keepdims=True))
    return (E / np.sum(E, axis=1, keepdims=True)) @ V


def _global_shift(Q, K, V):
    """Subtracts the largest score of the whole matrix instead of each row's: rows whose scores lie
    far below it underflow to 0 / 0."""
    n, d_k = Q.shape
    S = np.where(np.tri(n, dtype=bool), (Q @ K.T) / d_k**0.5, -np.inf)
    E = np.exp(S - np.max(S))
    return (E / np.sum(E, axis=1, keepdims=True)) @ V


def _float64_scale(Q, K, V):
    """Divides by np.sqrt(d_k), a float64 scalar: float32 inputs give a float64 result."""
    n, d_k = Q.shape
    S = np.where(np.tri(n, dtype=bool), (Q @ K.T) / np.sqrt(np.float64(d_k)), -np.inf)
    E = np.exp(S - np.max(S, axis=1, keepdims=True))
    return (E / np.sum(E, axis=1, keepdims=True)) @ V


def _upper(Q, K, V):
    return _weights(Q, K, np.tri(Q.shape[0], dtype=bool).T) @ V


EXERCISE = Implement(
    id="ex-att-causal-attention",
    title="Causal attention, stably",
    function="causal_attention",
    parameters=("Q", "K", "V"),
    docstring=r"""Scaled dot-product attention with the causal mask (Definition def-att-sdpa):
$O = \mathrm{softmax}(Q K^\top / \sqrt{d_k} + M) V$ with $M_{ij} = 0$ for $j \le i$ and
$-\infty$ for $j > i$, softmax taken row by row.

Arguments:
    Q: shape (n, d_k); K: shape (n, d_k); V: shape (n, d_v); all float32 or all float64.
       Entries of Q and K may be of size 30, so scores reach thousands, and the maxima of
       different rows may differ by thousands: compute the softmax stably (subtract each row's
       own maximum).

Returns:
    O, shape (n, d_v), dtype of Q.
""",
    reference=causal_attention,
    arguments=_arguments(),
    outputs=("O",),
    tolerances={"float64": Tolerance(1e-8, 1e-8), "float32": Tolerance(1e-2, 1e-2)},
    properties=(
        Property(
            "first row",
            "O[0] = V[0] (query 1 may only attend to key 1)",
            lambda kw, O: (O[0], kw["V"][0]),
        ),
    ),
    hint=r"""S = Q K^T / sqrt(d_k); put -inf where j > i (np.tri gives the lower triangle); subtract
each row's maximum (finite: j = i is never masked); exponentiate (exp(-inf) = 0); normalise the
rows; multiply by V. Use d_k ** 0.5 (a Python float) so that float32 stays float32.""",
    diagnoses=(
        Diagnosis(
            "O",
            lambda kw: _no_mask(kw["Q"], kw["K"], kw["V"]),
            "got attention without mask: the keys j > i must get weight 0",
        ),
        Diagnosis(
            "O",
            lambda kw: _no_scale(kw["Q"], kw["K"], kw["V"]),
            "got attention without the factor 1/sqrt(d_k) on the scores",
        ),
        Diagnosis(
            "O",
            lambda kw: _upper(kw["Q"], kw["K"], kw["V"]),
            "got the mask transposed: query i attends to keys j >= i instead of j <= i",
        ),
    ),
    wrong=(
        Wrong(_unstable, "exponentiates without the max shift", FINITE, "overflow"),
        Wrong(_no_mask, "forgets the mask", values(0), "without mask"),
        Wrong(_no_scale, "forgets 1/sqrt(d_k)", values(0), "1/sqrt(d_k)"),
        Wrong(_upper, "transposed mask", values(0), "transposed"),
        Wrong(_global_shift, "subtracts the global maximum, not each row's", FINITE, ""),
        Wrong(_float64_scale, "float64 scale factor", DTYPE, ""),
    ),
)
