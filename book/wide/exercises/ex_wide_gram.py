r"""Exercise ``ex-wide-gram``: the tangent kernel of a two-layer ReLU network's first layer."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import Implement, Property, Tolerance, Wrong, values
from deepqed.exercises.strategies import float_arrays


def two_layer_gram(X, W, a):
    r"""$H(W)_{ij} = \frac1m x_i^\top x_j\sum_ra_r^2\mathbf 1\{w_r^\top x_i > 0, w_r^\top x_j > 0\}$
    (Lemma lem-wide-two-layer-kernel, $\gamma = \frac12$)."""
    S = (X @ W.T > 0).astype(X.dtype)
    return (X @ X.T) * ((S * (a * a)) @ S.T) / W.shape[0]


@st.composite
def _arguments(draw):
    f64 = np.dtype(np.float64)
    n, d, m = draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(1, 6))
    X = draw(float_arrays(f64, (n, d), bound=3.0))
    W = draw(float_arrays(f64, (m, d), bound=3.0))
    a = draw(float_arrays(f64, (m,), bound=2.0))
    if draw(st.booleans()):
        a = np.full(m, 2.0)  # |a_r| != 1 separates a_r^2 from 1
    return {"X": X, "W": W, "a": a}


def _no_mean(X, W, a):
    S = (X @ W.T > 0).astype(X.dtype)
    return (X @ X.T) * ((S * (a * a)) @ S.T)


def _a_not_squared(X, W, a):
    S = (X @ W.T > 0).astype(X.dtype)
    return (X @ X.T) * ((S * a) @ S.T) / W.shape[0]


def _no_inner_product(X, W, a):
    S = (X @ W.T > 0).astype(X.dtype)
    return ((S * (a * a)) @ S.T) / W.shape[0]


def _sqrt_m(X, W, a):
    S = (X @ W.T > 0).astype(X.dtype)
    return (X @ X.T) * ((S * (a * a)) @ S.T) / np.sqrt(W.shape[0])


EXERCISE = Implement(
    id="ex-wide-gram",
    title="The Gram matrix H(W)",
    function="two_layer_gram",
    parameters=("X", "W", "a"),
    docstring=r"""The tangent kernel of the first layer of f(x; W) = m^{-1/2} sum_r a_r relu(w_r^T x)
(Lemma lem-wide-two-layer-kernel): H[i, j] = (1/m) x_i^T x_j sum_r a_r^2 [w_r^T x_i > 0][w_r^T x_j > 0].

Arguments:
    X: array of shape (n, d), float64 (inputs as rows).
    W: array of shape (m, d), float64 (first-layer weights as rows).
    a: array of shape (m,), float64 (output weights).

Returns:
    an array of shape (n, n), float64.
""",
    reference=two_layer_gram,
    arguments=_arguments(),
    outputs=("H",),
    tolerances={"float64": Tolerance(1e-12, 1e-12)},
    hint=r"""Form the activation pattern S[i, r] = [w_r^T x_i > 0] (shape (n, m)); then
S diag(a^2) S^T counts the neurons active on both inputs, weighted by a_r^2. Multiply entrywise by
X X^T and divide by m (the square of the scaling m^{-1/2}).""",
    properties=(Property("symmetric", "H is symmetric", lambda kw, H: (H, H.T)),),
    wrong=(
        Wrong(_no_mean, "forgets the factor 1/m", values(0), ""),
        Wrong(_a_not_squared, "a_r instead of a_r^2", values(0), ""),
        Wrong(_no_inner_product, "forgets x_i^T x_j", values(0), ""),
        Wrong(_sqrt_m, "divides by sqrt(m) instead of m", values(0), ""),
    ),
)
