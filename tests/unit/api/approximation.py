"""Valid calls of ``deepqed.approximation`` (see ``tests/api.py``)."""

import numpy as np
from api import Example

from deepqed import approximation as A
from deepqed import nn


def _shallow(rng):
    N, d, m = int(rng.integers(1, 5)), int(rng.integers(1, 4)), int(rng.integers(1, 5))
    return {
        "sigma": np.tanh,
        "W": rng.standard_normal((N, d)),
        "b": rng.standard_normal(N),
        "X": rng.standard_normal((m, d)),
    }


def _shallow_with_output(rng):
    kw = _shallow(rng)
    return {**kw, "v": rng.standard_normal(kw["W"].shape[0]), "c": 0.5}


def _knots(rng):
    N = int(rng.integers(1, 6))
    return {"t": np.cumsum(rng.uniform(0.1, 1, N + 1)), "y": rng.standard_normal(N + 1)}


def _net(rng):
    arch = nn.Architecture((1, 3, 2, 1), ("relu", "relu", "identity"))
    return {"arch": arch, "theta": nn.init_parameters(arch, rng=rng), "lo": -1.0, "hi": 1.0}


def _cpwl(rng):
    K = int(rng.integers(2, 7))
    return {"x": np.cumsum(rng.uniform(0.1, 1, K)), "y": rng.standard_normal(K), "rtol": 1e-9}


EXAMPLES = [
    Example(A.ridge_features, _shallow),
    Example(A.shallow_network, _shallow_with_output),
    Example(A.polynomial_space_dim, lambda rng: {"d": int(rng.integers(1, 4)), "r": 2}),
    Example(A.difference_network, lambda rng: {"k": 3, "h": 0.1, "b": 0.2}),
    Example(A.difference_error_bound, lambda rng: {"k": 2, "h": 0.1, "R": 1.0, "M": 1.0}),
    Example(A.relu_interpolant, _knots),
    Example(A.interpolation_error_bound, lambda rng: {"h": 0.1, "M": 2.0}),
    Example(A.sawtooth, lambda rng: {"x": rng.uniform(0, 1, 5), "k": 3}),
    Example(A.sawtooth_network, lambda rng: {"k": 2}),
    Example(A.telgarsky_bound, lambda rng: {"k": 5, "t": 3}),
    Example(A.square_approximation, lambda rng: {"x": rng.uniform(0, 1, 5), "m": 3}),
    Example(A.square_network, lambda rng: {"m": 2}),
    Example(A.square_lower_bound, lambda rng: {"t": 4}),
    Example(
        A.product_approximation,
        lambda rng: {"x": rng.uniform(0, 1, 4), "y": rng.uniform(0, 1, 4), "m": 2},
    ),
    Example(
        A.l1_distance,
        lambda rng: (lambda k: {"x": k["x"], "f": k["y"], "g": rng.standard_normal(k["x"].size)})(
            _cpwl(rng)
        ),
    ),
    Example(A.breakpoints, _net),
    Example(A.count_pieces, _cpwl),
    Example(A.piece_bound, lambda rng: {"arch": nn.Architecture((1, 3, 1), ("relu", "identity"))}),
    Example(
        A.arccos2_kernel,
        lambda rng: {"X": rng.standard_normal((3, 2)), "Z": rng.standard_normal((2, 2))},
    ),
    Example(
        A.maurey_constant,
        lambda rng: {"X": rng.standard_normal((4, 3)), "x0": rng.standard_normal(3)},
    ),
    Example(
        A.relu_integral_bound, lambda rng: {"X": rng.standard_normal((4, 3)), "A": 1.0, "n": 5}
    ),
    Example(
        A.interpolating_network,
        lambda rng: {
            "X": rng.standard_normal((5, 2)),
            "y": rng.standard_normal(5),
            "rng": np.random.default_rng(1),
        },
    ),
]
