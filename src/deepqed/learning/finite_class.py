r"""The uniform deviation bound for a finite hypothesis class (Theorem `thm-learn-finite-class`,
Corollary `cor-learn-finite-erm`).

For a loss with values in $[0, 1]$, a class of $M$ predictors and $n$ i.i.d. samples,
$\mathbb P\bigl(\max_{f\in\mathcal F}|\hat{\mathcal R}_S(f) - \mathcal R(f)|\ge\varepsilon\bigr)\le 2M e^{-2n\varepsilon^2}$;
equivalently, with probability at least $1 - \delta$ the maximal deviation is at most
$\varepsilon(n, M, \delta) = \sqrt{\log(2M/\delta)/(2n)}$.
"""

from __future__ import annotations

import math

from .._validation import Integer, Real, validate

__all__ = ["uniform_deviation_bound", "finite_class_sample_size"]


@validate(n=Integer(1), M=Integer(1), delta=Real(0, 1, closed="neither"))
def uniform_deviation_bound(n: int, M: int, delta: float) -> float:
    r"""$\varepsilon(n, M, \delta) = \sqrt{\log(2M/\delta)/(2n)}$: with probability
    $\ge 1 - \delta$, $\max_{f\in\mathcal F}|\hat{\mathcal R}_S(f) - \mathcal R(f)| < \varepsilon$
    (Theorem `thm-learn-finite-class`).

    Arguments:
        n: the sample size; M: the size of the class; delta: $0 < \delta < 1$.
    """
    return math.sqrt(math.log(2 * M / delta) / (2 * n))


@validate(epsilon=Real(0, None, closed="neither"), M=Integer(1), delta=Real(0, 1, closed="neither"))
def finite_class_sample_size(epsilon: float, M: int, delta: float) -> int:
    r"""The least $n$ with $2Me^{-2n\varepsilon^2}\le\delta$:
    $n = \lceil\log(2M/\delta)/(2\varepsilon^2)\rceil$ (Corollary `cor-learn-finite-erm`).

    Arguments:
        epsilon: the uniform deviation, $\varepsilon > 0$; M: the size of the class;
        delta: $0 < \delta < 1$.
    """

    def fails(n: int) -> bool:  # the defining inequality does not hold at n
        return 2 * M * math.exp(-2 * n * epsilon * epsilon) > delta

    n = max(1, math.ceil(math.log(2 * M / delta) / (2 * epsilon * epsilon)))
    # the closed form can be off by one where the quotient lies within rounding of an integer
    while n > 1 and not fails(n - 1):
        n -= 1
    while fails(n):
        n += 1
    return n
