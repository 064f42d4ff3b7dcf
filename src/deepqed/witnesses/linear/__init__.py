r"""Witnesses of the chapter *Linear models* (``book/linear``).

``CLAIMS`` lists, in book order, the witnesses of every labelled statement of the chapter. Each is
``check(rng) -> Figures`` and takes the code it checks as a keyword argument with the library's
implementation as default, so that a test can hand it a deliberately broken implementation.

Modules: :mod:`.least_squares`, :mod:`.ridge`, :mod:`.gd`, :mod:`.logistic`.
"""

from __future__ import annotations

from ...registry import Unwitnessed, Witness
from . import gd, least_squares, logistic, ridge

CLAIMS: tuple[Witness | Unwitnessed, ...] = (
    *least_squares.CLAIMS,
    *ridge.CLAIMS,
    *gd.CLAIMS,
    *logistic.CLAIMS,
)

__all__ = ["CLAIMS"]
