r"""Shared pieces of the witnesses of the chapter *Linear models*: matrices built from known
singular value decompositions (so that references need no rank decision), and the rounding
constants from which tolerances are derived. Nothing here calls :mod:`deepqed.linear`.

Rounding (Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., SIAM 2002, §3.1):
$u = \varepsilon/2$ is the unit roundoff of a dtype, and $\gamma_k = ku/(1 - ku)$ bounds the
relative error of a sum or inner product of $k$ terms, $\lvert\widehat{x^\top y} - x^\top y\rvert\le
\gamma_k\lvert x\rvert^\top\lvert y\rvert$.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._common import (  # noqa: F401  (shared by every chapter)
    Evidence,
    equal,
    error,
    interval,
    lower,
    nan_max,
    rate,
    relative_error,
    single_threaded,
    upper,
    worst_error,
)

__all__ = [
    "orthonormal",
    "Factored",
    "factored",
    "unit_roundoff",
    "gamma",
    "dtype_ok",
]


def unit_roundoff(dtype: Any) -> float:
    """$u = \\varepsilon/2$ of a float dtype."""
    return float(np.finfo(dtype).eps) / 2


def gamma(k: int, dtype: Any) -> float:
    r"""$\gamma_k = ku/(1 - ku)$ for the unit roundoff $u$ of ``dtype``."""
    ku = k * unit_roundoff(dtype)
    return ku / (1 - ku)


def orthonormal(rng: np.random.Generator, k: int, r: int) -> np.ndarray:
    """A ``(k, r)`` matrix with orthonormal columns (``r <= k``), Haar-distributed (QR of a
    Gaussian matrix with the signs of R's diagonal fixed)."""
    Q, R = np.linalg.qr(rng.standard_normal((k, r)))
    return Q * np.sign(np.diag(R))


@dataclass(frozen=True)
class Factored:
    r"""$X = U_r\operatorname{diag}(s)V_r^\top$ with its factors: ``U`` $(m, r)$, ``s`` $(r,)$
    decreasing, ``V`` $(n, r)$, and ``V_perp`` $(n, n - r)$, an orthonormal basis of
    $\ker X$ (of the exact product; the stored ``X`` is its rounding)."""

    X: np.ndarray
    U: np.ndarray
    s: np.ndarray
    V: np.ndarray
    V_perp: np.ndarray

    @property
    def pinv(self) -> np.ndarray:
        """$X^+ = V_r\\Sigma_r^{-1}U_r^\\top$ from the factors (no rank decision)."""
        return (self.V / self.s) @ self.U.T

    @property
    def kappa(self) -> float:
        """$s_1/s_r$, the condition number on the range."""
        return float(self.s[0] / self.s[-1]) if self.s.size else 1.0


def factored(rng: np.random.Generator, m: int, n: int, s: Any, *, scale: float = 1.0) -> Factored:
    """``U diag(scale * s) V^T`` with Haar ``U``, ``V`` (``len(s) <= min(m, n)``); ``s`` sorted
    decreasing."""
    s = scale * np.sort(np.asarray(s, dtype=np.float64))[::-1]
    r = s.size
    U = orthonormal(rng, m, r) if r else np.zeros((m, 0))
    Q = orthonormal(rng, n, n)
    V, V_perp = Q[:, :r], Q[:, r:]
    return Factored((U * s) @ V.T, U, s, V, V_perp)


def dtype_ok(out: Any, dtype: Any, shape: tuple[int, ...]) -> float:
    """1.0 when ``out`` is an array of the given dtype and shape, else 0.0."""
    a = np.asarray(out)
    return float(a.dtype == np.dtype(dtype) and a.shape == shape)
