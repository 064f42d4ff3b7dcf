r"""The GRU (gated recurrent unit) layer, forward and backward, with ``torch.nn.GRU``'s equations.

Definition ``def-rnn-gru``, batch form. Blocks of $3n$ columns in torch's order r, z, n; we
write $R_t$ (reset), $S_t$ (update; torch's z) and $N_t$ (candidate; torch's n):

$$
\begin{aligned}
&A_t = X_tU^\top + \mathbf 1_m b^\top = [A^r_t, A^s_t, A^n_t],\qquad
 Q_t = H_{t-1}W^\top + \mathbf 1_m [0, 0, c]^\top = [Q^r_t, Q^s_t, Q^n_t],\\
&R_t = \operatorname{sigmoid}(A^r_t + Q^r_t),\quad S_t = \operatorname{sigmoid}(A^s_t + Q^s_t),\quad
 N_t = \tanh\bigl(A^n_t + R_t\odot Q^n_t\bigr),\quad
 H_t = (1 - S_t)\odot N_t + S_t\odot H_{t-1}.
\end{aligned}
$$

$W\in\mathbb R^{3n\times n}$ (``weight_hh_l0``), $U\in\mathbb R^{3n\times d}$
(``weight_ih_l0``), $b\in\mathbb R^{3n}$ (``bias_ih_l0`` plus the r, z blocks of
``bias_hh_l0``), $c\in\mathbb R^n$ (the n block of ``bias_hh_l0``, torch's $b_{hn}$, which sits
*inside* $R_t\odot(\cdot)$ and so cannot be merged into $b$).

Backward (Theorem ``thm-rnn-gru-backward``), with $\bar H_t = G_t + (\text{from } t+1)$:
$\bar N = \bar H\odot(1-S)$, $\bar A^s = \bar H\odot(H_{t-1} - N)\odot S(1-S)$,
$\bar A^n = \bar N\odot(1 - N^2)$, $\bar A^r = \bar A^n\odot Q^n\odot R(1-R)$,
$\bar Q^n = \bar A^n\odot R$; then $\bar H_{t-1} = \bar H\odot S + [\bar A^r, \bar A^s, \bar Q^n]W$,
$\nabla_W = \sum_t[\bar A^r, \bar A^s, \bar Q^n]_t^\top H_{t-1}$,
$\nabla_U = \sum_t[\bar A^r, \bar A^s, \bar A^n]_t^\top X_t$, $\nabla_b$ the column sums of
$[\bar A^r, \bar A^s, \bar A^n]$ and $\nabla_c$ those of $\bar Q^n$.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._common import check_matrix, check_sequence, check_state, sigmoid_

__all__ = ["GRUParameters", "GRUForward", "GRUGradient", "init_gru", "gru_forward", "gru_backward"]


@dataclass(frozen=True)
class GRUParameters:
    r"""$(W, U, b, c)$: ``W`` ``(3n, n)``, ``U`` ``(3n, d)``, ``b`` ``(3n,)``, ``c`` ``(n,)``."""

    W: np.ndarray
    U: np.ndarray
    b: np.ndarray
    c: np.ndarray

    def __post_init__(self) -> None:
        check_matrix("W", self.W, ("3n", "n"))
        n = self.W.shape[1]
        check_matrix("W", self.W, (3 * n, n))
        check_matrix("U", self.U, (3 * n, "d"), self.W.dtype)
        check_matrix("b", self.b, (3 * n,), self.W.dtype)
        check_matrix("c", self.c, (n,), self.W.dtype)

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
        return (self.W, self.U, self.b, self.c)


@dataclass(frozen=True)
class GRUForward:
    """``H``: ``(T + 1, m, n)``; ``gates``: ``(T, m, 3n)`` = $[R_t, S_t, N_t]$;
    ``Qn``: ``(T, m, n)`` = $Q^n_t = H_{t-1}W_n^\\top + c$."""

    H: np.ndarray
    gates: np.ndarray
    Qn: np.ndarray

    @property
    def output(self) -> np.ndarray:
        return self.H[1:]


@dataclass(frozen=True)
class GRUGradient:
    """``W``, ``U``, ``b``, ``c`` as the parameters; ``H0``: ``(m, n)``."""

    W: np.ndarray
    U: np.ndarray
    b: np.ndarray
    c: np.ndarray
    H0: np.ndarray

    def arrays(self) -> tuple[np.ndarray, ...]:
        return (self.W, self.U, self.b, self.c)


def init_gru(d: int, n: int, *, rng: np.random.Generator, dtype: Any = np.float64) -> GRUParameters:
    r"""Uniform on $[-1/\sqrt n, 1/\sqrt n]$ (torch's default)."""
    s = 1.0 / math.sqrt(n)
    arrays = (
        rng.uniform(-s, s, (3 * n, n)),
        rng.uniform(-s, s, (3 * n, d)),
        rng.uniform(-s, s, 3 * n),
        rng.uniform(-s, s, n),
    )
    return GRUParameters(*(a.astype(dtype) for a in arrays))


def gru_forward(theta: GRUParameters, X: np.ndarray, H0: np.ndarray | None = None) -> GRUForward:
    """Forward pass of Definition ``def-rnn-gru``; ``H0`` of shape ``(m, n)`` (default zeros)."""
    T, m = check_sequence(X, theta.d, theta.dtype)
    n, dt = theta.n, theta.dtype
    H = np.empty((T + 1, m, n), dtype=dt)
    H[0] = check_state("H0", H0, m, n, dt)
    gates = np.matmul(X.reshape(T * m, -1), theta.U.T).reshape(T, m, 3 * n)  # A_t, all t
    gates += theta.b
    Qn = np.empty((T, m, n), dtype=dt)
    WT = theta.W.T
    Q = np.empty((m, 3 * n), dtype=dt)
    for t in range(1, T + 1):
        a = gates[t - 1]
        np.matmul(H[t - 1], WT, out=Q)
        rs = a[:, : 2 * n]
        rs += Q[:, : 2 * n]
        sigmoid_(rs)  # [R_t, S_t]
        q = Qn[t - 1]
        np.add(Q[:, 2 * n :], theta.c, out=q)  # Q^n_t
        N = a[:, 2 * n :]
        h = H[t]
        np.multiply(a[:, :n], q, out=h)
        N += h
        np.tanh(N, out=N)  # N_t
        np.subtract(H[t - 1], N, out=h)
        h *= a[:, n : 2 * n]
        h += N  # H_t = N + S (H_{t-1} - N)
    return GRUForward(H, gates, Qn)


def gru_backward(
    theta: GRUParameters, fwd: GRUForward, X: np.ndarray, G: np.ndarray
) -> GRUGradient:
    r"""Backpropagation through time for the GRU (Theorem ``thm-rnn-gru-backward``).

    ``G[t-1]`` $= G_t$, the direct gradient with respect to $H_t$, shape ``(T, m, n)``.
    """
    T, m = check_sequence(X, theta.d, theta.dtype)
    n, dt = theta.n, theta.dtype
    check_matrix("fwd.H", fwd.H, (T + 1, m, n), dt)
    check_matrix("G", G, (T, m, n), dt)
    H, gates, Qn = fwd.H, fwd.gates, fwd.Qn
    dQ = np.empty((T, m, 3 * n), dtype=dt)  # [\bar A^r, \bar A^s, \bar Q^n]
    dAn = np.empty((T, m, n), dtype=dt)  # \bar A^n
    dh = np.zeros((m, n), dtype=dt)
    u = np.empty((m, n), dtype=dt)
    W = theta.W
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
    return GRUGradient(dW, dU, db, dc, dh)
