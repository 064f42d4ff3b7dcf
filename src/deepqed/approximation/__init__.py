r"""Approximation by neural networks (the chapter *Approximation*, ``book/approximation``).

Modules: :mod:`.shallow` (ridge features, polynomial activations, difference-quotient networks),
:mod:`.univariate` (the ReLU interpolant, the sawtooth, Yarotsky's square and product, exact
$L^1$ distances), :mod:`.pieces` (breakpoints and affine pieces of one-input ReLU networks),
:mod:`.maurey` (Maurey's lemma with the arc-cosine kernels), :mod:`.memorisation`
(interpolating $n$ points with $n - 1$ ReLU units).
"""

from .maurey import arccos2_kernel, maurey_constant, relu_integral_bound
from .memorisation import interpolating_network
from .pieces import breakpoints, count_pieces, piece_bound
from .shallow import (
    difference_error_bound,
    difference_network,
    polynomial_space_dim,
    ridge_features,
    shallow_network,
)
from .univariate import (
    interpolation_error_bound,
    l1_distance,
    product_approximation,
    relu_interpolant,
    sawtooth,
    sawtooth_network,
    square_approximation,
    square_lower_bound,
    square_network,
    telgarsky_bound,
)

__all__ = [
    "ridge_features",
    "shallow_network",
    "polynomial_space_dim",
    "difference_network",
    "difference_error_bound",
    "relu_interpolant",
    "interpolation_error_bound",
    "sawtooth",
    "sawtooth_network",
    "telgarsky_bound",
    "square_approximation",
    "square_network",
    "square_lower_bound",
    "product_approximation",
    "l1_distance",
    "breakpoints",
    "count_pieces",
    "piece_bound",
    "arccos2_kernel",
    "maurey_constant",
    "relu_integral_bound",
    "interpolating_network",
]
