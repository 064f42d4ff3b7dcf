r"""When the logistic objective has a minimiser: a linear programme and a rank.

Section "Logistic regression" of the chapter *Linear models*
({prf:ref}`prop-lin-logistic-minimiser`). With signed labels $\tilde y_i = 2y_i - 1$ and
$A = \operatorname{diag}(\tilde y)X$ (rows $\tilde y_ix_i^\top$), the logistic objective has a
unique minimiser exactly when no $v\ne0$ satisfies $Av\ge0$, and that holds exactly when
$\operatorname{rank}X = n$ and the linear programme

$$\max_{v\in\mathbb R^n}\ \mathbf 1^\top Av\quad\text{subject to}\quad Av\ge0,\ \ \|v\|_\infty\le1$$

has optimal value $0$. :func:`separability` solves it (HiGHS, through ``scipy.optimize.linprog``)
on the rows of $A$ scaled to unit $\ell^\infty$ norm (a positive scaling of a row does not change
the cone $\{v : Av\ge0\}$, and makes the value independent of the scale of the data).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.optimize

from .._host import from_numpy, to_numpy
from .._validation import Array, Integer, Optional, Real, check, namespace, validate
from ._common import DESIGN, LABELS01

__all__ = ["Separability", "separability", "SEPARABILITY_TOL"]

#: Optimal values at most this (of the programme on rows of unit sup norm) count as $0$.
SEPARABILITY_TOL = 1e-7


@dataclass(frozen=True)
class Separability:
    r"""Result of :func:`separability`.

    Attributes:
        value: the optimal value of the linear programme (rows of $A$ scaled to unit sup norm).
        rank: the numerical rank of $X$ (singular values above $\max(m, n)\,\varepsilon\,s_1$).
        direction: a $v\ne0$ with $\tilde y_ix_i^\top v\ge0$ for all $i$ (up to the solver's
            tolerance), shape ``(n,)``, float64: the programme's solution if its value exceeds
            :data:`SEPARABILITY_TOL`, else a vector of $\ker X$ if the rank is below $n$, else
            ``None``; in the namespace and on the device of ``X``.
    """

    value: float
    rank: int
    direction: Any | None

    __deepqed_constraints__ = {
        "value": Real(0, None),
        "rank": Integer(0),
        "direction": Optional(Array(ndim=1)),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))

    @property
    def unique_minimiser(self) -> bool:
        """Whether the logistic objective has exactly one minimiser (no direction exists)."""
        return self.direction is None


@validate(X=DESIGN, y=LABELS01)
def separability(X: Any, y: Any) -> Separability:
    r"""Decide whether some $v\ne0$ has $\tilde y_ix_i^\top v\ge0$ for all $i$
    ({prf:ref}`prop-lin-logistic-minimiser`): the linear programme of the module docstring and
    the rank of $X$.

    The programme is solved by SciPy (HiGHS), which needs NumPy: arrays of another namespace are
    copied to the host, and ``direction`` is returned in the namespace and on the device of ``X``
    (float64).

    Arguments:
        X: shape ``(m, n)``, float32 or float64 (solved in float64).
        y: labels in $\{0, 1\}$, shape ``(m,)``.

    Returns:
        a :class:`Separability`; ``.unique_minimiser`` is ``True`` exactly when the logistic
        objective has a (unique) minimiser.
    """
    X64 = np.asarray(to_numpy(X), dtype=np.float64)
    m, n = X64.shape
    A = (2.0 * np.asarray(to_numpy(y), dtype=np.float64) - 1.0)[:, None] * X64
    scale = np.max(np.abs(A), axis=1)
    A = A[scale > 0] / scale[scale > 0, None]  # rows of sup norm 1; zero rows ask nothing
    s = np.linalg.svd(X64, compute_uv=False)
    rank = int(np.sum(s > max(m, n) * np.finfo(np.float64).eps * s[0])) if s[0] > 0 else 0
    value, direction = 0.0, None
    if A.shape[0]:
        res = scipy.optimize.linprog(
            -A.sum(axis=0),
            A_ub=-A,
            b_ub=np.zeros(A.shape[0]),
            bounds=[(-1.0, 1.0)] * n,
            method="highs",
        )
        if res.status != 0:  # the programme is feasible (v = 0) and bounded: never expected
            raise RuntimeError(f"the linear programme was not solved: {res.message}")
        value = max(-float(res.fun), 0.0)
        if value > SEPARABILITY_TOL:
            direction = np.asarray(res.x, dtype=np.float64)
    if direction is None and rank < n:
        direction = np.linalg.svd(X64)[2][-1].copy()  # a unit vector of ker X
    if direction is not None:
        direction = from_numpy(direction, X, dtype=namespace(X).float64)
    return Separability(value, rank, direction)
