r"""Exercise ``ex-cnn-maxpool-backward``: the backward rule of max pooling with the first-maximiser
tie convention (Proposition prop-cnn-maxpool-derivative)."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from deepqed.exercises.spec import Diagnosis, Implement, Property, Tolerance, Wrong, holds, values
from deepqed.exercises.strategies import dtypes, float_arrays


def maxpool_backward(x, g, k):
    r"""$\mathrm dx_{c,u} = g_{c,i}$ if $u = \pi_{c,i}(x)$, the first maximiser (row-major) of the
    window $\Omega_i$, and $0$ otherwise (non-overlapping $k\times k$ windows)."""
    C, n1, n2 = x.shape
    o1, o2 = n1 // k, n2 // k
    w = x[:, : o1 * k, : o2 * k].reshape(C, o1, k, o2, k).transpose(0, 1, 3, 2, 4)
    idx = np.argmax(w.reshape(C, o1, o2, k * k), axis=-1)  # first maximiser
    d = np.zeros((C, o1, o2, k * k), dtype=g.dtype)
    np.put_along_axis(d, idx[..., None], g[..., None], axis=-1)
    dx = np.zeros(x.shape, dtype=g.dtype)
    dx[:, : o1 * k, : o2 * k] = (
        d.reshape(C, o1, o2, k, k).transpose(0, 1, 3, 2, 4).reshape(C, o1 * k, o2 * k)
    )
    return dx


def _route(x, g, k):
    # the reference, under a private name (the wrong solutions below build on it)
    C, n1, n2 = x.shape
    o1, o2 = n1 // k, n2 // k
    w = x[:, : o1 * k, : o2 * k].reshape(C, o1, k, o2, k).transpose(0, 1, 3, 2, 4)
    idx = np.argmax(w.reshape(C, o1, o2, k * k), axis=-1)  # first maximiser
    d = np.zeros((C, o1, o2, k * k), dtype=g.dtype)
    np.put_along_axis(d, idx[..., None], g[..., None], axis=-1)
    dx = np.zeros(x.shape, dtype=g.dtype)
    dx[:, : o1 * k, : o2 * k] = (
        d.reshape(C, o1, o2, k, k).transpose(0, 1, 3, 2, 4).reshape(C, o1 * k, o2 * k)
    )
    return dx


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    C, k = draw(st.integers(1, 2)), draw(st.integers(1, 3))
    # at most two windows and a remainder per axis: a failing input shrinks in few steps
    n1, n2 = draw(st.integers(k, 2 * k + 1)), draw(st.integers(k, 2 * k + 1))
    # small integers: ties are frequent, so the convention is tested; some windows entirely
    # negative (the maximum is the entry nearest 0, not the largest magnitude)
    low = draw(st.sampled_from((0, -3)))
    x = draw(hnp.arrays(np.dtype(dtype), (C, n1, n2), elements=st.integers(low, 2).map(float)))
    return {"x": x, "g": draw(float_arrays(dtype, (C, n1 // k, n2 // k))), "k": k}


def _sum_sides(kw, got):
    """Each window's g is routed to exactly one pixel: the window sums of dx equal g."""
    g, k = kw["g"], kw["k"]
    C, o1, o2 = g.shape
    d = np.asarray(got, dtype=np.float64)[:, : o1 * k, : o2 * k]
    return d.reshape(C, o1, k, o2, k).sum(axis=(2, 4)), g.astype(np.float64)


def _split_ties(x, g, k):  # shares g equally among tied maximisers
    C, n1, n2 = x.shape
    o1, o2 = n1 // k, n2 // k
    w = x[:, : o1 * k, : o2 * k].reshape(C, o1, k, o2, k)
    mx = w.max(axis=(2, 4), keepdims=True)
    mask = (w == mx).astype(g.dtype)
    share = mask / mask.sum(axis=(2, 4), keepdims=True)
    dx = np.zeros(x.shape, dtype=g.dtype)
    dx[:, : o1 * k, : o2 * k] = (share * g[:, :, None, :, None]).reshape(C, o1 * k, o2 * k)
    return dx


def _to_all_maxima(x, g, k):  # every tied maximiser gets the whole g
    C, n1, n2 = x.shape
    o1, o2 = n1 // k, n2 // k
    w = x[:, : o1 * k, : o2 * k].reshape(C, o1, k, o2, k)
    mask = (w == w.max(axis=(2, 4), keepdims=True)).astype(g.dtype)
    dx = np.zeros(x.shape, dtype=g.dtype)
    dx[:, : o1 * k, : o2 * k] = (mask * g[:, :, None, :, None]).reshape(C, o1 * k, o2 * k)
    return dx


def _largest_magnitude(x, g, k):  # routes to the entry of largest |x|
    return _route(np.abs(x), g, k)


def _column_major(x, g, k):  # first maximiser in column-major order
    return np.swapaxes(_route(np.swapaxes(x, 1, 2), np.swapaxes(g, 1, 2), k), 1, 2)


EXERCISE = Implement(
    id="ex-cnn-maxpool-backward",
    title="Max-pooling backward with its tie convention",
    function="maxpool_backward",
    parameters=("x", "g", "k"),
    docstring=r"""Gradient with respect to x of a scalar L through non-overlapping k x k max pooling
(stride k, no padding), given g = dL/d maxpool(x): each g[c, i1, i2] goes to the first maximiser,
in row-major order, of its window x[c, k*i1 : k*i1 + k, k*i2 : k*i2 + k]; every other entry of dx is
0 (Proposition prop-cnn-maxpool-derivative). Rows and columns that fill no window get 0.

Arguments:
    x: shape (C, n_1, n_2).
    g: shape (C, n_1 // k, n_2 // k), same dtype as x.
    k: window side, int >= 1.

Returns:
    dx: shape (C, n_1, n_2); dtype of g.
""",
    reference=maxpool_backward,
    arguments=_arguments(),
    outputs=("dx",),
    tolerances={"float64": Tolerance(1e-12, 1e-12), "float32": Tolerance(1e-5, 1e-5)},
    properties=(
        Property("one pixel per window", "the sum of dx over each window equals g", _sum_sides),
    ),
    hint=r"""Crop to (C, k n_1', k n_2'), reshape to (C, n_1', k, n_2', k), move the two window axes
last and flatten them to k*k entries: np.argmax on that axis returns the first maximum in row-major
order. Put g there (np.put_along_axis) in a zero array and undo the reshapes.""",
    diagnoses=(
        Diagnosis(
            "dx",
            lambda kw: _split_ties(**kw),
            "the gradient is shared among tied maxima; the convention routes all of g to "
            "the first maximiser in row-major order",
        ),
        Diagnosis(
            "dx",
            lambda kw: _to_all_maxima(**kw),
            "every tied maximum received g; only the first maximiser (row-major) does",
        ),
        Diagnosis(
            "dx",
            lambda kw: _column_major(**kw),
            "ties are broken in column-major order; the convention is row-major",
        ),
    ),
    wrong=(
        Wrong(_split_ties, "shares g among tied maxima", values(0), "first maximiser"),
        Wrong(_to_all_maxima, "sends g to every tied maximum", holds("one pixel per window")),
        Wrong(_column_major, "breaks ties in column-major order", values(0), "row-major"),
        Wrong(_largest_magnitude, "routes to the largest |x|", values(0)),
    ),
)
