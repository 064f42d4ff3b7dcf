"""Valid calls of ``deepqed.probability`` (see ``tests/api.py``)."""

import numpy as np
from api import Example

from deepqed import probability


def _space(rng):
    N = int(rng.integers(1, 8))
    return {
        "p": rng.dirichlet(np.ones(N)),
        "X": rng.standard_normal(N),
        "labels": rng.integers(0, 3, size=N),
    }


def _inner(rng):
    N = int(rng.integers(1, 8))
    return {
        "p": rng.dirichlet(np.ones(N)),
        "X": rng.standard_normal(N),
        "Y": rng.standard_normal(N),
    }


def _range(rng):
    a = float(rng.uniform(-2, 1))
    return a, a + float(rng.uniform(0.1, 3))


def _mgf(rng):
    a, b = _range(rng)
    return {"s": float(rng.standard_normal()), "a": a, "b": b}


def _bound(rng):
    a, b = _range(rng)
    return {
        "t": float(rng.uniform(0, 1)),
        "n": int(rng.integers(1, 50)),
        "a": a,
        "b": b,
        "two_sided": bool(rng.random() < 0.5),
    }


def _sum_bound(rng):
    return {
        "t": float(rng.uniform(0, 2)),
        "widths": rng.uniform(0.1, 2, size=int(rng.integers(1, 6))),
        "two_sided": True,
    }


def _sample_size(rng):
    a, b = _range(rng)
    return {
        "epsilon": float(rng.uniform(0.01, 0.5)),
        "delta": float(rng.uniform(0.01, 0.5)),
        "a": a,
        "b": b,
    }


def _tails(rng):
    return {"means": rng.random(20), "mu": 0.5, "t": np.linspace(0, 0.4, 5)}


def _clopper(rng):
    N = int(rng.integers(1, 100))
    return {"k": rng.integers(0, N + 1, size=4), "N": N, "alpha": 0.05}


EXAMPLES = [
    Example(probability.conditional_expectation, _space),
    Example(probability.l2_inner, _inner),
    Example(probability.hoeffding_mgf_bound, _mgf),
    Example(probability.hoeffding_bound, _bound),
    Example(probability.hoeffding_sum_bound, _sum_bound),
    Example(probability.hoeffding_sample_size, _sample_size),
    Example(probability.tail_frequency, _tails),
    Example(probability.clopper_pearson, _clopper),
]
