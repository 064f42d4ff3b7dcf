r"""The excess-risk decomposition (Definition `def-learn-excess`); for the squared loss, risks
under a :class:`~deepqed.learning.RegressionModel` by quadrature (Theorem
`thm-learn-regression-function`) and, for polynomials, the best-in-class predictor (Proposition
`prop-learn-excess-squared`).

For a hypothesis class $\mathcal F$, a predictor $\hat f$ returned by an algorithm, an empirical risk
minimiser $f_S\in\mathcal F$ and the Bayes risk $\mathcal R^*$:

$$
\mathcal R(\hat f) - \mathcal R^* = \underbrace{\mathcal R(\hat f) - \mathcal R(f_S)}_{\text{optimisation}}
 + \underbrace{\mathcal R(f_S) - \inf_{\mathcal F}\mathcal R}_{\text{estimation}}
 + \underbrace{\inf_{\mathcal F}\mathcal R - \mathcal R^*}_{\text{approximation}} .
$$
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .._validation import Function, Instance, Integer, Real, check, fail, validate
from .distributions import RegressionModel
from .estimators import DOMAIN, _legendre_features, check_domain

__all__ = ["ExcessRisk", "excess_risk_decomposition", "legendre_projection", "squared_risk"]


@dataclass(frozen=True)
class ExcessRisk:
    """The three terms of Definition `def-learn-excess`; ``total`` is their sum."""

    optimization: float
    estimation: float
    approximation: float

    __deepqed_constraints__ = {
        "optimization": Real(),
        "estimation": Real(0, None),
        "approximation": Real(0, None),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))

    @property
    def total(self) -> float:
        r"""$\mathcal R(\hat f) - \mathcal R^*$."""
        return self.optimization + self.estimation + self.approximation


@validate(
    risk_output=Real(0, None),
    risk_erm=Real(0, None),
    risk_best=Real(0, None),
    bayes_risk=Real(0, None),
)
def excess_risk_decomposition(
    risk_output: float, risk_erm: float, risk_best: float, bayes_risk: float
) -> ExcessRisk:
    r"""$(\mathcal R(\hat f) - \mathcal R(f_S),\ \mathcal R(f_S) - \inf_{\mathcal F}\mathcal R,\
    \inf_{\mathcal F}\mathcal R - \mathcal R^*)$ (Definition `def-learn-excess`).

    Arguments:
        risk_output: $\mathcal R(\hat f)$; risk_erm: $\mathcal R(f_S)$;
        risk_best: $\inf_{\mathcal F}\mathcal R$; bayes_risk: $\mathcal R^*$. All finite and
        $\ge 0$, with $\mathcal R^*\le\inf_{\mathcal F}\mathcal R\le\mathcal R(f_S)$ (Proposition
        `prop-learn-excess-signs`).

    Returns:
        :class:`ExcessRisk` (optimisation, estimation, approximation).
    """
    if risk_best < bayes_risk:
        fail(
            "risk_best",
            f"be >= bayes_risk = {bayes_risk!r} (the Bayes risk is the infimum over all "
            "predictors)",
            repr(risk_best),
        )
    if risk_erm < risk_best:
        fail(
            "risk_erm",
            f"be >= risk_best = {risk_best!r} (an empirical risk minimiser lies in the class)",
            repr(risk_erm),
        )
    return ExcessRisk(risk_output - risk_erm, risk_erm - risk_best, risk_best - bayes_risk)


@validate(model=Instance(RegressionModel), f=Function(), nodes=Integer(1))
def squared_risk(
    model: RegressionModel, f: Callable[[np.ndarray], np.ndarray], *, nodes: int = 128
) -> float:
    r"""The squared-loss risk $\mathcal R(f) = \mathbb E(f(X) - Y)^2$ under ``model``, as
    $\mathbb E\,v(X) + \mathbb E\bigl(f(X) - f^*(X)\bigr)^2$ (Theorem
    `thm-learn-regression-function`), with $X\sim\mathrm{Uniform}[a, b]$ integrated by
    ``nodes``-point Gauss–Legendre quadrature (exact when $(f - f^*)^2 + s^2$ is a polynomial of
    degree $\le 2\,\mathrm{nodes} - 1$; spectrally accurate for analytic integrands).

    Arguments:
        model: the data distribution.
        f: the predictor, a vectorised map of float64 arrays to arrays of the same shape.
        nodes: the number of quadrature nodes.

    Returns:
        $\mathcal R(f)$, a Python float.
    """
    t, w = np.polynomial.legendre.leggauss(nodes)
    x = (model.low + model.high) / 2 + (model.high - model.low) / 2 * t
    d = np.asarray(f(x), dtype=np.float64) - np.asarray(model.f_star(x), dtype=np.float64)
    s = np.asarray(model.noise_sd(x), dtype=np.float64)
    if d.shape != x.shape:
        fail("f", f"return an array of the shape of its argument, {x.shape}", f"shape {d.shape}")
    return float(0.5 * np.sum(w * (d * d + s * s)))


@validate(f=Function(), degree=Integer(0), domain=DOMAIN, nodes=Integer(1))
def legendre_projection(
    f: Callable[[np.ndarray], np.ndarray],
    degree: int,
    *,
    domain: tuple[float, float] = (-1.0, 1.0),
    nodes: int = 128,
) -> np.ndarray:
    r"""Legendre coefficients of the $L^2(\mathrm{Uniform}[a, b])$ orthogonal projection of $f$ onto
    the polynomials of degree $\le p$.

    With $t$ the affine map of $[a, b]$ onto $[-1, 1]$ and the orthogonality
    $\frac12\int_{-1}^1P_jP_k\,\mathrm dt = \delta_{jk}/(2j + 1)$,

    $$ c_j = (2j + 1)\,\frac12\int_{-1}^{1} f(x(t))\,P_j(t)\,\mathrm dt, $$

    computed with ``nodes``-point Gauss–Legendre quadrature (exact when $f$ is a polynomial of
    degree $\le 2\,\mathrm{nodes} - 1 - p$).

    Arguments:
        f: a vectorised map of float64 arrays to arrays of the same shape.
        degree: $p\ge 0$.
        domain: $(a, b)$ with $a < b$.
        nodes: the number of quadrature nodes.

    Returns:
        $c$, shape ``(p + 1,)``, float64 (use with :func:`~deepqed.learning.predict_polynomial`).
    """
    a, b = check_domain(domain)
    t, w = np.polynomial.legendre.leggauss(nodes)
    x = (a + b) / 2 + (b - a) / 2 * t
    Phi = _legendre_features(t, degree, -1.0, 1.0)  # (nodes, p + 1), P_j(t)
    j = np.arange(degree + 1)
    return (2 * j + 1) * 0.5 * ((w * np.asarray(f(x), dtype=np.float64)) @ Phi)
