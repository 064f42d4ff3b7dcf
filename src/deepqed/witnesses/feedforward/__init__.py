r"""Witnesses of the chapter *Feedforward networks and backpropagation* (``book/feedforward``).

``CLAIMS`` lists, in book order, one or more :class:`~deepqed.registry.Witness` for every labelled
statement of the chapter. Each witness is ``check(rng) -> Evidence`` and takes the code it checks as
a keyword argument with the library's implementation as default, so that a test can hand it a
deliberately broken implementation and see it fail.

Modules: :mod:`.architecture` (definitions, realization, forward pass), :mod:`.activations`
(activations, softmax), :mod:`.losses`, :mod:`.calculus` (affine layer, finite
differences; the Fréchet derivative and the chain rule are witnessed in
:mod:`deepqed.witnesses.preliminaries`), :mod:`.backprop` (backpropagation, its cost, ReLU kinks).
"""

from __future__ import annotations

from ...registry import Unwitnessed, Witness
from . import activations, architecture, backprop, calculus, losses

CLAIMS: tuple[Witness | Unwitnessed, ...] = (
    *architecture.CLAIMS,
    *activations.CLAIMS,
    *losses.CLAIMS,
    *calculus.CLAIMS,
    *backprop.CLAIMS,
)

__all__ = ["CLAIMS"]
