r"""Witnesses of the chapter *Convolutional networks* (``book/cnn``).

``CLAIMS`` lists, in book order, the :class:`~deepqed.registry.Witness` entries of every labelled
statement of the chapter. Each witness is ``check(rng) -> Evidence`` and takes the code it checks as
a keyword argument with the library's implementation as default.

Modules: :mod:`.convolution` (definition, output size, im2col, flipped kernel, adjoint),
:mod:`.equivariance` (circular, zero padding, stride), :mod:`.pooling`, :mod:`.backprop` (the
backward rule of a convolution, counts, the whole network).
"""

from __future__ import annotations

from ...registry import Unwitnessed, Witness
from . import backprop, convolution, equivariance, pooling

#: The labels in the order in which the chapter states them.
ORDER = (
    "def-cnn-cross-correlation",
    "prop-cnn-output-size",
    "prop-cnn-flip",
    "prop-cnn-im2col",
    "thm-cnn-adjoint",
    "thm-cnn-equivariance-circular",
    "prop-cnn-equivariance-zero",
    "prop-cnn-equivariance-stride",
    "def-cnn-pooling",
    "prop-cnn-pool-backward",
    "prop-cnn-maxpool-derivative",
    "thm-cnn-conv-backward",
    "def-cnn-architecture",
    "alg-cnn-backprop",
    "thm-cnn-backprop",
    "prop-cnn-counts",
)

_ALL = (*convolution.CLAIMS, *equivariance.CLAIMS, *pooling.CLAIMS, *backprop.CLAIMS)

CLAIMS: tuple[Witness | Unwitnessed, ...] = tuple(
    c for label in ORDER for c in _ALL if c.label == label
)

__all__ = ["CLAIMS"]
