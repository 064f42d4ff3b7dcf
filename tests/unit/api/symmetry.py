"""Valid calls of ``deepqed.symmetry`` (see ``tests/api.py``)."""

import numpy as np
from api import Example

from deepqed import symmetry as sym

_PERM = np.array([2, 0, 1])


def _rho(k):
    return np.stack([sym.permutation_representation(g, k) for g in sym.symmetric_group(3)])


EXAMPLES = [
    Example(sym.symmetric_group, lambda rng: {"n": 3}),
    Example(
        sym.permute_tensor,
        lambda rng: {"X": rng.standard_normal((3, 3, 2)), "perm": _PERM.copy(), "k": 2},
    ),
    Example(sym.permutation_representation, lambda rng: {"perm": _PERM.copy(), "k": 2}),
    Example(sym.shift, lambda rng: {"x": rng.standard_normal((1, 2, 4, 5)), "t": (1, -2)}),
    Example(sym.shift_matrix, lambda rng: {"n": (3, 4), "t": (1, 2)}),
    Example(sym.circular_kernel, lambda rng: {"A": rng.standard_normal((2, 3, 4, 1, 3, 4))}),
    Example(sym.circular_matrix, lambda rng: {"W": rng.standard_normal((2, 1, 3, 4))}),
    Example(
        sym.circular_correlation,
        lambda rng: {
            "X": rng.standard_normal((2, 1, 3, 4)),
            "W": rng.standard_normal((2, 1, 3, 4)),
        },
    ),
    Example(sym.stirling2, lambda rng: {"m": 4, "j": 2}),
    Example(sym.equivariant_dimension, lambda rng: {"n": 3, "k": 2, "l": 2}),
    Example(sym.equality_pattern, lambda rng: {"index": np.array([2, 0, 2, 1])}),
    Example(sym.orbit_basis, lambda rng: {"n": 3, "k": 1, "l": 1}),
    Example(
        sym.deepsets_layer,
        lambda rng: {
            "X": rng.standard_normal((2, 4, 3)),
            "Lam": rng.standard_normal((3, 2)),
            "Gam": rng.standard_normal((3, 2)),
            "b": rng.standard_normal(2),
        },
    ),
    Example(sym.deepsets_projection, lambda rng: {"A": rng.standard_normal((4, 2, 4, 3))}),
    Example(
        sym.reynolds,
        lambda rng: {"A": rng.standard_normal((3, 9)), "rho_in": _rho(2), "rho_out": _rho(1)},
    ),
    Example(sym.character_dimension, lambda rng: {"rho_in": _rho(2), "rho_out": _rho(1)}),
    Example(sym.power_sums, lambda rng: {"X": rng.standard_normal((2, 3)), "degree": 3}),
    Example(sym.newton_elementary, lambda rng: {"p": np.array([6, 18, 54])}),
]
