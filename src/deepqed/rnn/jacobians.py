r"""Products of hidden-state Jacobians and their norms (Section "Vanishing and exploding gradients").

For one sequence (row ``i`` of the batch) of the Elman network, Lemma ``lem-rnn-jacobian``:

$$
\frac{\partial h_t}{\partial h_s} = J_tJ_{t-1}\cdots J_{s+1}, \qquad
J_k = \frac{\partial h_k}{\partial h_{k-1}} = \operatorname{diag}\bigl(\sigma'(z_k)\bigr)W,
\qquad 0\le s\le t\le T,
$$

(the empty product, $t = s$, is $I_n$). For the LSTM, the cell path of Proposition
``prop-rnn-cell-path``: $\prod_{k=s+1}^t\partial c_k/\partial c_{k-1} =
\operatorname{diag}\bigl(\prod_{k=s+1}^t f_k\bigr)$.
"""

from __future__ import annotations

import numpy as np

from ._common import check_matrix
from .elman import RNNForward, RNNParameters, sigma_prime_from_value
from .lstm import LSTMForward

__all__ = ["hidden_jacobian", "jacobian_norms", "linear_power_norms", "cell_path_products"]


def _check_indices(T: int, m: int, i: int, s: int, t: int | None = None) -> None:
    if not 0 <= i < m:
        raise ValueError(f"argument 'i' must be a row index in [0, {m}), got {i}")
    if not 0 <= s <= T:
        raise ValueError(f"argument 's' must lie in [0, {T}], got {s}")
    if t is not None and not s <= t <= T:
        raise ValueError(f"argument 't' must lie in [s, T] = [{s}, {T}], got {t}")


def hidden_jacobian(theta: RNNParameters, fwd: RNNForward, i: int, s: int, t: int) -> np.ndarray:
    r"""$\partial h_t/\partial h_s = \prod_{k=t}^{s+1}\operatorname{diag}(\sigma'(z_k))W$ for row
    ``i``, shape ``(n, n)``; ``fwd`` from :func:`~deepqed.rnn.rnn_forward`."""
    T, m = fwd.H.shape[0] - 1, fwd.H.shape[1]
    _check_indices(T, m, i, s, t)
    D = sigma_prime_from_value(fwd.H[s + 1 : t + 1, i], fwd.activation)  # (t - s, n)
    P = np.eye(theta.n, dtype=theta.dtype)
    for k in range(t - s):
        P = D[k][:, None] * (theta.W @ P)  # J_k P
    return P


def jacobian_norms(theta: RNNParameters, fwd: RNNForward, i: int, s: int) -> np.ndarray:
    r"""$\bigl(\|\partial h_t/\partial h_s\|_{\mathrm{op}}\bigr)_{t = s, \dots, T}$ for row ``i``,
    shape ``(T - s + 1,)``, float64 (largest singular values, LAPACK)."""
    T, m = fwd.H.shape[0] - 1, fwd.H.shape[1]
    _check_indices(T, m, i, s)
    D = sigma_prime_from_value(fwd.H[s + 1 :, i], fwd.activation).astype(np.float64)
    W = theta.W.astype(np.float64)
    P = np.eye(theta.n)
    out = np.empty(T - s + 1)
    out[0] = 1.0
    for k in range(T - s):
        P = D[k][:, None] * (W @ P)
        out[k + 1] = np.linalg.norm(P, 2)
    return out


def linear_power_norms(W: np.ndarray, kmax: int) -> np.ndarray:
    r"""$\bigl(\|W^k\|_{\mathrm{op}}\bigr)_{k=0,\dots,k_{\max}}$: the Jacobian norms of the linear
    RNN $h_t = Wh_{t-1} + Ux_t + b$ (Proposition ``prop-rnn-linear-spectral``)."""
    check_matrix("W", W, ("n", "n"))
    if W.shape[0] != W.shape[1]:
        check_matrix("W", W, (W.shape[0], W.shape[0]))
    W = W.astype(np.float64)
    P = np.eye(W.shape[0])
    out = np.empty(kmax + 1)
    out[0] = 1.0
    for k in range(1, kmax + 1):
        P = W @ P
        out[k] = np.linalg.norm(P, 2)
    return out


def cell_path_products(fwd: LSTMForward, i: int, s: int) -> np.ndarray:
    r"""$\bigl(\prod_{k=s+1}^t F_k[i]\bigr)_{t=s,\dots,T}$ (forget gates of row ``i``), shape
    ``(T - s + 1, n)``: the diagonals of the cell-path Jacobian products."""
    T, m, n = fwd.C.shape[0] - 1, fwd.C.shape[1], fwd.C.shape[2]
    _check_indices(T, m, i, s)
    F = fwd.gates[s:, i, n : 2 * n].astype(np.float64)
    return np.concatenate([np.ones((1, n)), np.cumprod(F, axis=0)])
