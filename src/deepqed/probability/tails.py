r"""Monte Carlo tail frequencies with exact (Clopper–Pearson) confidence bounds.

Used to test tail bounds such as Hoeffding's (book/preliminaries): if ``k`` of ``N`` independent
trials exceed the threshold, the Clopper–Pearson interval contains the true tail probability with
probability at least ``1 - alpha``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats

from .._validation import check_array

__all__ = ["tail_frequency", "clopper_pearson"]


def tail_frequency(means: Any, mu: float, t: Any) -> tuple[np.ndarray, int]:
    r"""Counts :math:`k(t) = \#\{j : \bar X^{(j)} - \mu\ge t\}` over the simulated means.

    Arguments:
        means: shape (N,), the sample means of N independent trials, float32 or float64.
        mu: the true mean.
        t: shape (T,), thresholds.

    Returns:
        ``(k, N)``: counts of shape (T,) (int64) and the number of trials.
    """
    means = check_array("means", np.asarray(means, dtype=np.float64), ndim=1, nonempty=True)
    t = np.atleast_1d(np.asarray(t, dtype=np.float64))
    dev = np.sort(means - mu)
    k = dev.size - np.searchsorted(dev, t, side="left")
    return k.astype(np.int64), int(dev.size)


def clopper_pearson(k: Any, N: int, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    r"""Two-sided exact :math:`1-\alpha` confidence interval for a binomial proportion from
    ``k`` successes in ``N`` trials: :math:`[B(\alpha/2; k, N-k+1),\ B(1-\alpha/2; k+1, N-k)]`
    with :math:`B(\cdot; a, b)` the Beta quantile (0 and 1 at the ends).

    Returns:
        ``(lower, upper)``, arrays of the shape of ``k``.
    """
    k = np.asarray(k)
    if np.any(k < 0) or np.any(k > N) or N < 1:
        raise ValueError(f"need 0 <= k <= N and N >= 1, got k = {k!r}, N = {N!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"argument 'alpha' must lie in (0, 1), got {alpha!r}")
    lower = np.where(k == 0, 0.0, stats.beta.ppf(alpha / 2, np.maximum(k, 1), N - k + 1))
    upper = np.where(k == N, 1.0, stats.beta.ppf(1 - alpha / 2, k + 1, np.maximum(N - k, 1)))
    return lower, upper
