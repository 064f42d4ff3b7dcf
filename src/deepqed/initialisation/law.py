r"""The exact law of the squared norm of a random ReLU network, and its moments.

Section "The exact law at finite width" of the chapter *Initialisation and signal propagation*.
For a ReLU network with $W^l_{jk}\sim N(0, c_w/n_{l-1})$, no biases, and an input $x\ne 0$,
Theorem `thm-init-exact-law` gives

$$\frac{\|a^L\|^2}{\|x\|^2}\ \overset{d}{=}\ \prod_{l=1}^L\frac{c_w}{n_{l-1}}\,Y_l,\qquad
Y_l\mid B_l\sim\chi^2_{B_l},\quad B_l\sim\mathrm{Bin}(n_l, \tfrac12),$$

all independent ($\chi^2_0 = 0$). A linear network has the same form with $B_l = n_l$
(Proposition `prop-init-lyapunov`). The distribution function of $\log$ of such a product is
computed by Gil-Pelaez inversion of its characteristic function,
$\mathbb E[Y^{it}\mathbf 1_{Y > 0}] = \sum_{b\ge1}\mathbb P(B = b)\,2^{it}\Gamma(b/2 + it)/\Gamma(b/2)$.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats
from scipy.special import loggamma

from .._validation import Array, Generator, Integer, Real, fail, validate

__all__ = [
    "relu_norm_law_sample",
    "relu_norm_log_cdf",
    "linear_norm_log_cdf",
    "relu_norm_moments",
    "fourth_moment_factor",
]

_WIDTHS = Array(ndim=1, dtype="integer", low=1, numpy=True)


def _widths(widths: np.ndarray) -> list[int]:
    w = [int(n) for n in widths]
    if len(w) < 2:
        fail("widths", "list n_0, ..., n_L with L >= 1", repr(tuple(w)))
    return w


@validate(widths=_WIDTHS, c_w=Real(0, None, closed="neither"), size=Integer(1), rng=Generator())
def relu_norm_law_sample(
    widths: np.ndarray, c_w: float, size: int, rng: np.random.Generator
) -> np.ndarray:
    r"""``size`` independent draws of $\prod_l(c_w/n_{l-1})Y_l$ with $Y_l\sim\chi^2_{B_l}$,
    $B_l\sim\mathrm{Bin}(n_l, \frac12)$ (the law of $\|a^L\|^2/\|x\|^2$), shape ``(size,)``."""
    w = _widths(widths)
    X = np.ones(size)
    for l in range(1, len(w)):
        B = rng.binomial(w[l], 0.5, size=size)
        Y = np.where(B > 0, rng.chisquare(np.maximum(B, 1)), 0.0)
        X *= c_w / w[l - 1] * Y
    return X


def _log_product_cdf(
    y: np.ndarray, factors: list[tuple[float, np.ndarray, np.ndarray]]
) -> np.ndarray:
    r"""$\mathbb P(\log\prod_lY_l\le y)$ for independent $Y_l = s_l\chi^2_{B_l}$, where factor $l$ is
    ``(s_l, dofs, probs)`` with ``dofs`` positive integers and ``probs`` their probabilities
    (summing to at most 1; the rest is the mass of $B_l = 0$, $Y_l = 0$)."""
    mass = float(np.prod([p.sum() for _, _, p in factors]))  # P(all Y_l > 0)

    def phi(t: np.ndarray) -> np.ndarray:  # E[prod Y_l^{it}; all Y_l > 0]
        logphi = np.zeros(t.shape, dtype=complex)
        for s, b, p in factors:
            lg = loggamma(b[None, :] / 2 + 1j * t[:, None]) - loggamma(b[None, :] / 2)
            terms = np.exp(np.log(p)[None, :] + lg + 1j * t[:, None] * math.log(2.0 * s))
            logphi += np.log(terms.sum(axis=1))
        return np.exp(logphi)

    # the integration range: |phi| is below 1e-14 beyond T (checked on a grid of step T/400)
    T = 1.0
    while (
        np.abs(phi(np.array([T]))).max() > 1e-14
        or np.abs(phi(np.linspace(T / 2, T, 200))).max() > 1e-14
    ):
        T *= 1.5
    nodes, weights = np.polynomial.legendre.leggauss(20)
    edges = np.linspace(0.0, T, 41)
    h = edges[1:] - edges[:-1]
    t = ((nodes[None, :] + 1) / 2 * h[:, None] + edges[:-1, None]).ravel()
    wt = (weights[None, :] / 2 * h[:, None]).ravel()
    ph = phi(t)
    ty = np.outer(y, t)
    integrand = (ph.imag[None, :] * np.cos(ty) - ph.real[None, :] * np.sin(ty)) / t[None, :]
    return (1.0 - mass) + mass / 2.0 - (integrand @ wt) / math.pi


@validate(y=Array(ndim=1, numpy=True), widths=_WIDTHS, c_w=Real(0, None, closed="neither"))
def relu_norm_log_cdf(y: np.ndarray, widths: np.ndarray, c_w: float) -> np.ndarray:
    r"""$\mathbb P(\log(\|a^L\|^2/\|x\|^2)\le y)$ for each entry of ``y`` (shape ``(k,)``), by
    Gil-Pelaez inversion (Theorem `thm-init-exact-law`); the atom $\|a^L\| = 0$ (probability
    $1 - \prod_l(1 - 2^{-n_l})$) counts at $-\infty$. Quadrature: $40\times20$ Gauss–Legendre
    nodes on $[0, T]$, with $T$ such that the characteristic function is below $10^{-14}$ on
    $[T/2, T]$ (it decays like $e^{-\pi t/2}$ per factor, faster for many degrees of freedom)."""
    w = _widths(widths)
    factors = []
    for l in range(1, len(w)):
        b = np.arange(1, w[l] + 1)
        factors.append((c_w / w[l - 1], b, stats.binom.pmf(b, w[l], 0.5)))
    return _log_product_cdf(y.astype(np.float64), factors)


@validate(
    y=Array(ndim=1, numpy=True), n=Integer(1), L=Integer(1), c_w=Real(0, None, closed="neither")
)
def linear_norm_log_cdf(y: np.ndarray, n: int, L: int, c_w: float) -> np.ndarray:
    r"""$\mathbb P(\log(\|J u\|^2/\|u\|^2)\le y)$ for the Jacobian $J = W^L\cdots W^1$ of a linear
    network of width $n$ with $W^l_{jk}\sim N(0, c_w/n)$: the law of
    $\prod_{l=1}^L(c_w/n)\chi^2_n$ (Proposition `prop-init-lyapunov`)."""
    f = (c_w / n, np.array([n]), np.array([1.0]))
    return _log_product_cdf(y.astype(np.float64), [f] * L)


@validate(widths=_WIDTHS, c_w=Real(0, None, closed="neither"))
def relu_norm_moments(widths: np.ndarray, c_w: float) -> tuple[float, float]:
    r"""$\bigl(\mathbb E X, \mathbb E X^2\bigr)$ for $X = \|a^L\|^2/\|x\|^2$ (Corollary
    `cor-init-fluctuations`): $\prod_l\frac{c_w n_l}{2n_{l-1}}$ and
    $\prod_l\frac{c_w^2(n_l^2 + 5n_l)}{4n_{l-1}^2}$."""
    w = _widths(widths)
    m1 = math.prod(c_w * w[l] / (2 * w[l - 1]) for l in range(1, len(w)))
    m2 = math.prod(c_w**2 * (w[l] ** 2 + 5 * w[l]) / (4 * w[l - 1] ** 2) for l in range(1, len(w)))
    return m1, m2


@validate(hidden=Array(ndim=1, dtype="integer", low=1, numpy=True, nonempty=False))
def fourth_moment_factor(hidden: np.ndarray) -> float:
    r"""$\prod_l(1 + 5/n_l)$ over the widths ``hidden`` $= (n_1, \dots, n_k)$ of ReLU layers:
    $\mathbb E\|a^k\|^4/(\mathbb E\|a^k\|^2)^2$ (Corollary `cor-init-fluctuations`) and
    $\mathbb E(z^{k+1}_j)^4/(3(\mathbb E(z^{k+1}_j)^2)^2)$ (Proposition
    `prop-init-fourth-moment`); $1$ for no layers."""
    return math.prod(1.0 + 5.0 / int(n) for n in hidden)
