r"""Functional and geometric margins of a linear classifier ({prf:ref}`def-svm-margin`).

For $X\in\mathbb R^{m\times d}$ (rows $x_i^\top$), $y\in\{-1,+1\}^m$, $w\in\mathbb R^d\setminus\{0\}$ and
$b\in\mathbb R$: the functional margin of sample $i$ is $y_i(\langle w, x_i\rangle + b)$, its geometric
margin $y_i(\langle w, x_i\rangle + b)/\|w\|$ (the signed distance of $x_i$ to the hyperplane
$\{x: \langle w, x\rangle + b = 0\}$, positive on the correct side); the margins of the data set are
the minima over $i$.
"""

from __future__ import annotations

from typing import Any

from .._host import labels_follow
from .._validation import fail, namespace, validate
from ._common import LABELS, OFFSET, SAMPLES, WEIGHTS

__all__ = ["functional_margins", "geometric_margin"]


_MARGIN = validate(w=WEIGHTS, b=OFFSET, X=SAMPLES, y=LABELS)


def _functional(w: Any, b: float, X: Any, y: Any) -> Any:
    return namespace(X).astype(y, X.dtype) * (X @ w + b)


@labels_follow("X")
@_MARGIN
def functional_margins(w: Any, b: float, X: Any, y: Any) -> Any:
    r"""$\bigl(y_i(\langle w, x_i\rangle + b)\bigr)_{i\in[m]}$, shape $(m,)$, dtype of ``X``
    (``w`` has the dtype of ``X``)."""
    return _functional(w, b, X, y)


@labels_follow("X")
@_MARGIN
def geometric_margin(w: Any, b: float, X: Any, y: Any) -> float:
    r"""$\gamma(w, b) = \min_i y_i(\langle w, x_i\rangle + b)/\|w\|$; requires $w\ne0$."""
    xp = namespace(X)
    norm = float(xp.sqrt(w @ w))  # the Euclidean norm, as numpy.linalg.norm computes it
    if norm == 0.0:
        fail("w", "be nonzero (the geometric margin divides by ||w||)", "w = 0")
    return float(xp.min(_functional(w, b, X, y))) / norm
