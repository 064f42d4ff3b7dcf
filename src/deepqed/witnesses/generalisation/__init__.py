r"""Witnesses of the chapter *Generalisation* (``book/generalisation``).

``CLAIMS`` lists a :class:`~deepqed.registry.Witness` (or a cited source) for every labelled
statement of the chapter. Each witness takes the code it checks, and for a bound the bound's
formula, as keyword arguments with the library's implementation as default, so that a test can hand
it a broken implementation or a bound with a weakened constant and see it fail.

Modules: :mod:`.rademacher` (Rademacher complexities, Massart, contraction, linear and two-layer
classes), :mod:`.concentration` (symmetrisation, McDiarmid, the Rademacher bound), :mod:`.vc`
(growth functions, Sauer–Shelah, Cover, shattering), :mod:`.covering` (covering numbers, Dudley),
:mod:`.margin` (spectral norms, margin bounds), :mod:`.double_descent`.
"""

from __future__ import annotations

from ...registry import Unwitnessed, Witness
from . import concentration, covering, double_descent, margin, rademacher, vc

CLAIMS: tuple[Witness | Unwitnessed, ...] = (
    *rademacher.CLAIMS,
    *concentration.CLAIMS,
    *vc.CLAIMS,
    *covering.CLAIMS,
    *margin.CLAIMS,
    *double_descent.CLAIMS,
)

__all__ = ["CLAIMS"]
