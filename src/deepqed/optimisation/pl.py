r"""Gradient descent without convexity: the Polyak–Łojasiewicz inequality.

Section "Linear convergence without convexity" of the chapter *Optimisation and trainability*. A
differentiable $f:\mathbb R^d\to\mathbb R$ with $f^\star = \inf f > -\infty$ satisfies the
*Polyak–Łojasiewicz (PL) inequality* with constant $\mu > 0$ (Definition `def-opt-pl`) if

$$\tfrac12\|\nabla f(x)\|^2\ \ge\ \mu\,\bigl(f(x) - f^\star\bigr)\qquad (x\in\mathbb R^d).$$

For an $L$-smooth $f$ gradient descent $x_{k+1} = x_k - \eta\nabla f(x_k)$ with
$0 < \eta < 2/L$ then satisfies $f(x_k) - f^\star\le q^k(f(x_0) - f^\star)$ with
$q = 1 - 2\mu\eta(1 - L\eta/2)$, which is $1 - \mu/L$ at $\eta = 1/L$ (Theorem `thm-opt-pl-rate`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .._validation import Array, Function, Integer, Real, fail, validate

__all__ = [
    "gradient_descent",
    "pl_ratio",
    "pl_rate_factor",
    "pl_rate_bound",
    "least_squares_pl_constant",
    "sin_quadratic",
    "sin_quadratic_grad",
    "SIN_QUADRATIC_L",
    "SIN_QUADRATIC_MU",
]

#: The smoothness constant of $x^2 + 3\sin^2 x$: $f'' = 2 + 6\cos 2x\in[-4, 8]$
#: (Proposition `prop-opt-pl-example`).
SIN_QUADRATIC_L = 8.0

#: The PL constant proved in Proposition `prop-opt-pl-example` (the best constant is about 0.1755).
SIN_QUADRATIC_MU = 1.0 / 8.0


@validate(
    grad=Function(),
    x0=Array(ndim=1, numpy=True),
    eta=Real(0, None, closed="neither"),
    steps=Integer(0),
)
def gradient_descent(
    grad: Callable[[np.ndarray], np.ndarray], x0: np.ndarray, eta: float, steps: int
) -> np.ndarray:
    r"""The iterates $x_{k+1} = x_k - \eta\nabla f(x_k)$, $k = 0, \dots, T-1$.

    Arguments:
        grad: $x\mapsto\nabla f(x)$, from shape ``(d,)`` to shape ``(d,)``.
        x0: the start $x_0$, shape ``(d,)``, float32 or float64.
        eta: the step $\eta > 0$.
        steps: the number $T\ge 0$ of steps.

    Returns:
        $(x_0, \dots, x_T)$ stacked, shape ``(T + 1, d)``, dtype of ``x0``. Once an iterate
        is not finite (divergence), the remaining rows are NaN.
    """
    out = np.full((steps + 1, x0.shape[0]), np.nan, dtype=x0.dtype)
    x = x0.copy()
    out[0] = x
    e = x0.dtype.type(eta)
    for k in range(steps):
        g = np.asarray(grad(x), dtype=x0.dtype)
        if g.shape != x.shape:
            fail("grad", f"return an array of shape {x.shape}", f"shape {g.shape}")
        with np.errstate(over="ignore", invalid="ignore"):
            x = x - e * g
        if not np.all(np.isfinite(x)):
            break
        out[k + 1] = x
    return out


@validate(g=Array(numpy=True), gap=Real(0, None, closed="neither"))
def pl_ratio(g: np.ndarray, gap: float) -> float:
    r"""$\tfrac12\|g\|^2/\mathrm{gap}$: the largest $\mu$ for which the PL inequality holds at a point
    with gradient $g$ and optimality gap $\mathrm{gap} = f(x) - f^\star > 0$
    (Definition `def-opt-pl`)."""
    g64 = g.astype(np.float64, copy=False).ravel()
    return float(0.5 * (g64 @ g64) / gap)


@validate(
    mu=Real(0, None, closed="neither"),
    L=Real(0, None, closed="neither"),
    eta=Real(0, None, closed="neither"),
)
def pl_rate_factor(mu: float, L: float, eta: float) -> float:
    r"""$q = 1 - 2\mu\eta(1 - L\eta/2)$, the factor of Theorem `thm-opt-pl-rate` per step of size
    $\eta$; $q = 1 - \mu/L$ at $\eta = 1/L$. Needs $\eta < 2/L$ (else the theorem says nothing)
    and $\mu\le L$ (which every PL and $L$-smooth function with a non-minimising point has,
    Lemma `lem-opt-smooth-gap`)."""
    if eta >= 2.0 / L:
        fail("eta", f"be < 2/L = {2.0 / L:g}", repr(eta))
    if mu > L:
        fail("mu", f"be <= L = {L:g} (Lemma lem-opt-smooth-gap)", repr(mu))
    return 1.0 - 2.0 * mu * eta * (1.0 - L * eta / 2.0)


@validate(
    mu=Real(0, None, closed="neither"),
    L=Real(0, None, closed="neither"),
    eta=Real(0, None, closed="neither"),
    gap0=Real(0, None),
    steps=Integer(0),
)
def pl_rate_bound(mu: float, L: float, eta: float, gap0: float, steps: int) -> np.ndarray:
    r"""$(q^k\,(f(x_0) - f^\star))_{k=0}^{T}$ with $q$ = :func:`pl_rate_factor`, shape ``(T + 1,)``
    (Theorem `thm-opt-pl-rate`)."""
    q = pl_rate_factor(mu, L, eta)
    return gap0 * q ** np.arange(steps + 1, dtype=np.float64)


@validate(X=Array(ndim=2, numpy=True))
def least_squares_pl_constant(X: np.ndarray) -> float:
    r"""The best PL constant of $f(w) = \frac12\|Xw - y\|^2$: the smallest *positive* eigenvalue
    $s_r^2$ of $X^\top X$ ($s_r$ the smallest positive singular value of $X$), for every $y$
    (Proposition `prop-opt-pl-least-squares`). Singular values below
    $\max(m, n)\,u\,s_1$ count as zero ($u$ the unit roundoff of ``X``'s dtype). Raises
    ``ValueError`` for $X = 0$ (then $f$ is constant and every $\mu$ works)."""
    s = np.linalg.svd(X.astype(np.float64), compute_uv=False)
    if s[0] == 0:
        fail("X", "be nonzero (for X = 0 the objective is constant)", "X = 0")
    tol = max(X.shape) * np.finfo(X.dtype).eps * s[0]
    return float(s[s > tol][-1] ** 2)


def _sin_quadratic(x: np.ndarray) -> np.ndarray:
    return x * x + 3.0 * np.sin(x) ** 2


@validate(x=Array(numpy=True))
def sin_quadratic(x: np.ndarray) -> np.ndarray:
    r"""$f(x) = x^2 + 3\sin^2 x$, elementwise (the example of Proposition `prop-opt-pl-example`:
    $8$-smooth, not convex, PL with $\mu = 1/8$, minimum $f^\star = 0$ at $x = 0$ only)."""
    return _sin_quadratic(x)


@validate(x=Array(numpy=True))
def sin_quadratic_grad(x: np.ndarray) -> np.ndarray:
    r"""$f'(x) = 2x + 3\sin 2x$, elementwise (for $f$ of :func:`sin_quadratic`; as a function on
    $\mathbb R^d$, $f(x) = \sum_j f(x_j)$ has gradient $(f'(x_j))_j$)."""
    return 2.0 * x + 3.0 * np.sin(2.0 * x)
