"""The generalisation chapter's witnesses, each handed a deliberately broken implementation or a
bound with a weakened constant (``BROKEN``; run here and by ``test_witnesses.py``)."""

from __future__ import annotations

import math

import numpy as np
from broken_implementations import detects_broken

from deepqed import generalisation as G
from deepqed import nn
from deepqed.witnesses.generalisation import concentration as W_con
from deepqed.witnesses.generalisation import covering as W_cov
from deepqed.witnesses.generalisation import double_descent as W_dd
from deepqed.witnesses.generalisation import margin as W_mar
from deepqed.witnesses.generalisation import rademacher as W_rad
from deepqed.witnesses.generalisation import vc as W_vc


def _scaled(fn, factor):
    def wrapped(*args, **kwargs):
        return factor * fn(*args, **kwargs)

    return wrapped


def _bounds_with(index, factor):
    def bounds(X, B):
        out = list(G.linear_class_bounds(X, B))
        out[index] *= factor
        return tuple(out)

    return bounds


def _rademacher_without_mean(A):
    """Averages max over the sign vectors of <eps, a> without dividing by n."""
    return G.rademacher_complexity(A) * A.shape[1]


def _shattered_off_by_one(H):
    return G.shattered_count(H) - 1


def _cover_without_factor_two(n, d):
    return sum(math.comb(n - 1, k) for k in range(d))


def _memorise_wrong_sign(X, y, *, rng):
    from deepqed import approximation

    arch, theta = approximation.interpolating_network(X, y, rng=rng)
    W2 = -theta.W[1]
    return arch, nn.Parameters((theta.W[0], W2), theta.b)


def _spectral_smallest(W):
    return math.prod(float(np.linalg.svd(M, compute_uv=False)[-1]) for M in W)


def _spectral_frobenius(W):
    return math.prod(float(np.linalg.norm(M)) for M in W)


def _risk_without_bias(n, p, sigma2, beta_norm2):
    return G.min_norm_risk(n, p, sigma2, 0.0)


BROKEN = [
    (
        W_rad.rademacher_exact_vs_monte_carlo,
        {"rademacher_complexity": _rademacher_without_mean},
        "no 1/n",
    ),
    (
        W_rad.rademacher_calculus_exact,
        {"rademacher_complexity": lambda A: G.rademacher_complexity(np.abs(A))},
        "absolute values",
    ),
    (W_rad.massart_exact, {"massart_bound": _scaled(G.massart_bound, 0.5)}, "bound halved (false)"),
    (W_rad.contraction_exact, {"lipschitz": 0.5}, "constant rho/2 (false)"),
    (W_rad.contraction_exact, {"lipschitz": 2.0}, "constant 2 rho (weaker)"),
    (
        W_rad.linear_class_upper,
        {"linear_class_bounds": _bounds_with(2, 2.0)},
        "upper bound doubled (weaker)",
    ),
    (
        W_rad.linear_class_upper,
        {"linear_class_bounds": _bounds_with(2, 0.5)},
        "upper bound halved (false)",
    ),
    (
        W_rad.linear_class_upper,
        {"linear_class_complexity": lambda X, B: G.linear_class_complexity(X, B) * 1.01},
        "complexity off by 1%",
    ),
    (
        W_rad.linear_class_lower,
        {"linear_class_bounds": _bounds_with(0, 2.0)},
        "lower bound doubled (false)",
    ),
    (
        W_rad.khintchine_exact,
        {"linear_class_bounds": _bounds_with(1, 0.5)},
        "constant 1/(2 sqrt 2) (weaker)",
    ),
    (W_rad.khintchine_exact, {"linear_class_bounds": _bounds_with(1, 1.5)}, "constant too large"),
    (
        W_rad.two_layer_exact,
        {"path_norm_bound": _scaled(G.path_norm_bound, 0.2)},
        "bound divided by 5 (false)",
    ),
    (
        W_rad.two_layer_exact,
        {"path_norm_complexity": lambda X, B: G.path_norm_complexity(X, B) * 1.05},
        "complexity off by 5%",
    ),
    (
        W_con.symmetrisation_thresholds,
        {"threshold_rademacher": lambda n: 0.2 * G.threshold_rademacher(n)},
        "complexity / 5",
    ),
    (
        W_con.mcdiarmid_exact_tails,
        {"mcdiarmid_bound": lambda t, c: np.exp(-(t**2) / np.sum(c**2))},
        "exponent t^2/D (weaker)",
    ),
    (
        W_con.mcdiarmid_exact_tails,
        {"mcdiarmid_bound": lambda t, c: np.exp(-8 * t**2 / np.sum(c**2))},
        "exponent 8 t^2/D (false)",
    ),
    (
        W_con.rademacher_bound_thresholds,
        {"rademacher_bound": lambda R, n, delta: 0.2 * G.rademacher_bound(R, n, delta)},
        "bound / 5 (false)",
    ),
    (
        W_vc.growth_of_simple_classes,
        {"restrictions": lambda H: int(H.shape[0])},
        "counts rows with repetitions",
    ),
    (W_vc.sauer_sharp, {"sauer_bound": lambda n, d: G.sauer_bound(n, d) + 1}, "bound + 1 (weaker)"),
    (W_vc.sauer_sharp, {"shattered_count": _shattered_off_by_one}, "misses the empty set"),
    (W_vc.sauer_exponential_form, {"sauer_bound": lambda n, d: 2**n}, "2^n"),
    (W_vc.cover_count_exact, {"cover_count": _cover_without_factor_two}, "without the factor 2"),
    (
        W_vc.cover_count_exact,
        {"count_dichotomies": lambda X, affine=False: G.count_dichotomies(X, affine) // 2},
        "one orientation only",
    ),
    (
        W_vc.halfspace_vc,
        {"count_dichotomies": lambda X, affine=False: G.count_dichotomies(X, True)},
        "affine halfspaces",
    ),
    (
        W_vc.vc_rademacher_thresholds,
        {"vc_rademacher_bound": lambda n, d: math.sqrt(d * math.log(math.e * n / d) / (8 * n))},
        "constant 1/8 (false)",
    ),
    (
        W_vc.shattering_by_networks,
        {"interpolating_network": _memorise_wrong_sign},
        "output weights negated",
    ),
    (
        W_cov.threshold_cover_exhaustive,
        {
            "threshold_covering_number": lambda n, t: math.ceil(
                (n + 1) / (2 * math.floor(n * t * t) + 2)
            )
        },
        "2r + 2 staircases per ball",
    ),
    (
        W_cov.ball_packing_bound,
        {"ball_covering_bound": lambda R, eps, P: (1 + 4 * R / eps) ** P},
        "(1 + 4R/eps)^P (weaker)",
    ),
    (
        W_cov.ball_packing_bound,
        {"ball_covering_bound": lambda R, eps, P: (R / eps) ** P},
        "(R/eps)^P (false)",
    ),
    (
        W_cov.two_layer_lipschitz_sharp,
        {"two_layer_lipschitz": lambda R, r: 2 * R * math.sqrt(1 + r * r)},
        "2 R sqrt(1 + r^2) (weaker)",
    ),
    (W_cov.two_layer_lipschitz_sharp, {"two_layer_lipschitz": lambda R, r: R * r}, "R r (false)"),
    (
        W_cov.dudley_thresholds,
        {
            "dudley_bound": lambda radii, logN, n, alpha: (
                0.02 * G.dudley_bound(radii, logN, n, alpha)
            )
        },
        "bound / 50 (false)",
    ),
    (
        W_mar.spectral_lipschitz_sharp,
        {"spectral_lipschitz_bound": _spectral_frobenius},
        "Frobenius norms (weaker)",
    ),
    (
        W_mar.spectral_lipschitz_sharp,
        {"spectral_lipschitz_bound": _spectral_smallest},
        "smallest singular values (false)",
    ),
    (
        W_mar.margin_bound_gaussian,
        {"margin_bound": lambda R, n, delta, gamma: -G.margin_bound(R, n, delta, gamma)},
        "term subtracted instead of added",
    ),
    (
        W_dd.double_descent_monte_carlo,
        {"min_norm_risk": _risk_without_bias},
        "drops ||beta||^2 (1 - n/p)",
    ),
    (
        W_dd.double_descent_monte_carlo,
        {"min_norm_risk": lambda n, p, s2, b2: 2 * G.min_norm_risk(n, p, s2, b2)},
        "risk doubled",
    ),
    (
        W_dd.double_descent_monte_carlo,
        {"min_norm_least_squares": lambda X, y: np.linalg.lstsq(X, y, rcond=None)[0] * (1 + 1e-9)},
        "solver off by a relative 1e-9",
    ),
    (W_vc.one_input_vc, {"piece_bound": lambda arch: 0}, "no piece at all"),
    (
        W_mar.spectral_complexity_dominates,
        {"spectral_complexity": lambda W: 0.5 * G.spectral_lipschitz_bound(W)},
        "half the Lipschitz factor only",
    ),
]


test_witness_detects_broken_implementation = detects_broken(BROKEN)
