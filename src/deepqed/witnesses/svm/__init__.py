r"""Witnesses of the chapter *Support vector machines* (``book/svm``).

``CLAIMS`` lists, in book order, one or more :class:`~deepqed.registry.Witness` for every labelled
statement of the chapter. Each witness is ``check(rng) -> Figures`` and takes the code it checks as
a keyword argument with the library's implementation as default, so that a test can hand it a
deliberately broken implementation and see it fail. The references are independent of
:mod:`deepqed.svm`: SciPy's SLSQP, BFGS and bounded scalar minimisation, scikit-learn's ``SVC``
(LIBSVM) and ``hinge_loss``, NumPy's ``lstsq``, and formulas written out in the witnesses.

Modules: :mod:`.margins` (margins, the hard margin), :mod:`.primal` (soft margin, hinge loss,
subgradient), :mod:`.duality` (Lagrangian duality, KKT conditions, support vectors, offset),
:mod:`.smo` (two-variable step, SMO, descent, termination).
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
