"""Elman RNN, BPTT, truncation, clipping, Jacobians and the adding-problem tools (deepqed.rnn)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from deepqed import rnn
from deepqed._validation import ShapeError
from deepqed.rnn import tasks


def _instance(rng, T=6, m=3, d=2, n=4, dtype=np.float64):
    theta = rnn.init_rnn(d, n, rng=rng, dtype=dtype, scale=0.9)
    X = rng.standard_normal((T, m, d)).astype(dtype)
    H0 = rng.standard_normal((m, n)).astype(dtype)
    G = rng.standard_normal((T, m, n)).astype(dtype)
    return theta, X, H0, G


def _torch_grads(theta, X, H0, G, act):
    W, U, b = (torch.tensor(a.astype(np.float64), requires_grad=True) for a in theta.arrays())
    h = torch.tensor(H0.astype(np.float64))
    sig = torch.tanh if act == "tanh" else torch.relu
    value = 0.0
    for t in range(X.shape[0]):
        h = sig(h @ W.T + torch.tensor(X[t].astype(np.float64)) @ U.T + b)
        value = value + (h * torch.tensor(G[t].astype(np.float64))).sum()
    return [g.numpy() for g in torch.autograd.grad(value, [W, U, b])]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("act", ["tanh", "relu"])
def test_bptt_matches_torch_functional(dtype, act):
    theta, X, H0, G = _instance(np.random.default_rng(1), dtype=dtype)
    _, g = rnn.rnn_loss_and_gradient(theta, X, G, H0, act)
    ref = _torch_grads(theta, X, H0, G, act)
    tol = 1e-12 if dtype == np.float64 else 1e-5
    for a, r in zip(g.arrays(), ref):
        assert a.dtype == dtype
        np.testing.assert_allclose(a, r, rtol=tol, atol=tol)


def test_shapes_and_state():
    theta, X, H0, G = _instance(np.random.default_rng(2), T=5, m=2, d=3, n=4)
    fwd = rnn.rnn_forward(theta, X, H0)
    assert fwd.H.shape == (6, 2, 4) and fwd.output.shape == (5, 2, 4)
    np.testing.assert_array_equal(fwd.H[0], H0)
    g = rnn.rnn_backward(theta, fwd, X, G)
    assert [a.shape for a in (g.W, g.U, g.b, g.H0)] == [(4, 4), (4, 3), (4,), (2, 4)]
    assert np.array_equal(rnn.rnn_forward(theta, X).H[0], np.zeros((2, 4)))


@settings(max_examples=30, deadline=None)
@given(T=st.integers(1, 8), k=st.integers(1, 12), seed=st.integers(0, 2**16))
def test_truncation_at_least_T_is_full_bptt_and_cut_is_local(T, k, seed):
    theta, X, H0, G = _instance(np.random.default_rng(seed), T=T)
    _, full = rnn.rnn_loss_and_gradient(theta, X, G, H0)
    _, trunc = rnn.rnn_loss_and_gradient(theta, X, G, H0, truncation=k)
    if k >= T:
        for a, b in zip(full.arrays(), trunc.arrays()):
            np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-13)
    # truncation with k = 1 is the sum of one-step gradients: Delta_t = G_t * sigma'(Z_t)
    _, one = rnn.rnn_loss_and_gradient(theta, X, G, H0, truncation=1)
    fwd = rnn.rnn_forward(theta, X, H0)
    Delta = G * (1 - fwd.H[1:] ** 2)
    np.testing.assert_allclose(
        one.W, np.einsum("tmi,tmj->ij", Delta, fwd.H[:-1]), rtol=1e-12, atol=1e-12
    )


def test_arrays_are_checked_against_the_parameters():
    """Shapes and dtypes that only the parameters determine (the generated bad input of
    tests/unit/test_public_api.py covers each argument on its own)."""
    theta, X, H0, G = _instance(np.random.default_rng(3))
    with pytest.raises(ShapeError, match=r"'X'.*d = 2 \(from 'theta.U'\)"):
        rnn.rnn_forward(theta, X[:, :, :1])
    with pytest.raises(TypeError, match="'theta.W' and 'X' have different dtypes"):
        rnn.rnn_forward(theta, X.astype(np.float32))
    with pytest.raises(ShapeError, match="'H0'"):
        rnn.rnn_forward(theta, X, H0[:, :2])
    with pytest.raises(ShapeError, match="'G'"):
        rnn.rnn_backward(theta, rnn.rnn_forward(theta, X), X, G[:-1])
    with pytest.raises(ValueError, match="'fwd'"):
        rnn.rnn_backward(theta, rnn.rnn_forward(theta, X[:-1]), X, G)
    with pytest.raises(ValueError, match="'n'"):
        rnn.init_rnn(3, 0, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="'i'"):
        rnn.hidden_jacobian(theta, rnn.rnn_forward(theta, X), 5, 0, 1)


@settings(max_examples=50, deadline=None)
@given(scale=st.floats(1e-3, 1e3), tau=st.floats(1e-2, 1e2), seed=st.integers(0, 2**16))
def test_clip_global_norm_properties(scale, tau, seed):
    rng = np.random.default_rng(seed)
    grads = (scale * rng.standard_normal((3, 4)), scale * rng.standard_normal(3))
    clipped, norm = rnn.clip_global_norm(grads, tau)
    assert math.isclose(norm, math.sqrt(sum(float(np.sum(g * g)) for g in grads)), rel_tol=1e-12)
    new = rnn.global_norm(clipped)
    assert math.isclose(new, min(norm, tau), rel_tol=1e-12)
    lam = clipped[0].ravel()[0] / grads[0].ravel()[0]
    for c, g in zip(clipped, grads):
        np.testing.assert_allclose(c, lam * g, rtol=1e-12)


def test_clip_zero_and_float32():
    out, norm = rnn.clip_global_norm((np.zeros(3, dtype=np.float32),), 1.0)
    assert norm == 0.0 and out[0].dtype == np.float32 and not np.any(out[0])


@pytest.mark.parametrize(
    "dtype, scale", [(np.float32, 1e20), (np.float32, 1e-25), (np.float64, 1e200)]
)
def test_global_norm_neither_overflows_nor_underflows(dtype, scale):
    g = (
        np.array([3.0, 0.0], dtype=dtype) * dtype(scale),
        np.array([4.0], dtype=dtype) * dtype(scale),
    )
    norm = rnn.global_norm(g)
    assert math.isclose(norm, 5.0 * scale, rel_tol=1e-6)
    clipped, _ = rnn.clip_global_norm(g, 1.0)
    assert all(c.dtype == dtype for c in clipped)
    assert math.isclose(rnn.global_norm(clipped), min(1.0, 5.0 * scale), rel_tol=1e-6)


def test_hidden_jacobian_vs_torch_and_norms():
    rng = np.random.default_rng(4)
    theta, X, H0, _ = _instance(rng, T=7, m=2)
    fwd = rnn.rnn_forward(theta, X, H0)
    W, U, b = (torch.tensor(a) for a in theta.arrays())

    def f(h):
        for t in range(2, 6):
            h = torch.tanh(W @ h + U @ torch.tensor(X[t, 1]) + b)
        return h

    J = torch.autograd.functional.jacobian(f, torch.tensor(fwd.H[2, 1].copy())).numpy()
    np.testing.assert_allclose(rnn.hidden_jacobian(theta, fwd, 1, 2, 6), J, rtol=1e-12, atol=1e-14)
    norms = rnn.jacobian_norms(theta, fwd, 1, 2)
    assert math.isclose(norms[4], np.linalg.norm(J, 2), rel_tol=1e-12)
    with pytest.raises(ValueError, match="'t'"):
        rnn.hidden_jacobian(theta, fwd, 0, 3, 2)


def test_linear_power_norms():
    W = np.array([[0.5, 2.0], [0.0, 0.5]])
    norms = rnn.linear_power_norms(W, 5)
    for k in range(6):
        assert math.isclose(
            norms[k], np.linalg.norm(np.linalg.matrix_power(W, k), 2), rel_tol=1e-12
        )


def test_adding_problem():
    X, y = tasks.adding_problem(10, 50, rng=np.random.default_rng(0))
    assert X.shape == (10, 50, 2) and y.shape == (50,)
    assert np.all(X[:5, :, 1].sum(0) == 1) and np.all(X[5:, :, 1].sum(0) == 1)
    np.testing.assert_allclose((X[:, :, 0] * X[:, :, 1]).sum(0), y)
    X2, y2 = tasks.adding_problem(10, 50, rng=np.random.default_rng(0))
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    with pytest.raises(ValueError, match="T"):
        tasks.adding_problem(1, 5, rng=np.random.default_rng(0))


@pytest.mark.parametrize("model", tasks.MODELS)
def test_model_loss_gradient_central_differences(model):
    rng = np.random.default_rng(5)
    init = rnn.init_rnn if model == "rnn" else rnn.init_lstm
    params = (*init(2, 3, rng=rng).arrays(), rng.standard_normal(3), rng.standard_normal(1))
    X, y = tasks.adding_problem(6, 4, rng=rng)
    _, grads = tasks.model_loss(model, params, X, y)
    V = [rng.standard_normal(p.shape) for p in params]
    h = 1e-6
    plus = tasks.model_loss(
        model, tuple(p + h * v for p, v in zip(params, V)), X, y, gradient=False
    )[0]
    minus = tasks.model_loss(
        model, tuple(p - h * v for p, v in zip(params, V)), X, y, gradient=False
    )[0]
    ip = sum(float(np.vdot(g, v)) for g, v in zip(grads, V))
    assert abs(ip - (plus - minus) / (2 * h)) < 1e-7 * max(1.0, abs(ip))
    with pytest.raises(ValueError, match="model"):
        tasks.model_loss("gru", params, X, y)


def test_adam_matches_torch_optim():
    rng = np.random.default_rng(6)
    params = (rng.standard_normal((2, 3)), rng.standard_normal(3))
    tp = [torch.tensor(p, requires_grad=True) for p in params]
    opt = torch.optim.Adam(tp, lr=0.01, betas=(0.8, 0.99), eps=1e-8)
    state = tasks.adam_init(params)
    for _ in range(7):
        grads = tuple(rng.standard_normal(p.shape) for p in params)
        params, state = tasks.adam_update(params, grads, state, alpha=0.01, beta1=0.8, beta2=0.99)
        for p, g in zip(tp, grads):
            p.grad = torch.tensor(g)
        opt.step()
    for p, q in zip(params, tp):
        np.testing.assert_allclose(p, q.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_train_adding_short_run_is_deterministic():
    kw = dict(T=8, n=4, m=8, steps=5, eval_every=2, m_test=16)
    a = tasks.train_adding("lstm", rng=np.random.default_rng(0), **kw)
    b = tasks.train_adding("lstm", rng=np.random.default_rng(0), **kw)
    assert np.array_equal(a.train_loss, b.train_loss) and a.eval_steps.tolist() == [2, 4, 5]
    assert all(p.dtype == np.float32 for p in a.params)


def test_parameter_counts_of_the_exercise_match_torch():
    from importlib import util
    from pathlib import Path

    path = Path(__file__).parents[2] / "book/rnn/exercises/ex_rnn_param_count.py"
    spec = util.spec_from_file_location("ex_rnn_param_count", path)
    mod = util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    count = lambda m: sum(p.numel() for p in m.parameters())  # noqa: E731
    assert count(torch.nn.RNN(10, 128)) == mod.RNN
    assert count(torch.nn.LSTM(10, 128)) == mod.LSTM
    assert count(torch.nn.GRU(10, 128)) == mod.GRU


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_in_place_sigmoid_is_accurate_to_a_few_ulps(dtype):
    """_common.sigmoid_ = 1/(1 + e^{-a}) in place: NumPy's exp is accurate to 3 ulps in float32
    and 1 in float64 (its own accuracy tests), i.e. a relative 6u and 2u with u = eps/2, and the
    addition and the reciprocal add u each (the factor e/(1 + e) <= 1 only shrinks the first
    term); where e^{-a} overflows the result is 0, within the smallest normal number."""
    import mpmath

    from deepqed.rnn._common import sigmoid_

    rng = np.random.default_rng(7)
    u = float(np.finfo(dtype).eps) / 2
    big = float(np.log(np.finfo(dtype).max))
    a = np.concatenate(
        [
            rng.uniform(-1.1 * big, 1.1 * big, 2000),
            rng.standard_normal(2000) * 4,
            [0.0, -big, big, -2 * big, 2 * big, 1e-30, -1e-30],
        ]
    ).astype(dtype)
    with np.errstate(over="ignore"):
        got = sigmoid_(a.copy())
    want = np.array([float(1 / (1 + mpmath.exp(-mpmath.mpf(float(x))))) for x in a])
    tiny = float(np.finfo(dtype).tiny)
    normal = want >= tiny
    bound = (8 if dtype == np.float32 else 4) * u * (1 + 8 * u)
    rel = np.abs(got[normal] - want[normal]) / want[normal]
    assert got.dtype == dtype and rel.max() <= bound, rel.max() / u
    assert np.all(np.abs(got[~normal] - want[~normal]) <= tiny)
    # a weakened reference (the tanh form, absolute accuracy only) fails the same relative test
    weak = (0.5 * (1 + np.tanh(0.5 * a))).astype(dtype)
    assert np.max(np.abs(weak[normal] - want[normal]) / want[normal]) > bound
