r"""The LSTM (long short-term memory) layer, forward and backward, with ``torch.nn.LSTM``'s equations.

Definition ``def-rnn-lstm``, batch form. With $A_t = H_{t-1}W^\top + X_tU^\top + \mathbf 1_m b^\top
\in\mathbb R^{m\times 4n}$ split into four column blocks $A_t = [A^i_t, A^f_t, A^g_t, A^o_t]$
(torch's gate order i, f, g, o),

$$
I_t = \operatorname{sigmoid}(A^i_t),\ F_t = \operatorname{sigmoid}(A^f_t),\
\Gamma_t = \tanh(A^g_t),\ O_t = \operatorname{sigmoid}(A^o_t),\qquad
C_t = F_t\odot C_{t-1} + I_t\odot\Gamma_t,\quad H_t = O_t\odot\tanh(C_t).
$$

Shapes: $W\in\mathbb R^{4n\times n}$ (torch's ``weight_hh_l0``), $U\in\mathbb R^{4n\times d}$
(``weight_ih_l0``), $b\in\mathbb R^{4n}$ (``bias_ih_l0 + bias_hh_l0``); ``X`` ``(T, m, d)``;
``H``, ``C`` ``(T + 1, m, n)``.

Backward (Theorem ``thm-rnn-lstm-backward``): with $\bar H_t = G_t + \bar A_{t+1}W$ (total
gradient with respect to $H_t$) and $\bar C_{T+1}\odot F_{T+1} := 0$,

$$
\bar C_t = \bar C_{t+1}\odot F_{t+1} + \bar H_t\odot O_t\odot(1 - \tanh^2C_t),\quad
\bar A_t = \bigl[\bar C_t\odot\Gamma_t\odot I_t(1-I_t),\ \bar C_t\odot C_{t-1}\odot F_t(1-F_t),\
\bar C_t\odot I_t\odot(1-\Gamma_t^2),\ \bar H_t\odot\tanh C_t\odot O_t(1-O_t)\bigr],
$$

and $\nabla_W = \sum_t\bar A_t^\top H_{t-1}$, $\nabla_U = \sum_t\bar A_t^\top X_t$,
$\nabla_b = \sum_t\bar A_t^\top\mathbf 1_m$, $\nabla_{H_0} = \bar A_1W$,
$\nabla_{C_0} = \bar C_1\odot F_1$.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._common import check_matrix, check_sequence, check_state

__all__ = [
    "LSTMParameters",
    "LSTMForward",
    "LSTMGradient",
    "init_lstm",
    "lstm_forward",
    "lstm_backward",
]


@dataclass(frozen=True)
class LSTMParameters:
    r"""$(W, U, b)$: ``W`` ``(4n, n)``, ``U`` ``(4n, d)``, ``b`` ``(4n,)``; gate blocks i, f, g,
    o."""

    W: np.ndarray
    U: np.ndarray
    b: np.ndarray

    def __post_init__(self) -> None:
        check_matrix("W", self.W, ("4n", "n"))
        n = self.W.shape[1]
        check_matrix("W", self.W, (4 * n, n))
        check_matrix("U", self.U, (4 * n, "d"), self.W.dtype)
        check_matrix("b", self.b, (4 * n,), self.W.dtype)

    @property
    def n(self) -> int:
        return self.W.shape[1]

    @property
    def d(self) -> int:
        return self.U.shape[1]

    @property
    def dtype(self) -> np.dtype:
        return self.W.dtype

    def arrays(self) -> tuple[np.ndarray, ...]:
        return (self.W, self.U, self.b)


@dataclass(frozen=True)
class LSTMForward:
    """``H``, ``C``: ``(T + 1, m, n)``; ``gates``: ``(T, m, 4n)`` = $[I_t, F_t, \\Gamma_t, O_t]$;
    ``tanhC``: ``(T, m, n)`` = $\\tanh C_t$."""

    H: np.ndarray
    C: np.ndarray
    gates: np.ndarray
    tanhC: np.ndarray

    @property
    def output(self) -> np.ndarray:
        return self.H[1:]


@dataclass(frozen=True)
class LSTMGradient:
    """``W``, ``U``, ``b`` as the parameters; ``H0``, ``C0``: ``(m, n)``."""

    W: np.ndarray
    U: np.ndarray
    b: np.ndarray
    H0: np.ndarray
    C0: np.ndarray

    def arrays(self) -> tuple[np.ndarray, ...]:
        return (self.W, self.U, self.b)


def init_lstm(
    d: int, n: int, *, rng: np.random.Generator, dtype: Any = np.float64, forget_bias: float = 0.0
) -> LSTMParameters:
    r"""Uniform on $[-1/\sqrt n, 1/\sqrt n]$ (torch's default); ``forget_bias`` is added to
    $b^f$."""
    s = 1.0 / math.sqrt(n)
    W = rng.uniform(-s, s, (4 * n, n))
    U = rng.uniform(-s, s, (4 * n, d))
    b = rng.uniform(-s, s, 4 * n)
    b[n : 2 * n] += forget_bias
    return LSTMParameters(W.astype(dtype), U.astype(dtype), b.astype(dtype))


def _gate_constants(n: int, dtype: Any) -> tuple[np.ndarray, np.ndarray]:
    """sigmoid(a) = s tanh(s a) + s with s = 1/2, tanh(a) = 1 tanh(1 a) + 0: per-column s and
    offset, so that all four gates are one tanh over a contiguous (m, 4n) block."""
    s = np.full(4 * n, 0.5, dtype=dtype)
    s[2 * n : 3 * n] = 1.0
    off = np.full(4 * n, 0.5, dtype=dtype)
    off[2 * n : 3 * n] = 0.0
    return s, off


def lstm_forward(
    theta: LSTMParameters, X: np.ndarray, H0: np.ndarray | None = None, C0: np.ndarray | None = None
) -> LSTMForward:
    """Forward pass of Definition ``def-rnn-lstm``; ``H0``, ``C0`` of shape ``(m, n)`` (zeros)."""
    T, m = check_sequence(X, theta.d, theta.dtype)
    n, dt = theta.n, theta.dtype
    H = np.empty((T + 1, m, n), dtype=dt)
    C = np.empty((T + 1, m, n), dtype=dt)
    H[0] = check_state("H0", H0, m, n, dt)
    C[0] = check_state("C0", C0, m, n, dt)
    gates = np.matmul(X.reshape(T * m, -1), theta.U.T).reshape(T, m, 4 * n)  # X_t U^T, all t
    gates += theta.b
    tanhC = np.empty((T, m, n), dtype=dt)
    s, off = _gate_constants(n, dt)
    WT = theta.W.T
    tmp = np.empty((m, 4 * n), dtype=dt)
    ig = np.empty((m, n), dtype=dt)
    for t in range(1, T + 1):
        a = gates[t - 1]
        np.matmul(H[t - 1], WT, out=tmp)
        a += tmp  # A_t
        a *= s
        np.tanh(a, out=a)
        a *= s
        a += off  # [I, F, Gamma, O]
        i, f, g, o = a[:, :n], a[:, n : 2 * n], a[:, 2 * n : 3 * n], a[:, 3 * n :]
        np.multiply(f, C[t - 1], out=C[t])
        np.multiply(i, g, out=ig)
        C[t] += ig  # C_t = F C_{t-1} + I Gamma
        np.tanh(C[t], out=tanhC[t - 1])
        np.multiply(o, tanhC[t - 1], out=H[t])  # H_t = O tanh C_t
    return LSTMForward(H, C, gates, tanhC)


def lstm_backward(
    theta: LSTMParameters,
    fwd: LSTMForward,
    X: np.ndarray,
    G: np.ndarray,
    GC: np.ndarray | None = None,
) -> LSTMGradient:
    r"""Backpropagation through time for the LSTM (Theorem ``thm-rnn-lstm-backward``).

    ``G[t-1]`` $= G_t$, the direct gradient with respect to $H_t$, shape ``(T, m, n)``; ``GC``
    (optional, shape ``(m, n)``) a direct gradient with respect to the last cell state $C_T$.
    """
    T, m = check_sequence(X, theta.d, theta.dtype)
    n, dt = theta.n, theta.dtype
    check_matrix("fwd.H", fwd.H, (T + 1, m, n), dt)
    check_matrix("G", G, (T, m, n), dt)
    gates, C, tanhC, H = fwd.gates, fwd.C, fwd.tanhC, fwd.H
    # Factors of the backward equations that do not depend on the incoming gradients, for all t
    # at once (vectorised over T m 4n entries): P = [Gamma I(1-I), C_{t-1} F(1-F), I(1-Gamma^2),
    # tanh(C_t) O(1-O)] and Q = O (1 - tanh^2 C_t); the loop then does 7 operations per step.
    g4 = gates.reshape(T, m, 4, n)
    P = np.subtract(1.0, g4)
    P *= g4  # y (1 - y), every block
    P[:, :, 0] *= g4[:, :, 2]
    P[:, :, 1] *= C[:-1]
    np.multiply(g4[:, :, 2], g4[:, :, 2], out=P[:, :, 2])
    np.subtract(1.0, P[:, :, 2], out=P[:, :, 2])
    P[:, :, 2] *= g4[:, :, 0]
    P[:, :, 3] *= tanhC
    Q = np.multiply(tanhC, tanhC)
    np.subtract(1.0, Q, out=Q)
    Q *= g4[:, :, 3]
    dA = np.empty((T, m, 4 * n), dtype=dt)
    dh = np.zeros((m, n), dtype=dt)  # \bar A_{t+1} W
    dc = np.zeros((m, n), dtype=dt) if GC is None else check_matrix("GC", GC, (m, n), dt).copy()
    u = np.empty((m, n), dtype=dt)
    W = theta.W
    for t in range(T, 0, -1):
        d4 = dA[t - 1].reshape(m, 4, n)
        dh += G[t - 1]  # \bar H_t
        np.multiply(dh, P[t - 1, :, 3], out=d4[:, 3])  # \bar A^o
        np.multiply(dh, Q[t - 1], out=u)
        dc += u  # \bar C_t
        np.multiply(dc[:, None, :], P[t - 1, :, :3], out=d4[:, :3])  # \bar A^i, ^f, ^g
        dc *= g4[t - 1, :, 1]  # \bar C_t F_t, for C_{t-1}
        np.matmul(dA[t - 1], W, out=dh)  # \bar A_t W, for H_{t-1}
    D2 = dA.reshape(T * m, 4 * n)
    dW = D2.T @ H[:-1].reshape(T * m, n)
    dU = D2.T @ X.reshape(T * m, -1)
    db = D2.sum(axis=0)
    return LSTMGradient(dW, dU, db, dh, dc)
