r"""Support vector machines: hinge loss and primal, the dual and its KKT conditions, SMO.

Chapter *Support vector machines* (``book/svm``), on every array API namespace. Modules: :mod:`.hinge` (hinge loss, soft-margin
primal objective and a subgradient), :mod:`.dual` (dual objective, gradient, KKT violation, offset,
primal recovery), :mod:`.smo` (the SMO solver with second-order working-set selection).
"""

from __future__ import annotations

from .dual import (
    dual_feasibility_error,
    dual_gradient,
    dual_objective,
    duality_gap,
    index_sets,
    kkt_violation,
    offset,
    primal_weights,
)
from .hinge import hinge, kernel_primal_objective, primal_objective, primal_subgradient
from .margin import functional_margins, geometric_margin
from .smo import DualSolution, decision_function, select_working_set, smo, two_variable_step

__all__ = [
    "hinge",
    "primal_objective",
    "primal_subgradient",
    "kernel_primal_objective",
    "dual_objective",
    "dual_gradient",
    "index_sets",
    "kkt_violation",
    "offset",
    "primal_weights",
    "dual_feasibility_error",
    "duality_gap",
    "functional_margins",
    "geometric_margin",
    "DualSolution",
    "smo",
    "decision_function",
    "two_variable_step",
    "select_working_set",
]
