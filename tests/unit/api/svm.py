"""Valid calls of ``deepqed.svm`` (see ``tests/api.py``)."""

import math

import numpy as np
from api import Example

from deepqed import svm


def _data(rng):
    m, d = int(rng.integers(2, 8)), int(rng.integers(1, 4))
    X = rng.standard_normal((m, d))
    y = np.where(rng.random(m) < 0.5, 1.0, -1.0)
    y[0], y[1] = 1.0, -1.0
    return X, y


def _primal(rng):
    X, y = _data(rng)
    return {"w": rng.standard_normal(X.shape[1]), "b": 0.3, "X": X, "y": y, "C": 1.5}


def _margin(rng):
    kw = _primal(rng)
    del kw["C"]
    return kw


def _dual(rng):
    X, y = _data(rng)
    alpha = np.full(len(y), 0.25)
    alpha[y > 0] *= np.sum(y < 0) / np.sum(y > 0)  # y^T alpha = 0, alpha in [0, C]
    return {"alpha": alpha, "y": y.astype(np.int64), "K": X @ X.T}


def _decision(rng):
    kw = _dual(rng)
    return {"alpha": kw["alpha"], "b": 0.5, "y": kw["y"], "K_test_train": kw["K"][:2]}


EXAMPLES = [
    Example(svm.hinge, lambda rng: {"s": rng.standard_normal((3, 2))}),
    Example(svm.primal_objective, _primal),
    Example(svm.primal_subgradient, _primal),
    Example(svm.kernel_primal_objective, lambda rng: {**_dual(rng), "b": -0.2, "C": 2.0}),
    Example(svm.dual_objective, _dual),
    Example(svm.dual_gradient, _dual),
    Example(
        svm.index_sets, lambda rng: {k: v for k, v in _dual(rng).items() if k != "K"} | {"C": 1.0}
    ),
    Example(svm.kkt_violation, lambda rng: {**_dual(rng), "C": 1.0}),
    Example(svm.offset, lambda rng: {**_dual(rng), "C": math.inf}),
    Example(
        svm.primal_weights,
        lambda rng: (lambda X, y: {"alpha": np.full(len(y), 0.1), "y": y, "X": X})(*_data(rng)),
    ),
    Example(
        svm.dual_feasibility_error,
        lambda rng: {k: v for k, v in _dual(rng).items() if k != "K"} | {"C": 1.0},
    ),
    Example(svm.duality_gap, lambda rng: {**_dual(rng), "b": 0.1, "C": 1.0}),
    Example(svm.functional_margins, _margin),
    Example(svm.geometric_margin, _margin),
    Example(
        svm.DualSolution,
        lambda rng: {
            "alpha": np.zeros(3),
            "b": 0.0,
            "iterations": 0,
            "kkt_violation": 0.0,
            "converged": True,
        },
    ),
    Example(
        svm.smo,
        lambda rng: {
            **{k: v for k, v in _dual(rng).items() if k != "alpha"},
            "C": 1.0,
            "tol": 1e-6,
            "max_iter": 50,
        },
    ),
    Example(svm.decision_function, _decision),
    Example(svm.two_variable_step, lambda rng: {**_dual(rng), "C": 1.0, "i": 0, "j": 1}),
    Example(svm.select_working_set, lambda rng: {**_dual(rng), "C": 1.0}),
]
