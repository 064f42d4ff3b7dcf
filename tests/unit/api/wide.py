"""Valid calls of ``deepqed.wide`` (see ``tests/api.py``)."""

import numpy as np
from api import Example

from deepqed import wide


def _two_layer(rng):
    return {
        "X": rng.standard_normal((3, 2)),
        "W": rng.standard_normal((5, 2)),
        "a": rng.choice([-1.0, 1.0], 5),
        "gamma": 0.5,
    }


def _mlp(rng):
    X = rng.standard_normal((3, 2))
    return {"X": X, "Ws": wide.mlp_init(np.array([2, 4, 1]), np.random.default_rng(0)), "c_w": 2.0}


def _psd(rng, n=3):
    J = rng.standard_normal((n, 5))
    return J @ J.T


EXAMPLES = [
    Example(
        wide.mlp_init, lambda rng: {"widths": np.array([2, 4, 1]), "rng": np.random.default_rng(0)}
    ),
    Example(wide.mlp_output, _mlp),
    Example(wide.mlp_jacobian, _mlp),
    Example(wide.mlp_ntk, _mlp),
    Example(wide.ntk_limit, lambda rng: {"X": rng.standard_normal((3, 2)), "depth": 3, "c_w": 2.0}),
    Example(wide.two_layer_output, _two_layer),
    Example(wide.two_layer_jacobian, _two_layer),
    Example(wide.two_layer_gram, _two_layer),
    Example(wide.h_infinity, lambda rng: {"X": rng.standard_normal((3, 2))}),
    Example(wide.h0_variance, lambda rng: {"X": rng.standard_normal((3, 2))}),
    Example(
        wide.h0_deviation_radius,
        lambda rng: {"X": rng.standard_normal((3, 2)), "m": 10, "delta": 0.1},
    ),
    Example(
        wide.two_layer_gd,
        lambda rng: {
            "X": rng.standard_normal((3, 2)),
            "y": rng.standard_normal(3),
            "W": rng.standard_normal((5, 2)),
            "a": rng.choice([-1.0, 1.0], 5),
            "eta": 0.1,
            "steps": 3,
            "gamma": 1.0,
        },
    ),
    Example(wide.du_width, lambda rng: {"n": 10, "lambda0": 0.1, "delta": 0.1}),
    Example(wide.flow_bounds, lambda rng: {"r0": 1.0, "lam": 0.5, "t": 2.0, "beta": 0.3}),
    Example(wide.lazy_bounds, lambda rng: {"M": 2.0, "Lam": 0.1, "t": 1.0, "y": 1.5, "alpha": 4.0}),
    Example(wide.du_movement_bound, lambda rng: {"n": 8, "m": 100, "r0": 2.0, "lambda0": 0.2}),
    Example(
        wide.mean_movement_lower_bound,
        lambda rng: {
            "m": 64,
            "gamma": 1.0,
            "du": rng.standard_normal(3),
            "x_norms": np.abs(rng.standard_normal(3)),
        },
    ),
    Example(
        wide.linearised_residuals,
        lambda rng: {"Theta": _psd(rng), "r0": rng.standard_normal(3), "eta": 0.1, "steps": 4},
    ),
    Example(
        wide.linearised_predictions,
        lambda rng: {
            "Theta_test": rng.standard_normal((2, 3)),
            "Theta": _psd(rng),
            "f0": rng.standard_normal(2),
            "r0": rng.standard_normal(3),
            "eta": 0.1,
            "steps": 4,
        },
    ),
    Example(
        wide.kernel_regression_limit,
        lambda rng: {
            "Theta_test": rng.standard_normal((2, 3)),
            "Theta": _psd(rng),
            "f0": rng.standard_normal(2),
            "r0": rng.standard_normal(3),
        },
    ),
    Example(
        wide.tanh_jacobian, lambda rng: {k: v for k, v in _two_layer(rng).items() if k != "gamma"}
    ),
    Example(
        wide.lazy_flow,
        lambda rng: {
            "X": rng.standard_normal((3, 2)),
            "y": rng.standard_normal(3),
            "W0": rng.standard_normal((5, 2)),
            "a": rng.choice([-1.0, 1.0], 5),
            "alpha": 2.0,
            "T": 0.5,
            "steps": 3,
            "centred": True,
        },
    ),
    Example(wide.lazy_constants, lambda rng: {"X": rng.standard_normal((3, 2)), "m": 10}),
]
