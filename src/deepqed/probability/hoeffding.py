r"""Hoeffding's lemma and inequality (Lemma ``lem-hoeffding-mgf``, Theorem
``thm-hoeffding-inequality``, Corollary ``cor-hoeffding-sample-size``, book/preliminaries)."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["hoeffding_mgf_bound", "hoeffding_bound", "hoeffding_sample_size"]


def _check_range(a: float, b: float) -> None:
    if not (math.isfinite(a) and math.isfinite(b) and a < b):
        raise ValueError(f"arguments 'a', 'b' must be finite with a < b, got a = {a!r}, b = {b!r}")


def hoeffding_mgf_bound(s: float | np.ndarray, a: float, b: float) -> float | np.ndarray:
    r"""Hoeffding's lemma: :math:`E e^{s(X - EX)}\le\exp\bigl(s^2(b-a)^2/8\bigr)` for
    :math:`X\in[a, b]` a.s.; returns the right-hand side (``s`` a float or an array)."""
    _check_range(a, b)
    return np.exp(np.square(s) * (b - a) ** 2 / 8)


def hoeffding_bound(
    t: float | np.ndarray, n: int, a: float, b: float, *, two_sided: bool = False
) -> float | np.ndarray:
    r"""For independent :math:`X_1, \dots, X_n\in[a, b]` with mean :math:`\bar X_n` and
    :math:`\mu = E\bar X_n`: :math:`P(\bar X_n - \mu\ge t)\le\exp\bigl(-2nt^2/(b-a)^2\bigr)`,
    and twice that for :math:`P(\lvert\bar X_n - \mu\rvert\ge t)` (``two_sided``). ``t >= 0``
    (a float or an array); the bound is capped at 1."""
    _check_range(a, b)
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        raise ValueError(f"argument 'n' must be a positive integer, got {n!r}")
    t = np.asarray(t, dtype=np.float64)
    if np.any(t < 0) or not np.all(np.isfinite(t)):
        raise ValueError("argument 't' must be finite and >= 0")
    bound = (2.0 if two_sided else 1.0) * np.exp(-2 * int(n) * t**2 / (b - a) ** 2)
    bound = np.minimum(bound, 1.0)
    return float(bound) if bound.ndim == 0 else bound


def hoeffding_sample_size(epsilon: float, delta: float, a: float, b: float) -> int:
    r"""The least :math:`n` with :math:`2\exp(-2n\varepsilon^2/(b-a)^2)\le\delta`:
    :math:`n = \lceil (b-a)^2\log(2/\delta)/(2\varepsilon^2)\rceil`; then
    :math:`P(\lvert\bar X_n - \mu\rvert\ge\varepsilon)\le\delta` (Corollary
    ``cor-hoeffding-sample-size``). ``epsilon > 0``, ``0 < delta < 1``."""
    _check_range(a, b)
    if not epsilon > 0:
        raise ValueError(f"argument 'epsilon' must be positive, got {epsilon!r}")
    if not 0 < delta < 1:
        raise ValueError(f"argument 'delta' must lie in (0, 1), got {delta!r}")
    x = (b - a) ** 2 * math.log(2 / delta) / (2 * epsilon**2)
    n = max(1, math.ceil(x))
    # guard against rounding in ceil of a value within an ulp of an integer
    while n > 1 and 2 * math.exp(-2 * (n - 1) * epsilon**2 / (b - a) ** 2) <= delta:
        n -= 1
    while 2 * math.exp(-2 * n * epsilon**2 / (b - a) ** 2) > delta:
        n += 1
    return n
