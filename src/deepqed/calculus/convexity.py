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

from .._validation import Array, Real, fail, validate

__all__ = [
    "quadratic_constants",
    "logistic_loss",
    "logistic_loss_grad",
    "logistic_smoothness",
    "gradient_step",
]


@validate(Q=Array(shape=("n", "n"), numpy=True))
def quadratic_constants(Q: Any) -> tuple[float, float]:
    r"""For :math:`f(x) = \frac12 x^\top Qx + c^\top x` with :math:`Q` symmetric:
    :math:`(\mu, L) = (\lambda_{\min}(Q), \max_i\lvert\lambda_i(Q)\rvert)`. ``f`` is
    :math:`\mu`-strongly convex when :math:`\mu > 0` and :math:`L`-smooth, both constants best
    possible (Proposition ``prop-hessian-bounds``).

    Arguments:
        Q: shape (n, n), symmetric (to within 100 ulps of its largest entry), float32 or float64.

    Returns:
        ``(mu, L)`` as Python floats.
    """
    scale = max(1.0, float(np.abs(Q).max()))
    asym = float(np.max(np.abs(Q - Q.T)))
    if asym > 100 * np.finfo(Q.dtype).eps * scale:
        fail("Q", "be symmetric", f"max |Q - Q^T| = {asym:.3g}")
    lam = np.linalg.eigvalsh(Q.astype(np.float64))
    return float(lam[0]), float(np.max(np.abs(lam)))


_LOGISTIC = validate(
    w=Array(shape=("n",), numpy=True),
    X=Array(shape=("m", "n"), numpy=True),
    y=Array(shape=("m",), numpy=True),
    lam=Real(0, None),
)


def _check_labels(y: np.ndarray) -> None:
    if not np.all(np.abs(y) == 1):
        fail("y", "have entries in {-1, +1}", f"an entry {y[np.abs(y) != 1][0]!r}")


@_LOGISTIC
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
    _check_labels(y)
    return float(np.mean(np.logaddexp(0, -y * (X @ w))) + lam / 2 * float(w @ w))


@_LOGISTIC
def logistic_loss_grad(w: Any, X: Any, y: Any, lam: float = 0.0) -> np.ndarray:
    r""":math:`\nabla f(w) = -\frac1m X^\top\bigl(y\odot\operatorname{sigmoid}(-y\odot Xw)\bigr)
    + \lambda w`.

    Arguments:
        as :func:`logistic_loss`.

    Returns:
        shape (n,), the dtype of ``w``.
    """
    _check_labels(y)
    z = -y * (X @ w)
    s = np.exp(-np.logaddexp(0, -z))  # sigmoid(z) without overflow
    return (-(X.T @ (y * s)) / X.shape[0] + lam * w).astype(w.dtype)


@validate(X=Array(ndim=2, numpy=True), lam=Real(0, None))
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
    s = np.linalg.svd(X.astype(np.float64), compute_uv=False)
    return float(s[0] ** 2 / (4 * X.shape[0]) + lam)


@validate(
    w=Array(shape=("n",), numpy=True),
    grad=Array(shape=("n",), numpy=True),
    L=Real(0, None, closed="neither"),
)
def gradient_step(w: Any, grad: Any, L: float) -> np.ndarray:
    r"""One step of gradient descent with step :math:`1/L`: :math:`w^+ = w - \frac1L\nabla f(w)`.

    Arguments:
        w: shape (n,); grad: :math:`\nabla f(w)`, shape (n,); one dtype, float32 or float64.
        L: a smoothness constant of :math:`f`, positive.

    Returns:
        shape (n,), the dtype of ``w``.
    """
    return (w - grad / L).astype(w.dtype)
