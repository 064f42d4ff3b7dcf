r"""Exercise ``ex-init-nngp-relu``: the NNGP kernel of a ReLU network."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import FINITE, Implement, Property, Tolerance, Wrong, values
from deepqed.exercises.strategies import float_arrays


def nngp_relu(X, depth, c_w, c_b):
    r"""$K^1 = c_b + c_wXX^\top/n_0$, then ``depth - 1`` times
    $K\leftarrow c_b + \frac{c_w}{2\pi}dd^\top(\sin\theta + (\pi - \theta)\cos\theta)$ with
    $d = \sqrt{\operatorname{diag}K}$ and $\cos\theta = K/(dd^\top)$ clipped to $[-1, 1]$
    (Proposition prop-init-relu-nngp)."""
    K = c_b + c_w * (X @ X.T) / X.shape[1]
    for _ in range(depth - 1):
        d = np.sqrt(np.maximum(np.diag(K), 0))
        N = np.outer(d, d)
        c = np.clip(np.divide(K, N, out=np.zeros_like(K), where=N > 0), -1, 1)
        t = np.arccos(c)
        K = c_b + c_w / (2 * np.pi) * N * (np.sin(t) + (np.pi - t) * c)
    return K


@st.composite
def _arguments(draw):
    m, n0 = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    X = draw(float_arrays(np.dtype(np.float64), (m, n0), bound=3.0))
    mode = draw(st.sampled_from(("random", "parallel", "zero")))
    if mode == "parallel" and m > 1:  # cos(theta) = +-1 up to rounding
        X[1] = draw(st.sampled_from((1.0, -1.0, 2.7, -0.3))) * X[0]
    if mode == "zero":
        X[0] = 0
    return {
        "X": X,
        "depth": draw(st.integers(1, 5)),
        "c_w": draw(st.sampled_from((1.0, 2.0, 2.5))),
        "c_b": draw(st.sampled_from((0.0, 0.1))),
    }


def _no_bias_in_recursion(X, depth, c_w, c_b):
    K = c_b + c_w * (X @ X.T) / X.shape[1]
    for _ in range(depth - 1):
        d = np.sqrt(np.maximum(np.diag(K), 0))
        N = np.outer(d, d)
        c = np.clip(np.divide(K, N, out=np.zeros_like(K), where=N > 0), -1, 1)
        t = np.arccos(c)
        K = c_w / (2 * np.pi) * N * (np.sin(t) + (np.pi - t) * c)
    return K


def _no_clip(X, depth, c_w, c_b):
    K = c_b + c_w * (X @ X.T) / X.shape[1]
    for _ in range(depth - 1):
        d = np.sqrt(np.diag(K))
        N = np.outer(d, d)
        with np.errstate(invalid="ignore", divide="ignore"):
            c = K / N
            t = np.arccos(c)
        K = c_b + c_w / (2 * np.pi) * N * (np.sin(t) + (np.pi - t) * c)
    return K


def _one_step_too_many(X, depth, c_w, c_b):
    K = c_b + c_w * (X @ X.T) / X.shape[1]
    for _ in range(depth):
        d = np.sqrt(np.maximum(np.diag(K), 0))
        N = np.outer(d, d)
        c = np.clip(np.divide(K, N, out=np.zeros_like(K), where=N > 0), -1, 1)
        t = np.arccos(c)
        K = c_b + c_w / (2 * np.pi) * N * (np.sin(t) + (np.pi - t) * c)
    return K


def _no_input_scaling(X, depth, c_w, c_b):
    K = c_b + c_w * (X @ X.T)
    for _ in range(depth - 1):
        d = np.sqrt(np.maximum(np.diag(K), 0))
        N = np.outer(d, d)
        c = np.clip(np.divide(K, N, out=np.zeros_like(K), where=N > 0), -1, 1)
        t = np.arccos(c)
        K = c_b + c_w / (2 * np.pi) * N * (np.sin(t) + (np.pi - t) * c)
    return K


EXERCISE = Implement(
    id="ex-init-nngp-relu",
    title="The NNGP kernel of a ReLU network",
    function="nngp_relu",
    parameters=("X", "depth", "c_w", "c_b"),
    docstring=r"""The NNGP kernel K^depth(X) of a ReLU network (Definition def-init-nngp-kernel,
Proposition prop-init-relu-nngp): K^1 = c_b + c_w X X^T / n_0 and
K^{l+1}(x, x') = c_b + c_w E[relu(u) relu(v)], (u, v) ~ N(0, K^l on {x, x'}).

Arguments:
    X: shape (m, n_0), float64; rows may be parallel, equal or zero.
    depth: an integer >= 1.
    c_w: a float > 0; c_b: a float >= 0.

Returns:
    K of shape (m, m), float64.
""",
    reference=nngp_relu,
    arguments=_arguments(),
    outputs=("K",),
    tolerances={"float64": Tolerance(1e-9, 1e-12)},
    hint=r"""Each step is chapter 5's arc-cosine kernel (Proposition prop-arccos-kernel) applied to vectors
whose Gram matrix is K: it needs only the norms d_i = sqrt(K_ii) and the cosines K_ii'/(d_i d_i').
Clip the cosines (rounding) and treat zero norms separately.""",
    properties=(Property("symmetric", "K is symmetric", lambda kw, K: (K, K.T)),),
    wrong=(
        Wrong(_no_bias_in_recursion, "drops c_b after the first layer", values(0), ""),
        Wrong(_no_clip, "no clip of the cosine, no care for zero rows", FINITE, ""),
        Wrong(_one_step_too_many, "depth steps instead of depth - 1", values(0), ""),
        Wrong(_no_input_scaling, "forgets the 1/n_0 of the first layer", values(0), ""),
    ),
)
