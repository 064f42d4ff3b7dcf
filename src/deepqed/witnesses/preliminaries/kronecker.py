r"""Witnesses of Section "Vectorisation and Kronecker products": `def-vec-kron`,
`prop-kron-properties`, `thm-vec-kron`, `def-commutation-matrix`, `prop-commutation-matrix`.

The references are explicit index loops written from the definitions. Identities that only move
entries (vec, transposes, permutations) are compared exactly; identities with sums of products
are compared normwise with the rounding bound $\gamma_k$ of :mod:`._common`."""

from __future__ import annotations

import numpy as np

from ... import calculus
from ...registry import Witness
from .._common import Evidence, error, single_threaded
from ._common import gamma, unit_roundoff


def _dims(rng: np.random.Generator, k: int, hi: int = 5) -> list[int]:
    return [int(v) for v in rng.integers(1, hi + 1, size=k)]


def _kron_by_blocks(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """``A ⊗ B`` from Definition def-vec-kron: block ``(i, j)`` is ``A[i, j] B``."""
    (m, n), (r, s) = A.shape, B.shape
    out = np.empty((m * r, n * s), dtype=np.result_type(A, B))
    for i in range(m):
        for j in range(n):
            out[i * r : (i + 1) * r, j * s : (j + 1) * s] = A[i, j] * B
    return out


def _max_abs_difference(a: np.ndarray, b: np.ndarray) -> float:
    a, b = np.asarray(a), np.asarray(b)
    return float(np.max(np.abs(a - b))) if a.shape == b.shape else np.inf


@single_threaded
def vec_matches_definition(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = np.dtype("float64"),
    vec=calculus.vec,
    unvec=calculus.unvec,
) -> Evidence:
    """``vec(X)[i + p j] == X[i, j]`` by an explicit double loop and ``unvec(vec(X)) == X``
    (exactly: entries are only moved); ``vec(A) . vec(B) == sum_ij A_ij B_ij`` to within the
    rounding of two sums of ``pq`` products, ``2 gamma_pq sum |A_ij B_ij|``."""
    n = 30
    moved = roundtrip = isometry = 0.0
    for _ in range(n):
        p, q = _dims(rng, 2)
        X = rng.standard_normal((p, q)).astype(dtype)
        ref = np.empty(p * q, dtype=dtype)
        for i in range(p):
            for j in range(q):
                ref[i + p * j] = X[i, j]
        v = np.asarray(vec(X))
        moved = max(moved, _max_abs_difference(v, ref) if v.dtype == dtype else np.inf)
        roundtrip = max(roundtrip, _max_abs_difference(unvec(ref, p, q), X))
        A, B = rng.standard_normal((2, p, q)).astype(dtype)
        lhs = float(np.asarray(vec(A)) @ np.asarray(vec(B)))
        rhs = float(np.sum(A.astype(np.float64) * B.astype(np.float64)))
        scale = float(np.sum(np.abs(A.astype(np.float64) * B.astype(np.float64))))
        isometry = max(isometry, abs(lhs - rhs) / (scale * 2 * gamma(p * q, dtype)))
    return Evidence(
        n,
        (
            error("$\\operatorname{vec}(X)$ vs the index loop", moved, 0.0, units="max abs error"),
            error(
                "$\\operatorname{unvec}_{p,q}(\\operatorname{vec} X)$ vs $X$",
                roundtrip,
                0.0,
                units="max abs error",
            ),
            error(
                "$|\\operatorname{vec}(A)^\\top\\operatorname{vec}(B) - \\langle A, B\\rangle|$ "
                "in units of its rounding bound $2\\gamma_{pq}\\sum|A_{ij}B_{ij}|$",
                isometry,
                1.0,
                units="× bound",
            ),
        ),
    )


def _integer_unit_triangular(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``P = Pi L`` and its inverse ``L^{-1} Pi^T``, with ``L`` unit lower triangular with
    entries in {-2, ..., 2}; both have small integer entries, so every product below is exact."""
    L = np.tril(rng.integers(-2, 3, size=(n, n)), -1) + np.eye(n, dtype=np.int64)
    Linv = np.eye(n, dtype=np.int64)
    for i in range(n):  # forward substitution in integers: L Linv = I
        for j in range(i):
            Linv[i] -= L[i, j] * Linv[j]
    perm = rng.permutation(n)
    Pi = np.eye(n, dtype=np.int64)[perm]
    return (Pi @ L).astype(np.float64), (Linv @ Pi.T).astype(np.float64)


@single_threaded
def kron_properties(rng: np.random.Generator, *, kron=np.kron) -> Evidence:
    """``kron`` (NumPy's, which the library uses) vs the blockwise definition (exact: each entry is
    one product); the mixed product normwise to within ``2 gamma_(ns + n + s + 3)``; the transpose
    exactly; and ``(P kron Q)(P^-1 kron Q^-1) = I`` exactly for integer matrices with integer
    inverses (``P = Pi L``, ``L`` unit lower triangular)."""
    n_inst = 30
    definition = mixed = transpose = inverse = 0.0
    for _ in range(n_inst):
        m, nn, r, s, k, l = _dims(rng, 6, 4)
        A, B = rng.standard_normal((m, nn)), rng.standard_normal((r, s))
        C, D = rng.standard_normal((nn, k)), rng.standard_normal((s, l))
        K = np.asarray(kron(A, B))
        definition = max(definition, _max_abs_difference(K, _kron_by_blocks(A, B)))
        lhs = np.asarray(kron(A, B)) @ np.asarray(kron(C, D))
        rhs = np.asarray(kron(A @ C, B @ D))
        scale = np.linalg.norm(A) * np.linalg.norm(B) * np.linalg.norm(C) * np.linalg.norm(D)
        bound = 2 * gamma(nn * s + nn + s + 3)
        diff = np.linalg.norm(lhs - rhs) if lhs.shape == rhs.shape else np.inf
        mixed = max(mixed, float(diff) / scale / bound)
        transpose = max(transpose, _max_abs_difference(kron(A.T, B.T), K.T))
        P, Pinv = _integer_unit_triangular(rng, m)
        Q, Qinv = _integer_unit_triangular(rng, r)
        prod = np.asarray(kron(P, Q)) @ np.asarray(kron(Pinv, Qinv))
        inverse = max(inverse, _max_abs_difference(prod, np.eye(m * r)))
    return Evidence(
        n_inst,
        (
            error("$A\\otimes B$ vs its blocks $A_{ij}B$", definition, 0.0, units="max abs error"),
            error(
                "$\\|(A\\otimes B)(C\\otimes D) - AC\\otimes BD\\|/(\\|A\\|\\|B\\|\\|C\\|\\|D\\|)$ "
                "in units of its rounding bound $2\\gamma_{ns+n+s+3}$",
                mixed,
                1.0,
                units="× bound",
            ),
            error(
                "$(A\\otimes B)^\\top$ vs $A^\\top\\otimes B^\\top$",
                transpose,
                0.0,
                units="max abs error",
            ),
            error(
                "$(P\\otimes Q)(P^{-1}\\otimes Q^{-1})$ vs $I$, integer matrices",
                inverse,
                0.0,
                units="max abs error",
            ),
        ),
    )


@single_threaded
def vec_of_product(
    rng: np.random.Generator, *, dtype: np.dtype = np.dtype("float64"), vec=calculus.vec
) -> Evidence:
    r"""``vec(A X B) == (B^T kron A) vec(X)`` (``np.kron`` and the library's ``vec``), normwise
    relative to ``|A||X||B|`` within the rounding bound ``2 gamma_(pq + p + q + 1)`` of the two
    evaluations."""
    n = 40
    worst = 0.0
    for _ in range(n):
        r, p, q, s = _dims(rng, 4)
        A, X, B = (rng.standard_normal(sh).astype(dtype) for sh in ((r, p), (p, q), (q, s)))
        lhs = np.asarray(vec(A @ X @ B), dtype=np.float64)
        rhs = (np.kron(B.T, A) @ np.asarray(vec(X))).astype(np.float64)
        scale = float(np.linalg.norm(A) * np.linalg.norm(X) * np.linalg.norm(B))
        bound = 2 * gamma(p * q + p + q + 1, dtype)
        diff = np.linalg.norm(lhs - rhs) if lhs.shape == rhs.shape else np.inf
        worst = max(worst, float(diff) / scale / bound)
    return Evidence(
        n,
        (
            error(
                "$\\|\\operatorname{vec}(AXB) - (B^\\top\\otimes A)\\operatorname{vec}(X)\\|"
                "/(\\|A\\|\\|X\\|\\|B\\|)$ in units of its rounding bound $2\\gamma_{pq+p+q+1}$",
                worst,
                1.0,
                units="× bound",
            ),
        ),
        note=f"unit roundoff {unit_roundoff(dtype):.3g}",
    )


@single_threaded
def commutation_matrix_matches_definition(
    rng: np.random.Generator, *, commutation_matrix=calculus.commutation_matrix
) -> Evidence:
    """``K_pq == sum_ij E_ij kron E_ij^T`` (built with ``np.kron``), exactly."""
    n = 20
    worst = 0.0
    for _ in range(n):
        p, q = _dims(rng, 2)
        ref = np.zeros((p * q, p * q))
        for i in range(p):
            for j in range(q):
                E = np.zeros((p, q))
                E[i, j] = 1.0
                ref += np.kron(E, E.T)
        worst = max(worst, _max_abs_difference(commutation_matrix(p, q), ref))
    return Evidence(
        n,
        (
            error(
                "$K_{pq}$ vs $\\sum_{ij}E_{ij}\\otimes E_{ij}^\\top$",
                worst,
                0.0,
                units="max abs error",
            ),
        ),
    )


@single_threaded
def commutation_matrix_transposes(
    rng: np.random.Generator, *, commutation_matrix=calculus.commutation_matrix
) -> Evidence:
    """Parts 1-3, exactly (a permutation matrix only moves entries, and products with it add
    exact zeros): ``K vec(A) = vec(A^T)``, ``K_pq^T K_pq = I``, ``K_qp K_pq = I`` and
    ``K_pm (A kron B) = (B kron A) K_qn``, with ``vec`` as NumPy's column-major reshape."""
    n = 30
    part1 = orthogonal = inverse = part3 = 0.0
    for _ in range(n):
        p, q, m, nn = _dims(rng, 4)
        A = rng.standard_normal((p, q))
        K = np.asarray(commutation_matrix(p, q))
        part1 = max(
            part1,
            _max_abs_difference(K @ A.reshape(-1, order="F"), A.T.reshape(-1, order="F"))
            if K.shape == (p * q, p * q)
            else np.inf,
        )
        orthogonal = max(orthogonal, _max_abs_difference(K.T @ K, np.eye(p * q)))
        inverse = max(
            inverse, _max_abs_difference(np.asarray(commutation_matrix(q, p)) @ K, np.eye(p * q))
        )
        A2, B2 = rng.standard_normal((m, nn)), rng.standard_normal((p, q))
        lhs = np.asarray(commutation_matrix(p, m)) @ np.kron(A2, B2)
        rhs = np.kron(B2, A2) @ np.asarray(commutation_matrix(q, nn))
        part3 = max(part3, _max_abs_difference(lhs, rhs))
    return Evidence(
        n,
        (
            error(
                "$K_{pq}\\operatorname{vec}(A)$ vs $\\operatorname{vec}(A^\\top)$",
                part1,
                0.0,
                units="max abs error",
            ),
            error("$K_{pq}^\\top K_{pq}$ vs $I$", orthogonal, 0.0, units="max abs error"),
            error("$K_{qp}K_{pq}$ vs $I$", inverse, 0.0, units="max abs error"),
            error(
                "$K_{pm}(A\\otimes B)$ vs $(B\\otimes A)K_{qn}$", part3, 0.0, units="max abs error"
            ),
        ),
    )


CLAIMS = (
    Witness(
        "def-vec-kron",
        vec_matches_definition,
        "vec/unvec vs an index loop; vec is a Frobenius isometry",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "def-vec-kron",
        kron_properties,
        "np.kron vs the blockwise definition",
        strength="exact",
    ),
    Witness(
        "prop-kron-properties",
        kron_properties,
        "mixed product, transpose, inverse of Kronecker products",
        strength="exact",
    ),
    Witness(
        "thm-vec-kron",
        vec_of_product,
        "vec(AXB) = (B^T kron A) vec(X) with np.kron",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "def-commutation-matrix",
        commutation_matrix_matches_definition,
        "K_pq vs the sum of E_ij kron E_ij^T",
        strength="exact",
    ),
    Witness(
        "prop-commutation-matrix",
        commutation_matrix_transposes,
        "K vec(A) = vec(A^T), orthogonality, K (A kron B) = (B kron A) K",
        strength="exact",
    ),
)
