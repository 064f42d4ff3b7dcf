r"""Witnesses of the chapter *Symmetry and equivariance* (``book/symmetry``).

``CLAIMS`` lists, in book order, the witnesses of every labelled statement of the chapter. Each
takes the code it checks as a keyword argument with the library's implementation as default.

Modules: :mod:`.actions` (actions, composition, pooling), :mod:`.linear` (shift- and
permutation-equivariant linear maps, the Reynolds projection, fixed points), :mod:`.sets`
(power sums and the sum decomposition).
"""

from __future__ import annotations

from ...registry import Unwitnessed, Witness
from . import actions, linear, sets

_ALL = (*actions.CLAIMS, *linear.CLAIMS, *sets.CLAIMS)

CLAIMS: tuple[Witness | Unwitnessed, ...] = tuple(
    entry
    for label in (
        "def-sym-action",
        "prop-sym-composition",
        "thm-sym-circulant",
        "thm-sym-bell",
        "cor-sym-deepsets",
        "thm-sym-reynolds",
        "cor-sym-fixed-points",
        "prop-sym-pooling",
        "thm-sym-sum-decomposition",
    )
    for entry in _ALL
    if entry.label == label
)

__all__ = ["CLAIMS"]
