"""Correct solutions written differently from the references pass: the checker raises no false
alarms (other formulas, SciPy, einsum, float64 arithmetic cast back, a list instead of a tuple)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit, softmax

from deepqed.exercises import check


def sigmoid_via_expit(Z):
    return expit(Z) * expit(
        -Z
    )  # sigma(z)(1 - sigma(z)) with 1 - sigma(z) = sigma(-z): no cancellation


def sigmoid_via_where(Z):
    e = np.exp(-np.abs(Z))
    s = np.where(Z >= 0, 1 / (1 + e), e / (1 + e))  # sigma(|z|)... by cases
    t = np.where(Z >= 0, e / (1 + e), 1 / (1 + e))  # ... and sigma(-z), each without cancellation
    return s * t


def sigmoid_via_cosh_in_float64(Z):
    return (0.25 / np.cosh(Z.astype(np.float64) / 2) ** 2).astype(Z.dtype)


def sigmoid_via_logaddexp(Z):
    return np.exp(-np.logaddexp(0, Z) - np.logaddexp(0, -Z))  # log sigma(z) + log sigma(-z)


def jacobian_via_scipy(z):
    s = softmax(z)
    return np.diag(s) - s[:, None] * s[None, :]


def jacobian_in_place_on_a_copy(z):
    s = np.exp(z - z.max())
    s /= s.sum()
    J = -np.outer(s, s)
    J[np.diag_indices_from(J)] += s
    return J


def ce_grad_via_scipy(A, Y):
    return (softmax(A, axis=1) - Y) / len(A)


def layer_backward_via_einsum(Delta, W, A_prev):
    return (np.einsum("ij,ik->jk", Delta, A_prev), Delta.sum(0), np.einsum("ij,jk->ik", Delta, W))


def layer_backward_as_a_list(Delta, W, A_prev):
    ones = np.ones(Delta.shape[0], dtype=Delta.dtype)
    return [Delta.T @ A_prev, Delta.T @ ones, Delta @ W]


def central_difference_halved(f, x, v, h):
    return 0.5 * (f(x + h * v) - f(x - h * v)) / h


def ce_grad_via_log_softmax(A, Y):
    log_s = A - np.max(A, axis=1, keepdims=True)
    log_s = log_s - np.log(np.sum(np.exp(log_s), axis=1, keepdims=True))
    return (np.exp(log_s) - Y) / A.shape[0]


def conv1d_via_windows(x, w, stride, padding):
    xp = np.pad(x, ((0, 0), (padding, padding)))
    windows = np.lib.stride_tricks.sliding_window_view(xp, w.shape[2], axis=1)[:, ::stride]
    return np.einsum("ock,cik->oi", w, windows).astype(x.dtype)


def conv1d_input_grad_by_loops(g, w, n, stride, padding):
    dx = np.zeros((w.shape[1], n), dtype=g.dtype)
    for o, c, i, a in np.ndindex(w.shape[0], w.shape[1], g.shape[1], w.shape[2]):
        u = i * stride + a - padding
        if 0 <= u < n:
            dx[c, u] += w[o, c, a] * g[o, i]
    return dx


def im2col_via_windows(x, k, stride, padding):
    xp = np.pad(x, ((0, 0), (padding, padding), (padding, padding)))
    win = np.lib.stride_tricks.sliding_window_view(xp, (k, k), axis=(1, 2))[:, ::stride, ::stride]
    C, o1, o2 = win.shape[:3]
    return np.ascontiguousarray(win.transpose(0, 3, 4, 1, 2)).reshape(C * k * k, o1 * o2)


def maxpool_backward_by_loops(x, g, k):
    dx = np.zeros(x.shape, dtype=g.dtype)
    for c, i, j in np.ndindex(*g.shape):
        window = x[c, i * k : i * k + k, j * k : j * k + k]
        a1, a2 = divmod(int(np.argmax(window)), k)  # the first maximum, row-major
        dx[c, i * k + a1, j * k + a2] = g[c, i, j]
    return dx


ALTERNATIVES = [
    (sigmoid_via_where, "ex-ff-sigmoid-prime"),
    (sigmoid_via_expit, "ex-ff-sigmoid-prime"),
    (sigmoid_via_cosh_in_float64, "ex-ff-sigmoid-prime"),
    (sigmoid_via_logaddexp, "ex-ff-sigmoid-prime"),
    (jacobian_via_scipy, "ex-ff-softmax-jacobian"),
    (jacobian_in_place_on_a_copy, "ex-ff-softmax-jacobian"),
    (ce_grad_via_scipy, "ex-ff-ce-grad"),
    (layer_backward_via_einsum, "ex-ff-layer-backward"),
    (layer_backward_as_a_list, "ex-ff-layer-backward"),
    (central_difference_halved, "ex-ff-central-difference"),
    (ce_grad_via_log_softmax, "ex-ff-ce-grad"),
    (conv1d_via_windows, "ex-cnn-conv1d"),
    (conv1d_input_grad_by_loops, "ex-cnn-conv1d-input-grad"),
    (im2col_via_windows, "ex-cnn-im2col"),
    (maxpool_backward_by_loops, "ex-cnn-maxpool-backward"),
]


@pytest.mark.parametrize(
    ("function", "exercise"), ALTERNATIVES, ids=[f.__name__ for f, _ in ALTERNATIVES]
)
def test_correct_alternative_passes(function, exercise):
    result = check(function, exercise)
    assert result.verdict == "passed", str(result)
