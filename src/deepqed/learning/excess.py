r"""The excess-risk decomposition (Definition `def-learn-excess`) and, for squared loss and
polynomials, the best-in-class predictor (Proposition `prop-learn-excess-squared`).

For a hypothesis class $\mathcal F$, a predictor $\hat f$ returned by an algorithm, an empirical risk
minimiser $f_S\in\mathcal F$ and the Bayes risk $\mathcal R^*$:

$$
\mathcal R(\hat f) - \mathcal R^* = \underbrace{\mathcal R(\hat f) - \mathcal R(f_S)}_{\text{optimisation}}
 + \underbrace{\mathcal R(f_S) - \inf_{\mathcal F}\mathcal R}_{\text{estimation}}
 + \underbrace{\inf_{\mathcal F}\mathcal R - \mathcal R^*}_{\text{approximation}} .
$$
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["ExcessRisk", "excess_risk_decomposition", "legendre_projection"]


@dataclass(frozen=True)
class ExcessRisk:
    """The three terms of Definition `def-learn-excess`; ``total`` is their sum."""

    optimization: float
    estimation: float
    approximation: float

    @property
    def total(self) -> float:
        r"""$\mathcal R(\hat f) - \mathcal R^*$."""
        return self.optimization + self.estimation + self.approximation


def excess_risk_decomposition(
    risk_output: float, risk_erm: float, risk_best: float, bayes_risk: float
) -> ExcessRisk:
    r"""$(\mathcal R(\hat f) - \mathcal R(f_S),\ \mathcal R(f_S) - \inf_{\mathcal F}\mathcal R,\
    \inf_{\mathcal F}\mathcal R - \mathcal R^*)$ (Definition `def-learn-excess`).

    Arguments:
        risk_output: $\mathcal R(\hat f)$; risk_erm: $\mathcal R(f_S)$;
        risk_best: $\inf_{\mathcal F}\mathcal R$; bayes_risk: $\mathcal R^*$. All finite.

    Returns:
        :class:`ExcessRisk` (optimisation, estimation, approximation).

    Raises:
        ValueError: if a value is not finite, or if ``risk_best < bayes_risk`` or
            ``risk_erm < risk_best`` (impossible by Proposition `prop-learn-excess-signs`).
    """
    vals = {
        "risk_output": risk_output,
        "risk_erm": risk_erm,
        "risk_best": risk_best,
        "bayes_risk": bayes_risk,
    }
    for k, v in vals.items():
        if not math.isfinite(float(v)):
            raise ValueError(f"argument {k!r} must be finite, got {v}")
    if risk_best < bayes_risk:
        raise ValueError(
            f"risk_best = {risk_best} < bayes_risk = {bayes_risk}: the Bayes risk is "
            "the infimum over all predictors"
        )
    if risk_erm < risk_best:
        raise ValueError(
            f"risk_erm = {risk_erm} < risk_best = {risk_best}: an empirical risk "
            "minimiser lies in the class"
        )
    return ExcessRisk(
        float(risk_output - risk_erm), float(risk_erm - risk_best), float(risk_best - bayes_risk)
    )


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

    Returns:
        $c$, shape ``(p + 1,)``, float64 (use with :func:`~deepqed.learning.predict_polynomial`).
    """
    from .estimators import legendre_features

    if not isinstance(degree, (int, np.integer)) or degree < 0:
        raise ValueError(f"argument 'degree' must be a non-negative integer, got {degree!r}")
    a, b = float(domain[0]), float(domain[1])
    t, w = np.polynomial.legendre.leggauss(nodes)
    x = (a + b) / 2 + (b - a) / 2 * t
    Phi = legendre_features(t, int(degree))  # (nodes, p + 1), P_j(t)
    j = np.arange(degree + 1)
    return (2 * j + 1) * 0.5 * ((w * np.asarray(f(x), dtype=np.float64)) @ Phi)
