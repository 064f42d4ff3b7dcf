r"""Witnesses of the chapter *Support vector machines* (``book/svm``).

``CLAIMS`` lists, in book order, one or more :class:`~deepqed.registry.Witness` for every labelled
statement of the chapter. Each witness is ``check(rng) -> Evidence`` and takes the code it checks,
and the formula of any bound it tests, as keyword arguments with the library's implementation as
default, so that a test can hand it a deliberately broken implementation or a weakened constant.
The references are independent of :mod:`deepqed.svm`: SciPy's SLSQP, BFGS, L-BFGS-B and bounded
scalar minimisation, scikit-learn's ``SVC`` (LIBSVM) and ``hinge_loss``, NumPy's ``lstsq``,
enumeration of active sets and faces, and formulas written out in the witnesses; their accuracy
is certified by duality gaps where it can be (:mod:`._common`).

Modules: :mod:`.margins` (margins, the hard margin), :mod:`.primal` (soft margin, hinge loss,
subgradient), :mod:`.duality` (Lagrangian duality, KKT conditions, support vectors, offset, the
hard-margin dual), :mod:`.smo` (two-variable step, SMO, descent, termination).
"""

from __future__ import annotations

from ...registry import Unwitnessed, Witness
from . import duality, margins, primal, smo

CLAIMS: tuple[Witness | Unwitnessed, ...] = (
    *margins.CLAIMS,
    *primal.CLAIMS,
    *duality.CLAIMS,
    *smo.CLAIMS,
)

__all__ = ["CLAIMS"]
