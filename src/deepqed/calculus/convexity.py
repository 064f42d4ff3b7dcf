r"""Strong convexity and smoothness constants, the logistic loss, one gradient step.

Implements the objects of Section "Convexity and smoothness" of book/preliminaries: the constants
:math:`\mu, L` of a quadratic (Definition ``def-convex-smooth``, Proposition
``prop-hessian-bounds``),
the (ridge-regularised) logistic loss and its smoothness constant, and the step of Proposition
``prop-gd-step-progress``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import ShapeError, check_array

__all__ = [
    "quadratic_constants",
    "logistic_loss",
    "logistic_loss_grad",
    "logistic_smoothness",
    "gradient_step",
]


def quadratic_constants(Q: Any) -> tuple[float, float]:
    r"""For :math:`f(x) = \frac12 x^\top Qx + c^\top x` with :math:`Q` symmetric:
    :math:`(\mu, L) = (\lambda_{\min}(Q), \max_i\lvert\lambda_i(Q)\rvert)`. ``f`` is
    :math:`\mu`-strongly convex when :math:`\mu > 0` and :math:`L`-smooth, both constants best
    possible (Proposition ``prop-hessian-bounds``).

    Arguments:
        Q: shape (n, n), symmetric, float32 or float64.

    Returns:
        ``(mu, L)`` as Python floats.
    """
    Q = check_array("Q", Q, ndim=2, nonempty=True)
    if Q.shape[0] != Q.shape[1]:
        raise ShapeError(f"argument 'Q' must be square (n, n), got shape {Q.shape}")
    if np.max(np.abs(Q - Q.T)) > 100 * np.finfo(Q.dtype).eps * max(1.0, float(np.abs(Q).max())):
        raise ValueError("argument 'Q' must be symmetric")
    lam = np.linalg.eigvalsh(Q.astype(np.float64))
    return float(lam[0]), float(np.max(np.abs(lam)))


def _check_logistic(w: Any, X: Any, y: Any, lam: float) -> tuple[np.ndarray, ...]:
    X = check_array("X", X, ndim=2, nonempty=True)
    w = check_array("w", w, shape=(X.shape[1],))
    y = check_array("y", y, shape=(X.shape[0],))
    if not (w.dtype == X.dtype == y.dtype):
        raise TypeError(
            f"arguments 'w', 'X', 'y' must share one dtype, got {w.dtype}, {X.dtype}, {y.dtype}"
        )
    if not np.all(np.abs(y) == 1):
        raise ValueError("argument 'y' must have entries in {-1, +1}")
    if not lam >= 0:
        raise ValueError(f"argument 'lam' must be >= 0, got {lam!r}")
    return w, X, y


def logistic_loss(w: Any, X: Any, y: Any, lam: float = 0.0) -> float:
    r""":math:`f(w) = \frac1m\sum_{i=1}^m\log\bigl(1 + e^{-y_i x_i^\top w}\bigr) +
    \frac\lambda2\|w\|^2`, computed as ``logaddexp(0, -y * (X @ w))`` (no overflow).

    Arguments:
        w: shape (n,); X: shape (m, n), one sample per row; y: shape (m,), entries in {-1, +1};
            one dtype, float32 or float64.
        lam: ridge coefficient :math:`\lambda\ge 0`.

    Returns:
        the loss, a Python float.
    """
    w, X, y = _check_logistic(w, X, y, lam)
    return float(np.mean(np.logaddexp(0, -y * (X @ w))) + lam / 2 * float(w @ w))


def logistic_loss_grad(w: Any, X: Any, y: Any, lam: float = 0.0) -> np.ndarray:
    r""":math:`\nabla f(w) = -\frac1m X^\top\bigl(y\odot\operatorname{sigmoid}(-y\odot Xw)\bigr)
    + \lambda w`.

    Arguments:
        as :func:`logistic_loss`.

    Returns:
        shape (n,), the dtype of ``w``.
    """
    w, X, y = _check_logistic(w, X, y, lam)
    z = -y * (X @ w)
    s = np.exp(-np.logaddexp(0, -z))  # sigmoid(z) without overflow
    return (-(X.T @ (y * s)) / X.shape[0] + lam * w).astype(w.dtype)


def logistic_smoothness(X: Any, lam: float = 0.0) -> float:
    r"""A smoothness constant of the logistic loss: :math:`L = \frac{\lambda_{\max}(X^\top X)}{4m}
    + \lambda`, since :math:`\nabla^2 f(w) = \frac1m X^\top D(w) X + \lambda I` with
    :math:`D(w)` diagonal, entries :math:`\operatorname{sigmoid}'(\cdot)\in(0, \tfrac14]`.
    (:math:`\lambda` is a strong-convexity constant.)

    Arguments:
        X: shape (m, n), float32 or float64; lam: :math:`\lambda\ge0`.

    Returns:
        :math:`L`, a Python float.
    """
    X = check_array("X", X, ndim=2, nonempty=True)
    if not lam >= 0:
        raise ValueError(f"argument 'lam' must be >= 0, got {lam!r}")
    s = np.linalg.svd(X.astype(np.float64), compute_uv=False)
    return float(s[0] ** 2 / (4 * X.shape[0]) + lam)


def gradient_step(w: Any, grad: Any, L: float) -> np.ndarray:
    r"""One step of gradient descent with step :math:`1/L`: :math:`w^+ = w - \frac1L\nabla f(w)`.

    Arguments:
        w: shape (n,); grad: :math:`\nabla f(w)`, shape (n,); one dtype, float32 or float64.
        L: a smoothness constant of :math:`f`, positive.

    Returns:
        shape (n,), the dtype of ``w``.
    """
    w = check_array("w", w, ndim=1)
    grad = check_array("grad", grad, shape=w.shape)
    if not L > 0:
        raise ValueError(f"argument 'L' must be positive, got {L!r}")
    return (w - grad / L).astype(w.dtype)
