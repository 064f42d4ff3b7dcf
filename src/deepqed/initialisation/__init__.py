r"""Initialisation and signal propagation (chapter *Initialisation and signal propagation*):
initialisation schemes, random networks simulated with their weight matrices, the exact
finite-width law of a ReLU network's squared norm, the Gaussian-process limit and its kernel
recursion, the length and correlation maps (order and chaos), and the spectra of deep linear
Jacobians."""

from .jacobian import fuss_catalan, gaussian_jacobian_moments, lyapunov_exponent
from .law import (
    fourth_moment_factor,
    linear_norm_log_cdf,
    relu_norm_law_sample,
    relu_norm_log_cdf,
    relu_norm_moments,
)
from .nngp import (
    chi1,
    correlation_fixed_point,
    correlation_map,
    hermite_coefficients,
    length_fixed_point,
    length_map,
    nngp_kernel,
    normal_quadrature,
    relu_correlation,
)
from .propagation import random_networks, relu_variance_recursion
from .schemes import SCHEMES, haar_orthogonal, init_weights, weight_gains

__all__ = [
    "SCHEMES",
    "haar_orthogonal",
    "init_weights",
    "weight_gains",
    "random_networks",
    "relu_variance_recursion",
    "fourth_moment_factor",
    "linear_norm_log_cdf",
    "relu_norm_law_sample",
    "relu_norm_log_cdf",
    "relu_norm_moments",
    "chi1",
    "correlation_fixed_point",
    "correlation_map",
    "hermite_coefficients",
    "length_fixed_point",
    "length_map",
    "nngp_kernel",
    "normal_quadrature",
    "relu_correlation",
    "fuss_catalan",
    "gaussian_jacobian_moments",
    "lyapunov_exponent",
]
