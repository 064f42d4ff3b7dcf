r"""Layer normalisation: forward, Jacobian in closed form, backward (``torch.nn.LayerNorm``).

Implements Definition `def-att-layernorm` and Proposition `prop-att-layernorm-jacobian`. The
normalised axis is the last one, of size ``n`` (= d_model); every other axis is a batch axis:
``X`` has shape ``(..., n)``, ``gamma`` and ``beta`` shape ``(n,)``.

Arrays come from any array-API library; results keep its namespace, device and dtype.

$$\mu = \tfrac1n\mathbf 1^\top x,\quad \sigma^2 = \tfrac1n\|x - \mu\mathbf 1\|^2,\quad
s = \sqrt{\sigma^2 + \varepsilon},\quad \hat x = (x - \mu\mathbf 1)/s,\quad
y = \gamma\odot\hat x + \beta.$$
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from array_api_compat import device

from .._validation import Array, Instance, Real, check, fail, namespace, validate

__all__ = ["LayerNormCache", "layernorm_forward", "layernorm_backward", "layernorm_jacobian"]

EPS = 1e-5  #: torch.nn.LayerNorm's default epsilon

#: Rows to normalise: ``(..., n)`` with at most three leading axes.
_ROWS = Array(ndim=(1, 2, 3, 4))
_VECTOR = Array(shape=("n",))


@dataclass(frozen=True)
class LayerNormCache:
    """``X_hat`` ``(..., n)`` and ``inv_s`` ``(..., 1)`` $= 1/s$, for the backward pass."""

    X_hat: np.ndarray
    inv_s: np.ndarray

    __deepqed_constraints__ = {
        "X_hat": Array(ndim=(1, 2, 3, 4), finite=False),
        "inv_s": Array(ndim=(1, 2, 3, 4), finite=False),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))
        if self.inv_s.shape != self.X_hat.shape[:-1] + (1,):
            fail(
                "inv_s",
                f"have shape {self.X_hat.shape[:-1] + (1,)} (that of 'X_hat' with last axis 1)",
                f"shape {self.inv_s.shape}",
            )


def _check_rows(X: np.ndarray, **vectors: np.ndarray | None) -> None:
    """The last axis of ``X`` has the length ``n`` of the vectors (their names in messages)."""
    n = X.shape[-1]
    for name, v in vectors.items():
        if v is not None and v.shape != (n,):
            fail(
                name,
                f"have shape (n,) with n = {n} (the last axis of the rows)",
                f"shape {v.shape}",
            )


@validate(X=_ROWS, gamma=_VECTOR, beta=_VECTOR, eps=Real(0, None))
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
    _check_rows(X, gamma=gamma, beta=beta)
    return _forward(X, gamma, beta, eps)


def _forward(
    X: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float, name: str = "X"
) -> tuple[np.ndarray, LayerNormCache]:
    xp = namespace(X)
    mu = xp.mean(X, axis=-1, keepdims=True)
    Xc = X - mu
    var = xp.mean(Xc * Xc, axis=-1, keepdims=True)
    var += eps  # rounded to the dtype of X
    if bool(xp.any(var == 0)):
        fail(
            name,
            "have no constant row when eps = 0 (layer normalisation of a constant row is "
            "undefined: sigma = 0; use eps > 0)",
            "a constant row",
        )
    inv_s = 1 / xp.sqrt(var)
    X_hat = Xc
    X_hat *= inv_s
    Y = X_hat * gamma
    Y += beta
    return Y, LayerNormCache(X_hat, inv_s)


@validate(dY=_ROWS, gamma=_VECTOR, cache=Instance(LayerNormCache))
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
    _check_rows(dY, gamma=gamma)
    if dY.shape != X_hat.shape or dY.dtype != X_hat.dtype:
        fail(
            "dY",
            f"have the shape {X_hat.shape} and dtype {X_hat.dtype} of the forward pass's rows "
            "('cache')",
            f"shape {dY.shape} and dtype {dY.dtype}",
        )
    return _backward(dY, gamma, cache)


def _backward(
    dY: np.ndarray, gamma: np.ndarray, cache: LayerNormCache
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xp, X_hat = namespace(dY), cache.X_hat
    axes = tuple(range(X_hat.ndim - 1))
    dgamma = xp.sum(dY * X_hat, axis=axes)
    dbeta = xp.sum(dY, axis=axes)
    G = dY * gamma
    dX = G - xp.mean(G, axis=-1, keepdims=True)
    dX -= X_hat * xp.mean(G * X_hat, axis=-1, keepdims=True)
    dX *= cache.inv_s
    return dX, dgamma, dbeta


@validate(x=_VECTOR, gamma=_VECTOR, eps=Real(0, None))
def layernorm_jacobian(x: Any, gamma: Any, eps: float = EPS) -> np.ndarray:
    r"""$J(x) = \operatorname{diag}(\gamma)\,\frac1s\bigl(I - \tfrac1n\mathbf 1\mathbf 1^\top
    - \tfrac1n\hat x\hat x^\top\bigr)$ for one vector ``x`` of shape ``(n,)``; returns ``(n, n)``
    (Proposition `prop-att-layernorm-jacobian`, part 1). With ``eps = 0`` a constant ``x`` raises
    ``ValueError``."""
    xp, n = namespace(x), x.shape[0]
    _, cache = _forward(x, gamma, xp.zeros_like(gamma), eps, "x")
    x_hat, inv_s = cache.X_hat, cache.inv_s[0]
    M = xp.eye(n, dtype=x.dtype, device=device(x)) - 1 / n - x_hat[:, None] * x_hat[None, :] / n
    return (gamma * inv_s)[:, None] * M
