r"""Witnesses of the chapter *Optimisation and trainability* (``book/optimisation``).

``CLAIMS`` lists, in book order, the witnesses of every labelled statement of the chapter. Each
takes the code it checks as a keyword argument with the library's implementation as default, so
that a test can hand it a broken implementation or a bound with a weakened constant.

Modules: :mod:`.pl` (the Polyak–Łojasiewicz inequality and gradient descent), :mod:`.tangent`
(the tangent kernel and PL* for wide networks), :mod:`.sgd` (stochastic gradient descent),
:mod:`.landscape` (the linear autoencoder; parities), :mod:`.functor` (learners).
"""

from __future__ import annotations

from ...registry import Unwitnessed, Witness
from . import functor, landscape, pl, sgd, tangent

CLAIMS: tuple[Witness | Unwitnessed, ...] = (
    *pl.CLAIMS,
    *tangent.CLAIMS,
    *sgd.CLAIMS,
    *landscape.CLAIMS,
    *functor.CLAIMS,
)

__all__ = ["CLAIMS"]
