r"""The LSTM layer's fast path: the forward pass and backpropagation through time of
:mod:`deepqed.rnn.lstm`, fused and buffered (private; unvalidated).

The equations are those of the plain step :func:`deepqed.rnn.lstm._lstm_cell` and its backward
:func:`deepqed.rnn.lstm._lstm_cell_backward` (Definition ``def-rnn-lstm``, Theorem
``thm-rnn-lstm-backward``); the tests compare the two to rounding. What differs is only how the
work is arranged:

* the input products $X_tU^\top + \mathbf 1b^\top$ of all steps are one matrix product before the
  loop;
* the four gates are one ``tanh`` over the contiguous $m\times4n$ block $A_t$, scaled per column:
  $\operatorname{sigmoid}(a) = s\tanh(sa) + s$ with $s = \frac12$ for the gates i, f, o and
  $\tanh(a) = 1\cdot\tanh(1\cdot a) + 0$ for the candidate g;
* every array is preallocated and written in place (``out=``);
* the backward pass computes the factors that do not depend on the incoming gradients for all
  $t$ at once, so that the loop does seven operations per step, and the weight gradients are one
  product each over $\bar A_t$ stacked in time.
"""

from __future__ import annotations

import numpy as np

__all__ = ["forward", "backward"]


def _gate_constants(n: int, dtype: np.dtype) -> tuple[np.ndarray, np.ndarray]:
    """sigmoid(a) = s tanh(s a) + s with s = 1/2, tanh(a) = 1 tanh(1 a) + 0: per-column s and
    offset, so that all four gates are one tanh over a contiguous (m, 4n) block."""
    s = np.full(4 * n, 0.5, dtype=dtype)
    s[2 * n : 3 * n] = 1.0
    off = np.full(4 * n, 0.5, dtype=dtype)
    off[2 * n : 3 * n] = 0.0
    return s, off


def forward(
    W: np.ndarray, U: np.ndarray, b: np.ndarray, X: np.ndarray, H0: np.ndarray, C0: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(H, C, gates, tanhC)`` of shapes ``(T + 1, m, n)``, ``(T + 1, m, n)``, ``(T, m, 4n)``,
    ``(T, m, n)``; ``gates[t - 1]`` $= [I_t, F_t, \\Gamma_t, O_t]$."""
    T, m = X.shape[0], X.shape[1]
    n, dt = W.shape[1], W.dtype
    H = np.empty((T + 1, m, n), dtype=dt)
    C = np.empty((T + 1, m, n), dtype=dt)
    H[0] = H0
    C[0] = C0
    gates = np.matmul(X.reshape(T * m, -1), U.T).reshape(T, m, 4 * n)  # X_t U^T, all t
    gates += b
    tanhC = np.empty((T, m, n), dtype=dt)
    s, off = _gate_constants(n, dt)
    WT = W.T
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
    return H, C, gates, tanhC


def backward(
    W: np.ndarray,
    X: np.ndarray,
    H: np.ndarray,
    C: np.ndarray,
    gates: np.ndarray,
    tanhC: np.ndarray,
    G: np.ndarray,
    GC: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(dW, dU, db, dH0, dC0)`` for the direct gradients ``G`` ``(T, m, n)`` and ``GC``
    ``(m, n)`` (or ``None``) of the last cell state."""
    T, m = X.shape[0], X.shape[1]
    n, dt = W.shape[1], W.dtype
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
    dc = np.zeros((m, n), dtype=dt) if GC is None else GC.copy()
    u = np.empty((m, n), dtype=dt)
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
    return dW, dU, db, dh, dc
