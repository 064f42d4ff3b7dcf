r"""The tangent kernel and the PL* condition of a wide two-layer network.

Section "Wide networks satisfy PL*" of the chapter *Optimisation and trainability*. For a model
$F:\mathbb R^P\to\mathbb R^m$ (the outputs on $m$ training inputs) and targets $y\in\mathbb R^m$,
the square loss $\mathcal L(w) = \frac12\|F(w) - y\|^2$ has gradient $DF(w)^\top r$ with
$r = F(w) - y$, and the *tangent kernel* is $K(w) = DF(w)DF(w)^\top\in\mathbb R^{m\times m}$
(Definition `def-opt-tangent-kernel`); $\frac12\|\nabla\mathcal L\|^2 = \frac12 r^\top K r\ge
\lambda_{\min}(K)\,\mathcal L$ (Proposition `prop-opt-pl-star`).

The model of Corollary `cor-opt-wide`: width $N$, inputs $X\in\mathbb R^{m\times d}$ (rows
$x_i^\top$), first-layer weights $W\in\mathbb R^{N\times d}$ (rows $w_j^\top$), fixed output
weights $a\in\{-1, 1\}^N$, and

$$F_i(W) = \frac1{\sqrt N}\sum_{j=1}^N a_j\tanh(w_j^\top x_i),\qquad
K_{ik}(W) = \frac1N\sum_{j=1}^N\tanh'(w_j^\top x_i)\tanh'(w_j^\top x_k)\,x_i^\top x_k .$$

Parameters are flattened row by row: coordinate $(j - 1)d + k$ of $w\in\mathbb R^{Nd}$ is $W_{jk}$.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._validation import Array, Integer, Real, fail, validate

__all__ = [
    "TANH_SECOND_MAX",
    "two_layer_outputs",
    "two_layer_jacobian",
    "tangent_kernel",
    "WideConstants",
    "wide_constants",
    "TwoLayerRun",
    "train_two_layer",
]

#: $\sup_u|\tanh''(u)| = 4/(3\sqrt3)$, attained where $\tanh u = 1/\sqrt3$.
TANH_SECOND_MAX = 4.0 / (3.0 * math.sqrt(3.0))

_MODEL = dict(
    W=Array(shape=("N", "d"), numpy=True),
    a=Array(shape=("N",), numpy=True),
    X=Array(shape=("m", "d"), numpy=True),
)


def _tanh_prime(Z: np.ndarray) -> np.ndarray:
    T = np.tanh(Z)
    return 1.0 - T * T


@validate(**_MODEL)
def two_layer_outputs(W: np.ndarray, a: np.ndarray, X: np.ndarray) -> np.ndarray:
    r"""$F(W) = \frac1{\sqrt N}\tanh(XW^\top)a$, shape ``(m,)``."""
    return np.tanh(X @ W.T) @ a / math.sqrt(W.shape[0])


@validate(**_MODEL)
def two_layer_jacobian(W: np.ndarray, a: np.ndarray, X: np.ndarray) -> np.ndarray:
    r"""$DF(W)$, shape ``(m, N d)``: row $i$ holds
    $\partial F_i/\partial W_{jk} = \frac1{\sqrt N}a_j\tanh'(w_j^\top x_i)X_{ik}$ at column
    $(j - 1)d + k$."""
    N, d = W.shape
    S = _tanh_prime(X @ W.T) * a / math.sqrt(N)  # (m, N)
    return (S[:, :, None] * X[:, None, :]).reshape(X.shape[0], N * d)


@validate(**_MODEL)
def tangent_kernel(W: np.ndarray, a: np.ndarray, X: np.ndarray) -> np.ndarray:
    r"""$K(W) = DF(W)DF(W)^\top = \frac1N\bigl(\tanh'(XW^\top)\tanh'(XW^\top)^\top\bigr)\odot XX^\top$,
    shape ``(m, m)`` (the output weights enter as $a_j^2 = 1$). ``a`` is validated for shape
    only."""
    S = _tanh_prime(X @ W.T)  # (m, N)
    return (S @ S.T) / W.shape[0] * (X @ X.T)


@dataclass(frozen=True)
class WideConstants:
    r"""The constants of Corollary `cor-opt-wide` for one initialisation $W_0$.

    Attributes:
        mu0: $\mu_0 = \lambda_{\min}(K(W_0))$.
        loss0: $\mathcal L_0 = \frac12\|F(W_0) - y\|^2$.
        kappa_F: $\kappa_F = \sum_i\|x_i\|^2\ge\|DF(W)\|_{\mathrm{op}}^2$ for every $W$.
        lip_K: $L_K = s_2C_X/\sqrt N$ with $s_2 = \sup|\tanh''|$ and
            $C_X = (\sum_{i,k}(x_i^\top x_k)^2(\|x_i\| + \|x_k\|)^2)^{1/2}$:
            $\|K(W) - K(W')\|_{\mathrm{op}}\le L_K\|W - W'\|_F$.
        rho: $\rho = \mu_0/(2L_K)$: $\lambda_{\min}(K)\ge\mu_0/2$ on $B(W_0, \rho)$.
        beta: $\beta = \kappa_F + \frac{s_2}{\sqrt N}(\sum_i\|x_i\|^4)^{1/2}
            (\|F(W_0) - y\| + \kappa_F^{1/2}\rho)\ge\|\nabla^2\mathcal L\|_{\mathrm{op}}$ on
            $B(W_0, \rho)$.
        R: $R = 2\sqrt{2\kappa_F\mathcal L_0}/(\mu_0/2)$, the radius of Theorem
            `thm-opt-pl-star-ball`.
        width_threshold: $N^\ast = 128\,s_2^2C_X^2\kappa_F\mathcal L_0/\mu_0^4$; $R\le\rho$ if
            and only if $N\ge N^\ast$ (for this $\mu_0$ and $\mathcal L_0$).
        certified: whether $R\le\rho$, so that the theorem applies with $\mu = \mu_0/2$,
            $\beta$, step $1/\beta$.
    """

    mu0: float
    loss0: float
    kappa_F: float
    lip_K: float
    rho: float
    beta: float
    R: float
    width_threshold: float
    certified: bool


@validate(y=Array(shape=("m",), numpy=True), **_MODEL)
def wide_constants(W: np.ndarray, a: np.ndarray, X: np.ndarray, y: np.ndarray) -> WideConstants:
    r"""The constants of Corollary `cor-opt-wide` at $W_0$ = ``W`` (see :class:`WideConstants`).
    Raises ``ValueError`` naming ``W`` when $\lambda_{\min}(K(W_0))$ is $0$ to rounding
    ($\le 8mu\operatorname{tr}K$; then no radius certifies PL*: for example when $Nd < m$)."""
    X64, W64, a64, y64 = (v.astype(np.float64) for v in (X, W, a, y))
    N = W.shape[0]
    K0 = tangent_kernel(W64, a64, X64)
    mu0 = float(np.linalg.eigvalsh(K0)[0])
    if not mu0 > 8 * X.shape[0] * np.finfo(np.float64).eps * float(np.trace(K0)):  # rounding
        fail("W", "give a positive definite tangent kernel K(W)", f"lambda_min = {mu0:.3g}")
    r0 = two_layer_outputs(W64, a64, X64) - y64
    loss0 = 0.5 * float(r0 @ r0)
    nx = np.linalg.norm(X64, axis=1)
    G = X64 @ X64.T
    C_X = math.sqrt(float(np.sum(G**2 * (nx[:, None] + nx[None, :]) ** 2)))
    s2 = TANH_SECOND_MAX
    kappa_F = float(np.sum(nx**2))
    lip_K = s2 * C_X / math.sqrt(N)
    rho = mu0 / (2.0 * lip_K)
    beta = kappa_F + s2 / math.sqrt(N) * math.sqrt(float(np.sum(nx**4))) * (
        math.sqrt(2.0 * loss0) + math.sqrt(kappa_F) * rho
    )
    R = 2.0 * math.sqrt(2.0 * kappa_F * loss0) / (mu0 / 2.0)
    threshold = 128.0 * s2**2 * C_X**2 * kappa_F * loss0 / mu0**4
    return WideConstants(mu0, loss0, kappa_F, lip_K, rho, beta, R, threshold, R <= rho)


@dataclass(frozen=True)
class TwoLayerRun:
    r"""A run of gradient descent on $\mathcal L(W) = \frac12\|F(W) - y\|^2$.

    Attributes:
        W: the last iterate $W_T$, shape ``(N, d)``.
        loss: $\mathcal L(W_t)$, shape ``(T + 1,)``.
        distance: $\|W_t - W_0\|_F$, shape ``(T + 1,)``.
        lambda_min: $\lambda_{\min}(K(W_t))$, shape ``(T + 1,)``.
        grad_sq: $\|\nabla\mathcal L(W_t)\|^2$, shape ``(T + 1,)``.
    """

    W: np.ndarray
    loss: np.ndarray
    distance: np.ndarray
    lambda_min: np.ndarray
    grad_sq: np.ndarray


@validate(
    y=Array(shape=("m",), numpy=True),
    eta=Real(0, None, closed="neither"),
    steps=Integer(0),
    **_MODEL,
)
def train_two_layer(
    W: np.ndarray, a: np.ndarray, X: np.ndarray, y: np.ndarray, eta: float, steps: int
) -> TwoLayerRun:
    r"""Gradient descent $W_{t+1} = W_t - \eta\nabla\mathcal L(W_t)$ from $W_0$ = ``W``, with
    $\nabla_{w_j}\mathcal L = \frac1{\sqrt N}a_j\sum_i r_i\tanh'(w_j^\top x_i)x_i$, recording
    the loss, the distance from $W_0$ and $\lambda_{\min}(K(W_t))$ at every step."""
    N = W.shape[0]
    W0, Wt = W, W.copy()
    out = {k: np.empty(steps + 1) for k in ("loss", "distance", "lambda_min", "grad_sq")}
    for t in range(steps + 1):
        Z = X @ Wt.T
        r = np.tanh(Z) @ a / math.sqrt(N) - y
        S = (1.0 - np.tanh(Z) ** 2) * a / math.sqrt(N)  # (m, N)
        grad = (S * r[:, None]).T @ X  # (N, d)
        out["loss"][t] = 0.5 * float(r @ r)
        out["distance"][t] = float(np.linalg.norm(Wt - W0))
        out["lambda_min"][t] = float(np.linalg.eigvalsh(tangent_kernel(Wt, a, X))[0])
        out["grad_sq"][t] = float(np.sum(grad * grad))
        if t < steps:
            Wt = Wt - Wt.dtype.type(eta) * grad
    return TwoLayerRun(Wt, out["loss"], out["distance"], out["lambda_min"], out["grad_sq"])
