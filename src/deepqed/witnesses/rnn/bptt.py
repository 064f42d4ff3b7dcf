r"""Witnesses of Sections "Recurrent networks" and "Backpropagation through time":
`def-rnn-elman`, `lem-rnn-weight-sharing`, `alg-rnn-bptt`, `thm-rnn-bptt`, `prop-rnn-lag-sum`."""

from __future__ import annotations

import math

import numpy as np
import torch

from ... import rnn
from ...registry import Figures, Witness
from ._common import (
    nan_max,
    random_rnn,
    random_sequence,
    rel,
    relative_error,
    single_threaded,
    sizes,
    torch_rnn,
)

ACTS = ("tanh", "relu")


@single_threaded
def forward_matches_torch(
    rng: np.random.Generator, *, rnn_forward=rnn.rnn_forward, instances: int = 80
) -> Figures:
    """``rnn_forward`` vs ``torch.nn.RNN`` (weights copied), tanh and ReLU, float64 and float32."""
    errors = []
    for k in range(instances):
        T, m, d, n = sizes(rng)
        dtype = (np.float64, np.float32)[k % 2]
        act = ACTS[(k // 2) % 2]
        theta = random_rnn(rng, d, n, dtype)
        X, H0, G = random_sequence(rng, T, m, d, n, dtype)
        ours = rnn_forward(theta, X, H0, act).H[1:]
        ref, _, _ = torch_rnn(theta, X, H0, G, act, dtype=np.float64)
        errors.append(rel(ours, ref) / (1.0 if dtype == np.float64 else 1e6))
    return Figures(
        instances,
        nan_max(errors),
        1e-12,
        "relative error ||H - H_torch|| / ||H_torch|| (float64 torch reference; float32 "
        "errors divided by 1e6, i.e. float32 tolerance 1e-6), tanh and ReLU, T <= 12",
    )


@single_threaded
def weight_sharing_sum_of_copies(
    rng: np.random.Generator,
    *,
    rnn_loss_and_gradient=rnn.rnn_loss_and_gradient,
    instances: int = 40,
) -> Figures:
    r"""Gradient of the tied network (deepqed BPTT) vs the sum over $t$ of the gradients of the
    untied network (one torch leaf per copy $W_t, U_t, b_t$), float64."""
    errors = []
    for k in range(instances):
        T, m, d, n = sizes(rng, (1, 8))
        act = ACTS[k % 2]
        theta = random_rnn(rng, d, n)
        X, H0, G = random_sequence(rng, T, m, d, n, np.float64)
        copies = [[torch.tensor(a, requires_grad=True) for a in theta.arrays()] for _ in range(T)]
        sig = torch.tanh if act == "tanh" else torch.relu
        h = torch.from_numpy(H0)
        value = torch.zeros((), dtype=torch.float64)
        for t in range(T):
            W, U, b = copies[t]
            h = sig(h @ W.T + torch.from_numpy(X[t]) @ U.T + b)
            value = value + (h * torch.from_numpy(G[t])).sum()
        grads = torch.autograd.grad(value, [p for c in copies for p in c])
        summed = [sum(g.numpy() for g in grads[j::3]) for j in range(3)]
        _, ours = rnn_loss_and_gradient(theta, X, G, H0, act)
        errors.append(relative_error(ours.arrays(), summed))
    return Figures(
        instances,
        nan_max(errors),
        1e-12,
        "relative error of the tied gradient (BPTT) vs the sum over t of the untied "
        "copies' gradients (torch autograd, one leaf per copy), float64",
    )


@single_threaded
def bptt_matches_autograd(
    rng: np.random.Generator,
    *,
    rnn_loss_and_gradient=rnn.rnn_loss_and_gradient,
    instances: int = 100,
) -> Figures:
    """BPTT gradients ``(W, U, b, H0)`` and value vs ``torch.nn.RNN`` + autograd, float64."""
    errors = []
    for k in range(instances):
        T, m, d, n = sizes(rng, (1, 20))
        act = ACTS[k % 2]
        theta = random_rnn(rng, d, n)
        X, H0, G = random_sequence(rng, T, m, d, n, np.float64)
        value, g = rnn_loss_and_gradient(theta, X, G, H0, act)
        _, ref_value, ref = torch_rnn(theta, X, H0, G, act)
        errors.append(relative_error([g.W, g.U, g.b, g.H0], ref))
        errors.append(abs(value - ref_value) / max(abs(ref_value), 1e-300))
    return Figures(
        instances,
        nan_max(errors),
        1e-11,
        "relative error of (dW, dU, db, dH0) and of the value vs torch.nn.RNN autograd "
        "(weights copied), float64, tanh and ReLU, T <= 20, m <= 5, n <= 8",
    )


@single_threaded
def bptt_matches_autograd_float32(
    rng: np.random.Generator,
    *,
    rnn_loss_and_gradient=rnn.rnn_loss_and_gradient,
    instances: int = 100,
) -> Figures:
    """Float32 BPTT vs float64 torch autograd on the same float32 numbers (tanh)."""
    # tanh only: a float32 rounding may move a ReLU pre-activation across 0 (gradient jumps).
    errors = []
    for _ in range(instances):
        T, m, d, n = sizes(rng, (1, 20))
        theta = random_rnn(rng, d, n, np.float32)
        X, H0, G = random_sequence(rng, T, m, d, n, np.float32)
        _, g = rnn_loss_and_gradient(theta, X, G, H0, "tanh")
        if any(a.dtype != np.float32 for a in g.arrays()):
            return Figures(instances, math.inf, 1e-4, "a float32 gradient came back in float64")
        _, _, ref = torch_rnn(theta, X, H0, G, "tanh", dtype=np.float64)
        errors.append(relative_error([g.W, g.U, g.b, g.H0], ref))
    return Figures(
        instances,
        nan_max(errors),
        1e-4,
        "relative error of float32 BPTT vs float64 torch autograd (same inputs), tanh",
    )


def bptt_matches_central_differences(
    rng: np.random.Generator,
    *,
    rnn_loss_and_gradient=rnn.rnn_loss_and_gradient,
    instances: int = 60,
    h: float = 1e-5,
) -> Figures:
    r"""$\langle\nabla\mathcal L, V\rangle$ (BPTT) vs the central difference
    $(\mathcal L(\theta + hV) - \mathcal L(\theta - hV))/(2h)$, $\|V\| = 1$; no torch."""
    errors = []
    for _ in range(instances):
        T, m, d, n = sizes(rng, (1, 15))
        theta = random_rnn(rng, d, n)
        X, H0, G = random_sequence(rng, T, m, d, n, np.float64)
        V = [rng.standard_normal(a.shape) for a in theta.arrays()]
        norm = math.sqrt(sum(float(np.vdot(v, v)) for v in V))
        V = [v / norm for v in V]

        def value(s: float) -> float:
            shifted = rnn.RNNParameters(*(a + s * v for a, v in zip(theta.arrays(), V)))
            H = np.asarray(H0)
            total = 0.0
            for t in range(T):  # the definition, written out
                H = np.tanh(H @ shifted.W.T + X[t] @ shifted.U.T + shifted.b)
                total += float(np.vdot(G[t], H))
            return total

        _, g = rnn_loss_and_gradient(theta, X, G, H0, "tanh")
        ip = sum(float(np.vdot(a, v)) for a, v in zip(g.arrays(), V))
        cd = (value(h) - value(-h)) / (2 * h)
        scale = math.sqrt(sum(float(np.vdot(a, a)) for a in g.arrays()))
        errors.append(abs(ip - cd) / max(scale, 1e-300))
    return Figures(
        instances,
        nan_max(errors),
        1e-7,
        f"|<grad, V> - D_h L[V]| / ||grad||, ||V|| = 1, h = {h}, tanh, float64; the "
        "objective sum_t <G_t, H_t> evaluated from the definition (no torch)",
    )


@single_threaded
def lag_sum_matches_autograd(
    rng: np.random.Generator, *, hidden_jacobian=rnn.hidden_jacobian, instances: int = 40
) -> Figures:
    r"""$\nabla_W\mathcal L = \sum_{s\le t}\operatorname{diag}(\sigma'(z_s))(\partial h_t/\partial
    h_s)^\top g_t h_{s-1}^\top$ (summed over the batch rows), from the Jacobian products, vs torch
    autograd of ``nn.RNN``; also $\nabla_U$, $\nabla_b$."""
    errors = []
    for k in range(instances):
        T, m, d, n = sizes(rng, (1, 8))
        act = ACTS[k % 2]
        theta = random_rnn(rng, d, n)
        X, H0, G = random_sequence(rng, T, m, d, n, np.float64)
        fwd = rnn.rnn_forward(theta, X, H0, act)
        D = rnn.sigma_prime_from_value(fwd.H[1:], act)
        dW, dU, db = np.zeros((n, n)), np.zeros((n, d)), np.zeros(n)
        for i in range(m):
            for s in range(1, T + 1):
                for t in range(s, T + 1):
                    delta = D[s - 1, i] * (hidden_jacobian(theta, fwd, i, s, t).T @ G[t - 1, i])
                    dW += np.outer(delta, fwd.H[s - 1, i])
                    dU += np.outer(delta, X[s - 1, i])
                    db += delta
        _, _, ref = torch_rnn(theta, X, H0, G, act)
        errors.append(relative_error([dW, dU, db], ref[:3]))
    return Figures(
        instances,
        nan_max(errors),
        1e-11,
        "relative error of the double sum over lags (Jacobian products) vs torch "
        "autograd, float64, tanh and ReLU, T <= 8",
    )


CLAIMS = (
    Witness(
        "def-rnn-elman",
        forward_matches_torch,
        "the forward pass agrees with torch.nn.RNN (weights copied)",
    ),
    Witness(
        "lem-rnn-weight-sharing",
        weight_sharing_sum_of_copies,
        "tied gradient = sum of the untied copies' gradients (torch autograd)",
    ),
    Witness(
        "alg-rnn-bptt",
        bptt_matches_central_differences,
        "directional derivatives of BPTT agree with central differences",
    ),
    Witness(
        "thm-rnn-bptt", bptt_matches_autograd, "BPTT agrees with torch autograd on nn.RNN, float64"
    ),
    Witness(
        "thm-rnn-bptt", bptt_matches_autograd_float32, "BPTT in float32 agrees with torch autograd"
    ),
    Witness(
        "prop-rnn-lag-sum",
        lag_sum_matches_autograd,
        "the gradient is the sum of the lag contributions",
    ),
)
