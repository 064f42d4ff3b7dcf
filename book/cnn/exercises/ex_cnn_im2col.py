r"""Exercise ``ex-cnn-im2col``: the im2col matrix of one image (Proposition prop-cnn-im2col)."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import Diagnosis, Implement, Property, Tolerance, Wrong, values
from deepqed.exercises.strategies import dtypes, float_arrays


def im2col(x, k, stride, padding):
    r"""$\operatorname{im2col}(x)_{(c,a_1,a_2),(i_1,i_2)} = \tilde x_{c,\,s i_1 + a_1,\,s i_2 + a_2}$,
    rows $(c, a_1, a_2)$ and columns $(i_1, i_2)$ in row-major order; shape
    $(C k^2, n_1' n_2')$ (Proposition prop-cnn-im2col, dilation 1, zero padding)."""
    C, n1, n2 = x.shape
    xp = np.zeros((C, n1 + 2 * padding, n2 + 2 * padding), dtype=x.dtype)
    xp[:, padding : padding + n1, padding : padding + n2] = x
    o1 = (n1 + 2 * padding - k) // stride + 1
    o2 = (n2 + 2 * padding - k) // stride + 1
    cols = np.empty((C, k, k, o1, o2), dtype=x.dtype)
    for a1 in range(k):
        for a2 in range(k):
            cols[:, a1, a2] = xp[
                :,
                a1 : a1 + stride * (o1 - 1) + 1 : stride,
                a2 : a2 + stride * (o2 - 1) + 1 : stride,
            ]
    return cols.reshape(C * k * k, o1 * o2)


def _cols(x, k, stride, padding):
    # the reference, under a private name (the wrong solutions below build on it)
    C, n1, n2 = x.shape
    xp = np.zeros((C, n1 + 2 * padding, n2 + 2 * padding), dtype=x.dtype)
    xp[:, padding : padding + n1, padding : padding + n2] = x
    o1 = (n1 + 2 * padding - k) // stride + 1
    o2 = (n2 + 2 * padding - k) // stride + 1
    cols = np.empty((C, k, k, o1, o2), dtype=x.dtype)
    for a1 in range(k):
        for a2 in range(k):
            cols[:, a1, a2] = xp[
                :,
                a1 : a1 + stride * (o1 - 1) + 1 : stride,
                a2 : a2 + stride * (o2 - 1) + 1 : stride,
            ]
    return cols.reshape(C * k * k, o1 * o2)


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    C = draw(st.integers(1, 3))
    n1, n2 = draw(st.integers(1, 7)), draw(st.integers(1, 7))
    padding = draw(st.integers(0, 2))
    k = draw(st.integers(1, min(n1, n2) + 2 * padding))
    stride = draw(st.integers(1, 3))
    return {
        "x": draw(float_arrays(dtype, (C, n1, n2))),
        "k": k,
        "stride": stride,
        "padding": padding,
    }


def _conv_sides(kw, got):
    """W_2 im2col(x) equals the cross-correlation computed by loops, for W = (1, 2, ..., C k^2)."""
    x, k, s, p = kw["x"].astype(np.float64), kw["k"], kw["stride"], kw["padding"]
    C, n1, n2 = x.shape
    w = np.arange(1, C * k * k + 1, dtype=np.float64)
    xp = np.pad(x, ((0, 0), (p, p), (p, p)))
    o1, o2 = (n1 + 2 * p - k) // s + 1, (n2 + 2 * p - k) // s + 1
    ref = np.array(
        [
            [
                np.sum(w.reshape(C, k, k) * xp[:, s * i : s * i + k, s * j : s * j + k])
                for j in range(o2)
            ]
            for i in range(o1)
        ]
    ).ravel()
    return w @ np.asarray(got, dtype=np.float64), ref


def _transposed_layout(x, k, stride, padding):  # rows (a1, a2, c) instead of (c, a1, a2)
    C = x.shape[0]
    cols = _cols(x, k, stride, padding)
    return cols.reshape(C, k * k, -1).transpose(1, 0, 2).reshape(C * k * k, -1)


def _columns_transposed(x, k, stride, padding):  # columns (i2, i1)
    C, n1, n2 = x.shape
    o1 = (n1 + 2 * padding - k) // stride + 1
    o2 = (n2 + 2 * padding - k) // stride + 1
    return _cols(x, k, stride, padding).reshape(-1, o1, o2).transpose(0, 2, 1).reshape(-1, o1 * o2)


def _stride_on_offsets(x, k, stride, padding):  # reads xp[c, i + s a] instead of xp[c, s i + a]
    C, n1, n2 = x.shape
    xp = np.pad(x, ((0, 0), (padding, padding), (padding, padding)))
    o1 = (n1 + 2 * padding - k) // stride + 1
    o2 = (n2 + 2 * padding - k) // stride + 1
    big = np.pad(xp, ((0, 0), (0, stride * k), (0, stride * k)))
    cols = np.empty((C, k, k, o1, o2), dtype=x.dtype)
    for a1 in range(k):
        for a2 in range(k):
            cols[:, a1, a2] = big[:, stride * a1 : stride * a1 + o1, stride * a2 : stride * a2 + o2]
    return cols.reshape(C * k * k, o1 * o2)


def _no_padding(x, k, stride, padding):
    C, n1, n2 = x.shape
    xp = np.zeros((C, n1 + 2 * padding, n2 + 2 * padding), dtype=x.dtype)
    xp[:, :n1, :n2] = x  # zeros after the image only
    return _cols(xp, k, stride, 0)


EXERCISE = Implement(
    id="ex-cnn-im2col",
    title="im2col",
    function="im2col",
    parameters=("x", "k", "stride", "padding"),
    docstring=r"""The im2col matrix of one image (Proposition prop-cnn-im2col; square kernel, dilation 1,
zero padding): entry ((c, a1, a2), (i1, i2)) is xp[c, stride*i1 + a1, stride*i2 + a2], where xp is x
zero-padded by `padding` on all four sides; rows ordered (c, a1, a2) and columns (i1, i2), both
row-major.

Arguments:
    x: shape (C, n_1, n_2).
    k: kernel side, int >= 1, k <= min(n_1, n_2) + 2*padding.
    stride: int >= 1.
    padding: int >= 0.

Returns:
    cols: shape (C*k*k, n_1' * n_2') with n_r' = (n_r + 2*padding - k) // stride + 1; dtype of x.
""",
    reference=im2col,
    arguments=_arguments(),
    outputs=("cols",),
    tolerances={"float64": Tolerance(1e-12, 1e-12), "float32": Tolerance(1e-5, 1e-5)},
    properties=(
        Property(
            "factorisation",
            "W_2 im2col(x) is the cross-correlation with W (W = 1, 2, ..., C k^2)",
            _conv_sides,
        ),
    ),
    hint=r"""Pad first. For each kernel offset (a1, a2), the entries read by all output positions form
the strided slice xp[:, a1 : a1 + s(n_1'-1) + 1 : s, a2 : a2 + s(n_2'-1) + 1 : s] of shape
(C, n_1', n_2'). Store it at [:, a1, a2] of an array of shape (C, k, k, n_1', n_2') and reshape.""",
    diagnoses=(
        Diagnosis(
            "cols",
            lambda kw: _transposed_layout(**kw),
            "rows are ordered (a1, a2, c); they must be ordered (c, a1, a2) to match "
            "W.reshape(C_out, -1)",
        ),
    ),
    wrong=(
        Wrong(_transposed_layout, "rows ordered (a1, a2, c)", values(0), "(c, a1, a2)"),
        Wrong(_columns_transposed, "columns ordered (i2, i1)", values(0)),
        Wrong(_no_padding, "pads on one side only", values(0)),
        Wrong(_stride_on_offsets, "strides the kernel offsets", values(0)),
    ),
)
