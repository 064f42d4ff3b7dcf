r"""The kernel support vector machine (Proposition `prop-kernel-svm`).

The soft-margin SVM in the RKHS $\mathcal H_k$ has the dual of the linear SVM with the Gram matrix
$K$ in place of $XX^\top$; it is solved by the SMO solver of :mod:`deepqed.svm` (no second
solver here), and the classifier is $\operatorname{sign}\hat g$ with

$$
\hat g(x) = \sum_{i=1}^m\alpha_iy_ik(x, x_i) + b.
$$
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .._host import labels_follow
from .._validation import Array, Boolean, Instance, Integer, Real, check, namespace, validate
from ..svm._common import LABELS, both_labels
from .kernels import KERNEL, SAMPLES, Kernel, _gram
from .krr import _test_points

__all__ = ["KernelSVM", "ksvm_fit", "ksvm_decision"]


@dataclass(frozen=True)
class KernelSVM:
    r"""A fitted kernel SVM: ``kernel``, training inputs ``X`` ``(m, d)``, labels ``y`` ``(m,)``
    in $\{-1, +1\}$, dual variables ``alpha`` ``(m,)`` in $[0, C]$, offset ``b``, and the solver's
    ``converged`` flag and ``kkt_violation``; the arrays are float64, in the namespace and on the
    device of the training inputs."""

    kernel: Kernel
    X: Any
    y: Any
    alpha: Any
    b: float
    converged: bool
    kkt_violation: float

    __deepqed_constraints__ = {
        "kernel": KERNEL,
        "X": SAMPLES,
        "y": LABELS,
        "alpha": Array(shape=("m",)),
        "b": Real(),
        "converged": Boolean(),
        "kkt_violation": Real(0, None),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))


@labels_follow("X")
@validate(
    kernel=KERNEL,
    X=SAMPLES,
    y=LABELS,
    C=Real(0, None, closed="neither"),
    tol=Real(0, None, closed="neither"),
    max_iter=Integer(0),
)
def ksvm_fit(
    kernel: Kernel,
    X: Any,
    y: Any,
    C: float,
    *,
    tol: float = 1e-6,
    max_iter: int = 100_000,
) -> KernelSVM:
    r"""Solve the kernel SVM dual with ``deepqed.svm.smo`` on $K = \operatorname{gram}(k, X)$.

    The Gram matrix is formed in the namespace of ``X``; the SMO loop runs in NumPy on the host
    (see :func:`deepqed.svm.smo`), and the model's arrays are float64 in the namespace and on the
    device of ``X``.

    Arguments:
        kernel: a kernel of :mod:`deepqed.kernels`.
        X: shape ``(m, d)``, float64 (float32 is converted: the dual solver works in float64).
        y: shape ``(m,)``, entries in $\{-1, +1\}$, both present.
        C: $C > 0$ (finite); tol: the solver's stopping tolerance $> 0$; max_iter: its
            iteration limit.
    """
    from ..svm import smo

    both_labels(y)
    xp = namespace(X)
    X64 = xp.astype(X, xp.float64)
    y64 = xp.astype(y, xp.float64)
    sol = smo(_gram(kernel, X64), y64, C, tol=tol, max_iter=max_iter)
    return KernelSVM(
        kernel,
        X64,
        y64,
        sol.alpha,
        float(sol.b),
        bool(sol.converged),
        float(sol.kkt_violation),
    )


@validate(model=Instance(KernelSVM), X_test=Array(shape=("m_test", "d")))
def ksvm_decision(model: KernelSVM, X_test: Any) -> Any:
    r"""$\hat g(x) = \sum_i\alpha_iy_ik(x, x_i) + b$ for each row of ``X_test`` (shape
    ``(m_test, d)``, float32 or float64, computed in float64, of the namespace and device of the
    training inputs); returns shape ``(m_test,)``, float64."""
    from ..svm import decision_function

    xp = namespace(X_test)
    X_test = xp.astype(X_test, xp.float64)
    _test_points(model.X, X_test)
    K_test = _gram(model.kernel, X_test, model.X)
    return decision_function(model.alpha, model.b, model.y, K_test)
