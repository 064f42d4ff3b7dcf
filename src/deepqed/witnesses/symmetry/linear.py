r"""Witnesses of Sections "Shifts", "Permutations" and "The Reynolds projection":
`thm-sym-circulant`, `thm-sym-bell`, `cor-sym-deepsets`, `thm-sym-reynolds`,
`cor-sym-fixed-points`.

Dimensions of spaces of equivariant maps are null spaces of integer constraint matrices
$A\rho_{\mathrm{in}}(g) = \rho_{\mathrm{out}}(g)A$ over generators $g$, computed exactly by
SymPy over the integers, and compared with the theorems' counts and with SymPy's Bell and
Stirling numbers. Floating-point identities are compared with rounding bounds (Higham 2002,
Section 3.1)."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import sympy

from ... import cnn
from ... import symmetry as sym
from ...registry import Witness
from .._common import Evidence, equal, error, single_threaded
from ._common import commutant_constraints, exact_nullity, gamma, transposition_and_cycle


def _shift_generators(C: int, n: tuple[int, int]) -> list[np.ndarray]:
    eye = np.eye(C, dtype=np.int64)
    return [np.kron(eye, sym.shift_matrix(n, t)) for t in ((1, 0), (0, 1))]


def _as_chapter7_kernel(W: np.ndarray) -> tuple[np.ndarray, tuple[int, int]]:
    r"""Chapter 7's $K_{W'}$ with circular padding $p$, $2p = k - 1$, computes
    $\sum_aW'_a x_{(i + a - p)\bmod n}$; with $W'_a = W_{(a - p)\bmod n}$ (and, for even $n_r$,
    $k_r = n_r + 1$ with the last slice $0$) it is $W\star x$."""
    C_out, C_in, n1, n2 = W.shape
    k = (n1 + 1 - n1 % 2, n2 + 1 - n2 % 2)
    p = ((k[0] - 1) // 2, (k[1] - 1) // 2)
    Wp = np.zeros((C_out, C_in) + k, dtype=W.dtype)
    for a1 in range(n1):
        for a2 in range(n2):
            Wp[:, :, a1, a2] = W[:, :, (a1 - p[0]) % n1, (a2 - p[1]) % n2]
    return Wp, p


@single_threaded
def shift_equivariant_maps_are_circular_correlations(
    rng: np.random.Generator,
    dtype: np.dtype = np.dtype("float64"),
    *,
    circular_kernel=sym.circular_kernel,
    circular_matrix=sym.circular_matrix,
    circular_correlation=sym.circular_correlation,
) -> Evidence:
    r"""Theorem `thm-sym-circulant`: (a) the linear maps commuting with $S_{e_1}$ and $S_{e_2}$
    form a space of dimension exactly $C_{\mathrm{out}}C_{\mathrm{in}}n_1n_2$ (exact null space),
    and commuting with $S_{e_1}$ alone is not enough: dimension $C_{\mathrm{out}}C_{\mathrm{in}}
    n_1n_2^2$ (necessity of both generators); (b) for random kernels $W$, the map
    $A$ = ``circular_matrix(W)`` commutes with random shifts (applied by ``np.roll``), its kernel
    ``circular_kernel(A)`` is $W$ exactly, and $W\star x$ agrees with $Ax$ and with chapter 7's
    circular cross-correlation (``cnn.conv2d``) up to $2\gamma_K$ times $|W|\star|x|$."""
    dims_bad = dims_one_bad = 0
    cases = []
    for _ in range(4):
        C_in, C_out = int(rng.integers(1, 3)), int(rng.integers(1, 3))
        n = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
        cases.append((C_in, C_out, n))
        gi, go = _shift_generators(C_in, n), _shift_generators(C_out, n)
        both = exact_nullity(commutant_constraints(gi, go))
        one = exact_nullity(commutant_constraints(gi[:1], go[:1]))
        dims_bad += int(both != C_out * C_in * n[0] * n[1])
        dims_one_bad += int(one != C_out * C_in * n[0] * n[1] ** 2)
    comm = kern = 0.0
    dense = conv = 0.0
    kernel_bad = 0
    for _ in range(4):
        C_in, C_out = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        n = (int(rng.integers(1, 7)), int(rng.integers(1, 7)))
        N = n[0] * n[1]
        W = rng.standard_normal((C_out, C_in) + n).astype(dtype)
        A = circular_matrix(W)
        X = rng.standard_normal((3, C_in) + n).astype(dtype)
        t = (int(rng.integers(-9, 10)), int(rng.integers(-9, 10)))
        K = C_in * N + 1
        Am = A.reshape(C_out * N, C_in * N)
        absW = np.abs(W).astype(np.float64)
        scale = sym.circular_correlation(np.abs(X).astype(np.float64), absW)  # |W| * |x|
        AX = (X.reshape(3, -1) @ Am.T).reshape((3, C_out) + n)
        AsX = (np.roll(X, t, axis=(2, 3)).reshape(3, -1) @ Am.T).reshape((3, C_out) + n)
        sscale = np.roll(scale, t, axis=(2, 3))
        comm = max(comm, float(np.max(np.abs(AsX - np.roll(AX, t, axis=(2, 3))) / sscale)))
        kernel_bad += int(np.sum(circular_kernel(A) != W))
        Z = circular_correlation(X, W)
        dense = max(dense, float(np.max(np.abs(Z - AX) / scale)))
        Wp, p = _as_chapter7_kernel(W)
        Z7 = cnn.conv2d(X, Wp, np.zeros(C_out, dtype=dtype), padding=p, padding_mode="circular")
        conv = max(conv, float(np.max(np.abs(np.asarray(Z7) - Z) / scale)))
        kern = max(kern, K)
    tol = 2 * gamma(int(kern) + 2 * 7 * 7, dtype)
    at = ", ".join(f"(C_in, C_out, n) = ({a}, {b}, {c})" for a, b, c in cases[:2])
    return Evidence(
        8,
        (
            equal(
                r"dim of maps commuting with $S_{e_1}, S_{e_2}$ vs $C_{out}C_{in}n_1n_2$ (mismatches)",
                dims_bad,
                0,
                0,
                at=at,
            ),
            equal(
                r"dim of maps commuting with $S_{e_1}$ only vs $C_{out}C_{in}n_1n_2^2$ (mismatches)",
                dims_one_bad,
                0,
                0,
            ),
            error(r"$|AS_tx - S_tAx|$ / $|W|\star|x|$", comm, tol, units="relative to |W| * |x|"),
            equal("entries where circular_kernel(A) differs from W", kernel_bad, 0, 0),
            error(r"$|W\star x - Ax|$ / $|W|\star|x|$", dense, tol, units="relative to |W| * |x|"),
            error(
                r"$|W\star x - K_{W'}x|$ (chapter 7, circular) / $|W|\star|x|$",
                conv,
                tol,
                units="relative to |W| * |x|",
            ),
        ),
    )


_BELL_CASES = (
    (1, 1, 1),
    (2, 1, 1),
    (5, 1, 1),
    (3, 1, 0),
    (4, 2, 0),
    (4, 2, 1),
    (4, 1, 2),
    (2, 2, 2),
    (3, 2, 2),
    (2, 3, 1),
    (4, 2, 2),
)


@single_threaded
def permutation_equivariant_dimension_is_bell(
    rng: np.random.Generator,
    *,
    equivariant_dimension=sym.equivariant_dimension,
    orbit_basis=sym.orbit_basis,
) -> Evidence:
    r"""Theorem `thm-sym-bell`: for $(n, k, l)$ from $(1, 1, 1)$ to $(4, 2, 2)$, the exact null
    space of $\{T: \rho_l(g)T = T\rho_k(g)\}$ over the generators $(0\,1)$ and
    $(0\,1\,\dots\,n - 1)$ of $S_n$ has dimension ``equivariant_dimension(n, k, l)``
    $= \sum_{j\le n}S(k + l, j)$ (SymPy's Stirling numbers), which is SymPy's Bell number
    $B_{k+l}$ when $n\ge k + l$ and smaller when $n < k + l$; the library's orbit basis has that
    many elements, each equivariant (exactly, integer arithmetic), with disjoint supports covering
    $[n]_0^{k+l}$ (hence a basis)."""
    del rng  # the cases are fixed: the statement is about these dimensions
    nullity_bad = bell_bad = basis_bad = 0
    strict = 0
    for n, k, l in _BELL_CASES:
        m = k + l
        gens = transposition_and_cycle(n)
        null = exact_nullity(
            commutant_constraints(
                [sym.permutation_representation(g, k) for g in gens],
                [sym.permutation_representation(g, l) for g in gens],
            )
        )
        d = equivariant_dimension(n, k, l)
        stirling = sum(
            int(sympy.functions.combinatorial.numbers.stirling(m, j)) for j in range(min(n, m) + 1)
        )
        nullity_bad += int(null != d) + int(d != stirling)
        if n >= m:
            bell_bad += int(d != int(sympy.bell(m)))
        else:
            strict += int(d < int(sympy.bell(m)))
        B = orbit_basis(n, k, l).reshape(-1, n**l, n**k)
        basis_bad += int(B.shape[0] != null)
        basis_bad += int(np.any(B.sum(axis=0) != 1))
        for g in gens:
            Pk = sym.permutation_representation(g, k)
            Pl = sym.permutation_representation(g, l)
            basis_bad += int(np.any(Pl @ B != B @ Pk))
    return Evidence(
        len(_BELL_CASES),
        (
            equal(
                "cases where the exact nullity differs from the theorem's count", nullity_bad, 0, 0
            ),
            equal(r"cases with $n\ge k + l$ where the count is not $B_{k+l}$", bell_bad, 0, 0),
            equal(
                r"cases with $n < k + l$ where the count is below $B_{k+l}$",
                strict,
                sum(n < k + l for n, k, l in _BELL_CASES),
                0,
            ),
            equal("defects of the orbit basis (size, partition, equivariance)", basis_bad, 0, 0),
        ),
    )


@single_threaded
def deepsets_layers_are_all_equivariant_maps(
    rng: np.random.Generator,
    *,
    deepsets_projection=sym.deepsets_projection,
    deepsets_layer=sym.deepsets_layer,
) -> Evidence:
    r"""Corollary `cor-sym-deepsets`: (a) the maps $\mathbb R^{n\times C}\to\mathbb R^{n\times D}$
    commuting with all $P_\sigma$ form a space of dimension exactly $2CD$ ($CD$ for $n = 1$),
    exact null space; (b) for a random dense $A$, the Deep Sets layer with
    $(\Lambda, \Gamma)$ = ``deepsets_projection(A)`` equals the average
    $\frac1{n!}\sum_\sigma P_\sigma^\top AP_\sigma$ over all $n!$ permutations, up to
    $(\gamma_{n!+1} + \gamma_{n^2+4})\max|A|$."""
    null_bad = 0
    for n, C, D in ((1, 2, 3), (2, 1, 1), (3, 2, 1), (4, 2, 2), (5, 1, 2)):
        gens = transposition_and_cycle(n)
        gi = [
            np.kron(sym.permutation_representation(g, 1), np.eye(C, dtype=np.int64)) for g in gens
        ]
        go = [
            np.kron(sym.permutation_representation(g, 1), np.eye(D, dtype=np.int64)) for g in gens
        ]
        null_bad += int(exact_nullity(commutant_constraints(gi, go)) != (2 if n > 1 else 1) * C * D)
    worst = 0.0
    worst_at = ""
    tol = 0.0
    for _ in range(4):
        n, C, D = int(rng.integers(1, 6)), int(rng.integers(1, 4)), int(rng.integers(1, 4))
        A = rng.standard_normal((n, D, n, C))
        perms = list(itertools.permutations(range(n)))
        avg = np.zeros_like(A)
        for s in perms:
            s = np.array(s)
            avg += A[np.ix_(s, np.arange(D), s, np.arange(C))]  # (P^T A P)_{j,i} = A_{s(j), s(i)}
        avg /= len(perms)
        Lam, Gam = deepsets_projection(A)
        E = np.eye(n * C).reshape(n * C, n, C)  # basis sets, one per (i, c)
        L = deepsets_layer(E, Lam, Gam, np.zeros(D))  # L[(i, c), j, d] = layer matrix entry
        layer = L.reshape(n, C, n, D).transpose(2, 3, 0, 1)
        err = float(np.max(np.abs(layer - avg)) / np.max(np.abs(A)))
        t = gamma(len(perms) + 1) + gamma(n * n + 4)
        if err / t > (worst / tol if tol else -1):
            worst, tol, worst_at = err, t, f"n = {n}, C = {C}, D = {D}"
    return Evidence(
        9,
        (
            equal(r"cases where the exact nullity is not $2CD$ ($CD$ for $n = 1$)", null_bad, 0, 0),
            error(
                r"Deep Sets layer of the projection vs average over $S_n$, / $\max|A|$",
                worst,
                tol,
                units="relative to max|A|",
                at=worst_at,
            ),
        ),
    )


def _tensor_group(n: int, k: int, l: int):
    perms = sym.symmetric_group(n)
    rin = np.stack([sym.permutation_representation(g, k) for g in perms])
    rout = np.stack([sym.permutation_representation(g, l) for g in perms])
    return rin, rout


def _cyclic_group(C_in: int, C_out: int, n: tuple[int, int]):
    ts = list(itertools.product(range(n[0]), range(n[1])))
    rin = np.stack([np.kron(np.eye(C_in, dtype=np.int64), sym.shift_matrix(n, t)) for t in ts])
    rout = np.stack([np.kron(np.eye(C_out, dtype=np.int64), sym.shift_matrix(n, t)) for t in ts])
    return rin, rout


def _unimodular(rng: np.random.Generator, d: int) -> tuple[np.ndarray, np.ndarray]:
    r"""A random integer matrix $M = UL$ ($U$ unit upper, $L$ unit lower triangular, sparse
    off-diagonal entries in $\{-1, 0, 1\}$), so $\det M = 1$, with its integer inverse, checked
    exactly ($MM^{-1} = I$ in integer arithmetic)."""
    U = np.triu(rng.integers(-1, 2, size=(d, d)) * (rng.random((d, d)) < 0.3), 1) + np.eye(
        d, dtype=np.int64
    )
    L = np.tril(rng.integers(-1, 2, size=(d, d)) * (rng.random((d, d)) < 0.3), -1) + np.eye(
        d, dtype=np.int64
    )
    M = (U @ L).astype(np.int64)
    Minv = np.array(sympy.Matrix(M.tolist()).inv().tolist(), dtype=np.int64)
    if not np.array_equal(M @ Minv, np.eye(d, dtype=np.int64)):
        raise AssertionError("integer inverse of a unimodular matrix")  # cannot happen
    return M, Minv


def _conjugated_group(rng: np.random.Generator, n: int, k: int, l: int):
    r"""$S_n$ acting by $M_k\rho_k(g)M_k^{-1}$ and $M_l\rho_l(g)M_l^{-1}$, $M$ random unimodular:
    representations by integer matrices that are not orthogonal; $B\mapsto M_lBM_k^{-1}$ maps
    the orbit basis onto their equivariant maps."""
    rin, rout = _tensor_group(n, k, l)
    Mi, Mi_inv = _unimodular(rng, n**k)
    Mo, Mo_inv = _unimodular(rng, n**l)
    rin_c = np.einsum("ij,gjk,kl->gil", Mi, rin, Mi_inv)
    rout_c = np.einsum("ij,gjk,kl->gil", Mo, rout, Mo_inv)
    rout_inv = np.einsum("ij,gkj,kl->gil", Mo, rout, Mo_inv)  # M rho(g)^T M^{-1}, exact
    B = np.tensordot(
        rng.integers(-3, 4, size=sym.equivariant_dimension(n, k, l)), sym.orbit_basis(n, k, l), 1
    ).reshape(n**l, n**k)  # integer: M_l B M_k^{-1} is exact
    gens = transposition_and_cycle(n)
    gin = [Mi @ sym.permutation_representation(g, k) @ Mi_inv for g in gens]
    gout = [Mo @ sym.permutation_representation(g, l) @ Mo_inv for g in gens]
    return rin_c, rout_c, rout_inv, Mo @ B @ Mi_inv, gin, gout


def _general_reynolds_defects(
    rng: np.random.Generator, dtype: np.dtype, reynolds, character_dimension
) -> tuple[dict[str, float], int]:
    r"""Item 1 (and 3) of `thm-sym-reynolds` for representations that are not orthogonal,
    entrywise. With $T(X) = \frac1{|G|}\sum_g|\rho_{\mathrm{out}}(g)^{-1}||X||\rho_{\mathrm{in}}(g)|$
    and $K = p + q + |G| + 3$ (the longest chain of roundings in one entry of a sum of $|G|pq$
    triple products and a division), the computed $\hat R$ of $\mathcal R(A)$ is within
    $\gamma_KT(|A|)$ of it. Hence (exact $\mathcal R(A)$ being equivariant, idempotent and
    fixing $B$): $|\hat R\rho_{\mathrm{in}}(h) - \rho_{\mathrm{out}}(h)\hat R|\le
    \gamma_K(T(|A|)|\rho_{\mathrm{in}}| + |\rho_{\mathrm{out}}|T(|A|)) + \gamma_{\max(p, q)+1}
    (|\hat R||\rho_{\mathrm{in}}| + |\rho_{\mathrm{out}}||\hat R|)$;
    $|\mathcal R(\hat R) - \hat R|\le\gamma_{K+1}(T(T(|A|)) + T(|A|) + T(|\hat R|))$;
    $|\mathcal R(B) - B|\le\gamma_KT(|B|)$ for $B$ equivariant (exact, integer). Returns the
    worst ratios to these bounds (bounds computed in float64 from nonnegative terms) and the
    number of groups where the character formula differs from the exact nullity."""
    worst = {"equiv": 0.0, "idem": 0.0, "fix": 0.0}
    dim_bad = 0
    for n, k, l in ((4, 1, 1), (3, 2, 1)):
        rin, rout, rout_inv, B, gin, gout = _conjugated_group(rng, n, k, l)
        G, p, q = rin.shape[0], rout.shape[1], rin.shape[1]
        gK = gamma(p + q + G + 3, dtype)
        ain, aout_inv, aout = (np.abs(r).astype(np.float64) for r in (rin, rout_inv, rout))

        def T(X: np.ndarray, ain=ain, aout_inv=aout_inv) -> np.ndarray:
            return np.einsum("gij,jk,gkl->il", aout_inv, X, ain) / ain.shape[0]

        A = rng.standard_normal((p, q)).astype(dtype)
        RA = reynolds(A, rin, rout)
        TA = T(np.abs(A).astype(np.float64))
        aR = np.abs(RA).astype(np.float64)
        for g in range(G):
            Pin, Pout = rin[g].astype(dtype), rout[g].astype(dtype)
            gap = np.abs((RA @ Pin - Pout @ RA).astype(np.float64))
            bound = gK * (TA @ ain[g] + aout[g] @ TA) + gamma(max(p, q) + 1, dtype) * (
                aR @ ain[g] + aout[g] @ aR
            )
            worst["equiv"] = max(worst["equiv"], float(np.max(gap / bound)))
        gap = np.abs((reynolds(RA, rin, rout) - RA).astype(np.float64))
        bound = gamma(p + q + G + 4, dtype) * (T(TA) + TA + T(aR))
        worst["idem"] = max(worst["idem"], float(np.max(gap / bound)))
        Bd = B.astype(dtype)  # integer entries, exact
        gap = np.abs((reynolds(Bd, rin, rout) - Bd).astype(np.float64))
        bound = gK * T(np.abs(B).astype(np.float64))
        worst["fix"] = max(
            worst["fix"],
            float(
                np.max(np.divide(gap, bound, out=np.where(gap > 0, np.inf, 0.0), where=bound > 0))
            ),
        )
        dim_bad += int(
            character_dimension(rin, rout)
            != Fraction(exact_nullity(commutant_constraints(gin, gout)))
        )
    return worst, dim_bad


@single_threaded
def reynolds_is_the_orthogonal_projection(
    rng: np.random.Generator,
    dtype: np.dtype = np.dtype("float64"),
    *,
    reynolds=sym.reynolds,
    character_dimension=sym.character_dimension,
) -> Evidence:
    r"""Theorem `thm-sym-reynolds` for $S_n$ on tensors ($(n, k, l)$ = $(4, 1, 1)$, $(3, 2, 1)$,
    $(4, 1, 2)$, $(3, 2, 2)$) and for cyclic shifts of images with channels: for a random $A$,
    $\mathcal R(A)$ is equivariant, $\mathcal R(\mathcal R(A)) = \mathcal R(A)$,
    $\mathcal R(B) = B$ for equivariant $B$ (random combinations of the orbit basis),
    $\langle A - \mathcal R(A), B\rangle = 0$, all up to multiples of $\gamma_{|G|+1}$ (relative
    to $\max|A|$, $\max|B|$, $\sum(|A| + |\mathcal R(A)|)|B|$); and the trace
    $\frac1{|G|}\sum_g\chi_{\mathrm{out}}(g)\chi_{\mathrm{in}}(g)$ equals the exact null space
    dimension. Item 1 holds for every representation: the same checks (and the trace formula)
    run on $S_4$ on $\mathbb R^4$ and $S_3$ on $\mathbb R^{3\times 3}\to\mathbb R^3$ conjugated by
    random unimodular integer matrices (not orthogonal), against the entrywise rounding bounds
    of ``_general_reynolds_defects``."""
    worst = {"equiv": 0.0, "idem": 0.0, "fix": 0.0, "orth": 0.0}
    dim_bad = 0
    groups = []
    for n, k, l in ((4, 1, 1), (3, 2, 1), (4, 1, 2), (3, 2, 2)):
        rin, rout = _tensor_group(n, k, l)
        B = np.tensordot(
            rng.standard_normal(sym.equivariant_dimension(n, k, l)), sym.orbit_basis(n, k, l), 1
        )
        gens = transposition_and_cycle(n)
        gin = [sym.permutation_representation(g, k) for g in gens]
        gout = [sym.permutation_representation(g, l) for g in gens]
        groups.append((rin, rout, B.reshape(n**l, n**k), gin, gout))
    C_in, C_out = int(rng.integers(1, 3)), int(rng.integers(1, 3))
    n = (int(rng.integers(1, 4)), int(rng.integers(2, 4)))
    rin, rout = _cyclic_group(C_in, C_out, n)
    W = rng.standard_normal((C_out, C_in) + n)
    B = sym.circular_matrix(W).reshape(C_out * n[0] * n[1], C_in * n[0] * n[1])
    groups.append((rin, rout, B, _shift_generators(C_in, n), _shift_generators(C_out, n)))
    for rin, rout, B, gin, gout in groups:
        G = rin.shape[0]
        g1 = gamma(G + 1, dtype)
        A = rng.standard_normal((rout.shape[1], rin.shape[1])).astype(dtype)
        B = B.astype(dtype)
        RA = reynolds(A, rin, rout)
        mA = float(np.max(np.abs(A)))
        for g in range(G):
            Pin, Pout = rin[g].astype(dtype), rout[g].astype(dtype)
            worst["equiv"] = max(
                worst["equiv"], float(np.max(np.abs(RA @ Pin - Pout @ RA))) / (mA * g1)
            )
        worst["idem"] = max(
            worst["idem"], float(np.max(np.abs(reynolds(RA, rin, rout) - RA))) / (mA * g1)
        )
        worst["fix"] = max(
            worst["fix"],
            float(np.max(np.abs(reynolds(B, rin, rout) - B))) / (float(np.max(np.abs(B))) * g1),
        )
        inner = float(np.sum((A - RA).astype(np.float64) * B.astype(np.float64)))
        scale = float(np.sum((np.abs(A) + np.abs(RA)).astype(np.float64) * np.abs(B)))
        worst["orth"] = max(worst["orth"], abs(inner) / (scale * (g1 + gamma(A.size + 1, dtype))))
        nullity = exact_nullity(commutant_constraints(gin, gout))
        char = character_dimension(rin, rout)
        dim_bad += int(char != Fraction(nullity))
    general, general_dim_bad = _general_reynolds_defects(rng, dtype, reynolds, character_dimension)
    return Evidence(
        len(groups) + 2,
        (
            error(
                r"$|\mathcal R(A)\rho(g) - \rho(g)\mathcal R(A)|$ / $(\gamma\max|A|)$",
                worst["equiv"],
                2.0,
                units="multiples of gamma max|A|",
            ),
            error(
                r"$|\mathcal R(\mathcal R(A)) - \mathcal R(A)|$ / $(\gamma\max|A|)$",
                worst["idem"],
                3.0,
                units="multiples of gamma max|A|",
            ),
            error(
                r"$|\mathcal R(B) - B|$, $B$ equivariant / $(\gamma\max|B|)$",
                worst["fix"],
                1.0,
                units="multiples of gamma max|B|",
            ),
            error(
                r"$|\langle A - \mathcal R(A), B\rangle|$ / $(\gamma\sum(|A| + |\mathcal R(A)|)|B|)$",
                worst["orth"],
                1.0,
                units="multiples of gamma",
            ),
            equal(
                "groups where the character formula differs from the exact nullity", dim_bad, 0, 0
            ),
            error(
                r"non-orthogonal $\rho$: $|\mathcal R(A)\rho(g) - \rho(g)\mathcal R(A)|$ / bound",
                general["equiv"],
                1.0,
                units="multiples of the rounding bound",
            ),
            error(
                r"non-orthogonal $\rho$: $|\mathcal R(\mathcal R(A)) - \mathcal R(A)|$ / bound",
                general["idem"],
                1.0,
                units="multiples of the rounding bound",
            ),
            error(
                r"non-orthogonal $\rho$: $|\mathcal R(B) - B|$, $B$ equivariant / bound",
                general["fix"],
                1.0,
                units="multiples of the rounding bound",
            ),
            equal(
                "non-orthogonal groups where the character formula differs from the exact nullity",
                general_dim_bad,
                0,
                0,
            ),
        ),
    )


@single_threaded
def fixed_point_moments_are_bell_numbers(
    rng: np.random.Generator,
    *,
    symmetric_group=sym.symmetric_group,
    equivariant_dimension=sym.equivariant_dimension,
) -> Evidence:
    r"""Corollary `cor-sym-fixed-points`: for $n\le 6$ and $m\le 8$, the exact mean
    $\frac1{n!}\sum_\sigma\operatorname{fix}(\sigma)^m$ over all permutations (rational
    arithmetic) equals ``equivariant_dimension(n, m, 0)`` and SymPy's $\sum_{j\le n}S(m, j)$,
    which is SymPy's Bell number $B_m$ exactly when $m\le n$ (and smaller when $m > n$: the
    hypothesis $m\le n$ is needed)."""
    del rng
    bad = bell_bad = below = 0
    count = 0
    for n in range(1, 7):
        perms = symmetric_group(n)
        fix = np.sum(perms == np.arange(n), axis=1)
        for m in range(0, 9):
            mean = Fraction(sum(int(f) ** m for f in fix), len(perms))
            st = sum(
                int(sympy.functions.combinatorial.numbers.stirling(m, j))
                for j in range(min(n, m) + 1)
            )
            bad += int(mean != equivariant_dimension(n, m, 0)) + int(mean != st)
            if m <= n:
                bell_bad += int(mean != int(sympy.bell(m)))
            else:
                below += int(mean < int(sympy.bell(m)))
            count += 1
    expected_below = sum(1 for n in range(1, 7) for m in range(9) if m > n)
    return Evidence(
        count,
        (
            equal(r"$(n, m)$ where $\mathbb E\,\mathrm{fix}^m$ differs from the count", bad, 0, 0),
            equal(r"$(n, m)$, $m\le n$, where $\mathbb E\,\mathrm{fix}^m\ne B_m$", bell_bad, 0, 0),
            equal(
                r"$(n, m)$, $m > n$, where $\mathbb E\,\mathrm{fix}^m < B_m$",
                below,
                expected_below,
                0,
            ),
        ),
    )


CLAIMS = (
    Witness(
        "thm-sym-circulant",
        shift_equivariant_maps_are_circular_correlations,
        "exact dimension C_out C_in n_1 n_2 of the shift commutant (n_2 times more with one "
        "generator); the kernel of a shift-equivariant map reproduces it and chapter 7's "
        "circular convolution to rounding",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "thm-sym-bell",
        permutation_equivariant_dimension_is_bell,
        "exact null-space dimensions of the S_n commutant on tensor powers equal the sum of "
        "Stirling numbers, the Bell number when n >= k + l; the orbit basis is a basis",
        strength="exact",
    ),
    Witness(
        "cor-sym-deepsets",
        deepsets_layers_are_all_equivariant_maps,
        "exact dimension 2CD of the S_n commutant on sets with channels; the Deep Sets layer of "
        "the projection equals the average over all n! permutations",
        strength="exact",
    ),
    Witness(
        "thm-sym-reynolds",
        reynolds_is_the_orthogonal_projection,
        "the Reynolds operator is an equivariant, idempotent, orthogonal projection fixing "
        "equivariant maps, and its trace (the character formula) is the exact dimension",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "cor-sym-fixed-points",
        fixed_point_moments_are_bell_numbers,
        "the moments of the number of fixed points of a uniform permutation, exactly: Bell "
        "numbers up to order n, the Stirling sum beyond",
        strength="exact",
    ),
)
