r"""Hoeffding's lemma and inequality (Lemma ``lem-hoeffding-mgf``, Theorem
``thm-hoeffding-inequality``, Corollary ``cor-hoeffding-sample-size``, book/preliminaries).

Each function returns the right-hand side of the book's bound as a Python float (the sample size
as an int); the arguments are scalars, so that each bound reads as its formula."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._validation import Array, Boolean, Integer, Real, fail, received, validate

__all__ = [
    "hoeffding_mgf_bound",
    "hoeffding_bound",
    "hoeffding_sum_bound",
    "hoeffding_sample_size",
]


def _width(a: float, b: float) -> float:
    """``b - a``, after checking ``a < b``."""
    if not a < b:
        fail("b", f"be greater than a = {a!r}", received(b))
    return b - a


def _exp(x: float) -> float:
    """``exp(x)``, ``inf`` where it overflows."""
    return math.exp(x) if x < 709.0 else math.inf


@validate(s=Real(), a=Real(), b=Real())
def hoeffding_mgf_bound(s: float, a: float, b: float) -> float:
    r"""Hoeffding's lemma: :math:`\mathbb E e^{s(X - \mathbb EX)}\le\exp\bigl(s^2(b-a)^2/8\bigr)`
    for :math:`a\le X\le b` a.s.; returns the right-hand side.

    Arguments:
        s: a real number.
        a, b: the range of :math:`X`, :math:`a < b`.
    """
    w = _width(a, b)
    return _exp(s * s * w * w / 8)


@validate(t=Real(0, None), n=Integer(1), a=Real(), b=Real(), two_sided=Boolean())
def hoeffding_bound(t: float, n: int, a: float, b: float, *, two_sided: bool = False) -> float:
    r"""Hoeffding's inequality for the mean :math:`\bar X_n` of independent
    :math:`X_1, \dots, X_n\in[a, b]`, :math:`\mu = \mathbb E\bar X_n`:
    :math:`\mathbb P(\bar X_n - \mu\ge t)\le\exp\bigl(-2nt^2/(b-a)^2\bigr)`, and twice that for
    :math:`\mathbb P(\lvert\bar X_n - \mu\rvert\ge t)` (``two_sided``); capped at 1.

    Arguments:
        t: the deviation, :math:`t\ge 0`.
        n: the number of variables, :math:`n\ge 1`.
        a, b: their common range, :math:`a < b`.
        two_sided: bound :math:`\mathbb P(\lvert\bar X_n - \mu\rvert\ge t)` instead.
    """
    w = _width(a, b)
    bound = (2.0 if two_sided else 1.0) * math.exp(-2 * n * t * t / (w * w))
    return min(bound, 1.0)


@validate(t=Real(0, None), widths=Array(ndim=1, numpy=True), two_sided=Boolean())
def hoeffding_sum_bound(t: float, widths: Any, *, two_sided: bool = False) -> float:
    r"""Hoeffding's inequality for the sum :math:`S_n` of independent :math:`X_i\in[a_i, b_i]`:
    :math:`\mathbb P(S_n - \mathbb ES_n\ge t)\le e^{-2t^2/D}` with
    :math:`D = \sum_i(b_i - a_i)^2`, and twice that for
    :math:`\mathbb P(\lvert S_n - \mathbb ES_n\rvert\ge t)` (``two_sided``); capped at 1.

    Arguments:
        t: the deviation, :math:`t\ge 0`.
        widths: :math:`(b_i - a_i)_{i\in[n]}`, shape (n,), positive, float32 or float64.
        two_sided: bound the two-sided tail instead.
    """
    if np.any(widths <= 0):
        fail("widths", "have positive entries (b_i - a_i > 0)", f"a minimum of {widths.min()!r}")
    D = math.fsum(np.square(widths.astype(np.float64)))
    bound = (2.0 if two_sided else 1.0) * math.exp(-2 * t * t / D)
    return min(bound, 1.0)


@validate(
    epsilon=Real(0, None, closed="neither"),
    delta=Real(0, 1, closed="neither"),
    a=Real(),
    b=Real(),
)
def hoeffding_sample_size(epsilon: float, delta: float, a: float, b: float) -> int:
    r"""The least :math:`n` with :math:`2\exp(-2n\varepsilon^2/(b-a)^2)\le\delta`:
    :math:`n = \lceil (b-a)^2\log(2/\delta)/(2\varepsilon^2)\rceil`; then
    :math:`\mathbb P(\lvert\bar X_n - \mu\rvert\ge\varepsilon)\le\delta` (Corollary
    ``cor-hoeffding-sample-size``).

    Arguments:
        epsilon: the accuracy, :math:`\varepsilon > 0`.
        delta: the failure probability, :math:`0 < \delta < 1`.
        a, b: the range of the variables, :math:`a < b`.
    """
    w = _width(a, b)

    def fails(n: int) -> bool:  # the defining inequality does not hold at n
        return 2 * math.exp(-2 * n * epsilon**2 / w**2) > delta

    n = max(1, math.ceil(w**2 * math.log(2 / delta) / (2 * epsilon**2)))
    # the closed form can be off by one where the quotient lies within rounding of an integer
    while n > 1 and not fails(n - 1):
        n -= 1
    while fails(n):
        n += 1
    return n
