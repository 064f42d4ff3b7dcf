"""Valid calls of ``deepqed.generalisation`` (see ``tests/api.py``)."""

import numpy as np
from api import Example

from deepqed import generalisation as G


def _set(rng):
    return {"A": rng.standard_normal((4, 5))}


def _sample(rng):
    return {"X": rng.standard_normal((5, 3)), "B": 1.5}


def _plane(rng):
    return {"X": rng.standard_normal((5, 2)), "B": 1.0}


def _class(rng):
    return {"H": (rng.random((6, 4)) < 0.5).astype(np.int64)}


def _dudley(rng):
    n = 20
    radii = np.sqrt(np.arange(n + 1) / n)
    logN = np.log([n + 1.0] + [float(G.threshold_covering_number(n, t)) for t in radii[1:]])
    return {"radii": radii, "log_counts": logN, "n": n, "alpha": 0.3}


EXAMPLES = [
    Example(G.sign_vectors, lambda rng: {"n": 3}),
    Example(G.rademacher_complexity, _set),
    Example(G.massart_bound, _set),
    Example(G.linear_class_complexity, _sample),
    Example(G.linear_class_bounds, _sample),
    Example(G.threshold_rademacher, lambda rng: {"n": 7}),
    Example(G.path_norm_complexity, _plane),
    Example(G.path_norm_bound, _sample),
    Example(G.mcdiarmid_bound, lambda rng: {"t": rng.uniform(0, 1, 3), "c": np.full(4, 0.25)}),
    Example(G.rademacher_bound, lambda rng: {"complexity": 0.1, "n": 100, "delta": 0.05}),
    Example(G.empirical_rademacher_bound, lambda rng: {"empirical": 0.1, "n": 100, "delta": 0.05}),
    Example(G.margin_bound, lambda rng: {"complexity": 0.1, "n": 100, "delta": 0.05, "gamma": 0.5}),
    Example(G.ramp_loss, lambda rng: {"u": rng.standard_normal(4), "gamma": 0.5}),
    Example(G.sauer_bound, lambda rng: {"n": 10, "d": 3}),
    Example(G.cover_count, lambda rng: {"n": 10, "d": 3}),
    Example(G.vc_rademacher_bound, lambda rng: {"n": 10, "d": 3}),
    Example(G.ball_covering_bound, lambda rng: {"R": 1.0, "eps": 0.1, "P": 3}),
    Example(G.two_layer_lipschitz, lambda rng: {"R": 1.0, "r": 2.0}),
    Example(G.threshold_covering_number, lambda rng: {"n": 10, "t": 0.3}),
    Example(G.dudley_bound, _dudley),
    Example(G.restrictions, _class),
    Example(G.shattered_count, _class),
    Example(
        G.is_separable,
        lambda rng: {"X": rng.standard_normal((4, 2)), "y": np.array([1.0, -1.0, 1.0, -1.0])},
    ),
    Example(G.count_dichotomies, lambda rng: {"X": rng.standard_normal((5, 2)), "affine": True}),
    Example(
        G.spectral_lipschitz_bound,
        lambda rng: {"W": (rng.standard_normal((3, 2)), rng.standard_normal((1, 3)))},
    ),
    Example(
        G.spectral_complexity,
        lambda rng: {"W": (rng.standard_normal((3, 2)), rng.standard_normal((1, 3))), "rho": 1.0},
    ),
    Example(G.min_norm_risk, lambda rng: {"n": 30, "p": 10, "sigma2": 1.0, "beta_norm2": 1.0}),
    Example(G.min_norm_risk_limit, lambda rng: {"gamma": 0.5, "sigma2": 1.0, "beta_norm2": 1.0}),
]
