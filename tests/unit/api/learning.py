"""Valid calls of ``deepqed.learning`` (see ``tests/api.py``)."""

import numpy as np
from api import Example

from deepqed import learning

MIXTURE = learning.GaussianMixture((0.3, 0.7), (-1.0, 1.0), (1.0, 2.0))
MODEL = learning.sine_model(0.3)


def _sizes(rng, k, lo=1, hi=5):
    return [int(v) for v in rng.integers(lo, hi + 1, size=k)]


# Predictions of T x M predictors (the largest number of axes accepted) against responses
# broadcast along the first axis: one more axis is refused.
def _losses(rng):
    T, M, n = _sizes(rng, 3)
    return {"yhat": rng.standard_normal((T, M, n)), "y": rng.standard_normal((T, 1, n))}


def _labels(rng):
    T, M, n = _sizes(rng, 3)
    return {"yhat": rng.integers(0, 3, size=(T, M, n)), "y": rng.integers(0, 3, size=(T, 1, n))}


def _risk(rng):
    return {**_losses(rng), "loss": "squared"}


def _points(rng):
    (n,) = _sizes(rng, 1)
    return rng.uniform(-1, 1, size=n)


def _regression(rng):
    (n,) = _sizes(rng, 1, 2, 8)
    return {
        "x": rng.uniform(-1, 1, size=n),
        "y": rng.standard_normal(n),
        "degree": int(rng.integers(0, n)),
        "domain": (-1.0, 1.0),
    }


def _batched_regression(rng):
    R, n = _sizes(rng, 2, 2, 6)
    return {
        "x": rng.uniform(-1, 1, size=(R, n)),
        "y": rng.standard_normal((R, n)),
        "x_test": rng.uniform(-1, 1, size=3),
        "degree": int(rng.integers(0, n)),
        "domain": (-1.0, 1.0),
    }


def _knn(rng):
    n, d = _sizes(rng, 2)
    return {
        "X": rng.standard_normal((n, d)),
        "y": rng.standard_normal(n),
        "X_test": rng.standard_normal((3, d)),
        "k": int(rng.integers(1, n + 1)),
    }


def _bias_variance(rng):
    R, n = _sizes(rng, 2, 2, 5)
    return {
        "F": rng.standard_normal((R, n)),
        "f_star": rng.standard_normal(n),
        "noise": rng.uniform(0, 1, size=n),
    }


def _bias_variance_record(rng):
    (n,) = _sizes(rng, 1)
    return {
        "bias2": rng.standard_normal(n),
        "variance": rng.uniform(0, 1, size=n),
        "noise": rng.uniform(0, 1, size=n),
    }


def _excess(rng):
    bayes = float(rng.uniform(0, 1))
    best = bayes + float(rng.uniform(0, 1))
    erm = best + float(rng.uniform(0, 1))
    return {
        "risk_output": erm + float(rng.uniform(-0.5, 1)) if erm > 0.5 else erm,
        "risk_erm": erm,
        "risk_best": best,
        "bayes_risk": bayes,
    }


EXAMPLES = [
    Example(learning.squared_loss, _losses),
    Example(learning.zero_one_loss, _labels),
    Example(learning.empirical_risk, _risk),
    Example(
        learning.RegressionModel,
        lambda rng: {"f_star": np.sin, "noise_sd": np.cos, "low": -1.0, "high": 2.0},
    ),
    Example(learning.sine_model, lambda rng: {"sigma": float(rng.uniform(0, 1))}),
    Example(learning.noise_variance, lambda rng: {"model": MODEL, "x": _points(rng)}),
    Example(
        learning.sample_regression,
        lambda rng: {"model": MODEL, "n": 4, "rng": rng, "size": (2,), "dtype": np.float32},
    ),
    Example(
        learning.GaussianMixture,
        lambda rng: {"priors": (0.25, 0.75), "means": (0.0, 1.0), "sds": (1.0, 0.5)},
    ),
    Example(
        learning.sample_mixture, lambda rng: {"mixture": MIXTURE, "n": 4, "rng": rng, "size": (3,)}
    ),
    Example(learning.class_log_joint, lambda rng: {"mixture": MIXTURE, "x": _points(rng)}),
    Example(learning.posterior, lambda rng: {"mixture": MIXTURE, "x": _points(rng)}),
    Example(learning.bayes_classifier, lambda rng: {"mixture": MIXTURE, "x": _points(rng)}),
    Example(
        learning.legendre_features,
        lambda rng: {"x": _points(rng), "degree": 3, "domain": (-1.0, 2.0)},
    ),
    Example(learning.fit_polynomial, _regression),
    Example(
        learning.predict_polynomial,
        lambda rng: {"c": rng.standard_normal((2, 4)), "x": _points(rng), "domain": (0, 1)},
    ),
    Example(learning.polynomial_regression, _batched_regression),
    Example(learning.knn_regression, _knn),
    Example(learning.BiasVariance, _bias_variance_record),
    Example(learning.bias_variance_decomposition, _bias_variance),
    Example(
        learning.ExcessRisk,
        lambda rng: {"optimization": -0.1, "estimation": 0.2, "approximation": 0.3},
    ),
    Example(learning.excess_risk_decomposition, _excess),
    Example(learning.squared_risk, lambda rng: {"model": MODEL, "f": np.cos, "nodes": 32}),
    Example(
        learning.legendre_projection,
        lambda rng: {"f": np.exp, "degree": 4, "domain": (0.0, 2.0), "nodes": 20},
    ),
    Example(
        learning.uniform_deviation_bound,
        lambda rng: {"n": int(rng.integers(1, 1000)), "M": 10, "delta": 0.05},
    ),
    Example(
        learning.finite_class_sample_size,
        lambda rng: {"epsilon": 0.05, "M": int(rng.integers(1, 1000)), "delta": 0.05},
    ),
]
