r"""The GRU (gated recurrent unit) layer with ``torch.nn.GRU``'s equations: one step and its
backward rule as plain code, and the layer over a sequence.

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
$\bar A^s = \bar H\odot(H_{t-1} - N)\odot S(1-S)$, $\bar A^n = \bar H\odot(1-S)\odot(1 - N^2)$,
$\bar A^r = \bar A^n\odot Q^n\odot R(1-R)$, $\bar Q^n = \bar A^n\odot R$; then
$\bar H_{t-1} = G_{t-1} + \bar H\odot S + [\bar A^r, \bar A^s, \bar Q^n]W$,
$\nabla_W = \sum_t[\bar A^r, \bar A^s, \bar Q^n]_t^\top H_{t-1}$,
$\nabla_U = \sum_t[\bar A^r, \bar A^s, \bar A^n]_t^\top X_t$, $\nabla_b$ the column sums of
$[\bar A^r, \bar A^s, \bar A^n]$ and $\nabla_c$ those of $\bar Q^n$.

The step (:func:`gru_cell`, :func:`gru_cell_backward`) is written as the equations read; the
layer (:func:`gru_forward`, :func:`gru_backward`) runs the same equations in the fused kernels of
:mod:`._gru_fused` (NumPy) and :mod:`._xp` (other array-API libraries: torch, ...), which the
tests compare with the step. Results keep the namespace, device and dtype of the inputs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import array_api_compat
import numpy as np

from .._validation import (
    Array,
    DType,
    Generator,
    Instance,
    Integer,
    check,
    check_against,
    fail,
    namespace,
    received,
    validate,
)
from . import _gru_fused, _xp
from ._common import INPUT, OPTIONAL_STATE, SEQUENCE, STATE, STEPS, check_steps, sigmoid

__all__ = [
    "GRUParameters",
    "GRUForward",
    "GRUGradient",
    "init_gru",
    "gru_cell",
    "gru_cell_backward",
    "gru_forward",
    "gru_backward",
]


# --- one step, as the equations read --------------------------------------------------------
def _gru_cell(W, U, b, c, X_t, H_prev):
    """One step of (eq-rnn-gru): H_t and (R_t, S_t, N_t, Q^n_t) from X_t and H_{t-1}."""
    xp, n = namespace(W, X_t, H_prev), H_prev.shape[1]  # xp: NumPy, torch, ...
    A_t = X_t @ U.T + b  # [A^r, A^s, A^n], shape (m, 3n)
    Q_t = H_prev @ W.T  # [Q^r, Q^s, Q^n - c]
    Qn_t = Q_t[:, 2 * n :] + c
    R_t = sigmoid(A_t[:, :n] + Q_t[:, :n])  # reset gate
    S_t = sigmoid(A_t[:, n : 2 * n] + Q_t[:, n : 2 * n])  # update gate
    N_t = xp.tanh(A_t[:, 2 * n :] + R_t * Qn_t)  # candidate
    H_t = (1 - S_t) * N_t + S_t * H_prev
    return H_t, (R_t, S_t, N_t, Qn_t)


def _gru_cell_backward(W, X_t, H_prev, cache, Hbar_t):
    """Theorem thm-rnn-gru-backward, one step: from Hbar_t to the step's terms of the gradients
    and the part of Hbar_{t-1} that passes through the step."""
    xp, (R_t, S_t, N_t, Qn_t) = namespace(W, X_t, H_prev), cache
    Abar_s = Hbar_t * (H_prev - N_t) * S_t * (1 - S_t)
    Abar_n = Hbar_t * (1 - S_t) * (1 - N_t**2)
    Abar_r = Abar_n * Qn_t * R_t * (1 - R_t)
    Qbar_n = Abar_n * R_t
    Qbar_t = xp.concat([Abar_r, Abar_s, Qbar_n], axis=1)  # gradient of Q_t
    Abar_t = xp.concat([Abar_r, Abar_s, Abar_n], axis=1)  # gradient of A_t
    dW, dU = Qbar_t.T @ H_prev, Abar_t.T @ X_t
    db, dc = xp.sum(Abar_t, axis=0), xp.sum(Qbar_n, axis=0)
    return dW, dU, db, dc, Hbar_t * S_t + Qbar_t @ W


# --- containers ---------------------------------------------------------------------------------
def _check_three_blocks(name: str, x: np.ndarray, rows: int, n: int) -> None:
    if rows != 3 * n:
        fail(name, f"have 3n = {3 * n} rows (three blocks of n = {n})", received(x))


@dataclass(frozen=True)
class GRUParameters:
    r"""$(W, U, b, c)$: ``W`` ``(3n, n)``, ``U`` ``(3n, d)``, ``b`` ``(3n,)``, ``c`` ``(n,)``;
    arrays of one library, device and dtype (float32 or float64)."""

    W: np.ndarray
    U: np.ndarray
    b: np.ndarray
    c: np.ndarray

    __deepqed_constraints__ = {
        "W": Array(shape=("3n", "n")),
        "U": Array(shape=("3n", "d")),
        "b": Array(shape=("3n",)),
        "c": Array(shape=("n",)),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))
        _check_three_blocks("W", self.W, self.W.shape[0], self.W.shape[1])

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

    def map(self, f: Any) -> GRUParameters:
        """Apply ``f`` to every array (for example to convert to another namespace)."""
        return GRUParameters(*(f(a) for a in self.arrays()))


@dataclass(frozen=True)
class GRUForward:
    """``H``: ``(T + 1, m, n)``; ``gates``: ``(T, m, 3n)`` = $[R_t, S_t, N_t]$;
    ``Qn``: ``(T, m, n)`` = $Q^n_t = H_{t-1}W_n^\\top + c$."""

    H: np.ndarray
    gates: np.ndarray
    Qn: np.ndarray

    __deepqed_constraints__ = {
        "H": Array(shape=("T + 1", "m", "n"), finite=False),
        "gates": Array(shape=("T", "m", "3n"), finite=False),
        "Qn": Array(shape=("T", "m", "n"), finite=False),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))
        T, m, n = self.Qn.shape
        check_steps("H", self.H, T)
        _check_three_blocks("gates", self.gates, self.gates.shape[2], n)

    @property
    def output(self) -> np.ndarray:
        return self.H[1:, ...]


@dataclass(frozen=True)
class GRUGradient:
    """``W``, ``U``, ``b``, ``c`` as the parameters; ``H0``: ``(m, n)``."""

    W: np.ndarray
    U: np.ndarray
    b: np.ndarray
    c: np.ndarray
    H0: np.ndarray

    __deepqed_constraints__ = {
        "W": Array(shape=("3n", "n"), finite=False),
        "U": Array(shape=("3n", "d"), finite=False),
        "b": Array(shape=("3n",), finite=False),
        "c": Array(shape=("n",), finite=False),
        "H0": Array(shape=(None, "n"), finite=False),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))

    def arrays(self) -> tuple[np.ndarray, ...]:
        return (self.W, self.U, self.b, self.c)


# --- the public functions -----------------------------------------------------------------------
@validate(d=Integer(1), n=Integer(1), rng=Generator(), dtype=DType())
def init_gru(d: int, n: int, *, rng: np.random.Generator, dtype: Any = np.float64) -> GRUParameters:
    r"""Uniform on $[-1/\sqrt n, 1/\sqrt n]$ (torch's default).

    Arguments:
        d, n: input and state dimensions, $\ge 1$. rng: the source of randomness.
        dtype: float32 or float64.

    Returns NumPy arrays; convert with :meth:`GRUParameters.map`.
    """
    s = 1.0 / math.sqrt(n)
    arrays = (
        rng.uniform(-s, s, (3 * n, n)),
        rng.uniform(-s, s, (3 * n, d)),
        rng.uniform(-s, s, 3 * n),
        rng.uniform(-s, s, n),
    )
    return GRUParameters(*(a.astype(dtype) for a in arrays))


@validate(theta=Instance(GRUParameters), X=INPUT, H=STATE)
def gru_cell(theta: GRUParameters, X: np.ndarray, H: np.ndarray) -> np.ndarray:
    r"""One step of Definition ``def-rnn-gru``: $H_t$ from $X_t$ = ``X`` ``(m, d)`` and
    $H_{t-1}$ = ``H`` ``(m, n)``; returns an array of shape ``(m, n)``."""
    check_against(theta, "theta", X=(("m", "d"), X), H=(("m", "n"), H))
    return _gru_cell(*theta.arrays(), X, H)[0]


@validate(theta=Instance(GRUParameters), X=INPUT, H=STATE, dH=STATE)
def gru_cell_backward(
    theta: GRUParameters, X: np.ndarray, H: np.ndarray, dH: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    r"""The backward rule of one step (Theorem ``thm-rnn-gru-backward``).

    Arguments:
        theta, X, H: as in :func:`gru_cell` ($X_t$, $H_{t-1}$).
        dH: $\bar H_t$, the total gradient with respect to $H_t$, shape ``(m, n)``.

    Returns:
        ``(dW, dU, db, dc, dH_prev)``: the step's terms of $\nabla_W, \nabla_U, \nabla_b,
        \nabla_c$, and $\bar H_t\odot S_t + [\bar A^r_t, \bar A^s_t, \bar Q^n_t]W$ (what step
        $t - 1$ receives; its direct gradient $G_{t-1}$ is added by the caller).
    """
    check_against(theta, "theta", X=(("m", "d"), X), H=(("m", "n"), H), dH=(("m", "n"), dH))
    W, U, b, c = theta.arrays()
    _, cache = _gru_cell(W, U, b, c, X, H)
    return _gru_cell_backward(W, X, H, cache, dH)


@validate(theta=Instance(GRUParameters), X=SEQUENCE, H0=OPTIONAL_STATE)
def gru_forward(theta: GRUParameters, X: np.ndarray, H0: np.ndarray | None = None) -> GRUForward:
    """Forward pass of Definition ``def-rnn-gru`` over a sequence ``X`` ``(T, m, d)``; ``H0`` of
    shape ``(m, n)`` (default zeros). Returns :class:`GRUForward`."""
    check_against(theta, "theta", X=(("T", "m", "d"), X), H0=(("m", "n"), H0))
    xp = namespace(X)
    if H0 is None:
        H0 = xp.zeros((X.shape[1], theta.n), dtype=theta.dtype, device=array_api_compat.device(X))
    if isinstance(X, np.ndarray):
        return GRUForward(*_gru_fused.forward(*theta.arrays(), X, H0))
    return GRUForward(*_xp.gru_forward(xp, *theta.arrays(), X, H0))


@validate(theta=Instance(GRUParameters), fwd=Instance(GRUForward), X=SEQUENCE, G=STEPS)
def gru_backward(
    theta: GRUParameters, fwd: GRUForward, X: np.ndarray, G: np.ndarray
) -> GRUGradient:
    r"""Backpropagation through time for the GRU (Theorem ``thm-rnn-gru-backward``).

    ``fwd`` from :func:`gru_forward`; ``G[t-1]`` $= G_t$, the direct gradient with respect to
    $H_t$, shape ``(T, m, n)``. Returns :class:`GRUGradient`.
    """
    check_against(
        theta,
        "theta",
        X=(("T", "m", "d"), X),
        G=(("T", "m", "n"), G),
        **{
            "fwd.H": ((None, "m", "n"), fwd.H),
            "fwd.gates": (("T", "m", "3n"), fwd.gates),
            "fwd.Qn": (("T", "m", "n"), fwd.Qn),
        },
    )
    check_steps("fwd", fwd.H, X.shape[0])
    cache = (fwd.H, fwd.gates, fwd.Qn)
    if isinstance(X, np.ndarray):
        return GRUGradient(*_gru_fused.backward(theta.W, X, *cache, G))
    return GRUGradient(*_xp.gru_backward(namespace(X), theta.W, X, *cache, G))
