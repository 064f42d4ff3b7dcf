r"""Functions of sets: power sums and Newton's identities (Theorem
`thm-sym-sum-decomposition`).

An invariant function of $x\in\mathbb R^n$ is a function of the multiset $\{x_1, \dots, x_n\}$;
the embedding $\Phi(x) = \sum_i\phi(x_i)$ with $\phi(t) = (t, t^2, \dots, t^n)$ (the power sums)
determines the multiset, through the elementary symmetric polynomials (Newton's identities) and
the roots of $\prod_i(t - x_i)$.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from .._validation import Array, Integer, validate

__all__ = ["power_sums", "newton_elementary"]


@validate(X=Array(shape=("m", "n"), dtype="real", numpy=True), degree=Integer(1, 64))
def power_sums(X: Any, degree: int) -> np.ndarray:
    r"""$p_r(x) = \sum_{i=1}^nx_i^r$ for $r = 1, \dots,$ ``degree``, set by set: ``X`` of shape
    ``(m, n)``, returns shape ``(m, degree)``. Integer input gives exact Python integers
    (``dtype=object``); floating input, floats of the same dtype."""
    if X.dtype.kind in "iu":
        Xo = X.astype(object)
        return np.stack([np.sum(Xo**r, axis=1) for r in range(1, degree + 1)], axis=1)
    return np.stack([np.sum(X**r, axis=1) for r in range(1, degree + 1)], axis=1)


@validate(p=Array(ndim=1, dtype="integer", numpy=True))
def newton_elementary(p: Any) -> tuple[Fraction, ...]:
    r"""The elementary symmetric polynomials $e_1, \dots, e_d$ from the power sums
    $p_1, \dots, p_d$ (``p`` of shape ``(d,)``, integers), by Newton's identities
    $ke_k = \sum_{r=1}^k(-1)^{r-1}e_{k-r}p_r$, $e_0 = 1$, in exact rational arithmetic."""
    ps = [int(v) for v in p]
    e = [Fraction(1)]
    for k in range(1, len(ps) + 1):
        e.append(sum((-1) ** (r - 1) * e[k - r] * ps[r - 1] for r in range(1, k + 1)) / k)
    return tuple(e[1:])
