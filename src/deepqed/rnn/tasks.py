r"""The adding problem and the training loop of the experiment (Section "The adding problem").

Definition ``def-rnn-adding``: a sequence of length $T$ of pairs $x_t = (v_t, \mu_t)$ with values
$v_t$ i.i.d. uniform on $[0, 1]$ and markers $\mu_t\in\{0, 1\}$, exactly two of them $1$: one at a
position $p$ uniform in $\{1, \dots, \lfloor T/2\rfloor\}$, one at $q$ uniform in
$\{\lfloor T/2\rfloor + 1, \dots, T\}$; the target is $y = v_p + v_q$.

Model: a recurrent layer (:mod:`.elman` with tanh, or :mod:`.lstm`) read out linearly at the last
step, $\hat y = H_T w + w_0\mathbf 1_m$ ($w\in\mathbb R^n$, $w_0\in\mathbb R$); objective the
mean squared error $\mathcal L = \frac1m\|\hat y - y\|^2$; optimizer Adam (Algorithm
``alg-rnn-adam``) on the gradient clipped by global norm (Definition ``def-rnn-clipping``).

:func:`adam_init`, :func:`adam_update` and :func:`model_loss` take arrays of any array-API library
(results in the same namespace, device and dtype); :func:`adding_problem` draws from a NumPy
``Generator`` and returns NumPy arrays, and :func:`train_adding` is the book's experiment, run on
NumPy (its data come from the generator, its loop is timed with one BLAS thread).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import array_api_compat
import numpy as np
from threadpoolctl import threadpool_limits

from .._validation import (
    Array,
    Boolean,
    DType,
    Generator,
    Instance,
    Integer,
    Options,
    Real,
    check,
    check_against,
    fail,
    namespace,
    validate,
)
from ._common import check_grads
from .elman import RNNParameters, _backward, _forward, _global_norm, init_rnn
from .gru import _xp
from .lstm import LSTMParameters, _lstm_fused, init_lstm

__all__ = [
    "adding_problem",
    "AdamState",
    "adam_init",
    "adam_update",
    "model_loss",
    "TrainResult",
    "train_adding",
    "MODELS",
]

#: The recurrent layers that :func:`train_adding` can train.
MODELS = ("rnn", "lstm")


@validate(T=Integer(2), m=Integer(1), rng=Generator(), dtype=DType())
def adding_problem(
    T: int, m: int, *, rng: np.random.Generator, dtype: Any = np.float64
) -> tuple[np.ndarray, np.ndarray]:
    r"""$m$ independent draws of Definition ``def-rnn-adding`` of length $T\ge 2$.

    Returns:
        ``X`` of shape ``(T, m, 2)`` (``X[t-1, i] = (v_t, mu_t)`` of sample ``i``) and ``y`` of
        shape ``(m,)``.
    """
    half = T // 2
    X = np.zeros((T, m, 2), dtype=dtype)
    X[:, :, 0] = rng.uniform(0.0, 1.0, (T, m))
    rows = np.arange(m)
    p = rng.integers(0, half, m)  # 0-based p - 1
    q = rng.integers(half, T, m)  # 0-based q - 1
    X[p, rows, 1] = 1.0
    X[q, rows, 1] = 1.0
    y = (X[p, rows, 0] + X[q, rows, 0]).astype(dtype)
    return X, y


@dataclass(frozen=True)
class AdamState:
    """Adam's moments (one array per parameter array) and the step count $k$."""

    M: tuple[np.ndarray, ...]
    V: tuple[np.ndarray, ...]
    k: int

    __deepqed_constraints__ = {
        "M": Instance(tuple, "a tuple of arrays"),
        "V": Instance(tuple, "a tuple of arrays"),
        "k": Integer(0),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))
        _check_like("V", self.V, self.M, "M")


_ARRAYS = Instance((tuple, list), "a tuple or list of arrays")


def _check_like(name: str, arrays: Any, like: Any, like_name: str) -> None:
    """``arrays``: floating arrays with the shapes of ``like``, one by one."""
    check_grads(arrays)
    if len(arrays) != len(like) or any(a.shape != b.shape for a, b in zip(arrays, like)):
        fail(
            name,
            f"hold arrays of the shapes of {like_name!r}, {[b.shape for b in like]}",
            f"shapes {[tuple(a.shape) for a in arrays]}",
        )


@validate(params=_ARRAYS)
def adam_init(params: tuple[np.ndarray, ...]) -> AdamState:
    """Zero moments (the shapes and dtypes of ``params``), $k = 0$."""
    check_grads(params)
    zeros = tuple(namespace(p).zeros_like(p) for p in params)
    return AdamState(zeros, tuple(namespace(p).zeros_like(p) for p in params), 0)


@validate(
    params=_ARRAYS,
    grads=_ARRAYS,
    state=Instance(AdamState),
    alpha=Real(0, None, closed="neither"),
    beta1=Real(0, 1, closed="left"),
    beta2=Real(0, 1, closed="left"),
    eps=Real(0, None, closed="neither"),
)
def adam_update(
    params: tuple[np.ndarray, ...],
    grads: tuple[np.ndarray, ...],
    state: AdamState,
    *,
    alpha: float = 1e-3,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
) -> tuple[tuple[np.ndarray, ...], AdamState]:
    r"""One step of Adam (Algorithm ``alg-rnn-adam``; Kingma and Ba 2015, Algorithm 1):

    $M\leftarrow\beta_1M + (1-\beta_1)g$, $V\leftarrow\beta_2V + (1-\beta_2)g\odot g$,
    $\theta\leftarrow\theta - \alpha\,\hat M/(\sqrt{\hat V} + \epsilon)$ with
    $\hat M = M/(1-\beta_1^k)$, $\hat V = V/(1-\beta_2^k)$. Returns new arrays (pure).
    """
    check_grads(params)
    _check_like("grads", grads, params, "params")
    _check_like("state", state.M, params, "params")
    k = state.k + 1
    c1, c2 = 1.0 - beta1**k, 1.0 - beta2**k
    new_p, new_M, new_V = [], [], []
    for p, g, M, V in zip(params, grads, state.M, state.V, strict=True):
        M = beta1 * M + (1.0 - beta1) * g
        V = beta2 * V + (1.0 - beta2) * (g * g)
        xp = namespace(p)
        step = (M / c1) / (xp.sqrt(V / c2) + eps)
        new_p.append(xp.astype(p - alpha * step, p.dtype))
        new_M.append(xp.astype(M, p.dtype))
        new_V.append(xp.astype(V, p.dtype))
    return tuple(new_p), AdamState(tuple(new_M), tuple(new_V), k)


def _layer(model: str) -> tuple[type, Callable[..., Any], Callable[..., Any]]:
    """The parameter class of ``model`` and its forward and backward kernels (unvalidated):
    ``forward(theta, X) -> (H, cache)``, ``backward(theta, cache, X, G) -> (dW, dU, db)``."""
    if model == "rnn":
        return RNNParameters, _rnn_forward, _rnn_backward
    return LSTMParameters, _lstm_forward, _lstm_backward


def _rnn_forward(theta: RNNParameters, X: np.ndarray) -> tuple[np.ndarray, Any]:
    fwd = _forward(theta, X, None, "tanh")
    return fwd.H, fwd


def _rnn_backward(theta: RNNParameters, fwd: Any, X: np.ndarray, G: np.ndarray) -> Any:
    return _backward(theta, fwd, X, G, None).arrays()


def _lstm_forward(theta: LSTMParameters, X: np.ndarray) -> tuple[np.ndarray, Any]:
    xp = namespace(X)
    zeros = xp.zeros((X.shape[1], theta.n), dtype=theta.dtype, device=array_api_compat.device(X))
    if isinstance(X, np.ndarray):
        cache = _lstm_fused.forward(*theta.arrays(), X, zeros, zeros)
    else:
        cache = _xp.lstm_forward(xp, *theta.arrays(), X, zeros, zeros)
    return cache[0], cache


def _lstm_backward(theta: LSTMParameters, cache: Any, X: np.ndarray, G: np.ndarray) -> Any:
    if isinstance(X, np.ndarray):
        return _lstm_fused.backward(theta.W, X, *cache, G, None)[:3]
    return _xp.lstm_backward(namespace(X), theta.W, X, *cache, G, None)[:3]


@validate(
    model=Options(*MODELS),
    params=_ARRAYS,
    X=Array(shape=("T", "m", "d")),
    y=Array(shape=("m",)),
    gradient=Boolean(),
)
def model_loss(
    model: str,
    params: tuple[np.ndarray, ...],
    X: np.ndarray,
    y: np.ndarray,
    *,
    gradient: bool = True,
) -> tuple[float, tuple[np.ndarray, ...] | None]:
    r"""$\mathcal L = \frac1m\|H_Tw + w_0\mathbf 1_m - y\|^2$ and its gradient.

    ``params`` $= (W, U, b, w, w_0)$ with ``w`` of shape ``(n,)`` and ``w0`` of shape ``(1,)``.
    ``X`` has shape ``(T, m, d)``, ``y`` shape ``(m,)``. The gradient is Theorem ``thm-rnn-bptt``
    (resp. ``thm-rnn-lstm-backward``) with $G_T = \frac2m(\hat y - y)w^\top$ and $G_t = 0$ for
    $t < T$, and $(H_T^\top e, \mathbf 1_m^\top e)$ with $e = \frac2m(\hat y - y)$ for $(w, w_0)$.
    """
    if len(params) != 5:
        fail("params", "be (W, U, b, w, w0), five arrays", f"{len(params)} items")
    cls, forward, backward = _layer(model)
    theta = cls(*params[:3])
    w, w0 = params[3], params[4]
    check_grads((w, w0))
    check_against(theta, "params", X=(("T", "m", "d"), X), y=(("m",), y), w=(("n",), w))
    check_against(theta, "params", w0=((1,), w0))
    return _model_loss(theta, forward, backward, w, w0, X, y, gradient)


def _model_loss(
    theta: Any,
    forward: Callable[..., Any],
    backward: Callable[..., Any],
    w: np.ndarray,
    w0: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    gradient: bool,
) -> tuple[float, tuple[np.ndarray, ...] | None]:
    H, cache = forward(theta, X)
    HT = H[-1, ...]
    r = HT @ w + w0[0] - y  # residuals, (m,)
    m = y.shape[0]
    value = float(r @ r) / m
    if not gradient:
        return value, None
    e = (2.0 / m) * r
    if isinstance(X, np.ndarray):
        G = np.zeros_like(H[1:])
        G[-1] = np.outer(e, w)
        grad = backward(theta, cache, X, G)
        return value, (*grad, HT.T @ e, np.array([e.sum()], dtype=w.dtype))
    xp = namespace(X)
    G = xp.concat([xp.zeros_like(H[1:-1, ...]), (e[:, None] * w[None, :])[None, ...]])
    grad = backward(theta, cache, X, G)
    return value, (*grad, HT.T @ e, xp.reshape(xp.sum(e), (1,)))


@dataclass(frozen=True)
class TrainResult:
    """Training losses per step, test MSE at evaluation steps, final parameters, seconds."""

    model: str
    train_loss: np.ndarray
    eval_steps: np.ndarray
    test_loss: np.ndarray
    params: tuple[np.ndarray, ...]
    seconds: float

    __deepqed_constraints__ = {
        "model": Options(*MODELS),
        "train_loss": Array(ndim=1, numpy=True, finite=False, same_dtype=False),
        "eval_steps": Array(ndim=1, dtype="integer", numpy=True),
        "test_loss": Array(ndim=1, numpy=True, finite=False, same_dtype=False),
        "params": Instance(tuple, "a tuple of arrays"),
        "seconds": Real(0, None),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))


@validate(
    model=Options(*MODELS),
    T=Integer(2),
    n=Integer(1),
    m=Integer(1),
    steps=Integer(1),
    rng=Generator(),
    alpha=Real(0, None, closed="neither"),
    tau=Real(0, None, closed="neither"),
    eval_every=Integer(1),
    m_test=Integer(1),
    dtype=DType(),
)
def train_adding(
    model: str,
    *,
    T: int,
    n: int,
    m: int,
    steps: int,
    rng: np.random.Generator,
    alpha: float = 1e-2,
    tau: float = 1.0,
    eval_every: int = 100,
    m_test: int = 1000,
    dtype: Any = np.float32,
) -> TrainResult:
    r"""Train ``model`` (``"rnn"``, tanh, or ``"lstm"``) on fresh batches of the adding problem.

    Each step draws a batch of $m$ sequences, computes $\mathcal L$ and its gradient
    (:func:`model_loss`), clips the gradient to global norm $\tau$ and takes an Adam step of size
    $\alpha$. Every ``eval_every`` steps the MSE on one fixed test set of ``m_test`` sequences is
    recorded. Initialisation: torch's uniform default, forget-gate bias $1$ for the LSTM.

    The loop runs with one BLAS thread (``threadpoolctl``): its matrices are small (batch times
    $4n$), and on a loaded machine BLAS threads that wait for a core cost more than they save
    (measured: 10 times slower on 2 busy cores).
    """
    with threadpool_limits(limits=1, user_api="blas"):
        return _train(
            model,
            T=T,
            n=n,
            m=m,
            steps=steps,
            rng=rng,
            alpha=alpha,
            tau=tau,
            eval_every=eval_every,
            m_test=m_test,
            dtype=dtype,
        )


def _train(
    model: str,
    *,
    T: int,
    n: int,
    m: int,
    steps: int,
    rng: np.random.Generator,
    alpha: float,
    tau: float,
    eval_every: int,
    m_test: int,
    dtype: Any,
) -> TrainResult:
    if model == "rnn":
        layer = init_rnn(2, n, rng=rng, dtype=dtype).arrays()
    else:
        layer = init_lstm(2, n, rng=rng, dtype=dtype, forget_bias=1.0).arrays()
    cls, forward, backward = _layer(model)
    s = 1.0 / math.sqrt(n)
    params = (*layer, rng.uniform(-s, s, n).astype(dtype), np.zeros(1, dtype=dtype))
    X_test, y_test = adding_problem(T, m_test, rng=rng, dtype=dtype)
    state = adam_init(params)
    train, evals, tests = [], [], []
    start = time.perf_counter()

    def loss(params: tuple[np.ndarray, ...], X: np.ndarray, y: np.ndarray, gradient: bool) -> Any:
        return _model_loss(cls(*params[:3]), forward, backward, *params[3:], X, y, gradient)

    for step in range(steps):
        X, y = adding_problem(T, m, rng=rng, dtype=dtype)
        value, grads = loss(params, X, y, True)
        norm = _global_norm(grads)  # clipping by global norm at tau (def-rnn-clipping)
        factor = 1.0 if norm <= tau else tau / norm
        clipped = tuple(g * g.dtype.type(factor) for g in grads)
        params, state = adam_update(params, clipped, state, alpha=alpha)
        train.append(value)
        if (step + 1) % eval_every == 0 or step + 1 == steps:
            evals.append(step + 1)
            tests.append(loss(params, X_test, y_test, False)[0])
    return TrainResult(
        model,
        np.array(train),
        np.array(evals),
        np.array(tests),
        params,
        time.perf_counter() - start,
    )
