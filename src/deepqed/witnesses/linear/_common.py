r"""Shared pieces of the witnesses of the chapter *Linear models*: random matrices with prescribed
singular values or rank, and error helpers. Nothing here calls :mod:`deepqed.linear`."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .._common import nan_max, single_threaded  # noqa: F401  (shared by every chapter)

__all__ = [
    "single_threaded",
    "orthonormal",
    "with_singular_values",
    "random_rank",
    "relative_error",
    "nan_max",
]


def orthonormal(rng: np.random.Generator, k: int, r: int) -> np.ndarray:
    """A ``(k, r)`` matrix with orthonormal columns (``r <= k``), Haar-distributed (QR of a
    Gaussian matrix with the signs of R's diagonal fixed)."""
    Q, R = np.linalg.qr(rng.standard_normal((k, r)))
    return Q * np.sign(np.diag(R))


def with_singular_values(
    rng: np.random.Generator, m: int, n: int, s: Sequence[float]
) -> np.ndarray:
    """``U diag(s) V^T`` of shape ``(m, n)`` with random orthonormal ``U``, ``V``
    (``len(s) <= min(m, n)``)."""
    s = np.asarray(s, dtype=np.float64)
    r = s.size
    return (orthonormal(rng, m, r) * s) @ orthonormal(rng, n, r).T


def random_rank(rng: np.random.Generator, m: int, n: int, r: int) -> np.ndarray:
    """A Gaussian ``(m, n)`` matrix of rank ``r`` (product of ``(m, r)`` and ``(r, n)``)."""
    return rng.standard_normal((m, r)) @ rng.standard_normal((r, n))


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """``||a - b|| / ||b||`` in float64 (infinite if the shapes differ, 0 if both are zero)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return math.inf
    den = float(np.linalg.norm(b))
    num = float(np.linalg.norm(a - b))
    if den == 0.0:
        return 0.0 if num == 0.0 else math.inf
    return num / den
