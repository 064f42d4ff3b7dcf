r"""Witnesses of the chapter *Attention and transformers* (``book/attention``).

``CLAIMS`` lists, in book order, the witnesses of every labelled statement. Modules:
:mod:`.sdpa` (attention, its backward, equivariance, masks), :mod:`.mha` (multi-head attention),
:mod:`.layernorm`, :mod:`.residual` (Jacobians of deep stacks), :mod:`.block` (the transformer
block).
"""

from __future__ import annotations

from ...registry import Unwitnessed, Witness
from . import block, layernorm, mha, residual, sdpa

CLAIMS: tuple[Witness | Unwitnessed, ...] = (
    *sdpa.CLAIMS,
    *mha.CLAIMS,
    *layernorm.CLAIMS,
    *residual.CLAIMS,
    *block.CLAIMS,
)

__all__ = ["CLAIMS"]
