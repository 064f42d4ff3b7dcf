r"""Symmetry and equivariance (chapter *Symmetry and equivariance*): group actions on arrays,
the converse of chapter 7's equivariance (shift-equivariant linear maps are circular
cross-correlations), permutation-equivariant linear maps between tensor powers (the orbit basis,
the Bell-number dimension, the Deep Sets layer), the Reynolds projection and the character
formula, and invariant functions of sets (power sums, Newton's identities)."""

from .actions import (
    permutation_representation,
    permute_tensor,
    shift,
    shift_matrix,
    symmetric_group,
)
from .circulant import circular_correlation, circular_kernel, circular_matrix
from .permutation import (
    deepsets_layer,
    deepsets_projection,
    equality_pattern,
    equivariant_dimension,
    orbit_basis,
    stirling2,
)
from .reynolds import character_dimension, reynolds
from .sets import newton_elementary, power_sums

__all__ = [
    "permutation_representation",
    "permute_tensor",
    "shift",
    "shift_matrix",
    "symmetric_group",
    "circular_correlation",
    "circular_kernel",
    "circular_matrix",
    "deepsets_layer",
    "deepsets_projection",
    "equality_pattern",
    "equivariant_dimension",
    "orbit_basis",
    "stirling2",
    "character_dimension",
    "reynolds",
    "newton_elementary",
    "power_sums",
]
