r"""Witnesses of the chapter *Initialisation and signal propagation* (``book/initialisation``).

``CLAIMS`` lists, in book order, the witnesses of every labelled statement of the chapter. Each
takes the code it checks as a keyword argument with the library's implementation as default.

Modules: :mod:`.variance` (schemes, variance preservation), :mod:`.law` (the exact law at finite
width, its moments, linear products), :mod:`.nngp` (the Gaussian-process limit, the length and
correlation maps), :mod:`.jacobian` (dynamical isometry).
"""

from __future__ import annotations

from ...registry import Unwitnessed, Witness
from . import jacobian, law, nngp, variance

CLAIMS: tuple[Witness | Unwitnessed, ...] = (
    *variance.CLAIMS,
    *law.CLAIMS,
    *nngp.CLAIMS,
    *jacobian.CLAIMS,
)

__all__ = ["CLAIMS"]
