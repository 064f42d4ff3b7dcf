r"""The recurrent layers' kernels for any array-API namespace (torch on CPU or CUDA,
array-api-strict, ...): private and unvalidated.

The equations are those of :mod:`deepqed.rnn.elman` and of the plain steps
:func:`deepqed.rnn.lstm._lstm_cell`, :func:`deepqed.rnn.gru._gru_cell` and their backward rules;
the tests compare the two to rounding. The work is arranged as in the NumPy fused kernels
(:mod:`._lstm_fused`, :mod:`._gru_fused`), with what the array API allows: the input products
$X_tU^\top + \mathbf 1b^\top$ of all steps are one matrix product before the loop, the factors of
the backward pass that do not depend on the incoming gradients are computed for all $t$ at once,
and the weight gradients are one product each over the step gradients stacked in time. Instead
of writing into preallocated buffers (``out=`` is not part of the array API, and whether a slice
is a view is left to the library), each step makes new arrays, stacked after the loop.

``xp`` is the namespace of the arguments (:func:`array_api_compat.array_namespace`); results
keep their device and dtype.
"""

from __future__ import annotations

from typing import Any

from array_api_compat import device

__all__ = [
    "elman_forward",
    "elman_backward",
    "lstm_forward",
    "lstm_backward",
    "gru_forward",
    "gru_backward",
]


def _input_products(xp: Any, U: Any, b: Any, X: Any) -> Any:
    """$X_tU^\\top + \\mathbf 1 b^\\top$ for all $t$, shape ``(T, m, rows of U)``."""
    T, m, d = X.shape
    P = xp.reshape(X, (T * m, d)) @ U.T + b
    return xp.reshape(P, (T, m, U.shape[0]))


def _sigmoid(xp: Any, a: Any) -> Any:
    return 0.5 * (1.0 + xp.tanh(0.5 * a))


# --- Elman ---------------------------------------------------------------------------------------
def elman_forward(xp: Any, W: Any, U: Any, b: Any, X: Any, H0: Any, activation: str) -> Any:
    """``H`` of shape ``(T + 1, m, n)``: $H_t = \\sigma(H_{t-1}W^\\top + X_tU^\\top + b)$."""
    P = _input_products(xp, U, b, X)
    WT = W.T
    H = [H0]
    for t in range(X.shape[0]):
        Z = H[-1] @ WT + P[t, ...]
        H.append(xp.tanh(Z) if activation == "tanh" else xp.maximum(Z, 0.0))
    return xp.stack(H)


def elman_backward(
    xp: Any, W: Any, X: Any, H: Any, G: Any, activation: str, k: int
) -> tuple[Any, Any, Any, Any]:
    """``(dW, dU, db, dH0)`` of Algorithm ``alg-rnn-bptt``, cut every ``k`` steps."""
    T, m, d = X.shape
    n = W.shape[1]
    S = H[1:, ...]
    Sp = 1.0 - S * S if activation == "tanh" else xp.astype(S > 0, S.dtype)  # sigma'(Z_t)
    carry = xp.zeros((m, n), dtype=W.dtype, device=device(W))  # Delta_{t+1} W
    Delta = [None] * T
    for t in range(T, 0, -1):
        g = G[t - 1, ...] if t % k == 0 else carry + G[t - 1, ...]
        D = g * Sp[t - 1, ...]
        Delta[t - 1] = D
        carry = D @ W
    D2 = xp.reshape(xp.stack(Delta), (T * m, n))
    dW = D2.T @ xp.reshape(H[:-1, ...], (T * m, n))
    dU = D2.T @ xp.reshape(X, (T * m, d))
    return dW, dU, xp.sum(D2, axis=0), carry


# --- LSTM ----------------------------------------------------------------------------------------
def _gate_constants(xp: Any, n: int, like: Any) -> tuple[Any, Any]:
    """sigmoid(a) = s tanh(s a) + s with s = 1/2 and tanh(a) = 1 tanh(1 a) + 0, per column."""
    half = xp.full((n,), 0.5, dtype=like.dtype, device=device(like))
    one = xp.ones((n,), dtype=like.dtype, device=device(like))
    zero = xp.zeros((n,), dtype=like.dtype, device=device(like))
    return xp.concat([half, half, one, half]), xp.concat([half, half, zero, half])


def lstm_forward(
    xp: Any, W: Any, U: Any, b: Any, X: Any, H0: Any, C0: Any
) -> tuple[Any, Any, Any, Any]:
    """``(H, C, gates, tanhC)`` as :func:`deepqed.rnn._lstm_fused.forward`."""
    n = W.shape[1]
    A_in = _input_products(xp, U, b, X)
    s, off = _gate_constants(xp, n, W)
    WT = W.T
    H, C, gates, tanhC = [H0], [C0], [], []
    for t in range(X.shape[0]):
        a = xp.tanh((H[-1] @ WT + A_in[t, ...]) * s) * s + off  # [I, F, Gamma, O]
        C_t = a[:, n : 2 * n] * C[-1] + a[:, :n] * a[:, 2 * n : 3 * n]
        tc = xp.tanh(C_t)
        H.append(a[:, 3 * n :] * tc)
        C.append(C_t)
        gates.append(a)
        tanhC.append(tc)
    return xp.stack(H), xp.stack(C), xp.stack(gates), xp.stack(tanhC)


def lstm_backward(
    xp: Any, W: Any, X: Any, H: Any, C: Any, gates: Any, tanhC: Any, G: Any, GC: Any
) -> tuple[Any, Any, Any, Any, Any]:
    """``(dW, dU, db, dH0, dC0)`` as :func:`deepqed.rnn._lstm_fused.backward`."""
    T, m, d = X.shape
    n = W.shape[1]
    I, F = gates[..., :n], gates[..., n : 2 * n]
    Gamma, O = gates[..., 2 * n : 3 * n], gates[..., 3 * n :]
    # the factors that do not depend on the incoming gradients, all t at once
    P_ifg = xp.concat(
        [Gamma * I * (1.0 - I), C[:-1, ...] * F * (1.0 - F), I * (1.0 - Gamma * Gamma)], axis=2
    )
    P_o = tanhC * O * (1.0 - O)
    Q = O * (1.0 - tanhC * tanhC)
    dh = xp.zeros((m, n), dtype=W.dtype, device=device(W))  # \bar A_{t+1} W
    dc = dh if GC is None else GC  # \bar C_{t+1} F_{t+1}
    dA = [None] * T
    for t in range(T - 1, -1, -1):
        dh = dh + G[t, ...]  # \bar H_t
        dc = dc + dh * Q[t, ...]  # \bar C_t
        dc3 = xp.concat([dc, dc, dc], axis=1)
        a = xp.concat([dc3 * P_ifg[t, ...], dh * P_o[t, ...]], axis=1)  # \bar A_t
        dA[t] = a
        dc = dc * F[t, ...]
        dh = a @ W
    D2 = xp.reshape(xp.stack(dA), (T * m, 4 * n))
    dW = D2.T @ xp.reshape(H[:-1, ...], (T * m, n))
    dU = D2.T @ xp.reshape(X, (T * m, d))
    return dW, dU, xp.sum(D2, axis=0), dh, dc


# --- GRU -----------------------------------------------------------------------------------------
def gru_forward(xp: Any, W: Any, U: Any, b: Any, c: Any, X: Any, H0: Any) -> tuple[Any, Any, Any]:
    """``(H, gates, Qn)`` as :func:`deepqed.rnn._gru_fused.forward`."""
    n = W.shape[1]
    A = _input_products(xp, U, b, X)
    WT = W.T
    H, gates, Qn = [H0], [], []
    for t in range(X.shape[0]):
        a, Q = A[t, ...], H[-1] @ WT
        RS = _sigmoid(xp, a[:, : 2 * n] + Q[:, : 2 * n])  # [R_t, S_t]
        q = Q[:, 2 * n :] + c  # Q^n_t
        N = xp.tanh(a[:, 2 * n :] + RS[:, :n] * q)  # N_t
        H.append(N + RS[:, n:] * (H[-1] - N))  # H_t = N + S (H_{t-1} - N)
        gates.append(xp.concat([RS, N], axis=1))
        Qn.append(q)
    return xp.stack(H), xp.stack(gates), xp.stack(Qn)


def gru_backward(
    xp: Any, W: Any, X: Any, H: Any, gates: Any, Qn: Any, G: Any
) -> tuple[Any, Any, Any, Any, Any]:
    """``(dW, dU, db, dc, dH0)`` as :func:`deepqed.rnn._gru_fused.backward`."""
    T, m, d = X.shape
    n = W.shape[1]
    R, S, N = gates[..., :n], gates[..., n : 2 * n], gates[..., 2 * n :]
    P_s = (H[:-1, ...] - N) * S * (1.0 - S)
    P_n = (1.0 - S) * (1.0 - N * N)
    P_r = Qn * R * (1.0 - R)
    dh = xp.zeros((m, n), dtype=W.dtype, device=device(W))
    dQ, dAn = [None] * T, [None] * T
    for t in range(T - 1, -1, -1):
        dh = dh + G[t, ...]  # \bar H_t
        dn = dh * P_n[t, ...]  # \bar A^n
        q = xp.concat([dn * P_r[t, ...], dh * P_s[t, ...], dn * R[t, ...]], axis=1)
        dQ[t], dAn[t] = q, dn  # [\bar A^r, \bar A^s, \bar Q^n] and \bar A^n
        dh = dh * S[t, ...] + q @ W  # \bar H_{t-1}
    D2 = xp.reshape(xp.stack(dQ), (T * m, 3 * n))
    dW = D2.T @ xp.reshape(H[:-1, ...], (T * m, n))
    dc = xp.sum(D2[:, 2 * n :], axis=0)
    A2 = xp.concat([D2[:, : 2 * n], xp.reshape(xp.stack(dAn), (T * m, n))], axis=1)
    dU = A2.T @ xp.reshape(X, (T * m, d))
    return dW, dU, xp.sum(A2, axis=0), dc, dh
