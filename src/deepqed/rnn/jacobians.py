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

from typing import Any

import numpy as np
from array_api_compat import device

from .._validation import Array, Instance, Integer, fail, namespace, received, validate
from .elman import RNNForward, RNNParameters, _sigma_prime
from .lstm import LSTMForward

__all__ = ["hidden_jacobian", "jacobian_norms", "linear_power_norms", "cell_path_products"]


def _check_indices(H: np.ndarray, i: int, s: int, t: int | None = None) -> None:
    """``i`` a row of the batch, ``0 <= s <= t <= T`` for states ``H`` of shape ``(T + 1, m, n)``."""
    T, m = H.shape[0] - 1, H.shape[1]
    if i >= m:
        fail("i", f"be a row index in [0, m) = [0, {m})", received(i))
    if s > T:
        fail("s", f"lie in [0, T] = [0, {T}]", received(s))
    if t is not None and not s <= t <= T:
        fail("t", f"lie in [s, T] = [{s}, {T}]", received(t))


def _check_fwd(theta: RNNParameters, fwd: RNNForward) -> None:
    if fwd.H.shape[2] != theta.n or fwd.H.dtype != theta.dtype:
        fail(
            "fwd",
            f"hold states of width n = {theta.n} and dtype {theta.dtype} (from 'theta')",
            received(fwd.H),
        )


@validate(
    theta=Instance(RNNParameters),
    fwd=Instance(RNNForward),
    i=Integer(0),
    s=Integer(0),
    t=Integer(0),
)
def hidden_jacobian(theta: RNNParameters, fwd: RNNForward, i: int, s: int, t: int) -> np.ndarray:
    r"""$\partial h_t/\partial h_s = \prod_{k=t}^{s+1}\operatorname{diag}(\sigma'(z_k))W$ for row
    ``i``, shape ``(n, n)``; ``fwd`` from :func:`~deepqed.rnn.rnn_forward`."""
    _check_fwd(theta, fwd)
    _check_indices(fwd.H, i, s, t)
    xp = namespace(theta.W)
    D = _sigma_prime(fwd.H[s + 1 : t + 1, i, :], fwd.activation)  # (t - s, n)
    P = xp.eye(theta.n, dtype=theta.dtype, device=device(theta.W))
    for k in range(t - s):
        P = D[k, :][:, None] * (theta.W @ P)  # J_k P
    return P


@validate(theta=Instance(RNNParameters), fwd=Instance(RNNForward), i=Integer(0), s=Integer(0))
def jacobian_norms(theta: RNNParameters, fwd: RNNForward, i: int, s: int) -> np.ndarray:
    r"""$\bigl(\|\partial h_t/\partial h_s\|_{\mathrm{op}}\bigr)_{t = s, \dots, T}$ for row ``i``,
    shape ``(T - s + 1,)``, float64 (largest singular values, LAPACK)."""
    _check_fwd(theta, fwd)
    _check_indices(fwd.H, i, s)
    T = fwd.H.shape[0] - 1
    xp = namespace(theta.W)
    D = xp.astype(_sigma_prime(fwd.H[s + 1 :, i, :], fwd.activation), xp.float64)
    W = xp.astype(theta.W, xp.float64)
    P = xp.eye(theta.n, dtype=xp.float64, device=device(W))
    out = [xp.ones((), dtype=xp.float64, device=device(W))]
    for k in range(T - s):
        P = D[k, :][:, None] * (W @ P)
        out.append(_op_norm(xp, P))
    return xp.stack(out)


def _op_norm(xp: Any, P: Any) -> Any:
    r"""$\|P\|_{\mathrm{op}}$, the largest singular value (LAPACK's SVD for NumPy)."""
    return np.linalg.norm(P, 2) if isinstance(P, np.ndarray) else xp.linalg.matrix_norm(P, ord=2)


@validate(W=Array(shape=("n", "n")), kmax=Integer(0))
def linear_power_norms(W: np.ndarray, kmax: int) -> np.ndarray:
    r"""$\bigl(\|W^k\|_{\mathrm{op}}\bigr)_{k=0,\dots,k_{\max}}$: the Jacobian norms of the linear
    RNN $h_t = Wh_{t-1} + Ux_t + b$ (Proposition ``prop-rnn-linear-spectral``); ``W`` of shape
    ``(n, n)``, returns float64 of shape ``(kmax + 1,)``."""
    xp = namespace(W)
    W = xp.astype(W, xp.float64)
    P = xp.eye(W.shape[0], dtype=xp.float64, device=device(W))
    out = [xp.ones((), dtype=xp.float64, device=device(W))]
    for _ in range(kmax):
        P = W @ P
        out.append(_op_norm(xp, P))
    return xp.stack(out)


@validate(fwd=Instance(LSTMForward), i=Integer(0), s=Integer(0))
def cell_path_products(fwd: LSTMForward, i: int, s: int) -> np.ndarray:
    r"""$\bigl(\prod_{k=s+1}^t F_k[i]\bigr)_{t=s,\dots,T}$ (forget gates of row ``i``), shape
    ``(T - s + 1, n)``, float64: the diagonals of the cell-path Jacobian products."""
    _check_indices(fwd.C, i, s)
    n = fwd.C.shape[2]
    if isinstance(fwd.C, np.ndarray):
        F = fwd.gates[s:, i, n : 2 * n].astype(np.float64)
        return np.concatenate([np.ones((1, n)), np.cumprod(F, axis=0)])
    xp = namespace(fwd.C)
    F = xp.astype(fwd.gates[s:, i, n : 2 * n], xp.float64)
    out = [xp.ones((n,), dtype=xp.float64, device=device(F))]
    for k in range(F.shape[0]):
        out.append(out[-1] * F[k, :])
    return xp.stack(out)
