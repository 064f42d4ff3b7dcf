r"""Linear models (chapter *Linear models*): least squares, ridge regression, gradient descent on
least squares and its spectral filter, logistic regression.

Modules: :mod:`.least_squares`, :mod:`.ridge`, :mod:`.gd`, :mod:`.logistic`, :mod:`.separability`. All functions take
arrays of any array API namespace (NumPy, PyTorch on CPU or CUDA, ...) of dtype float32 or
float64, one sample per row of ``X`` (shape ``(m, n)``), and compute in that namespace, on that
device and in that dtype (the Cholesky solves and the linear programme of :mod:`.separability`
run in SciPy on the host and return to the caller's namespace, as their docstrings say); every argument is validated by its declared constraint
(:mod:`deepqed._validation`), and a wrong one is reported by name.
"""

from __future__ import annotations

from ._common import IllConditionedWarning, condition_limit
from .gd import (
    gd_filter,
    gd_least_squares,
    least_squares_gradient,
    ridge_filter,
    smoothness_constant,
    strong_convexity_constant,
)
from .least_squares import (
    condition_number,
    default_rcond,
    least_squares_objective,
    min_norm_least_squares,
    normal_equations,
    numerical_rank,
    pinv,
)
from .logistic import (
    SIGMOID_SECOND_DERIVATIVE_MAX,
    ConvergenceWarning,
    LogisticFit,
    hessian_lipschitz,
    logistic_gd,
    logistic_gradient,
    logistic_hessian,
    logistic_loss,
    logistic_losses,
    logistic_newton,
    sigmoid,
)
from .ridge import (
    ridge,
    ridge_bias,
    ridge_bias_variance,
    ridge_covariance,
    ridge_objective,
    ridge_svd,
)
from .separability import SEPARABILITY_TOL, Separability, separability

__all__ = [
    "IllConditionedWarning",
    "condition_limit",
    "least_squares_objective",
    "condition_number",
    "default_rcond",
    "numerical_rank",
    "pinv",
    "min_norm_least_squares",
    "normal_equations",
    "ridge_objective",
    "ridge",
    "ridge_svd",
    "ridge_bias",
    "ridge_covariance",
    "ridge_bias_variance",
    "least_squares_gradient",
    "gd_least_squares",
    "smoothness_constant",
    "strong_convexity_constant",
    "gd_filter",
    "ridge_filter",
    "ConvergenceWarning",
    "sigmoid",
    "logistic_losses",
    "logistic_loss",
    "logistic_gradient",
    "logistic_hessian",
    "LogisticFit",
    "logistic_newton",
    "logistic_gd",
    "SIGMOID_SECOND_DERIVATIVE_MAX",
    "hessian_lipschitz",
    "SEPARABILITY_TOL",
    "Separability",
    "separability",
]
