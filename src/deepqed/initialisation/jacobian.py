r"""Input–output Jacobians of deep linear networks: moments, Fuss–Catalan numbers, Lyapunov
exponents.

Section "Dynamical isometry" of the chapter *Initialisation and signal propagation*. For a linear
network of width $n$ and depth $L$ with $W^l_{jk}\sim N(0, c_w/n)$, $J = W^L\cdots W^1$ and
$M = J^\top J$; Theorem `thm-init-gaussian-jacobian` gives the exact moments of the spectrum of
$M$ at finite $n$, Proposition `prop-init-lyapunov` the law of $\|Ju\|$.
"""

from __future__ import annotations

import math

from scipy.special import digamma

from .._validation import Integer, Real, validate

__all__ = ["gaussian_jacobian_moments", "fuss_catalan", "lyapunov_exponent"]


@validate(n=Integer(1), L=Integer(0), c_w=Real(0, None, closed="neither"))
def gaussian_jacobian_moments(n: int, L: int, c_w: float = 1.0) -> tuple[float, float, float]:
    r"""$\bigl(\mathbb E\frac1n\operatorname{tr}M,\ \mathbb E\frac1n\operatorname{tr}M^2,\
    \mathbb E\|Ju\|^4\bigr)$ for a unit vector $u$ (Theorem `thm-init-gaussian-jacobian`):

    $$c_w^L,\qquad c_w^{2L}\,\frac{(n + 2)(1 + 2/n)^L - (n - 1)(1 - 1/n)^L}3,\qquad
    c_w^{2L}(1 + 2/n)^L .$$"""
    first = c_w**L
    second = c_w ** (2 * L) * ((n + 2) * (1 + 2 / n) ** L - (n - 1) * (1 - 1 / n) ** L) / 3
    return first, second, c_w ** (2 * L) * (1 + 2 / n) ** L


@validate(L=Integer(0), k=Integer(0))
def fuss_catalan(L: int, k: int) -> int:
    r"""The Fuss–Catalan number $\frac1{Lk + 1}\binom{(L + 1)k}k$: the limit of
    $\mathbb E\frac1n\operatorname{tr}M^k$ as $n\to\infty$ for $c_w = 1$ (for $k = 2$: $L + 1$)."""
    return math.comb((L + 1) * k, k) // (L * k + 1)


@validate(n=Integer(1), c_w=Real(0, None, closed="neither"))
def lyapunov_exponent(n: int, c_w: float = 1.0) -> float:
    r"""$\lambda = \frac12\bigl(\log c_w + \psi(n/2) - \log(n/2)\bigr)$, the almost sure limit of
    $\frac1L\log\|W^L\cdots W^1u\|$ (Proposition `prop-init-lyapunov`; $\psi$ the digamma
    function). It is below $\frac12\log c_w$, the exponent of $(\mathbb E\|Ju\|^2)^{1/2}$."""
    return 0.5 * (math.log(c_w) + float(digamma(n / 2)) - math.log(n / 2))
