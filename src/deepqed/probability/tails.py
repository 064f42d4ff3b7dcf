r"""Monte Carlo tail frequencies with exact (Clopper–Pearson) confidence bounds.

Used to test tail bounds such as Hoeffding's (book/preliminaries): if ``k`` of ``N`` independent
trials exceed the threshold, the Clopper–Pearson interval contains the true tail probability with
probability at least ``1 - alpha``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats

from .._validation import Array, Integer, Real, fail, validate

__all__ = ["tail_frequency", "clopper_pearson"]


@validate(
    means=Array(ndim=1, numpy=True),
    mu=Real(),
    t=Array(ndim=1, numpy=True, same_dtype=False),
)
def tail_frequency(means: Any, mu: float, t: Any) -> tuple[np.ndarray, int]:
    r"""Counts :math:`k(t) = \#\{j : \bar X^{(j)} - \mu\ge t\}` over the simulated means.

    Arguments:
        means: shape (N,), the sample means of N independent trials, float32 or float64.
        mu: the true mean.
        t: shape (T,), thresholds, float32 or float64.

    Returns:
        ``(k, N)``: counts of shape (T,) (int64) and the number of trials.
    """
    dev = np.sort(means.astype(np.float64) - mu)
    k = dev.size - np.searchsorted(dev, t.astype(np.float64), side="left")
    return k.astype(np.int64), int(dev.size)


@validate(
    k=Array(ndim=1, dtype="integer", low=0, numpy=True),
    N=Integer(1),
    alpha=Real(0, 1, closed="neither"),
)
def clopper_pearson(k: Any, N: int, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    r"""Two-sided exact :math:`1-\alpha` confidence interval for a binomial proportion from
    ``k`` successes in ``N`` trials: :math:`[B(\alpha/2; k, N-k+1),\ B(1-\alpha/2; k+1, N-k)]`
    with :math:`B(\cdot; a, b)` the Beta quantile (0 and 1 at the ends).

    Arguments:
        k: shape (T,), integer counts with :math:`0\le k\le N`.
        N: the number of trials.
        alpha: :math:`0 < \alpha < 1`.

    Returns:
        ``(lower, upper)``, float64 arrays of shape (T,).
    """
    if np.any(k > N):
        fail("k", f"have entries <= N = {N}", f"a maximum of {int(k.max())}")
    lower = np.where(k == 0, 0.0, stats.beta.ppf(alpha / 2, np.maximum(k, 1), N - k + 1))
    upper = np.where(k == N, 1.0, stats.beta.ppf(1 - alpha / 2, k + 1, np.maximum(N - k, 1)))
    return lower, upper
