"""Valid calls of ``deepqed.nn`` (see ``tests/api.py``)."""

import numpy as np
from api import Example

from deepqed import nn

ARCH = nn.Architecture((3, 4, 2), ("tanh", "identity"))


def _Z(rng):
    return {"Z": rng.standard_normal(tuple(int(n) for n in rng.integers(1, 5, size=2)))}


def _network(rng):
    m = int(rng.integers(1, 6))
    theta = nn.init_parameters(ARCH, rng=rng)
    theta = nn.Parameters(theta.W, tuple(rng.standard_normal(b.shape) for b in theta.b))
    return ARCH, theta, rng.standard_normal((m, 3)), rng.standard_normal((m, 2))


def _forward(rng):
    arch, theta, X, _ = _network(rng)
    return {"arch": arch, "theta": theta, "X": X}


def _backprop(rng):
    arch, theta, X, Y = _network(rng)
    fwd = nn.forward(arch, theta, X)
    return {"arch": arch, "theta": theta, "fwd": fwd, "G": Y, "input_gradient": True}


def _loss(rng):
    arch, theta, X, Y = _network(rng)
    return {"arch": arch, "theta": theta, "X": X, "Y": Y, "loss": "cross_entropy"}


def _sgd(rng):
    _, theta, _, _ = _network(rng)
    return {"theta": theta, "grad": theta.map(lambda a: 0.5 * a), "eta": 0.1}


def _activation(rng):
    return {
        "name": "cube",
        "sigma": lambda xp, Z: Z**3,
        "sigma_prime": lambda xp, Z: 3 * Z**2,
        "derivative": lambda xp, Z, A: 3 * Z**2,
        "formula": "z^3",
    }


ELEMENTWISE = [getattr(nn, n) for n in nn.ACTIVATIONS if n != "leaky_relu"]
ELEMENTWISE += [getattr(nn, n + "_prime") for n in nn.ACTIVATIONS if n != "leaky_relu"]

EXAMPLES = [
    *[Example(f, _Z) for f in ELEMENTWISE],
    Example(nn.leaky_relu, lambda rng: {**_Z(rng), "alpha": 0.2}),
    Example(nn.leaky_relu_prime, lambda rng: {**_Z(rng), "alpha": 0.2}),
    Example(nn.softmax, _Z),
    Example(nn.logsumexp, _Z),
    Example(nn.softmax_jacobian, lambda rng: {"z": rng.standard_normal(int(rng.integers(1, 6)))}),
    Example(nn.Activation, _activation),
    Example(nn.Architecture, lambda rng: {"widths": (3, 5, 2), "activations": ("relu", "tanh")}),
    Example(
        nn.Parameters,
        lambda rng: {
            "W": (rng.standard_normal((4, 3)), rng.standard_normal((2, 4))),
            "b": (rng.standard_normal(4), rng.standard_normal(2)),
        },
    ),
    Example(nn.Forward, lambda rng: vars(nn.forward(**_forward(rng))).copy()),
    Example(nn.forward, _forward),
    Example(
        nn.realization,
        lambda rng: {"arch": ARCH, "theta": _network(rng)[1], "x": rng.standard_normal(3)},
    ),
    Example(nn.init_parameters, lambda rng: {"arch": ARCH, "rng": rng, "dtype": np.float32}),
    Example(nn.backprop, _backprop),
    Example(nn.loss_and_gradient, _loss),
    Example(nn.sgd_step, _sgd),
]
