r"""Witnesses of the chapter *Linear models* (``book/linear``).

``CLAIMS`` lists, in book order, the witnesses of every labelled statement of the chapter. Each is
``check(rng) -> Evidence`` (``check(rng, dtype=...)`` when it runs in float32 and float64) and
takes the code it checks, and the formula of any bound it tests, as keyword arguments with the
library's implementation as default, so that a test can hand it a deliberately broken
implementation or a bound with a weakened constant.

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
