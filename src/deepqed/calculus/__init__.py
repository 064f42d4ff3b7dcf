r"""Matrix calculus and smooth convex functions (chapter *Mathematical preliminaries*).

Conventions (book/preliminaries): ``vec`` stacks the columns of a matrix; the Jacobian matrix of a
map between matrix spaces is the Jacobian of ``vec f(X)`` with respect to ``vec X``. Functions are
NumPy functions of float32 or float64 arrays; they validate their arguments and never invert a
matrix where a linear solve does.

Modules: :mod:`.vec` (vec, unvec, Kronecker identities, commutation matrix, Jacobians of linear
maps), :mod:`.derivatives` (the derivatives used in the book), :mod:`.convexity` (strong convexity
and smoothness constants, the logistic loss, a gradient step).
"""

from .convexity import (
    gradient_step,
    logistic_loss,
    logistic_loss_grad,
    logistic_smoothness,
    quadratic_constants,
)
from .derivatives import (
    entrywise_jacobian,
    grad_frobenius_residual,
    grad_logdet,
    grad_quadratic_form,
    grad_trace_AX,
    inverse_derivative,
    inverse_jacobian,
)
from .vec import (
    commutation_matrix,
    jacobian_AXB,
    jacobian_fd,
    jacobian_XW,
    unvec,
    vec,
)

__all__ = [
    "vec",
    "unvec",
    "commutation_matrix",
    "jacobian_AXB",
    "jacobian_XW",
    "jacobian_fd",
    "grad_trace_AX",
    "grad_frobenius_residual",
    "grad_quadratic_form",
    "grad_logdet",
    "inverse_derivative",
    "inverse_jacobian",
    "entrywise_jacobian",
    "quadratic_constants",
    "logistic_loss",
    "logistic_loss_grad",
    "logistic_smoothness",
    "gradient_step",
]
