r"""The uniform deviation bound for a finite hypothesis class (Theorem `thm-learn-finite-class`,
Corollary `cor-learn-finite-erm`).

For a loss with values in $[0, 1]$, a class of $M$ predictors and $n$ i.i.d. samples,
$\Pr\bigl(\max_{f\in\mathcal F}|\hat{\mathcal R}_S(f) - \mathcal R(f)|\ge\varepsilon\bigr)\le 2M e^{-2n\varepsilon^2}$;
equivalently, with probability at least $1 - \delta$ the maximal deviation is at most
$\varepsilon(n, M, \delta) = \sqrt{\log(2M/\delta)/(2n)}$.
"""

from __future__ import annotations

import math

__all__ = ["uniform_deviation_bound", "finite_class_sample_size"]


def _check(n_or_eps: float, M: int, delta: float) -> None:
    if not isinstance(M, int) or M < 1:
        raise ValueError(f"argument 'M' (class size) must be a positive integer, got {M!r}")
    if not 0 < delta < 1:
        raise ValueError(f"argument 'delta' must lie in (0, 1), got {delta}")


def uniform_deviation_bound(n: int, M: int, delta: float) -> float:
    r"""$\varepsilon = \sqrt{\log(2M/\delta)/(2n)}$: with probability $\ge 1 - \delta$,
    $\max_{f\in\mathcal F}|\hat{\mathcal R}_S(f) - \mathcal R(f)| < \varepsilon$ (Theorem
    `thm-learn-finite-class`)."""
    _check(n, M, delta)
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"argument 'n' must be a positive integer, got {n!r}")
    return math.sqrt(math.log(2 * M / delta) / (2 * n))


def finite_class_sample_size(epsilon: float, M: int, delta: float) -> int:
    r"""The least $n$ with $2Me^{-2n\varepsilon^2}\le\delta$:
    $n = \lceil\log(2M/\delta)/(2\varepsilon^2)\rceil$ (Corollary `cor-learn-finite-erm`)."""
    _check(epsilon, M, delta)
    if not epsilon > 0:
        raise ValueError(f"argument 'epsilon' must be > 0, got {epsilon}")
    n = math.ceil(math.log(2 * M / delta) / (2 * epsilon * epsilon))
    # guard against rounding in the last digit: the defining inequality must hold at n
    while 2 * M * math.exp(-2 * n * epsilon * epsilon) > delta:
        n += 1
    return max(n, 1)
