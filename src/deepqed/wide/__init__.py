r"""Wide networks (chapter *Wide networks*): the empirical tangent kernel of deep ReLU networks
and its infinite-width limit, the two-layer Gram matrices $H(W)$ and $H^\infty$, gradient descent
on wide two-layer networks, linearised training in closed form, and lazy training under output
scaling."""

from .bounds import du_movement_bound, flow_bounds, lazy_bounds, mean_movement_lower_bound
from .lazy import lazy_constants, lazy_flow, tanh_jacobian
from .linearised import kernel_regression_limit, linearised_predictions, linearised_residuals
from .tangent import mlp_init, mlp_jacobian, mlp_ntk, mlp_output, ntk_limit
from .two_layer import (
    du_width,
    h0_deviation_radius,
    h0_variance,
    h_infinity,
    two_layer_gd,
    two_layer_gram,
    two_layer_jacobian,
    two_layer_output,
)

__all__ = [
    "mlp_init",
    "mlp_output",
    "mlp_jacobian",
    "mlp_ntk",
    "ntk_limit",
    "two_layer_output",
    "two_layer_jacobian",
    "two_layer_gram",
    "h_infinity",
    "h0_variance",
    "h0_deviation_radius",
    "two_layer_gd",
    "du_width",
    "linearised_residuals",
    "linearised_predictions",
    "kernel_regression_limit",
    "flow_bounds",
    "lazy_bounds",
    "du_movement_bound",
    "mean_movement_lower_bound",
    "tanh_jacobian",
    "lazy_flow",
    "lazy_constants",
]
