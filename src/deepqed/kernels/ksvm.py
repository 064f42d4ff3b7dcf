r"""The kernel support vector machine (Proposition `prop-kernel-svm`).

The soft-margin SVM in the RKHS $\mathcal H_k$ has the dual of the linear SVM with the Gram matrix
$K$ in place of $XX^\top$; it is solved by the SMO solver of :mod:`deepqed.svm` (no second
solver here), and the classifier is $\operatorname{sign}\hat g$ with

$$
\hat g(x) = \sum_{i=1}^m\alpha_iy_ik(x, x_i) + b.
$$
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._validation import ShapeError, check_array
from .kernels import Kernel, gram

__all__ = ["KernelSVM", "ksvm_fit", "ksvm_decision"]


@dataclass(frozen=True)
class KernelSVM:
    r"""A fitted kernel SVM: ``kernel``, training inputs ``X`` ``(m, d)``, labels ``y`` ``(m,)``
    in $\{-1, +1\}$, dual variables ``alpha`` ``(m,)`` in $[0, C]$, offset ``b``, and the solver's
    ``converged`` flag and ``kkt_violation``."""

    kernel: Kernel
    X: np.ndarray
    y: np.ndarray
    alpha: np.ndarray
    b: float
    converged: bool
    kkt_violation: float


def ksvm_fit(
    kernel: Kernel,
    X: np.ndarray,
    y: np.ndarray,
    C: float,
    *,
    tol: float = 1e-6,
    max_iter: int = 100_000,
) -> KernelSVM:
    r"""Solve the kernel SVM dual with ``deepqed.svm.smo`` on $K = \operatorname{gram}(k, X)$.

    Arguments:
        kernel: a kernel of :mod:`deepqed.kernels`.
        X: shape ``(m, d)``, float64 (float32 is converted: the dual solver works in float64).
        y: shape ``(m,)``, entries in $\{-1, +1\}$.
        C: $C > 0$.
    """
    from ..svm import smo

    check_array("X", X, ndim=2, nonempty=True)
    y = np.asarray(y)
    if y.shape != (X.shape[0],):
        raise ShapeError(
            f"argument 'y' must have shape ({X.shape[0]},) (m = X.shape[0]), got shape {y.shape}"
        )
    if not np.all(np.isin(y, (-1, 1))):
        raise ValueError("argument 'y' must have entries in {-1, +1}")
    if (
        isinstance(C, bool)
        or not isinstance(C, (int, float, np.floating, np.integer))
        or not math.isfinite(C)
        or C <= 0
    ):
        raise ValueError(f"'C' must be a finite number > 0, got {C!r}")
    X64 = np.asarray(X, dtype=np.float64)
    y64 = y.astype(np.float64)
    sol = smo(gram(kernel, X64), y64, float(C), tol=tol, max_iter=max_iter)
    return KernelSVM(
        kernel,
        X64,
        y64,
        np.asarray(sol.alpha),
        float(sol.b),
        bool(sol.converged),
        float(sol.kkt_violation),
    )


def ksvm_decision(model: KernelSVM, X_test: np.ndarray) -> np.ndarray:
    r"""$\hat g(x) = \sum_i\alpha_iy_ik(x, x_i) + b$ for each row of ``X_test`` (shape
    ``(m_test, d)``); returns shape ``(m_test,)``, float64."""
    from ..svm import decision_function

    check_array("X_test", X_test, ndim=2)
    K_test = gram(model.kernel, np.asarray(X_test, dtype=np.float64), model.X)
    return np.asarray(decision_function(model.alpha, model.b, model.y, K_test))
