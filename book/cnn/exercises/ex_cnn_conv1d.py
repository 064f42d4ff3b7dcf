r"""Exercise ``ex-cnn-conv1d``: one-dimensional multi-channel cross-correlation with stride and
zero padding."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import OUTPUT_SHAPE, Diagnosis, Implement, Tolerance, Wrong, values
from deepqed.exercises.strategies import dtypes, float_arrays


def conv1d(x, w, stride, padding):
    r"""$z_{o,i} = \sum_{c,a} w_{o,c,a}\,\tilde x_{c,is+a}$, $\tilde x$ = x zero-padded by p on both
    sides, $i\in[n']_0$, $n' = \lfloor(n + 2p - k)/s\rfloor + 1$ (Definition
    def-cnn-cross-correlation in one dimension)."""
    C_in, n = x.shape
    C_out, _, k = w.shape
    xp = np.zeros((C_in, n + 2 * padding), dtype=x.dtype)
    xp[:, padding : padding + n] = x
    n_out = (n + 2 * padding - k) // stride + 1
    z = np.zeros((C_out, n_out), dtype=x.dtype)
    for i in range(n_out):
        window = xp[:, i * stride : i * stride + k]  # (C_in, k)
        z[:, i] = np.tensordot(w, window, axes=([1, 2], [0, 1]))
    return z


def _xcorr(x, w, stride, padding):
    # the reference, under a private name (the wrong solutions below build on it)
    C_in, n = x.shape
    C_out, _, k = w.shape
    xp = np.zeros((C_in, n + 2 * padding), dtype=x.dtype)
    xp[:, padding : padding + n] = x
    n_out = (n + 2 * padding - k) // stride + 1
    z = np.zeros((C_out, n_out), dtype=x.dtype)
    for i in range(n_out):
        window = xp[:, i * stride : i * stride + k]  # (C_in, k)
        z[:, i] = np.tensordot(w, window, axes=([1, 2], [0, 1]))
    return z


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    C_in, C_out = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    n = draw(st.integers(1, 9))
    padding = draw(st.integers(0, 3))
    k = draw(st.integers(1, n + 2 * padding))
    stride = draw(st.integers(1, 3))
    return {
        "x": draw(float_arrays(dtype, (C_in, n))),
        "w": draw(float_arrays(dtype, (C_out, C_in, k))),
        "stride": stride,
        "padding": padding,
    }


def _convolution(x, w, stride, padding):  # flips the kernel: true convolution
    return _xcorr(x, np.ascontiguousarray(w[:, :, ::-1]), stride, padding)


def _no_floor_plus_one(x, w, stride, padding):  # drops the last output position
    z = _xcorr(x, w, stride, padding)
    return z[:, :-1] if z.shape[1] > 1 else z[:, :0]


def _ignores_stride(x, w, stride, padding):
    return _xcorr(x, w, 1, padding)


def _ceil_size(x, w, stride, padding):  # n' = ceil((n + 2p - k)/s) + 1: reads past the end
    C_in, n = x.shape
    extra = (-(n + 2 * padding - w.shape[2])) % stride
    xe = np.concatenate([x, np.zeros((C_in, extra), x.dtype)], axis=1)
    z = _xcorr(xe, w, stride, padding)
    return z


def _channels_summed_first(x, w, stride, padding):  # sums x and w over channels separately
    return _xcorr(x.sum(axis=0, keepdims=True), w.sum(axis=1, keepdims=True), stride, padding)


def _pads_one_side(x, w, stride, padding):
    C_in, n = x.shape
    xp = np.concatenate([np.zeros((C_in, 2 * padding), x.dtype), x], axis=1)
    return _xcorr(xp, w, stride, 0)[:, : (n + 2 * padding - w.shape[2]) // stride + 1]


EXERCISE = Implement(
    id="ex-cnn-conv1d",
    title="One-dimensional multi-channel cross-correlation",
    function="conv1d",
    parameters=("x", "w", "stride", "padding"),
    docstring=r"""Cross-correlation z_{o,i} = sum_{c,a} w[o, c, a] xp[c, i*stride + a], where xp is x
zero-padded by `padding` entries on both sides (Definition def-cnn-cross-correlation in one
dimension, dilation 1).

Arguments:
    x: shape (C_in, n).
    w: shape (C_out, C_in, k), same dtype as x; k <= n + 2*padding.
    stride: int >= 1.
    padding: int >= 0.

Returns:
    z: shape (C_out, n') with n' = (n + 2*padding - k) // stride + 1; dtype of x.
""",
    reference=conv1d,
    arguments=_arguments(),
    outputs=("z",),
    tolerances={"float64": Tolerance(1e-9, 1e-9), "float32": Tolerance(1e-4, 1e-4)},
    hint=r"""Pad x with zeros on both ends, then output position i reads the window
xp[:, i*stride : i*stride + k]; contract it with w over the channel and offset axes
(np.tensordot(w, window, axes=([1, 2], [0, 1]))). Count the positions: floor((n + 2p - k)/s) + 1.""",
    diagnoses=(
        Diagnosis(
            "z",
            lambda kw: _convolution(**kw),
            "got the convolution (kernel reversed); deep learning's 'convolution' is the "
            "cross-correlation, w[o, c, a] multiplies xp[c, i*s + a]",
        ),
        Diagnosis(
            "z",
            lambda kw: _xcorr(kw["x"], kw["w"], 1, kw["padding"]),
            "got the stride-1 result: output i starts at i*stride",
        ),
    ),
    wrong=(
        Wrong(_convolution, "flips the kernel", values(0), "cross-correlation"),
        Wrong(_no_floor_plus_one, "one output position too few", OUTPUT_SHAPE),
        Wrong(_ignores_stride, "ignores the stride", OUTPUT_SHAPE),
        Wrong(_pads_one_side, "pads only on the left", values(0)),
        Wrong(_ceil_size, "rounds the number of positions up", OUTPUT_SHAPE),
        Wrong(_channels_summed_first, "sums over channels before multiplying", values(0)),
    ),
)
