r"""Exercise ``ex-cnn-conv1d-input-grad``: the gradient of a 1-D cross-correlation with respect to
its input, i.e. the adjoint (transposed convolution)."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import (
    OUTPUT_SHAPE,
    Diagnosis,
    Implement,
    Property,
    Tolerance,
    Wrong,
    values,
)
from deepqed.exercises.strategies import dtypes, float_arrays


def conv1d_input_grad(g, w, n, stride, padding):
    r"""$(K^*g)_{c,u} = \sum_o\sum_{(i,a):\ is + a = u + p} w_{o,c,a}\,g_{o,i}$, $u\in[n]_0$
    (Theorem thm-cnn-adjoint in one dimension): scatter into the padded axis, then crop."""
    C_out, n_out = g.shape
    _, C_in, k = w.shape
    gp = np.zeros((C_in, n + 2 * padding), dtype=g.dtype)
    for i in range(n_out):
        gp[:, i * stride : i * stride + k] += np.tensordot(w, g[:, i], axes=([0], [0]))  # (C_in, k)
    return gp[:, padding : padding + n]


def _scatter(g, w, n, stride, padding):
    # the reference, under a private name (the wrong solutions below build on it)
    C_out, n_out = g.shape
    _, C_in, k = w.shape
    gp = np.zeros((C_in, n + 2 * padding), dtype=g.dtype)
    for i in range(n_out):
        gp[:, i * stride : i * stride + k] += np.tensordot(w, g[:, i], axes=([0], [0]))  # (C_in, k)
    return gp[:, padding : padding + n]


def _conv1d(x, w, stride, padding):
    C_in, n = x.shape
    C_out, _, k = w.shape
    xp = np.zeros((C_in, n + 2 * padding), dtype=x.dtype)
    xp[:, padding : padding + n] = x
    n_out = (n + 2 * padding - k) // stride + 1
    return np.stack(
        [
            np.tensordot(w, xp[:, i * stride : i * stride + k], axes=([1, 2], [0, 1]))
            for i in range(n_out)
        ],
        axis=1,
    )


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    C_in, C_out = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    n = draw(st.integers(1, 9))
    padding = draw(st.integers(0, 3))
    k = draw(st.integers(1, n + 2 * padding))
    stride = draw(st.integers(1, 3))
    n_out = (n + 2 * padding - k) // stride + 1
    return {
        "g": draw(float_arrays(dtype, (C_out, n_out))),
        "w": draw(float_arrays(dtype, (C_out, C_in, k))),
        "n": n,
        "stride": stride,
        "padding": padding,
    }


def _adjoint_sides(kw, got):
    """<K x, g> = <x, K* g> for the fixed x = (1, 2, ..., n) in every channel."""
    C_in = kw["w"].shape[1]
    x = np.tile(np.arange(1, kw["n"] + 1, dtype=np.float64), (C_in, 1))
    lhs = np.sum(
        _conv1d(x, kw["w"].astype(np.float64), kw["stride"], kw["padding"])
        * kw["g"].astype(np.float64)
    )
    rhs = np.sum(x * np.asarray(got, dtype=np.float64))
    return np.array([lhs]), np.array([rhs])


def _flipped(g, w, n, stride, padding):
    return _scatter(g, np.ascontiguousarray(w[:, :, ::-1]), n, stride, padding)


def _no_crop(g, w, n, stride, padding):
    C_out, n_out = g.shape
    _, C_in, k = w.shape
    gp = np.zeros((C_in, n + 2 * padding), dtype=g.dtype)
    for i in range(n_out):
        gp[:, i * stride : i * stride + k] += np.tensordot(w, g[:, i], axes=([0], [0]))
    return gp


def _assigns(g, w, n, stride, padding):  # overwrites instead of adding where windows overlap
    C_out, n_out = g.shape
    _, C_in, k = w.shape
    gp = np.zeros((C_in, n + 2 * padding), dtype=g.dtype)
    for i in range(n_out):
        gp[:, i * stride : i * stride + k] = np.tensordot(w, g[:, i], axes=([0], [0]))
    return gp[:, padding : padding + n]


def _crop_left(g, w, n, stride, padding):  # drops 2p entries on the left, none on the right
    C_out, n_out = g.shape
    _, C_in, k = w.shape
    gp = np.zeros((C_in, n + 2 * padding), dtype=g.dtype)
    for i in range(n_out):
        gp[:, i * stride : i * stride + k] += np.tensordot(w, g[:, i], axes=([0], [0]))
    return gp[:, 2 * padding : 2 * padding + n] if padding else gp[:, :n]


def _ignores_stride(g, w, n, stride, padding):
    C_out, n_out = g.shape
    _, C_in, k = w.shape
    gp = np.zeros((C_in, n + 2 * padding + n_out * k), dtype=g.dtype)
    for i in range(n_out):
        gp[:, i : i + k] += np.tensordot(w, g[:, i], axes=([0], [0]))
    return gp[:, padding : padding + n]


EXERCISE = Implement(
    id="ex-cnn-conv1d-input-grad",
    title="The backward rule with respect to the input, in one dimension",
    function="conv1d_input_grad",
    parameters=("g", "w", "n", "stride", "padding"),
    docstring=r"""Gradient with respect to x of a scalar L, given g = dL/dz for the cross-correlation
z_{o,i} = sum_{c,a} w[o, c, a] xp[c, i*stride + a] (xp = x zero-padded by `padding` on both
sides, x of length n): the adjoint K* g (Theorem thm-cnn-adjoint in one dimension).

Arguments:
    g: shape (C_out, n') with n' = (n + 2*padding - k) // stride + 1.
    w: shape (C_out, C_in, k), same dtype as g.
    n: the input length (int >= 1).
    stride: int >= 1.
    padding: int >= 0.

Returns:
    dx: shape (C_in, n); dtype of g.
""",
    reference=conv1d_input_grad,
    arguments=_arguments(),
    outputs=("dx",),
    tolerances={"float64": Tolerance(1e-9, 1e-9), "float32": Tolerance(1e-4, 1e-4)},
    properties=(
        Property("adjoint identity", "<K x, g> = <x, dx> for x = (1, 2, ..., n)", _adjoint_sides),
    ),
    hint=r"""Output i read xp[:, i*s : i*s + k]; so it sends sum_o w[o, :, :] g[o, i] (shape
(C_in, k)) back to those positions: add (+=, windows may overlap) into a zero array of the padded
length n + 2p, then drop the p padded entries at each end.""",
    diagnoses=(
        Diagnosis(
            "dx",
            lambda kw: _flipped(**kw),
            "the kernel is reversed: no flip is needed when you scatter (the flip appears "
            "only when the adjoint is rewritten as a cross-correlation)",
        ),
        Diagnosis(
            "dx",
            lambda kw: _assigns(**kw),
            "overlapping windows must add their contributions (+=), not overwrite them",
        ),
    ),
    wrong=(
        Wrong(_flipped, "reverses the kernel", values(0)),
        Wrong(_no_crop, "does not crop the padding", OUTPUT_SHAPE),
        Wrong(_assigns, "assigns instead of adding", values(0), "add"),
        Wrong(_ignores_stride, "ignores the stride", values(0)),
        Wrong(_crop_left, "crops 2p entries on one side", values(0)),
    ),
)
