r"""Witnesses of the chapter *Wide networks* (``book/wide``).

``CLAIMS`` lists, in book order, the witnesses of every labelled statement of the chapter. Each
takes the code it checks as a keyword argument with the library's implementation as default.

Modules: :mod:`.tangent` (the tangent kernel, function-space training, the infinite-width
limit), :mod:`.gram` (the two-layer Gram matrices and their concentration), :mod:`.training`
(linear convergence, the theorem of Du et al., linearised training), :mod:`.lazy` (lazy training,
mean-field versus tangent-kernel scaling).
"""

from __future__ import annotations

from ...registry import Unwitnessed, Witness
from . import gram, lazy, tangent, training

_T, _G, _R, _L = tangent.CLAIMS, gram.CLAIMS, training.CLAIMS, lazy.CLAIMS

CLAIMS: tuple[Witness | Unwitnessed, ...] = (
    _T[0],  # def-wide-ntk
    _T[1],  # prop-wide-function-flow
    *_G,  # def-wide-two-layer, lem-wide-two-layer-kernel, prop-wide-hinf, thm-wide-hinf-pd, cor-...
    _T[2],  # thm-wide-ntk-limit
    _R[0],  # lem-wide-flow
    _R[1],  # thm-wide-du
    _R[2],  # prop-wide-linearised
    *_L,  # thm-wide-lazy, cor-wide-width-lazy, prop-wide-scaling
)

__all__ = ["CLAIMS"]
