r"""Regularisation (chapter *Regularisation*): noise and dropout as penalties on linear models, the
modified loss of gradient descent (implicit gradient regularisation), the conserved imbalances of
homogeneous networks, the maximum-margin limit of logistic regression, and the implicit bias of
diagonal linear networks.

Modules: :mod:`.noise`, :mod:`.implicit`, :mod:`.balance`, :mod:`.margin`, :mod:`.diagonal`.
"""

from .balance import imbalances
from .diagonal import diagonal_gd, diagonal_gradient, diagonal_limit, min_l1_interpolant, potential
from .implicit import (
    gradient_descent,
    logistic_flow,
    modified_gradient,
    quadratic_flows,
    quadratic_leading_terms,
)
from .margin import logistic_gd_path, max_margin, max_margin_dual, residual_limit
from .noise import dropout_objective, dropout_ridge, input_noise_objective, input_noise_ridge

__all__ = [
    "input_noise_objective",
    "input_noise_ridge",
    "dropout_objective",
    "dropout_ridge",
    "modified_gradient",
    "gradient_descent",
    "quadratic_flows",
    "quadratic_leading_terms",
    "logistic_flow",
    "imbalances",
    "max_margin",
    "max_margin_dual",
    "logistic_gd_path",
    "residual_limit",
    "potential",
    "diagonal_gradient",
    "diagonal_gd",
    "diagonal_limit",
    "min_l1_interpolant",
]
