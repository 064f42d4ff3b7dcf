r"""The plain (Elman) recurrent network: forward pass and backpropagation through time, side by side.

Batch form of Definition ``def-rnn-elman`` (time-major, one sample per row):

$$
Z_t = H_{t-1}W^\top + X_tU^\top + \mathbf 1_m b^\top, \qquad H_t = \sigma(Z_t), \qquad t\in[T],
$$

with $W\in\mathbb R^{n\times n}$, $U\in\mathbb R^{n\times d}$, $b\in\mathbb R^n$, inputs
$X_t\in\mathbb R^{m\times d}$ (``X[t-1]``), states $H_t\in\mathbb R^{m\times n}$ (``H[t]``, with
$H_0$ = ``H[0]``) and $\sigma\in\{\tanh, \operatorname{ReLU}\}$, the activations of
``torch.nn.RNN``. Torch's ``weight_hh_l0``, ``weight_ih_l0``, ``bias_ih_l0 + bias_hh_l0`` are
$W$, $U$, $b$.

Both activations have a derivative that is a function of the *value* $h = \sigma(z)$:
$\tanh'(z) = 1 - h^2$ and $\operatorname{ReLU}'(z) = \mathbb 1[h > 0]$ (the convention
$\operatorname{ReLU}'(0) = 0$ of the feedforward chapter), so the forward pass stores only $H$.

Arrays come from any array-API library (NumPy, torch on CPU or CUDA, ...); results keep the
namespace, device and dtype of the inputs. NumPy arrays run the kernels below, which write into
preallocated buffers; other libraries run the same equations in :mod:`._xp`.

Speed: the input projections $X_tU^\top$ of all $t$ are one matrix product before the loop; the
loops do one product per step; the weight gradients are one product each after the loop, over
$\Delta$ stacked in time (Algorithm ``alg-rnn-bptt``).
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
    Optional,
    Options,
    Real,
    check,
    check_against,
    namespace,
    validate,
)
from . import _xp
from ._common import OPTIONAL_STATE, SEQUENCE, STEPS, check_grads, check_steps, relu_, tanh_

__all__ = [
    "ACTIVATIONS",
    "RNNParameters",
    "RNNForward",
    "RNNGradient",
    "init_rnn",
    "rnn_forward",
    "rnn_backward",
    "rnn_loss_and_gradient",
    "sigma_prime_from_value",
    "clip_global_norm",
    "global_norm",
]

#: The activations of ``torch.nn.RNN`` (its ``nonlinearity`` argument).
ACTIVATIONS = ("tanh", "relu")


@dataclass(frozen=True)
class RNNParameters:
    r"""$\theta = (W, U, b)$ of Definition ``def-rnn-elman``.

    ``W``: shape ``(n, n)``; ``U``: shape ``(n, d)``; ``b``: shape ``(n,)``; one dtype
    (float32 or float64). Checked on construction.
    """

    W: np.ndarray
    U: np.ndarray
    b: np.ndarray

    __deepqed_constraints__ = {
        "W": Array(shape=("n", "n")),
        "U": Array(shape=("n", "d")),
        "b": Array(shape=("n",)),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))

    @property
    def n(self) -> int:
        return self.W.shape[0]

    @property
    def d(self) -> int:
        return self.U.shape[1]

    @property
    def dtype(self) -> np.dtype:
        return self.W.dtype

    def arrays(self) -> tuple[np.ndarray, ...]:
        return (self.W, self.U, self.b)

    def map(self, f: Any) -> RNNParameters:
        """Apply ``f`` to every array (for example to convert to another namespace)."""
        return RNNParameters(*(f(a) for a in self.arrays()))


@dataclass(frozen=True)
class RNNForward:
    """Result of :func:`rnn_forward`: ``H`` of shape ``(T + 1, m, n)``, ``H[t]`` $= H_t$."""

    H: np.ndarray
    activation: str

    __deepqed_constraints__ = {
        "H": Array(ndim=3, finite=False),
        "activation": Options(*ACTIVATIONS),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))

    @property
    def output(self) -> np.ndarray:
        """$(H_1, \\dots, H_T)$, shape ``(T, m, n)``: torch's ``output`` of ``nn.RNN``."""
        return self.H[1:, ...]


@dataclass(frozen=True)
class RNNGradient:
    """Gradients of a scalar objective: ``W``, ``U``, ``b`` (shapes as in the parameters) and
    ``H0`` (shape ``(m, n)``), the gradient with respect to the initial state."""

    W: np.ndarray
    U: np.ndarray
    b: np.ndarray
    H0: np.ndarray

    __deepqed_constraints__ = {
        "W": Array(shape=("n", "n"), finite=False),
        "U": Array(shape=("n", "d"), finite=False),
        "b": Array(shape=("n",), finite=False),
        "H0": Array(shape=(None, "n"), finite=False),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))

    def arrays(self) -> tuple[np.ndarray, ...]:
        return (self.W, self.U, self.b)


@validate(
    d=Integer(1),
    n=Integer(1),
    rng=Generator(),
    dtype=DType(),
    scale=Optional(Real(0, None, closed="neither")),
)
def init_rnn(
    d: int, n: int, *, rng: np.random.Generator, dtype: Any = np.float64, scale: float | None = None
) -> RNNParameters:
    r"""Entries i.i.d. uniform on $[-s, s]$ with $s = 1/\sqrt n$ (torch's default) or ``scale``.

    Arguments:
        d, n: input and state dimensions, $\ge 1$.
        rng: the source of randomness.
        dtype: float32 or float64.
        scale: $s > 0$, or ``None`` for $1/\sqrt n$.

    Returns NumPy arrays; convert with :meth:`RNNParameters.map`.
    """
    s = 1.0 / math.sqrt(n) if scale is None else scale
    W = rng.uniform(-s, s, (n, n))
    U = rng.uniform(-s, s, (n, d))
    b = rng.uniform(-s, s, n)
    return RNNParameters(W.astype(dtype), U.astype(dtype), b.astype(dtype))


@validate(H=Array(nonempty=False), activation=Options(*ACTIVATIONS))
def sigma_prime_from_value(H: np.ndarray, activation: str) -> np.ndarray:
    r"""$\sigma'(Z)$ from $H = \sigma(Z)$: $1 - H\odot H$ (tanh) or $\mathbb 1[H > 0]$ (ReLU).

    ``H`` of any shape; returns a new array of its shape and dtype."""
    return _sigma_prime(H, activation)


def _sigma_prime(H: np.ndarray, activation: str) -> np.ndarray:
    if not isinstance(H, np.ndarray):
        xp = namespace(H)
        return 1.0 - H * H if activation == "tanh" else xp.astype(H > 0, H.dtype)
    if activation == "tanh":
        D = np.multiply(H, H)
        np.subtract(1.0, D, out=D)
        return D
    return (H > 0).astype(H.dtype)


@validate(
    theta=Instance(RNNParameters),
    X=SEQUENCE,
    H0=OPTIONAL_STATE,
    activation=Options(*ACTIVATIONS),
)
def rnn_forward(
    theta: RNNParameters, X: np.ndarray, H0: np.ndarray | None = None, activation: str = "tanh"
) -> RNNForward:
    r"""Forward pass of Definition ``def-rnn-elman`` over a batch of sequences.

    Arguments:
        theta: $(W, U, b)$.
        X: inputs, shape ``(T, m, d)``; ``X[t-1]`` $= X_t$.
        H0: initial state $H_0$, shape ``(m, n)`` (default zeros).
        activation: ``"tanh"`` or ``"relu"``.

    Returns:
        :class:`RNNForward` with ``H`` of shape ``(T + 1, m, n)``, ``H[t]`` $= H_t$.
    """
    check_against(theta, "theta", X=(("T", "m", "d"), X), H0=(("m", "n"), H0))
    return _forward(theta, X, H0, activation)


def _forward(
    theta: RNNParameters, X: np.ndarray, H0: np.ndarray | None, activation: str
) -> RNNForward:
    T, m, n = X.shape[0], X.shape[1], theta.n
    if not isinstance(X, np.ndarray):
        xp = namespace(X)
        if H0 is None:
            H0 = xp.zeros((m, n), dtype=theta.dtype, device=array_api_compat.device(X))
        return RNNForward(_xp.elman_forward(xp, *theta.arrays(), X, H0, activation), activation)
    H = np.empty((T + 1, m, n), dtype=theta.dtype)
    H[0] = 0.0 if H0 is None else H0
    # P_t = X_t U^T + 1 b^T for all t at once, written into H[1:], then Z_t = H_{t-1} W^T + P_t.
    np.matmul(X.reshape(T * m, -1), theta.U.T, out=H[1:].reshape(T * m, n))
    H[1:] += theta.b
    act = tanh_ if activation == "tanh" else relu_
    WT = theta.W.T
    Zt = np.empty((m, n), dtype=theta.dtype)
    for t in range(1, T + 1):
        np.matmul(H[t - 1], WT, out=Zt)
        Zt += H[t]
        act(Zt)
        H[t] = Zt
    return RNNForward(H, activation)


@validate(
    theta=Instance(RNNParameters),
    fwd=Instance(RNNForward),
    X=SEQUENCE,
    G=STEPS,
    truncation=Optional(Integer(1)),
)
def rnn_backward(
    theta: RNNParameters,
    fwd: RNNForward,
    X: np.ndarray,
    G: np.ndarray,
    *,
    truncation: int | None = None,
) -> RNNGradient:
    r"""Backpropagation through time, Algorithm ``alg-rnn-bptt`` (and ``def-rnn-truncated``).

    ``G[t-1]`` $= G_t = \partial\mathcal L/\partial H_t$ is the *direct* gradient of the objective
    with respect to $H_t$ (through the loss terms that read $H_t$, not through $H_{t+1}$). The
    recursion, with $\Delta_{T+1} = 0$,

    $$
    \Delta_t = \bigl(G_t + \Delta_{t+1}W\bigr)\odot\sigma'(Z_t), \qquad
    \nabla_W\mathcal L = \sum_{t}\Delta_t^\top H_{t-1},\quad
    \nabla_U\mathcal L = \sum_{t}\Delta_t^\top X_t,\quad
    \nabla_b\mathcal L = \sum_t\Delta_t^\top\mathbf 1_m,\quad
    \nabla_{H_0}\mathcal L = \Delta_1W .
    $$

    With ``truncation = k`` the term $\Delta_{t+1}W$ is dropped whenever $t$ is a multiple of $k$
    (the state is cut at $H_k, H_{2k}, \dots$): this is the gradient of Theorem
    ``thm-rnn-truncated``, what torch computes when the state is ``detach``-ed every $k$ steps.

    Arguments:
        theta, fwd, X: as in and from :func:`rnn_forward`.
        G: shape ``(T, m, n)``.
        truncation: chunk length $k\in\mathbb N$, or ``None`` for full BPTT.

    Returns:
        :class:`RNNGradient`: ``W`` ``(n, n)``, ``U`` ``(n, d)``, ``b`` ``(n,)``, ``H0``
        ``(m, n)``.
    """
    check_against(
        theta,
        "theta",
        X=(("T", "m", "d"), X),
        G=(("T", "m", "n"), G),
        **{"fwd.H": ((None, "m", "n"), fwd.H)},
    )
    check_steps("fwd", fwd.H, X.shape[0])
    return _backward(theta, fwd, X, G, truncation)


def _backward(
    theta: RNNParameters, fwd: RNNForward, X: np.ndarray, G: np.ndarray, truncation: int | None
) -> RNNGradient:
    H = fwd.H
    T, m, n = X.shape[0], X.shape[1], theta.n
    k = T if truncation is None else truncation
    if not isinstance(X, np.ndarray):
        grads = _xp.elman_backward(namespace(X), theta.W, X, H, G, fwd.activation, k)
        return RNNGradient(*grads)
    Delta = _sigma_prime(H[1:], fwd.activation)  # sigma'(Z_t), (T, m, n)
    W = theta.W
    carry = np.zeros((m, n), dtype=theta.dtype)  # Delta_{t+1} W
    for t in range(T, 0, -1):  # Delta[t-1] = Delta_t
        D = Delta[t - 1]
        if t % k == 0:  # cut: no Delta_{t+1} W
            D *= G[t - 1]
        else:
            carry += G[t - 1]
            D *= carry
        np.matmul(D, W, out=carry)
    D2 = Delta.reshape(T * m, n)
    dW = D2.T @ H[:-1].reshape(T * m, n)
    dU = D2.T @ X.reshape(T * m, -1)
    db = D2.sum(axis=0)
    return RNNGradient(dW, dU, db, carry)


@validate(
    theta=Instance(RNNParameters),
    X=SEQUENCE,
    G=STEPS,
    H0=OPTIONAL_STATE,
    activation=Options(*ACTIVATIONS),
    truncation=Optional(Integer(1)),
)
def rnn_loss_and_gradient(
    theta: RNNParameters,
    X: np.ndarray,
    G: np.ndarray,
    H0: np.ndarray | None = None,
    activation: str = "tanh",
    truncation: int | None = None,
) -> tuple[float, RNNGradient]:
    r"""The linear objective $\mathcal L = \sum_t\langle G_t, H_t\rangle$ and its gradient.

    Every objective's gradient is that of this one with $G_t = \partial\mathcal L/\partial H_t$
    (direct part) fixed; it is used by the witnesses and the benchmark.
    """
    check_against(
        theta, "theta", X=(("T", "m", "d"), X), G=(("T", "m", "n"), G), H0=(("m", "n"), H0)
    )
    fwd = _forward(theta, X, H0, activation)
    if isinstance(X, np.ndarray):
        value = float(np.vdot(fwd.H[1:], G))
    else:
        value = float(namespace(X).sum(fwd.H[1:, ...] * G))
    return value, _backward(theta, fwd, X, G, truncation)


@validate(grads=Instance((tuple, list), "a tuple or list of arrays"))
def global_norm(grads: tuple[np.ndarray, ...] | list[np.ndarray]) -> float:
    r"""$\|g\| = \bigl(\sum_k\|g_k\|^2\bigr)^{1/2}$ over all arrays (the norm of $\Theta$).

    Computed in float64 after dividing by the largest $|g_{k,j}|$, so that it neither overflows
    nor underflows (float32 entries of size $10^{20}$ have squares beyond float32's range)."""
    check_grads(grads)
    return _global_norm(grads)


def _global_norm(grads: tuple[np.ndarray, ...] | list[np.ndarray]) -> float:
    if all(isinstance(g, np.ndarray) for g in grads):
        peak = max((float(np.max(np.abs(g))) for g in grads if g.size), default=0.0)
        if peak == 0.0:
            return 0.0
        total = sum(float(np.sum(np.square(g.astype(np.float64) / peak))) for g in grads)
        return peak * math.sqrt(total)
    nonempty = [(namespace(g), g) for g in grads if math.prod(g.shape)]
    peak = max((float(xp.max(xp.abs(g))) for xp, g in nonempty), default=0.0)
    if peak == 0.0:
        return 0.0
    total = sum(float(xp.sum(xp.square(xp.astype(g, xp.float64) / peak))) for xp, g in nonempty)
    return peak * math.sqrt(total)


@validate(
    grads=Instance((tuple, list), "a tuple or list of arrays"),
    tau=Real(0, None, closed="neither"),
)
def clip_global_norm(
    grads: tuple[np.ndarray, ...], tau: float
) -> tuple[tuple[np.ndarray, ...], float]:
    r"""Gradient clipping by global norm, Definition ``def-rnn-clipping``.

    $\operatorname{clip}_\tau(g) = \min\bigl(1, \tau/\|g\|\bigr)\,g$ (and $0$ for $g = 0$).

    Arguments:
        grads: arrays $g_1, \dots, g_K$ (any shapes), the components of $g\in\Theta$.
        tau: threshold $\tau > 0$.

    Returns:
        the clipped arrays (new arrays, same namespaces, devices, shapes and dtypes) and
        $\|g\|$.
    """
    check_grads(grads)
    norm = _global_norm(grads)
    factor = 1.0 if norm <= tau else tau / norm
    return tuple(_scale(g, factor) for g in grads), norm


def _scale(g: Any, factor: float) -> Any:
    """``factor * g`` in the dtype of ``g`` (the factor rounded to that dtype first)."""
    return g * g.dtype.type(factor) if isinstance(g, np.ndarray) else g * factor
