"""GRU forward and backward (deepqed.rnn.gru) against torch.nn.GRU."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from deepqed import rnn
from deepqed._validation import ShapeError


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gru_matches_torch(dtype):
    rng = np.random.default_rng(0)
    T, m, d, n = 8, 3, 2, 5
    theta = rnn.init_gru(d, n, rng=rng, dtype=dtype)
    X = rng.standard_normal((T, m, d)).astype(dtype)
    H0 = rng.standard_normal((m, n)).astype(dtype)
    G = rng.standard_normal((T, m, n)).astype(dtype)
    fwd = rnn.gru_forward(theta, X, H0)
    g = rnn.gru_backward(theta, fwd, X, G)
    net = torch.nn.GRU(d, n).double()
    with torch.no_grad():
        net.weight_hh_l0.copy_(torch.tensor(theta.W.astype(np.float64)))
        net.weight_ih_l0.copy_(torch.tensor(theta.U.astype(np.float64)))
        net.bias_ih_l0.copy_(torch.tensor(theta.b.astype(np.float64)))
        net.bias_hh_l0.zero_()
        net.bias_hh_l0[2 * n :] = torch.tensor(theta.c.astype(np.float64))
    h0 = torch.tensor(H0.astype(np.float64), requires_grad=True)
    out, _ = net(torch.tensor(X.astype(np.float64)), h0[None])
    L = (out * torch.tensor(G.astype(np.float64))).sum()
    ref = torch.autograd.grad(
        L, [net.weight_hh_l0, net.weight_ih_l0, net.bias_ih_l0, net.bias_hh_l0, h0]
    )
    tol = 1e-12 if dtype == np.float64 else 2e-5
    np.testing.assert_allclose(fwd.output, out.detach().numpy(), rtol=tol, atol=tol)
    ours = (g.W, g.U, g.b, g.c, g.H0)
    refs = (ref[0], ref[1], ref[2], ref[3][2 * n :], ref[4])
    for a, r in zip(ours, refs):
        assert a.dtype == dtype
        np.testing.assert_allclose(a, r.numpy(), rtol=tol, atol=tol)
    # the r, z blocks of bias_hh get the same gradient as those of bias_ih (they are merged in b)
    np.testing.assert_allclose(ref[3][: 2 * n].numpy(), g.b[: 2 * n], rtol=tol, atol=tol)


@pytest.mark.filterwarnings("error")  # the overflow of e^{-a} is expected, and silenced
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gru_large_preactivations_are_finite(dtype):
    rng = np.random.default_rng(2)
    theta = rnn.init_gru(2, 3, rng=rng, dtype=dtype)
    theta = rnn.GRUParameters(*(a * 1e3 for a in theta.arrays()))
    fwd = rnn.gru_forward(theta, (rng.standard_normal((4, 2, 2)) * 100).astype(dtype))
    assert np.all(np.isfinite(fwd.H))
    gates = fwd.gates[..., :6]  # [R, S]
    assert np.any(gates == 0) and np.any(gates == 1) and np.all((0 <= gates) & (gates <= 1))


def test_gru_validation():
    rng = np.random.default_rng(1)
    theta = rnn.init_gru(2, 3, rng=rng)
    with pytest.raises(ShapeError, match="'c'"):
        rnn.GRUParameters(theta.W, theta.U, theta.b, theta.c[:2])
    with pytest.raises(TypeError, match="dtype"):
        rnn.gru_forward(theta, rng.standard_normal((4, 1, 2)).astype(np.float32))
    fwd = rnn.gru_forward(theta, rng.standard_normal((4, 1, 2)))
    assert fwd.H.shape == (5, 1, 3) and fwd.Qn.shape == (4, 1, 3)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fused_layer_equals_the_plain_cell_step_by_step(dtype):
    """gru_forward / gru_backward (the fused kernels) against a loop over the plain cell gru_cell /
    gru_cell_backward, the code the book shows."""
    rng = np.random.default_rng(2)
    T, m, d, n = 6, 2, 3, 4
    theta = rnn.init_gru(d, n, rng=rng, dtype=dtype)
    X = rng.standard_normal((T, m, d)).astype(dtype)
    H0 = rng.standard_normal((m, n)).astype(dtype)
    G = rng.standard_normal((T, m, n)).astype(dtype)
    fwd = rnn.gru_forward(theta, X, H0)
    grad = rnn.gru_backward(theta, fwd, X, G)
    H = [H0]
    for t in range(T):
        H.append(rnn.gru_cell(theta, X[t], H[-1]))
    dW, dU, db, dc = (np.zeros_like(a) for a in theta.arrays())
    dH = np.zeros_like(H0)
    for t in range(T, 0, -1):
        gW, gU, gb, gc, dH = rnn.gru_cell_backward(theta, X[t - 1], H[t - 1], G[t - 1] + dH)
        dW, dU, db, dc = dW + gW, dU + gU, db + gb, dc + gc
    tol = 1e-5 if dtype == np.float32 else 1e-13
    np.testing.assert_allclose(fwd.H, np.stack(H), rtol=tol, atol=tol)
    for ours, ref in zip((grad.W, grad.U, grad.b, grad.c, grad.H0), (dW, dU, db, dc, dH)):
        assert ours.dtype == dtype and ref.dtype == dtype
        np.testing.assert_allclose(ours, ref, rtol=tol, atol=tol)
