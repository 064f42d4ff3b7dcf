"""Helpers shared by the witnesses of the chapter *Generalisation*: the tools of the chapter
*Approximation*'s witnesses (rounding constants, normal intervals of level 1 - 1e-6), and exact
order-statistic bounds for quantiles."""

from __future__ import annotations

import numpy as np
from scipy import stats

from ..approximation._common import (
    LEVEL,
    Z_LEVEL,
    Evidence,
    equal,
    error,
    gamma,
    interval,
    lower,
    mean_interval,
    rate,
    single_threaded,
    upper,
)

__all__ = [
    "LEVEL",
    "Z_LEVEL",
    "Evidence",
    "equal",
    "error",
    "gamma",
    "interval",
    "lower",
    "mean_interval",
    "rate",
    "single_threaded",
    "upper",
    "quantile_upper",
    "noisy_thresholds",
    "threshold_sup_deviation",
]


def quantile_upper(samples: np.ndarray, q: float, alpha: float = 1e-6) -> float:
    r"""An upper confidence bound of level $1 - \alpha$ for the $q$-quantile $\xi_q$ of the law of
    independent ``samples``: the order statistic $X_{(j)}$ with $j$ the least index such that
    $\Pr(\mathrm{Bin}(T, q)\le j - 1)\ge1 - \alpha$. Exact for any law: $X_{(j)} < \xi_q$ requires $j$
    samples below $\xi_q$, each with probability at most $q$."""
    x = np.sort(np.asarray(samples, dtype=np.float64))
    T = x.size
    j = int(stats.binom.ppf(1 - alpha, T, q)) + 1
    return float(x[min(j, T) - 1]) if j <= T else float("inf")


def noisy_thresholds(
    rng: np.random.Generator, shape: tuple[int, ...], theta_star: float, eta: float
) -> tuple[np.ndarray, np.ndarray]:
    r"""Samples of $X\sim U[0, 1]$ and $Y = \mathbf 1\{X > \theta^*\}$ flipped with probability
    $\eta$; the risk of $h_\theta = \mathbf 1\{\cdot > \theta\}$ is $\eta + (1 - 2\eta)\lvert\theta -
    \theta^*\rvert$."""
    X = rng.uniform(0, 1, shape)
    Y = (X > theta_star).astype(np.int64) ^ (rng.uniform(0, 1, shape) < eta)
    return X, Y


def threshold_sup_deviation(
    X: np.ndarray, Y: np.ndarray, theta_star: float, eta: float
) -> np.ndarray:
    r"""$\sup_{\theta\in[0, 1]}(\mathcal R(h_\theta) - \hat{\mathcal R}_S(h_\theta))$ for each row of
    samples, exactly: $\hat{\mathcal R}_S$ is constant on $[x_{(k)}, x_{(k+1)})$, $\mathcal R$ is
    piecewise linear with one kink at $\theta^*$, so the supremum over each such interval is at one
    of its ends or at $\theta^*$."""
    order = np.argsort(X, axis=-1)
    xs = np.take_along_axis(X, order, -1)
    ys = np.take_along_axis(Y, order, -1)
    T, n = X.shape
    ones_before = np.concatenate([np.zeros((T, 1)), np.cumsum(ys, axis=1)], axis=1)  # k = 0..n
    zeros_after = (n - np.arange(n + 1))[None, :] - (ones_before[:, -1:] - ones_before)
    emp = (ones_before + zeros_after) / n  # empirical risk on [x_(k), x_(k+1)), (T, n + 1)
    left = np.concatenate([np.zeros((T, 1)), xs], axis=1)
    right = np.concatenate([xs, np.ones((T, 1))], axis=1)

    def risk(t):
        return eta + (1 - 2 * eta) * np.abs(t - theta_star)

    best = np.maximum(risk(left), risk(right))
    inside = (left <= theta_star) & (theta_star <= right)
    best = np.where(inside, np.maximum(best, risk(theta_star)), best)
    return np.max(best - emp, axis=1)
