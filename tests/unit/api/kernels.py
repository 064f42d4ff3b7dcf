"""Valid calls of ``deepqed.kernels`` (see ``tests/api.py``)."""

import numpy as np
from api import Example

from deepqed import kernels


def _X(rng):
    return rng.standard_normal((int(rng.integers(1, 6)), 2))


def _XZ(rng):
    return {"X": _X(rng), "Z": _X(rng)}


def _krr(rng):
    X = _X(rng)
    return kernels.krr_fit(kernels.Gaussian(0.5), X, rng.standard_normal(X.shape[0]), 0.1)


def _ksvm(rng):
    X = rng.standard_normal((6, 2))
    y = np.array([1, -1, 1, -1, 1, -1])
    return kernels.ksvm_fit(kernels.Gaussian(0.5), X, y, 1.0)


def _psd(rng):
    A = rng.standard_normal((4, 3))
    return A @ A.T


def _rff(rng):
    return kernels.rff_init(kernels.Gaussian(0.5), 2, 5, rng=rng)


EXAMPLES = [
    Example(
        kernels.Polynomial,
        lambda rng: {"degree": 3, "gamma": 0.5, "c": 1.0},
    ),
    Example(kernels.Gaussian, lambda rng: {"gamma": 0.7}),
    Example(kernels.Laplacian, lambda rng: {"gamma": 0.7}),
    Example(kernels.gram, lambda rng: {"kernel": kernels.ArcCosine(), **_XZ(rng)}),
    Example(kernels.squared_distances, _XZ),
    Example(
        kernels.PSDCheck,
        lambda rng: {"min_eigenvalue": -1e-17, "asymmetry": 0.0, "tolerance": 1e-15},
    ),
    Example(kernels.psd_check, lambda rng: {"K": _psd(rng), "rtol": 1e-12}),
    Example(
        kernels.KRRModel,
        lambda rng: {
            "kernel": kernels.Linear(),
            "X": rng.standard_normal((3, 2)),
            "alpha": rng.standard_normal(3),
            "lam": 0.1,
        },
    ),
    Example(
        kernels.krr_fit,
        lambda rng: (
            lambda X: {
                "kernel": kernels.Laplacian(1.0),
                "X": X,
                "y": rng.standard_normal(X.shape[0]),
                "lam": 0.1,
            }
        )(_X(rng)),
    ),
    Example(kernels.krr_predict, lambda rng: {"model": _krr(rng), "X_test": _X(rng)}),
    Example(kernels.rkhs_norm, lambda rng: {"model": _krr(rng)}),
    Example(
        kernels.krr_objective,
        lambda rng: {
            "K": _psd(rng),
            "y": rng.standard_normal(4),
            "alpha": rng.standard_normal(4),
            "lam": 0.1,
        },
    ),
    Example(
        kernels.shifted_solve,
        lambda rng: {"K": _psd(rng), "y": rng.standard_normal(4), "shift": 0.5},
    ),
    Example(
        kernels.KernelSVM,
        lambda rng: {
            "kernel": kernels.Gaussian(1.0),
            "X": rng.standard_normal((2, 2)),
            "y": np.array([1.0, -1.0]),
            "alpha": np.array([0.5, 0.5]),
            "b": 0.0,
            "converged": True,
            "kkt_violation": 0.0,
        },
    ),
    Example(
        kernels.ksvm_fit,
        lambda rng: {
            "kernel": kernels.Gaussian(0.5),
            "X": rng.standard_normal((6, 2)),
            "y": np.array([1, -1, 1, -1, 1, -1]),
            "C": 1.0,
            "tol": 1e-6,
            "max_iter": 1000,
        },
    ),
    Example(kernels.ksvm_decision, lambda rng: {"model": _ksvm(rng), "X_test": _X(rng)}),
    Example(
        kernels.empirical_relu_kernel,
        lambda rng: {"W": rng.standard_normal((7, 2)), **_XZ(rng)},
    ),
    Example(
        kernels.feature_ridge,
        lambda rng: {
            "Phi": rng.standard_normal((5, 3)),
            "y": rng.standard_normal(5),
            "lam": 0.01,
        },
    ),
    Example(
        kernels.init_relu_weights,
        lambda rng: {"d": 2, "N": 4, "rng": rng, "dtype": np.float32},
    ),
    Example(kernels.relu_features, lambda rng: {"W": rng.standard_normal((7, 2)), "X": _X(rng)}),
    Example(
        kernels.RFFParams,
        lambda rng: {"omega": rng.standard_normal((4, 2)), "b": rng.uniform(0, 6, 4)},
    ),
    Example(
        kernels.hoeffding_bound,
        lambda rng: {"D": 100, "eps": 0.2},
    ),
    Example(
        kernels.rahimi_recht_bound,
        lambda rng: {"d": 2, "D": 1000, "eps": 0.3, "diameter": 2.0, "sigma": 1.0},
    ),
    Example(kernels.rff_features, lambda rng: {"params": _rff(rng), "X": _X(rng)}),
    Example(
        kernels.rff_init,
        lambda rng: {
            "kernel": kernels.Laplacian(0.5),
            "d": 2,
            "D": 6,
            "rng": rng,
            "dtype": np.float64,
        },
    ),
    Example(
        kernels.rff_paired_features,
        lambda rng: {"omega": rng.standard_normal((4, 2)), "X": _X(rng)},
    ),
    Example(
        kernels.spectral_sample,
        lambda rng: {
            "kernel": kernels.Gaussian(0.5),
            "d": 2,
            "D": 6,
            "rng": rng,
            "dtype": np.float32,
        },
    ),
    Example(
        kernels.spectral_second_moment,
        lambda rng: {"kernel": kernels.Gaussian(0.5), "d": 3},
    ),
]
