r"""Shared pieces of the recurrent-network witnesses: random instances and torch references.

The references are ``torch.nn.RNN``, ``torch.nn.LSTM`` and ``torch.nn.GRU`` with the weights copied
in (torch's own fused implementations, never deepqed code), differentiated by
``torch.autograd.grad``; and, independent of torch, central differences.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from ...rnn import GRUParameters, LSTMParameters, RNNParameters
from ..feedforward._common import nan_max, relative_error, single_threaded

__all__ = [
    "single_threaded",
    "relative_error",
    "nan_max",
    "random_rnn",
    "random_lstm",
    "random_gru",
    "random_sequence",
    "torch_rnn",
    "torch_lstm",
    "torch_gru",
    "TORCH_DTYPES",
    "rel",
]

TORCH_DTYPES = {np.dtype(np.float32): torch.float32, np.dtype(np.float64): torch.float64}


def rel(a: Any, b: Any) -> float:
    """``relative_error([a], [b])`` for one pair of arrays."""
    return relative_error([np.asarray(a, dtype=np.float64)], [np.asarray(b, dtype=np.float64)])


def _sizes(rng: np.random.Generator, T: tuple[int, int] = (1, 12)) -> tuple[int, int, int, int]:
    return (
        int(rng.integers(T[0], T[1] + 1)),
        int(rng.integers(1, 6)),
        int(rng.integers(1, 6)),
        int(rng.integers(1, 9)),
    )


def random_sequence(
    rng: np.random.Generator, T: int, m: int, d: int, n: int, dtype: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``X`` ``(T, m, d)``, ``H0`` ``(m, n)``, ``G`` ``(T, m, n)``: standard normal entries."""
    return (
        rng.standard_normal((T, m, d)).astype(dtype),
        rng.standard_normal((m, n)).astype(dtype),
        rng.standard_normal((T, m, n)).astype(dtype),
    )


def random_rnn(
    rng: np.random.Generator, d: int, n: int, dtype: Any = np.float64, spread: float = 1.5
) -> RNNParameters:
    r"""Gaussian $W$ scaled to a uniform $\|W\|_{\mathrm{op}}$ in $(0.05,$ ``spread``$)$; $U$, $b$
    Gaussian."""
    W = rng.standard_normal((n, n))
    W *= rng.uniform(0.05, spread) / np.linalg.norm(W, 2)
    U = rng.standard_normal((n, d)) / math.sqrt(d)
    b = 0.5 * rng.standard_normal(n)
    return RNNParameters(W.astype(dtype), U.astype(dtype), b.astype(dtype))


def random_lstm(
    rng: np.random.Generator, d: int, n: int, dtype: Any = np.float64
) -> LSTMParameters:
    s = 1.0 / math.sqrt(n)
    return LSTMParameters(
        rng.uniform(-2 * s, 2 * s, (4 * n, n)).astype(dtype),
        rng.uniform(-2 * s, 2 * s, (4 * n, d)).astype(dtype),
        rng.uniform(-1, 1, 4 * n).astype(dtype),
    )


def random_gru(rng: np.random.Generator, d: int, n: int, dtype: Any = np.float64) -> GRUParameters:
    s = 1.0 / math.sqrt(n)
    return GRUParameters(
        rng.uniform(-2 * s, 2 * s, (3 * n, n)).astype(dtype),
        rng.uniform(-2 * s, 2 * s, (3 * n, d)).astype(dtype),
        rng.uniform(-1, 1, 3 * n).astype(dtype),
        rng.uniform(-1, 1, n).astype(dtype),
    )


def _copy(
    module: torch.nn.Module,
    W: np.ndarray,
    U: np.ndarray,
    b_ih: np.ndarray,
    b_hh: np.ndarray,
    dtype: torch.dtype,
) -> torch.nn.Module:
    module = module.to(dtype)
    with torch.no_grad():
        module.weight_hh_l0.copy_(torch.from_numpy(np.ascontiguousarray(W)))
        module.weight_ih_l0.copy_(torch.from_numpy(np.ascontiguousarray(U)))
        module.bias_ih_l0.copy_(torch.from_numpy(np.ascontiguousarray(b_ih)))
        module.bias_hh_l0.copy_(torch.from_numpy(np.ascontiguousarray(b_hh)))
    return module


def _grads(
    module: torch.nn.Module, out: torch.Tensor, G: np.ndarray, inputs: list[torch.Tensor]
) -> tuple[float, list[np.ndarray]]:
    value = (out * torch.from_numpy(G).to(out.dtype)).sum()
    params = [module.weight_hh_l0, module.weight_ih_l0, module.bias_ih_l0, module.bias_hh_l0]
    grads = torch.autograd.grad(value, params + inputs)
    return float(value.detach()), [g.detach().numpy().astype(np.float64) for g in grads]


def torch_rnn(
    theta: RNNParameters,
    X: np.ndarray,
    H0: np.ndarray,
    G: np.ndarray,
    activation: str,
    *,
    truncation: int | None = None,
    dtype: Any = None,
) -> tuple[np.ndarray, float, list[np.ndarray]]:
    r"""``torch.nn.RNN`` with $W, U, b$ copied (``bias_hh = 0``): output $(H_1..H_T)$, the value
    $\sum_t\langle G_t, H_t\rangle$ and its gradients ``[W, U, b, H0]`` by autograd. With
    ``truncation = k`` the state is ``detach``-ed after every $k$ steps (the usual truncated BPTT
    of a torch training loop)."""
    tdt = TORCH_DTYPES[np.dtype(dtype or theta.dtype)]
    n = theta.n
    net = _copy(
        torch.nn.RNN(theta.d, n, nonlinearity=activation),
        theta.W,
        theta.U,
        theta.b,
        np.zeros(n, dtype=theta.dtype),
        tdt,
    )
    Xt = torch.from_numpy(X).to(tdt)
    h0 = torch.from_numpy(H0).to(tdt).requires_grad_(True)
    if truncation is None:
        out, _ = net(Xt, h0[None])
    else:
        pieces, h = [], h0[None]
        for start in range(0, X.shape[0], truncation):
            o, h = net(Xt[start : start + truncation], h)
            pieces.append(o)
            h = h.detach()
        out = torch.cat(pieces)
    value, (gW, gU, gbi, gbh, gh0) = _grads(net, out, G, [h0])
    return out.detach().numpy(), value, [gW, gU, gbi, gh0]


def torch_lstm(
    theta: LSTMParameters,
    X: np.ndarray,
    H0: np.ndarray,
    C0: np.ndarray,
    G: np.ndarray,
    dtype: Any = None,
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """``torch.nn.LSTM`` with weights copied: output, last cell state, gradients
    ``[W, U, b, H0, C0]`` of ``sum_t <G_t, H_t>`` by autograd."""
    tdt = TORCH_DTYPES[np.dtype(dtype or theta.dtype)]
    net = _copy(
        torch.nn.LSTM(theta.d, theta.n),
        theta.W,
        theta.U,
        theta.b,
        np.zeros(4 * theta.n, dtype=theta.dtype),
        tdt,
    )
    h0 = torch.from_numpy(H0).to(tdt).requires_grad_(True)
    c0 = torch.from_numpy(C0).to(tdt).requires_grad_(True)
    out, (_, cT) = net(torch.from_numpy(X).to(tdt), (h0[None], c0[None]))
    _, (gW, gU, gbi, gbh, gh0, gc0) = _grads(net, out, G, [h0, c0])
    return out.detach().numpy(), cT[0].detach().numpy(), [gW, gU, gbi, gh0, gc0]


def torch_gru(
    theta: GRUParameters, X: np.ndarray, H0: np.ndarray, G: np.ndarray, dtype: Any = None
) -> tuple[np.ndarray, list[np.ndarray]]:
    """``torch.nn.GRU`` with ``bias_hh = [0, 0, c]``: output and gradients ``[W, U, b, c, H0]``."""
    tdt = TORCH_DTYPES[np.dtype(dtype or theta.dtype)]
    n = theta.n
    b_hh = np.zeros(3 * n, dtype=theta.dtype)
    b_hh[2 * n :] = theta.c
    net = _copy(torch.nn.GRU(theta.d, n), theta.W, theta.U, theta.b, b_hh, tdt)
    h0 = torch.from_numpy(H0).to(tdt).requires_grad_(True)
    out, _ = net(torch.from_numpy(X).to(tdt), h0[None])
    _, (gW, gU, gbi, gbh, gh0) = _grads(net, out, G, [h0])
    return out.detach().numpy(), [gW, gU, gbi, gbh[2 * n :], gh0]


def sizes(rng: np.random.Generator, T: tuple[int, int] = (1, 12)) -> tuple[int, int, int, int]:
    """``(T, m, d, n)`` uniform in small ranges."""
    return _sizes(rng, T)
