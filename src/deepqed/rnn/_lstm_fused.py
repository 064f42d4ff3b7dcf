r"""The LSTM layer's fast path: the forward pass and backpropagation through time of
:mod:`deepqed.rnn.lstm`, fused and buffered (private; unvalidated).

The equations are those of the plain step :func:`deepqed.rnn.lstm._lstm_cell` and its backward
:func:`deepqed.rnn.lstm._lstm_cell_backward` (Definition ``def-rnn-lstm``, Theorem
``thm-rnn-lstm-backward``); the tests compare the two to rounding. What differs is only how the
work is arranged:

* the input products $X_tU^\top + \mathbf 1b^\top$ of all steps are one matrix product before the
  loop;
* the four gates are computed together from one ``exp`` over the contiguous $m\times4n$ block:
  its columns hold $-A^i_t, -A^f_t, -2A^g_t, -A^o_t$ (the columns of $W^\top$ and of the input
  products scaled by $-1$ or $-2$ once, exact but for overflow and subnormal numbers; see
  :func:`forward`), so that $1/(1 + e^{\text{block}})$ is
  $\operatorname{sigmoid}(A)$ for the gates i, f, o and $\operatorname{sigmoid}(2A^g)$, from
  which $\Gamma_t = \tanh A^g_t = 2\operatorname{sigmoid}(2A^g_t) - 1$. The sigmoid gates are
  accurate to a few ulps relative to their value, $\Gamma_t$ to a few units of $u$ absolutely
  (the subtraction cancels near 0; see :func:`forward`). NumPy's ``exp`` costs half its ``tanh``
  (float32) or a third (float64), and on a contiguous block half what it costs on a block of
  columns;
* every array is preallocated and written in place (``out=``);
* the backward pass computes the factors that do not depend on the incoming gradients for all
  $t$ at once, in the memory of $\bar A$ (each step's block is then multiplied in place by its
  incoming gradients), so that the loop does seven operations per step, and the weight gradients
  are one product each over $\bar A_t$ stacked in time.
"""

from __future__ import annotations

import numpy as np

__all__ = ["forward", "backward"]


def _gate_scale(n: int, dt: np.dtype) -> np.ndarray:
    """Per column of $[A^i, A^f, A^g, A^o]$: $-1$ for the sigmoid gates, $-2$ for the candidate."""
    scale = np.full(4 * n, -1.0, dtype=dt)
    scale[2 * n : 3 * n] = -2.0
    return scale


def forward(
    W: np.ndarray, U: np.ndarray, b: np.ndarray, X: np.ndarray, H0: np.ndarray, C0: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(H, C, gates, tanhC)`` of shapes ``(T + 1, m, n)``, ``(T + 1, m, n)``, ``(T, m, 4n)``,
    ``(T, m, n)``; ``gates[t - 1]`` $= [I_t, F_t, \\Gamma_t, O_t]$.

    Accuracy of the gates, given the computed pre-activations. Multiplying every term by $-1$ or
    $-2$ scales each rounded product and partial sum exactly (fused multiply-adds included),
    except where one of them overflows (above half the largest float, 1.7e38 in float32: the gate
    has long saturated, and an infinite pre-activation gives the right limit) or is subnormal
    (below the smallest normal number, 1.2e-38 in float32: the difference is a part in $10^6$ of
    that number, far below the rounding of the gate). Then:
    NumPy's ``exp`` is accurate to 3 ulps in float32 and 1 in float64 (its own tests), so the
    sigmoid gates $1/(1 + e^{-a})$ to a relative $8u$ and $4u$ ($u$ the unit roundoff; the
    addition and the reciprocal add $u$ each), and $\\Gamma = 2\\operatorname{sigmoid}(2A^g) - 1$ to
    an absolute $17u$ and $9u$ (twice the sigmoid's error, plus the subtraction's rounding).
    Where $e^{-a}$ overflows the gate is $1/\\infty = 0$, within the smallest normal number."""
    T, m = X.shape[0], X.shape[1]
    n, dt = W.shape[1], W.dtype
    H = np.empty((T + 1, m, n), dtype=dt)
    C = np.empty((T + 1, m, n), dtype=dt)
    H[0] = H0
    C[0] = C0
    gates = np.matmul(X.reshape(T * m, -1), U.T).reshape(T, m, 4 * n)  # X_t U^T, all t
    gates += b
    tanhC = np.empty((T, m, n), dtype=dt)
    tmp = np.empty((m, 4 * n), dtype=dt)
    ig = np.empty((m, n), dtype=dt)
    # e^{-a} = inf for a << 0 gives the gate 1/inf = 0, and -2a = -inf for a > 1.7e38 (float32)
    # the gate 1; e^{-a} = 0 (underflow) for a >> 0 gives 1: all the right limits
    with np.errstate(over="ignore", under="ignore"):
        scale = _gate_scale(n, dt)  # exact: -1 and -2 only flip the sign and the exponent
        gates *= scale
        WT = W.T * scale
        for t in range(1, T + 1):
            a = gates[t - 1]
            np.matmul(H[t - 1], WT, out=tmp)
            a += tmp  # [-A^i, -A^f, -2A^g, -A^o]
            np.exp(a, out=a)
            a += 1.0
            np.reciprocal(a, out=a)  # [I, F, sigmoid(2A^g), O]
            i, f, g, o = a[:, :n], a[:, n : 2 * n], a[:, 2 * n : 3 * n], a[:, 3 * n :]
            g *= 2.0
            g -= 1.0  # Gamma = 2 sigmoid(2A^g) - 1 = tanh A^g
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
    # P is formed in the memory of dA, and the loop multiplies each step's block in place by the
    # incoming gradients (the same products: multiplication commutes).
    g4 = gates.reshape(T, m, 4, n)
    dA = np.subtract(1.0, gates)
    P = dA.reshape(T, m, 4, n)
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
    dh = np.zeros((m, n), dtype=dt)  # \bar A_{t+1} W
    dc = np.zeros((m, n), dtype=dt) if GC is None else GC.copy()
    u = np.empty((m, n), dtype=dt)
    for t in range(T, 0, -1):
        d4 = P[t - 1]  # P_t, becoming \bar A_t
        dh += G[t - 1]  # \bar H_t
        d4[:, 3] *= dh  # \bar A^o
        np.multiply(dh, Q[t - 1], out=u)
        dc += u  # \bar C_t
        d4[:, :3] *= dc[:, None, :]  # \bar A^i, ^f, ^g
        dc *= g4[t - 1, :, 1]  # \bar C_t F_t, for C_{t-1}
        np.matmul(dA[t - 1], W, out=dh)  # \bar A_t W, for H_{t-1}
    D2 = dA.reshape(T * m, 4 * n)
    dW = D2.T @ H[:-1].reshape(T * m, n)
    dU = D2.T @ X.reshape(T * m, -1)
    db = D2.sum(axis=0)
    return dW, dU, db, dh, dc
