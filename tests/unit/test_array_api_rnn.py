"""``deepqed.rnn`` on every array backend: each public function runs on NumPy, array_api_strict
and torch (CPU; CUDA where available), in float32 and float64, returns arrays of the input's
namespace, device and dtype, and agrees with the NumPy float64 path; the layers' kernels for
other namespaces (``rnn._xp``) agree with the plain cells run step by step.

Tolerances: every compared quantity is a composition of at most ``T`` steps, each a sum of at
most ``T m + d + n`` products followed by elementwise maps with bounded derivatives, so its
first-order rounding error relative to the largest entry is at most a small multiple of
``(T m + d + n) T u`` with ``u`` the unit roundoff of the dtype (``2^-24`` for float32,
``2^-53`` for float64); we allow ``8 (T m + d + n) T u``.
"""

from __future__ import annotations

import array_api_strict as xs
import numpy as np
import pytest
import torch
from array_backends import BACKENDS, UNIT_ROUNDOFF, assert_same, referenced, uncovered

from deepqed import rnn
from deepqed.rnn import tasks

T, M, D, N = 5, 3, 4, 6
NAMESPACES = BACKENDS
params = pytest.mark.parametrize(
    "ns,dt", [(n, d) for n in NAMESPACES for d in UNIT_ROUNDOFF], ids=lambda v: str(v)
)


def tol(dt: str) -> float:
    return 8 * (T * M + D + N) * T * UNIT_ROUNDOFF[dt]


def same(result, reference, ns, dt):
    """``result`` has the namespace and dtype of the inputs and equals ``reference`` (NumPy
    float64) to ``tol(dt)`` relative to the largest entry of ``reference``."""
    assert_same(result, reference, ns, dt, tol(dt))


def problem(seed=0):
    rng = np.random.default_rng(seed)
    return {
        "rnn": rnn.init_rnn(D, N, rng=rng),
        "lstm": rnn.init_lstm(D, N, rng=rng, forget_bias=0.5),
        "gru": rnn.init_gru(D, N, rng=rng),
        "X": rng.standard_normal((T, M, D)),
        "G": rng.standard_normal((T, M, N)),
        "H0": 0.5 * rng.standard_normal((M, N)),
        "C0": 0.5 * rng.standard_normal((M, N)),
        "GC": rng.standard_normal((M, N)),
    }


P = problem()


def convert(ns, dt):
    make = NAMESPACES[ns][0]
    out = {
        k: (v.map(lambda a: make(a, dt)) if hasattr(v, "map") else make(v, dt))
        for k, v in P.items()
    }
    return out


@params
@pytest.mark.parametrize("activation", rnn.ACTIVATIONS)
@pytest.mark.parametrize("truncation", [None, 2])
def test_elman(ns, dt, activation, truncation):
    x = convert(ns, dt)
    fwd = rnn.rnn_forward(x["rnn"], x["X"], x["H0"], activation)
    ref = rnn.rnn_forward(P["rnn"], P["X"], P["H0"], activation)
    same(fwd.H, ref.H, ns, dt)
    same(fwd.output, ref.output, ns, dt)
    g = rnn.rnn_backward(x["rnn"], fwd, x["X"], x["G"], truncation=truncation)
    r = rnn.rnn_backward(P["rnn"], ref, P["X"], P["G"], truncation=truncation)
    for a, b in zip((*g.arrays(), g.H0), (*r.arrays(), r.H0)):
        same(a, b, ns, dt)
    value, g2 = rnn.rnn_loss_and_gradient(x["rnn"], x["X"], x["G"], None, activation, truncation)
    ref_value, r2 = rnn.rnn_loss_and_gradient(
        P["rnn"], P["X"], P["G"], None, activation, truncation
    )
    assert isinstance(value, float)
    assert abs(value - ref_value) <= tol(dt) * T * M * N
    for a, b in zip((*g2.arrays(), g2.H0), (*r2.arrays(), r2.H0)):
        same(a, b, ns, dt)
    same(
        rnn.sigma_prime_from_value(fwd.H, activation),
        rnn.sigma_prime_from_value(ref.H, activation),
        ns,
        dt,
    )


@params
def test_clipping(ns, dt):
    x = convert(ns, dt)
    grads = (x["X"], x["G"])
    norm = rnn.global_norm(grads)
    ref = rnn.global_norm((P["X"], P["G"]))
    assert abs(norm - ref) <= tol(dt) * ref
    clipped, n2 = rnn.clip_global_norm(grads, 0.5 * ref)
    ref_clipped, _ = rnn.clip_global_norm((P["X"], P["G"]), 0.5 * ref)
    assert n2 == norm
    for a, b in zip(clipped, ref_clipped):
        same(a, b, ns, dt)


@params
def test_lstm(ns, dt):
    x = convert(ns, dt)
    fwd = rnn.lstm_forward(x["lstm"], x["X"], x["H0"], x["C0"])
    ref = rnn.lstm_forward(P["lstm"], P["X"], P["H0"], P["C0"])
    for a, b in ((fwd.H, ref.H), (fwd.C, ref.C), (fwd.gates, ref.gates), (fwd.tanhC, ref.tanhC)):
        same(a, b, ns, dt)
    for GC in ("GC", None):
        g = rnn.lstm_backward(x["lstm"], fwd, x["X"], x["G"], GC and x[GC])
        r = rnn.lstm_backward(P["lstm"], ref, P["X"], P["G"], GC and P[GC])
        for a, b in zip((*g.arrays(), g.H0, g.C0), (*r.arrays(), r.H0, r.C0)):
            same(a, b, ns, dt)
    X0, H, C = x["X"][0, ...], x["H0"], x["C0"]
    for a, b in zip(
        rnn.lstm_cell(x["lstm"], X0, H, C), rnn.lstm_cell(P["lstm"], P["X"][0], P["H0"], P["C0"])
    ):
        same(a, b, ns, dt)
    step = rnn.lstm_cell_backward(x["lstm"], X0, H, C, x["H0"], x["C0"])
    step_ref = rnn.lstm_cell_backward(P["lstm"], P["X"][0], P["H0"], P["C0"], P["H0"], P["C0"])
    for a, b in zip(step, step_ref):
        same(a, b, ns, dt)
    paths = rnn.cell_path_products(fwd, 1, 2)
    assert str(paths.dtype).endswith("float64")
    same(_as(ns, dt, paths), rnn.cell_path_products(ref, 1, 2), ns, dt)


@params
def test_gru(ns, dt):
    x = convert(ns, dt)
    fwd = rnn.gru_forward(x["gru"], x["X"], x["H0"])
    ref = rnn.gru_forward(P["gru"], P["X"], P["H0"])
    for a, b in ((fwd.H, ref.H), (fwd.gates, ref.gates), (fwd.Qn, ref.Qn)):
        same(a, b, ns, dt)
    g = rnn.gru_backward(x["gru"], fwd, x["X"], x["G"])
    r = rnn.gru_backward(P["gru"], ref, P["X"], P["G"])
    for a, b in zip((*g.arrays(), g.H0), (*r.arrays(), r.H0)):
        same(a, b, ns, dt)
    same(
        rnn.gru_cell(x["gru"], x["X"][0, ...], x["H0"]),
        rnn.gru_cell(P["gru"], P["X"][0], P["H0"]),
        ns,
        dt,
    )
    step = rnn.gru_cell_backward(x["gru"], x["X"][0, ...], x["H0"], x["C0"])
    step_ref = rnn.gru_cell_backward(P["gru"], P["X"][0], P["H0"], P["C0"])
    for a, b in zip(step, step_ref):
        same(a, b, ns, dt)


def _as(ns, dt, a):
    """A float64 result of namespace ``ns`` cast to ``dt`` (to compare it with :func:`same`)."""
    if ns == "array_api_strict":
        return xs.astype(a, getattr(xs, dt))
    if ns.startswith("torch"):
        return a.to(getattr(torch, dt))
    return a.astype(dt)


@params
def test_jacobians(ns, dt):
    x = convert(ns, dt)
    fwd = rnn.rnn_forward(x["rnn"], x["X"], x["H0"])
    ref = rnn.rnn_forward(P["rnn"], P["X"], P["H0"])
    same(
        rnn.hidden_jacobian(x["rnn"], fwd, 1, 1, T),
        rnn.hidden_jacobian(P["rnn"], ref, 1, 1, T),
        ns,
        dt,
    )
    for got, want in (
        (rnn.jacobian_norms(x["rnn"], fwd, 2, 1), rnn.jacobian_norms(P["rnn"], ref, 2, 1)),
        (rnn.linear_power_norms(x["rnn"].W, 4), rnn.linear_power_norms(P["rnn"].W, 4)),
    ):
        assert str(got.dtype).endswith("float64")
        same(_as(ns, dt, got), want, ns, dt)


@params
@pytest.mark.parametrize("model", tasks.MODELS)
def test_tasks(ns, dt, model):
    make = NAMESPACES[ns][0]
    rng = np.random.default_rng(3)
    init = rnn.init_rnn if model == "rnn" else rnn.init_lstm
    layer = init(2, N, rng=rng).arrays()  # the adding problem's inputs have d = 2
    params_np = (*layer, rng.standard_normal(N), rng.standard_normal(1))
    X, y = tasks.adding_problem(T, M, rng=rng)
    params_x = tuple(make(a, dt) for a in params_np)
    value, grads = tasks.model_loss(model, params_x, make(X, dt), make(y, dt))
    ref_value, ref = tasks.model_loss(model, params_np, X, y)
    assert abs(value - ref_value) <= tol(dt) * max(1.0, abs(ref_value))
    for a, b in zip(grads, ref):
        same(a, b, ns, dt)
    state = tasks.adam_init(params_x)
    new, state = tasks.adam_update(params_x, grads, state, alpha=0.1)
    new_ref, _ = tasks.adam_update(params_np, ref, tasks.adam_init(params_np), alpha=0.1)
    assert state.k == 1
    for a, b in zip(new, new_ref):
        same(a, b, ns, dt)


# --- the kernels for other namespaces against the plain cells ------------------------------------
@params
def test_layers_against_cells(ns, dt):
    """``lstm_forward``/``gru_forward`` and their backward passes (the fused NumPy kernels or
    ``rnn._xp``) equal the plain cells run step by step in the same namespace and dtype."""
    x = convert(ns, dt)
    xp_ns = NAMESPACES[ns]
    theta = x["lstm"]
    fwd = rnn.lstm_forward(theta, x["X"], x["H0"], x["C0"])
    H, C = x["H0"], x["C0"]
    for t in range(T):
        H, C = rnn.lstm_cell(theta, x["X"][t, ...], H, C)
        np.testing.assert_allclose(xp_ns[1](fwd.H[t + 1, ...]), xp_ns[1](H), atol=tol(dt))
        np.testing.assert_allclose(xp_ns[1](fwd.C[t + 1, ...]), xp_ns[1](C), atol=tol(dt))
    g = rnn.lstm_backward(theta, fwd, x["X"], x["G"])
    dH = x["G"][T - 1, ...]
    dC = 0.0 * dH
    total = None
    for t in range(T - 1, -1, -1):
        step = rnn.lstm_cell_backward(theta, x["X"][t, ...], fwd.H[t, ...], fwd.C[t, ...], dH, dC)
        total = step[:3] if total is None else tuple(a + b for a, b in zip(total, step[:3]))
        dC = step[4]
        dH = step[3] + (x["G"][t - 1, ...] if t else 0.0)
    for a, b in zip(g.arrays(), total):
        np.testing.assert_allclose(xp_ns[1](a), xp_ns[1](b), atol=tol(dt) * T)
    np.testing.assert_allclose(xp_ns[1](g.H0), xp_ns[1](dH), atol=tol(dt))
    np.testing.assert_allclose(xp_ns[1](g.C0), xp_ns[1](dC), atol=tol(dt))

    theta = x["gru"]
    fwd = rnn.gru_forward(theta, x["X"], x["H0"])
    H = x["H0"]
    for t in range(T):
        H = rnn.gru_cell(theta, x["X"][t, ...], H)
        np.testing.assert_allclose(xp_ns[1](fwd.H[t + 1, ...]), xp_ns[1](H), atol=tol(dt))
    g = rnn.gru_backward(theta, fwd, x["X"], x["G"])
    dH = x["G"][T - 1, ...]
    total = None
    for t in range(T - 1, -1, -1):
        step = rnn.gru_cell_backward(theta, x["X"][t, ...], fwd.H[t, ...], dH)
        total = step[:4] if total is None else tuple(a + b for a, b in zip(total, step[:4]))
        dH = step[4] + (x["G"][t - 1, ...] if t else 0.0)
    for a, b in zip(g.arrays(), total):
        np.testing.assert_allclose(xp_ns[1](a), xp_ns[1](b), atol=tol(dt) * T)
    np.testing.assert_allclose(xp_ns[1](g.H0), xp_ns[1](dH), atol=tol(dt))


def test_every_public_function_is_covered():
    """Each public function of ``rnn`` that takes an array is named in this file, whose
    tests run on every backend: a guard against a new function without a backend test (the
    samplers and the containers take no array)."""
    assert uncovered(rnn, referenced(__file__, "rnn")) == []
