"""The CNN chapter's witnesses, each handed deliberately broken implementations (``BROKEN``, a
list of ``(witness, keyword arguments, bug)``; also read by ``test_witnesses.py``)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from deepqed import cnn
from deepqed.witnesses.cnn import backprop as W_bp
from deepqed.witnesses.cnn import convolution as W_conv
from deepqed.witnesses.cnn import equivariance as W_eq
from deepqed.witnesses.cnn import pooling as W_pool


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


def conv_keeping_every_pixel(X, W, b=None, **kw):  # stride ignored for 1x1 kernels
    if W.shape[2:] == (1, 1):
        kw = {**kw, "stride": 1}
    return cnn.conv2d(X, W, b, **kw)


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
    (W_conv.conv_matches_torch, {"conv2d": conv_flipped}, "kernel flipped"),
    (W_conv.conv_matches_torch, {"conv2d": conv_ignores_dilation}, "dilation ignored"),
    (
        W_conv.conv_matches_torch,
        {"conv2d": conv_always_zero_padding, "dtype": np.dtype("float32")},
        "circular padding as zeros (float32)",
    ),
    (W_conv.output_size_matches_enumeration, {"output_size": output_size_ceil}, "ceil"),
    (W_conv.im2col_matches_unfold, {"im2col": im2col_columns_transposed}, "rows reversed"),
    (W_conv.convolution_is_flipped_correlation, {"conv2d": conv_flipped}, "kernel flipped"),
    (W_conv.adjoint_identity, {"conv_transpose2d": transpose_without_fold}, "no fold"),
    (W_conv.adjoint_identity, {"conv_transpose2d": transpose_flipped}, "kernel flipped"),
    (
        W_conv.conv_transpose_matches_torch,
        {"conv_transpose2d": transpose_flipped},
        "kernel flipped",
    ),
    (W_eq.equivariance_circular, {"conv2d": conv_always_zero_padding}, "zero padding"),
    (W_eq.equivariance_zero_interior, {"conv2d": conv_with_position_bias}, "position bias"),
    (W_eq.equivariance_zero_boundary_fails, {"conv2d": conv_always_circular}, "circular"),
    (W_eq.equivariance_stride, {"conv2d": conv_always_zero_padding}, "zero padding"),
    (W_eq.equivariance_stride, {"conv2d": conv_keeping_every_pixel}, "stride ignored"),
]


# --- broken pooling -----------------------------------------------------------------------------
def avg_wrong_divisor(X, k, s=None):
    return cnn.avg_pool2d(X, k, s) * 0.5


def avg_backward_no_scale(G, shape, k, s=None):
    kh, kw = (k, k) if isinstance(k, int) else k
    return cnn.avg_pool2d_backward(G, shape, k, s) * (kh * kw)


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


def maxpool_backward_last_maximiser(G, idx, shape, k, s=None):
    """Routes to the *last* maximiser of each window (the input is recorded by the forward)."""
    return _route_last(G, _CURRENT["X"], k, s)


def maxpool_backward_offset_transposed(G, idx, shape, k, s=None):
    kh, kw = (k, k) if isinstance(k, int) else k
    a, b = idx // kw, idx % kw
    return cnn.max_pool2d_backward(
        G, np.where(b < kh, b * kw + np.minimum(a, kw - 1), idx), shape, k, s
    )


def maxpool_backward_halved_at_ties(G, idx, shape, k, s=None):
    """Splits G evenly between tied maximisers (a Clarke element, not the one-sided limit)."""
    X = _CURRENT["X"]
    first = cnn.max_pool2d_backward(G, idx, shape, k, s)
    last = _route_last(G, X, k, s)
    return 0.5 * (first + last)


POOL_BROKEN = [
    (W_pool.pooling_matches_torch, {"avg_pool2d": avg_wrong_divisor}, "avg divides by 2 k^2"),
    (
        W_pool.avg_pool_backward_matches,
        {"avg_pool2d_backward": avg_backward_no_scale},
        "no 1/k^2",
    ),
    (
        W_pool.max_pool_backward_ties_match_torch,
        {
            "max_pool2d_forward": maxpool_forward_recording,
            "max_pool2d_backward": maxpool_backward_last_maximiser,
        },
        "last maximiser",
    ),
    (
        W_pool.max_pool_backward_central_differences,
        {"max_pool2d_backward": maxpool_backward_offset_transposed},
        "window offset transposed",
    ),
    (
        W_pool.max_pool_tie_routing_is_a_one_sided_limit,
        {
            "max_pool2d_forward": maxpool_forward_recording,
            "max_pool2d_backward": maxpool_backward_last_maximiser,
        },
        "last maximiser (the limit from the other side)",
    ),
    (
        W_pool.max_pool_tie_routing_is_a_one_sided_limit,
        {
            "max_pool2d_forward": maxpool_forward_recording,
            "max_pool2d_backward": maxpool_backward_halved_at_ties,
        },
        "G split between tied maximisers",
    ),
]


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


def gradient_W1_scaled(arch, theta, X, Y):
    value, grad = cnn.cnn_loss_and_gradient(arch, theta, X, Y)
    return value, dataclasses.replace(grad, W1=grad.W1 * 1.01)


def gradient_sum_instead_of_mean(arch, theta, X, Y):
    value, grad = cnn.cnn_loss_and_gradient(arch, theta, X, Y)
    return value, grad.map(lambda a: a * X.shape[0])


def _route_to_every_maximiser(G, A, q):
    """G of each q x q window routed to *all* its maximisers."""
    m, C, n1, n2 = A.shape
    h1, h2 = G.shape[2:]
    win = A[:, :, : h1 * q, : h2 * q].reshape(m, C, h1, q, h2, q)
    mask = win == win.max(axis=(3, 5), keepdims=True)
    out = np.zeros_like(A)
    out[:, :, : h1 * q, : h2 * q] = (mask * G[:, :, :, None, :, None]).reshape(m, C, h1 * q, h2 * q)
    return out


def gradient_routed_to_every_maximiser(arch, theta, X, Y):
    """Algorithm alg-cnn-backprop written with the reference step, but each pooled gradient
    routed to every maximiser of its window (a tie counted twice)."""
    from deepqed import losses

    p, q = arch.padding, arch.pool
    Z1, c1 = cnn.conv2d_forward(X, theta.W1, theta.b1, padding=p)
    A1 = np.maximum(Z1, 0)
    Z2, c2 = cnn.conv2d_forward(cnn.max_pool2d(A1, q), theta.W2, theta.b2, padding=p)
    A2 = np.maximum(Z2, 0)
    V = cnn.max_pool2d(A2, q).reshape(X.shape[0], -1)
    Z3 = V @ theta.W3.T + theta.b3
    value = float(losses.softmax_cross_entropy(Z3, Y))
    G3 = losses.softmax_cross_entropy_grad(Z3, Y)
    GP2 = (G3 @ theta.W3).reshape(X.shape[0], arch.channels[1], *([arch.sizes[3]] * 2))
    Delta2 = _route_to_every_maximiser(GP2, A2, q) * (Z2 > 0)
    GP1, dW2, db2 = cnn.conv2d_backward(Delta2, theta.W2, c2)
    Delta1 = _route_to_every_maximiser(GP1, A1, q) * (Z1 > 0)
    _, dW1, db1 = cnn.conv2d_backward(Delta1, theta.W1, c1, need_dX=False)
    return value, cnn.CNNParameters(dW1, db1, dW2, db2, G3.T @ V, G3.sum(axis=0))


def ratio_bound_doubled():
    return 4.0


BACKPROP_BROKEN = [
    (W_bp.conv_backward_matches_autograd, {"backward": backward_db_mean}, "db averaged"),
    (W_bp.conv_backward_matches_autograd, {"backward": backward_dX_flipped}, "dX flipped"),
    (
        W_bp.conv_backward_matches_autograd,
        {"backward": backward_dW_unpadded, "dtype": np.dtype("float32")},
        "dW without padded entries (float32)",
    ),
    (W_bp.conv_backward_central_differences, {"backward": backward_dX_flipped}, "dX flipped"),
    (W_bp.conv_counts_match_flop_counter, {"counts": counts_backward_once}, "backward = M"),
    (W_bp.cnn_counts_match_flop_counter, {"counts": cnn_counts_with_dX}, "first dX counted"),
    (W_bp.cnn_counts_match_flop_counter, {"bound": ratio_bound_doubled}, "ratio bound 4"),
    (W_bp.cnn_forward_matches_torch, {"forward": forward_without_relu}, "logits perturbed"),
    (
        W_bp.cnn_gradient_matches_autograd,
        {"loss_and_gradient": gradient_W1_scaled},
        "dW^1 off by 1%",
    ),
    (
        W_bp.cnn_gradient_matches_autograd,
        {"loss_and_gradient": gradient_sum_instead_of_mean, "dtype": np.dtype("float32")},
        "sum instead of mean (float32)",
    ),
    (
        W_bp.cnn_gradient_central_differences,
        {"loss_and_gradient": gradient_sum_instead_of_mean},
        "sum instead of mean",
    ),
    (
        W_bp.cnn_gradient_at_tied_maximisers,
        {"loss_and_gradient": gradient_routed_to_every_maximiser},
        "tied maximisers counted twice",
    ),
]

#: Read by test_witnesses.py, which checks that every witness of the book is shown to fail.
BROKEN = CONV_BROKEN + POOL_BROKEN + BACKPROP_BROKEN


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize(
    "check,broken,bug", BROKEN, ids=[f"{c.__name__}:{b}" for c, _, b in BROKEN]
)
def test_witness_detects_broken_implementation(check, broken, bug):
    out = check(np.random.default_rng(12345), **broken)
    assert not out.passed, f"{check.__name__} did not detect: {bug} ({out})"
    assert check(np.random.default_rng(12345)).passed  # the real implementation passes
