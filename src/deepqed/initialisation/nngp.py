r"""The Gaussian-process limit, the length and correlation maps, order and chaos.

Sections "The Gaussian-process limit" and "Order and chaos" of the chapter *Initialisation and
signal propagation*. For an activation $\sigma$, weight gain $c_w$ and bias variance $c_b$, the
NNGP kernel (Definition `def-init-nngp-kernel`) is

$$K^1(x, x') = c_b + c_w\frac{x^\top x'}{n_0},\qquad
K^{l+1}(x, x') = c_b + c_w\,\mathbb E_{(u, v)\sim N(0, K^l|_{\{x, x'\}})}[\sigma(u)\sigma(v)],$$

and for one input the diagonal follows the *length map* $V(q) = c_b + c_w\mathbb E\sigma(\sqrt qZ)^2$,
for two inputs the correlation follows the *correlation map* $C$ (Definition `def-init-maps`),
whose slope at $1$ is $\chi_1 = c_w\mathbb E\sigma'(\sqrt{q^\ast}Z)^2$. Gaussian expectations use a
composite Gauss–Legendre rule for the standard normal on $[-10, 10]$ (Gauss–Hermite rules
converge slowly for $\tanh(\sqrt q z)$, which is nearly a step when $q$ is large); for ReLU the
closed form of chapter 5 (``kernels.ArcCosine``) is used.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy.optimize import brentq

from .._validation import Array, Integer, Options, Real, fail, validate
from ..kernels import ArcCosine, gram
from ..nn import ACTIVATIONS

__all__ = [
    "normal_quadrature",
    "relu_correlation",
    "nngp_kernel",
    "length_map",
    "length_fixed_point",
    "correlation_map",
    "chi1",
    "correlation_fixed_point",
    "hermite_coefficients",
]

_ACT = Options("relu", "tanh", "identity")


@lru_cache(maxsize=8)
def _rule(panels: int, nodes: int) -> tuple[np.ndarray, np.ndarray]:
    x, w = np.polynomial.legendre.leggauss(nodes)
    edges = np.linspace(-10.0, 10.0, panels + 1)
    h = (edges[1:] - edges[:-1])[:, None]
    z = ((x[None, :] + 1) / 2 * h + edges[:-1, None]).ravel()
    wz = (w[None, :] / 2 * h).ravel() * np.exp(-z * z / 2) / math.sqrt(2 * math.pi)
    return z, wz


@validate(panels=Integer(1, 10_000), nodes=Integer(1, 64))
def normal_quadrature(panels: int = 32, nodes: int = 10) -> tuple[np.ndarray, np.ndarray]:
    r"""Nodes $z_i$ and weights $w_i$ with $\sum_iw_if(z_i)\approx\mathbb Ef(Z)$, $Z\sim N(0, 1)$:
    ``panels`` Gauss–Legendre panels of ``nodes`` nodes on $[-10, 10]$, weights times the normal
    density (the mass outside, $2\Phi(-10) < 2\cdot10^{-23}$, is dropped). For $f$ analytic in
    the strip $|\operatorname{Im}z| < d$, each panel's error falls like $\varrho^{-2\,\text{nodes}}$
    with $\varrho = a + \sqrt{a^2 + 1}$, $a = d\cdot\text{panels}/10$: for $\tanh(\sqrt qz)$,
    $d = \pi/(2\sqrt q)$, and the defaults give about $10^{-11}$ relative accuracy up to
    $q = 8$. Shapes ``(panels * nodes,)``."""
    z, w = _rule(panels, nodes)
    return z.copy(), w.copy()


@validate(rho=Array(numpy=True))
def relu_correlation(rho: np.ndarray) -> np.ndarray:
    r"""$\varrho(\rho) = \bigl(\sqrt{1 - \rho^2} + (\pi - \arccos\rho)\rho\bigr)/\pi$, elementwise, with
    $\rho$ clipped to $[-1, 1]$: the correlation of $\operatorname{ReLU}(u), \operatorname{ReLU}(v)$
    in the NNGP recursion with $c_b = 0$ (Proposition `prop-init-relu-nngp`)."""
    r = np.clip(rho, -1.0, 1.0)
    return (np.sqrt(np.maximum(1.0 - r * r, 0.0)) + (np.pi - np.arccos(r)) * r) / np.pi


def _pair_expectation(act: str, K: np.ndarray, panels: int) -> np.ndarray:
    """E[sigma(u_i) sigma(u_j)] for u ~ N(0, K), all pairs, shape (m, m)."""
    if act == "relu":  # chapter 5: E[relu(w^T v_i) relu(w^T v_j)], w ~ N(0, I), V V^T = K
        lam, U = np.linalg.eigh(K)
        V = U * np.sqrt(np.maximum(lam, 0.0))
        return gram(ArcCosine(), V)
    if act == "identity":
        return K.copy()
    sig = ACTIVATIONS[act].sigma
    z, w = _rule(panels, 10)
    d = np.sqrt(np.maximum(np.diag(K), 0.0))
    m = K.shape[0]
    out = np.empty((m, m))
    for i in range(m):
        for j in range(i, m):
            if d[i] == 0 or d[j] == 0:
                out[i, j] = out[j, i] = float(sig(np, np.zeros(1))[0] ** 2)
                continue
            rho = float(np.clip(K[i, j] / (d[i] * d[j]), -1.0, 1.0))
            u = d[i] * z[:, None]
            v = d[j] * (rho * z[:, None] + math.sqrt(max(1 - rho * rho, 0.0)) * z[None, :])
            val = float(w @ (sig(np, u) * sig(np, v)) @ w)
            out[i, j] = out[j, i] = val
    return out


@validate(
    X=Array(ndim=2, numpy=True),
    depth=Integer(1),
    c_w=Real(0, None, closed="neither"),
    c_b=Real(0, None),
    activation=_ACT,
    panels=Integer(4, 2000),
)
def nngp_kernel(
    X: np.ndarray, depth: int, c_w: float, c_b: float, activation: str, panels: int = 32
) -> np.ndarray:
    r"""$K^{\text{depth}}$ on the rows of ``X`` (shape ``(m, n_0)``), shape ``(m, m)``, float64: the
    covariance of the pre-activations $z^{\text{depth}}$ in the infinite-width limit
    (Definition `def-init-nngp-kernel`, Theorem `thm-init-nngp`). For ReLU each step is chapter 5's
    arc-cosine kernel of a factor $V$ with $VV^\top = K^l$; for $\tanh$, two-dimensional
    quadrature (:func:`normal_quadrature` with ``panels`` panels per axis)."""
    X64 = X.astype(np.float64)
    K = c_b + c_w * (X64 @ X64.T) / X.shape[1]
    for _ in range(depth - 1):
        K = c_b + c_w * _pair_expectation(activation, K, panels)
    return K


@validate(
    q=Real(0, None),
    c_w=Real(0, None, closed="neither"),
    c_b=Real(0, None),
    activation=_ACT,
    panels=Integer(4, 2000),
)
def length_map(q: float, c_w: float, c_b: float, activation: str, panels: int = 32) -> float:
    r"""$V(q) = c_b + c_w\,\mathbb E\,\sigma(\sqrt qZ)^2$ (Definition `def-init-maps`)."""
    z, w = _rule(panels, 10)
    s = ACTIVATIONS[activation].sigma(np, math.sqrt(q) * z)
    return c_b + c_w * float(w @ (s * s))


@validate(c_w=Real(0, None, closed="neither"), c_b=Real(0, None), panels=Integer(4, 2000))
def length_fixed_point(c_w: float, c_b: float, panels: int = 32) -> float:
    r"""The fixed point $q^\ast$ of the length map of $\tanh$ (Proposition `prop-init-length-map`):
    the unique positive root of $V(q) = q$ when $c_b > 0$ or $c_w > 1$, else $0$. Found by Brent's
    method on $[q_0, c_w + c_b]$, where $V(q_0) > q_0$."""
    if c_b == 0 and c_w <= 1:
        return 0.0

    def g(q: float) -> float:
        return length_map(q, c_w, c_b, "tanh", panels) - q

    lo = 0.0 if c_b > 0 else 1e-300
    while g(lo) <= 0:  # only when c_b = 0: V(q) - q ~ (c_w - 1) q > 0 for small q
        lo = lo * 1e10 if lo > 0 else 1e-300
        if lo > c_w:
            fail("c_w", "give a positive fixed point", f"c_w = {c_w}")
    return float(brentq(g, lo, c_w + c_b, xtol=1e-15, rtol=4 * np.finfo(float).eps, maxiter=500))


@validate(
    c=Array(numpy=True),
    q=Real(0, None, closed="neither"),
    c_w=Real(0, None, closed="neither"),
    c_b=Real(0, None),
    activation=_ACT,
    panels=Integer(4, 2000),
)
def correlation_map(
    c: np.ndarray, q: float, c_w: float, c_b: float, activation: str, panels: int = 32
) -> np.ndarray:
    r"""$C(c) = \bigl(c_b + c_w\,\mathbb E[\sigma(u)\sigma(v)]\bigr)/q$ for $(u, v)$ centred Gaussian
    with variances $q$ and correlation $c$, elementwise in ``c`` (clipped to $[-1, 1]$); at the
    fixed point $q = q^\ast$, $C(1) = 1$ (Definition `def-init-maps`)."""
    cc = np.clip(c.astype(np.float64), -1.0, 1.0)
    if activation == "relu":
        return (c_b + c_w * q * relu_correlation(cc) / 2) / q
    if activation == "identity":
        return (c_b + c_w * q * cc) / q
    z, w = _rule(panels, 10)
    sig = ACTIVATIONS[activation].sigma
    su = sig(np, math.sqrt(q) * z)
    out = np.empty(cc.shape)
    for idx, r in np.ndenumerate(cc):
        v = math.sqrt(q) * (r * z[:, None] + math.sqrt(max(1 - r * r, 0.0)) * z[None, :])
        out[idx] = w @ (su[:, None] * sig(np, v)) @ w
    return (c_b + c_w * out) / q


@validate(
    q=Real(0, None), c_w=Real(0, None, closed="neither"), activation=_ACT, panels=Integer(4, 2000)
)
def chi1(q: float, c_w: float, activation: str, panels: int = 32) -> float:
    r"""$\chi_1 = c_w\,\mathbb E\,\sigma'(\sqrt qZ)^2$ (Definition `def-init-maps`): the slope of the
    correlation map at $1$ when $q = q^\ast$ (Theorem `thm-init-order-chaos`)."""
    z, w = _rule(panels, 10)
    d = ACTIVATIONS[activation].sigma_prime(np, math.sqrt(q) * z)
    return c_w * float(w @ (d * d))


@validate(
    q=Real(0, None, closed="neither"),
    c_w=Real(0, None, closed="neither"),
    c_b=Real(0, None),
    activation=_ACT,
    panels=Integer(4, 2000),
)
def correlation_fixed_point(
    q: float, c_w: float, c_b: float, activation: str, panels: int = 32
) -> float:
    r"""The fixed point $c^\ast$ of the correlation map in $[0, 1)$ when $\chi_1 > 1$ (chaotic
    phase), by Brent's method ($C(0) - 0\ge0$ and $C(c) - c < 0$ just below $1$); $1$ when
    $\chi_1\le 1$ (ordered phase). ``q`` must be the fixed point $q^\ast$ of the length map."""
    if chi1(q, c_w, activation, panels) <= 1:
        return 1.0

    def g(c: float) -> float:
        return float(correlation_map(np.array(c), q, c_w, c_b, activation, panels)) - c

    if g(0.0) <= 0:
        return 0.0
    hi = 1.0 - 1e-3
    while g(hi) >= 0:
        hi = 1.0 - (1.0 - hi) / 10
        if 1.0 - hi < 1e-12:
            return 1.0
    return float(brentq(g, 0.0, hi, xtol=1e-15, maxiter=500))


@validate(
    q=Real(0, None, closed="neither"), activation=_ACT, K=Integer(0, 400), panels=Integer(4, 2000)
)
def hermite_coefficients(q: float, activation: str, K: int, panels: int = 64) -> np.ndarray:
    r"""$b_k = \mathbb E[\sigma(\sqrt qZ)h_k(Z)]$, $k = 0, \dots, K$ (shape ``(K + 1,)``), in the
    orthonormal Hermite basis $h_k = \operatorname{He}_k/\sqrt{k!}$ of $L^2(N(0, 1))$ (computed
    by the stable recursion $h_{k+1} = (zh_k - \sqrt kh_{k-1})/\sqrt{k + 1}$); then
    $\sigma(\sqrt q\,\cdot) = \sum_kb_kh_k$ and Mehler's formula gives
    $\mathbb E[\sigma(u)\sigma(v)] = \sum_kb_k^2c^k$ (proof of Theorem `thm-init-order-chaos`)."""
    z, w = _rule(panels, 10)
    s = ACTIVATIONS[activation].sigma(np, math.sqrt(q) * z) * w
    out = np.empty(K + 1)
    h_prev, h = np.zeros_like(z), np.ones_like(z)
    for k in range(K + 1):
        out[k] = float(h @ s)
        h_prev, h = h, (z * h - math.sqrt(k) * h_prev) / math.sqrt(k + 1)
    return out
