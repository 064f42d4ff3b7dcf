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

from .._validation import Array, check, fail, validate

__all__ = ["BiasVariance", "bias_variance_decomposition"]

_POINTS = Array(shape=("n_test",), numpy=True)


@dataclass(frozen=True)
class BiasVariance:
    r"""Pointwise estimates at the test points, each of shape ``(n_test,)``, one dtype.

    Attributes:
        bias2: $\widehat{\mathrm{bias}^2}(x_j)$.
        variance: $\widehat{\mathrm{var}}(x_j)$.
        noise: $v(x_j) = \operatorname{Var}(Y\mid X = x_j)$ (as given).
    """

    bias2: np.ndarray
    variance: np.ndarray
    noise: np.ndarray

    __deepqed_constraints__ = {"bias2": _POINTS, "variance": _POINTS, "noise": _POINTS}

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))

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


@validate(F=Array(shape=("R", "n_test"), numpy=True), f_star=_POINTS, noise=_POINTS)
def bias_variance_decomposition(F: Any, f_star: Any, noise: Any) -> BiasVariance:
    r"""Unbiased Monte Carlo estimates of $\mathrm{bias}^2$ and $\mathrm{var}$ at each test point.

    The variance is computed from the deviations $F_{rj} - \bar F_j$ (two passes), never as
    $\overline{F^2} - \bar F^2$, which cancels catastrophically when the predictions share a large
    offset.

    Arguments:
        F: predictions $F_{rj} = f_{S_r}(x_j)$, shape ``(R, n_test)``, $R\ge 2$.
        f_star: $f^*(x_j)$, shape ``(n_test,)``, the dtype of ``F``.
        noise: the noise $v(x_j) = \operatorname{Var}(Y\mid X = x_j)\ge 0$, shape ``(n_test,)``,
            the dtype of ``F``.

    Returns:
        :class:`BiasVariance` with arrays of shape ``(n_test,)`` in the dtype of ``F``.
    """
    R = F.shape[0]
    if R < 2:
        fail("F", "have R >= 2 rows (training samples) to estimate a variance", f"shape {F.shape}")
    if np.any(noise < 0):
        fail("noise", "be >= 0 (a conditional variance)", f"a minimum of {noise.min()!r}")
    f_bar = np.mean(F, axis=0)
    variance = np.sum((F - f_bar) ** 2, axis=0) / (R - 1)
    bias2 = (f_bar - f_star) ** 2 - variance / R
    dt = F.dtype
    return BiasVariance(bias2.astype(dt), variance.astype(dt), noise.astype(dt))
