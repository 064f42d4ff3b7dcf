r"""Argument constraints shared by :mod:`deepqed.regularisation` (chapter *Regularisation*)."""

from __future__ import annotations

from .._validation import Array, Real

__all__ = ["DESIGN", "TARGETS", "WEIGHTS", "LABELS01", "VECTOR", "SQUARE", "STEP", "SCALE"]

#: The design matrix $X$, one sample per row: shape ``(m, n)``, float32 or float64.
DESIGN = Array(shape=("m", "n"), numpy=True)
#: Targets $y\in\mathbb R^m$, the dtype of ``X``.
TARGETS = Array(shape=("m",), numpy=True)
#: A weight vector $w\in\mathbb R^n$, the dtype of ``X``.
WEIGHTS = Array(shape=("n",), numpy=True)
#: Labels $y\in\{0, 1\}^m$ of logistic regression (chapter *Linear models*), compared exactly.
LABELS01 = Array(shape=("m",), dtype="real", values=(0, 1), same_dtype=False, numpy=True)
#: A parameter vector $\theta\in\mathbb R^p$.
VECTOR = Array(shape=("p",), numpy=True)
#: A square matrix $A\in\mathbb R^{p\times p}$.
SQUARE = Array(shape=("p", "p"), numpy=True)
#: A step size $h > 0$.
STEP = Real(0, None, closed="neither")
#: A positive scale ($\alpha$, $T$).
SCALE = Real(0, None, closed="neither")
