"""Valid calls of ``deepqed.gradcheck`` (see ``tests/api.py``)."""

import numpy as np
from api import Example

from deepqed import gradcheck, nn

ARCH = nn.Architecture((3, 4, 2), ("tanh", "identity"))


def _point(rng):
    shape = tuple(int(n) for n in rng.integers(1, 4, size=2))
    return {
        "f": np.sin,
        "x": rng.standard_normal(shape),
        "v": rng.standard_normal(shape),
        "h": 1e-3,
    }


def _vjp(rng):
    M = rng.standard_normal((2, 3))
    return {
        "f": lambda x: M @ x,
        "vjp": lambda u: M.T @ u,
        "x": rng.standard_normal(3),
        "u": rng.standard_normal(2),
        "v": rng.standard_normal(3),
        "h": 0.1,
    }


def _theta(rng):
    return nn.init_parameters(ARCH, rng=rng)


def _loss_difference(rng):
    theta = _theta(rng)
    m = int(rng.integers(1, 5))
    return {
        "arch": ARCH,
        "theta": theta,
        "X": rng.standard_normal((m, 3)),
        "Y": rng.standard_normal((m, 2)),
        "V": gradcheck.random_direction(theta, rng=rng),
        "h": 1e-5,
        "loss": "squared_error",
    }


EXAMPLES = [
    Example(gradcheck.central_difference, _point),
    Example(gradcheck.forward_difference, _point),
    Example(gradcheck.check_vjp, _vjp),
    Example(gradcheck.adjoint_error, _vjp),
    Example(
        gradcheck.relative_error,
        lambda rng: {
            "ours": [rng.standard_normal(3), rng.standard_normal((2, 2))],
            "ref": [rng.standard_normal(3), rng.standard_normal((2, 2))],
        },
    ),
    Example(gradcheck.inner, lambda rng: {"U": _theta(rng), "V": _theta(rng)}),
    Example(gradcheck.random_direction, lambda rng: {"theta": _theta(rng), "rng": rng}),
    Example(gradcheck.perturb, lambda rng: {"theta": _theta(rng), "V": _theta(rng), "t": 0.5}),
    Example(gradcheck.loss_directional_difference, _loss_difference),
]
