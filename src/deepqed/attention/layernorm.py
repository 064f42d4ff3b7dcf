r"""Layer normalisation: forward, Jacobian in closed form, backward (``torch.nn.LayerNorm``).

Implements Definition `def-att-layernorm` and Proposition `prop-att-layernorm-jacobian`. The
normalised axis is the last one, of size ``n`` (= d_model); every other axis is a batch axis:
``X`` has shape ``(..., n)``, ``gamma`` and ``beta`` shape ``(n,)``.

$$\mu = \tfrac1n\mathbf 1^\top x,\quad \sigma^2 = \tfrac1n\|x - \mu\mathbf 1\|^2,\quad
s = \sqrt{\sigma^2 + \varepsilon},\quad \hat x = (x - \mu\mathbf 1)/s,\quad
y = \gamma\odot\hat x + \beta.$$
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._arrays import ShapeError, as_float_array, check_dtype_match

__all__ = ["LayerNormCache", "layernorm_forward", "layernorm_backward", "layernorm_jacobian"]

EPS = 1e-5  #: torch.nn.LayerNorm's default epsilon


@dataclass(frozen=True)
class LayerNormCache:
    """``X_hat`` ``(..., n)`` and ``inv_s`` ``(..., 1)`` $= 1/s$, for the backward pass."""

    X_hat: np.ndarray
    inv_s: np.ndarray


def _check(X: Any, gamma: Any, beta: Any, eps: float) -> int:
    as_float_array("X", X, ndim=(1, 2, 3, 4), nonempty=True)
    n = X.shape[-1]
    as_float_array("gamma", gamma, shape=(n,))
    if beta is not None:
        as_float_array("beta", beta, shape=(n,))
    check_dtype_match(X=X, gamma=gamma, beta=beta)
    if not (isinstance(eps, (int, float)) and eps >= 0):
        raise ValueError(f"argument 'eps' must be a number >= 0, got {eps!r}")
    return n


def layernorm_forward(
    X: Any, gamma: Any, beta: Any, eps: float = EPS
) -> tuple[np.ndarray, LayerNormCache]:
    r"""$Y = \gamma\odot\hat X + \beta$ row by row (Definition `def-att-layernorm`).

    Arguments:
        X: ``(..., n)``. gamma, beta: ``(n,)``. eps: $\varepsilon \ge 0$ (torch's default 1e-5).
            With ``eps = 0`` a constant row ($\sigma = 0$) raises ``ValueError``.

    Returns:
        ``(Y, cache)``, ``Y`` of shape ``(..., n)``.
    """
    _check(X, gamma, beta, eps)
    mu = X.mean(axis=-1, keepdims=True)
    Xc = X - mu
    var = np.mean(Xc * Xc, axis=-1, keepdims=True)
    var += X.dtype.type(eps)
    if np.any(var == 0):
        raise ValueError(
            "layer normalisation of a constant row with eps = 0 is undefined "
            "(sigma = 0); use eps > 0"
        )
    inv_s = 1 / np.sqrt(var)
    X_hat = Xc
    X_hat *= inv_s
    Y = X_hat * gamma
    Y += beta
    return Y, LayerNormCache(X_hat, inv_s)


def layernorm_backward(
    dY: Any, gamma: np.ndarray, cache: LayerNormCache
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Backward of layer normalisation (Proposition `prop-att-layernorm-jacobian`, part 4).

    With $g = \gamma\odot dy$ per row:
    $dx = \frac1s\bigl(g - \bar g\,\mathbf 1 - \overline{g\odot\hat x}\,\hat x\bigr)$ (bars are
    means over the row), $d\gamma = \sum_{\text{rows}} dy\odot\hat x$, $d\beta = \sum_{\text{rows}} dy$.

    Returns:
        ``(dX, dgamma, dbeta)`` of shapes ``(..., n)``, ``(n,)``, ``(n,)``.
    """
    X_hat = cache.X_hat
    as_float_array("dY", dY, shape=X_hat.shape)
    check_dtype_match(dY=dY, gamma=gamma)
    axes = tuple(range(X_hat.ndim - 1))
    dgamma = np.sum(dY * X_hat, axis=axes)
    dbeta = np.sum(dY, axis=axes)
    G = dY * gamma
    dX = G - G.mean(axis=-1, keepdims=True)
    dX -= X_hat * np.mean(G * X_hat, axis=-1, keepdims=True)
    dX *= cache.inv_s
    return dX, dgamma, dbeta


def layernorm_jacobian(x: Any, gamma: Any, eps: float = EPS) -> np.ndarray:
    r"""$J(x) = \operatorname{diag}(\gamma)\,\frac1s\bigl(I - \tfrac1n\mathbf 1\mathbf 1^\top
    - \tfrac1n\hat x\hat x^\top\bigr)$ for one vector ``x`` of shape ``(n,)``; returns ``(n, n)``
    (Proposition `prop-att-layernorm-jacobian`, part 1)."""
    n = _check(x, gamma, None, eps)
    if x.ndim != 1:
        raise ShapeError(f"argument 'x' must have shape (n,), got shape {x.shape}")
    _, cache = layernorm_forward(x, gamma, np.zeros_like(gamma), eps)
    x_hat, inv_s = cache.X_hat, cache.inv_s[0]
    M = np.eye(n, dtype=x.dtype) - 1 / n - np.outer(x_hat, x_hat) / n
    return (gamma * inv_s)[:, None] * M
