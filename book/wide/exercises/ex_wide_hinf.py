r"""Exercise ``ex-wide-hinf``: the infinite-width Gram matrix of a two-layer ReLU network."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import DTYPE, FINITE, Implement, Property, Tolerance, Wrong, values
from deepqed.exercises.strategies import dtypes, float_arrays


def h_infinity(X):
    r"""$H^\infty_{ij} = x_i^\top x_j(\pi - \vartheta_{ij})/(2\pi)$, the cosine clipped to
    $[-1, 1]$ and the entry $0$ when $x_i = 0$ or $x_j = 0$ (Proposition prop-wide-hinf)."""
    G = X @ X.T
    d = np.sqrt(np.diag(G))
    N = np.outer(d, d)
    c = np.clip(np.divide(G, N, out=np.zeros_like(G), where=N > 0), -1, 1)
    return G * (np.pi - np.arccos(c)) / (2 * np.pi)


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    n, d = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    X = draw(float_arrays(dtype, (n, d), bound=3.0))
    mode = draw(st.sampled_from(("random", "parallel", "zero")))
    if mode == "parallel" and n > 1:  # cosines of +-1 up to rounding
        X[1] = dtype.type(draw(st.sampled_from((1.0, -1.0, 2.7, -0.3)))) * X[0]
    if mode == "zero":
        X[0] = 0
    return {"X": X}


def _theta_not_complement(X):
    G = X @ X.T
    d = np.sqrt(np.diag(G))
    N = np.outer(d, d)
    c = np.clip(np.divide(G, N, out=np.zeros_like(G), where=N > 0), -1, 1)
    return G * np.arccos(c) / (2 * np.pi)


def _no_inner_product(X):
    G = X @ X.T
    d = np.sqrt(np.diag(G))
    N = np.outer(d, d)
    c = np.clip(np.divide(G, N, out=np.zeros_like(G), where=N > 0), -1, 1)
    return ((np.pi - np.arccos(c)) / (2 * np.pi)).astype(X.dtype)


def _no_clip(X):
    G = X @ X.T
    d = np.sqrt(np.diag(G))
    with np.errstate(invalid="ignore", divide="ignore"):
        return G * (np.pi - np.arccos(G / np.outer(d, d))) / (2 * np.pi)


def _float64(X):
    G = X.astype(np.float64) @ X.T.astype(np.float64)
    d = np.sqrt(np.diag(G))
    N = np.outer(d, d)
    c = np.clip(np.divide(G, N, out=np.zeros_like(G), where=N > 0), -1, 1)
    return G * (np.pi - np.arccos(c)) / (2 * np.pi)


EXERCISE = Implement(
    id="ex-wide-hinf",
    title="The Gram matrix H^infinity",
    function="h_infinity",
    parameters=("X",),
    docstring=r"""The infinite-width Gram matrix of a two-layer ReLU network (Proposition
prop-wide-hinf): H[i, j] = x_i^T x_j (pi - theta_ij) / (2 pi), theta_ij the angle between the rows
x_i and x_j of X, and H[i, j] = 0 when x_i = 0 or x_j = 0. Rows may be equal or opposite: clip
the cosines to [-1, 1].

Arguments:
    X: array of shape (n, d), float32 or float64.

Returns:
    an array of shape (n, n) and the dtype of X.
""",
    reference=h_infinity,
    arguments=_arguments(),
    outputs=("H",),
    tolerances={"float64": Tolerance(1e-7, 1e-7), "float32": Tolerance(1e-3, 5e-3)},
    hint=r"""Compute the Gram matrix G = X X^T, the norms d = sqrt(diag G), the cosines G / (d d^T)
(0 where a norm vanishes), clip them, and use pi - arccos: the probability that two Gaussian
half-spaces both contain w is (pi - theta) / (2 pi).""",
    properties=(Property("symmetric", "H is symmetric", lambda kw, H: (H, H.T)),),
    wrong=(
        Wrong(_theta_not_complement, "theta instead of pi - theta", values(0), ""),
        Wrong(_no_inner_product, "forgets the factor x_i^T x_j", values(0), ""),
        Wrong(_no_clip, "no clip: NaN for parallel rows", FINITE, ""),
        Wrong(_float64, "returns float64 for float32 input", DTYPE, ""),
    ),
)
