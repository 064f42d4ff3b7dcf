r"""Logistic regression: the loss in stable form, its gradient and Hessian, Newton's method.

Section "Logistic regression" of the chapter *Linear models*. Labels are $y_i\in\{0, 1\}$ (the
margin form uses $\tilde y_i = 2y_i - 1\in\{-1, +1\}$). With $z = Xw$ and
$\operatorname{sigmoid}(z) = 1/(1+e^{-z})$ the objective is ({prf:ref}`def-lin-logistic`)

$$\mathcal L(w) = \frac1m\sum_{i=1}^m \ell(z_i, y_i), \qquad
\ell(z, y) = \log(1 + e^{z}) - yz = \log\bigl(1 + e^{-\tilde y z}\bigr),$$

evaluated as ``logaddexp(0, -ytilde * z)``: no overflow, and full relative accuracy even where
$\ell$ is tiny. $\nabla\mathcal L(w) = \frac1m X^\top(\operatorname{sigmoid}(Xw) - y)$ and
$\nabla^2\mathcal L(w) = \frac1m X^\top D X$, $D = \operatorname{diag}(p_i(1-p_i))$
({prf:ref}`prop-lin-logistic-derivatives`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import scipy.special

from .._validation import (
    Array,
    Boolean,
    Integer,
    Optional,
    Real,
    check,
    validate,
)
from ._common import DESIGN, LABELS01, WEIGHTS

__all__ = [
    "ConvergenceWarning",
    "sigmoid",
    "logistic_losses",
    "logistic_loss",
    "logistic_gradient",
    "logistic_hessian",
    "LogisticFit",
    "logistic_newton",
    "logistic_gd",
    "SIGMOID_SECOND_DERIVATIVE_MAX",
    "hessian_lipschitz",
]

#: $\max_z|\operatorname{sigmoid}''(z)| = \sqrt3/18 = 1/(6\sqrt3)$, at
#: $\operatorname{sigmoid}(z) = (3\pm\sqrt3)/6$.
SIGMOID_SECOND_DERIVATIVE_MAX = 3**0.5 / 18


class ConvergenceWarning(RuntimeWarning):
    """An iterative fit stopped (at its iteration limit, or because its line search found no
    representable decrease) before its tolerance was met."""


_PROBLEM = {"w": WEIGHTS, "X": DESIGN, "y": LABELS01}


@validate(z=Array(numpy=True))
def sigmoid(z: np.ndarray) -> np.ndarray:
    r"""$\operatorname{sigmoid}(z) = 1/(1+e^{-z})$, elementwise, without overflow
    (``scipy.special.expit``); shape and dtype of ``z``."""
    return scipy.special.expit(z)


def _margins(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    return (2 * y.astype(X.dtype) - 1) * (X @ w)


def _losses(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.logaddexp(X.dtype.type(0), -_margins(w, X, y))


def _loss(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.asarray(np.mean(_losses(w, X, y)), dtype=X.dtype)


def _gradient(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    return X.T @ (scipy.special.expit(X @ w) - y.astype(X.dtype)) / X.dtype.type(X.shape[0])


def _hessian(w: np.ndarray, X: np.ndarray) -> np.ndarray:
    z = X @ w
    d = scipy.special.expit(z) * scipy.special.expit(-z)
    H = X.T @ (d[:, None] * X) / X.dtype.type(X.shape[0])
    return 0.5 * (H + H.T)


@validate(**_PROBLEM)
def logistic_losses(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    r"""Per-sample losses $\ell(x_i^\top w, y_i) = \log(1 + e^{-\tilde y_i x_i^\top w})$.

    Arguments:
        w: shape ``(n,)``; X: shape ``(m, n)``, the dtype of ``w``; y: labels in $\{0, 1\}$,
            shape ``(m,)`` (integers, or floats equal to 0 or 1).

    Returns:
        shape ``(m,)``, dtype of ``X``.
    """
    return _losses(w, X, y)


@validate(**_PROBLEM)
def logistic_loss(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    r"""$\mathcal L(w) = \frac1m\sum_i\ell(x_i^\top w, y_i)$ ({prf:ref}`def-lin-logistic`); a
    0-dimensional array of the dtype of ``X``. Shapes as in :func:`logistic_losses`."""
    return _loss(w, X, y)


@validate(**_PROBLEM)
def logistic_gradient(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    r"""$\nabla\mathcal L(w) = \frac1m X^\top(\operatorname{sigmoid}(Xw) - y)$
    ({prf:ref}`prop-lin-logistic-derivatives`); shape ``(n,)``."""
    return _gradient(w, X, y)


@validate(**_PROBLEM)
def logistic_hessian(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    r"""$\nabla^2\mathcal L(w) = \frac1m X^\top\operatorname{diag}(p\odot(1-p))X$, $p =
    \operatorname{sigmoid}(Xw)$ ({prf:ref}`prop-lin-logistic-derivatives`); $p_i(1-p_i)$ is
    computed as $\operatorname{sigmoid}(z_i)\operatorname{sigmoid}(-z_i)$ (no cancellation).
    ``y`` is validated but not used (the Hessian does not depend on it). Shape ``(n, n)``."""
    return _hessian(w, X)


@validate(X=DESIGN)
def hessian_lipschitz(X: np.ndarray) -> float:
    r"""$M = \frac{1}{6\sqrt3\,m}\sum_{i=1}^m\|x_i\|^3$, a Lipschitz constant of
    $w\mapsto\nabla^2\mathcal L(w)$ in the operator norm ({prf:ref}`prop-lin-newton-quadratic`),
    computed in float64.

    Arguments:
        X: shape ``(m, n)``, float32 or float64.
    """
    norms = np.linalg.norm(np.asarray(X, dtype=np.float64), axis=1)
    return float(SIGMOID_SECOND_DERIVATIVE_MAX * np.sum(norms**3) / X.shape[0])


@dataclass(frozen=True)
class LogisticFit:
    """Result of :func:`logistic_newton`: the last iterate ``w`` (shape ``(n,)``), the number of
    Newton steps taken, whether ``max(abs(grad)) <= tol`` was reached, and that gradient norm."""

    w: np.ndarray
    iterations: int
    converged: bool
    gradient_norm: float

    __deepqed_constraints__ = {
        "w": Array(ndim=1, numpy=True),
        "iterations": Integer(0),
        "converged": Boolean(),
        "gradient_norm": Real(0, None),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))


@validate(
    X=DESIGN,
    y=LABELS01,
    w0=Optional(WEIGHTS),
    tol=Optional(Real(0, None, closed="neither")),
    max_iter=Integer(0),
)
def logistic_newton(
    X: np.ndarray,
    y: np.ndarray,
    *,
    w0: np.ndarray | None = None,
    tol: float | None = None,
    max_iter: int = 100,
) -> LogisticFit:
    r"""Minimise $\mathcal L$ by Newton's method with a backtracking line search
    ({prf:ref}`alg-lin-logistic-newton`).

    Direction $d = -H^+ g$ (a least-squares solve, never an inverse; $g\in\operatorname{range}H$,
    so $g^\top d < 0$ whenever $g \neq 0$); step $\alpha\in\{1, \frac12, \frac14, \dots\}$, the
    first with $\mathcal L(w + \alpha d) \le \mathcal L(w) + c\,\alpha\, g^\top d$, $c = 10^{-4}$
    (Armijo); after 60 halvings without decrease the iteration ends. Stops when
    $\|g\|_\infty\le$ ``tol``. On linearly separable data no minimiser exists
    ({prf:ref}`thm-lin-separable`), but the gradient tends to $0$ as $\|w\|\to\infty$ along a
    separating direction: the test ``max|g| <= tol`` is then typically met at a large ``w`` and
    ``converged`` is ``True`` without a warning. ``converged`` says only that the gradient is
    small; whether a minimiser exists must be checked separately.

    Arguments:
        X: shape ``(m, n)``; y: labels in $\{0, 1\}$, shape ``(m,)``; one dtype.
        w0: start, shape ``(n,)``; default $0$.
        tol: default $0.1\sqrt\varepsilon$ ($\approx 1.5\cdot10^{-9}$ for
            float64, $3.5\cdot 10^{-5}$ for float32).
        max_iter: the maximal number of Newton steps.

    Returns:
        a :class:`LogisticFit`.
    """
    eps = float(np.finfo(X.dtype).eps)
    tol = 0.1 * float(np.sqrt(eps)) if tol is None else tol
    w = np.zeros(X.shape[1], dtype=X.dtype) if w0 is None else w0
    f = float(_loss(w, X, y))
    g = _gradient(w, X, y)
    k = 0
    while float(np.max(np.abs(g))) > tol and k < max_iter:
        H = _hessian(w, X)
        d = np.linalg.lstsq(H, -g, rcond=None)[0]
        slope = float(g @ d)
        alpha = 1.0
        for _ in range(60):
            w_new = w + X.dtype.type(alpha) * d
            f_new = float(_loss(w_new, X, y))
            if f_new <= f + 1e-4 * alpha * slope:
                break
            alpha *= 0.5
        else:
            break  # no decrease representable: at the floating-point floor
        w, f = w_new, f_new
        g = _gradient(w, X, y)
        k += 1
    gnorm = float(np.max(np.abs(g)))
    converged = bool(gnorm <= tol)
    if not converged:
        warnings.warn(
            f"Newton's method stopped after {k} steps with max|grad| = {gnorm:.3g} > "
            f"tol = {tol:.3g}; if the data are linearly separable the loss has no "
            "minimiser",
            ConvergenceWarning,
            stacklevel=3,
        )
    return LogisticFit(w, k, converged, gnorm)


@validate(
    X=DESIGN,
    y=LABELS01,
    eta=Real(0, None, closed="neither"),
    steps=Integer(0),
    w0=Optional(WEIGHTS),
)
def logistic_gd(
    X: np.ndarray, y: np.ndarray, eta: float, steps: int, w0: np.ndarray | None = None
) -> np.ndarray:
    r"""Gradient descent $w_{t+1} = w_t - \eta\nabla\mathcal L(w_t)$ on the logistic loss.

    Arguments:
        X: shape ``(m, n)``; y: labels in $\{0, 1\}$, shape ``(m,)``; one dtype.
        eta: $\eta > 0$ ($\eta\le 4m/\beta$ with $\beta = \|X\|_{\mathrm{op}}^2$ in
            {prf:ref}`thm-lin-separable`); steps: $T\ge0$; w0: shape ``(n,)``, default $0$.

    Returns:
        $(w_0, \dots, w_T)$, shape ``(T + 1, n)``, dtype of ``X``.
    """
    T = steps
    y = y.astype(X.dtype)
    w = np.zeros(X.shape[1], dtype=X.dtype) if w0 is None else w0
    out = np.empty((T + 1, X.shape[1]), dtype=X.dtype)
    out[0] = w
    c = X.dtype.type(eta / X.shape[0])
    for t in range(T):
        w = w - c * (X.T @ (scipy.special.expit(X @ w) - y))
        out[t + 1] = w
    return out
