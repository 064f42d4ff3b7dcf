"""LSTM forward and backward (deepqed.rnn.lstm) against torch.nn.LSTM."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from deepqed import rnn
from deepqed._validation import ShapeError


def _torch(theta, X, H0, C0, G, GC):
    net = torch.nn.LSTM(theta.d, theta.n).double()
    with torch.no_grad():
        net.weight_hh_l0.copy_(torch.tensor(theta.W.astype(np.float64)))
        net.weight_ih_l0.copy_(torch.tensor(theta.U.astype(np.float64)))
        net.bias_ih_l0.copy_(torch.tensor(theta.b.astype(np.float64)))
        net.bias_hh_l0.zero_()
    h0 = torch.tensor(H0.astype(np.float64), requires_grad=True)
    c0 = torch.tensor(C0.astype(np.float64), requires_grad=True)
    out, (_, cT) = net(torch.tensor(X.astype(np.float64)), (h0[None], c0[None]))
    L = (out * torch.tensor(G.astype(np.float64))).sum() + (
        cT[0] * torch.tensor(GC.astype(np.float64))
    ).sum()
    grads = torch.autograd.grad(L, [net.weight_hh_l0, net.weight_ih_l0, net.bias_ih_l0, h0, c0])
    return out.detach().numpy(), [g.numpy() for g in grads]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_lstm_matches_torch_with_cell_gradient(dtype):
    rng = np.random.default_rng(0)
    T, m, d, n = 9, 3, 2, 5
    theta = rnn.init_lstm(d, n, rng=rng, dtype=dtype, forget_bias=1.0)
    X = rng.standard_normal((T, m, d)).astype(dtype)
    H0, C0, GC = (rng.standard_normal((m, n)).astype(dtype) for _ in range(3))
    G = rng.standard_normal((T, m, n)).astype(dtype)
    fwd = rnn.lstm_forward(theta, X, H0, C0)
    g = rnn.lstm_backward(theta, fwd, X, G, GC)
    out, ref = _torch(theta, X, H0, C0, G, GC)
    tol = 1e-12 if dtype == np.float64 else 2e-5
    np.testing.assert_allclose(fwd.output, out, rtol=tol, atol=tol)
    for a, r in zip((g.W, g.U, g.b, g.H0, g.C0), ref):
        assert a.dtype == dtype
        np.testing.assert_allclose(a, r, rtol=tol, atol=tol)


def test_lstm_shapes_defaults_and_validation():
    rng = np.random.default_rng(1)
    theta = rnn.init_lstm(3, 4, rng=rng)
    X = rng.standard_normal((5, 2, 3))
    fwd = rnn.lstm_forward(theta, X)
    assert fwd.H.shape == fwd.C.shape == (6, 2, 4) and fwd.gates.shape == (5, 2, 16)
    assert not np.any(fwd.H[0]) and not np.any(fwd.C[0])
    assert np.all((fwd.gates > 0) & (fwd.gates < 1) | (np.arange(16) // 4 == 2))
    with pytest.raises(ShapeError, match="'W'"):
        rnn.LSTMParameters(theta.W[:-1], theta.U, theta.b)
    with pytest.raises(ShapeError, match="'C0'"):
        rnn.lstm_forward(theta, X, C0=np.zeros((2, 3)))
    with pytest.raises(ShapeError, match="'G'"):
        rnn.lstm_backward(theta, fwd, X, np.zeros((5, 2, 3)))


@pytest.mark.filterwarnings("error")  # the overflow of e^{-a} is expected, and silenced
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_lstm_large_preactivations_are_finite(dtype):
    rng = np.random.default_rng(2)
    theta = rnn.init_lstm(2, 3, rng=rng, dtype=dtype)
    theta = rnn.LSTMParameters(theta.W * 1e3, theta.U * 1e3, theta.b * 1e3)
    X = (rng.standard_normal((4, 2, 2)) * 100).astype(dtype)
    fwd = rnn.lstm_forward(theta, X)
    assert np.all(np.isfinite(fwd.H)) and np.all(np.isfinite(fwd.C))
    sig = np.concatenate([fwd.gates[..., :6], fwd.gates[..., 9:]], axis=-1)
    assert np.any(sig == 0) and np.any(sig == 1) and np.all((0 <= sig) & (sig <= 1))


def test_cell_path_products():
    rng = np.random.default_rng(3)
    theta = rnn.init_lstm(2, 3, rng=rng)
    fwd = rnn.lstm_forward(theta, rng.standard_normal((6, 2, 2)))
    P = rnn.cell_path_products(fwd, 1, 2)
    np.testing.assert_allclose(P[-1], np.prod(fwd.gates[2:, 1, 3:6], axis=0), rtol=1e-14)
    assert P.shape == (5, 3) and np.all(P[0] == 1)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fused_layer_equals_the_plain_cell_step_by_step(dtype):
    """lstm_forward / lstm_backward (the fused kernels) against a loop over the plain cell
    lstm_cell / lstm_cell_backward, the code the book shows (to rounding: the two order the same
    operations differently)."""
    rng = np.random.default_rng(4)
    T, m, d, n = 7, 3, 2, 4
    theta = rnn.init_lstm(d, n, rng=rng, dtype=dtype, forget_bias=0.5)
    X = rng.standard_normal((T, m, d)).astype(dtype)
    H0, C0, GC = (rng.standard_normal((m, n)).astype(dtype) for _ in range(3))
    G = rng.standard_normal((T, m, n)).astype(dtype)
    fwd = rnn.lstm_forward(theta, X, H0, C0)
    grad = rnn.lstm_backward(theta, fwd, X, G, GC)
    H, C = [H0], [C0]
    for t in range(T):
        h, c = rnn.lstm_cell(theta, X[t], H[-1], C[-1])
        H.append(h)
        C.append(c)
    dW, dU, db = (np.zeros_like(a) for a in theta.arrays())
    dH, dC = np.zeros_like(H0), GC
    for t in range(T, 0, -1):
        gW, gU, gb, dH, dC = rnn.lstm_cell_backward(
            theta, X[t - 1], H[t - 1], C[t - 1], G[t - 1] + dH, dC
        )
        dW, dU, db = dW + gW, dU + gU, db + gb
    tol = 1e-5 if dtype == np.float32 else 1e-13
    np.testing.assert_allclose(fwd.H, np.stack(H), rtol=tol, atol=tol)
    np.testing.assert_allclose(fwd.C, np.stack(C), rtol=tol, atol=tol)
    for ours, ref in zip((grad.W, grad.U, grad.b, grad.H0, grad.C0), (dW, dU, db, dH, dC)):
        assert ours.dtype == dtype and ref.dtype == dtype
        np.testing.assert_allclose(ours, ref, rtol=tol, atol=tol)
