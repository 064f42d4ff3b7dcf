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

from .._validation import Array, Instance, Integer, Real, fail, received, validate

__all__ = [
    "legendre_features",
    "fit_polynomial",
    "predict_polynomial",
    "polynomial_regression",
    "knn_regression",
]

#: An interval ``(a, b)`` with ``a < b``.
DOMAIN = Instance((tuple, list), "a pair (a, b) of finite reals with a < b")


def check_domain(domain: Any) -> tuple[float, float]:
    """The interval ``domain = (a, b)`` as two floats, after checking ``a < b``."""
    if len(domain) != 2:
        fail("domain", "be a pair (a, b) of finite reals with a < b", f"length {len(domain)}")
    a, b = (Real().check("domain", v, None) for v in domain)  # type: ignore[arg-type]
    if not a < b:
        fail("domain", "be a pair (a, b) of finite reals with a < b", received(tuple(domain)))
    return a, b


def _legendre_features(x: np.ndarray, p: int, a: float, b: float) -> np.ndarray:
    t = (2 * x - (a + b)) / (b - a)
    cols = [np.ones_like(t)]
    if p >= 1:
        cols.append(t)
    for j in range(1, p):
        cols.append(((2 * j + 1) * t * cols[j] - j * cols[j - 1]) / (j + 1))
    return np.stack(cols, axis=-1)


@validate(x=Array(numpy=True), degree=Integer(0), domain=DOMAIN)
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
    a, b = check_domain(domain)
    return _legendre_features(x, degree, a, b)


def _fit(x: np.ndarray, y: np.ndarray, p: int, a: float, b: float) -> np.ndarray:
    """Least-squares coefficients for ``x, y`` of shape ``(n,)`` or ``(R, n)``; warns when a design
    matrix is numerically rank deficient."""
    n = x.shape[-1]
    if p + 1 > n:
        fail("degree", f"be at most n - 1 = {n - 1} (degree p needs n >= p + 1 points)", str(p))
    Phi = _legendre_features(x, p, a, b)
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
            stacklevel=4,  # the caller of the validated public function
        )
    return C if batched else C[0]


def _check_same_shape(x: Any, y: Any) -> None:
    if y.shape != x.shape:
        fail("y", f"have the shape of 'x', {x.shape}", f"shape {y.shape}")


@validate(
    x=Array(ndim=(1, 2), numpy=True),
    y=Array(ndim=(1, 2), numpy=True),
    degree=Integer(0),
    domain=DOMAIN,
)
def fit_polynomial(
    x: Any, y: Any, degree: int, *, domain: tuple[float, float] = (-1.0, 1.0)
) -> np.ndarray:
    r"""Least-squares Legendre coefficients $c = \Phi^+y$, the minimum-norm element of
    $\operatorname{argmin}_c\|\Phi c - y\|^2$.

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
    _check_same_shape(x, y)
    a, b = check_domain(domain)
    return _fit(x, y, degree, a, b)


@validate(c=Array(ndim=(1, 2), numpy=True), x=Array(ndim=1, numpy=True), domain=DOMAIN)
def predict_polynomial(c: Any, x: Any, *, domain: tuple[float, float] = (-1.0, 1.0)) -> np.ndarray:
    r"""$f(x) = \sum_j c_jP_j(t(x))$.

    Arguments:
        c: coefficients, shape ``(p + 1,)`` or ``(R, p + 1)``.
        x: points, shape ``(n_test,)`` (shared by all $R$ predictors), the dtype of ``c``.
        domain: $(a, b)$, see :func:`legendre_features`.

    Returns:
        shape ``(n_test,)`` or ``(R, n_test)``.
    """
    a, b = check_domain(domain)
    Phi = _legendre_features(x, c.shape[-1] - 1, a, b)  # (n_test, p + 1)
    return c @ Phi.T


@validate(
    x=Array(ndim=(1, 2), numpy=True),
    y=Array(ndim=(1, 2), numpy=True),
    x_test=Array(ndim=1, numpy=True),
    degree=Integer(0),
    domain=DOMAIN,
)
def polynomial_regression(
    x: Any, y: Any, x_test: Any, degree: int, *, domain: tuple[float, float] = (-1.0, 1.0)
) -> np.ndarray:
    r"""Fit polynomial least squares of degree $p$ (Definition `def-learn-polyls`) on each training
    sample and predict at ``x_test``.

    Arguments:
        x, y: training sample(s), shape ``(n,)`` or ``(R, n)``.
        x_test: shape ``(n_test,)``, the dtype of ``x``.
        degree: $p$, with $p + 1\le n$.
        domain: $(a, b)$, see :func:`legendre_features`.

    Returns:
        $f_{S_r}(x^{\mathrm{test}}_j)$, shape ``(n_test,)`` or ``(R, n_test)``.
    """
    _check_same_shape(x, y)
    a, b = check_domain(domain)
    c = _fit(x, y, degree, a, b)
    return c @ _legendre_features(x_test, degree, a, b).T


@validate(
    X=Array(ndim=(2, 3), numpy=True),
    y=Array(ndim=(1, 2), numpy=True),
    X_test=Array(ndim=2, numpy=True),
    k=Integer(1),
)
def knn_regression(X: Any, y: Any, X_test: Any, k: int) -> np.ndarray:
    r"""$k$-NN regression (Definition `def-learn-knn`):
    $f_S(x) = \frac1k\sum_{i\in N_k(x)} y_i$, ties in distance broken by the smaller index.

    Arguments:
        X: training inputs, shape ``(n, d)`` or ``(R, n, d)``.
        y: training responses, shape ``(n,)`` or ``(R, n)``, dtype of ``X``.
        X_test: shape ``(n_test, d)``, dtype of ``X``.
        k: $1\le k\le n$.

    Returns:
        shape ``(n_test,)`` or ``(R, n_test)``, dtype of ``X``.
    """
    if y.shape != X.shape[:-1]:
        fail("y", f"have shape {X.shape[:-1]} (the leading axes of 'X')", f"shape {y.shape}")
    if X_test.shape[1] != X.shape[-1]:
        fail("X_test", f"have {X.shape[-1]} columns (d, from 'X')", f"shape {X_test.shape}")
    n = X.shape[-2]
    if k > n:
        fail("k", f"be an integer in [1, n] = [1, {n}]", str(k))
    batched = X.ndim == 3
    Xb, yb = (X, y) if batched else (X[None], y[None])
    # squared distances |x_test_j - x_i|^2, shape (R, n_test, n)
    D = np.sum((X_test[None, :, None, :] - Xb[:, None, :, :]) ** 2, axis=-1)
    idx = np.argsort(D, axis=-1, kind="stable")[..., :k]  # (R, n_test, k)
    Yn = np.take_along_axis(np.broadcast_to(yb[:, None, :], D.shape), idx, axis=-1)
    out = np.mean(Yn, axis=-1)
    return out if batched else out[0]
