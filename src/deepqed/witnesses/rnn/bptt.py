r"""Witnesses of Sections "Recurrent networks" and "Backpropagation through time":
`def-rnn-elman`, `lem-rnn-weight-sharing`, `alg-rnn-bptt`, `thm-rnn-bptt`, `prop-rnn-lag-sum`."""

from __future__ import annotations

import numpy as np
import torch

from ... import rnn
from ...registry import Witness
from .._common import Evidence, error
from .._tolerances import adjoint_check
from ._common import (
    depth,
    random_rnn,
    random_sequence,
    relative_error,
    single_threaded,
    sizes,
    torch_rnn,
    torch_tolerance,
    worst_error,
)

ACTS = ("tanh", "relu")


def _at(T: int, m: int, d: int, n: int, act: str) -> str:
    return f"T = {T}, m = {m}, d = {d}, n = {n}, {act}"


@single_threaded
def forward_matches_torch(
    rng: np.random.Generator, *, dtype: np.dtype, rnn_forward=rnn.rnn_forward, instances: int = 30
) -> Evidence:
    """``rnn_forward`` against ``torch.nn.RNN`` in float64 on the same numbers (weights copied),
    tanh and ReLU, $T\\le 12$; tolerance from the reference's sensitivity to rounding."""
    records = []
    for k in range(instances):
        T, m, d, n = sizes(rng)
        act = ACTS[k % 2]
        theta = random_rnn(rng, d, n, dtype)
        X, H0, G = random_sequence(rng, T, m, d, n, dtype)
        ours = rnn_forward(theta, X, H0, act).H[1:]
        ref = lambda a: torch_rnn(*a, G, act)[0]
        inputs = [*theta.arrays(), X, H0]
        tol = torch_tolerance(ref, inputs, depth(T, d, n), dtype, rng)
        records.append((relative_error(ours, ref(inputs)), tol, _at(T, m, d, n, act)))
    return Evidence(
        instances,
        (worst_error("$(H_1,\\dots,H_T)$ against torch.nn.RNN (float64 reference)", records),),
    )


@single_threaded
def weight_sharing_sum_of_copies(
    rng: np.random.Generator,
    *,
    rnn_loss_and_gradient=rnn.rnn_loss_and_gradient,
    instances: int = 25,
) -> Evidence:
    r"""Gradient of the tied network (deepqed BPTT) against the sum over $t$ of the gradients of
    the untied network (one torch leaf per copy $W_t, U_t, b_t$), float64."""
    records = []
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
        ref = lambda a: torch_rnn(*a, G, act)[2][:3]
        tol = torch_tolerance(ref, [*theta.arrays(), X, H0], depth(T, d, n, True), np.float64, rng)
        records.append((relative_error(ours.arrays(), summed), tol, _at(T, m, d, n, act)))
    return Evidence(
        instances,
        (
            worst_error(
                "tied gradient (BPTT) against the sum over $t$ of the untied copies' gradients",
                records,
            ),
        ),
    )


@single_threaded
def bptt_matches_autograd(
    rng: np.random.Generator,
    *,
    dtype: np.dtype,
    rnn_loss_and_gradient=rnn.rnn_loss_and_gradient,
    instances: int = 40,
) -> Evidence:
    """BPTT gradients ``(W, U, b, H0)`` and the value against ``torch.nn.RNN`` + autograd in float64
    on the same numbers; tanh and ReLU in float64, tanh in float32 (a float32 rounding may move a
    ReLU pre-activation across 0, where the gradient jumps); the gradients keep the dtype."""
    grad_records, value_records, dtypes_kept = [], [], True
    for k in range(instances):
        T, m, d, n = sizes(rng, (1, 20))
        act = ACTS[k % 2] if dtype == np.float64 else "tanh"
        theta = random_rnn(rng, d, n, dtype)
        X, H0, G = random_sequence(rng, T, m, d, n, dtype)
        value, g = rnn_loss_and_gradient(theta, X, G, H0, act)
        dtypes_kept &= all(a.dtype == dtype for a in (g.W, g.U, g.b, g.H0))
        inputs = [*theta.arrays(), X, H0]
        _, ref_value, ref = torch_rnn(*inputs, G, act)
        N = depth(T, d, n, True)
        tol = torch_tolerance(lambda a: torch_rnn(*a, G, act)[2], inputs, N, dtype, rng)
        at = _at(T, m, d, n, act)
        grad_records.append((relative_error([g.W, g.U, g.b, g.H0], ref), tol, at))
        value_tol = torch_tolerance(lambda a: torch_rnn(*a, G, act)[1], inputs, N, dtype, rng)
        value_records.append((relative_error(value, ref_value), value_tol, at))
    return Evidence(
        instances,
        (
            worst_error(
                "$(\\mathrm dW, \\mathrm dU, \\mathrm db, \\mathrm dH_0)$ against autograd",
                grad_records,
            ),
            worst_error("$\\sum_t\\langle G_t, H_t\\rangle$ against torch", value_records),
            error(
                "gradient arrays of another dtype than the input's",
                float(not dtypes_kept),
                0.0,
                units="count",
            ),
        ),
    )


@single_threaded
def bptt_matches_central_differences(
    rng: np.random.Generator,
    *,
    rnn_loss_and_gradient=rnn.rnn_loss_and_gradient,
    instances: int = 40,
    h: float = 1e-4,
) -> Evidence:
    r"""$\langle\nabla\mathcal L, V\rangle$ (BPTT) against the central difference of
    $\mathcal L = \sum_t\langle G_t, H_t\rangle$ written from the definition (no torch), for a
    random unit direction $V$ of $\Theta$, tanh, float64."""
    records = []
    for _ in range(instances):
        T, m, d, n = sizes(rng, (1, 15))
        theta = random_rnn(rng, d, n)
        X, H0, G = random_sequence(rng, T, m, d, n, np.float64)
        shapes = [a.shape for a in theta.arrays()]
        cuts = np.cumsum([int(np.prod(s)) for s in shapes])[:-1]

        def unflatten(x: np.ndarray) -> list[np.ndarray]:
            return [p.reshape(s) for p, s in zip(np.split(x, cuts), shapes)]

        def objective(x: np.ndarray) -> np.ndarray:
            W, U, b = unflatten(x)
            H, total = H0, 0.0
            for t in range(T):  # the definition, written out
                H = np.tanh(H @ W.T + X[t] @ U.T + b)
                total += float(np.vdot(G[t], H))
            return np.array([total])

        _, g = rnn_loss_and_gradient(theta, X, G, H0, "tanh")
        flat = np.concatenate([a.ravel() for a in g.arrays()])
        x = np.concatenate([a.ravel() for a in theta.arrays()])
        V = rng.standard_normal(x.shape)
        V /= np.linalg.norm(V)
        # |H_t| <= 1: each term <G_t, H_t> is computed from terms of size at most sum |G_t|
        err, tol = adjoint_check(
            objective, lambda u: u[0] * flat, x, np.ones(1), V, h, depth(T, d, n), np.abs(G).sum()
        )
        records.append((err, tol, _at(T, m, d, n, "tanh")))
    return Evidence(
        instances,
        (
            worst_error(
                "$\\langle\\nabla\\mathcal L, V\\rangle$ against central differences of the definition",
                records,
                units="relative discrepancy",
            ),
        ),
    )


@single_threaded
def lag_sum_matches_autograd(
    rng: np.random.Generator, *, hidden_jacobian=rnn.hidden_jacobian, instances: int = 25
) -> Evidence:
    r"""$\nabla_W\mathcal L = \sum_{s\le t}\operatorname{diag}(\sigma'(z_s))(\partial h_t/\partial
    h_s)^\top g_t h_{s-1}^\top$ (summed over the batch rows), from the Jacobian products, against
    torch autograd of ``nn.RNN``; also $\nabla_U$, $\nabla_b$; float64, tanh and ReLU."""
    records = []
    for k in range(instances):
        T, m, d, n = sizes(rng, (1, 8))
        m = min(m, 3)
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
        inputs = [*theta.arrays(), X, H0]
        ref = lambda a: torch_rnn(*a, G, act)[2][:3]
        # the lag sum adds T^2 / 2 products of up to T Jacobians: depth T times the BPTT's
        tol = torch_tolerance(ref, inputs, T * depth(T, d, n, True), np.float64, rng)
        records.append((relative_error([dW, dU, db], ref(inputs)), tol, _at(T, m, d, n, act)))
    return Evidence(
        instances,
        (
            worst_error(
                "the sum over lags of $\\Xi_{t,s}$ against autograd's $(\\nabla_W, \\nabla_U, \\nabla_b)$",
                records,
            ),
        ),
    )


CLAIMS = (
    Witness(
        "def-rnn-elman",
        forward_matches_torch,
        "the forward pass agrees with torch.nn.RNN (weights copied)",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "lem-rnn-weight-sharing",
        weight_sharing_sum_of_copies,
        "tied gradient = sum of the untied copies' gradients (torch autograd)",
        strength="exact",
    ),
    Witness(
        "alg-rnn-bptt",
        bptt_matches_central_differences,
        "directional derivatives of BPTT agree with central differences of the definition",
        strength="exact",
    ),
    Witness(
        "thm-rnn-bptt",
        bptt_matches_autograd,
        "BPTT agrees with torch autograd on nn.RNN",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "prop-rnn-lag-sum",
        lag_sum_matches_autograd,
        "the gradient is the sum of the lag contributions",
        strength="exact",
    ),
)
