r"""The learning problem (chapter *The learning problem*, ``book/learning``).

Risks and empirical risks (:mod:`.risk`), data distributions with known regression function,
posterior and noise (:mod:`.distributions`), two estimators, polynomial least squares and
$k$-nearest-neighbour regression (:mod:`.estimators`), the Monte Carlo bias–variance–noise
decomposition (:mod:`.bias_variance`), the excess-risk decomposition (:mod:`.excess`) and the
uniform bound for a finite hypothesis class (:mod:`.finite_class`).

Conventions: inputs are scalar ($\mathcal X\subseteq\mathbb R$) for the polynomial estimator and
vectors ($\mathcal X\subseteq\mathbb R^d$, one sample per row) for $k$-NN; responses are scalar.
A leading axis of length ``R`` indexes independent training samples $S_1, \dots, S_R$, so that
every estimator is evaluated on all of them in one call.
"""

from __future__ import annotations

from .bias_variance import BiasVariance, bias_variance_decomposition
from .distributions import (
    GaussianMixture,
    RegressionModel,
    bayes_classifier,
    class_log_joint,
    noise_variance,
    posterior,
    sample_mixture,
    sample_regression,
    sine_model,
)
from .estimators import (
    fit_polynomial,
    knn_regression,
    legendre_features,
    polynomial_regression,
    predict_polynomial,
)
from .excess import ExcessRisk, excess_risk_decomposition, legendre_projection, squared_risk
from .finite_class import finite_class_sample_size, uniform_deviation_bound
from .risk import empirical_risk, squared_loss, zero_one_loss

__all__ = [
    "BiasVariance",
    "ExcessRisk",
    "GaussianMixture",
    "RegressionModel",
    "bayes_classifier",
    "bias_variance_decomposition",
    "class_log_joint",
    "empirical_risk",
    "excess_risk_decomposition",
    "finite_class_sample_size",
    "fit_polynomial",
    "knn_regression",
    "legendre_features",
    "legendre_projection",
    "noise_variance",
    "polynomial_regression",
    "posterior",
    "predict_polynomial",
    "sample_mixture",
    "sample_regression",
    "sine_model",
    "squared_loss",
    "squared_risk",
    "uniform_deviation_bound",
    "zero_one_loss",
]
