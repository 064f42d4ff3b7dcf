r"""Two-layer ReLU networks in the tangent-kernel scaling, their Gram matrices $H(W)$ and
$H^\infty$, and gradient descent on the first layer.

Sections "The two-layer Gram matrix" and "Linear convergence" of the chapter *Wide networks*.
For inputs $X\in\mathbb R^{n\times d}$ (rows $x_i$), first-layer weights $W\in\mathbb R^{m\times d}$
(rows $w_r$), output weights $a\in\mathbb R^m$ and an exponent $\gamma\ge0$,

$$f(x; W) = m^{-\gamma}\sum_{r=1}^ma_r\operatorname{ReLU}(w_r^\top x)
\qquad\text{(Definition `def-wide-two-layer`; } \gamma = \tfrac12\text{: tangent-kernel scaling,}
\ \gamma = 1\text{: mean-field scaling)},$$

with chapter 6's convention $\operatorname{ReLU}'(0) = 0$. Only $W$ is trained; $u = f(X; W)$.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._validation import Array, Integer, Real, validate

__all__ = [
    "TwoLayerRun",
    "two_layer_output",
    "two_layer_jacobian",
    "two_layer_gram",
    "h_infinity",
    "h0_variance",
    "h0_deviation_radius",
    "two_layer_gd",
    "du_width",
]

_X = Array(shape=("n", "d"), numpy=True)
_W = Array(shape=("m", "d"), numpy=True)
_A = Array(shape=("m",), numpy=True)
_GAMMA = Real(0, None)


@validate(X=_X, W=_W, a=_A, gamma=_GAMMA)
def two_layer_output(X: np.ndarray, W: np.ndarray, a: np.ndarray, gamma: float = 0.5) -> np.ndarray:
    r"""$u_i = f(x_i; W) = m^{-\gamma}\sum_ra_r\operatorname{ReLU}(w_r^\top x_i)$, shape ``(n,)``."""
    m = W.shape[0]
    return np.maximum(X @ W.T, 0) @ a / X.dtype.type(m**gamma)


@validate(X=_X, W=_W, a=_A, gamma=_GAMMA)
def two_layer_jacobian(
    X: np.ndarray, W: np.ndarray, a: np.ndarray, gamma: float = 0.5
) -> np.ndarray:
    r"""$\partial u_i/\partial w_r = m^{-\gamma}a_r\mathbf 1\{w_r^\top x_i > 0\}\,x_i$ (Lemma
    `lem-wide-two-layer-kernel`), shape ``(n, m, d)``."""
    m = W.shape[0]
    S = (X @ W.T > 0).astype(X.dtype)  # (n, m) activation pattern
    return (S * a)[:, :, None] * X[:, None, :] / X.dtype.type(m**gamma)


@validate(X=_X, W=_W, a=_A, gamma=_GAMMA)
def two_layer_gram(X: np.ndarray, W: np.ndarray, a: np.ndarray, gamma: float = 0.5) -> np.ndarray:
    r"""The tangent kernel of the first layer (Lemma `lem-wide-two-layer-kernel`),

    $$\Theta_\gamma(W)_{ij} = m^{1 - 2\gamma}H(W)_{ij} = m^{-2\gamma}\,x_i^\top x_j\sum_{r=1}^ma_r^2\,
    \mathbf 1\{w_r^\top x_i > 0,\ w_r^\top x_j > 0\},$$

    shape ``(n, n)``; $\Theta_\gamma(W) = JJ^\top$ for $J$ the Jacobian flattened to ``(n, m d)``,
    and for $\gamma = \frac12$ and $a\in\{-1, 1\}^m$ it is the Gram matrix $H(W)$."""
    m = W.shape[0]
    S = (X @ W.T > 0).astype(X.dtype)  # (n, m)
    return (X @ X.T) * ((S * (a * a)) @ S.T) / X.dtype.type(m ** (2 * gamma))


def _angles(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""Gram matrix and angles, $\vartheta_{ij} = 2\operatorname{atan2}(\|\hat x_i - \hat x_j\|,
    \|\hat x_i + \hat x_j\|)$ for the normalised rows (accurate near $0$ and $\pi$, where
    $\arccos$ of a rounded cosine loses half the digits); rows equal to $0$ get $\vartheta = 0$."""
    nrm = np.sqrt(np.sum(X * X, axis=1))
    Xh = X / np.where(nrm > 0, nrm, 1)[:, None]
    diff = np.sqrt(np.sum((Xh[:, None, :] - Xh[None, :, :]) ** 2, axis=2))
    summ = np.sqrt(np.sum((Xh[:, None, :] + Xh[None, :, :]) ** 2, axis=2))
    return X @ X.T, 2 * np.arctan2(diff, summ)


@validate(X=_X)
def h_infinity(X: np.ndarray) -> np.ndarray:
    r"""$H^\infty_{ij} = \mathbb E_{w\sim N(0, I_d)}\bigl[x_i^\top x_j\mathbf 1\{w^\top x_i > 0,
    w^\top x_j > 0\}\bigr] = x_i^\top x_j\,\frac{\pi - \vartheta_{ij}}{2\pi}$ (Proposition
    `prop-wide-hinf`), $\vartheta_{ij}\in[0, \pi]$ the angle between $x_i$ and $x_j$ (the entry is
    $0$ when $x_i = 0$ or $x_j = 0$), shape ``(n, n)``. The angles are computed as
    $2\operatorname{atan2}(\|\hat x_i - \hat x_j\|, \|\hat x_i + \hat x_j\|)$ from the normalised
    inputs, accurate near $0$ and $\pi$; memory proportional to $n^2d$."""
    G, theta = _angles(X)
    return G * (np.pi - theta) / (2 * np.pi)


@validate(X=_X)
def h0_variance(X: np.ndarray) -> np.ndarray:
    r"""$V_{ij} = (x_i^\top x_j)^2p_{ij}(1 - p_{ij})$, $p_{ij} = (\pi - \vartheta_{ij})/(2\pi)$: the
    variance of one neuron's term of $H(0)_{ij}$ for $a_r\in\{-1, 1\}$, so that
    $\operatorname{Var}H(0)_{ij} = V_{ij}/m$ (Proposition `prop-wide-hinf`), shape ``(n, n)``."""
    G, theta = _angles(X)
    p = (np.pi - theta) / (2 * np.pi)
    return G * G * p * (1 - p)


@validate(X=_X, m=Integer(1), delta=Real(0, 1, closed="neither"))
def h0_deviation_radius(X: np.ndarray, m: int, delta: float) -> np.ndarray:
    r"""Hoeffding's radius $R_{ij} = |x_i^\top x_j|\sqrt{\log(2n^2/\delta)/(2m)}$: with
    probability at least $1 - \delta$, $|H(0)_{ij} - H^\infty_{ij}|\le R_{ij}$ for all $i, j$ at
    once (Corollary `cor-wide-h0-concentration`), shape ``(n, n)``."""
    n = X.shape[0]
    return np.abs(X @ X.T) * math.sqrt(math.log(2 * n * n / delta) / (2 * m))


@dataclass(frozen=True)
class TwoLayerRun:
    r"""A run of gradient descent on the first layer.

    Attributes:
        U: outputs $u(k) = f(X; W(k))$, $k = 0, \dots, K$, shape ``(K + 1, n)``.
        movement: $\max_r\|w_r(k) - w_r(0)\|$, shape ``(K + 1,)``.
        W: the last weights $W(K)$, shape ``(m, d)``.
    """

    U: np.ndarray
    movement: np.ndarray
    W: np.ndarray


@validate(
    X=_X,
    y=Array(shape=("n",), numpy=True),
    W=_W,
    a=_A,
    eta=Real(0, None, closed="neither"),
    steps=Integer(0),
    gamma=_GAMMA,
)
def two_layer_gd(
    X: np.ndarray,
    y: np.ndarray,
    W: np.ndarray,
    a: np.ndarray,
    eta: float,
    steps: int,
    gamma: float = 0.5,
) -> TwoLayerRun:
    r"""Gradient descent on $\mathcal L(W) = \frac12\|f(X; W) - y\|^2$ with the first layer
    trained, the learning rate scaled by $m^{2\gamma - 1}$ (Proposition `prop-wide-scaling`):

    $$w_r(k + 1) = w_r(k) - \eta\,m^{2\gamma - 1}\sum_{i=1}^n(u_i(k) - y_i)\,
    m^{-\gamma}a_r\mathbf 1\{w_r(k)^\top x_i > 0\}\,x_i .$$

    For $\gamma = \frac12$ the factor is $1$ (Theorem `thm-wide-du`)."""
    m = W.shape[0]
    step = X.dtype.type(eta * m ** (gamma - 1))  # eta m^{2 gamma - 1} m^{-gamma}
    W0, Wk = W, W.copy()
    U = [two_layer_output(X, Wk, a, gamma)]
    move = [0.0]
    for _ in range(steps):
        S = (X @ Wk.T > 0).astype(X.dtype)  # (n, m)
        r = U[-1] - y
        Wk = Wk - step * ((S * r[:, None]).T @ X) * a[:, None]
        U.append(two_layer_output(X, Wk, a, gamma))
        move.append(float(np.sqrt(np.max(np.sum((Wk - W0) ** 2, axis=1)))))
    return TwoLayerRun(np.stack(U), np.array(move), Wk)


@validate(n=Integer(1), lambda0=Real(0, None, closed="neither"), delta=Real(0, 1, closed="neither"))
def du_width(n: int, lambda0: float, delta: float) -> float:
    r"""$n^6/(\lambda_0^4\delta^3)$: the width that Theorem `thm-wide-du` requires, up to a
    constant $c_1$ depending only on the bound $C$ of the targets."""
    return float(n) ** 6 / (lambda0**4 * delta**3)
