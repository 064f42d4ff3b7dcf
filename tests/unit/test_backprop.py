"""Backpropagation (deepqed.nn.backprop): Theorem thm-backprop on Hypothesis-drawn networks."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from strategies import SMOOTH, networks

from deepqed import gradcheck, nn
from deepqed._validation import ShapeError
from deepqed.witnesses.feedforward._common import relative_error, torch_gradient, torch_loss


@pytest.mark.parametrize(
    "loss,target",
    [
        ("squared_error", "real"),
        ("cross_entropy", "onehot"),
        ("cross_entropy", "simplex"),
        ("cross_entropy", "real"),
    ],
)
@given(data=networks(activations=SMOOTH))
@settings(max_examples=20, deadline=None)
def test_gradient_matches_directional_differences(loss, target, data):
    arch, theta, X, Y = data
    if target != "real":
        rng = np.random.default_rng(X.size)
        Y = (
            np.eye(Y.shape[1])[rng.integers(Y.shape[1], size=Y.shape[0])]
            if target == "onehot"
            else rng.dirichlet(np.ones(Y.shape[1]), size=Y.shape[0])
        )
    _, grad = nn.loss_and_gradient(arch, theta, X, Y, loss)
    V = gradcheck.random_direction(theta, rng=np.random.default_rng(0))
    cd = gradcheck.loss_directional_difference(arch, theta, X, Y, V, 1e-5, loss)
    norm = math.sqrt(gradcheck.inner(grad, grad))
    assert abs(gradcheck.inner(grad, V) - cd) <= 1e-7 * (1 + norm)


@given(net=networks(max_depth=5, max_width=12, max_batch=8))
@settings(max_examples=40, deadline=None)
def test_gradient_matches_torch_autograd(net):
    arch, theta, X, Y = net
    value, grad = nn.loss_and_gradient(arch, theta, X, Y)
    ref_value, ref = torch_gradient(arch, theta, X, Y, "squared_error")
    assert relative_error(grad.arrays(), ref) <= 1e-10
    assert math.isclose(float(value), ref_value, rel_tol=1e-12, abs_tol=1e-14)


@given(net=networks(max_depth=3, max_width=6))
@settings(max_examples=30, deadline=None)
def test_backward_sweep_is_linear_in_G(net):
    arch, theta, X, _ = net
    fwd = nn.forward(arch, theta, X)
    rng = np.random.default_rng(1)
    G1, G2 = rng.standard_normal((2, *fwd.output.shape))
    g1, g2 = (nn.backprop(arch, theta, fwd, G) for G in (G1, G2))
    g12 = nn.backprop(arch, theta, fwd, 2 * G1 - G2)
    for a, b, c in zip(g1.arrays(), g2.arrays(), g12.arrays()):
        np.testing.assert_allclose(c, 2 * a - b, atol=1e-12)


@given(net=networks(max_depth=4, max_width=8))
@settings(max_examples=30, deadline=None)
def test_input_gradient_is_G0_of_autograd(net):
    """G^0 = Delta^1 W^1 is the gradient of the objective in the input batch (Theorem
    thm-backprop, C(0)), and asking for it leaves the parameter gradient unchanged."""
    arch, theta, X, Y = net
    fwd = nn.forward(arch, theta, X)
    G = (fwd.output - Y) / X.shape[0]  # G^L of the squared error
    grad, G0 = nn.backprop(arch, theta, fwd, G, input_gradient=True)
    alone = nn.backprop(arch, theta, fwd, G)
    assert all(np.array_equal(a, b) for a, b in zip(grad.arrays(), alone.arrays()))
    Xt = torch.tensor(X, requires_grad=True)
    W = [torch.tensor(a) for a in theta.W]
    b = [torch.tensor(a) for a in theta.b]
    value = torch_loss(arch, W, b, Xt, torch.tensor(Y), "squared_error")
    (ref,) = torch.autograd.grad(value, Xt)
    assert G0.shape == X.shape
    assert relative_error([G0], [ref.numpy()]) <= 1e-10


@given(net=networks(max_depth=3, max_width=6, dtype=np.float32))
@settings(max_examples=25, deadline=None)
def test_float32_is_preserved(net):
    arch, theta, X, Y = net
    value, grad = nn.loss_and_gradient(arch, theta, X, Y)
    assert value.dtype == np.float32 and all(g.dtype == np.float32 for g in grad.arrays())


def test_torch_tensors_give_torch_gradients():
    arch = nn.Architecture((3, 4, 2), ("tanh", "identity"))
    theta = nn.init_parameters(arch, rng=np.random.default_rng(0))
    X, Y = np.ones((5, 3)), np.zeros((5, 2))
    _, g_np = nn.loss_and_gradient(arch, theta, X, Y)
    _, g_t = nn.loss_and_gradient(
        arch, theta.map(torch.from_numpy), torch.from_numpy(X), torch.from_numpy(Y)
    )
    assert all(isinstance(g, torch.Tensor) for g in g_t.arrays())
    for a, b in zip(g_np.arrays(), g_t.arrays()):
        np.testing.assert_allclose(a, b.numpy(), rtol=1e-14, atol=1e-15)


def test_loss_argument_errors():
    arch = nn.Architecture((2, 1), ("identity",))
    theta = nn.init_parameters(arch, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="'loss'"):
        nn.loss_and_gradient(arch, theta, np.zeros((3, 2)), np.zeros((3, 1)), "hinge")
    with pytest.raises(ShapeError, match=r"'Y'.*m = 3 \(from 'X'\).*\(4, 1\)"):
        nn.loss_and_gradient(arch, theta, np.zeros((3, 2)), np.zeros((4, 1)))


def test_requires_grad_and_non_contiguous_inputs():
    """Tensors that require grad (theta of a torch model) and transposed (non-contiguous) inputs
    give the same gradient as plain arrays."""
    arch = nn.Architecture((3, 4, 2), ("gelu", "identity"))
    theta = nn.init_parameters(arch, rng=np.random.default_rng(0))
    rng = np.random.default_rng(1)
    Xt, Y = rng.standard_normal((3, 5)), rng.standard_normal((5, 2))
    _, ref = nn.loss_and_gradient(arch, theta, np.ascontiguousarray(Xt.T), Y)
    _, g_np = nn.loss_and_gradient(arch, theta, Xt.T, Y)
    tt = theta.map(lambda a: torch.tensor(a, requires_grad=True))
    _, g_t = nn.loss_and_gradient(arch, tt, torch.from_numpy(Xt).T, torch.from_numpy(Y))
    for r, a, b in zip(ref.arrays(), g_np.arrays(), g_t.arrays()):
        np.testing.assert_allclose(a, r, rtol=1e-14, atol=1e-15)
        np.testing.assert_allclose(b.detach().numpy(), r, rtol=1e-13, atol=1e-15)
    stepped = nn.sgd_step(tt, g_t, 0.1)
    for s, t, g in zip(stepped.arrays(), theta.arrays(), ref.arrays()):
        np.testing.assert_allclose(s.detach().numpy(), t - 0.1 * g, rtol=1e-14, atol=1e-15)


def test_depth_one_and_single_sample():
    """L = 1, m = 1, n_L = 1: dW = Delta^T x, db = Delta, by hand."""
    arch = nn.Architecture((3, 1), ("tanh",))
    W, b = np.array([[0.5, -1.0, 2.0]]), np.array([0.3])
    x, y = np.array([[1.0, 2.0, -0.5]]), np.array([[0.7]])
    value, grad = nn.loss_and_gradient(arch, nn.Parameters((W,), (b,)), x, y)
    z = float(W[0] @ x[0] + b[0])
    a = math.tanh(z)
    assert math.isclose(float(value), 0.5 * (a - 0.7) ** 2, rel_tol=1e-15)
    delta = (a - 0.7) * (1 - a * a)
    np.testing.assert_allclose(grad.W[0], delta * x, rtol=1e-14)
    np.testing.assert_allclose(grad.b[0], [delta], rtol=1e-14)
