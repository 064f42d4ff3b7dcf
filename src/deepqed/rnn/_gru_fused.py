r"""The GRU layer's fast path: the forward pass and backpropagation through time of
:mod:`deepqed.rnn.gru`, fused and buffered (private; unvalidated).

The equations are those of the plain step :func:`deepqed.rnn.gru._gru_cell` and its backward
:func:`deepqed.rnn.gru._gru_cell_backward` (Definition ``def-rnn-gru``, Theorem
``thm-rnn-gru-backward``); the tests compare the two to rounding. What differs is how the work
is arranged: the input products $X_tU^\top + \mathbf 1b^\top$ of all steps are one matrix product
before the loop, every array is preallocated and written in place (``out=``), the gates $R_t$,
$S_t$ are $1/(1 + e^{-a})$ in place (:func:`deepqed.rnn._common.sigmoid_`: ``exp`` costs NumPy
half of ``tanh``), $H_t$ is formed as $N_t + S_t\odot(H_{t-1} - N_t)$, and the weight gradients
are one product each over the step gradients stacked in time.
"""

from __future__ import annotations

import numpy as np

from ._common import sigmoid_

__all__ = ["forward", "backward"]


def forward(
    W: np.ndarray, U: np.ndarray, b: np.ndarray, c: np.ndarray, X: np.ndarray, H0: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(H, gates, Qn)`` of shapes ``(T + 1, m, n)``, ``(T, m, 3n)`` $= [R_t, S_t, N_t]$ and
    ``(T, m, n)`` $= Q^n_t$."""
    T, m = X.shape[0], X.shape[1]
    n, dt = W.shape[1], W.dtype
    H = np.empty((T + 1, m, n), dtype=dt)
    H[0] = H0
    gates = np.matmul(X.reshape(T * m, -1), U.T).reshape(T, m, 3 * n)  # A_t, all t
    gates += b
    Qn = np.empty((T, m, n), dtype=dt)
    WT = W.T
    Q = np.empty((m, 3 * n), dtype=dt)
    # e^{-a} = inf for a << 0 gives the gate 1/inf = 0, e^{-a} = 0 for a >> 0 gives 1
    with np.errstate(over="ignore", under="ignore"):
        for t in range(1, T + 1):
            a = gates[t - 1]
            np.matmul(H[t - 1], WT, out=Q)
            rs = a[:, : 2 * n]
            rs += Q[:, : 2 * n]
            sigmoid_(rs)  # [R_t, S_t]
            q = Qn[t - 1]
            np.add(Q[:, 2 * n :], c, out=q)  # Q^n_t
            N = a[:, 2 * n :]
            h = H[t]
            np.multiply(a[:, :n], q, out=h)
            N += h
            np.tanh(N, out=N)  # N_t
            np.subtract(H[t - 1], N, out=h)
            h *= a[:, n : 2 * n]
            h += N  # H_t = N + S (H_{t-1} - N)
    return H, gates, Qn


def backward(
    W: np.ndarray, X: np.ndarray, H: np.ndarray, gates: np.ndarray, Qn: np.ndarray, G: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(dW, dU, db, dc, dH0)`` for the direct gradients ``G`` ``(T, m, n)``."""
    T, m = X.shape[0], X.shape[1]
    n, dt = W.shape[1], W.dtype
    dQ = np.empty((T, m, 3 * n), dtype=dt)  # [\bar A^r, \bar A^s, \bar Q^n]
    dAn = np.empty((T, m, n), dtype=dt)  # \bar A^n
    dh = np.zeros((m, n), dtype=dt)
    u = np.empty((m, n), dtype=dt)
    for t in range(T, 0, -1):
        a, d = gates[t - 1], dQ[t - 1]
        R, S, N = a[:, :n], a[:, n : 2 * n], a[:, 2 * n :]
        dr, ds, dqn = d[:, :n], d[:, n : 2 * n], d[:, 2 * n :]
        dn = dAn[t - 1]
        dh += G[t - 1]  # \bar H_t
        np.subtract(H[t - 1], N, out=ds)
        ds *= dh
        np.subtract(1.0, S, out=u)
        np.multiply(dh, u, out=dn)  # \bar N
        u *= S
        ds *= u  # \bar A^s
        np.multiply(N, N, out=u)
        np.subtract(1.0, u, out=u)
        dn *= u  # \bar A^n
        np.multiply(dn, R, out=dqn)  # \bar Q^n
        np.subtract(1.0, R, out=u)
        u *= R
        u *= Qn[t - 1]
        np.multiply(dn, u, out=dr)  # \bar A^r
        dh *= S
        np.matmul(d, W, out=u)
        dh += u  # \bar H_{t-1}
    H2 = H[:-1].reshape(T * m, n)
    D2 = dQ.reshape(T * m, 3 * n)
    dW = D2.T @ H2
    dc = D2[:, 2 * n :].sum(axis=0)
    dQ[:, :, 2 * n :] = dAn  # now [\bar A^r, \bar A^s, \bar A^n]
    dU = D2.T @ X.reshape(T * m, -1)
    db = D2.sum(axis=0)
    return dW, dU, db, dc, dh
