r"""The LSTM (long short-term memory) layer with ``torch.nn.LSTM``'s equations: one step and its
backward rule as plain code, and the layer over a sequence.

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

The step (:func:`lstm_cell`, :func:`lstm_cell_backward`) is written as the equations read; the
layer (:func:`lstm_forward`, :func:`lstm_backward`) runs the same equations in the fused kernels
of :mod:`._lstm_fused` (NumPy) and :mod:`._xp` (other array-API libraries: torch, ...), which the
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
    Real,
    check,
    check_against,
    fail,
    namespace,
    received,
    validate,
)
from . import _lstm_fused, _xp
from ._common import INPUT, OPTIONAL_STATE, SEQUENCE, STATE, STEPS, check_steps, sigmoid

__all__ = [
    "LSTMParameters",
    "LSTMForward",
    "LSTMGradient",
    "init_lstm",
    "lstm_cell",
    "lstm_cell_backward",
    "lstm_forward",
    "lstm_backward",
]


# --- one step, as the equations read --------------------------------------------------------
def _lstm_cell(W, U, b, X_t, H_prev, C_prev):
    """One step of (eq-rnn-lstm): H_t, C_t and the gates from X_t, H_{t-1}, C_{t-1}."""
    xp, n = namespace(W, X_t, H_prev), H_prev.shape[1]  # xp: NumPy, torch, ...
    A_t = H_prev @ W.T + X_t @ U.T + b  # [A^i, A^f, A^g, A^o], shape (m, 4n)
    I_t = sigmoid(A_t[:, :n])  # input gate
    F_t = sigmoid(A_t[:, n : 2 * n])  # forget gate
    Gamma_t = xp.tanh(A_t[:, 2 * n : 3 * n])  # candidate
    O_t = sigmoid(A_t[:, 3 * n :])  # output gate
    C_t = F_t * C_prev + I_t * Gamma_t
    H_t = O_t * xp.tanh(C_t)
    return H_t, C_t, (I_t, F_t, Gamma_t, O_t)


def _lstm_cell_backward(W, X_t, H_prev, C_prev, C_t, gates, Hbar_t, CbarF_next):
    """Theorem thm-rnn-lstm-backward, one step: from Hbar_t and CbarF_next = Cbar_{t+1} * F_{t+1}
    to the step's terms of the gradients, Abar_t W (for H_{t-1}) and Cbar_t * F_t (for C_{t-1})."""
    xp, (I_t, F_t, Gamma_t, O_t) = namespace(W, X_t, C_t), gates
    tanhC_t = xp.tanh(C_t)
    Cbar_t = CbarF_next + Hbar_t * O_t * (1 - tanhC_t**2)
    Abar_t = xp.concat(
        [
            Cbar_t * Gamma_t * I_t * (1 - I_t),  # Abar^i
            Cbar_t * C_prev * F_t * (1 - F_t),  # Abar^f
            Cbar_t * I_t * (1 - Gamma_t**2),  # Abar^g
            Hbar_t * tanhC_t * O_t * (1 - O_t),  # Abar^o
        ],
        axis=1,
    )
    dW, dU, db = Abar_t.T @ H_prev, Abar_t.T @ X_t, xp.sum(Abar_t, axis=0)
    return dW, dU, db, Abar_t @ W, Cbar_t * F_t


# --- containers ---------------------------------------------------------------------------------
def _check_four_blocks(name: str, x: np.ndarray, rows: int, n: int) -> None:
    if rows != 4 * n:
        fail(name, f"have 4n = {4 * n} rows (four gate blocks of n = {n})", received(x))


@dataclass(frozen=True)
class LSTMParameters:
    r"""$(W, U, b)$: ``W`` ``(4n, n)``, ``U`` ``(4n, d)``, ``b`` ``(4n,)``; gate blocks i, f, g,
    o; arrays of one library, device and dtype (float32 or float64)."""

    W: np.ndarray
    U: np.ndarray
    b: np.ndarray

    __deepqed_constraints__ = {
        "W": Array(shape=("4n", "n")),
        "U": Array(shape=("4n", "d")),
        "b": Array(shape=("4n",)),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))
        _check_four_blocks("W", self.W, self.W.shape[0], self.W.shape[1])

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

    def map(self, f: Any) -> LSTMParameters:
        """Apply ``f`` to every array (for example to convert to another namespace)."""
        return LSTMParameters(*(f(a) for a in self.arrays()))


@dataclass(frozen=True)
class LSTMForward:
    """``H``, ``C``: ``(T + 1, m, n)``; ``gates``: ``(T, m, 4n)`` = $[I_t, F_t, \\Gamma_t, O_t]$;
    ``tanhC``: ``(T, m, n)`` = $\\tanh C_t$."""

    H: np.ndarray
    C: np.ndarray
    gates: np.ndarray
    tanhC: np.ndarray

    __deepqed_constraints__ = {
        "H": Array(shape=("T + 1", "m", "n"), finite=False),
        "C": Array(shape=("T + 1", "m", "n"), finite=False),
        "gates": Array(shape=("T", "m", "4n"), finite=False),
        "tanhC": Array(shape=("T", "m", "n"), finite=False),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))
        T, m, n = self.tanhC.shape
        check_steps("H", self.H, T)
        _check_four_blocks("gates", self.gates, self.gates.shape[2], n)

    @property
    def output(self) -> np.ndarray:
        return self.H[1:, ...]


@dataclass(frozen=True)
class LSTMGradient:
    """``W``, ``U``, ``b`` as the parameters; ``H0``, ``C0``: ``(m, n)``."""

    W: np.ndarray
    U: np.ndarray
    b: np.ndarray
    H0: np.ndarray
    C0: np.ndarray

    __deepqed_constraints__ = {
        "W": Array(shape=("4n", "n"), finite=False),
        "U": Array(shape=("4n", "d"), finite=False),
        "b": Array(shape=("4n",), finite=False),
        "H0": Array(shape=("m", "n"), finite=False),
        "C0": Array(shape=("m", "n"), finite=False),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))

    def arrays(self) -> tuple[np.ndarray, ...]:
        return (self.W, self.U, self.b)


# --- the public functions -----------------------------------------------------------------------
@validate(d=Integer(1), n=Integer(1), rng=Generator(), dtype=DType(), forget_bias=Real())
def init_lstm(
    d: int, n: int, *, rng: np.random.Generator, dtype: Any = np.float64, forget_bias: float = 0.0
) -> LSTMParameters:
    r"""Uniform on $[-1/\sqrt n, 1/\sqrt n]$ (torch's default); ``forget_bias`` is added to
    $b^f$.

    Arguments:
        d, n: input and state dimensions, $\ge 1$. rng: the source of randomness.
        dtype: float32 or float64. forget_bias: a real number added to the forget gate's bias.

    Returns NumPy arrays; convert with :meth:`LSTMParameters.map`.
    """
    s = 1.0 / math.sqrt(n)
    W = rng.uniform(-s, s, (4 * n, n))
    U = rng.uniform(-s, s, (4 * n, d))
    b = rng.uniform(-s, s, 4 * n)
    b[n : 2 * n] += forget_bias
    return LSTMParameters(W.astype(dtype), U.astype(dtype), b.astype(dtype))


@validate(theta=Instance(LSTMParameters), X=INPUT, H=STATE, C=STATE)
def lstm_cell(
    theta: LSTMParameters, X: np.ndarray, H: np.ndarray, C: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    r"""One step of Definition ``def-rnn-lstm``: $(H_t, C_t)$ from $X_t$ = ``X`` ``(m, d)``,
    $H_{t-1}$ = ``H`` and $C_{t-1}$ = ``C`` ``(m, n)``; returns two arrays of shape ``(m, n)``."""
    check_against(theta, "theta", X=(("m", "d"), X), H=(("m", "n"), H), C=(("m", "n"), C))
    H_t, C_t, _ = _lstm_cell(*theta.arrays(), X, H, C)
    return H_t, C_t


@validate(theta=Instance(LSTMParameters), X=INPUT, H=STATE, C=STATE, dH=STATE, dC=STATE)
def lstm_cell_backward(
    theta: LSTMParameters,
    X: np.ndarray,
    H: np.ndarray,
    C: np.ndarray,
    dH: np.ndarray,
    dC: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    r"""The backward rule of one step (Theorem ``thm-rnn-lstm-backward``).

    Arguments:
        theta, X, H, C: as in :func:`lstm_cell` ($X_t$, $H_{t-1}$, $C_{t-1}$).
        dH: $\bar H_t$, the total gradient with respect to $H_t$, shape ``(m, n)``.
        dC: $\bar C_{t+1}\odot F_{t+1}$, the gradient reaching $C_t$ from the next step
            (``0`` at the last step), shape ``(m, n)``.

    Returns:
        ``(dW, dU, db, dH_prev, dC_prev)``: the step's terms of $\nabla_W, \nabla_U, \nabla_b$,
        then $\bar A_tW$ and $\bar C_t\odot F_t$ (what step $t - 1$ receives; its own direct
        gradient $G_{t-1}$ is added by the caller).
    """
    check_against(
        theta,
        "theta",
        X=(("m", "d"), X),
        H=(("m", "n"), H),
        C=(("m", "n"), C),
        dH=(("m", "n"), dH),
        dC=(("m", "n"), dC),
    )
    W, U, b = theta.arrays()
    _, C_t, gates = _lstm_cell(W, U, b, X, H, C)
    return _lstm_cell_backward(W, X, H, C, C_t, gates, dH, dC)


@validate(theta=Instance(LSTMParameters), X=SEQUENCE, H0=OPTIONAL_STATE, C0=OPTIONAL_STATE)
def lstm_forward(
    theta: LSTMParameters, X: np.ndarray, H0: np.ndarray | None = None, C0: np.ndarray | None = None
) -> LSTMForward:
    """Forward pass of Definition ``def-rnn-lstm`` over a sequence ``X`` ``(T, m, d)``; ``H0``,
    ``C0`` of shape ``(m, n)`` (default zeros). Returns :class:`LSTMForward`."""
    check_against(theta, "theta", X=(("T", "m", "d"), X), H0=(("m", "n"), H0), C0=(("m", "n"), C0))
    m, n = X.shape[1], theta.n
    xp = namespace(X)
    zeros = xp.zeros((m, n), dtype=theta.dtype, device=array_api_compat.device(X))
    H0 = zeros if H0 is None else H0
    C0 = zeros if C0 is None else C0
    if isinstance(X, np.ndarray):
        return LSTMForward(*_lstm_fused.forward(*theta.arrays(), X, H0, C0))
    return LSTMForward(*_xp.lstm_forward(xp, *theta.arrays(), X, H0, C0))


@validate(
    theta=Instance(LSTMParameters),
    fwd=Instance(LSTMForward),
    X=SEQUENCE,
    G=STEPS,
    GC=OPTIONAL_STATE,
)
def lstm_backward(
    theta: LSTMParameters,
    fwd: LSTMForward,
    X: np.ndarray,
    G: np.ndarray,
    GC: np.ndarray | None = None,
) -> LSTMGradient:
    r"""Backpropagation through time for the LSTM (Theorem ``thm-rnn-lstm-backward``).

    ``fwd`` from :func:`lstm_forward`; ``G[t-1]`` $= G_t$, the direct gradient with respect to
    $H_t$, shape ``(T, m, n)``; ``GC`` (optional, shape ``(m, n)``) a direct gradient with
    respect to the last cell state $C_T$. Returns :class:`LSTMGradient`.
    """
    check_against(
        theta,
        "theta",
        X=(("T", "m", "d"), X),
        G=(("T", "m", "n"), G),
        GC=(("m", "n"), GC),
        **{
            "fwd.H": ((None, "m", "n"), fwd.H),
            "fwd.C": ((None, "m", "n"), fwd.C),
            "fwd.gates": (("T", "m", "4n"), fwd.gates),
            "fwd.tanhC": (("T", "m", "n"), fwd.tanhC),
        },
    )
    check_steps("fwd", fwd.H, X.shape[0])
    cache = (fwd.H, fwd.C, fwd.gates, fwd.tanhC)
    if isinstance(X, np.ndarray):
        grads = _lstm_fused.backward(theta.W, X, *cache, G, GC)
    else:
        grads = _xp.lstm_backward(namespace(X), theta.W, X, *cache, G, GC)
    return LSTMGradient(*grads)
