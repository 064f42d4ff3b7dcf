r"""Witnesses of the chapter *Mathematical preliminaries and notation* (``book/preliminaries``).

``CLAIMS`` lists, in book order, the witnesses of every labelled statement of the chapter. Each is
``check(rng) -> Evidence`` and takes the code it checks as a keyword argument with the library's
implementation as default, so that a test can hand it a deliberately broken implementation.

Modules: :mod:`.kronecker` (vec, Kronecker products, commutation matrix), :mod:`.derivatives`
(Fréchet derivative, chain rule, Jacobians, matrix derivatives), :mod:`.convexity` (convexity,
smoothness, gradient descent), :mod:`.conditional` (conditional expectation),
:mod:`.hoeffding` (Hoeffding's lemma and inequality).
"""

from __future__ import annotations

from ...registry import Unwitnessed, Witness
from . import conditional, convexity, derivatives, hoeffding, kronecker

CLAIMS: tuple[Witness | Unwitnessed, ...] = (
    *kronecker.CLAIMS,
    *derivatives.CLAIMS,
    *convexity.CLAIMS,
    *conditional.CLAIMS,
    *hoeffding.CLAIMS,
)

__all__ = ["CLAIMS"]
