r"""Data distributions with a known Bayes predictor (Section "Bayes predictors").

* :class:`RegressionModel`: $X\sim\mathrm{Uniform}[a, b]$ and $Y = f^*(X) + s(X)\,\varepsilon$ with
  $\varepsilon\sim N(0, 1)$ independent of $X$. Then $\mathbb E[Y\mid X = x] = f^*(x)$ (the regression
  function) and $\operatorname{Var}(Y\mid X = x) = s(x)^2$ (the noise).
* :class:`GaussianMixture`: $\Pr(Y = k) = \pi_k$ and $X\mid Y = k\sim N(\mu_k, s_k^2)$ on
  $\mathcal X = \mathbb R$, $\mathcal Y = \{0, \dots, K-1\}$; the posterior
  $\eta_k(x) = \Pr(Y = k\mid X = x)$ and the Bayes classifier $\operatorname{argmax}_k\eta_k(x)$ are
  explicit.

Samplers take an explicit ``rng`` (a :class:`numpy.random.Generator`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import check_array

__all__ = [
    "RegressionModel",
    "sine_model",
    "sample_regression",
    "noise_variance",
    "GaussianMixture",
    "sample_mixture",
    "class_log_joint",
    "posterior",
    "bayes_classifier",
]


@dataclass(frozen=True)
class RegressionModel:
    r"""$X\sim\mathrm{Uniform}[\mathrm{low}, \mathrm{high}]$, $Y = f^*(X) + s(X)\varepsilon$,
    $\varepsilon\sim N(0, 1)$ independent of $X$.

    Attributes:
        f_star: the regression function $f^*$, a vectorised map of arrays to arrays of the same
            shape.
        noise_sd: $s$, vectorised like ``f_star``, with values $\ge 0$.
        low, high: the interval $[a, b]$, $a < b$.
    """

    f_star: Callable[[np.ndarray], np.ndarray]
    noise_sd: Callable[[np.ndarray], np.ndarray]
    low: float = -1.0
    high: float = 1.0

    def __post_init__(self) -> None:
        if not (math.isfinite(self.low) and math.isfinite(self.high) and self.low < self.high):
            raise ValueError(f"need finite low < high, got low={self.low}, high={self.high}")

    @property
    def domain(self) -> tuple[float, float]:
        return (self.low, self.high)


def _sine(x: np.ndarray) -> np.ndarray:
    return np.sin(np.pi * x)


@dataclass(frozen=True)
class _Constant:
    value: float

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return np.full(np.shape(x), self.value, dtype=np.result_type(x, np.float32))


def sine_model(sigma: float = 0.3) -> RegressionModel:
    r"""The running example: $f^*(x) = \sin(\pi x)$ on $[-1, 1]$, constant noise standard deviation
    $\sigma$."""
    if not (math.isfinite(sigma) and sigma >= 0):
        raise ValueError(f"argument 'sigma' must be finite and >= 0, got {sigma}")
    return RegressionModel(f_star=_sine, noise_sd=_Constant(float(sigma)))


def noise_variance(model: RegressionModel, x: Any) -> np.ndarray:
    r"""$\operatorname{Var}(Y\mid X = x) = s(x)^2$, entrywise, shape of ``x``."""
    check_array("x", x)
    s = np.asarray(model.noise_sd(x))
    return s * s


def sample_regression(
    model: RegressionModel,
    n: int,
    *,
    rng: np.random.Generator,
    size: tuple[int, ...] = (),
    dtype: Any = np.float64,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Draw $(x_i, y_i)$, $i\in[n]$, i.i.d. from the model, ``size`` independent times.

    Returns:
        ``(x, y)``, each of shape ``(*size, n)`` and dtype ``dtype`` (for ``size = (R,)``: $R$
        independent training samples $S_1, \dots, S_R$ of size $n$, one per row).
    """
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"argument 'n' must be a positive integer, got {n!r}")
    shape = (*size, int(n))
    x = rng.uniform(model.low, model.high, size=shape)
    eps = rng.standard_normal(shape)
    y = np.asarray(model.f_star(x)) + np.asarray(model.noise_sd(x)) * eps
    return x.astype(dtype), y.astype(dtype)


@dataclass(frozen=True)
class GaussianMixture:
    r"""$\Pr(Y = k) = \pi_k$, $X\mid Y = k\sim N(\mu_k, s_k^2)$ on $\mathbb R$, $k = 0, \dots, K-1$.

    Attributes:
        priors: $(\pi_0, \dots, \pi_{K-1})$, positive, summing to 1 (to within $10^{-12}$).
        means: $(\mu_0, \dots, \mu_{K-1})$.
        sds: $(s_0, \dots, s_{K-1})$, positive.
    """

    priors: tuple[float, ...]
    means: tuple[float, ...]
    sds: tuple[float, ...]

    def __post_init__(self) -> None:
        K = len(self.priors)
        if K < 1 or len(self.means) != K or len(self.sds) != K:
            raise ValueError(
                f"priors, means and sds must have the same length K >= 1, got "
                f"{len(self.priors)}, {len(self.means)}, {len(self.sds)}"
            )
        if any(not (p > 0) for p in self.priors) or abs(math.fsum(self.priors) - 1) > 1e-12:
            raise ValueError(f"priors must be positive and sum to 1, got {self.priors}")
        if any(not (s > 0 and math.isfinite(s)) for s in self.sds):
            raise ValueError(f"sds must be positive and finite, got {self.sds}")
        if any(not math.isfinite(m) for m in self.means):
            raise ValueError(f"means must be finite, got {self.means}")

    @property
    def K(self) -> int:
        return len(self.priors)


def sample_mixture(
    mixture: GaussianMixture, n: int, *, rng: np.random.Generator, size: tuple[int, ...] = ()
) -> tuple[np.ndarray, np.ndarray]:
    r"""Draw $(x_i, y_i)$ i.i.d.: $y_i\sim\pi$, then $x_i\sim N(\mu_{y_i}, s_{y_i}^2)$.

    Returns:
        ``(x, y)`` of shape ``(*size, n)``; ``x`` float64, ``y`` int64 labels in $\{0,\dots,K-1\}$.
    """
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"argument 'n' must be a positive integer, got {n!r}")
    shape = (*size, int(n))
    y = rng.choice(mixture.K, size=shape, p=np.asarray(mixture.priors))
    mu, s = np.asarray(mixture.means), np.asarray(mixture.sds)
    x = mu[y] + s[y] * rng.standard_normal(shape)
    return x, y.astype(np.int64)


def class_log_joint(mixture: GaussianMixture, x: Any) -> np.ndarray:
    r"""$\log\bigl(\pi_k\,\varphi((x - \mu_k)/s_k)/s_k\bigr)$, the log of the joint density of
    $(X, Y)$ at $(x, k)$.

    Arguments:
        x: inputs, shape ``(n,)``, float32 or float64.

    Returns:
        shape ``(n, K)``, dtype of ``x``.
    """
    check_array("x", x, ndim=1)
    dt = x.dtype
    pi = np.asarray(mixture.priors, dtype=dt)
    mu = np.asarray(mixture.means, dtype=dt)
    s = np.asarray(mixture.sds, dtype=dt)
    t = (x[:, None] - mu) / s
    return np.log(pi) - np.log(s) - dt.type(0.5 * math.log(2 * math.pi)) - 0.5 * t * t


def posterior(mixture: GaussianMixture, x: Any) -> np.ndarray:
    r"""$\eta_k(x) = \Pr(Y = k\mid X = x) = \operatorname{softmax}_k(\log\pi_j p_j(x))_j$ (Bayes'
    rule), computed with the max shift; shape ``(n, K)``, dtype of ``x``."""
    G = class_log_joint(mixture, x)
    G = G - np.max(G, axis=1, keepdims=True)
    E = np.exp(G)
    return E / np.sum(E, axis=1, keepdims=True)


def bayes_classifier(mixture: GaussianMixture, x: Any) -> np.ndarray:
    r"""$f^*(x) = \operatorname{argmax}_k\eta_k(x) = \operatorname{argmax}_k\pi_k p_k(x)$, the
    smallest maximising $k$ on ties (Theorem `thm-learn-bayes-classifier`).

    Arguments:
        x: inputs, shape ``(n,)``.

    Returns:
        int64 labels, shape ``(n,)``.
    """
    return np.argmax(class_log_joint(mixture, x), axis=1).astype(np.int64)
