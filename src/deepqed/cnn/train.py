r"""Training the CNN of :mod:`deepqed.cnn.model`: minibatches drawn with an explicit ``rng`` and Adam.

Adam (Kingma and Ba, *Adam: a method for stochastic optimization*, ICLR 2015, Algorithm 1), for
step $t = 1, 2, \dots$ with gradient $g_t$ of the minibatch objective:

$$m_t = \beta_1 m_{t-1} + (1-\beta_1)g_t,\quad v_t = \beta_2 v_{t-1} + (1-\beta_2)g_t\odot g_t,\quad
\theta_t = \theta_{t-1} - \alpha\,\frac{m_t/(1-\beta_1^t)}{\sqrt{v_t/(1-\beta_2^t)} + \varepsilon}.$$
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from array_api_compat import device

from .._validation import (
    Array,
    Generator,
    Instance,
    Integer,
    Optional,
    Real,
    check,
    fail,
    namespace,
    validate,
)
from .model import (
    CNNArchitecture,
    CNNParameters,
    _check_network,
    _cnn_forward,
    _cnn_loss_and_gradient,
)

__all__ = ["AdamState", "adam_init", "adam_update", "History", "train", "accuracy"]


@dataclass(frozen=True)
class AdamState:
    """Step count $t$ and the moment estimates $m_t$, $v_t$ (containers shaped like $\\theta$)."""

    t: int
    m: CNNParameters
    v: CNNParameters

    __deepqed_constraints__ = {
        "t": Integer(0),
        "m": Instance(CNNParameters),
        "v": Instance(CNNParameters),
    }

    def __post_init__(self) -> None:
        for name, value in check(self.__deepqed_constraints__, vars(self)).items():
            object.__setattr__(self, name, value)


@validate(theta=Instance(CNNParameters))
def adam_init(theta: CNNParameters) -> AdamState:
    """$t = 0$, $m_0 = v_0 = 0$."""
    zeros = theta.map(lambda a: namespace(a).zeros_like(a))
    return AdamState(0, zeros, zeros)


_RATE = Real(0.0, None, closed="neither")
_BETA = Real(0.0, 1.0, closed="left")


@validate(
    theta=Instance(CNNParameters),
    grad=Instance(CNNParameters),
    state=Instance(AdamState),
    alpha=_RATE,
    beta1=_BETA,
    beta2=_BETA,
    eps=_RATE,
)
def adam_update(
    theta: CNNParameters,
    grad: CNNParameters,
    state: AdamState,
    *,
    alpha: float = 1e-3,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
) -> tuple[CNNParameters, AdamState]:
    """One Adam step (module docstring): the step size $\\alpha > 0$, the decay rates
    $\\beta_1, \\beta_2\\in[0, 1)$ and $\\varepsilon > 0$; ``theta``, ``grad`` and the state's
    moments share shapes and dtype. Returns the new parameters and state."""
    _same_shapes(theta, grad=grad, m=state.m, v=state.v)
    return _adam_update(theta, grad, state, alpha, beta1, beta2, eps)


def _same_shapes(theta: CNNParameters, **others: CNNParameters) -> None:
    for name, P in others.items():
        for field, a, b in zip(("W1", "b1", "W2", "b2", "W3", "b3"), P.arrays(), theta.arrays()):
            if a.shape != b.shape or a.dtype != b.dtype or type(a) is not type(b):
                fail(
                    name,
                    f"have theta's shapes, dtype and array type ({field}: {tuple(b.shape)}, "
                    f"{b.dtype}, {type(b).__name__})",
                    f"{field}: {tuple(a.shape)}, {a.dtype}, {type(a).__name__}",
                )


def _adam_update(theta, grad, state, alpha, beta1, beta2, eps):
    t = state.t + 1
    m = CNNParameters.zip_map(lambda m_, g: beta1 * m_ + (1 - beta1) * g, state.m, grad)
    v = CNNParameters.zip_map(lambda v_, g: beta2 * v_ + (1 - beta2) * g * g, state.v, grad)
    c1, c2 = 1 - beta1**t, 1 - beta2**t

    def step(w: Any, m_: Any, v_: Any) -> Any:
        m_hat, v_hat = m_ / c1, v_ / c2
        xp = namespace(w)
        return xp.astype(w - alpha * m_hat / (xp.sqrt(v_hat) + eps), w.dtype)

    return CNNParameters.zip_map(step, theta, m, v), AdamState(t, m, v)


@dataclass(frozen=True)
class History:
    """Per epoch: the mean minibatch loss during the epoch and the test accuracy after it."""

    loss: tuple[float, ...]
    test_accuracy: tuple[float, ...]

    __deepqed_constraints__ = {
        "loss": Instance(tuple, "a tuple of floats (one per epoch)"),
        "test_accuracy": Instance(tuple, "a tuple of floats (one per epoch, or empty)"),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))


_NETWORK = dict(arch=Instance(CNNArchitecture), theta=Instance(CNNParameters))
_LABELS = Array(shape=("m",), dtype="integer", low=0)


@validate(**_NETWORK, X=Array(shape=("m", "C_0", "n", "n")), y=_LABELS)
def accuracy(arch: CNNArchitecture, theta: CNNParameters, X: Any, y: Any) -> float:
    """The fraction of images whose predicted class equals the label ``y`` (integers in
    $[0, K)$, shape ``(m,)``)."""
    xp = _check_network(arch, theta, X)
    _labels("y", y, arch.classes)
    return _accuracy(xp, _cnn_forward(xp, arch, theta, X).output, y)


def _accuracy(xp: Any, output: Any, y: Any) -> float:
    """The fraction of rows of ``output`` whose first maximiser is the label in ``y``."""
    correct = xp.argmax(output, axis=1) == xp.astype(y, xp.int64)
    return float(xp.sum(xp.astype(correct, xp.int64))) / y.shape[0]


def _labels(name: str, y: Any, K: int) -> None:
    top = int(namespace(y).max(y))
    if top >= K:
        fail(name, f"hold class labels in [0, K) = [0, {K})", f"a maximum of {top}")


@validate(
    **_NETWORK,
    X=Array(shape=("m", "C_0", "n", "n")),
    Y=Array(shape=("m", "K")),
    epochs=Integer(1),
    batch_size=Integer(1),
    rng=Generator(),
    alpha=_RATE,
    X_test=Optional(Array(shape=("m_test", "C_0", "n", "n"))),
    y_test=Optional(Array(shape=("m_test",), dtype="integer", low=0)),
    blas_threads=Optional(Integer(1)),
)
def train(
    arch: CNNArchitecture,
    theta: CNNParameters,
    X: Any,
    Y: Any,
    *,
    epochs: int,
    batch_size: int,
    rng: np.random.Generator,
    alpha: float = 1e-3,
    X_test: Any = None,
    y_test: Any = None,
    blas_threads: int | None = 1,
) -> tuple[CNNParameters, History]:
    """Minibatch Adam: each epoch visits the training set once in the order of a permutation
    drawn from ``rng``, in minibatches of ``batch_size`` (the last one may be smaller).

    Arguments:
        X: training images, shape ``(n_samples, C_0, n, n)``; Y: targets (one-hot rows), shape
            ``(n_samples, K)``.
        X_test, y_test: optional test images and integer labels (both or neither), evaluated
            after every epoch.
        blas_threads: the number of threads of NumPy's BLAS during training (restored
            afterwards; ``None`` leaves it alone). The matrices of a small network are small, and
            on a busy machine several BLAS threads spend more time waiting for each other than
            computing; one thread is the default. The result does not depend on it beyond
            rounding.

    Returns:
        the final parameters and the :class:`History`.
    """
    xp = _check_network(arch, theta, X, Y=(Y, ("m", "K")))
    if (X_test is None) != (y_test is None):
        fail("y_test", "be given together with X_test (or neither)", f"{type(y_test).__name__}")
    if X_test is not None:
        _check_network(arch, theta, X_test)
        _labels("y_test", y_test, arch.classes)
    if blas_threads is None:
        return _train(xp, arch, theta, X, Y, epochs, batch_size, rng, alpha, X_test, y_test)
    from threadpoolctl import threadpool_limits  # installed with scikit-learn

    with threadpool_limits(limits=blas_threads, user_api="blas"):
        return _train(xp, arch, theta, X, Y, epochs, batch_size, rng, alpha, X_test, y_test)


def _train(xp, arch, theta, X, Y, epochs, batch_size, rng, alpha, X_test, y_test):
    state = adam_init(theta)
    n_samples = X.shape[0]
    losses_, accs = [], []
    for _ in range(epochs):
        order = rng.permutation(n_samples)
        total = 0.0
        for start in range(0, n_samples, batch_size):
            batch = xp.asarray(order[start : start + batch_size], device=device(X))
            Xb, Yb = xp.take(X, batch, axis=0), xp.take(Y, batch, axis=0)
            value, grad = _cnn_loss_and_gradient(xp, arch, theta, Xb, Yb)
            theta, state = _adam_update(theta, grad, state, alpha, 0.9, 0.999, 1e-8)
            total += value * batch.shape[0]
        losses_.append(total / n_samples)
        if X_test is not None:
            accs.append(_accuracy(xp, _cnn_forward(xp, arch, theta, X_test).output, y_test))
    return theta, History(tuple(losses_), tuple(accs))
