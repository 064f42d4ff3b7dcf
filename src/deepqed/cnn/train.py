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

from .model import CNNArchitecture, CNNParameters, cnn_loss_and_gradient, cnn_predict

__all__ = ["AdamState", "adam_init", "adam_update", "History", "train", "accuracy"]


@dataclass(frozen=True)
class AdamState:
    """Step count $t$ and the moment estimates $m_t$, $v_t$ (containers shaped like $\\theta$)."""

    t: int
    m: CNNParameters
    v: CNNParameters


def adam_init(theta: CNNParameters) -> AdamState:
    """$t = 0$, $m_0 = v_0 = 0$."""
    zeros = theta.map(np.zeros_like)
    return AdamState(0, zeros, zeros)


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
    """One Adam step (module docstring); returns the new parameters and state."""
    t = state.t + 1
    m = CNNParameters.zip_map(lambda m_, g: beta1 * m_ + (1 - beta1) * g, state.m, grad)
    v = CNNParameters.zip_map(lambda v_, g: beta2 * v_ + (1 - beta2) * g * g, state.v, grad)
    c1, c2 = 1 - beta1**t, 1 - beta2**t

    def step(w: Any, m_: Any, v_: Any) -> Any:
        m_hat, v_hat = m_ / c1, v_ / c2
        return (w - alpha * m_hat / (np.sqrt(v_hat) + eps)).astype(w.dtype)

    return CNNParameters.zip_map(step, theta, m, v), AdamState(t, m, v)


@dataclass(frozen=True)
class History:
    """Per epoch: the mean minibatch loss during the epoch and the test accuracy after it."""

    loss: tuple[float, ...]
    test_accuracy: tuple[float, ...]


def accuracy(arch: CNNArchitecture, theta: CNNParameters, X: Any, y: Any) -> float:
    """The fraction of images whose predicted class equals the label ``y`` (ints, shape ``(n_samples,)``)."""
    return float(np.mean(cnn_predict(arch, theta, X) == np.asarray(y)))


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
        X: training images, shape ``(n_samples, C_0, n, n)``; Y: one-hot targets, shape ``(n_samples, K)``.
        X_test, y_test: optional test images and integer labels, evaluated after every epoch.
        blas_threads: the number of threads of NumPy's BLAS during training (restored
            afterwards; ``None`` leaves it alone). The matrices of a small network are small, and
            on a busy machine several BLAS threads spend more time waiting for each other than
            computing; one thread is the default. The result does not depend on it beyond
            rounding.

    Returns:
        the final parameters and the :class:`History`.
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"argument 'rng' must be a numpy.random.Generator, got {type(rng).__name__}"
        )
    if epochs < 1 or batch_size < 1:
        raise ValueError(f"epochs and batch_size must be >= 1, got {epochs}, {batch_size}")
    if blas_threads is None:
        return _train(arch, theta, X, Y, epochs, batch_size, rng, alpha, X_test, y_test)
    from threadpoolctl import threadpool_limits  # installed with scikit-learn

    with threadpool_limits(limits=blas_threads, user_api="blas"):
        return _train(arch, theta, X, Y, epochs, batch_size, rng, alpha, X_test, y_test)


def _train(arch, theta, X, Y, epochs, batch_size, rng, alpha, X_test, y_test):
    state = adam_init(theta)
    n_samples = X.shape[0]
    losses_, accs = [], []
    for _ in range(epochs):
        order = rng.permutation(n_samples)
        total = 0.0
        for start in range(0, n_samples, batch_size):
            batch = order[start : start + batch_size]
            value, grad = cnn_loss_and_gradient(arch, theta, X[batch], Y[batch])
            theta, state = adam_update(theta, grad, state, alpha=alpha)
            total += value * len(batch)
        losses_.append(total / n_samples)
        if X_test is not None:
            accs.append(accuracy(arch, theta, X_test, y_test))
    return theta, History(tuple(losses_), tuple(accs))
