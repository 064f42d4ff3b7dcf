"""The approximation chapter's witnesses, each handed a deliberately broken implementation or a
bound with a weakened constant (``BROKEN``; run here and by ``test_witnesses.py``)."""

from __future__ import annotations

import math

import numpy as np
from broken_implementations import detects_broken

from deepqed import approximation, nn
from deepqed.witnesses.approximation import interpolation as W_int
from deepqed.witnesses.approximation import maurey as W_mau
from deepqed.witnesses.approximation import memorisation as W_mem
from deepqed.witnesses.approximation import pieces as W_pcs
from deepqed.witnesses.approximation import squares as W_sq
from deepqed.witnesses.approximation import universal as W_uni


def _difference_network_undivided(k, h, b):
    w, bb, v = approximation.difference_network(k, h, b)
    return w, bb, v * h**k


def _no_first_coefficient(t, y):
    arch, theta = approximation.relu_interpolant(t, y)
    W2 = theta.W[1].copy()
    W2[0, 0] = 0.0
    return arch, nn.Parameters((theta.W[0], W2), theta.b)


def _first_layer_only(arch, theta, lo, hi):
    """The breakpoints of the first hidden layer only (misses every later switch)."""
    P = np.array([lo, hi])
    w, b = theta.W[0][:, 0], theta.b[0]
    roots = -b[w != 0] / w[w != 0]
    return np.unique(np.concatenate([P, roots[(roots > lo) & (roots < hi)]]))


def _spurious_point(arch, theta, lo, hi):
    P = approximation.breakpoints(arch, theta, lo, hi)
    return np.unique(np.concatenate([P, [(P[0] + P[1]) / 2]]))


def _square_network_halves(m):
    """The square network with the weights 2^-s instead of 4^-s."""
    Ws, bs = [np.array([[1.0], [1.0], [1.0]])], [np.array([0.0, -0.5, 0.0])]
    for s in range(1, m):
        q = 2.0**s
        Ws.append(np.array([[2, -4, 0], [2, -4, 0], [-2 / q, 4 / q, 1]], dtype=float))
        bs.append(np.array([0.0, -0.5, 0.0]))
    q = 2.0**m
    Ws.append(np.array([[-2 / q, 4 / q, 1]]))
    bs.append(np.array([0.0]))
    arch = nn.Architecture((1, *([3] * m), 1), ("relu",) * m + ("identity",))
    return arch, nn.Parameters(tuple(Ws), tuple(bs))


def _square_network_extra_layer(m):
    """The square network with one more hidden layer of three identity units (the same function on
    [0, 1], where every hidden value is non-negative, but m + 1 hidden layers)."""
    arch, theta = approximation.square_network(m)
    Ws = (*theta.W[:-1], np.eye(3), theta.W[-1])
    bs = (*theta.b[:-1], np.zeros(3), theta.b[-1])
    arch = nn.Architecture((1, *([3] * (m + 1)), 1), ("relu",) * (m + 1) + ("identity",))
    return arch, nn.Parameters(Ws, bs)


def _sawtooth_network_slopes(k):
    arch, theta = approximation.sawtooth_network(k)
    W = list(theta.W)
    W[-1] = np.array([[2.0, -2.0]])
    return arch, nn.Parameters(tuple(W), theta.b)


def _l1_without_crossings(x, f, g):
    d = np.abs(f - g)
    return float(np.sum(np.diff(x) * (d[:-1] + d[1:]) / 2))


def _product_coarse(x, y, m):
    return (
        2 * approximation.square_approximation((x + y) / 2, max(m - 1, 0))
        - 0.5 * approximation.square_approximation(x, m)
        - 0.5 * approximation.square_approximation(y, m)
    )


def _product_errors_twice(x, y, m):
    """The errors at x and y counted twice: 2 e((x + y)/2) - e(x) - e(y) has the same largest
    modulus 2^(-2m-1) as the error of P_m, but the minimum -2^(-2m-1), twice the lower bound."""
    f = approximation.square_approximation
    return 2 * f((x + y) / 2, m) - f(x, m) - f(y, m) + 0.5 * x * x + 0.5 * y * y


def _arccos2_no_three(X, Z):
    nx = np.sqrt(np.sum(X * X, axis=1))[:, None]
    nz = np.sqrt(np.sum(Z * Z, axis=1))[None, :]
    N = nx * nz
    c = np.clip((X @ Z.T) / np.where(N > 0, N, 1), -1, 1)
    t = np.arccos(c)
    s = np.sqrt(np.maximum(1 - c * c, 0))
    return N * N * (s * c + (np.pi - t) * (1 + 2 * c * c)) / (2 * np.pi)


def _maurey_second_moment_only(X, x0):
    return float(np.mean(approximation.arccos2_kernel(X, x0[None, :])[:, 0]))


def _memorise_last_unit_only(X, y, *, rng):
    """Solves each equation with the newest unit only (ignores the units already active)."""
    arch, theta = approximation.interpolating_network(X, y, rng=rng)
    a = theta.W[0][0]
    z = X @ a
    order = np.argsort(z)
    zs, ys = z[order], y[order]
    beta = (zs[:-1] + zs[1:]) / 2
    v = np.diff(ys) / (zs[1:] - beta)
    return arch, nn.Parameters((theta.W[0], v[None, :].astype(X.dtype)), theta.b)


BROKEN = [
    (
        W_uni.shallow_matches_forward,
        {
            "shallow_network": lambda s, W, b, v, X, c=0.0: approximation.shallow_network(
                s, W, b, v, X
            )
        },
        "output bias dropped",
    ),
    (
        W_uni.ridge_polynomial_rank,
        {"polynomial_space_dim": lambda d, r: math.comb(d + r - 1, r)},
        "counts homogeneous polynomials only",
    ),
    (
        W_uni.difference_quotient_bound,
        {"difference_error_bound": lambda k, h, R, M: k * h * h * R ** (k + 2) * M / 12},
        "constant 1/12 instead of 1/24 (weaker bound)",
    ),
    (
        W_uni.difference_quotient_bound,
        {"difference_error_bound": lambda k, h, R, M: k * h * h * R ** (k + 2) * M / 48},
        "constant 1/48 (false bound)",
    ),
    (
        W_uni.difference_quotient_bound,
        {"difference_network": _difference_network_undivided},
        "output weights not divided by h^k",
    ),
    (W_uni.polynomial_activation_fails, {"best_distance": 0.25}, "distance 1/4 (false)"),
    (W_uni.polynomial_activation_fails, {"best_distance": 1 / 16}, "distance 1/16 (weaker)"),
    (
        W_uni.nonpolynomial_beats_polynomials,
        {"nonpolynomial": {"t^3": lambda t: t**3}},
        "a polynomial activation taken for a universal one",
    ),
    (
        W_uni.nonpolynomial_beats_polynomials,
        {"polynomial": {"relu": lambda t: np.maximum(t, 0)}},
        "ReLU taken for a polynomial",
    ),
    (
        W_int.interpolant_network_and_bound,
        {"interpolation_error_bound": lambda h, M: h * h * M / 4},
        "h^2 M / 4 (weaker bound)",
    ),
    (
        W_int.interpolant_network_and_bound,
        {"interpolation_error_bound": lambda h, M: h * h * M / 16},
        "h^2 M / 16 (false bound)",
    ),
    (W_int.interpolant_network_and_bound, {"relu_interpolant": _no_first_coefficient}, "c_0 = 0"),
    (
        W_pcs.pieces_of_built_functions,
        {"count_pieces": lambda x, y, rtol=0.0: int(x.size - 1)},
        "counts intervals",
    ),
    (W_pcs.breakpoints_are_exact, {"breakpoints": _first_layer_only}, "first layer only"),
    (W_pcs.breakpoints_are_exact, {"breakpoints": _spurious_point}, "a spurious point"),
    (
        W_pcs.piece_count_bound,
        {"piece_bound": lambda arch: math.prod(n + 2 for n in arch.widths[1:-1])},
        "prod (n_l + 2) (weaker bound)",
    ),
    (
        W_pcs.piece_count_bound,
        {"piece_bound": lambda arch: math.prod(arch.widths[1:-1])},
        "prod n_l (false bound)",
    ),
    (W_pcs.sawtooth_exact, {"sawtooth_network": _sawtooth_network_slopes}, "output 2a_1 - 2a_2"),
    (
        W_pcs.sawtooth_exact,
        {"sawtooth": lambda x, k: approximation.sawtooth(x, max(k - 1, 0))},
        "one composition short",
    ),
    (
        W_pcs.depth_separation_bound,
        {"telgarsky_bound": lambda k, t: 0.5 * (1 - 2 * (t - 1) / 2**k)},
        "constant 1/2 (false bound)",
    ),
    (
        W_pcs.depth_separation_bound,
        {"telgarsky_bound": lambda k, t: 0.125 * (1 - 2 * (t - 1) / 2**k)},
        "constant 1/8 (weaker bound)",
    ),
    (
        W_pcs.depth_separation_bound,
        {"l1_distance": _l1_without_crossings},
        "|d| not split at zeros",
    ),
    (W_sq.square_error_exact, {"square_network": _square_network_halves}, "weights 2^-s"),
    (
        W_sq.square_error_exact,
        {"square_network": _square_network_extra_layer},
        "m + 1 hidden layers",
    ),
    (
        W_sq.square_lower_bound,
        {"square_lower_bound": lambda t: 1 / (4 * t * t)},
        "1/(4t^2) (false)",
    ),
    (
        W_sq.square_lower_bound,
        {"square_lower_bound": lambda t: 1 / (16 * t * t)},
        "1/(16t^2) (weaker bound)",
    ),
    (W_sq.product_error_exact, {"product_approximation": _product_coarse}, "f_{m-1} for the sum"),
    (
        W_sq.product_error_exact,
        {"product_approximation": _product_errors_twice},
        "minimum -2^(-2m-1)",
    ),
    (W_mau.arccos2_monte_carlo, {"arccos2_kernel": _arccos2_no_three}, "sin cos without the 3"),
    (
        W_mau.maurey_identity,
        {"maurey_constant": _maurey_second_moment_only},
        "E g^2 without - ||f||^2",
    ),
    (
        W_mau.maurey_identity,
        {"maurey_constant": lambda X, x0: 2 * approximation.maurey_constant(X, x0)},
        "constant doubled",
    ),
    (
        W_mau.relu_integral_bound_sharp,
        {"relu_integral_bound": lambda X, A, n: 2 * approximation.relu_integral_bound(X, A, n)},
        "bound doubled (weaker)",
    ),
    (
        W_mau.relu_integral_bound_sharp,
        {"relu_integral_bound": lambda X, A, n: 0.5 * approximation.relu_integral_bound(X, A, n)},
        "bound halved (false)",
    ),
    (
        W_mem.memorisation_exact,
        {"interpolating_network": _memorise_last_unit_only},
        "newest unit only",
    ),
    (W_mau.barron_gaussian, {"fourier_moment": lambda d: math.sqrt(d)}, "E||omega|| = sqrt d"),
]


test_witness_detects_broken_implementation = detects_broken(BROKEN)
