"""Valid calls of ``deepqed.initialisation`` (see ``tests/api.py``)."""

import numpy as np
from api import Example

from deepqed import initialisation as ini

_W = np.array([3, 4, 5])

EXAMPLES = [
    Example(ini.weight_gains, lambda rng: {"widths": _W.copy(), "scheme": "glorot"}),
    Example(ini.haar_orthogonal, lambda rng: {"n": 3, "m": 2, "rng": np.random.default_rng(0)}),
    Example(
        ini.init_weights,
        lambda rng: {"widths": _W.copy(), "scheme": "he", "rng": np.random.default_rng(0)},
    ),
    Example(
        ini.random_networks,
        lambda rng: {
            "widths": _W.copy(),
            "x": rng.standard_normal(3),
            "gains": np.array([2.0, 2.0]),
            "c_b": 0.0,
            "activation": "relu",
            "runs": 4,
            "rng": np.random.default_rng(0),
            "u": rng.standard_normal(3),
        },
    ),
    Example(
        ini.relu_variance_recursion,
        lambda rng: {"gains": np.array([2.0, 2.0, 1.0]), "c_b": 0.1, "q1": 1.0},
    ),
    Example(
        ini.relu_norm_law_sample,
        lambda rng: {"widths": _W.copy(), "c_w": 2.0, "size": 5, "rng": np.random.default_rng(0)},
    ),
    Example(
        ini.relu_norm_log_cdf,
        lambda rng: {"y": np.array([-1.0, 0.0, 1.0]), "widths": _W.copy(), "c_w": 2.0},
    ),
    Example(
        ini.linear_norm_log_cdf,
        lambda rng: {"y": np.array([-1.0, 0.0, 1.0]), "n": 3, "L": 2, "c_w": 1.0},
    ),
    Example(ini.relu_norm_moments, lambda rng: {"widths": _W.copy(), "c_w": 2.0}),
    Example(ini.fourth_moment_factor, lambda rng: {"hidden": np.array([4, 8])}),
    Example(ini.normal_quadrature, lambda rng: {"panels": 8, "nodes": 5}),
    Example(ini.relu_correlation, lambda rng: {"rho": rng.uniform(-1, 1, size=4)}),
    Example(
        ini.nngp_kernel,
        lambda rng: {
            "X": rng.standard_normal((3, 2)),
            "depth": 2,
            "c_w": 2.0,
            "c_b": 0.1,
            "activation": "relu",
        },
    ),
    Example(ini.length_map, lambda rng: {"q": 0.5, "c_w": 1.5, "c_b": 0.1, "activation": "tanh"}),
    Example(ini.length_fixed_point, lambda rng: {"c_w": 1.5, "c_b": 0.1}),
    Example(
        ini.correlation_map,
        lambda rng: {
            "c": np.array([0.2, 0.5]),
            "q": 0.5,
            "c_w": 1.5,
            "c_b": 0.1,
            "activation": "tanh",
        },
    ),
    Example(ini.chi1, lambda rng: {"q": 0.5, "c_w": 1.5, "activation": "tanh"}),
    Example(
        ini.correlation_fixed_point,
        lambda rng: {"q": 1.06, "c_w": 2.5, "c_b": 0.05, "activation": "tanh"},
    ),
    Example(ini.hermite_coefficients, lambda rng: {"q": 0.5, "activation": "tanh", "K": 5}),
    Example(ini.gaussian_jacobian_moments, lambda rng: {"n": 4, "L": 3, "c_w": 1.0}),
    Example(ini.fuss_catalan, lambda rng: {"L": 3, "k": 2}),
    Example(ini.lyapunov_exponent, lambda rng: {"n": 4, "c_w": 1.0}),
]
