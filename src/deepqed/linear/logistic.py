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

import math
import warnings
from dataclasses import dataclass
from typing import Any

import array_api_compat
import numpy as np
import scipy.special

from .._host import labels_follow
from .._validation import (
    Array,
    Boolean,
    Integer,
    Optional,
    Real,
    check,
    namespace,
    validate,
)
from ._common import DESIGN, LABELS01, WEIGHTS, eps, zero_dim

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


def _expit(xp: Any, z: Any) -> Any:
    """``scipy.special.expit`` on NumPy; elsewhere $e^{-|z|}$ in $(0, 1]$ and
    $1/(1+e^{-|z|})$ or $e^{-|z|}/(1+e^{-|z|})$ by the sign of $z$ (no overflow)."""
    if array_api_compat.is_numpy_namespace(xp):
        return scipy.special.expit(z)
    E = xp.exp(-xp.abs(z))
    return xp.where(z >= 0, 1.0 / (1.0 + E), E / (1.0 + E))


@validate(z=Array())
def sigmoid(z: Any) -> Any:
    r"""$\operatorname{sigmoid}(z) = 1/(1+e^{-z})$, elementwise, without overflow
    (``scipy.special.expit`` on NumPy arrays, the same function from $e^{-|z|}$ in other
    namespaces); shape, namespace, device and dtype of ``z``."""
    return _expit(namespace(z), z)


# The kernels below take the namespace ``xp`` of ``X`` from their caller (one lookup per call of a
# public function, not one per step of an iteration).
def _margins(xp: Any, w: Any, X: Any, y: Any) -> Any:
    return (2 * xp.astype(y, X.dtype) - 1) * (X @ w)


def _losses(xp: Any, w: Any, X: Any, y: Any) -> Any:
    z = -_margins(xp, w, X, y)
    return xp.logaddexp(xp.zeros_like(z), z)


def _loss(xp: Any, w: Any, X: Any, y: Any) -> Any:
    return zero_dim(xp, xp.mean(_losses(xp, w, X, y)), X)


def _gradient(xp: Any, w: Any, X: Any, y: Any) -> Any:
    return X.T @ (_expit(xp, X @ w) - xp.astype(y, X.dtype)) / X.shape[0]


def _hessian(xp: Any, w: Any, X: Any) -> Any:
    z = X @ w
    d = _expit(xp, z) * _expit(xp, -z)
    H = X.T @ (d[:, None] * X) / X.shape[0]
    return 0.5 * (H + H.T)


def _lstsq(H: Any, b: Any) -> Any:
    r"""The minimum-norm least-squares solution of $Hd = b$ for a symmetric ``H``:
    ``numpy.linalg.lstsq`` on NumPy; elsewhere (the array API has no ``lstsq``)
    $\sum_{|\lambda_i| > r}\lambda_i^{-1}(q_i^\top b)q_i$ from the eigendecomposition, with
    LAPACK's default cut-off $r = n\varepsilon\max_i|\lambda_i|$ (the singular values of a
    symmetric matrix are the $|\lambda_i|$)."""
    xp = namespace(H)
    if array_api_compat.is_numpy_namespace(xp):
        return np.linalg.lstsq(H, b, rcond=None)[0]
    lam, Q = xp.linalg.eigh(H)
    cut = H.shape[0] * eps(H) * float(xp.max(xp.abs(lam)))
    keep = xp.abs(lam) > cut
    inv = xp.where(keep, 1.0 / xp.where(keep, lam, xp.ones_like(lam)), xp.zeros_like(lam))
    return Q @ (inv * (Q.T @ b))


@labels_follow("X")
@validate(**_PROBLEM)
def logistic_losses(w: Any, X: Any, y: Any) -> Any:
    r"""Per-sample losses $\ell(x_i^\top w, y_i) = \log(1 + e^{-\tilde y_i x_i^\top w})$.

    Arguments:
        w: shape ``(n,)``; X: shape ``(m, n)``, the dtype of ``w``; y: labels in $\{0, 1\}$,
            shape ``(m,)`` (integers, or floats equal to 0 or 1).

    Returns:
        shape ``(m,)``, dtype of ``X``.
    """
    return _losses(namespace(X), w, X, y)


@labels_follow("X")
@validate(**_PROBLEM)
def logistic_loss(w: Any, X: Any, y: Any) -> Any:
    r"""$\mathcal L(w) = \frac1m\sum_i\ell(x_i^\top w, y_i)$ ({prf:ref}`def-lin-logistic`); a
    0-dimensional array of the dtype of ``X``. Shapes as in :func:`logistic_losses`."""
    return _loss(namespace(X), w, X, y)


@labels_follow("X")
@validate(**_PROBLEM)
def logistic_gradient(w: Any, X: Any, y: Any) -> Any:
    r"""$\nabla\mathcal L(w) = \frac1m X^\top(\operatorname{sigmoid}(Xw) - y)$
    ({prf:ref}`prop-lin-logistic-derivatives`); shape ``(n,)``."""
    return _gradient(namespace(X), w, X, y)


@labels_follow("X")
@validate(**_PROBLEM)
def logistic_hessian(w: Any, X: Any, y: Any) -> Any:
    r"""$\nabla^2\mathcal L(w) = \frac1m X^\top\operatorname{diag}(p\odot(1-p))X$, $p =
    \operatorname{sigmoid}(Xw)$ ({prf:ref}`prop-lin-logistic-derivatives`); $p_i(1-p_i)$ is
    computed as $\operatorname{sigmoid}(z_i)\operatorname{sigmoid}(-z_i)$ (no cancellation).
    ``y`` is validated but not used (the Hessian does not depend on it). Shape ``(n, n)``."""
    return _hessian(namespace(X), w, X)


@validate(X=DESIGN)
def hessian_lipschitz(X: Any) -> float:
    r"""$M = \frac{1}{6\sqrt3\,m}\sum_{i=1}^m\|x_i\|^3$, a Lipschitz constant of
    $w\mapsto\nabla^2\mathcal L(w)$ in the operator norm ({prf:ref}`prop-lin-newton-quadratic`),
    computed in float64.

    Arguments:
        X: shape ``(m, n)``, float32 or float64.
    """
    xp = namespace(X)
    norms = xp.linalg.vector_norm(xp.astype(X, xp.float64), axis=1)
    return float(SIGMOID_SECOND_DERIVATIVE_MAX * xp.sum(norms**3) / X.shape[0])


@dataclass(frozen=True)
class LogisticFit:
    """Result of :func:`logistic_newton`: the last iterate ``w`` (shape ``(n,)``), the number of
    Newton steps taken, whether ``max(abs(grad)) <= tol`` was reached, and that gradient norm."""

    w: Any
    iterations: int
    converged: bool
    gradient_norm: float

    __deepqed_constraints__ = {
        "w": Array(ndim=1),
        "iterations": Integer(0),
        "converged": Boolean(),
        "gradient_norm": Real(0, None),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))


@labels_follow("X")
@validate(
    X=DESIGN,
    y=LABELS01,
    w0=Optional(WEIGHTS),
    tol=Optional(Real(0, None, closed="neither")),
    max_iter=Integer(0),
)
def logistic_newton(
    X: Any,
    y: Any,
    *,
    w0: Any | None = None,
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
    xp = namespace(X)
    tol = 0.1 * math.sqrt(eps(X)) if tol is None else tol
    w = xp.zeros(X.shape[1], dtype=X.dtype, device=array_api_compat.device(X)) if w0 is None else w0
    f = float(_loss(xp, w, X, y))
    g = _gradient(xp, w, X, y)
    k = 0
    while float(xp.max(xp.abs(g))) > tol and k < max_iter:
        H = _hessian(xp, w, X)
        d = _lstsq(H, -g)
        slope = float(g @ d)
        alpha = 1.0
        for _ in range(60):
            w_new = w + alpha * d
            f_new = float(_loss(xp, w_new, X, y))
            if f_new <= f + 1e-4 * alpha * slope:
                break
            alpha *= 0.5
        else:
            break  # no decrease representable: at the floating-point floor
        w, f = w_new, f_new
        g = _gradient(xp, w, X, y)
        k += 1
    gnorm = float(xp.max(xp.abs(g)))
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


@labels_follow("X")
@validate(
    X=DESIGN,
    y=LABELS01,
    eta=Real(0, None, closed="neither"),
    steps=Integer(0),
    w0=Optional(WEIGHTS),
)
def logistic_gd(X: Any, y: Any, eta: float, steps: int, w0: Any | None = None) -> Any:
    r"""Gradient descent $w_{t+1} = w_t - \eta\nabla\mathcal L(w_t)$ on the logistic loss.

    Arguments:
        X: shape ``(m, n)``; y: labels in $\{0, 1\}$, shape ``(m,)``; one dtype.
        eta: $\eta > 0$ ($\eta\le 4m/\beta$ with $\beta = \|X\|_{\mathrm{op}}^2$ in
            {prf:ref}`thm-lin-separable`); steps: $T\ge0$; w0: shape ``(n,)``, default $0$.

    Returns:
        $(w_0, \dots, w_T)$, shape ``(T + 1, n)``, dtype of ``X``.
    """
    xp = namespace(X)
    T = steps
    y = xp.astype(y, X.dtype)
    w = xp.zeros(X.shape[1], dtype=X.dtype, device=array_api_compat.device(X)) if w0 is None else w0
    out = [w]
    c = eta / X.shape[0]
    for _ in range(T):
        w = w - c * (X.T @ (_expit(xp, X @ w) - y))
        out.append(w)
    return xp.stack(out)
