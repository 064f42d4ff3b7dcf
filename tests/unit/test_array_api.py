"""Every public function runs under array_api_strict and torch, in float32 and float64, and returns
arrays of the input's namespace and dtype, agreeing with the NumPy float64 result."""

from __future__ import annotations

import array_api_strict as xs
import numpy as np
import pytest
import torch

from deepqed import gradcheck, losses, nn

NAMESPACES = {
    "array_api_strict": (
        lambda a, dt: xs.asarray(a, dtype=getattr(xs, dt)),
        lambda r: np.asarray(r),
        type(xs.asarray(0.0)),
    ),
    "torch": (
        lambda a, dt: torch.tensor(np.asarray(a), dtype=getattr(torch, dt)),
        lambda r: r.numpy(),
        torch.Tensor,
    ),
}
TOL = {"float32": 1e-5, "float64": 1e-12}
RNG = np.random.default_rng(0)
Z = RNG.standard_normal((4, 5)) * 3
Y = RNG.dirichlet(np.ones(5), size=4)

UNARY = [
    *(getattr(nn, n) for n in nn.ACTIVATIONS),
    *(getattr(nn, n + "_prime") for n in nn.ACTIVATIONS),
    nn.softmax,
    nn.logsumexp,
]
BINARY = [
    losses.squared_error,
    losses.squared_error_grad,
    losses.softmax_cross_entropy,
    losses.softmax_cross_entropy_grad,
]
params = pytest.mark.parametrize("ns,dt", [(n, d) for n in NAMESPACES for d in TOL])


def _same(result, reference, ns, dt):
    _, to_np, cls = NAMESPACES[ns]
    assert isinstance(result, cls)
    assert str(result.dtype).endswith(dt)
    np.testing.assert_allclose(
        to_np(result).astype(np.float64), reference, rtol=TOL[dt], atol=TOL[dt]
    )


@params
@pytest.mark.parametrize("f", UNARY, ids=lambda f: f.__name__)
def test_unary(f, ns, dt):
    make = NAMESPACES[ns][0]
    _same(f(make(Z, dt)), f(Z), ns, dt)


@params
@pytest.mark.parametrize("f", BINARY, ids=lambda f: f.__name__)
def test_losses(f, ns, dt):
    make = NAMESPACES[ns][0]
    _same(f(make(Z, dt), make(Y, dt)), f(Z, Y), ns, dt)


@params
def test_softmax_jacobian(ns, dt):
    make = NAMESPACES[ns][0]
    _same(nn.softmax_jacobian(make(Z[0], dt)), nn.softmax_jacobian(Z[0]), ns, dt)


@params
@pytest.mark.parametrize("loss", ["squared_error", "cross_entropy"])
def test_network(ns, dt, loss):
    make = NAMESPACES[ns][0]
    arch = nn.Architecture((5, 6, 4, 5), ("gelu", "relu", "sigmoid"))
    theta = nn.init_parameters(arch, rng=np.random.default_rng(1))
    theta_x = theta.map(lambda a: make(a, dt))
    Xx, Yx = make(Z, dt), make(Y, dt)
    _same(nn.forward(arch, theta_x, Xx).output, nn.forward(arch, theta, Z).output, ns, dt)
    _same(nn.realization(arch, theta_x, Xx[0, ...]), nn.realization(arch, theta, Z[0]), ns, dt)
    value, grad = nn.loss_and_gradient(arch, theta_x, Xx, Yx, loss)
    ref_value, ref = nn.loss_and_gradient(arch, theta, Z, Y, loss)
    _same(value, ref_value, ns, dt)
    for g, r in zip(grad.arrays(), ref.arrays()):
        _same(g, r, ns, dt)
    stepped = nn.sgd_step(theta_x, grad, 0.1).arrays()
    for s, r in zip(stepped, nn.sgd_step(theta, ref, 0.1).arrays()):
        _same(s, r, ns, dt)
    in_place = theta.map(lambda a: make(a.copy(), dt))  # (make may share a's memory)
    assert nn.sgd_step(in_place, grad, 0.1, out=in_place) is in_place
    for s, r in zip(in_place.arrays(), nn.sgd_step(theta, ref, 0.1).arrays()):
        _same(s, r, ns, dt)
    V = gradcheck.random_direction(theta_x, rng=np.random.default_rng(2))
    assert all(
        isinstance(v, NAMESPACES[ns][2]) and v.dtype == w.dtype
        for v, w in zip(V.arrays(), theta_x.arrays())
    )
    if dt == "float64":
        cd = gradcheck.loss_directional_difference(arch, theta_x, Xx, Yx, V, 1e-5, loss)
        assert abs(cd - gradcheck.inner(grad, V)) <= 1e-8


@params
def test_central_difference(ns, dt):
    make = NAMESPACES[ns][0]
    x, v = make(Z, dt), make(np.ones_like(Z), dt)
    r = gradcheck.central_difference(lambda t: nn.tanh(t), x, v, 1e-2)
    assert isinstance(r, NAMESPACES[ns][2]) and str(r.dtype).endswith(dt)
    np.testing.assert_allclose(NAMESPACES[ns][1](r), nn.tanh_prime(Z), atol=1e-3)  # O(h^2)
