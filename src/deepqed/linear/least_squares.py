r"""Least squares: normal equations, the pseudo-inverse, the minimum-norm solution.

Section "Least squares" of the chapter *Linear models*. For $X\in\mathbb R^{m\times n}$ (one sample
per row) and $y\in\mathbb R^m$ the objective is $f(w) = \frac12\|Xw - y\|^2$
({prf:ref}`def-lin-least-squares`). With the thin SVD $X = U\Sigma V^\top$, singular values
$s_1\ge\dots\ge s_r > 0$ of rank $r$, the pseudo-inverse is $X^+ = V_r\Sigma_r^{-1}U_r^\top$
({prf:ref}`def-lin-pseudoinverse`) and $w^\dagger = X^+y$ is the minimum-norm minimiser
({prf:ref}`thm-lin-min-norm`).
"""

from __future__ import annotations

from typing import Any

import array_api_compat
import numpy as np
import scipy.linalg

from .._host import from_numpy, to_numpy
from .._validation import Optional, Real, namespace, validate
from ._common import (
    DESIGN,
    TARGETS,
    WEIGHTS,
    IllConditionedWarning,
    eps,
    warn_if_ill_conditioned,
    zero_dim,
)

__all__ = [
    "IllConditionedWarning",
    "least_squares_objective",
    "condition_number",
    "default_rcond",
    "numerical_rank",
    "pinv",
    "min_norm_least_squares",
    "normal_equations",
]


#: ``rcond``: a relative cut-off $\ge 0$, or ``None`` for :func:`default_rcond`.
_RCOND = Optional(Real(0, None))


@validate(w=WEIGHTS, X=DESIGN, y=TARGETS)
def least_squares_objective(w: Any, X: Any, y: Any) -> Any:
    r"""$f(w) = \frac12\|Xw - y\|^2$ ({prf:ref}`def-lin-least-squares`).

    Arguments:
        w: shape ``(n,)``; X: shape ``(m, n)``; y: shape ``(m,)``; one dtype, float32 or float64.

    Returns:
        a 0-dimensional array of that dtype.
    """
    r = X @ w - y
    return zero_dim(namespace(X), 0.5 * (r @ r), X)


@validate(X=DESIGN)
def condition_number(X: Any) -> float:
    r"""$\kappa_2(X) = s_1/s_{\min(m,n)}$, the ratio of the largest to the smallest singular value
    ($\infty$ when $X$ is rank deficient; for a square invertible $X$, $\|X\|\,\|X^{-1}\|$).

    Arguments:
        X: shape ``(m, n)``, float32 or float64.
    """
    s = namespace(X).linalg.svdvals(X)
    return float("inf") if float(s[-1]) == 0 else float(s[0] / s[-1])


def _default_rcond(X: Any) -> float:
    return max(X.shape) * eps(X)


@validate(X=DESIGN)
def default_rcond(X: Any) -> float:
    r"""$\max(m, n)\,\varepsilon$ for the dtype of ``X`` (NumPy's ``lstsq`` default)."""
    return _default_rcond(X)


def _svd(X: Any, rcond: float | None) -> tuple[Any, Any, Any, int]:
    """Thin SVD and the numerical rank r = #{i : s_i > rcond s_1}."""
    xp = namespace(X)
    rc = _default_rcond(X) if rcond is None else rcond
    U, s, Vt = xp.linalg.svd(X, full_matrices=False)
    r = int(xp.count_nonzero(s > rc * s[0])) if float(s[0]) > 0 else 0
    return U, s, Vt, r


@validate(X=DESIGN, rcond=_RCOND)
def numerical_rank(X: Any, rcond: float | None = None) -> int:
    r"""$r = \#\{i: s_i > \mathrm{rcond}\cdot s_1\}$ (``rcond`` defaults to
    :func:`default_rcond`)."""
    return _svd(X, rcond)[3]


@validate(X=DESIGN, rcond=_RCOND)
def pinv(X: Any, rcond: float | None = None) -> Any:
    r"""Moore–Penrose pseudo-inverse $X^+ = V_r\Sigma_r^{-1}U_r^\top$
    ({prf:ref}`def-lin-pseudoinverse`).

    Singular values $s_i\le \mathrm{rcond}\cdot s_1$ are treated as zero (their reciprocals would
    amplify rounding errors by up to $1/(\mathrm{rcond}\, s_1)$).

    Arguments:
        X: shape ``(m, n)``, float32 or float64.
        rcond: relative cut-off, ``>= 0``; default :func:`default_rcond`.

    Returns:
        $X^+$, shape ``(n, m)``, dtype of ``X``.
    """
    U, s, Vt, r = _svd(X, rcond)
    return (Vt[:r, :].T / s[:r]) @ U[:, :r].T


@validate(X=DESIGN, y=TARGETS, rcond=_RCOND)
def min_norm_least_squares(X: Any, y: Any, rcond: float | None = None) -> Any:
    r"""The minimum-norm least-squares solution $w^\dagger = X^+y = \sum_{i\le r}
    \frac{u_i^\top y}{s_i}v_i$ ({prf:ref}`thm-lin-min-norm`), from the SVD.

    Warns with :class:`IllConditionedWarning` when $s_1/s_r$ (the condition number of $X$ on the
    retained singular values) exceeds the dtype's limit.

    Arguments:
        X: shape ``(m, n)``; y: shape ``(m,)``; one dtype, float32 or float64.
        rcond: relative cut-off for the singular values, ``>= 0``; default :func:`default_rcond`.

    Returns:
        $w^\dagger$, shape ``(n,)``, dtype of ``X``.
    """
    U, s, Vt, r = _svd(X, rcond)
    if r == 0:
        return namespace(X).zeros(X.shape[1], dtype=X.dtype, device=array_api_compat.device(X))
    warn_if_ill_conditioned(float(s[0] / s[r - 1]), X, "X (on its retained singular values)")
    return Vt[:r, :].T @ ((U[:, :r].T @ y) / s[:r])


@validate(X=DESIGN, y=TARGETS)
def normal_equations(X: Any, y: Any) -> Any:
    r"""Solve $X^\top X w = X^\top y$ ({prf:ref}`thm-lin-normal-equations`) by a Cholesky
    factorisation, for $X$ of full column rank $n$ (then the solution is unique).

    $\kappa_2(X^\top X) = \kappa_2(X)^2$ ({prf:ref}`prop-lin-normal-conditioning`): warns with
    :class:`IllConditionedWarning` when it exceeds the dtype's limit (the singular values of $X$
    are computed for this check); prefer :func:`min_norm_least_squares` then.

    The factorisation is SciPy's (LAPACK ``potrf``/``potrs``), which needs NumPy: arrays of another
    namespace are copied to the host, and $w$ is returned in the namespace and on the device of
    ``X``.

    Arguments:
        X: shape ``(m, n)``, rank ``n``; y: shape ``(m,)``; one dtype, float32 or float64.

    Returns:
        $w$, shape ``(n,)``, dtype of ``X``.

    Raises:
        numpy.linalg.LinAlgError: $X^\top X$ is numerically singular (rank deficient $X$).
    """
    like, X, y = X, to_numpy(X), to_numpy(y)
    G = X.T @ X
    s = np.linalg.svd(X, compute_uv=False)
    kappa = float("inf") if s[-1] == 0 or X.shape[0] < X.shape[1] else float((s[0] / s[-1]) ** 2)
    warn_if_ill_conditioned(kappa, X, "X^T X")
    try:
        c = scipy.linalg.cho_factor(G, lower=True, check_finite=False)
    except scipy.linalg.LinAlgError as e:
        raise np.linalg.LinAlgError(
            "X^T X is not numerically positive definite (X has rank < n); use "
            "min_norm_least_squares"
        ) from e
    w = scipy.linalg.cho_solve(c, X.T @ y, check_finite=False).astype(X.dtype, copy=False)
    return from_numpy(w, like)
