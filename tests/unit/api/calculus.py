"""Valid calls of ``deepqed.calculus`` (see ``tests/api.py``)."""

import numpy as np
from api import Example

from deepqed import calculus


def _dims(rng, k):
    return [int(v) for v in rng.integers(1, 5, size=k)]


def _spd(rng, n):
    M = rng.standard_normal((n, n))
    return M @ M.T + n * np.eye(n)


def _logistic(rng):
    m, n = _dims(rng, 2)
    return {
        "w": rng.standard_normal(n),
        "X": rng.standard_normal((m, n)),
        "y": np.where(rng.random(m) < 0.5, 1.0, -1.0),
        "lam": float(rng.uniform(0, 1)),
    }


def _vec(rng):
    p, q = _dims(rng, 2)
    return {"X": rng.standard_normal((p, q))}


def _unvec(rng):
    p, q = _dims(rng, 2)
    return {"v": rng.standard_normal(p * q), "p": p, "q": q}


def _commutation(rng):
    p, q = _dims(rng, 2)
    return {"p": p, "q": q, "dtype": np.float32}


def _axb(rng):
    r, p, q, s = _dims(rng, 4)
    return {"A": rng.standard_normal((r, p)), "B": rng.standard_normal((q, s))}


def _xw(rng):
    p, n, m = _dims(rng, 3)
    return {"W": rng.standard_normal((p, n)), "m": m}


def _fd(rng):
    p, q = _dims(rng, 2)
    return {"f": np.tanh, "X": rng.standard_normal((p, q)), "h": 1e-5}


def _residual(rng):
    r, p, q = _dims(rng, 3)
    return {
        "A": rng.standard_normal((r, p)),
        "X": rng.standard_normal((p, q)),
        "B": rng.standard_normal((r, q)),
    }


def _quadratic_form(rng):
    (n,) = _dims(rng, 1)
    return {"A": rng.standard_normal((n, n)), "x": rng.standard_normal(n)}


def _square_spd(rng):
    (n,) = _dims(rng, 1)
    return {"X": _spd(rng, n)}


def _inverse_derivative(rng):
    (n,) = _dims(rng, 1)
    return {"X": _spd(rng, n), "H": rng.standard_normal((n, n))}


def _entrywise(rng):
    p, q = _dims(rng, 2)
    return {"sigma_prime": np.cos, "X": rng.standard_normal((p, q))}


def _quadratic_constants(rng):
    (n,) = _dims(rng, 1)
    M = rng.standard_normal((n, n))
    return {"Q": M + M.T}


def _smoothness(rng):
    m, n = _dims(rng, 2)
    return {"X": rng.standard_normal((m, n)), "lam": 0.1}


def _step(rng):
    (n,) = _dims(rng, 1)
    return {"w": rng.standard_normal(n), "grad": rng.standard_normal(n), "L": 2.0}


EXAMPLES = [
    Example(calculus.vec, _vec),
    Example(calculus.unvec, _unvec),
    Example(calculus.commutation_matrix, _commutation),
    Example(calculus.jacobian_AXB, _axb),
    Example(calculus.jacobian_XW, _xw),
    Example(calculus.jacobian_fd, _fd),
    Example(calculus.grad_trace_AX, lambda rng: {"A": rng.standard_normal(tuple(_dims(rng, 2)))}),
    Example(calculus.grad_frobenius_residual, _residual),
    Example(calculus.grad_quadratic_form, _quadratic_form),
    Example(calculus.grad_logdet, _square_spd),
    Example(calculus.inverse_derivative, _inverse_derivative),
    Example(calculus.inverse_jacobian, _square_spd),
    Example(calculus.entrywise_jacobian, _entrywise),
    Example(calculus.quadratic_constants, _quadratic_constants),
    Example(calculus.logistic_loss, _logistic),
    Example(calculus.logistic_loss_grad, _logistic),
    Example(calculus.logistic_smoothness, _smoothness),
    Example(calculus.gradient_step, _step),
]
