"""Valid calls of ``deepqed.regularisation`` (see ``tests/api.py``)."""

import numpy as np
from api import Example

from deepqed import nn
from deepqed import regularisation as reg


def _ls(rng):
    X = rng.standard_normal((4, 3))
    return {"X": X, "y": rng.standard_normal(4)}


def _separable(rng):
    return {
        "X": np.array([[1.0, 0.2], [0.3, 1.0], [-1.0, -0.1], [-0.2, -1.5]]),
        "y": np.array([1, 1, 0, 0]),
    }


def _theta(rng):
    arch = nn.Architecture((2, 3, 1), ("relu", "identity"))
    return {"theta": nn.init_parameters(arch, rng=np.random.default_rng(0))}


def _underdetermined(rng):
    X = rng.standard_normal((2, 5))
    return {"X": X, "y": rng.standard_normal(2)}


EXAMPLES = [
    Example(
        reg.input_noise_objective, lambda rng: {**_ls(rng), "w": rng.standard_normal(3), "s": 0.5}
    ),
    Example(reg.input_noise_ridge, lambda rng: {**_ls(rng), "s": 0.5}),
    Example(reg.dropout_objective, lambda rng: {**_ls(rng), "w": rng.standard_normal(3), "p": 0.8}),
    Example(reg.dropout_ridge, lambda rng: {**_ls(rng), "p": 0.8}),
    Example(
        reg.modified_gradient,
        lambda rng: {"g": rng.standard_normal(3), "H": np.eye(3), "h": 0.1},
    ),
    Example(
        reg.gradient_descent,
        lambda rng: {"grad": lambda t: 2 * t, "theta0": rng.standard_normal(3), "h": 0.1, "k": 3},
    ),
    Example(
        reg.quadratic_flows,
        lambda rng: {
            "A": np.diag([1.0, 2.0]),
            "theta0": rng.standard_normal(2),
            "T": 1.0,
            "h": 0.1,
        },
    ),
    Example(
        reg.quadratic_leading_terms,
        lambda rng: {"A": np.diag([1.0, 2.0]), "theta0": rng.standard_normal(2), "T": 1.0},
    ),
    Example(
        reg.logistic_flow,
        lambda rng: {
            "X": rng.standard_normal((4, 2)),
            "y": np.array([0, 1, 1, 0]),
            "theta0": rng.standard_normal(2),
            "T": 0.5,
            "h": 0.1,
            "rtol": 1e-8,
        },
    ),
    Example(reg.imbalances, _theta),
    Example(reg.max_margin, _separable),
    Example(reg.max_margin_dual, lambda rng: {**_separable(rng), "tol": 1e-9}),
    Example(
        reg.logistic_gd_path,
        lambda rng: {
            **_separable(rng),
            "w0": np.zeros(2),
            "eta": 0.5,
            "checkpoints": np.array([1, 5, 10]),
        },
    ),
    Example(reg.residual_limit, lambda rng: {**_separable(rng), "eta": 0.5, "threshold": 1e-8}),
    Example(reg.potential, lambda rng: {"w": rng.standard_normal(4), "alpha": 0.5}),
    Example(
        reg.diagonal_gradient,
        lambda rng: {**_ls(rng), "u": rng.standard_normal(3), "v": rng.standard_normal(3)},
    ),
    Example(reg.diagonal_gd, lambda rng: {**_ls(rng), "alpha": 0.5, "eta": 0.01, "steps": 3}),
    Example(reg.diagonal_limit, lambda rng: {**_underdetermined(rng), "alpha": 0.5, "tol": 1e-12}),
    Example(reg.min_l1_interpolant, _underdetermined),
]
