r"""Two estimators: polynomial least squares and $k$-nearest-neighbour regression.

An *estimator* maps a training sample $S = ((x_i, y_i))_{i\in[n]}$ to a predictor $f_S$
(Definition `def-learn-estimator`). Both functions here take a leading batch axis of length $R$ so
that $R$ independent training samples are fitted in one call (Definitions `def-learn-polyls`,
`def-learn-knn`).

* Polynomial least squares of degree $p$ on $[a, b]$: $f_S = \sum_{j=0}^p c_j P_j\circ t$, where
  $t(x) = (2x - a - b)/(b - a)$ maps $[a, b]$ onto $[-1, 1]$, $P_j$ is the Legendre polynomial of degree
  $j$, and $c\in\operatorname{argmin}_c\|\Phi c - y\|^2$ with $\Phi_{ij} = P_j(t(x_i))$. The Legendre
  basis keeps $\Phi$ far better conditioned than the monomials $x^j$; $c$ is computed by
  ``numpy.linalg.lstsq`` (SVD), the minimum-norm solution when $\Phi$ has rank $< p + 1$.
* $k$-NN regression: $f_S(x) = \frac1k\sum_{i\in N_k(x)}y_i$, where $N_k(x)$ is the set of the indices
  of the $k$ training inputs nearest to $x$ in Euclidean distance, ties broken by the smaller index.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._validation import check_array

__all__ = [
    "legendre_features",
    "fit_polynomial",
    "predict_polynomial",
    "polynomial_regression",
    "knn_regression",
]


def _check_degree(degree: Any) -> int:
    if not isinstance(degree, (int, np.integer)) or degree < 0:
        raise ValueError(f"argument 'degree' must be a non-negative integer, got {degree!r}")
    return int(degree)


def legendre_features(
    x: Any, degree: int, *, domain: tuple[float, float] = (-1.0, 1.0)
) -> np.ndarray:
    r"""$\Phi_{\dots ij} = P_j(t(x_{\dots i}))$, $j = 0, \dots, p$, by the three-term recurrence
    $P_0 = 1$, $P_1(t) = t$, $(j + 1)P_{j+1}(t) = (2j + 1)\,t\,P_j(t) - j\,P_{j-1}(t)$.

    Arguments:
        x: inputs, any shape ``(...)``, float32 or float64.
        degree: $p\ge 0$.
        domain: $(a, b)$ with $a < b$; $t(x) = (2x - a - b)/(b - a)$.

    Returns:
        shape ``(..., p + 1)``, dtype of ``x``.
    """
    check_array("x", x)
    p = _check_degree(degree)
    a, b = float(domain[0]), float(domain[1])
    if not a < b:
        raise ValueError(f"argument 'domain' must satisfy a < b, got {domain}")
    t = (2 * x - (a + b)) / (b - a)
    cols = [np.ones_like(t)]
    if p >= 1:
        cols.append(t)
    for j in range(1, p):
        cols.append(((2 * j + 1) * t * cols[j] - j * cols[j - 1]) / (j + 1))
    return np.stack(cols, axis=-1)


def fit_polynomial(
    x: Any, y: Any, degree: int, *, domain: tuple[float, float] = (-1.0, 1.0)
) -> np.ndarray:
    r"""Least-squares Legendre coefficients $c\in\operatorname{argmin}\|\Phi c - y\|^2$.

    Arguments:
        x: training inputs, shape ``(n,)`` or ``(R, n)`` ($R$ samples, one per row).
        y: training responses, the shape and dtype of ``x``.
        degree: $p$, with $p + 1\le n$.
        domain: $(a, b)$, see :func:`legendre_features`.

    Returns:
        $c$, shape ``(p + 1,)`` or ``(R, p + 1)``, dtype of ``x``.

    Warns:
        RuntimeWarning when $\Phi$ is numerically rank deficient (then $c$ is the minimum-norm
        least-squares solution).
    """
    check_array("x", x, ndim=(1, 2), nonempty=True)
    check_array("y", y, shape=tuple(x.shape))
    if y.dtype != x.dtype:
        raise TypeError(f"arguments 'x' and 'y' have different dtypes ({x.dtype} and {y.dtype})")
    p = _check_degree(degree)
    n = x.shape[-1]
    if p + 1 > n:
        raise ValueError(f"degree {p} needs at least {p + 1} training points, got n = {n}")
    Phi = legendre_features(x, p, domain=domain)
    batched = x.ndim == 2
    Phis, ys = (Phi, y) if batched else (Phi[None], y[None])
    C = np.empty((Phis.shape[0], p + 1), dtype=x.dtype)
    deficient = 0
    for r in range(Phis.shape[0]):
        c, _, rank, _ = np.linalg.lstsq(Phis[r], ys[r], rcond=None)
        C[r] = c
        deficient += int(rank < p + 1)
    if deficient:
        warnings.warn(
            f"design matrix rank deficient in {deficient} of {Phis.shape[0]} sample(s) "
            f"(degree {p}, n = {n}); returning minimum-norm least-squares coefficients",
            RuntimeWarning,
            stacklevel=2,
        )
    return C if batched else C[0]


def predict_polynomial(c: Any, x: Any, *, domain: tuple[float, float] = (-1.0, 1.0)) -> np.ndarray:
    r"""$f(x) = \sum_j c_jP_j(t(x))$.

    Arguments:
        c: coefficients, shape ``(p + 1,)`` or ``(R, p + 1)``.
        x: points, shape ``(n_test,)`` (shared by all $R$ predictors).

    Returns:
        shape ``(n_test,)`` or ``(R, n_test)``.
    """
    check_array("c", c, ndim=(1, 2), nonempty=True)
    check_array("x", x, ndim=1)
    Phi = legendre_features(x, c.shape[-1] - 1, domain=domain)  # (n_test, p + 1)
    return c @ Phi.T


def polynomial_regression(
    x: Any, y: Any, x_test: Any, degree: int, *, domain: tuple[float, float] = (-1.0, 1.0)
) -> np.ndarray:
    r"""Fit polynomial least squares of degree $p$ (Definition `def-learn-polyls`) on each training
    sample and predict at ``x_test``.

    Arguments:
        x, y: training sample(s), shape ``(n,)`` or ``(R, n)``.
        x_test: shape ``(n_test,)``.

    Returns:
        $f_{S_r}(x^{\mathrm{test}}_j)$, shape ``(n_test,)`` or ``(R, n_test)``.
    """
    c = fit_polynomial(x, y, degree, domain=domain)
    check_array("x_test", x_test, ndim=1)
    if x_test.dtype != c.dtype:
        raise TypeError(
            f"arguments 'x' and 'x_test' have different dtypes ({c.dtype} and {x_test.dtype})"
        )
    return predict_polynomial(c, x_test, domain=domain)


def knn_regression(X: Any, y: Any, X_test: Any, k: int) -> np.ndarray:
    r"""$k$-NN regression (Definition `def-learn-knn`):
    $f_S(x) = \frac1k\sum_{i\in N_k(x)} y_i$.

    Arguments:
        X: training inputs, shape ``(n, d)`` or ``(R, n, d)``.
        y: training responses, shape ``(n,)`` or ``(R, n)``, dtype of ``X``.
        X_test: shape ``(n_test, d)``.
        k: $1\le k\le n$.

    Returns:
        shape ``(n_test,)`` or ``(R, n_test)``, dtype of ``X``.
    """
    check_array("X", X, ndim=(2, 3), nonempty=True)
    check_array("y", y, shape=tuple(X.shape[:-1]))
    check_array("X_test", X_test, shape=(None, X.shape[-1]))
    if y.dtype != X.dtype or X_test.dtype != X.dtype:
        raise TypeError(
            f"arguments 'X', 'y', 'X_test' must share one dtype, got {X.dtype}, "
            f"{y.dtype}, {X_test.dtype}"
        )
    n = X.shape[-2]
    if not isinstance(k, (int, np.integer)) or not 1 <= k <= n:
        raise ValueError(f"argument 'k' must be an integer in [1, n] = [1, {n}], got {k!r}")
    batched = X.ndim == 3
    Xb, yb = (X, y) if batched else (X[None], y[None])
    # squared distances |x_test_j - x_i|^2, shape (R, n_test, n)
    D = np.sum((X_test[None, :, None, :] - Xb[:, None, :, :]) ** 2, axis=-1)
    idx = np.argsort(D, axis=-1, kind="stable")[..., :k]  # (R, n_test, k)
    Yn = np.take_along_axis(np.broadcast_to(yb[:, None, :], D.shape), idx, axis=-1)
    out = np.mean(Yn, axis=-1)
    return out if batched else out[0]
