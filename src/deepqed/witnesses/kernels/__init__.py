r"""Witnesses of the chapter *Kernel methods* (``book/kernels``).

``CLAIMS`` lists, in book order, a :class:`~deepqed.registry.Witness` (or an
:class:`~deepqed.registry.Unwitnessed` with its reason) for every labelled statement of the
chapter. Each witness is ``check(rng) -> Figures`` and takes the code it checks as a keyword
argument with the library's implementation as default.

Modules: :mod:`.psd` (PSD kernels and closure), :mod:`.rkhs` (RKHS, Moore–Aronszajn),
:mod:`.krr` (representer theorem, kernel ridge regression, kernel SVM), :mod:`.rff` (Bochner,
random Fourier features), :mod:`.relu` (random ReLU features, arc-cosine kernel).
"""

from __future__ import annotations

from ...registry import Unwitnessed, Witness
from . import krr, psd, relu, rff, rkhs

CLAIMS: tuple[Witness | Unwitnessed, ...] = (
    *psd.CLAIMS[:-1],
    *rff.LEMMA_CLAIMS,
    *psd.CLAIMS[-1:],
    *rkhs.CLAIMS,
    *krr.CLAIMS,
    *rff.CLAIMS,
    *relu.CLAIMS,
)

__all__ = ["CLAIMS"]
