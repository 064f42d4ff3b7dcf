r"""Optimisation and trainability (chapter *Optimisation and trainability*): gradient descent under
the Polyak–Łojasiewicz inequality, the tangent kernel and PL* for wide networks, stochastic
gradient descent, the linear autoencoder's landscape, gradients on parities, and learners
(backpropagation as a functor)."""

from .autoencoder import (
    autoencoder_critical_point,
    autoencoder_critical_value,
    autoencoder_gradient,
    autoencoder_loss,
    autoencoder_morse_index,
    index_sets,
)
from .learners import (
    Learner,
    ParaMap,
    activation_map,
    affine_map,
    compose,
    gradient_learner,
    para_compose,
)
from .parity import boolean_cube, parity_gradient_variance, parity_matrix, walsh_hadamard
from .pl import (
    SIN_QUADRATIC_L,
    SIN_QUADRATIC_MU,
    gradient_descent,
    least_squares_pl_constant,
    pl_rate_bound,
    pl_rate_factor,
    pl_ratio,
    sin_quadratic,
    sin_quadratic_grad,
)
from .sgd import (
    least_squares_sgd_constants,
    sgd_horizon_step,
    sgd_least_squares,
    sgd_least_squares_moments,
    sgd_nonconvex_bound,
    sgd_strongly_convex_bound,
)
from .tangent import (
    TANH_SECOND_MAX,
    tangent_kernel,
    train_two_layer,
    two_layer_jacobian,
    two_layer_outputs,
    wide_constants,
)

__all__ = [
    "SIN_QUADRATIC_L",
    "SIN_QUADRATIC_MU",
    "gradient_descent",
    "least_squares_pl_constant",
    "pl_rate_bound",
    "pl_rate_factor",
    "pl_ratio",
    "sin_quadratic",
    "sin_quadratic_grad",
    "TANH_SECOND_MAX",
    "tangent_kernel",
    "train_two_layer",
    "two_layer_jacobian",
    "two_layer_outputs",
    "wide_constants",
    "least_squares_sgd_constants",
    "sgd_horizon_step",
    "sgd_least_squares",
    "sgd_least_squares_moments",
    "sgd_nonconvex_bound",
    "sgd_strongly_convex_bound",
    "autoencoder_critical_point",
    "autoencoder_critical_value",
    "autoencoder_gradient",
    "autoencoder_loss",
    "autoencoder_morse_index",
    "index_sets",
    "boolean_cube",
    "parity_gradient_variance",
    "parity_matrix",
    "walsh_hadamard",
    "Learner",
    "ParaMap",
    "activation_map",
    "affine_map",
    "compose",
    "gradient_learner",
    "para_compose",
]
