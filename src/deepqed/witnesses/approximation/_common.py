"""Helpers shared by the witnesses of the chapter *Approximation*."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from scipy.optimize import linprog

from .._common import (
    Evidence,
    equal,
    error,
    interval,
    lower,
    nan_max,
    rate,
    relative_error,
    single_threaded,
    slope,
    upper,
)

__all__ = [
    "Evidence",
    "equal",
    "error",
    "interval",
    "lower",
    "nan_max",
    "rate",
    "relative_error",
    "single_threaded",
    "slope",
    "upper",
    "gamma",
    "exact_rank",
    "minimax_fit",
    "mean_interval",
    "Z_LEVEL",
    "LEVEL",
]

#: Confidence level of the Monte Carlo intervals of this chapter, and its normal quantile:
#: a correct identity fails one interval in a million.
LEVEL = 1 - 1e-6
Z_LEVEL = 4.891638475698


def gamma(k: int, dtype: np.dtype | type = np.float64) -> float:
    r"""$\gamma_k = ku/(1 - ku)$ with $u$ the unit roundoff of ``dtype`` (Higham, *Accuracy and
    Stability of Numerical Algorithms*, 2nd ed., Section 3.1): a sum or dot product of $k$ terms
    computed in floating point is within $\gamma_k\sum|\text{terms}|$ of the exact one."""
    u = float(np.finfo(dtype).eps) / 2
    return k * u / (1 - k * u)


def exact_rank(rows: list[list[int]]) -> int:
    """The rank over the rationals of an integer matrix, by Gaussian elimination in exact rational
    arithmetic (``fractions.Fraction``)."""
    M = [[Fraction(v) for v in row] for row in rows]
    n_rows, n_cols = len(M), len(M[0]) if M else 0
    r = 0
    for c in range(n_cols):
        pivot = next((i for i in range(r, n_rows) if M[i][c] != 0), None)
        if pivot is None:
            continue
        M[r], M[pivot] = M[pivot], M[r]
        for i in range(r + 1, n_rows):
            if M[i][c] != 0:
                q = M[i][c] / M[r][c]
                M[i] = [a - q * b for a, b in zip(M[i], M[r])]
        r += 1
        if r == n_rows:
            break
    return r


def minimax_fit(Phi: np.ndarray, f: np.ndarray) -> tuple[np.ndarray, float]:
    r"""Coefficients $c$ minimising $\max_i\lvert(\Phi c)_i - f_i\rvert$ (a linear programme solved
    by HiGHS) over an orthonormal basis $Q$ of the numerical column space of $\Phi$: the left
    singular vectors of the singular values above $\max(m, N)\,\epsilon\,s_1$ (the cut-off of
    NumPy's ``matrix_rank``), so that directions made of rounding noise are not used. Returns the
    fitted values $Qc$, shape ``(m,)``, and a slack for comparing their maximal error with a bound
    valid for the exact column space: the rounding $\gamma_{k+1}\max_i\sum_j\lvert Q_{ij}c_j\rvert$ of
    the evaluation plus the distance between the computed and the exact column space,
    $\max(m, N)\,\epsilon\,(s_1/s_k)\|c\|_1$."""
    m, N = Phi.shape
    U, sv, _ = np.linalg.svd(Phi, full_matrices=False)
    eps = float(np.finfo(np.float64).eps)
    keep = sv > max(m, N) * eps * sv[0]
    Q = U[:, keep]
    k = Q.shape[1]
    # variables (c, t): minimise t subject to  Q c - t <= f,  -Q c - t <= -f
    cost = np.zeros(k + 1)
    cost[-1] = 1.0
    A = np.block([[Q, -np.ones((m, 1))], [-Q, -np.ones((m, 1))]])
    bounds = [(None, None)] * k + [(0, None)]
    res = linprog(cost, A_ub=A, b_ub=np.concatenate([f, -f]), bounds=bounds, method="highs")
    if res.status != 0:
        raise RuntimeError(f"the minimax linear programme failed: {res.message}")
    c = res.x[:k]
    slack = gamma(k + 1) * float(np.max(np.abs(Q) @ np.abs(c)))
    slack += max(m, N) * eps * float(sv[0] / sv[k - 1]) * float(np.sum(np.abs(c)))
    return Q @ c, slack


def mean_interval(samples: np.ndarray) -> tuple[float, float, float]:
    r"""The sample mean of independent copies and its normal confidence interval
    $\bar s\pm z\,\hat s/\sqrt R$ of level :data:`LEVEL` (central limit theorem; the summands
    used in this chapter have finite fourth moments)."""
    s = np.asarray(samples, dtype=np.float64)
    mean = float(s.mean())
    half = Z_LEVEL * float(s.std(ddof=1)) / np.sqrt(s.size)
    return mean, mean - half, mean + half
