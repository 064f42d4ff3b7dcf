r"""Exercise ``ex-ker-krr-predict``: kernel ridge regression, fit and predict with one solve."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import (
    DTYPE,
    OUTPUT_SHAPE,
    Diagnosis,
    Implement,
    Tolerance,
    Wrong,
    values,
)
from deepqed.exercises.strategies import dtypes, float_arrays


def krr_predict(K, y, K_test, lam):
    r"""$\hat f(X_{test}) = K_{test}\,\alpha$ with $\alpha = (K + m\lambda I_m)^{-1}y$
    (Proposition prop-krr-closed-form), by a linear solve (no inverse)."""
    m = K.shape[0]
    alpha = np.linalg.solve(K + m * lam * np.eye(m, dtype=K.dtype), y)
    return K_test @ alpha


def _gauss(A, B):
    D = np.sum(A * A, axis=1)[:, None] + np.sum(B * B, axis=1)[None, :] - 2 * A @ B.T
    return np.exp(-np.maximum(D, 0))


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    m, t, d = draw(st.integers(1, 6)), draw(st.integers(1, 4)), draw(st.integers(1, 3))
    X = draw(float_arrays(np.float64, (m, d), bound=2.0))
    T = draw(float_arrays(np.float64, (t, d), bound=2.0))
    y = draw(float_arrays(dtype, (m,), bound=3.0))
    lam = draw(st.sampled_from((0.01, 0.1, 1.0)))
    return {
        "K": _gauss(X, X).astype(dtype),
        "y": y,
        "K_test": _gauss(T, X).astype(dtype),
        "lam": lam,
    }


def _no_m(K, y, K_test, lam):
    return K_test @ np.linalg.solve(K + lam * np.eye(K.shape[0], dtype=K.dtype), y)


def _alpha(K, y, K_test, lam):
    m = K.shape[0]
    return np.linalg.solve(K + m * lam * np.eye(m, dtype=K.dtype), y)


def _no_ridge(K, y, K_test, lam):
    return K_test @ np.linalg.lstsq(K, y, rcond=None)[0]


def _lam_over_m(K, y, K_test, lam):
    m = K.shape[0]
    return K_test @ np.linalg.solve(K + lam / m * np.eye(m, dtype=K.dtype), y)


def _fitted(K, y, K_test, lam):
    m = K.shape[0]
    return K @ np.linalg.solve(K + m * lam * np.eye(m, dtype=K.dtype), y)


def _float64(K, y, K_test, lam):
    m = K.shape[0]
    A = K.astype(np.float64) + m * lam * np.eye(m)
    return K_test.astype(np.float64) @ np.linalg.solve(A, y.astype(np.float64))


EXERCISE = Implement(
    id="ex-ker-krr-predict",
    title="Kernel ridge regression with a linear solve",
    function="krr_predict",
    parameters=("K", "y", "K_test", "lam"),
    docstring=r"""Kernel ridge regression (Proposition prop-krr-closed-form): fit
$\alpha = (K + m\lambda I_m)^{-1}y$ and return the predictions $K_{test}\,\alpha$.
The objective is (1/m) sum_i (f(x_i) - y_i)^2 + lambda ||f||^2 (a MEAN over the samples).
Solve the linear system; do not form an inverse.

Arguments:
    K: Gram matrix k(X, X), shape (m, m), symmetric positive semi-definite.
    y: targets, shape (m,).
    K_test: k(X_test, X), shape (m_test, m).
    lam: lambda > 0, a Python float.
    (arrays all float32 or all float64)

Returns:
    predictions, shape (m_test,), the dtype of K.
""",
    reference=krr_predict,
    arguments=_arguments(),
    outputs=("f_test",),
    tolerances={"float64": Tolerance(1e-8, 1e-10), "float32": Tolerance(1e-3, 1e-4)},
    hint=r"""m = K.shape[0]; alpha = np.linalg.solve(K + m * lam * np.eye(m, dtype=K.dtype), y);
return K_test @ alpha. The factor m comes from the mean in the objective (scikit-learn's alpha
is m * lambda).""",
    diagnoses=(
        Diagnosis(
            "f_test",
            lambda kw: _no_m(kw["K"], kw["y"], kw["K_test"], kw["lam"]),
            "this is K_test (K + lambda I)^{-1} y: with the mean in the objective the "
            "shift is m * lambda",
        ),
    ),
    wrong=(
        Wrong(
            _no_m,
            "solves with K + lambda I instead of K + m lambda I",
            values(0),
            "m * lambda",
        ),
        Wrong(_alpha, "returns alpha instead of the predictions", OUTPUT_SHAPE, ""),
        Wrong(_no_ridge, "no regularisation (least squares on K)", values(0), ""),
        Wrong(_lam_over_m, "shift lambda / m instead of m lambda", values(0), ""),
        Wrong(_fitted, "returns the fitted values K alpha, not K_test alpha", OUTPUT_SHAPE, ""),
        Wrong(_float64, "computes float32 input in float64", DTYPE, ""),
    ),
)
