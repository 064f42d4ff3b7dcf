r"""Witnesses of Section "Gated networks": `def-rnn-lstm`, `thm-rnn-lstm-backward`,
`prop-rnn-cell-path`, `def-rnn-gru`, `thm-rnn-gru-backward`."""

from __future__ import annotations

import math

import numpy as np
import torch

from ... import rnn
from ...registry import Figures, Witness
from ._common import (
    nan_max,
    random_gru,
    random_lstm,
    random_sequence,
    rel,
    relative_error,
    single_threaded,
    sizes,
    torch_gru,
    torch_lstm,
)


def _lstm_instance(rng, dtype=np.float64, T=(1, 15)):
    T, m, d, n = sizes(rng, T)
    theta = random_lstm(rng, d, n, dtype)
    X, H0, G = random_sequence(rng, T, m, d, n, dtype)
    C0 = rng.standard_normal((m, n)).astype(dtype)
    return theta, X, H0, C0, G


def _lstm(theta, X, H0, C0, G, lstm_forward, lstm_backward):
    fwd = lstm_forward(theta, X, H0, C0)
    return fwd, lstm_backward(theta, fwd, X, G)


@single_threaded
def lstm_forward_matches_torch(
    rng: np.random.Generator, *, lstm_forward=rnn.lstm_forward, instances: int = 60
) -> Figures:
    """``lstm_forward`` (H and the last C) vs ``torch.nn.LSTM`` with copied weights."""
    errors = []
    for k in range(instances):
        dtype = (np.float64, np.float32)[k % 2]
        theta, X, H0, C0, G = _lstm_instance(rng, dtype)
        fwd = lstm_forward(theta, X, H0, C0)
        out, cT, _ = torch_lstm(theta, X, H0, C0, G, dtype=np.float64)
        scale = 1.0 if dtype == np.float64 else 1e7
        errors.append(max(rel(fwd.H[1:], out), rel(fwd.C[-1], cT)) / scale)
    return Figures(
        instances,
        nan_max(errors),
        1e-12,
        "relative error of H_1..H_T and C_T vs torch.nn.LSTM (float64 reference; "
        "float32 errors divided by 1e7)",
    )


@single_threaded
def lstm_backward_matches_autograd(
    rng: np.random.Generator,
    *,
    lstm_forward=rnn.lstm_forward,
    lstm_backward=rnn.lstm_backward,
    instances: int = 60,
) -> Figures:
    """LSTM gradients ``(W, U, b, H0, C0)`` vs torch autograd on ``nn.LSTM``, float64 and float32
    (float32 compared with float64 torch on the same numbers, tolerance scaled by 1e-6)."""
    errors = []
    for k in range(instances):
        dtype = (np.float64, np.float32)[k % 2]
        theta, X, H0, C0, G = _lstm_instance(rng, dtype)
        _, g = _lstm(theta, X, H0, C0, G, lstm_forward, lstm_backward)
        _, _, ref = torch_lstm(theta, X, H0, C0, G, dtype=np.float64)
        err = relative_error([g.W, g.U, g.b, g.H0, g.C0], ref)
        errors.append(err if dtype == np.float64 else err * 1e-6)
    return Figures(
        instances,
        nan_max(errors),
        1e-11,
        "relative error of (dW, dU, db, dH0, dC0) vs torch autograd on nn.LSTM; float64 "
        "(tolerance 1e-11) and float32 (errors times 1e-6, i.e. tolerance 1e-5)",
    )


def lstm_backward_matches_central_differences(
    rng: np.random.Generator,
    *,
    lstm_backward=rnn.lstm_backward,
    instances: int = 40,
    h: float = 1e-5,
) -> Figures:
    r"""$\langle\nabla\mathcal L, V\rangle$ vs central differences of $\mathcal L =
    \sum_t\langle G_t, H_t\rangle$ written from the definition (no torch), float64."""
    errors = []
    for _ in range(instances):
        theta, X, H0, C0, G = _lstm_instance(rng, T=(1, 10))
        n = theta.n
        V = [rng.standard_normal(a.shape) for a in theta.arrays()]
        nv = math.sqrt(sum(float(np.vdot(v, v)) for v in V))
        V = [v / nv for v in V]

        def value(s: float) -> float:
            W, U, b = (a + s * v for a, v in zip(theta.arrays(), V))
            sig = lambda a: 1.0 / (1.0 + np.exp(-a))  # noqa: E731
            Hh, C, total = H0, C0, 0.0
            for t in range(X.shape[0]):
                A = Hh @ W.T + X[t] @ U.T + b
                i, f = sig(A[:, :n]), sig(A[:, n : 2 * n])
                g, o = np.tanh(A[:, 2 * n : 3 * n]), sig(A[:, 3 * n :])
                C = f * C + i * g
                Hh = o * np.tanh(C)
                total += float(np.vdot(G[t], Hh))
            return total

        fwd = rnn.lstm_forward(theta, X, H0, C0)
        grad = lstm_backward(theta, fwd, X, G)
        ip = sum(float(np.vdot(a, v)) for a, v in zip(grad.arrays(), V))
        cd = (value(h) - value(-h)) / (2 * h)
        scale = math.sqrt(sum(float(np.vdot(a, a)) for a in grad.arrays()))
        errors.append(abs(ip - cd) / max(scale, 1e-300))
    return Figures(
        instances,
        nan_max(errors),
        1e-7,
        f"|<grad, V> - D_h L[V]| / ||grad||, ||V|| = 1, h = {h}, float64, no torch",
    )


@single_threaded
def cell_path_jacobian(
    rng: np.random.Generator, *, cell_path_products=rnn.cell_path_products, instances: int = 40
) -> Figures:
    r"""(1) torch Jacobian of $c_{t-1}\mapsto c_t$ (``nn.LSTMCell``, $h_{t-1}$ fixed) equals
    $\operatorname{diag}(f_t)$; (2) the cell-path products lie in
    $[f_{\min}^{t-s}, f_{\max}^{t-s}]$; (3) $f_{t,j}\ge\operatorname{sigmoid}(b^f_j -
    \|W^f_{j,:}\|_1 - \lvert(U^fx_t)_j\rvert)$."""
    errors = []
    for _ in range(instances):
        theta, X, H0, C0, _ = _lstm_instance(rng, T=(1, 30))
        n = theta.n
        fwd = rnn.lstm_forward(theta, X, H0, C0)
        T = X.shape[0]
        t = int(rng.integers(1, T + 1))
        cell = torch.nn.LSTMCell(theta.d, n).to(torch.float64)
        with torch.no_grad():
            cell.weight_hh.copy_(torch.from_numpy(theta.W))
            cell.weight_ih.copy_(torch.from_numpy(theta.U))
            cell.bias_ih.copy_(torch.from_numpy(theta.b))
            cell.bias_hh.zero_()
        x = torch.from_numpy(X[t - 1, :1])
        h = torch.from_numpy(fwd.H[t - 1, :1])
        J = torch.autograd.functional.jacobian(
            lambda c: cell(x, (h, c[None]))[1][0], torch.from_numpy(fwd.C[t - 1, 0].copy())
        ).numpy()
        F = fwd.gates[:, 0, n : 2 * n]
        errors.append(rel(J, np.diag(F[t - 1])))
        s = int(rng.integers(0, T))
        P = cell_path_products(fwd, 0, s)
        k = np.arange(T - s + 1)[:, None]
        fmin, fmax = float(F[s:].min()), float(F[s:].max())
        errors.append(float(np.max(np.maximum(0.0, fmin**k - P) / fmin**k)))
        errors.append(float(np.max(np.maximum(0.0, P - fmax**k) / fmax**k)))
        Wf, Uf, bf = theta.W[n : 2 * n], theta.U[n : 2 * n], theta.b[n : 2 * n]
        for tt in range(T):
            lower = 1.0 / (1.0 + np.exp(-(bf - np.abs(Wf).sum(1) - np.abs(Uf @ X[tt, 0]))))
            if tt > 0 or np.max(np.abs(H0[0])) <= 1.0:
                errors.append(float(np.max(np.maximum(0.0, lower - F[tt]))))
    return Figures(
        instances,
        nan_max(errors),
        1e-12,
        "relative error of the torch Jacobian dc_t/dc_{t-1} vs diag(f_t); violations of "
        "f_min^(t-s) <= prod f_k <= f_max^(t-s) and of the sigmoid lower bound on f",
    )


@single_threaded
def gru_forward_matches_torch(
    rng: np.random.Generator, *, gru_forward=rnn.gru_forward, instances: int = 60
) -> Figures:
    """``gru_forward`` vs ``torch.nn.GRU`` with copied weights (``b_hn`` = c)."""
    errors = []
    for k in range(instances):
        dtype = (np.float64, np.float32)[k % 2]
        T, m, d, n = sizes(rng, (1, 15))
        theta = random_gru(rng, d, n, dtype)
        X, H0, G = random_sequence(rng, T, m, d, n, dtype)
        out, _ = torch_gru(theta, X, H0, G, dtype=np.float64)
        scale = 1.0 if dtype == np.float64 else 1e7
        errors.append(rel(gru_forward(theta, X, H0).H[1:], out) / scale)
    return Figures(
        instances,
        nan_max(errors),
        1e-12,
        "relative error of H_1..H_T vs torch.nn.GRU (float64 reference; float32 errors "
        "divided by 1e7)",
    )


@single_threaded
def gru_backward_matches_autograd(
    rng: np.random.Generator,
    *,
    gru_forward=rnn.gru_forward,
    gru_backward=rnn.gru_backward,
    instances: int = 60,
) -> Figures:
    """GRU gradients ``(W, U, b, c, H0)`` vs torch autograd on ``nn.GRU``, float64 and float32."""
    errors = []
    for k in range(instances):
        dtype = (np.float64, np.float32)[k % 2]
        T, m, d, n = sizes(rng, (1, 15))
        theta = random_gru(rng, d, n, dtype)
        X, H0, G = random_sequence(rng, T, m, d, n, dtype)
        fwd = gru_forward(theta, X, H0)
        g = gru_backward(theta, fwd, X, G)
        _, ref = torch_gru(theta, X, H0, G, dtype=np.float64)
        err = relative_error([g.W, g.U, g.b, g.c, g.H0], ref)
        errors.append(err if dtype == np.float64 else err * 1e-6)
    return Figures(
        instances,
        nan_max(errors),
        1e-11,
        "relative error of (dW, dU, db, dc, dH0) vs torch autograd on nn.GRU; float64 "
        "(tolerance 1e-11) and float32 (errors times 1e-6)",
    )


CLAIMS = (
    Witness(
        "def-rnn-lstm",
        lstm_forward_matches_torch,
        "the LSTM forward pass agrees with torch.nn.LSTM",
    ),
    Witness(
        "thm-rnn-lstm-backward",
        lstm_backward_matches_autograd,
        "LSTM gradients agree with torch autograd",
    ),
    Witness(
        "thm-rnn-lstm-backward",
        lstm_backward_matches_central_differences,
        "LSTM gradients agree with central differences",
    ),
    Witness(
        "prop-rnn-cell-path",
        cell_path_jacobian,
        "dc_t/dc_{t-1} = diag(f_t) and the cell-path products obey the bounds",
    ),
    Witness(
        "def-rnn-gru", gru_forward_matches_torch, "the GRU forward pass agrees with torch.nn.GRU"
    ),
    Witness(
        "thm-rnn-gru-backward",
        gru_backward_matches_autograd,
        "GRU gradients agree with torch autograd",
    ),
)
