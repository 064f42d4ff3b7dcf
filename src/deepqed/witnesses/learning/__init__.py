r"""Witnesses of the chapter *The learning problem* (``book/learning``).

``CLAIMS`` lists, in book order, a :class:`~deepqed.registry.Witness` for every labelled statement
of the chapter. Each witness is ``check(rng) -> Evidence`` and takes the code it checks as a keyword
argument with the library's implementation as default, so that a test can hand it a deliberately
broken implementation and see it fail. Monte Carlo comparisons are confidence intervals (CLT, or
the delta method where two estimates are combined).

Modules: :mod:`.setting` (risks, ERM, Bayes predictors), :mod:`.decomposition` (estimators,
bias–variance–noise), :mod:`.excess` (excess-risk decomposition), :mod:`.finite` (finite-class
bound).
"""

from __future__ import annotations

from ...registry import Unwitnessed, Witness
from . import decomposition, excess, finite, setting

CLAIMS: tuple[Witness | Unwitnessed, ...] = (
    *setting.CLAIMS,
    *decomposition.CLAIMS,
    *excess.CLAIMS,
    *finite.CLAIMS,
)

__all__ = ["CLAIMS"]
