r"""Witnesses of the chapter *Recurrent networks* (``book/rnn``).

``CLAIMS`` lists, in book order, the witnesses of every labelled statement. Each is
``check(rng) -> Evidence`` (or ``check(rng, dtype=...)``) and takes the code it checks as a keyword argument with the library's
implementation as default, so that a test can hand it a broken implementation and see it fail.

Modules: :mod:`.bptt` (definition, unrolling, backpropagation through time), :mod:`.gradients`
(Jacobian products, vanishing and exploding bounds), :mod:`.training` (clipping, truncation, the
adding problem, Adam), :mod:`.gated` (LSTM, GRU, the cell path).
"""

from __future__ import annotations

from ...registry import Unwitnessed, Witness
from . import bptt, gated, gradients, training

CLAIMS: tuple[Witness | Unwitnessed, ...] = (
    *bptt.CLAIMS,
    *gradients.CLAIMS,
    *training.CLAIMS[:4],
    *gated.CLAIMS,
    *training.CLAIMS[4:],
)

__all__ = ["CLAIMS"]
