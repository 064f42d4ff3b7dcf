"""Witnesses of the symmetry chapter: each detects a broken implementation (``BROKEN`` is read by
``test_witnesses.py``). The chapter's statements are identities (dimensions, projections,
equivariance), so the mutants are wrong formulas rather than weakened constants; the necessity
runs (one shift generator, n < k + l, m > n, n - 1 power sums) are inside the witnesses."""

from __future__ import annotations

import numpy as np
from broken_implementations import detects_broken

from deepqed import symmetry as sym
from deepqed.witnesses.symmetry import actions as W_act
from deepqed.witnesses.symmetry import linear as W_lin
from deepqed.witnesses.symmetry import sets as W_sets


def _permute_by_perm(X, perm, k):
    out = X
    for axis in range(k):
        out = np.take(out, np.asarray(perm), axis=axis)  # X_{sigma(i)} instead of X_{sigma^{-1}(i)}
    return out


def _layer_first_element(X, Lam, Gam, b):
    return X @ Lam + X[:, :1] @ Gam + b


def _correlation_zero_padded(X, W):
    Z = np.zeros((X.shape[0], W.shape[0]) + X.shape[2:], dtype=X.dtype)
    n1, n2 = X.shape[2:]
    for a1 in range(n1):
        for a2 in range(n2):
            shifted = np.zeros_like(X)
            shifted[:, :, : n1 - a1, : n2 - a2] = X[:, :, a1:, a2:]  # x_{i + a}, 0 outside
            Z += np.einsum("oc,mcuv->mouv", W[:, :, a1, a2], shifted)
    return Z


def _bell_regardless_of_n(n, k, l):
    return sym.equivariant_dimension(max(k + l, 1), k, l)


def _basis_missing_one(n, k, l):
    return sym.orbit_basis(n, k, l)[:-1]


def _projection_mean_of_all(A):
    Lam, _ = sym.deepsets_projection(A)
    n = A.shape[0]
    return Lam, np.einsum("jdic->cd", A) / (n * n)


def _reynolds_one_sided(A, rho_in, rho_out):
    return np.einsum("jk,gkl->jl", A, rho_in.astype(A.dtype)) / A.dtype.type(rho_in.shape[0])


def _reynolds_transpose(A, rho_in, rho_out):
    d = A.dtype
    acc = np.einsum("gji,jk,gkl->il", rho_out.astype(d), A, rho_in.astype(d))
    return acc / d.type(rho_in.shape[0])


def _reynolds_sum(A, rho_in, rho_out):
    return sym.reynolds(A, rho_in, rho_out) * rho_in.shape[0]


def _newton_wrong_sign(p):
    from fractions import Fraction

    ps = [int(v) for v in p]
    e = [Fraction(1)]
    for k in range(1, len(ps) + 1):
        e.append(sum(e[k - r] * ps[r - 1] for r in range(1, k + 1)) / k)
    return tuple(e[1:])


def _power_sums_from_zero(X, degree):
    Xo = X.astype(object)
    return np.stack([np.sum(Xo**r, axis=1) for r in range(degree)], axis=1)


def _average_missing_one(f, X, perms):
    return np.mean([f(X[:, np.argsort(g)]) for g in perms[:-1]], axis=0)


BROKEN = [
    (
        W_act.actions_are_representations,
        {"permute_tensor": _permute_by_perm},
        "X_{sigma(i)} instead of X_{sigma^{-1}(i)}",
    ),
    (
        W_act.actions_are_representations,
        {"shift_matrix": lambda n, t: sym.shift_matrix(n, t).T},
        "the matrix of S_{-t} for S_t",
    ),
    (
        W_act.trained_deepsets_layers_are_equivariant,
        {"deepsets_layer": _layer_first_element},
        "pools the first element instead of the sum",
    ),
    (
        W_act.trained_deepsets_layers_are_equivariant,
        {"circular_correlation": _correlation_zero_padded},
        "zero padding instead of circular (not shift-equivariant)",
    ),
    (
        W_lin.shift_equivariant_maps_are_circular_correlations,
        {
            "circular_kernel": lambda A: np.roll(
                np.ascontiguousarray(A[:, 0, 0][..., ::-1, ::-1]), 1, axis=(-2, -1)
            )
        },
        "the convolution kernel W_{-a} for the cross-correlation's W_a",
    ),
    (
        W_lin.shift_equivariant_maps_are_circular_correlations,
        {"circular_correlation": lambda X, W: sym.circular_correlation(X, W[..., ::-1, ::-1])},
        "the kernel flipped in the evaluation",
    ),
    (
        W_lin.permutation_equivariant_dimension_is_bell,
        {"equivariant_dimension": _bell_regardless_of_n},
        "the Bell number B_{k+l} for every n",
    ),
    (
        W_lin.permutation_equivariant_dimension_is_bell,
        {"orbit_basis": _basis_missing_one},
        "an orbit basis missing one pattern",
    ),
    (
        W_lin.deepsets_layers_are_all_equivariant_maps,
        {"deepsets_projection": _projection_mean_of_all},
        "Gamma as the mean of all blocks, diagonal included",
    ),
    (
        W_lin.reynolds_is_the_orthogonal_projection,
        {"reynolds": _reynolds_one_sided},
        "averages A rho_in(g) only",
    ),
    (
        W_lin.reynolds_is_the_orthogonal_projection,
        {"reynolds": _reynolds_sum},
        "forgets the factor 1/|G|",
    ),
    (
        W_lin.reynolds_is_the_orthogonal_projection,
        {"reynolds": _reynolds_transpose},
        "rho_out(g)^T for rho_out(g)^{-1} (right only for orthogonal representations)",
    ),
    (
        W_lin.reynolds_is_the_orthogonal_projection,
        {"character_dimension": lambda rin, rout: sym.character_dimension(rin, rin)},
        "chi_in^2 for chi_out chi_in",
    ),
    (
        W_lin.fixed_point_moments_are_bell_numbers,
        {"equivariant_dimension": _bell_regardless_of_n},
        "Bell numbers beyond m = n",
    ),
    (
        W_act.pooling_and_averaging_give_invariance,
        {
            "pool": {
                "sum": lambda H: H[:, :-1].sum(axis=1),
                "mean": lambda H: H.mean(axis=1),
                "max": lambda H: H.max(axis=1),
            }
        },
        "sum pooling that drops the last element",
    ),
    (
        W_act.pooling_and_averaging_give_invariance,
        {"group_average": _average_missing_one},
        "group average missing one element",
    ),
    (
        W_sets.power_sums_determine_the_multiset,
        {"newton_elementary": _newton_wrong_sign},
        "Newton's identities without the alternating sign",
    ),
    (
        W_sets.power_sums_determine_the_multiset,
        {"power_sums": _power_sums_from_zero},
        "powers 0, ..., d - 1 instead of 1, ..., d",
    ),
]


test_witness_detects_broken_implementation = detects_broken(BROKEN)
