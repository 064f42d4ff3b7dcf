r"""Functions of one variable: the ReLU interpolant, the sawtooth, Yarotsky's square, $L^1$
distances of piecewise linear functions.

Sections "One variable", "Depth separation" and "Squares and products" of the chapter
*Approximation*. Networks are returned as an ``nn.Architecture`` and ``nn.Parameters`` of the
chapter *Feedforward networks* ({prf:ref}`def-realization`), so that ``nn.forward`` evaluates them.

* :func:`relu_interpolant`: the piecewise linear interpolant as a width-$N$ ReLU network
  ({prf:ref}`thm-apx-interpolation`);
* :func:`sawtooth`, :func:`sawtooth_network`: $\Delta^k$, $\Delta(x) = 1 - |2x - 1|$ on $[0, 1]$
  ({prf:ref}`prop-apx-sawtooth`);
* :func:`square_approximation`, :func:`square_network`, :func:`product_approximation`:
  $f_m(x) = x - \sum_{s=1}^m\Delta^s(x)/4^s$ ({prf:ref}`prop-apx-square`);
* :func:`l1_distance`: $\int|f - g|$ for two continuous piecewise linear functions, exactly.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import Array, Integer, Real, fail, validate
from ..nn import Architecture, Parameters

__all__ = [
    "relu_interpolant",
    "interpolation_error_bound",
    "sawtooth",
    "sawtooth_network",
    "telgarsky_bound",
    "square_approximation",
    "square_network",
    "square_lower_bound",
    "product_approximation",
    "l1_distance",
]


def _increasing(name: str, t: Any) -> None:
    if t.shape[0] > 1 and not bool(np.all(np.diff(t) > 0)):
        fail(name, "be strictly increasing", "an array with a non-increasing step")


@validate(t=Array(shape=("K",), numpy=True), y=Array(shape=("K",), numpy=True))
def relu_interpolant(t: np.ndarray, y: np.ndarray) -> tuple[Architecture, Parameters]:
    r"""The piecewise linear interpolant of $(t_j, y_j)_{j=0}^N$ as a ReLU network of architecture
    $(1, N, 1)$ ({prf:ref}`thm-apx-interpolation`): on $[t_0, t_N]$,

    $$
    I(x) = y_0 + s_1(x - t_0) + \sum_{j=1}^{N-1}(s_{j+1} - s_j)\operatorname{ReLU}(x - t_j)
    = y_0 + \sum_{j=0}^{N-1}c_j\operatorname{ReLU}(x - t_j),
    $$

    $s_j = (y_j - y_{j-1})/(t_j - t_{j-1})$, $c_0 = s_1$, $c_j = s_{j+1} - s_j$.

    Arguments:
        t: knots $t_0 < \dots < t_N$, shape ``(N + 1,)``, $N\ge1$.
        y: values, shape ``(N + 1,)``, the dtype of ``t``.

    Returns:
        ``(arch, theta)`` with $W^1 = \mathbf 1_N$, $b^1 = -(t_0, \dots, t_{N-1})$,
        $W^2 = c^\top$, $b^2 = y_0$; widths ``(1, N, 1)``, activations ``("relu", "identity")``.
    """
    if t.shape[0] < 2:
        fail("t", "have at least two knots", f"shape {t.shape}")
    _increasing("t", t)
    s = np.diff(y) / np.diff(t)  # s_1, ..., s_N
    c = np.concatenate([s[:1], np.diff(s)])
    N = t.shape[0] - 1
    arch = Architecture((1, N, 1), ("relu", "identity"))
    theta = Parameters(
        (np.ones((N, 1), dtype=t.dtype), c[None, :].astype(t.dtype)),
        ((-t[:-1]).astype(t.dtype), y[:1].copy()),
    )
    return arch, theta


@validate(h=Real(0, None), M=Real(0, None))
def interpolation_error_bound(h: float, M: float) -> float:
    r"""$h^2M/8$: the bound of {prf:ref}`thm-apx-interpolation` on $\|f - I_hf\|_\infty$ for
    knots of spacing at most $h$ and $M\ge\|f''\|_\infty$."""
    return h * h * M / 8


@validate(x=Array(ndim=None, numpy=True), k=Integer(0))
def sawtooth(x: np.ndarray, k: int) -> np.ndarray:
    r"""$\Delta^k(x)$ for $x\in[0, 1]$ ($\Delta^0(x) = x$), in closed form
    ({prf:ref}`prop-apx-sawtooth`): $\Delta^k(x) = \Delta(\{2^{k-1}x\})$ with $\{u\} = u -
    \lfloor u\rfloor$ and $\Delta(u) = 2u$ for $u\le\frac12$, $2 - 2u$ for $u > \frac12$. Exact in
    floating point (no rounding at all): scaling by a power of two, taking the fractional part and
    doubling are exact, and so is $2 - 2u$ for $2u\in[1, 2]$ (Sterbenz's lemma).

    Arguments:
        x: any shape, entries in $[0, 1]$, float32 or float64.

    Returns:
        $\Delta^k(x)$, the shape and dtype of ``x``.
    """
    if x.size and (float(np.min(x)) < 0 or float(np.max(x)) > 1):
        fail("x", "have entries in [0, 1]", f"entries in [{np.min(x):g}, {np.max(x):g}]")
    if k == 0:
        return x.copy()
    u = x * np.asarray(2.0 ** (k - 1), dtype=x.dtype)
    f = 2 * (u - np.floor(u))
    return np.where(f <= 1, f, 2 - f).astype(x.dtype, copy=False)


@validate(k=Integer(1))
def sawtooth_network(k: int) -> tuple[Architecture, Parameters]:
    r"""A ReLU network of architecture $(1, 2, \dots, 2, 1)$ ($k$ hidden layers) equal to $\Delta^k$
    on $[0, 1]$ ({prf:ref}`prop-apx-sawtooth`): for $u\in[0, 1]$,
    $\Delta(u) = 2\operatorname{ReLU}(u) - 4\operatorname{ReLU}(u - \frac12)$, so layer $l$ computes
    $z^l = (g, g - \frac12)$ from $g = 2a_1^{l-1} - 4a_2^{l-1} = \Delta^{l-1}(x)$.

    Arguments:
        k: the number of compositions, ``>= 1``.

    Returns:
        float64 parameters (convert with ``theta.map``).
    """
    dt = np.float64
    first = (np.array([[1.0], [1.0]], dtype=dt), np.array([0.0, -0.5], dtype=dt))
    middle = (np.array([[2.0, -4.0], [2.0, -4.0]], dtype=dt), np.array([0.0, -0.5], dtype=dt))
    last = (np.array([[2.0, -4.0]], dtype=dt), np.array([0.0], dtype=dt))
    layers = [first, *([middle] * (k - 1)), last]
    arch = Architecture((1, *([2] * k), 1), ("relu",) * k + ("identity",))
    return arch, Parameters(tuple(W for W, _ in layers), tuple(b for _, b in layers))


@validate(k=Integer(0), t=Integer(1))
def telgarsky_bound(k: int, t: int) -> float:
    r"""$\frac14\bigl(1 - 2(t - 1)/2^k\bigr)$: the lower bound of {prf:ref}`thm-apx-depth-separation`
    on $\int_0^1|\Delta^k - g|$ for every continuous $g$ with at most $t$ affine pieces on
    $[0, 1]$ (negative, hence vacuous, when $t > 2^{k-1} + 1$)."""
    return 0.25 * (1 - 2 * (t - 1) / 2**k)


@validate(x=Array(ndim=None, numpy=True), m=Integer(0))
def square_approximation(x: np.ndarray, m: int) -> np.ndarray:
    r"""$f_m(x) = x - \sum_{s=1}^m\Delta^s(x)/4^s$ for $x\in[0, 1]$ ({prf:ref}`prop-apx-square`):
    the piecewise linear interpolant of $x^2$ at the points $j2^{-m}$, with
    $0\le f_m(x) - x^2\le 2^{-2m-2}$.

    Arguments:
        x: any shape, entries in $[0, 1]$, float32 or float64.
    """
    out = x.copy()
    for s in range(1, m + 1):
        out = out - sawtooth(x, s) / np.asarray(4.0**s, dtype=x.dtype)
    return out


@validate(m=Integer(1))
def square_network(m: int) -> tuple[Architecture, Parameters]:
    r"""A ReLU network of architecture $(1, 3, \dots, 3, 1)$ ($m$ hidden layers) equal to $f_m$ on
    $[0, 1]$ ({prf:ref}`prop-apx-square`).

    Hidden layer $l$ carries $a^l = (\operatorname{ReLU}(g_{l-1}), \operatorname{ReLU}(g_{l-1} -
    \frac12), f_{l-1})$ with $g_{s} = \Delta^{s}(x)$, $g_0 = f_0 = x$; then $g_l = 2a_1^l - 4a_2^l$
    and $f_l = a_3^l - g_l/4^l$ are affine in $a^l$, and $\operatorname{ReLU}(f_l) = f_l$ because
    $f_l\ge x^2\ge0$. The output is $f_m = a_3^m - (2a_1^m - 4a_2^m)/4^m$.

    Arguments:
        m: the number of hidden layers, ``>= 1``.

    Returns:
        float64 parameters (convert with ``theta.map``).
    """
    dt = np.float64
    Ws = [np.array([[1.0], [1.0], [1.0]], dtype=dt)]
    bs = [np.array([0.0, -0.5, 0.0], dtype=dt)]
    for s in range(1, m):
        q = 4.0**s
        Ws.append(np.array([[2, -4, 0], [2, -4, 0], [-2 / q, 4 / q, 1]], dtype=dt))
        bs.append(np.array([0.0, -0.5, 0.0], dtype=dt))
    q = 4.0**m
    Ws.append(np.array([[-2 / q, 4 / q, 1]], dtype=dt))
    bs.append(np.array([0.0], dtype=dt))
    arch = Architecture((1, *([3] * m), 1), ("relu",) * m + ("identity",))
    return arch, Parameters(tuple(Ws), tuple(bs))


@validate(t=Integer(1))
def square_lower_bound(t: int) -> float:
    r"""$1/(8t^2)$: no continuous function with at most $t$ affine pieces on $[0, 1]$ is closer
    than this to $x\mapsto x^2$ in the supremum norm ({prf:ref}`prop-apx-square-lower`)."""
    return 1 / (8 * t * t)


@validate(
    x=Array(ndim=None, numpy=True),
    y=Array(ndim=None, numpy=True),
    m=Integer(0),
)
def product_approximation(x: np.ndarray, y: np.ndarray, m: int) -> np.ndarray:
    r"""$P_m(x, y) = 2f_m\bigl(\frac{x + y}2\bigr) - \frac12f_m(x) - \frac12f_m(y)$ for
    $x, y\in[0, 1]$ ({prf:ref}`cor-apx-product`), with $\sup|P_m - xy| = 2^{-2m-1}$.

    Arguments:
        x, y: arrays of one shape and dtype, entries in $[0, 1]$.
    """
    if x.shape != y.shape:
        fail("y", f"have the shape of 'x', {x.shape}", f"shape {y.shape}")
    half = np.asarray(0.5, dtype=x.dtype)
    return (
        2 * square_approximation((x + y) * half, m)
        - half * square_approximation(x, m)
        - half * square_approximation(y, m)
    )


@validate(
    x=Array(shape=("K",), numpy=True),
    f=Array(shape=("K",), numpy=True),
    g=Array(shape=("K",), numpy=True),
)
def l1_distance(x: np.ndarray, f: np.ndarray, g: np.ndarray) -> float:
    r"""$\int_{x_0}^{x_{K-1}}|f - g|$ for two functions that are affine between consecutive nodes,
    given by their values there: exactly, segment by segment. With $d = f - g$ affine on
    $[x_k, x_{k+1}]$, of length $\ell$ and end values $d_0, d_1$, the integral is
    $\ell(|d_0| + |d_1|)/2$ if $d_0d_1\ge0$ and $\ell(d_0^2 + d_1^2)/(2(|d_0| + |d_1|))$ if $d$
    changes sign (two triangles).

    Arguments:
        x: nodes, strictly increasing, shape ``(K,)``, $K\ge 2$.
        f, g: values at the nodes, shape ``(K,)``.
    """
    if x.shape[0] < 2:
        fail("x", "have at least two nodes", f"shape {x.shape}")
    _increasing("x", x)
    d = (f - g).astype(np.float64)
    ell = np.diff(x).astype(np.float64)
    d0, d1 = d[:-1], d[1:]
    same = d0 * d1 >= 0
    a0, a1 = np.abs(d0), np.abs(d1)
    denom = np.where(same, 1.0, a0 + a1)
    parts = np.where(same, ell * (a0 + a1) / 2, ell * (d0 * d0 + d1 * d1) / (2 * denom))
    return float(np.sum(parts))
