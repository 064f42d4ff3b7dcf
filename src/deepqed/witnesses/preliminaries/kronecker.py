r"""Witnesses of Section "Vectorisation and Kronecker products": `def-vec-kron`,
`prop-kron-properties`, `thm-vec-kron`, `def-commutation-matrix`, `prop-commutation-matrix`.

The references are NumPy's ``kron`` and explicit index loops written from the definitions."""

from __future__ import annotations

import math

import numpy as np

from ... import calculus
from ...registry import Figures, Witness
from ._common import nan_max


def _dims(rng: np.random.Generator, k: int, hi: int = 5) -> list[int]:
    return [int(v) for v in rng.integers(1, hi + 1, size=k)]


def vec_matches_definition(
    rng: np.random.Generator, *, vec=calculus.vec, unvec=calculus.unvec
) -> Figures:
    """``vec(X)[i + p j] == X[i, j]`` by an explicit double loop, ``unvec(vec(X)) == X``, and
    ``<A, B>_F == vec(A) . vec(B)``, float32 and float64."""
    errors = []
    n = 40
    for k in range(n):
        p, q = _dims(rng, 2)
        dtype = np.float32 if k % 2 else np.float64
        X = rng.standard_normal((p, q)).astype(dtype)
        v = np.asarray(vec(X))
        ref = np.empty(p * q, dtype=dtype)
        for i in range(p):
            for j in range(q):
                ref[i + p * j] = X[i, j]
        ok = v.shape == ref.shape and v.dtype == dtype and np.array_equal(v, ref)
        ok = ok and np.array_equal(np.asarray(unvec(ref, p, q)), X)
        errors.append(0.0 if ok else math.inf)
        A, B = rng.standard_normal((2, p, q))
        errors.append(
            abs(float(np.asarray(vec(A)) @ np.asarray(vec(B))) - float(np.sum(A * B)))
            / (np.linalg.norm(A) * np.linalg.norm(B))
            / 1e-14
        )
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "vec/unvec vs an index loop (0 if equal, inf if not, float32 and float64); "
        "|vec(A).vec(B) - sum A*B| / (|A||B|) in units of 1e-14",
    )


def kron_properties(rng: np.random.Generator, *, kron=np.kron) -> Figures:
    """Mixed product, transpose, inverse of a Kronecker product, checked against an entrywise
    construction of ``A (x) B`` from the definition."""
    errors = []
    n = 30
    for _ in range(n):
        m, nn, r, s, k, l = _dims(rng, 6, 4)
        A, B = rng.standard_normal((m, nn)), rng.standard_normal((r, s))
        C, D = rng.standard_normal((nn, k)), rng.standard_normal((s, l))
        ref = np.empty((m * r, nn * s))
        for i in range(m):
            for j in range(nn):
                ref[i * r : (i + 1) * r, j * s : (j + 1) * s] = A[i, j] * B  # block (i, j)
        K = np.asarray(kron(A, B))
        if K.shape != ref.shape:
            errors.append(np.inf)
            continue
        errors.append(float(np.abs(K - ref).max()) / 1e-15)
        lhs = np.asarray(kron(A, B)) @ np.asarray(kron(C, D))
        rhs = np.asarray(kron(A @ C, B @ D))
        scale = np.linalg.norm(A) * np.linalg.norm(B) * np.linalg.norm(C) * np.linalg.norm(D)
        errors.append(
            float(np.linalg.norm(lhs - rhs)) / scale / 1e-14 if lhs.shape == rhs.shape else np.inf
        )
        errors.append(
            float(np.abs(np.asarray(kron(A.T, B.T)) - K.T).max()) / 1e-15
            if K.T.shape == np.asarray(kron(A.T, B.T)).shape
            else np.inf
        )
        P = rng.standard_normal((m, m)) + 3 * np.eye(m)
        Q = rng.standard_normal((r, r)) + 3 * np.eye(r)
        inv = np.asarray(kron(np.linalg.inv(P), np.linalg.inv(Q)))
        errors.append(float(np.abs(np.asarray(kron(P, Q)) @ inv - np.eye(m * r)).max()) / 1e-12)
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "kron vs blockwise definition (units 1e-15); mixed product, relative, units "
        "1e-14; transpose (units 1e-15); (P kron Q)(P^-1 kron Q^-1) - I (units 1e-12)",
    )


def vec_of_product(rng: np.random.Generator, *, vec=calculus.vec) -> Figures:
    """``vec(A X B) == (B^T kron A) vec(X)`` with ``np.kron`` for random shapes, float64."""
    errors = []
    n = 40
    for _ in range(n):
        r, p, q, s = _dims(rng, 4)
        A, X, B = (rng.standard_normal(sh) for sh in ((r, p), (p, q), (q, s)))
        lhs = np.asarray(vec(A @ X @ B))
        rhs = np.kron(B.T, A) @ np.asarray(vec(X))
        scale = np.linalg.norm(A) * np.linalg.norm(X) * np.linalg.norm(B)
        errors.append(
            float(np.linalg.norm(lhs - rhs)) / scale / 1e-14 if lhs.shape == rhs.shape else np.inf
        )
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "||vec(AXB) - (B^T kron A) vec(X)|| / (|A||X||B|) in units of 1e-14, np.kron",
    )


def commutation_matrix_matches_definition(
    rng: np.random.Generator, *, commutation_matrix=calculus.commutation_matrix
) -> Figures:
    """``K_pq == sum_ij E_ij kron E_ij^T`` (built with ``np.kron``), exactly."""
    errors = []
    n = 20
    for _ in range(n):
        p, q = _dims(rng, 2)
        ref = np.zeros((p * q, p * q))
        for i in range(p):
            for j in range(q):
                E = np.zeros((p, q))
                E[i, j] = 1.0
                ref += np.kron(E, E.T)
        K = np.asarray(commutation_matrix(p, q))
        errors.append(0.0 if K.shape == ref.shape and np.array_equal(K, ref) else 1.0)
    return Figures(
        n, nan_max(errors), 0.0, "K_pq vs sum_ij kron(E_ij, E_ij^T) (0 if exactly equal, 1 if not)"
    )


def commutation_matrix_transposes(
    rng: np.random.Generator, *, commutation_matrix=calculus.commutation_matrix
) -> Figures:
    """``K vec(A) = vec(A^T)`` (``A.T.reshape``, row-major), ``K_pq^T K_pq = I``,
    ``K_qp K_pq = I`` and ``K_pm (A kron B) = (B kron A) K_qn`` with ``np.kron``."""
    errors = []
    n = 30
    for _ in range(n):
        p, q, m, nn = _dims(rng, 4)
        A = rng.standard_normal((p, q))
        K = np.asarray(commutation_matrix(p, q))
        if K.shape != (p * q, p * q):
            errors.append(np.inf)
            continue
        vecA = A.reshape(-1, order="F")
        errors.append(float(np.abs(K @ vecA - A.T.reshape(-1, order="F")).max()) / 1e-15)
        errors.append(float(np.abs(K.T @ K - np.eye(p * q)).max()) / 1e-15)
        errors.append(
            float(np.abs(np.asarray(commutation_matrix(q, p)) @ K - np.eye(p * q)).max()) / 1e-15
        )
        A2, B2 = rng.standard_normal((m, nn)), rng.standard_normal((p, q))
        lhs = np.asarray(commutation_matrix(p, m)) @ np.kron(A2, B2)
        rhs = np.kron(B2, A2) @ np.asarray(commutation_matrix(q, nn))
        errors.append(float(np.abs(lhs - rhs).max()) / 1e-14 if lhs.shape == rhs.shape else np.inf)
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "max abs errors of K vec(A) = vec(A^T), K^T K = I, K_qp K_pq = I (units 1e-15) "
        "and K_pm (A kron B) = (B kron A) K_qn (units 1e-14), float64",
    )


CLAIMS = (
    Witness(
        "def-vec-kron",
        vec_matches_definition,
        "vec/unvec vs an index loop; vec is a Frobenius isometry",
    ),
    Witness("def-vec-kron", kron_properties, "np.kron vs the blockwise definition"),
    Witness(
        "prop-kron-properties",
        kron_properties,
        "mixed product, transpose, inverse of Kronecker products",
    ),
    Witness("thm-vec-kron", vec_of_product, "vec(AXB) = (B^T kron A) vec(X) with np.kron"),
    Witness(
        "def-commutation-matrix",
        commutation_matrix_matches_definition,
        "K_pq vs the sum of E_ij kron E_ij^T",
    ),
    Witness(
        "prop-commutation-matrix",
        commutation_matrix_transposes,
        "K vec(A) = vec(A^T), orthogonality, K (A kron B) = (B kron A) K",
    ),
)
