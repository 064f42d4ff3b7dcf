r"""Data distributions with a known Bayes predictor (Section "Bayes predictors").

* :class:`RegressionModel`: $X\sim\mathrm{Uniform}[a, b]$ and $Y = f^*(X) + s(X)\,\varepsilon$ with
  $\varepsilon\sim N(0, 1)$ independent of $X$. Then $\mathbb E[Y\mid X = x] = f^*(x)$ (the regression
  function) and $\operatorname{Var}(Y\mid X = x) = s(x)^2$ (the noise).
* :class:`GaussianMixture`: $\mathbb P(Y = k) = \pi_k$ and $X\mid Y = k\sim N(\mu_k, s_k^2)$ on
  $\mathcal X = \mathbb R$, $\mathcal Y = \{0, \dots, K-1\}$; the posterior
  $\eta_k(x) = \mathbb P(Y = k\mid X = x)$ and the Bayes classifier $\operatorname{argmax}_k\eta_k(x)$ are
  explicit.

Samplers take an explicit ``rng`` (a :class:`numpy.random.Generator`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import (
    Array,
    Function,
    Generator,
    Instance,
    Integer,
    Options,
    Real,
    check,
    fail,
    received,
    validate,
)

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

#: The float dtypes that may be asked for: a NumPy scalar type, a ``numpy.dtype`` or a name.
DTYPES = Options(
    np.float32, np.float64, np.dtype("float32"), np.dtype("float64"), "float32", "float64"
)


def _check_size(size: Any) -> tuple[int, ...]:
    """A batch shape: a tuple of positive integers (possibly empty)."""
    if not all(
        isinstance(k, (int, np.integer)) and not isinstance(k, bool) and k >= 1 for k in size
    ):
        fail("size", "be a tuple of positive integers", repr(size))
    return tuple(int(k) for k in size)


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

    __deepqed_constraints__ = {
        "f_star": Function(),
        "noise_sd": Function(),
        "low": Real(),
        "high": Real(),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))
        if not self.low < self.high:
            fail("high", f"be greater than low = {self.low!r}", received(self.high))

    @property
    def domain(self) -> tuple[float, float]:
        return (float(self.low), float(self.high))


def _sine(x: np.ndarray) -> np.ndarray:
    return np.sin(np.pi * x)


@dataclass(frozen=True)
class _Constant:
    value: float

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return np.full(np.shape(x), self.value, dtype=np.result_type(x, np.float32))


@validate(sigma=Real(0, None))
def sine_model(sigma: float = 0.3) -> RegressionModel:
    r"""The running example: $f^*(x) = \sin(\pi x)$ on $[-1, 1]$, constant noise standard deviation
    $\sigma\ge 0$."""
    return RegressionModel(f_star=_sine, noise_sd=_Constant(sigma))


@validate(model=Instance(RegressionModel), x=Array(numpy=True))
def noise_variance(model: RegressionModel, x: Any) -> np.ndarray:
    r"""$\operatorname{Var}(Y\mid X = x) = s(x)^2$, entrywise, shape of ``x``."""
    s = np.asarray(model.noise_sd(x))
    return s * s


@validate(
    model=Instance(RegressionModel),
    n=Integer(1),
    rng=Generator(),
    size=Instance(tuple, "a tuple of positive integers"),
    dtype=DTYPES,
)
def sample_regression(
    model: RegressionModel,
    n: int,
    *,
    rng: np.random.Generator,
    size: tuple[int, ...] = (),
    dtype: Any = np.float64,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Draw $(x_i, y_i)$, $i\in[n]$, i.i.d. from the model, ``size`` independent times.

    Arguments:
        model: the data distribution.
        n: the sample size, $n\ge 1$.
        rng: the source of randomness.
        size: a batch shape (a tuple of positive integers).
        dtype: ``numpy.float32`` or ``numpy.float64`` (or their names).

    Returns:
        ``(x, y)``, each of shape ``(*size, n)`` and dtype ``dtype`` (for ``size = (R,)``: $R$
        independent training samples $S_1, \dots, S_R$ of size $n$, one per row).
    """
    shape = (*_check_size(size), n)
    x = rng.uniform(model.low, model.high, size=shape)
    eps = rng.standard_normal(shape)
    y = np.asarray(model.f_star(x)) + np.asarray(model.noise_sd(x)) * eps
    return x.astype(dtype), y.astype(dtype)


@dataclass(frozen=True)
class GaussianMixture:
    r"""$\mathbb P(Y = k) = \pi_k$, $X\mid Y = k\sim N(\mu_k, s_k^2)$ on $\mathbb R$,
    $k = 0, \dots, K-1$.

    Attributes:
        priors: $(\pi_0, \dots, \pi_{K-1})$, positive, summing to 1 (to within $10^{-12}$).
        means: $(\mu_0, \dots, \mu_{K-1})$, finite.
        sds: $(s_0, \dots, s_{K-1})$, positive and finite.
    """

    priors: tuple[float, ...]
    means: tuple[float, ...]
    sds: tuple[float, ...]

    __deepqed_constraints__ = {
        "priors": Instance(tuple, "a tuple of K positive reals summing to 1"),
        "means": Instance(tuple, "a tuple of K reals"),
        "sds": Instance(tuple, "a tuple of K positive reals"),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))
        K = len(self.priors)
        for name in ("priors", "means", "sds"):
            value = getattr(self, name)
            if len(value) != K or K < 1:
                fail(name, f"have the length K = {K} of 'priors' (K >= 1)", f"length {len(value)}")
            low = None if name == "means" else 0.0
            for v in value:
                Real(low, None, closed="neither").check(name, v, None)  # type: ignore[arg-type]
        if abs(math.fsum(self.priors) - 1) > 1e-12:
            fail("priors", "sum to 1", f"a sum of {math.fsum(self.priors)!r}")

    @property
    def K(self) -> int:
        return len(self.priors)


@validate(
    mixture=Instance(GaussianMixture),
    n=Integer(1),
    rng=Generator(),
    size=Instance(tuple, "a tuple of positive integers"),
)
def sample_mixture(
    mixture: GaussianMixture, n: int, *, rng: np.random.Generator, size: tuple[int, ...] = ()
) -> tuple[np.ndarray, np.ndarray]:
    r"""Draw $(x_i, y_i)$ i.i.d.: $y_i\sim\pi$, then $x_i\sim N(\mu_{y_i}, s_{y_i}^2)$.

    Returns:
        ``(x, y)`` of shape ``(*size, n)``; ``x`` float64, ``y`` int64 labels in $\{0,\dots,K-1\}$.
    """
    shape = (*_check_size(size), n)
    y = rng.choice(mixture.K, size=shape, p=np.asarray(mixture.priors))
    mu, s = np.asarray(mixture.means), np.asarray(mixture.sds)
    x = mu[y] + s[y] * rng.standard_normal(shape)
    return x, y.astype(np.int64)


_INPUTS = validate(mixture=Instance(GaussianMixture), x=Array(ndim=1, numpy=True))


def _class_log_joint(mixture: GaussianMixture, x: np.ndarray) -> np.ndarray:
    dt = x.dtype
    pi = np.asarray(mixture.priors, dtype=dt)
    mu = np.asarray(mixture.means, dtype=dt)
    s = np.asarray(mixture.sds, dtype=dt)
    t = (x[:, None] - mu) / s
    return np.log(pi) - np.log(s) - dt.type(0.5 * math.log(2 * math.pi)) - 0.5 * t * t


@_INPUTS
def class_log_joint(mixture: GaussianMixture, x: Any) -> np.ndarray:
    r"""$\log\bigl(\pi_k\,\varphi((x - \mu_k)/s_k)/s_k\bigr)$, the log of the joint density of
    $(X, Y)$ at $(x, k)$.

    Arguments:
        mixture: the data distribution.
        x: inputs, shape ``(n,)``, float32 or float64.

    Returns:
        shape ``(n, K)``, dtype of ``x``.
    """
    return _class_log_joint(mixture, x)


@_INPUTS
def posterior(mixture: GaussianMixture, x: Any) -> np.ndarray:
    r"""$\eta_k(x) = \mathbb P(Y = k\mid X = x) = \operatorname{softmax}_k(\log\pi_j p_j(x))_j$
    (Bayes' rule), computed with the max shift; shape ``(n, K)``, dtype of ``x``.

    Arguments:
        mixture: the data distribution.
        x: inputs, shape ``(n,)``, float32 or float64.
    """
    G = _class_log_joint(mixture, x)
    G = G - np.max(G, axis=1, keepdims=True)
    E = np.exp(G)
    return E / np.sum(E, axis=1, keepdims=True)


@_INPUTS
def bayes_classifier(mixture: GaussianMixture, x: Any) -> np.ndarray:
    r"""$f^*(x) = \min\operatorname{argmax}_k\eta_k(x) = \min\operatorname{argmax}_k\pi_k p_k(x)$,
    the smallest maximising $k$ on ties (Theorem `thm-learn-bayes-classifier`), by comparing
    $\log\pi_k + \log p_k(x)$ (no density underflows).

    Arguments:
        mixture: the data distribution.
        x: inputs, shape ``(n,)``, float32 or float64.

    Returns:
        int64 labels, shape ``(n,)``.
    """
    return np.argmax(_class_log_joint(mixture, x), axis=1).astype(np.int64)
