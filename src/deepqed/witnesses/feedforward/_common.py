r"""Shared pieces of the feedforward witnesses: random instances and an independent torch reference.

The torch reference is written with ``torch.nn.functional`` from the definitions (it never calls
deepqed code), so agreement with it is evidence, not a tautology.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from ...nn import ACTIVATIONS, Architecture, Parameters, init_parameters
from .._common import nan_max, single_threaded  # noqa: F401  (shared by every chapter)

ACTIVATION_NAMES: tuple[str, ...] = tuple(ACTIVATIONS)
SMOOTH: tuple[str, ...] = ("identity", "sigmoid", "tanh", "softplus", "gelu")
ALPHA = 0.01  # leaky ReLU slope (PyTorch's default negative_slope)

#: sigma_l written with torch from the definitions (softplus as logaddexp(z, 0): no threshold).
TORCH_ACTIVATIONS: dict[str, Any] = {
    "identity": lambda Z: Z,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": F.relu,
    "leaky_relu": lambda Z: F.leaky_relu(Z, ALPHA),
    "softplus": lambda Z: torch.logaddexp(Z, torch.zeros_like(Z)),
    "gelu": lambda Z: F.gelu(Z, approximate="none"),
}


def random_architecture(
    rng: np.random.Generator,
    *,
    depth: tuple[int, int] = (1, 6),
    width: tuple[int, int] = (1, 64),
    activations: Sequence[str] = ACTIVATION_NAMES,
    must_use: str | None = None,
    last: str | None = None,
) -> Architecture:
    """Depth and widths uniform in the given (inclusive) ranges, activations drawn from the list."""
    L = int(rng.integers(depth[0], depth[1] + 1))
    widths = tuple(int(n) for n in rng.integers(width[0], width[1] + 1, size=L + 1))
    acts = [str(rng.choice(list(activations))) for _ in range(L)]
    if must_use is not None:
        acts[int(rng.integers(L))] = must_use
    if last is not None:
        acts[-1] = last
    return Architecture(widths, tuple(acts))


def random_parameters(
    arch: Architecture, rng: np.random.Generator, dtype: Any = np.float64
) -> Parameters:
    """LeCun-initialised weights and N(0, 1/4) biases (a distribution with a density on Theta)."""
    theta = init_parameters(arch, rng=rng, dtype=np.float64)
    b = tuple(0.5 * rng.standard_normal(bl.shape) for bl in theta.b)
    return Parameters(theta.W, b).map(lambda a: np.asarray(a, dtype=dtype))


def random_targets(rng: np.random.Generator, m: int, n: int, kind: str) -> np.ndarray:
    """``kind``: "real" (Gaussian), "onehot" (one-hot rows) or "simplex" (Dirichlet rows)."""
    if kind == "onehot":
        return np.eye(n)[rng.integers(n, size=m)]
    if kind == "simplex":
        return rng.dirichlet(np.ones(n), size=m)
    return rng.standard_normal((m, n))


def torch_loss(
    arch: Architecture,
    W: Sequence[torch.Tensor],
    b: Sequence[torch.Tensor],
    X: torch.Tensor,
    Y: torch.Tensor,
    loss: str,
) -> torch.Tensor:
    r"""$\mathcal L(\theta)$ written with torch: ``F.linear`` layers, then $\frac1{2m}\|A^L - Y\|^2$
    or $-\frac1m\sum_{ik} Y_{ik}\log\operatorname{softmax}(A^L_i)_k$ (``F.log_softmax``)."""
    A = X
    for Wl, bl, name in zip(W, b, arch.activations):
        A = TORCH_ACTIVATIONS[name](F.linear(A, Wl, bl))
    m = X.shape[0]
    if loss == "squared_error":
        return 0.5 * F.mse_loss(A, Y, reduction="sum") / m
    return -(Y * F.log_softmax(A, dim=1)).sum() / m


def torch_gradient(
    arch: Architecture,
    theta: Parameters,
    X: np.ndarray,
    Y: np.ndarray,
    loss: str,
    dtype: torch.dtype = torch.float64,
) -> tuple[float, list[np.ndarray]]:
    """The loss and its gradient ``[dW^1, db^1, ..., dW^L, db^L]`` by ``torch.autograd.grad``."""
    W = [torch.tensor(np.asarray(a), dtype=dtype, requires_grad=True) for a in theta.W]
    b = [torch.tensor(np.asarray(a), dtype=dtype, requires_grad=True) for a in theta.b]
    value = torch_loss(arch, W, b, torch.tensor(X, dtype=dtype), torch.tensor(Y, dtype=dtype), loss)
    params = [p for pair in zip(W, b) for p in pair]
    grads = torch.autograd.grad(value, params)
    return float(value.detach()), [g.detach().numpy().astype(np.float64) for g in grads]


def relative_error(ours: Sequence[Any], ref: Sequence[np.ndarray]) -> float:
    r"""$\|x - y\| / \|y\|$ over all arrays together (Euclidean norm in $\mathbb R^P$).

    Infinite if a shape differs; 0 when both are exactly zero."""
    num = den = 0.0
    for a, r in zip(ours, ref, strict=True):
        a = np.asarray(a, dtype=np.float64)
        if a.shape != r.shape:
            return math.inf
        num += float(np.sum((a - r) ** 2))
        den += float(np.sum(r * r))
    if den == 0.0:
        return 0.0 if num == 0.0 else math.inf
    return math.sqrt(num / den)
