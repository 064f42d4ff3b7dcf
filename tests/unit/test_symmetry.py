"""Unit tests of ``deepqed.symmetry``: small cases by hand, brute force and algebraic properties."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from deepqed import symmetry as sym


def _partitions(m: int) -> list[list[list[int]]]:
    """All set partitions of range(m), by brute-force recursion."""
    if m == 0:
        return [[]]
    out = []
    for p in _partitions(m - 1):
        for i in range(len(p)):
            out.append([*p[:i], [*p[i], m - 1], *p[i + 1 :]])
        out.append([*p, [m - 1]])
    return out


@pytest.mark.parametrize("m", range(0, 7))
def test_stirling_and_dimension_against_enumerated_partitions(m):
    parts = _partitions(m)
    for j in range(m + 1):
        assert sym.stirling2(m, j) == sum(len(p) == j for p in parts)
    for n in range(1, 8):
        assert sym.equivariant_dimension(n, m, 0) == sum(len(p) <= n for p in parts)


@pytest.mark.parametrize(("n", "k", "l"), [(1, 2, 1), (2, 1, 1), (3, 2, 1), (3, 1, 2), (4, 2, 0)])
def test_orbit_basis_is_equivariant_and_partitions_the_indices(n, k, l):
    B = sym.orbit_basis(n, k, l)
    assert B.shape == (sym.equivariant_dimension(n, k, l),) + (n,) * (k + l)
    assert np.all(B.sum(axis=0) == 1)
    M = B.reshape(len(B), n**l, n**k)
    for g in sym.symmetric_group(n):
        Pk, Pl = sym.permutation_representation(g, k), sym.permutation_representation(g, l)
        assert np.array_equal(Pl @ M, M @ Pk)


def test_equality_pattern():
    assert sym.equality_pattern(np.array([5, 2, 5, 7])) == (0, 1, 0, 2)
    assert sym.equality_pattern(np.array([], dtype=np.int64)) == ()


def test_deepsets_layer_is_the_matrix_of_the_corollary_in_numpy_and_torch():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, 4, 3))
    Lam, Gam, b = rng.standard_normal((3, 2)), rng.standard_normal((3, 2)), rng.standard_normal(2)
    Z = sym.deepsets_layer(X, Lam, Gam, b)
    ones = np.ones((4, 4))
    ref = np.stack([x @ Lam + ones @ x @ Gam + b for x in X])
    np.testing.assert_allclose(Z, ref, rtol=1e-13, atol=1e-13)
    Zt = sym.deepsets_layer(*(torch.from_numpy(a) for a in (X, Lam, Gam, b)))
    np.testing.assert_allclose(Zt.numpy(), Z, rtol=1e-13, atol=1e-13)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 4), st.integers(1, 3), st.integers(1, 3), st.integers(0, 2**31 - 1))
def test_deepsets_projection_is_idempotent_on_layers(n, C, D, seed):
    rng = np.random.default_rng(seed)
    Lam, Gam = rng.standard_normal((C, D)), rng.standard_normal((C, D))
    E = np.eye(n * C).reshape(n * C, n, C)
    A = sym.deepsets_layer(E, Lam, Gam, np.zeros(D)).reshape(n, C, n, D).transpose(2, 3, 0, 1)
    L2, G2 = sym.deepsets_projection(A)
    if n > 1:
        np.testing.assert_allclose(L2, Lam, atol=1e-12)
        np.testing.assert_allclose(G2, Gam, atol=1e-12)
    else:
        np.testing.assert_allclose(L2 + G2, Lam + Gam, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 3),
    st.integers(1, 3),
    st.integers(1, 4),
    st.integers(1, 4),
    st.integers(0, 2**31 - 1),
)
def test_circular_matrix_kernel_and_correlation_agree(C_in, C_out, n1, n2, seed):
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((C_out, C_in, n1, n2))
    A = sym.circular_matrix(W)
    assert np.array_equal(sym.circular_kernel(A), W)
    X = rng.standard_normal((2, C_in, n1, n2))
    AX = np.einsum(
        "oicu,mcu->moi", A.reshape(C_out, n1 * n2, C_in, n1 * n2), X.reshape(2, C_in, -1)
    )
    np.testing.assert_allclose(
        sym.circular_correlation(X, W), AX.reshape(2, C_out, n1, n2), atol=1e-12
    )
    t = (int(rng.integers(-5, 6)), int(rng.integers(-5, 6)))
    np.testing.assert_allclose(
        sym.circular_correlation(sym.shift(X, t), W),
        sym.shift(sym.circular_correlation(X, W), t),
        atol=1e-12,
    )


def test_shift_matrix_is_the_shift():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, 4))
    for t in itertools.product(range(-3, 4), repeat=2):
        assert np.array_equal(
            sym.shift_matrix((3, 4), t) @ x.ravel(), sym.shift(x[None, None], t)[0, 0].ravel()
        )


def test_reynolds_fixes_equivariant_maps_and_the_character_formula_counts_them():
    perms = sym.symmetric_group(3)
    rin = np.stack([sym.permutation_representation(g, 2) for g in perms])
    rout = np.stack([sym.permutation_representation(g, 1) for g in perms])
    B = np.tensordot(np.arange(1.0, 6.0), sym.orbit_basis(3, 2, 1), 1).reshape(3, 9)
    np.testing.assert_allclose(sym.reynolds(B, rin, rout), B, atol=1e-14)
    assert sym.character_dimension(rin, rout) == Fraction(5)


def test_reynolds_inverts_non_orthogonal_representations():
    perms = sym.symmetric_group(3)
    P = np.stack([sym.permutation_representation(g, 1) for g in perms])
    M = np.array([[1, 2, 0], [0, 1, 0], [0, 3, 1]])  # det 1
    Minv = np.array([[1, -2, 0], [0, 1, 0], [0, -3, 1]])
    assert np.array_equal(M @ Minv, np.eye(3, dtype=np.int64))
    rho = np.einsum("ij,gjk,kl->gil", M, P, Minv)
    A = np.random.default_rng(0).standard_normal((3, 3))
    RA = sym.reynolds(A, rho, rho)
    for R in rho:
        np.testing.assert_allclose(RA @ R, R @ RA, atol=1e-12)
    rho_f = rho + 0.0  # floating input: inverses by numpy.linalg.inv
    np.testing.assert_allclose(sym.reynolds(A, rho_f, rho_f), RA, atol=1e-12)
    with pytest.raises(ValueError, match="rho_out"):
        sym.reynolds(A, rho, np.zeros((6, 3, 3)))


def test_power_sums_and_newton():
    X = np.array([[0, 3, 3], [1, 1, 4]])
    P = sym.power_sums(X, 3)
    assert P.tolist() == [[6, 18, 54], [6, 18, 66]]
    assert sym.newton_elementary(np.array([6, 18, 54])) == (6, 9, 0)  # t (t - 3)^2
    assert sym.power_sums(np.array([[0.5, 2.0]]), 2).dtype == np.float64


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="perm"):
        sym.permute_tensor(np.zeros((3, 3)), np.array([0, 0, 1]), 2)
    with pytest.raises(ValueError, match="X"):
        sym.permute_tensor(np.zeros((3, 2)), np.array([0, 2, 1]), 2)
    with pytest.raises(ValueError, match="n"):
        sym.orbit_basis(12, 4, 4)
    with pytest.raises(ValueError, match="A"):
        sym.deepsets_projection(np.zeros((3, 1, 2, 1)))
