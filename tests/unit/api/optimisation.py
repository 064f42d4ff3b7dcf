"""Valid calls of ``deepqed.optimisation`` (see ``tests/api.py``)."""

import numpy as np
from api import Example

from deepqed import optimisation as opt


def _two_layer(rng):
    m, d, N = int(rng.integers(1, 5)), int(rng.integers(1, 4)), int(rng.integers(1, 6))
    return {
        "W": rng.standard_normal((N, d)),
        "a": rng.choice([-1.0, 1.0], size=N),
        "X": rng.standard_normal((m, d)),
    }


def _wide(rng):
    X = rng.standard_normal((3, 5))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    return {
        "W": rng.standard_normal((40, 5)),
        "a": rng.choice([-1.0, 1.0], size=40),
        "X": X,
        "y": rng.standard_normal(3),
    }


def _lsq(rng):
    m, d = int(rng.integers(4, 8)), int(rng.integers(1, 4))
    return {"X": rng.standard_normal((m, d)), "y": rng.standard_normal(m)}


def _covariance(rng):
    U, _ = np.linalg.qr(rng.standard_normal((4, 4)))
    return U, (U * np.array([4.0, 3.0, 2.0, 1.0])) @ U.T


def _ae(rng):
    U, S = _covariance(rng)
    return {"A": rng.standard_normal((4, 2)), "B": rng.standard_normal((2, 4)), "Sigma": S}


EXAMPLES = [
    Example(
        opt.gradient_descent,
        lambda rng: {"grad": lambda x: 2 * x, "x0": rng.standard_normal(3), "eta": 0.1, "steps": 4},
    ),
    Example(opt.pl_ratio, lambda rng: {"g": rng.standard_normal(3), "gap": 0.5}),
    Example(opt.pl_rate_factor, lambda rng: {"mu": 0.5, "L": 2.0, "eta": 0.4}),
    Example(
        opt.pl_rate_bound,
        lambda rng: {"mu": 0.5, "L": 2.0, "eta": 0.4, "gap0": 1.0, "steps": 3},
    ),
    Example(opt.least_squares_pl_constant, lambda rng: {"X": rng.standard_normal((4, 3))}),
    Example(opt.sin_quadratic, lambda rng: {"x": rng.standard_normal(5)}),
    Example(opt.sin_quadratic_grad, lambda rng: {"x": rng.standard_normal(5)}),
    Example(opt.two_layer_outputs, _two_layer),
    Example(opt.two_layer_jacobian, _two_layer),
    Example(opt.tangent_kernel, _two_layer),
    Example(opt.wide_constants, _wide),
    Example(opt.train_two_layer, lambda rng: {**_wide(rng), "eta": 0.1, "steps": 3}),
    Example(opt.sgd_least_squares, lambda rng: _sgd_args(rng)),
    Example(opt.sgd_least_squares_moments, lambda rng: _moment_args(rng)),
    Example(opt.least_squares_sgd_constants, _lsq),
    Example(
        opt.sgd_strongly_convex_bound,
        lambda rng: {
            "gamma": 0.1,
            "mu": 0.5,
            "L_max": 2.0,
            "sigma2": 1.0,
            "dist0": 3.0,
            "steps": 4,
        },
    ),
    Example(
        opt.sgd_nonconvex_bound,
        lambda rng: {"gamma": 0.1, "L": 2.0, "gap0": 1.0, "sigma2": 1.0, "steps": 10},
    ),
    Example(opt.sgd_horizon_step, lambda rng: {"L": 2.0, "gap0": 1.0, "sigma2": 1.0, "steps": 10}),
    Example(opt.autoencoder_loss, _ae),
    Example(opt.autoencoder_gradient, _ae),
    Example(
        opt.autoencoder_critical_point,
        lambda rng: {"U": _covariance(rng)[0], "I": np.array([0, 2]), "C": np.eye(2)},
    ),
    Example(
        opt.autoencoder_critical_value,
        lambda rng: {"eigenvalues": np.array([4.0, 3.0, 2.0, 1.0]), "I": np.array([1, 3])},
    ),
    Example(opt.autoencoder_morse_index, lambda rng: {"n": 4, "k": 2, "I": np.array([1, 3])}),
    Example(opt.index_sets, lambda rng: {"n": 4, "k": 2}),
    Example(opt.boolean_cube, lambda rng: {"n": 3}),
    Example(opt.parity_matrix, lambda rng: {"n": 3}),
    Example(opt.walsh_hadamard, lambda rng: {"Y": rng.standard_normal((8, 2))}),
    Example(opt.parity_gradient_variance, lambda rng: {"G": rng.standard_normal((8, 3))}),
    Example(opt.ParaMap, lambda rng: {"implement": lambda p, a: a, "vjp": lambda p, a, g: ((), g)}),
    Example(
        opt.Learner,
        lambda rng: {
            "implement": lambda p, a: a,
            "update": lambda p, a, b: p,
            "request": lambda p, a, b: b,
        },
    ),
    Example(
        opt.compose,
        lambda rng: {
            "f": opt.gradient_learner(opt.affine_map(), 0.1),
            "g": opt.gradient_learner(opt.activation_map("tanh"), 0.1),
        },
    ),
    Example(opt.para_compose, lambda rng: {"f": opt.affine_map(), "g": opt.activation_map("tanh")}),
    Example(opt.gradient_learner, lambda rng: {"para": opt.affine_map(), "eps": 0.1}),
    Example(opt.affine_map, lambda rng: {}),
    Example(opt.activation_map, lambda rng: {"name": "relu"}),
]


def _sgd_args(rng):
    X = rng.standard_normal((6, 2))
    return {
        "X": X,
        "y": rng.standard_normal(6),
        "gamma": 0.05,
        "steps": 4,
        "w0": np.zeros(2),
        "runs": 3,
        "rng": np.random.default_rng(0),
    }


def _moment_args(rng):
    X = rng.standard_normal((6, 2))
    return {"X": X, "y": rng.standard_normal(6), "gamma": 0.05, "steps": 4, "w0": np.zeros(2)}
