r"""Witnesses of the chapter *Regularisation* (``book/regularisation``).

``CLAIMS`` lists, in book order, the witnesses of every labelled statement of the chapter. Each
takes the code it checks as a keyword argument with the library's implementation as default.

Modules: :mod:`.noise` (input noise, dropout), :mod:`.implicit` (the modified loss of gradient
descent), :mod:`.balance` (conserved imbalances), :mod:`.margin` (the maximum-margin limit),
:mod:`.diagonal` (diagonal linear networks).
"""

from __future__ import annotations

from ...registry import Unwitnessed, Witness
from . import balance, diagonal, implicit, margin, noise

CLAIMS: tuple[Witness | Unwitnessed, ...] = (
    *noise.CLAIMS,
    *implicit.CLAIMS,
    *balance.CLAIMS,
    *margin.CLAIMS,
    *diagonal.CLAIMS,
)

__all__ = ["CLAIMS"]
