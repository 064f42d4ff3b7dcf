r"""Implicit gradient regularisation: the modified loss and flows of gradient descent.

Section "The step as a penalty" of the chapter *Regularisation*. Gradient descent
$\theta_{k+1} = \theta_k - h\nabla\mathcal L(\theta_k)$ follows the flow of the modified loss
$\tilde{\mathcal L}_h = \mathcal L + \frac h4\|\nabla\mathcal L\|^2$ to $O(h^2)$ and the gradient flow of
$\mathcal L$ to $O(h)$ (Theorem `thm-reg-igr`); for $\mathcal L(\theta) = \frac12\theta^\top A\theta$ the
errors are $-\frac{Th^2}3A^3e^{-TA}\theta_0 + O(h^3)$ and $-\frac{Th}2A^2e^{-TA}\theta_0 + O(h^2)$
(Proposition `prop-reg-igr-quadratic`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.integrate import solve_ivp

from .. import linear
from .._validation import Function, Integer, Real, fail, validate
from ._common import DESIGN, LABELS01, SCALE, SQUARE, STEP, VECTOR, WEIGHTS

__all__ = [
    "modified_gradient",
    "gradient_descent",
    "quadratic_flows",
    "quadratic_leading_terms",
    "logistic_flow",
]


@validate(g=VECTOR, H=SQUARE, h=Real(0, None))
def modified_gradient(g: np.ndarray, H: np.ndarray, h: float) -> np.ndarray:
    r"""$\nabla\tilde{\mathcal L}_h = g + \frac h2Hg$ ({eq}`eq-reg-modified`,
    {prf:ref}`def-reg-modified-loss`) from $g = \nabla\mathcal L(\theta)$, shape ``(p,)``, and the
    symmetric $H = \nabla^2\mathcal L(\theta)$, shape ``(p, p)``. Shape ``(p,)``."""
    return g + 0.5 * h * (H @ g)


@validate(grad=Function(), theta0=VECTOR, h=STEP, k=Integer(0))
def gradient_descent(
    grad: Callable[[np.ndarray], np.ndarray], theta0: np.ndarray, h: float, k: int
) -> np.ndarray:
    r"""$\theta_k$ of $\theta_{i+1} = \theta_i - h\,\mathrm{grad}(\theta_i)$ from ``theta0`` (shape
    ``(p,)``); ``grad`` maps shape ``(p,)`` to shape ``(p,)``. The input is not modified."""
    theta = theta0.copy()
    for _ in range(k):
        theta = theta - h * grad(theta)
    return theta


def _symmetric(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if not np.allclose(A, A.T, rtol=0, atol=64 * np.finfo(A.dtype).eps * max(1.0, np.abs(A).max())):
        fail("A", "be symmetric", "a matrix with A != A^T")
    return np.linalg.eigh(0.5 * (A + A.T))


@validate(A=SQUARE, theta0=VECTOR, T=SCALE, h=Real(0, None))
def quadratic_flows(
    A: np.ndarray, theta0: np.ndarray, T: float, h: float
) -> tuple[np.ndarray, np.ndarray]:
    r"""$(\varphi(T), \psi_h(T)) = (e^{-TA}\theta_0, e^{-T(A + hA^2/2)}\theta_0)$: the gradient flow
    and the modified flow of $\mathcal L(\theta) = \frac12\theta^\top A\theta$
    ({prf:ref}`prop-reg-igr-quadratic`), by the eigendecomposition of the symmetric ``A`` (shape
    ``(p, p)``). Both of shape ``(p,)``."""
    lam, V = _symmetric(A)
    c = V.T @ theta0
    return V @ (np.exp(-T * lam) * c), V @ (np.exp(-T * (lam + 0.5 * h * lam * lam)) * c)


@validate(A=SQUARE, theta0=VECTOR, T=SCALE)
def quadratic_leading_terms(
    A: np.ndarray, theta0: np.ndarray, T: float
) -> tuple[np.ndarray, np.ndarray]:
    r"""The coefficients $(-\frac T3A^3e^{-TA}\theta_0, -\frac T2A^2e^{-TA}\theta_0)$ of $h^2$ in
    $\theta_k - \psi_h(T)$ and of $h$ in $\theta_k - \varphi(T)$, $kh = T$
    ({prf:ref}`prop-reg-igr-quadratic`). Both of shape ``(p,)``."""
    lam, V = _symmetric(A)
    c = V.T @ theta0 * np.exp(-T * lam)
    return V @ (-T / 3 * lam**3 * c), V @ (-T / 2 * lam**2 * c)


@validate(X=DESIGN, y=LABELS01, theta0=WEIGHTS, T=SCALE, h=Real(0, None), rtol=STEP)
def logistic_flow(
    X: np.ndarray, y: np.ndarray, theta0: np.ndarray, T: float, h: float, rtol: float = 1e-12
) -> np.ndarray:
    r"""$\psi_h(T)$: the modified flow $\dot\psi = -(g + \frac h2Hg)$ of chapter 3's logistic loss
    ({prf:ref}`def-lin-logistic`) from ``theta0`` (shape ``(n,)``); $h = 0$ gives the gradient flow
    $\varphi(T)$. Integrated in float64 by the adaptive Runge–Kutta method of order 8 of Dormand and
    Prince (SciPy's ``DOP853``) with relative tolerance ``rtol`` and absolute tolerance
    ``rtol * 1e-2``. Shape ``(n,)``, float64."""
    X64, y64 = X.astype(np.float64), y.astype(np.float64)

    def field(_t: float, theta: np.ndarray) -> np.ndarray:
        g = linear.logistic_gradient(theta, X64, y64)
        if h == 0:
            return -g
        return -modified_gradient(g, linear.logistic_hessian(theta, X64, y64), h)

    sol = solve_ivp(
        field, (0.0, T), theta0.astype(np.float64), method="DOP853", rtol=rtol, atol=rtol * 1e-2
    )
    return sol.y[:, -1]
