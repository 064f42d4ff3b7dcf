r"""Lazy training: gradient flow of an output-scaled, centred model and of its linearisation.

Section "Lazy training" of the chapter *Wide networks*. The model is the two-layer $\tanh$ network
with the first layer trained, $f(x; W) = m^{-1/2}\sum_ra_r\tanh(w_r^\top x)$, centred at its
initialisation, $h(W) = f(X; W) - f(X; W_0)$, and scaled by $\alpha > 0$: gradient flow on
$F_\alpha(W) = \frac1{2\alpha^2}\|\alpha h(W) - y\|^2$ (Theorem `thm-wide-lazy`),

$$\dot W = -\frac1\alpha J(W)^\top(\alpha h(W) - y),$$

integrated by the classical Runge–Kutta method (global error $O(\Delta t^4)$). The linearised
flow has the closed form $\alpha\bar h(\bar W(t)) - y = -e^{-t\Theta_0}y$, $\Theta_0 = J(W_0)J(W_0)^\top$.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._validation import Array, Boolean, Integer, Real, validate

__all__ = ["LazyRun", "tanh_jacobian", "lazy_flow", "lazy_constants"]

_X = Array(shape=("n", "d"), numpy=True)
_W = Array(shape=("m", "d"), numpy=True)
_A = Array(shape=("m",), numpy=True)


def _f(X, W, a):
    return np.tanh(X @ W.T) @ a / math.sqrt(W.shape[0])


def _J(X, W, a):
    T = 1 - np.tanh(X @ W.T) ** 2  # (n, m): tanh'
    return (T * a)[:, :, None] * X[:, None, :] / math.sqrt(W.shape[0])  # (n, m, d)


@validate(X=_X, W=_W, a=_A)
def tanh_jacobian(X: np.ndarray, W: np.ndarray, a: np.ndarray) -> np.ndarray:
    r"""$\partial f(x_i)/\partial w_r = m^{-1/2}a_r\tanh'(w_r^\top x_i)\,x_i$, shape ``(n, m, d)``."""
    return _J(X, W, a)


@dataclass(frozen=True)
class LazyRun:
    r"""The scaled flow and its linearisation on a time grid $t_0 = 0 < \dots < t_K = T$.

    Attributes:
        t: the grid, shape ``(K + 1,)``.
        V: residuals $v(t) = \alpha h(W(t)) - y$, shape ``(K + 1, n)``.
        V_lin: linearised residuals $\bar v(t) = -e^{-t\Theta_0}y$, shape ``(K + 1, n)``.
        movement: $\|W(t) - W_0\|_F$, shape ``(K + 1,)``.
        neuron_movement: the largest per-neuron movement $\max_r\|w_r(t) - w_r(0)\|$, shape
            ``(K + 1,)`` (Corollary `cor-wide-width-lazy`).
    """

    t: np.ndarray
    V: np.ndarray
    V_lin: np.ndarray
    movement: np.ndarray
    neuron_movement: np.ndarray


@validate(
    X=_X,
    y=Array(shape=("n",), numpy=True),
    W0=_W,
    a=_A,
    alpha=Real(0, None, closed="neither"),
    T=Real(0, None, closed="neither"),
    steps=Integer(1),
    centred=Boolean(),
)
def lazy_flow(
    X: np.ndarray,
    y: np.ndarray,
    W0: np.ndarray,
    a: np.ndarray,
    alpha: float,
    T: float,
    steps: int,
    centred: bool = True,
) -> LazyRun:
    r"""Integrate $\dot W = -\frac1\alpha J(W)^\top(\alpha h(W) - y)$ on $[0, T]$ with ``steps``
    Runge–Kutta steps, and evaluate the linearised flow on the same grid. With
    ``centred=False`` the model is $f(X; W)$ itself, not $h(W) = f(X; W) - f(X; W_0)$ (the
    hypothesis $h(W_0) = 0$ of Theorem `thm-wide-lazy` dropped); then
    $\bar v(t) = e^{-t\Theta_0}(\alpha f(X; W_0) - y)$."""
    f0 = _f(X, W0, a) if centred else np.zeros_like(y)

    def residual(W):
        return alpha * (_f(X, W, a) - f0) - y

    def velocity(W):
        return -np.einsum("i,imd->md", residual(W), _J(X, W, a)) / alpha

    dt = T / steps
    W = W0.copy()
    V, move, neuron = [residual(W)], [0.0], [0.0]
    for _ in range(steps):
        k1 = velocity(W)
        k2 = velocity(W + dt / 2 * k1)
        k3 = velocity(W + dt / 2 * k2)
        k4 = velocity(W + dt * k3)
        W = W + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        V.append(residual(W))
        move.append(float(np.linalg.norm(W - W0)))
        neuron.append(float(np.sqrt(np.max(np.sum((W - W0) ** 2, axis=1)))))
    J0 = _J(X, W0, a).reshape(X.shape[0], -1)
    lam, Q = np.linalg.eigh(J0 @ J0.T)
    t = np.linspace(0.0, T, steps + 1)
    c = Q.T @ V[0]
    V_lin = (np.exp(-np.outer(t, np.maximum(lam, 0))) * c) @ Q.T
    return LazyRun(t, np.stack(V), V_lin, np.array(move), np.array(neuron))


@validate(X=_X, m=Integer(1))
def lazy_constants(X: np.ndarray, m: int) -> tuple[float, float]:
    r"""$(M, \Lambda)$ for the two-layer $\tanh$ model with $a_r\in\{-1, 1\}$: $\|J(W)\|\le
    M = \|X\|_F$ for every $W$, and $\|J(W) - J(W')\|\le\Lambda\|W - W'\|_F$ with
    $\Lambda = \frac{4}{3\sqrt3}\bigl(\sum_i\|x_i\|^4/m\bigr)^{1/2}$ ($\sup|\tanh''| =
    \frac4{3\sqrt3}$), operator norms (Theorem `thm-wide-lazy`)."""
    sq = np.sum(X.astype(np.float64) ** 2, axis=1)
    return float(math.sqrt(sq.sum())), float(4 / (3 * math.sqrt(3)) * math.sqrt(np.sum(sq**2) / m))
