"""Valid calls of ``deepqed.linear`` (see ``tests/api.py``)."""

import numpy as np
from api import Example

from deepqed import linear


def _problem(rng):
    m, n = int(rng.integers(1, 7)), int(rng.integers(1, 5))
    return m, n, rng.standard_normal((m, n)), rng.standard_normal(m), rng.standard_normal(n)


def _Xyw(rng):
    _, _, X, y, w = _problem(rng)
    return {"w": w, "X": X, "y": y}


def _Xy(rng):
    _, _, X, y, _ = _problem(rng)
    return {"X": X, "y": y}


def _X(rng):
    return {"X": _problem(rng)[2]}


def _labels(rng, m):
    y = (rng.random(m) < 0.5).astype(np.int64)
    y[0] = 1 - y[-1] if m > 1 else y[0]
    return y


def _logistic(rng):
    m, n, X, _, w = _problem(rng)
    return {"w": w, "X": X, "y": _labels(rng, m)}


def _singular_values(rng):
    return {"s": rng.uniform(0.1, 2.0, size=int(rng.integers(1, 5)))}


EXAMPLES = [
    Example(linear.condition_limit, lambda rng: {"dtype": np.float32}),
    Example(linear.least_squares_objective, _Xyw),
    Example(linear.condition_number, _X),
    Example(linear.default_rcond, _X),
    Example(linear.numerical_rank, lambda rng: {**_X(rng), "rcond": 1e-10}),
    Example(linear.pinv, lambda rng: {**_X(rng), "rcond": None}),
    Example(linear.min_norm_least_squares, lambda rng: {**_Xy(rng), "rcond": 1e-8}),
    Example(
        linear.normal_equations,
        lambda rng: {"X": rng.standard_normal((6, 3)), "y": rng.standard_normal(6)},
    ),
    Example(linear.ridge_objective, lambda rng: {**_Xyw(rng), "lam": 0.5}),
    Example(linear.ridge, lambda rng: {**_Xy(rng), "lam": 0.5}),
    Example(linear.ridge_svd, lambda rng: {**_Xy(rng), "lam": 0.5}),
    Example(
        linear.ridge_bias,
        lambda rng: (lambda p: {"X": p[2], "w_star": p[4], "lam": 0.3})(_problem(rng)),
    ),
    Example(linear.ridge_covariance, lambda rng: {**_X(rng), "sigma": 0.7, "lam": 0.3}),
    Example(
        linear.ridge_bias_variance,
        lambda rng: (lambda p: {"X": p[2], "w_star": p[4], "sigma": 0.7, "lam": 0.3})(
            _problem(rng)
        ),
    ),
    Example(linear.least_squares_gradient, _Xyw),
    Example(
        linear.gd_least_squares,
        lambda rng: (lambda p: {"X": p[2], "y": p[3], "eta": 0.05, "steps": 3, "w0": p[4]})(
            _problem(rng)
        ),
    ),
    Example(linear.smoothness_constant, _X),
    Example(linear.strong_convexity_constant, _X),
    Example(linear.gd_filter, lambda rng: {**_singular_values(rng), "eta": 0.1, "t": 4}),
    Example(linear.ridge_filter, lambda rng: {**_singular_values(rng), "lam": 0.1}),
    Example(linear.sigmoid, lambda rng: {"z": rng.standard_normal((3, 2))}),
    Example(linear.logistic_losses, _logistic),
    Example(linear.logistic_loss, _logistic),
    Example(linear.logistic_gradient, _logistic),
    Example(linear.logistic_hessian, _logistic),
    Example(
        linear.LogisticFit,
        lambda rng: {
            "w": rng.standard_normal(3),
            "iterations": 4,
            "converged": True,
            "gradient_norm": 1e-9,
        },
    ),
    Example(
        linear.logistic_newton,
        lambda rng: (
            lambda p: {
                "X": p[2],
                "y": _labels(rng, p[0]).astype(np.float64),
                "w0": p[4],
                "tol": 1e-6,
                "max_iter": 5,
            }
        )(_problem(rng)),
    ),
    Example(
        linear.logistic_gd,
        lambda rng: (
            lambda p: {"X": p[2], "y": _labels(rng, p[0]), "eta": 0.1, "steps": 3, "w0": p[4]}
        )(_problem(rng)),
    ),
    Example(linear.hessian_lipschitz, _X),
    Example(
        linear.separability,
        lambda rng: (lambda p: {"X": p[2], "y": _labels(rng, p[0])})(_problem(rng)),
    ),
    Example(
        linear.Separability,
        lambda rng: {"value": 0.5, "rank": 2, "direction": rng.standard_normal(2)},
    ),
]
