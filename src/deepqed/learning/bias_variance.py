r"""Monte Carlo estimate of the bias–variance–noise decomposition (Theorem `thm-learn-bias-variance`,
Proposition `prop-learn-mc-unbiased`).

Given the predictions $F_{rj} = f_{S_r}(x_j)$ of an estimator fitted on $R\ge 2$ independent training
samples $S_1, \dots, S_R\sim\mathcal D^n$, at test points $x_1, \dots, x_{n_{\mathrm{test}}}$, with the regression
function $f^*(x_j)$ and the noise $\operatorname{Var}(Y\mid X = x_j)$ known:

$$
\bar F_j = \frac1R\sum_r F_{rj},\qquad
\widehat{\mathrm{var}}(x_j) = \frac1{R-1}\sum_r\bigl(F_{rj} - \bar F_j\bigr)^2,\qquad
\widehat{\mathrm{bias}^2}(x_j) = \bigl(\bar F_j - f^*(x_j)\bigr)^2 - \frac{\widehat{\mathrm{var}}(x_j)}R .
$$

Both estimates are unbiased; the bias estimate can be negative (by less than
$\widehat{\mathrm{var}}/R$). Their sum is $\frac1R\sum_r(F_{rj} - f^*(x_j))^2$.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import ShapeError, check_array

__all__ = ["BiasVariance", "bias_variance_decomposition"]


@dataclass(frozen=True)
class BiasVariance:
    r"""Pointwise estimates at the test points, each of shape ``(n_test,)``.

    Attributes:
        bias2: $\widehat{\mathrm{bias}^2}(x_j)$.
        variance: $\widehat{\mathrm{var}}(x_j)$.
        noise: $v(x_j) = \operatorname{Var}(Y\mid X = x_j)$ (as given).
    """

    bias2: np.ndarray
    variance: np.ndarray
    noise: np.ndarray

    @property
    def total(self) -> np.ndarray:
        r"""bias² + variance + noise at each test point, an estimate of
        $\mathbb E_S\,\mathbb E[(f_S(x_j) - Y)^2\mid X = x_j]$."""
        return self.bias2 + self.variance + self.noise

    def means(self) -> dict[str, float]:
        r"""The averages over the test points (for test points drawn i.i.d. from $\mathcal D_X$, unbiased
        estimates of $\mathbb E_X[\mathrm{bias}^2(X)]$, $\mathbb E_X[\mathrm{var}(X)]$,
        $\mathbb E_X[v(X)]$ and of $\mathbb E_S \mathcal R(f_S)$)."""
        return {
            "bias2": float(np.mean(self.bias2)),
            "variance": float(np.mean(self.variance)),
            "noise": float(np.mean(self.noise)),
            "total": float(np.mean(self.total)),
        }


def bias_variance_decomposition(F: Any, f_star: Any, noise: Any) -> BiasVariance:
    r"""Unbiased Monte Carlo estimates of $\mathrm{bias}^2$ and $\mathrm{var}$ at each test point.

    Arguments:
        F: predictions $F_{rj} = f_{S_r}(x_j)$, shape ``(R, n_test)``, $R\ge 2$.
        f_star: $f^*(x_j)$, shape ``(n_test,)``.
        noise: the noise $v(x_j) = \operatorname{Var}(Y\mid X = x_j)\ge 0$, shape ``(n_test,)``.

    Returns:
        :class:`BiasVariance` with arrays of shape ``(n_test,)`` in the dtype of ``F``.
    """
    check_array("F", F, ndim=2, nonempty=True)
    R, n_test = F.shape
    if R < 2:
        raise ShapeError(
            f"argument 'F' needs R >= 2 training samples (rows) to estimate a "
            f"variance, got shape {F.shape}"
        )
    check_array("f_star", f_star, shape=(n_test,))
    check_array("noise", noise, shape=(n_test,))
    if np.any(noise < 0):
        raise ValueError("argument 'noise' must be >= 0 (a conditional variance)")
    f_bar = np.mean(F, axis=0)
    variance = np.sum((F - f_bar) ** 2, axis=0) / (R - 1)
    bias2 = (f_bar - f_star) ** 2 - variance / R
    dt = F.dtype
    return BiasVariance(bias2.astype(dt), variance.astype(dt), np.asarray(noise).astype(dt))
