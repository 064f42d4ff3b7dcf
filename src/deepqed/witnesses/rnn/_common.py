r"""Shared pieces of the recurrent-network witnesses: random instances, torch references, and the
tolerances of comparisons with them.

The references are ``torch.nn.RNN``, ``torch.nn.LSTM`` and ``torch.nn.GRU`` with the weights copied
in (torch's own fused implementations, never deepqed code), differentiated by
``torch.autograd.grad``, always in float64; and, independent of torch, central differences of the
objective written from the definitions. Tolerances follow :mod:`deepqed.witnesses._tolerances`:
a recurrence over $T$ steps of state width $n$ and input width $d$ has depth $T(n + d + 4)$
forward and twice that for the gradient.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from ...rnn import GRUParameters, LSTMParameters, RNNParameters
from .._common import nan_max, relative_error, single_threaded
from .._tolerances import perturbed_change, rounding_tolerance, unit_roundoff, worst_error

__all__ = [
    "single_threaded",
    "relative_error",
    "nan_max",
    "unit_roundoff",
    "worst_error",
    "sizes",
    "random_rnn",
    "random_lstm",
    "random_gru",
    "random_sequence",
    "torch_rnn",
    "torch_lstm",
    "torch_gru",
    "torch_tolerance",
    "depth",
]


def sizes(rng: np.random.Generator, T: tuple[int, int] = (1, 12)) -> tuple[int, int, int, int]:
    """``(T, m, d, n)`` uniform in small ranges."""
    return (
        int(rng.integers(T[0], T[1] + 1)),
        int(rng.integers(1, 6)),
        int(rng.integers(1, 6)),
        int(rng.integers(1, 9)),
    )


def depth(T: int, d: int, n: int, backward: bool = False) -> int:
    """The depth $N = T(n + d + 4)$ of a recurrent layer's forward pass (twice for forward and
    backward): per step a dot product over $n + d$ terms, the bias, the activation and the
    gates' products."""
    return T * (n + d + 4) * (2 if backward else 1)


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
    """Uniform entries, twice torch's default range for the weights, $[-1, 1]$ for the bias."""
    s = 1.0 / math.sqrt(n)
    return LSTMParameters(
        rng.uniform(-2 * s, 2 * s, (4 * n, n)).astype(dtype),
        rng.uniform(-2 * s, 2 * s, (4 * n, d)).astype(dtype),
        rng.uniform(-1, 1, 4 * n).astype(dtype),
    )


def random_gru(rng: np.random.Generator, d: int, n: int, dtype: Any = np.float64) -> GRUParameters:
    """As :func:`random_lstm`, with $c$ uniform on $[-1, 1]$."""
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
) -> torch.nn.Module:
    module = module.to(torch.float64)
    with torch.no_grad():
        for p, a in zip(
            (module.weight_hh_l0, module.weight_ih_l0, module.bias_ih_l0, module.bias_hh_l0),
            (W, U, b_ih, b_hh),
        ):
            p.copy_(torch.from_numpy(np.asarray(a, dtype=np.float64)))
    return module


def _grads(
    module: torch.nn.Module, out: torch.Tensor, G: np.ndarray, inputs: list[torch.Tensor]
) -> tuple[float, list[np.ndarray]]:
    value = (out * torch.from_numpy(np.asarray(G, dtype=np.float64))).sum()
    params = [module.weight_hh_l0, module.weight_ih_l0, module.bias_ih_l0, module.bias_hh_l0]
    grads = torch.autograd.grad(value, params + inputs)
    return float(value.detach()), [g.detach().numpy() for g in grads]


def torch_rnn(
    W: np.ndarray,
    U: np.ndarray,
    b: np.ndarray,
    X: np.ndarray,
    H0: np.ndarray,
    G: np.ndarray,
    activation: str,
    *,
    truncation: int | None = None,
) -> tuple[np.ndarray, float, list[np.ndarray]]:
    r"""``torch.nn.RNN`` in float64 with $W, U, b$ copied (``bias_hh = 0``): output
    $(H_1..H_T)$, the value $\sum_t\langle G_t, H_t\rangle$ and its gradients ``[W, U, b, H0]``
    by autograd. With ``truncation = k`` the state is ``detach``-ed after every $k$ steps (the
    usual truncated BPTT of a torch training loop)."""
    n, d = U.shape
    net = _copy(torch.nn.RNN(d, n, nonlinearity=activation), W, U, b, np.zeros(n))
    Xt = torch.from_numpy(np.asarray(X, dtype=np.float64))
    h0 = torch.from_numpy(np.asarray(H0, dtype=np.float64)).requires_grad_(True)
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
    W: np.ndarray,
    U: np.ndarray,
    b: np.ndarray,
    X: np.ndarray,
    H0: np.ndarray,
    C0: np.ndarray,
    G: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """``torch.nn.LSTM`` in float64 with the weights copied: output, last cell state, gradients
    ``[W, U, b, H0, C0]`` of ``sum_t <G_t, H_t>`` by autograd."""
    n, d = W.shape[1], U.shape[1]
    net = _copy(torch.nn.LSTM(d, n), W, U, b, np.zeros(4 * n))
    h0 = torch.from_numpy(np.asarray(H0, dtype=np.float64)).requires_grad_(True)
    c0 = torch.from_numpy(np.asarray(C0, dtype=np.float64)).requires_grad_(True)
    out, (_, cT) = net(torch.from_numpy(np.asarray(X, dtype=np.float64)), (h0[None], c0[None]))
    _, (gW, gU, gbi, gbh, gh0, gc0) = _grads(net, out, G, [h0, c0])
    return out.detach().numpy(), cT[0].detach().numpy(), [gW, gU, gbi, gh0, gc0]


def torch_gru(
    W: np.ndarray,
    U: np.ndarray,
    b: np.ndarray,
    c: np.ndarray,
    X: np.ndarray,
    H0: np.ndarray,
    G: np.ndarray,
) -> tuple[np.ndarray, list[np.ndarray]]:
    """``torch.nn.GRU`` in float64 with ``bias_hh = [0, 0, c]``: output and gradients
    ``[W, U, b, c, H0]``."""
    n, d = W.shape[1], U.shape[1]
    b_hh = np.zeros(3 * n)
    b_hh[2 * n :] = c
    net = _copy(torch.nn.GRU(d, n), W, U, b, b_hh)
    h0 = torch.from_numpy(np.asarray(H0, dtype=np.float64)).requires_grad_(True)
    out, _ = net(torch.from_numpy(np.asarray(X, dtype=np.float64)), h0[None])
    _, (gW, gU, gbi, gbh, gh0) = _grads(net, out, G, [h0])
    return out.detach().numpy(), [gW, gU, gbi, gbh[2 * n :], gh0]


def torch_tolerance(
    reference: Any, inputs: list[np.ndarray], N: int, dtype: Any, rng: np.random.Generator
) -> float:
    """The relative tolerance $4N\\max(\\delta, u)$ of :mod:`deepqed.witnesses._tolerances` for a
    float64 ``reference`` of the arrays ``inputs`` and a computation of depth ``N`` in ``dtype``."""
    return rounding_tolerance(N, perturbed_change(reference, inputs, dtype, rng), dtype)
