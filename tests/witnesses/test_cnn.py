"""The CNN chapter's witnesses fail when handed deliberately broken implementations."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from deepqed import cnn
from deepqed.witnesses.cnn import backprop as W_bp
from deepqed.witnesses.cnn import convolution as W_conv
from deepqed.witnesses.cnn import equivariance as W_eq
from deepqed.witnesses.cnn import pooling as W_pool


def rng():
    return np.random.default_rng(12345)


# --- broken convolutions ------------------------------------------------------------------------
def conv_flipped(X, W, b=None, **kw):
    return cnn.conv2d(X, np.ascontiguousarray(W[:, :, ::-1, ::-1]), b, **kw)


def conv_ignores_dilation(X, W, b=None, **kw):
    kw = {**kw, "dilation": 1}
    try:
        return cnn.conv2d(X, W, b, **kw)
    except ValueError:
        return np.zeros((1,))


def conv_always_zero_padding(X, W, b=None, **kw):
    return cnn.conv2d(X, W, b, **{**kw, "padding_mode": "zeros"})


def conv_always_circular(X, W, b=None, **kw):
    return cnn.conv2d(X, W, b, **{**kw, "padding_mode": "circular"})


def conv_with_position_bias(X, W, b=None, **kw):  # not translation invariant anywhere
    Z = cnn.conv2d(X, W, b, **kw)
    return Z + 1e-3 * np.arange(Z.shape[-1])


def im2col_columns_transposed(X, k, **kw):
    cols = cnn.im2col(X, k, **kw)
    return cols[::-1]


def transpose_without_fold(Y, W, **kw):  # circular padding treated as zeros
    return cnn.conv_transpose2d(Y, W, **{**kw, "padding_mode": "zeros"})


def transpose_flipped(Y, W, **kw):
    return cnn.conv_transpose2d(Y, np.ascontiguousarray(W[:, :, ::-1, ::-1]), **kw)


def output_size_ceil(n, k, s=1, p=0, d=1):
    return -(-(n + 2 * p - d * (k - 1) - 1) // s) + 1


CONV_BROKEN = [
    (W_conv.conv_matches_torch, {"conv2d": conv_flipped}),
    (W_conv.conv_matches_torch, {"conv2d": conv_ignores_dilation}),
    (W_conv.conv_matches_torch_float32, {"conv2d": conv_always_zero_padding}),
    (W_conv.output_size_matches_enumeration, {"output_size": output_size_ceil}),
    (W_conv.im2col_matches_unfold, {"im2col": im2col_columns_transposed}),
    (W_conv.convolution_is_flipped_correlation, {"conv2d": conv_flipped}),
    (W_conv.adjoint_identity, {"conv_transpose2d": transpose_without_fold}),
    (W_conv.adjoint_identity, {"conv_transpose2d": transpose_flipped}),
    (W_conv.conv_transpose_matches_torch, {"conv_transpose2d": transpose_flipped}),
    (W_eq.equivariance_circular, {"conv2d": conv_always_zero_padding}),
    (W_eq.equivariance_zero_interior, {"conv2d": conv_with_position_bias}),
    (W_eq.equivariance_zero_boundary_fails, {"conv2d": conv_always_circular}),
    (W_eq.equivariance_stride, {"conv2d": conv_always_zero_padding}),
]


@pytest.mark.parametrize(("witness", "kwargs"), CONV_BROKEN)
def test_convolution_witnesses_fail_on_broken_code(witness, kwargs):
    assert not witness(rng(), **kwargs).passed


# --- broken pooling -----------------------------------------------------------------------------
def avg_wrong_divisor(X, k, s=None):
    return cnn.avg_pool2d(X, k, s) * 0.5


def avg_backward_no_scale(G, shape, k, s=None):
    kh, kw = (k, k) if isinstance(k, int) else k
    return cnn.avg_pool2d_backward(G, shape, k, s) * (kh * kw)


def maxpool_backward_last_maximiser(G, idx, shape, k, s=None):
    """Routes to the *last* maximiser of each window (the input is recorded by the forward)."""
    return _route_last(G, _CURRENT["X"], k, s)


def _route_last(G, X, k, s):
    kh, kw = (k, k) if isinstance(k, int) else k
    sh, sw = (kh, kw) if s is None else ((s, s) if isinstance(s, int) else s)
    dX = np.zeros_like(X)
    for idx in np.ndindex(*G.shape):
        mu, c, i, j = idx
        win = X[mu, c, i * sh : i * sh + kh, j * sw : j * sw + kw]
        flat = win.ravel()
        last = len(flat) - 1 - int(np.argmax(flat[::-1]))
        a, b = divmod(last, kw)
        dX[mu, c, i * sh + a, j * sw + b] += G[idx]
    return dX


_CURRENT: dict = {"X": None}


def maxpool_forward_recording(X, k, s=None):
    _CURRENT["X"] = X
    return cnn.max_pool2d_forward(X, k, s)


def maxpool_backward_offset_transposed(G, idx, shape, k, s=None):
    kh, kw = (k, k) if isinstance(k, int) else k
    a, b = idx // kw, idx % kw
    return cnn.max_pool2d_backward(
        G, np.where(b < kh, b * kw + np.minimum(a, kw - 1), idx), shape, k, s
    )


POOL_BROKEN = [
    (W_pool.pooling_matches_torch, {"avg_pool2d": avg_wrong_divisor}),
    (W_pool.avg_pool_backward_matches, {"avg_pool2d_backward": avg_backward_no_scale}),
    (
        W_pool.max_pool_backward_ties_match_torch,
        {
            "max_pool2d_forward": maxpool_forward_recording,
            "max_pool2d_backward": maxpool_backward_last_maximiser,
        },
    ),
    (
        W_pool.max_pool_backward_central_differences,
        {"max_pool2d_backward": maxpool_backward_offset_transposed},
    ),
]


@pytest.mark.parametrize(("witness", "kwargs"), POOL_BROKEN)
def test_pooling_witnesses_fail_on_broken_code(witness, kwargs):
    assert not witness(rng(), **kwargs).passed


# --- broken backward rules ----------------------------------------------------------------------
def backward_db_mean(G, W, cache):
    dX, dW, db = cnn.conv2d_backward(G, W, cache)
    return dX, dW, db / G.shape[0] / G.shape[2] / G.shape[3]


def backward_dX_flipped(G, W, cache):
    dX, dW, db = cnn.conv2d_backward(G, np.ascontiguousarray(W[:, :, ::-1, ::-1]), cache)
    return dX, cnn.conv2d_backward(G, W, cache)[1], db


def backward_dW_unpadded(G, W, cache):  # forgets that the window reads padded entries
    dX, dW, db = cnn.conv2d_backward(G, W, cache)
    g = cache.geometry
    if any(g.padding):
        dW = dW * 0.9
    return dX, dW, db


def counts_backward_once(m, C_in, C_out, H, W, k, **kw):
    c = cnn.conv2d_counts(m, C_in, C_out, H, W, k, **kw)
    return {**c, "backward": c["forward"]}


def cnn_counts_with_dX(arch, m):
    c = cnn.cnn_counts(arch, m)
    n1 = arch.sizes[0]
    return {
        **c,
        "backward": c["backward"]
        + m * arch.channels[0] * n1 * n1 * arch.in_channels * arch.kernel_size**2,
    }


def forward_without_relu(arch, theta, X):
    fwd = cnn.cnn_forward(arch, theta, X)
    return dataclasses.replace(fwd, output=fwd.output + 0.1 * np.abs(fwd.output))


def gradient_missing_relu_mask(arch, theta, X, Y):
    value, grad = cnn.cnn_loss_and_gradient(arch, theta, X, Y)
    return value, dataclasses.replace(grad, W1=grad.W1 * 1.01)


def gradient_sum_instead_of_mean(arch, theta, X, Y):
    value, grad = cnn.cnn_loss_and_gradient(arch, theta, X, Y)
    return value, grad.map(lambda a: a * X.shape[0])


BACKPROP_BROKEN = [
    (W_bp.conv_backward_matches_autograd, {"backward": backward_db_mean}),
    (W_bp.conv_backward_matches_autograd, {"backward": backward_dX_flipped}),
    (W_bp.conv_backward_matches_autograd_float32, {"backward": backward_dW_unpadded}),
    (W_bp.conv_backward_central_differences, {"backward": backward_dX_flipped}),
    (W_bp.conv_counts_match_flop_counter, {"counts": counts_backward_once}),
    (W_bp.cnn_counts_match_flop_counter, {"counts": cnn_counts_with_dX}),
    (W_bp.cnn_forward_matches_torch, {"forward": forward_without_relu}),
    (W_bp.cnn_gradient_matches_autograd, {"loss_and_gradient": gradient_missing_relu_mask}),
    (
        W_bp.cnn_gradient_matches_autograd_float32,
        {"loss_and_gradient": gradient_sum_instead_of_mean},
    ),
    (W_bp.cnn_gradient_central_differences, {"loss_and_gradient": gradient_sum_instead_of_mean}),
]


@pytest.mark.parametrize(("witness", "kwargs"), BACKPROP_BROKEN)
def test_backprop_witnesses_fail_on_broken_code(witness, kwargs):
    assert not witness(rng(), **kwargs).passed


#: (witness, broken implementation): read by test_witnesses.py, which checks that every witness
#: of the book is shown to fail somewhere.
BROKEN = CONV_BROKEN + POOL_BROKEN + BACKPROP_BROKEN
