r"""Witnesses of the chapter *Approximation* (``book/approximation``).

``CLAIMS`` lists, in book order, a :class:`~deepqed.registry.Witness` (or a cited source) for every
labelled statement of the chapter. Each witness takes the code it checks, and for a bound the
bound's formula, as keyword arguments with the library's implementation as default, so that a test
can hand it a broken implementation or a bound with a weakened constant and see it fail.

Modules: :mod:`.universal` (shallow networks, polynomial activations, Leshno–Lin–Pinkus–Schocken),
:mod:`.interpolation` (the one-variable ReLU interpolant), :mod:`.pieces` (affine pieces, the
sawtooth, depth separation), :mod:`.squares` (Yarotsky's square and product), :mod:`.maurey`
(Maurey's lemma, Barron's rate), :mod:`.memorisation`.
"""

from __future__ import annotations

from ...registry import Unwitnessed, Witness
from . import interpolation, maurey, memorisation, pieces, squares, universal

CLAIMS: tuple[Witness | Unwitnessed, ...] = (
    *universal.CLAIMS,
    *interpolation.CLAIMS,
    *pieces.CLAIMS,
    *squares.CLAIMS,
    *maurey.CLAIMS,
    *memorisation.CLAIMS,
)

__all__ = ["CLAIMS"]
